"""The `/` filter: an input that narrows every screen to matching names, IDs and sections."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    """Filter as you type; `enter` keeps the filter, `escape` clears it."""

    BINDINGS = [
        Binding("enter", "keep", "Keep filter", show=True),
        Binding("escape", "clear", "Clear filter", show=True),
    ]
    """Keys while the filter has the focus."""

    class Typed(Message):
        """The filter text changed (typed, or cleared)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Left(Message):
        """The instructor left the filter: give the focus back to the table."""

    def __init__(self) -> None:
        super().__init__(placeholder="filter: name, ID or section", id="filter")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_class(bool(event.value), "-active")
        self.post_message(self.Typed(event.value))

    def action_keep(self) -> None:
        self.post_message(self.Left())

    def action_clear(self) -> None:
        self.value = ""
        self.post_message(self.Typed(""))
        self.post_message(self.Left())
