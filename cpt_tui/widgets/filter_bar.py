"""The `/` filter: an input that narrows every screen to matching names, IDs and sections."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


class FilterInput(Input):
    """Filter as you type; `enter` keeps the filter, `escape` clears it."""

    BINDINGS = [
        Binding("enter", "keep", "Keep filter"),
        Binding("escape", "clear", "Clear filter"),
    ]
    """Keys while the filter has the focus."""

    def action_keep(self) -> None:
        self.post_message(FilterBar.Left())

    def action_clear(self) -> None:
        self.value = ""
        self.post_message(FilterBar.Left())


class FilterBar(Horizontal):
    """A labelled filter line, shown while it is in use or holds text."""

    class Typed(Message):
        """The filter text changed (typed, or cleared)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Left(Message):
        """The instructor left the filter: give the focus back to the table."""

    def __init__(self) -> None:
        super().__init__(id="filter")
        self.display = False

    def compose(self) -> ComposeResult:
        yield Label("Filter", id="filter-label")
        yield FilterInput(placeholder="name, ID or section; enter keeps, escape clears")

    @property
    def input(self) -> FilterInput:
        return self.query_one(FilterInput)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    def open(self) -> None:
        self.display = True
        self.input.focus()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(event.value))
