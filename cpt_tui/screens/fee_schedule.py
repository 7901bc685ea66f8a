"""Edit the fee schedule: amounts that apply from now on, never to what is recorded."""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from ..core.models import FeeSchedule
from ..core.parse import parse_money
from ..widgets.field_error import FieldError
from ..widgets.key_bar import KeyBar
from ..widgets.safe_input import SafeInput
from .dialogs import EditDialog

FIELDS = (
    ("registration", "Registration"),
    ("assessment", "Assessment"),
    ("supplement", "Supplement"),
    ("recertification", "CPT renewal"),
)
Fees = tuple[Decimal, Decimal, Decimal, Decimal]
"""Registration, assessment, supplement and recertification, in that order."""


class FeeScheduleScreen(EditDialog[FeeSchedule, Fees]):
    """`enter` saves the fees; each attempt, supplement and renewal keeps the fee it was
    charged."""

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        with Vertical(classes="dialog"):
            yield Label("Fee schedule (US dollars)", classes="title")
            for name, label in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(label, classes="label")
                    yield SafeInput(
                        f"{getattr(self.current, name):.2f}", id=name, classes="compact"
                    )
                yield FieldError(id=f"{name}-error")
            yield Static(
                "A new schedule applies from now on: recorded attempts, supplements and "
                "renewals keep the fee they were charged.",
                classes="hint",
            )
            yield Static("enter saves    escape cancels    tab next field", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#registration", Input).focus()

    def action_save(self) -> None:
        amounts: list[Decimal] = []
        for name, _ in FIELDS:
            error = self.query_one(f"#{name}-error", FieldError)
            try:
                amounts.append(parse_money(self.query_one(f"#{name}", Input).value))
                error.show("")
            except ValueError as exc:
                error.show(str(exc))
        if len(amounts) == len(FIELDS):
            self.dismiss((amounts[0], amounts[1], amounts[2], amounts[3]))
