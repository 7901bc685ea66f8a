"""What came of a store change: typed messages the app posts to the screen that asked.

A screen asks `cpt.change(do, SomethingSaved(context), self)` (see `StoreSyncApp.change`):
the message is built on the UI thread with what its notice needs (the student, the module,
the form); the store's verb runs in a worker thread, which never sees the message. On the
UI thread again the app updates its roster (every screen redraws), then posts the message
to the asker: `Saved` with `result` set, or `NotSaved` with the refusal. Both bubble from
the asker to the app, whose handlers tell the instructor (`notice()`, or "Not saved" and
the reason) unless the asker stopped the message. An asker closed meanwhile (keys typed
ahead) is skipped: the app gets the message itself, so the instructor is always told.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Generic, TypeVar

from textual.message import Message

from .core.errors import CptError

T = TypeVar("T")


class Saved(Message, ABC, Generic[T]):
    """A change asked for was written. Subclasses carry the ask's context and say what
    the instructor is told (`notice`); a screen handles its own with `@on` to do more
    (select the student saved) and lets it bubble on to the app for the notice."""

    result: T
    """What the store's verb returned: set by the app, on the UI thread, before posting."""

    @abstractmethod
    def notice(self) -> str:
        """What the instructor is told once the change is written."""


class NotSaved(Message):
    """A change asked for was refused: nothing was written. `asked` is the message the ask
    built (its context: the form, the original), `error` the reason, fit for the
    instructor. The app's handler shows it ("Not saved"); an asker that says it otherwise
    (a stale form opened again, the import dialog's own line) stops it."""

    def __init__(self, asked: Saved[Any], error: CptError) -> None:
        super().__init__()
        self.asked, self.error = asked, error
