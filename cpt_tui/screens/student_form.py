"""The add/edit form: ID, first and last name first; checked field by field before saving."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..core.models import Student, StudentForm
from ..core.parse import explain
from ..core.roster import Roster
from ..core.text import plain
from ..widgets.field_error import FieldError
from ..widgets.key_bar import KeyBar
from ..widgets.safe_input import SafeInput
from ..widgets.tick import Tick
from .dialogs import ConfirmScreen

TEXT_FIELDS = (
    ("student_id", "Student ID"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("section", "Section"),
    ("term", "Term"),
)
REPORT_FIELDS = (("state_id", "State ID"), ("grad_year", "Grad. year"))
"""For the state's credential report; after the boxes, so the tab order above stays."""
ALL_FIELDS = TEXT_FIELDS + REPORT_FIELDS
FLAGS = (("registered", "Registered with MSSC"), ("dropped", "Dropped (left the course)"))


class StudentFormScreen(ModalScreen[StudentForm | None]):
    """Add a student (original None) or edit one; `enter` saves from any field."""

    BINDINGS = [
        Binding("enter", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Keys of the student form (tab moves between fields, space ticks a box)."""

    def __init__(
        self,
        roster: Roster,
        original: Student | None,
        *,
        typed: StudentForm | None = None,
        opened: Student | None = None,
        refused: Mapping[str, str] | None = None,
    ) -> None:
        """`typed` reopens a form the store refused, with what the instructor typed. Refused
        as out of date, `opened` is the record as it was when they opened it (`original` is
        the newer one stored since, which a save now replaces); refused field by field (an
        ID taken meanwhile by another instructor), `refused` is each field's reason."""
        super().__init__()
        self.roster = roster
        self.original = original
        self.typed = typed
        self.opened = opened
        self.refused = dict(refused or {})

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        if self.typed is not None:
            form = self._merged(self.typed)
        else:
            form = StudentForm.of(self.original) if self.original else StudentForm()
        title = f"Edit {self.original.full_name}" if self.original else "Add a student"
        with Vertical(classes="dialog form"):
            yield Label(plain(title), classes="title")
            if self.opened is not None and self.original is not None:
                yield Static(plain(self._newer_values()), id="stale", classes="error")
            yield from self._fields(form, TEXT_FIELDS)
            for name, label in FLAGS:
                yield Tick(label, bool(getattr(form, name)), id=name)
            yield from self._fields(form, REPORT_FIELDS)
            yield Static("enter saves    escape cancels    tab next field", classes="hint")

    def _merged(self, typed: StudentForm) -> StudentForm:
        """What was typed where the instructor changed a field; elsewhere the newer value,
        so saving does not quietly put back what someone else changed."""
        if self.original is None or self.opened is None:
            return typed
        now, before = StudentForm.of(self.original), StudentForm.of(self.opened)
        kept = {
            name: getattr(now, name)
            for name in StudentForm.model_fields
            if getattr(typed, name) == getattr(before, name)
        }
        return typed.model_copy(update=kept)

    def _newer_values(self) -> str:
        """Beside what was typed, what someone else stored meanwhile, field by field."""
        assert self.original is not None
        now = StudentForm.of(self.original)
        before = StudentForm.of(self.opened) if self.opened is not None else None
        labels = dict(ALL_FIELDS) | dict(FLAGS)
        changed = [
            f"{label} {_shown(getattr(now, name))}"
            for name, label in labels.items()
            if before is None or getattr(now, name) != getattr(before, name)
        ]
        newer = "; ".join(changed) or "their attempts or fees"
        return (
            f"Not saved: someone else changed this student while you edited. Now: {newer}. "
            "Below, what you typed with their values elsewhere: enter saves it, escape "
            "keeps theirs."
        )

    def _fields(self, form: StudentForm, fields: tuple[tuple[str, str], ...]) -> ComposeResult:
        for name, label in fields:
            with Horizontal(classes="field"):
                yield Label(label, classes="label")
                yield SafeInput(str(getattr(form, name)), id=name, classes="compact")
            yield FieldError(id=f"{name}-error")

    def on_mount(self) -> None:
        self.query_one("#student_id", Input).focus()
        if self.refused:
            self.show_problems(self.refused)

    def read_form(self) -> StudentForm:
        values: dict[str, str | bool] = {
            n: self.query_one(f"#{n}", Input).value for n, _ in ALL_FIELDS
        }
        values |= {n: self.query_one(f"#{n}", Tick).value for n, _ in FLAGS}
        return StudentForm.model_validate(values)

    def problems(self, form: StudentForm) -> dict[str, str]:
        """Field -> reason, checked the way the store will check it, plus a taken ID."""
        reasons: dict[str, str] = {}
        try:
            form.to_student(self.original, self.roster.fees)
        except ValidationError as exc:
            reasons = explain(exc)
        mine = self.original.student_id if self.original else None
        taken = self.roster.id_taken(form.student_id, mine)
        if taken is not None and "student_id" not in reasons:
            reasons["student_id"] = taken
        return reasons

    def action_save(self) -> None:
        form = self.read_form()
        if self.show_problems(self.problems(form)):
            return
        if self.original is not None and form.student_id != self.original.student_id:
            self._confirm_new_id(form)
            return
        self.dismiss(form)

    def show_problems(self, reasons: Mapping[str, str]) -> bool:
        """Each reason beside its field (the others cleared), the cursor in the first bad
        field; False when there is none."""
        for name, _ in ALL_FIELDS:
            self.query_one(f"#{name}-error", FieldError).show(reasons.get(name, ""))
            self.query_one(f"#{name}", Input).set_class(name in reasons, "-invalid")
        first = next((n for n, _ in ALL_FIELDS if n in reasons), None)
        if first is not None:
            self.query_one(f"#{first}", Input).focus()
        return first is not None

    def _confirm_new_id(self, form: StudentForm) -> None:
        """An ID is changed only when asked: the form opens in the ID field, so a stray key
        and `enter` would rename the student. `n` returns to the form as typed."""
        assert self.original is not None
        old, new = self.original.student_id, form.student_id
        question = (
            f"Change {self.original.full_name}'s student ID from {old} to {new}? "
            "Their attempts and fees move with them."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(form)
            else:
                self.query_one("#student_id", Input).focus()

        confirm = ConfirmScreen(question, yes="Change the ID", no="Back to the form")
        self.app.push_screen(confirm, answered)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _shown(value: str | bool) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value or "(empty)"
