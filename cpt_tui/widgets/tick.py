"""A checkbox that reads without colour: `[x]` ticked, `[ ]` not."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class Tick(Checkbox):
    """Space toggles it; what it shows never depends on colour alone."""

    BUTTON_LEFT = "["
    BUTTON_INNER = "x"
    BUTTON_RIGHT = "]"
    """The box as Textual sizes it: three cells, as `[x]` and `[ ]` are."""

    def render(self) -> Content:
        """`[x]` or `[ ]` in the text's own colours, then the label as Checkbox styles it."""
        inner = self.BUTTON_INNER if self.value else " "
        box = Content(f"{self.BUTTON_LEFT}{inner}{self.BUTTON_RIGHT}")
        label = self.label.pad(1, 1).stylize_before(self.get_visual_style("toggle--label"))
        return Content.assemble(box, label)
