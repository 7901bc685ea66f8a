"""Dialogs: too small, edit, confirm and help. Each is a ModalScreen that returns its answer
(the CSV dialogs are in csv_dialogs.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..core.text import plain
from ..widgets.key_bar import KeyBar

if TYPE_CHECKING:
    pass

MIN_SIZE = (64, 20)
"""The smallest terminal every screen and dialog works in (80x24 is the common size)."""


class TooSmallScreen(ModalScreen[None]):
    """Shown while the terminal is smaller than the app can be used in."""

    def compose(self) -> ComposeResult:
        width, height = MIN_SIZE
        yield Static(
            f"This window is too small for cpt-tui.\nMake it at least {width}x{height} "
            "(80x24 is best); nothing is lost meanwhile.",
            id="too-small",
        )


Current = TypeVar("Current")
Answer = TypeVar("Answer")


class EditDialog(ModalScreen[Answer | None], Generic[Current, Answer]):
    """A dialog that edits what is in force (`current`): `enter` saves (the subclass's
    `action_save` dismisses with the answer), `escape` cancels (None)."""

    BINDINGS = [
        Binding("enter", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Keys of an editing dialog."""

    def __init__(self, current: Current) -> None:
        super().__init__()
        self.current = current

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: `y` or `enter` says yes, `n` or `escape` says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    """Keys of a confirmation."""

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "Keep") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        with Vertical(classes="dialog"):
            yield Static(plain(self.question), classes="question")
            yield Static(f"[b]y[/b]/enter {self.yes}    [b]n[/b]/escape {self.no}", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class HelpScreen(ModalScreen[None]):
    """Every key of the screen underneath, then the global ones."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]
    """Keys of the help."""

    def __init__(self, under: Screen[Any], global_bindings: Sequence[BindingType]) -> None:
        super().__init__()
        self.under = under
        self.global_bindings = global_bindings

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        here = [(f"{screen_name(self.under)} screen", "")]
        here += _keys(getattr(self.under, "BINDINGS", []))
        here += list(getattr(self.under, "MORE_KEYS", []))  # keys a widget of it handles
        here += [("", ""), ("In a dialog", ""), ("enter", "Save / yes"), ("escape", "Close / no")]
        here += [("tab", "Next field"), ("space", "Tick a box")]
        everywhere = [("Everywhere", "")] + _keys(self.global_bindings)
        everywhere += [("ctrl+p", "Palette: every action"), ("arrows h j k l", "Move")]
        table = Table.grid(padding=(0, 1))
        for style in ("bold", "", "bold", ""):
            table.add_column(style=style, no_wrap=True)
        for index in range(max(len(here), len(everywhere))):
            left = here[index] if index < len(here) else ("", "")
            right = everywhere[index] if index < len(everywhere) else ("", "")
            table.add_row(*left, *right)
        with Vertical(classes="dialog help"):
            yield Static(table)
            yield Static("escape or ? closes", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)


def screen_name(screen: Screen[Any]) -> str:
    """A screen's name as a person says it: `TestDayScreen` is "Test day"."""
    words = re.findall(r"[A-Z][a-z]*", type(screen).__name__.removesuffix("Screen"))
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else "This"


def _keys(bindings: Sequence[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding that has a description; its tooltip, where it
    has one, says it in full (the footer's word is cut short to fit 80 columns)."""
    return [
        (b.key_display or b.key.replace(",", " "), b.tooltip or b.description)
        for b in bindings
        if isinstance(b, Binding) and b.description
    ]
