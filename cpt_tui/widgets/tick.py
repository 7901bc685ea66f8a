"""A checkbox that reads without colour: `[x]` ticked, `[ ]` not."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class Tick(Checkbox):
    """Space toggles it; what it shows never depends on colour alone."""

    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"

    @property
    def _button(self) -> Content:
        return Content("[x]" if self.value else "[ ]")
