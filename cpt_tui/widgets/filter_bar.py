"""The `/` filter: an input that narrows every screen to matching names, IDs and sections."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.dom import DOMNode
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
    """A labelled filter line over one reactive string, `owner.attribute` (the app's
    `filter_text`, which every screen's line shows): what is typed sets it, and the line
    shows it whoever set it (a filter typed on another screen). Shown while it is in use or
    the filter holds text.

    `left` is called when the instructor leaves the filter (the focus goes back to the
    table).
    """

    def __init__(self, owner: DOMNode, attribute: str, left: Callable[[], None]) -> None:
        super().__init__(id="filter")
        self.display = False
        self._owner, self._attribute = owner, attribute
        self._input = FilterInput(partial(setattr, owner, attribute), left)

    def compose(self) -> ComposeResult:
        yield Label("Filter", id="filter-label")
        yield self._input
        yield Label(id="filter-count")

    def on_mount(self) -> None:
        self.watch(self._owner, self._attribute, self._show)

    def _show(self, text: str) -> None:
        if self._input.value != text:
            self._input.value = text
        if not self._input.has_focus:  # emptied as it is typed in, it stays open
            self.display = bool(text)

    def count(self, shown: int, total: int) -> None:
        """How many students match, of all (the line covers the title that says so)."""
        self.query_one("#filter-count", Label).update(f"{shown:,} of {total:,}")

    @property
    def value(self) -> str:
        return self._input.value

    def open(self) -> None:
        self.display = True
        self.screen.set_focus(self._input)  # now, and the keys shown with it (one frame)
        self.screen.refresh_bindings()

    def close(self) -> None:
        """The instructor left the filter: shown only if it holds text."""
        self.display = bool(self._input.value)
