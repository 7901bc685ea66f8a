"""The reason a field was refused, shown beside it (and nothing when there is none)."""

from __future__ import annotations

from textual.widgets import Static

from ..core.text import plain


class FieldError(Static):
    """A one-line reason; hidden while empty."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__("", id=id, classes="error")
        self.display = False

    def show(self, reason: str) -> None:
        self.update(plain(reason))  # it may quote what was typed: never markup
        self.display = bool(reason)
