"""The progress grid: students down, the five modules across; record results in a few keys."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Header, Static

from ..core import labels
from ..core.models import Module, Student
from ..core.roster import module_summaries
from ..core.standing import ModuleStanding
from ..widgets.filter_bar import FilterBar
from ..widgets.marks import result_style
from ..widgets.module_summary import ModuleSummaryBar
from .base import CptScreen
from .detail import StudentDetailScreen
from .record import RecordScreen

NAME_WIDTH = 15
"""Long names are cut here so the five modules fit in 80 columns (the roster has them whole)."""
LEGEND = "✓ passed  ✗ not yet (best %)  · not taken  ×2 attempts  $ supplement"


def grid_cell(ms: ModuleStanding, style: str) -> Text:
    """What one cell says: result and best percent, attempts, supplement; style is extra."""
    text = labels.cell(ms)
    if len(ms.attempts) > 1:
        text += f" ×{len(ms.attempts)}"
    if ms.supplement:
        text += " $"
    return Text(text, style=style)


class ProgressScreen(CptScreen):
    """Every visible student against every module, with a summary of pass rates."""

    BINDINGS = [
        Binding("r", "record", "Record"),
        Binding("p", "supplement", "Supplement"),
        Binding("enter", "detail", "Detail", priority=False),
        Binding("h", "move(0, -1)", "Left", show=False),
        Binding("j", "move(1, 0)", "Down", show=False),
        Binding("k", "move(-1, 0)", "Up", show=False),
        Binding("l", "move(0, 1)", "Right", show=False),
    ]
    """Keys of the progress grid."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar()
        grid: DataTable[Text] = DataTable(id="grid", cursor_type="cell")
        grid.fixed_columns = 1
        yield grid
        yield Static(LEGEND, id="legend")
        yield ModuleSummaryBar(id="summary")
        yield Footer()

    @property
    def grid(self) -> DataTable[Text]:
        return self.query_one("#grid", DataTable)

    def main_widget(self) -> DataTable[Text]:
        return self.grid

    def on_mount(self) -> None:
        grid = self.grid
        grid.add_column("Student", key="student", width=NAME_WIDTH)
        for m in self.roster.modules:
            title = m.short if m.required else f"{m.short} opt."
            grid.add_column(Text(title, style="" if m.required else "italic"), key=m.key)
        super().on_mount()
        grid.move_cursor(row=0, column=1)

    def update_view(self) -> None:
        grid, roster = self.grid, self.roster
        row, column = grid.cursor_coordinate
        current = self.current_student()
        students = self.visible_students()
        grid.clear()
        for s in students:
            st = roster.standings[s.student_id]
            name = Text(labels.listed_name(s), style="dim" if s.dropped else "")
            cells = [
                grid_cell(ms, result_style(self.app, ms.passed if ms.attempted else None))
                for ms in (st.modules[m.key] for m in roster.modules)
            ]
            grid.add_row(name, *cells, key=s.student_id)
        if current and current.student_id in {s.student_id for s in students}:
            row = grid.get_row_index(current.student_id)
        grid.move_cursor(row=min(row, max(grid.row_count - 1, 0)), column=max(column, 1))
        certified = sum(1 for s in students if roster.standings[s.student_id].cpt_certified_on)
        one_away = sum(
            1
            for s in students
            if roster.standings[s.student_id].core_total
            - roster.standings[s.student_id].core_passed
            == 1
        )
        self.query_one(ModuleSummaryBar).show(
            module_summaries(roster, students), certified, one_away
        )

    # -- where the cursor is ----------------------------------------------------------------

    def current_student(self) -> Student | None:
        grid = self.grid
        if not grid.row_count:
            return None
        key = grid.coordinate_to_cell_key(Coordinate(grid.cursor_row, 0)).row_key.value
        return self.roster.by_id.get(key or "")

    def current_module(self) -> Module | None:
        column = self.grid.cursor_column
        modules = self.roster.modules
        return modules[column - 1] if 1 <= column <= len(modules) else None

    @on(DataTable.CellHighlighted, "#grid")
    def _keep_off_the_names(self) -> None:
        # Read the cursor now, not the event's: a redraw may have moved it since.
        if self.grid.cursor_column == 0:
            self.grid.move_cursor(column=1)

    def action_move(self, rows: int, columns: int) -> None:
        grid = self.grid
        grid.move_cursor(row=grid.cursor_row + rows, column=max(1, grid.cursor_column + columns))

    # -- actions -----------------------------------------------------------------------------

    def _target(self) -> tuple[Student, Module] | None:
        student, module = self.current_student(), self.current_module()
        if student is None or module is None:
            self.notify("Move to a student's module cell first", severity="warning")
            return None
        return student, module

    def action_record(self) -> None:
        target = self._target()
        if target is None:
            return
        student, module = target

        def record(result: tuple[int | None, Decimal | None, date] | None) -> None:
            if result is None:
                return
            correct, percent, taken_on = result
            self.cpt.change(
                lambda: self.cpt.store.record_attempt(
                    student.student_id, module.key, taken_on, correct=correct, percent=percent
                ),
                lambda attempt: self.notify(
                    f"Recorded {student.full_name}, {module.short}: {labels.score(attempt)}"
                ),
            )

        self.app.push_screen(RecordScreen(student, module, self.cpt.store.today()), record)

    def action_supplement(self) -> None:
        target = self._target()
        if target is None:
            return
        student, module = target
        self.cpt.change(
            lambda: self.cpt.store.toggle_supplement(student.student_id, module.key),
            lambda s: self.notify(
                f"{module.short} supplement "
                f"{'bought' if module.key in s.supplements else 'removed'} for {s.full_name}"
            ),
        )

    @on(DataTable.CellSelected, "#grid")
    def _cell_chosen(self) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        student = self.current_student()
        if student is not None:
            self.app.push_screen(StudentDetailScreen(student.student_id))
