"""The store's refusals: each a CptError whose message is fit for the instructor."""

from __future__ import annotations

from .core.errors import CptError


class StoreError(CptError):
    """A refused store operation, with a message for the instructor (exit code 2)."""


class StoreUnreadable(StoreError):
    """The store file exists but is not a readable store; it is never overwritten."""


class StoreTooNew(StoreUnreadable):
    """Written by a newer cpt-tui; it is never rewritten by this one."""


class WriteFailed(StoreError):
    """The change could not be saved; the store is as it was."""


class FileRefused(StoreError):
    """A file that is not a regular file, or too large to be what it should be."""
