"""The `/` filter: an input that narrows every screen to matching names, IDs and sections."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Label

from .safe_input import SafeInput


class FilterInput(SafeInput):
    """Filter as you type; `enter` keeps the filter, `escape` clears it.

    What it changes is done at once, not through messages: the row list, the filter line
    and the keys shown then change in the same frame as the character typed (each message
    hop can cost a frame, up to 33 ms at Textual's 60 frames a second).
    """

    BINDINGS = [
        Binding("enter", "keep", "Keep filter"),
        Binding("escape", "clear", "Clear filter"),
    ]
    """Keys while the filter has the focus."""

    def __init__(self, typed: Callable[[str], None], left: Callable[[], None]) -> None:
        super().__init__(placeholder="name, ID or section; enter keeps, escape clears")
        self._typed, self._left = typed, left

    def watch_value(self, value: str) -> None:
        self._typed(value)

    def action_keep(self) -> None:
        self._left()

    def action_clear(self) -> None:
        self.value = ""
        self._left()


class FilterBar(Horizontal):
    """A labelled filter line, shown while it is in use or holds text.

    `typed` gets the text after every change (typed, or cleared); `left` is called when the
    instructor leaves the filter (the focus goes back to the table).
    """

    def __init__(self, typed: Callable[[str], None], left: Callable[[], None]) -> None:
        super().__init__(id="filter")
        self.display = False
        self._input = FilterInput(typed, left)

    def compose(self) -> ComposeResult:
        yield Label("Filter", id="filter-label")
        yield self._input
        yield Label(id="filter-count")

    def count(self, shown: int, total: int) -> None:
        """How many students match, of all (the line covers the title that says so)."""
        self.query_one("#filter-count", Label).update(f"{shown:,} of {total:,}")

    @property
    def value(self) -> str:
        return self._input.value

    @value.setter
    def value(self, text: str) -> None:
        self._input.value = text

    def open(self) -> None:
        self.display = True
        self.screen.set_focus(self._input)  # now, and the keys shown with it (one frame)
        self.screen.refresh_bindings()
