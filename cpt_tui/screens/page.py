"""A page over a screen (a student's detail, the verification queue), where the app's keys
work as everywhere else."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import ModalScreen

from .base import OfCptApp
from .dialogs import HelpScreen

PASSED_ON = ("1", "2", "3", "4", "slash", "v", "x", "i")
"""App keys that close a page and then do what they do on the screen below: `1`-`4` switch,
`/` filters, `v` shows dropped students, `x` exports and `i` imports (a page may bind one of
them to its own action instead, as the queue's `/` narrows the queue)."""


class PageScreen(OfCptApp[None], ModalScreen[None]):
    """A page's own keys, and the app's: `u` undoes, `?` lists the page's keys and the app's,
    `escape` or `q` close it, and the keys of PASSED_ON close it and are pressed again below.
    A dialog (a form, a question) takes only its own keys; a page is somewhere to work."""

    BINDINGS = [
        Binding("u", "undo", "Undo", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape,q", "close", "Close"),
        *(Binding(key, f"leave({key!r})", show=False) for key in PASSED_ON),
    ]

    def action_undo(self) -> None:
        self.cpt.action_undo()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self, self.cpt.BINDINGS))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_leave(self, key: str) -> None:
        """Close the page, then press `key` on the screen below, as if the page were not there."""
        self.dismiss(None)
        self.app.simulate_key(key)
