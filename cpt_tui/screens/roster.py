"""The roster: one row per student; add, edit, delete, sort."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from ..core import labels
from ..core.fees import dollars
from ..core.models import Student, StudentForm
from ..core.roster import Roster
from ..core.text import plain
from ..messages import NotSaved, Saved
from ..store import InvalidFields, StaleEdit
from ..widgets.key_bar import KeyBar
from ..widgets.virtual_table import Column as TableColumn
from ..widgets.virtual_table import VirtualTable
from .base import SortedScreen
from .dialogs import ConfirmScreen
from .student_form import ALL_FIELDS, StudentFormScreen


@dataclass(frozen=True)
class Column:
    """A roster column: its title, what it shows, what it sorts on, and its width."""

    title: str
    show: Callable[[Roster, Student, date], str]
    sort: Callable[[Roster, Student], Any]
    right: bool = False
    width: int = 0
    """Cells; 0 for the ID, section and term, which fit the roster's own values."""


class StudentSaved(Saved[Student]):
    """A student added (`original` None) or edited from `form`; `result` is the student
    as stored. The roster selects them; the app says so."""

    def __init__(self, form: StudentForm, original: Student | None) -> None:
        super().__init__()
        self.form, self.original = form, original

    def notice(self) -> str:
        verb = "Added" if self.original is None else "Saved"
        return f"{verb} {self.result.full_name} ({self.result.student_id})"


class StudentDeleted(Saved[None]):
    """A student deleted with their attempts."""

    def __init__(self, student: Student) -> None:
        super().__init__()
        self.student = student

    def notice(self) -> str:
        return f"Deleted {self.student.full_name}; u undoes it"


MAX_TEXT_WIDTH = 18
"""Long names (and IDs, sections, terms) are cut here so the standing columns fit in 80
columns; the edit form has them whole."""


def _fees(roster: Roster, s: Student) -> Decimal:
    return roster.fee_lines[s.student_id].total


COLUMNS = (
    Column("ID", lambda r, s, d: s.student_id, lambda r, s: s.student_id),
    Column(
        "Name",
        lambda r, s, d: labels.listed_name(s),
        lambda r, s: s.sort_name.casefold(),
        width=MAX_TEXT_WIDTH,
    ),
    Column("Section", lambda r, s, d: s.section, lambda r, s: s.section.casefold()),
    Column(
        "Core",
        lambda r, s, d: labels.core(r.standings[s.student_id]),
        lambda r, s: r.standings[s.student_id].core_passed,
        width=4,
    ),
    Column(
        "CPT until",
        lambda r, s, d: labels.cpt(r.standings[s.student_id], d),
        lambda r, s: r.standings[s.student_id].cpt_expires_on or date.min,
        width=12,
    ),
    Column(
        "Green",
        lambda r, s, d: labels.optional(r.standings[s.student_id].modules["green"]),
        lambda r, s: labels.optional(r.standings[s.student_id].modules["green"]),
        width=9,
    ),
    Column("Fees", lambda r, s, d: dollars(_fees(r, s)), _fees, right=True, width=10),
    Column(
        "Reg.", lambda r, s, d: "yes" if s.registered else "no", lambda r, s: s.registered, width=4
    ),
    Column("Term", lambda r, s, d: s.term, lambda r, s: s.term.casefold()),
)
"""What an instructor scans first comes first; registration and term scroll in from the right."""


def in_roster_order(
    roster: Roster, students: list[Student], sort: tuple[int, bool]
) -> list[Student]:
    """The students in the order the roster shows them: by the column `s` chose (ID first,
    the store's own order), `S` reversed; ties by ID. Progress lists them the same way."""
    column, reverse = sort
    if column or reverse:  # the roster is in ID order already
        key = COLUMNS[column].sort
        students = sorted(students, key=lambda s: (key(roster, s), s.student_id))
        if reverse:
            students.reverse()
    return students


class RosterScreen(SortedScreen):
    """Every student: ID, name, section, term, registered, core passed, CPT, Green, fees."""

    SORT_COLUMNS = len(COLUMNS)

    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit", key_display="e"),
        Binding("d", "delete", "Delete"),
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse", "Reverse sort", key_display="S"),
        Binding("c", "verification_queue", "Credentials"),
    ]
    """Keys of the roster screen (and enter edits, as e does)."""

    EMPTY_HINT = "No students yet: a adds a student; i imports a CSV (students or attempts)."

    MORE_KEYS = [("enter", "Edit (as e)")]
    """Keys the table handles, listed in help: enter on a student opens the edit form."""

    @property
    def sort_column(self) -> int:
        """Kept by the app, so Progress lists students in the roster's order."""
        return self.cpt.roster_sort[0]

    @sort_column.setter
    def sort_column(self, column: int) -> None:
        self.cpt.roster_sort = (column, self.cpt.roster_sort[1])

    @property
    def sort_reverse(self) -> bool:
        return self.cpt.roster_sort[1]

    @sort_reverse.setter
    def sort_reverse(self, reverse: bool) -> None:
        self.cpt.roster_sort = (self.cpt.roster_sort[0], reverse)

    def __init__(self) -> None:
        super().__init__()
        self._fitted: tuple[Roster, dict[str, int]] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.filter_bar()
        yield self.empty_hint()
        yield VirtualTable(self._columns(), fixed_columns=2, id="roster")
        yield KeyBar()

    def _columns(self) -> list[TableColumn]:
        """Titles with the sort arrow; widths fit the roster's longest ID, section and term."""
        fit = self._fit()
        columns = []
        for index, col in enumerate(COLUMNS):
            title = col.title + self.sort_arrow(index)
            width = min(max(fit.get(col.title, col.width), len(title)), MAX_TEXT_WIDTH)
            columns.append(TableColumn(title, width, col.right))
        return columns

    def _fit(self) -> dict[str, int]:
        roster = self.roster
        if self._fitted is None or self._fitted[0] is not roster:  # once per roster, not per key
            students = roster.students
            fit = {
                "ID": max((len(s.student_id) for s in students), default=2),
                "Section": max((len(s.section) for s in students), default=0),
                "Term": max((len(s.term) for s in students), default=0),
            }
            self._fitted = (roster, fit)
        return self._fitted[1]

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#roster", VirtualTable)

    def main_widget(self) -> VirtualTable:
        return self.table

    def current_student(self) -> Student | None:
        return self.roster.by_id.get(self.table.cursor_key or "")

    def update_view(self, select: str | None = None) -> None:
        super().update_view()
        table = self.table
        selected = select or table.cursor_key
        roster, today = self.roster, self.cpt.store.today()
        students = in_roster_order(roster, self.visible_students(), self.cpt.roster_sort)

        def cells(student_id: str) -> list[Text]:
            s = roster.by_id[student_id]
            style = "dim" if s.dropped else ""
            return [plain(col.show(roster, s, today), style=style) for col in COLUMNS]

        table.columns = self._columns()
        table.show([s.student_id for s in students], cells, keep=selected)

    # -- actions ------------------------------------------------------------------------

    def action_add(self) -> None:
        self.app.push_screen(StudentFormScreen(self.roster, None), self._save(None))

    def action_edit(self) -> None:
        student = self.current_student()
        if student is None:
            self.notify("No student selected", severity="warning")
            return
        self.app.push_screen(StudentFormScreen(self.roster, student), self._save(student))

    @on(VirtualTable.Selected, "#roster")
    def _row_chosen(self) -> None:
        self.action_edit()

    def _save(self, original: Student | None) -> Callable[[StudentForm | None], None]:
        def save(form: StudentForm | None) -> None:
            if form is not None:
                self.cpt.change(
                    lambda: self.cpt.store.save_student(form, original),
                    StudentSaved(form, original),
                    asker=self,
                )

        return save

    @on(StudentSaved)
    def _saved(self, message: StudentSaved) -> None:
        """Select the student saved (the roster is already the new one); the app says so."""
        self.update_view(select=message.result.student_id)

    @on(NotSaved)
    def _refused(self, message: NotSaved) -> None:
        """A form the store refused opens again with what was typed: refused field by field
        (an ID another instructor took meanwhile), with each reason beside its field; as out
        of date, beside the newer values (saving it then replaces them). Any other refusal
        (the student deleted meanwhile) the app shows."""
        asked, error = message.asked, message.error
        if not isinstance(asked, StudentSaved):
            return
        if isinstance(error, InvalidFields) and error.reasons.keys() & dict(ALL_FIELDS).keys():
            message.stop()
            typed = StudentFormScreen(
                self.roster, asked.original, typed=asked.form, refused=error.reasons
            )
            self.app.push_screen(typed, self._save(asked.original))
            return
        if not isinstance(error, StaleEdit):
            return
        message.stop()
        newer = error.current
        self.notify(
            f"{newer.full_name} was changed by someone else while you edited: now "
            f"{newer.student_id}, section {newer.section or '-'}, {newer.status}. "
            "What you typed is still in the form.",
            title="Not saved",
            severity="error",
            timeout=6,
            markup=False,
        )
        again = StudentFormScreen(self.roster, newer, typed=asked.form, opened=asked.original)
        self.app.push_screen(again, self._save(newer))

    def action_verification_queue(self) -> None:
        from .queue import VerificationQueueScreen

        self.app.push_screen(VerificationQueueScreen())

    def action_delete(self) -> None:
        student = self.current_student()
        if student is None:
            return
        records = self.roster.attempts_of(student.student_id)
        practice = sum(a.practice for a in records)
        attempts = len(records) - practice
        extra = f" and {practice} practice test{'s' * (practice != 1)}" if practice else ""
        question = (
            f"Delete {student.full_name} ({student.student_id}) and their {attempts} attempt"
            f"{'s' * (attempts != 1)}{extra}? A student who left the course can be marked "
            "dropped in the edit form instead."
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.cpt.change(
                    lambda: self.cpt.store.delete_student(student.student_id),
                    StudentDeleted(student),
                    asker=self,
                )

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), confirmed)
