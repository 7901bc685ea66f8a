"""The one kind of refusal: bad input or a store that cannot be used, told to the instructor."""

from __future__ import annotations


class CptError(Exception):
    """Refused, with a message fit for the instructor: the CLI prints it and exits 2, the
    app shows it. Never a traceback, never a record's contents beyond what the message says."""
