"""Record an attempt or a practice test: the score first (`64` or `77.1%`), then the date,
then whether it was a practice test; checked as you type. An assessment dated before the
student may retake the module asks to confirm."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from ..core.catalog import DEFAULT_RETAKE_POLICY
from ..core.fees import dollars
from ..core.labels import points
from ..core.models import Module, RetakePolicy, Student, exact_score, one_decimal
from ..core.parse import parse_date, parse_score
from ..core.retakes import (
    eligibility,
    is_ready,
    latest_practice,
    passed_by,
    policy_on,
    reaches_ready,
    ready_mark,
)
from ..core.standing import ModuleStanding, module_standing, passes
from ..core.text import plain
from ..widgets.field_error import FieldError
from ..widgets.key_bar import KeyBar
from ..widgets.safe_input import SafeInput
from ..widgets.tick import Tick

Recorded = tuple[int | None, Decimal | None, date, bool]
"""(correct, percent, taken on, practice): exactly one of correct and percent is set."""


class EarlyRetakeScreen(ModalScreen[bool]):
    """An assessment dated before the student may retake the module: only `y` records it
    (not `enter`, so a key typed ahead never answers a question it has not seen)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Record anyway"),
        Binding("n,escape", "answer(False)", "Back"),
    ]
    """Keys of the early-retake question."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        with Vertical(classes="dialog"):
            yield Static(plain(self.question), classes="question")
            yield Static(plain("y records it anyway    n/escape goes back"), classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class RecordScreen(ModalScreen[Recorded | None]):
    """One attempt for one student in one module."""

    BINDINGS = [
        Binding("enter", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Keys of the record dialog (tab moves to the date)."""

    def __init__(
        self,
        student: Student,
        module: Module,
        today: date,
        standing: ModuleStanding | None = None,
        policies: Sequence[RetakePolicy] = (),
        registration: Decimal | None = None,
    ) -> None:
        """`registration`: the fee a student not yet registered is charged with an assessment."""
        super().__init__()
        self.student, self.module, self.today = student, module, today
        self.standing = standing or module_standing(module, (), False)
        self.policies = tuple(policies) or (DEFAULT_RETAKE_POLICY,)
        self.registration = registration

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        m = self.module
        with Vertical(classes="dialog"):
            yield Label(plain(f"Record {m.name}: {self.student.full_name}"), classes="title")
            yield Static(f"{m.questions} questions, pass mark {m.pass_mark}%", id="module-facts")
            yield Static(plain(self.retake_line()), id="retake-facts")
            if self.registration is not None:
                yield Static(
                    f"Not registered yet: an assessment registers them "
                    f"({dollars(self.registration)})",
                    id="registers",
                )
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
            yield Tick("Practice test (never charged, never a pass)", False, id="practice")
            yield Static("enter saves    escape cancels    tab next field", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#score", Input).focus()

    @on(Input.Changed, "#score")
    @on(Input.Changed, "#date")
    @on(Checkbox.Changed, "#practice")
    def _typed(self) -> None:
        """Score, date or the practice tick changed: what it would mean, for that date."""
        self.query_one("#verdict", FieldError).show(self.verdict())
        on = self.typed_date()
        if on is not None:  # else the line stays for the last date typed, which it names
            self.query_one("#retake-facts", Static).update(plain(self.retake_line(on)))

    def typed_date(self) -> date | None:
        """The date typed, or None while it is not (yet) a date the dialog accepts."""
        try:
            return parse_date(self.query_one("#date", Input).value, self.today)
        except ValueError:
            return None

    def verdict(self) -> str:
        """The score typed against the pass mark; for a practice test (never a pass) against
        what makes the student ready on the date typed. Empty while it is not a score."""
        try:
            correct, percent = parse_score(self.query_one("#score", Input).value, self.module)
        except ValueError:
            return ""
        m, ms = self.module, self.standing
        exact = exact_score(correct, m.questions, percent)
        shown = f"{correct}/{m.questions} = " if correct is not None else ""
        figure = f"{shown}{one_decimal(exact)}%"
        if not self.query_one("#practice", Tick).value:
            result = "PASSES" if passes(m, exact) else "does not pass"
            return f"{figure}: {result} (needs {m.pass_mark}%)"
        on = self.typed_date() or self.today
        if passed_by(ms, on):
            return f"{figure}: practice only; {m.short} was passed on {ms.passed_on}"
        policy = policy_on(self.policies, on)
        ready = "ready" if reaches_ready(ms, exact, policy) else "not ready"
        mark = one_decimal(ready_mark(ms, policy))
        margin = points(policy.readiness_margin)
        return f"{figure}: practice, {ready} (needs {mark}%: pass mark {m.pass_mark}% + {margin})"

    def retake_line(self, on: date | None = None) -> str:
        """From when the module may be sat, and the latest practice score, as of `on` (the
        date typed; today by default): attempts after it are ignored."""
        ms, on = self.standing, on or self.today
        that_day = "now" if on == self.today else f"on {on}"
        if passed_by(ms, on):
            return f"Passed on {ms.passed_on}: no wait."
        when = eligibility(ms, on, self.policies)
        if when.eligible_from is None:
            line = f"May sit it {that_day}."
        elif when.eligible:
            line = f"May retake it {that_day}: the wait ended {when.eligible_from}."
        elif on == self.today:
            line = f"May retake it from {when.eligible_from} ({when.failures} failed)."
        else:
            line = f"Not on {on}: may retake it from {when.eligible_from} ({when.failures} failed)."
        practice = latest_practice(ms, on)
        if practice is None:
            return line + " No practice test."
        mark = one_decimal(ready_mark(ms, policy_on(self.policies, on)))
        ready = "ready" if is_ready(ms, on, self.policies) else f"not ready (needs {mark}%)"
        return f"{line} Practice {one_decimal(practice.score)}% on {practice.taken_on}: {ready}."

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
        result = (correct, percent, taken_on, self.query_one("#practice", Tick).value)
        when = eligibility(self.standing, taken_on, self.policies)
        if result[3] or when.eligible:
            self.dismiss(result)
            return
        question = (
            f"{self.student.full_name} may retake {self.module.short} from "
            f"{when.eligible_from} ({when.failures} failed, the last on "
            f"{when.last_attempt_on}). Record this attempt of {taken_on} anyway?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(result)

        self.app.push_screen(EarlyRetakeScreen(question), answered)

    def action_cancel(self) -> None:
        self.dismiss(None)
