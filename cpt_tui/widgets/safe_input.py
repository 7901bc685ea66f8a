"""An input field that never sends what it holds to the terminal raw."""

from __future__ import annotations

from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual.widgets import Input

from ..core.text import stood_in


class StandIns(Highlighter):
    """Draws each control, format or bidi character of a field's value as a stand-in.

    A value from outside (a stored name holding U+202E, a pasted path holding ESC) is kept
    as it is; only its drawing changes, one character for one, so the cursor stays true.
    """

    def highlight(self, text: Text) -> None:
        shown = stood_in(text.plain)
        if shown != text.plain:
            text.plain = shown


STAND_INS = StandIns()


class SafeInput(Input):
    """`Input` whose value is drawn through `StandIns` (every field of cpt-tui)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("highlighter", STAND_INS)
        super().__init__(*args, **kwargs)
