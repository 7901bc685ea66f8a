"""Record an attempt: the score first (`64` or `77.1%`), then the date; checked as you type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..core.models import Module, Student, one_decimal
from ..core.parse import parse_date, parse_score
from ..core.standing import passes
from ..core.text import plain
from ..widgets.field_error import FieldError
from ..widgets.safe_input import SafeInput

Recorded = tuple[int | None, Decimal | None, date]
"""(correct, percent, taken on): exactly one of correct and percent is set."""


class RecordScreen(ModalScreen[Recorded | None]):
    """One attempt for one student in one module."""

    BINDINGS = [
        Binding("enter", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Keys of the record dialog (tab moves to the date)."""

    def __init__(self, student: Student, module: Module, today: date) -> None:
        super().__init__()
        self.student, self.module, self.today = student, module, today

    def compose(self) -> ComposeResult:
        m = self.module
        with Vertical(classes="dialog"):
            yield Label(plain(f"Record {m.name}: {self.student.full_name}"), classes="title")
            yield Static(f"{m.questions} questions, pass mark {m.pass_mark}%", id="module-facts")
            with Horizontal(classes="field"):
                yield Label("Score", classes="label")
                yield SafeInput(
                    placeholder="correct (64) or percent (77.1%)", id="score", classes="compact"
                )
            yield FieldError(id="verdict")
            yield FieldError(id="score-error")
            with Horizontal(classes="field"):
                yield Label("Date", classes="label")
                yield SafeInput(self.today.isoformat(), id="date", classes="compact")
            yield FieldError(id="date-error")
            yield Static("enter saves    escape cancels    tab to the date", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#score", Input).focus()

    @on(Input.Changed, "#score")
    def _score_typed(self, event: Input.Changed) -> None:
        verdict = self.query_one("#verdict", FieldError)
        try:
            correct, percent = parse_score(event.value, self.module)
        except ValueError:
            verdict.show("")
            return
        exact = (
            Fraction(correct * 100, self.module.questions)
            if correct is not None
            else Fraction(percent or 0)
        )
        result = "PASSES" if passes(self.module, exact) else "does not pass"
        shown = f"{correct}/{self.module.questions} = " if correct is not None else ""
        verdict.show(f"{shown}{one_decimal(exact)}%: {result} (needs {self.module.pass_mark}%)")

    def action_save(self) -> None:
        score_error = self.query_one("#score-error", FieldError)
        date_error = self.query_one("#date-error", FieldError)
        correct = percent = taken_on = None
        try:
            correct, percent = parse_score(self.query_one("#score", Input).value, self.module)
            score_error.show("")
        except ValueError as exc:
            score_error.show(str(exc))
        try:
            taken_on = parse_date(self.query_one("#date", Input).value, self.today)
            date_error.show("")
        except ValueError as exc:
            date_error.show(str(exc))
        if taken_on is None or (correct is None and percent is None):
            return
        self.dismiss((correct, percent, taken_on))

    def action_cancel(self) -> None:
        self.dismiss(None)
