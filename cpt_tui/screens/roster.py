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
from textual.widgets import DataTable, Footer, Header

from ..core import labels
from ..core.fees import dollars
from ..core.models import Student, StudentForm
from ..core.roster import Roster
from ..widgets.filter_bar import FilterBar
from .base import CptScreen
from .dialogs import ConfirmScreen
from .student_form import StudentFormScreen


@dataclass(frozen=True)
class Column:
    """A roster column: its title, what it shows, and what it sorts on."""

    title: str
    show: Callable[[Roster, Student, date], str]
    sort: Callable[[Roster, Student], Any]
    right: bool = False


def _fees(roster: Roster, s: Student) -> Decimal:
    return roster.fee_lines[s.student_id].total


COLUMNS = (
    Column("ID", lambda r, s, d: s.student_id, lambda r, s: s.student_id),
    Column(
        "Name",
        lambda r, s, d: labels.listed_name(s),
        lambda r, s: s.sort_name.casefold(),
    ),
    Column("Section", lambda r, s, d: s.section, lambda r, s: s.section.casefold()),
    Column(
        "Core",
        lambda r, s, d: f"{r.standings[s.student_id].core_passed}/4",
        lambda r, s: r.standings[s.student_id].core_passed,
    ),
    Column(
        "CPT until",
        lambda r, s, d: labels.cpt(r.standings[s.student_id], d),
        lambda r, s: r.standings[s.student_id].cpt_expires_on or date.min,
    ),
    Column(
        "Green",
        lambda r, s, d: labels.optional(r.standings[s.student_id].modules["green"]),
        lambda r, s: labels.optional(r.standings[s.student_id].modules["green"]),
    ),
    Column("Fees", lambda r, s, d: dollars(_fees(r, s)), _fees, right=True),
    Column("Reg.", lambda r, s, d: "yes" if s.registered else "no", lambda r, s: s.registered),
    Column("Term", lambda r, s, d: s.term, lambda r, s: s.term.casefold()),
)
"""What an instructor scans first comes first; registration and term scroll in from the right."""

NAME_WIDTH = 18
"""Long names are cut here so the standing columns fit in 80 (the edit form has them whole)."""


class RosterScreen(CptScreen):
    """Every student: ID, name, section, term, registered, core passed, CPT, Green, fees."""

    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit", key_display="e"),
        Binding("d", "delete", "Delete"),
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse", "Reverse sort", key_display="S"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]
    """Keys of the roster screen."""

    def __init__(self) -> None:
        super().__init__()
        self.sort_column = 0
        self.sort_reverse = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar()
        table: DataTable[str | Text] = DataTable(id="roster", cursor_type="row", zebra_stripes=True)
        table.fixed_columns = 2
        yield table
        yield Footer()

    def on_mount(self) -> None:
        for col in COLUMNS:
            self.table.add_column(col.title, width=NAME_WIDTH if col.title == "Name" else None)
        super().on_mount()

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#roster", DataTable)

    def main_widget(self) -> DataTable[str | Text]:
        return self.table

    def current_student(self) -> Student | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.roster.by_id.get(key or "")

    def update_view(self, select: str | None = None) -> None:
        table = self.table
        current = self.current_student()
        selected = select or (current.student_id if current else None)
        roster, today = self.roster, self.cpt.store.today()
        column = COLUMNS[self.sort_column]
        students = sorted(
            self.visible_students(),
            key=lambda s: (column.sort(roster, s), s.student_id),
            reverse=self.sort_reverse,
        )
        table.clear()
        for index, (col, key) in enumerate(zip(COLUMNS, table.columns, strict=True)):
            arrow = (" ▼" if self.sort_reverse else " ▲") if index == self.sort_column else ""
            table.columns[key].label = Text(
                col.title + arrow, justify="right" if col.right else "left"
            )
        for s in students:
            style = "dim" if s.dropped else ""
            cells = [
                Text(
                    col.show(roster, s, today),
                    style=style,
                    justify="right" if col.right else "left",
                )
                for col in COLUMNS
            ]
            table.add_row(*cells, key=s.student_id)
        if selected and selected in {s.student_id for s in students}:
            table.move_cursor(row=table.get_row_index(selected))

    # -- actions ------------------------------------------------------------------------

    def action_cursor(self, direction: str) -> None:
        if direction == "down":
            self.table.action_cursor_down()
        else:
            self.table.action_cursor_up()

    def action_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.sort_reverse = False
        self.update_view()

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.update_view()

    def action_add(self) -> None:
        self.app.push_screen(StudentFormScreen(self.roster, None), self._save(None))

    def action_edit(self) -> None:
        student = self.current_student()
        if student is None:
            self.notify("No student selected", severity="warning")
            return
        self.app.push_screen(StudentFormScreen(self.roster, student), self._save(student))

    @on(DataTable.RowSelected, "#roster")
    def _row_chosen(self) -> None:
        self.action_edit()

    def _save(self, original: Student | None) -> Callable[[StudentForm | None], None]:
        def save(form: StudentForm | None) -> None:
            if form is None:
                return
            self.cpt.change(
                lambda: self.cpt.store.save_student(form, original),
                lambda student: self._saved(student, original),
            )

        return save

    def _saved(self, student: Student, original: Student | None) -> None:
        self.update_view(select=student.student_id)
        verb = "Added" if original is None else "Saved"
        self.notify(f"{verb} {student.full_name} ({student.student_id})")

    def action_delete(self) -> None:
        student = self.current_student()
        if student is None:
            return
        attempts = len(self.roster.attempts_of(student.student_id))
        question = (
            f"Delete {student.full_name} ({student.student_id}) and their {attempts} attempt"
            f"{'s' * (attempts != 1)}? A student who left the course can be marked dropped "
            "in the edit form instead."
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.cpt.change(
                    lambda: self.cpt.store.delete_student(student.student_id),
                    lambda _: self.notify(f"Deleted {student.full_name}; u undoes it"),
                )

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), confirmed)
