"""The progress grid: students down, the five modules across; record results in a few keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from ..core import labels
from ..core.models import Attempt, Module, RetakePolicy, Student
from ..core.retakes import eligibility, is_ready, latest_practice
from ..core.standing import ModuleStanding
from ..core.text import plain
from ..messages import Saved
from ..widgets.key_bar import KeyBar
from ..widgets.marks import result_style
from ..widgets.module_summary import ModuleSummaryBar
from ..widgets.virtual_table import Column, VirtualTable
from .base import CptScreen
from .detail import StudentDetailScreen
from .record import Recorded, RecordScreen
from .roster import in_roster_order

ID_WIDTH = (2, 8)
"""The ID column fits the roster's longest ID within these bounds (a longer one is cut)."""
NAMES_WIDTH = 16
"""The ID and the name share these cells so the five modules fit in 80 columns; a long
name is cut (the roster has it whole), first as `Last, F` when that fits."""
NAME_MIN = 8
CELL_WIDTH = 11
"""`✗ 71.1 ×2$●`: one status, then attempts, the supplement and readiness marks."""
LEGEND = "✓ pass ✗ best % ↻ retake from · none ×2 tries $ supplement ● ready ○ practised"
"""What the marks mean, in one line of 80 columns (every state has its symbol: no colour
is needed)."""
WAIT, READY, PRACTISED = "↻", "●", "○"


class AttemptRecorded(Saved[Attempt]):
    """An attempt (or practice test) of `student` at `module` recorded; `result` is it."""

    def __init__(self, student: Student, module: Module, practice: bool) -> None:
        super().__init__()
        self.student, self.module, self.practice = student, module, practice

    def notice(self) -> str:
        what = "practice test of " if self.practice else ""
        # An assessment registers a student not yet registered with MSSC (a fee).
        registers = "" if self.practice or self.student.registered else "; registered with MSSC"
        score = labels.score(self.result, self.module)
        return f"Recorded {what}{self.student.full_name}, {self.module.short}: {score}{registers}"


class SupplementToggled(Saved[Student]):
    """The study supplement of `module` bought or removed; `result` is the student."""

    def __init__(self, module: Module) -> None:
        super().__init__()
        self.module = module

    def notice(self) -> str:
        bought = self.module.key in self.result.supplements
        return (
            f"{self.module.short} supplement {'bought' if bought else 'removed'} "
            f"for {self.result.full_name}"
        )


def grid_cell(
    ms: ModuleStanding, style: str, today: date, policies: Sequence[RetakePolicy]
) -> Text:
    """What one cell says: one status (passed or best percent, the day a failed module may
    be retaken while the student waits, or not taken), then attempts, the supplement and,
    for a module not passed, readiness from the latest practice test; style is extra."""
    text = labels.cell(ms)
    if not ms.passed and ms.attempts:
        when = eligibility(ms, today, policies)
        if not when.eligible and when.eligible_from is not None:
            text = f"{WAIT}{when.eligible_from:%m-%d}"
    flags = ""
    if len(ms.attempts) > 1:
        flags += f"×{len(ms.attempts)}"
    if ms.supplement:
        flags += "$"
    if not ms.passed and latest_practice(ms, today) is not None:
        flags += READY if is_ready(ms, today, policies) else PRACTISED
    return Text(f"{text} {flags}" if flags else text, style=style)


def short_name(student: Student, width: int) -> Text:
    """`Last, First` when it fits, else `Last, F` (the table cuts what is still longer). A
    dropped student's name is dim and marked `(dropped)` where that fits; where the mark
    would leave no room for the name, the name is struck through instead."""

    def fitted(name: str) -> str:
        if len(name) <= width or not student.first_name:
            return name
        return name[: len(name) - len(student.first_name)] + student.first_name[0]

    if not student.dropped:
        return plain(fitted(student.sort_name))
    marked = fitted(labels.listed_name(student))
    if len(marked) <= width:
        return plain(marked, style="dim")
    return plain(fitted(student.sort_name), style="dim strike")


class ProgressScreen(CptScreen):
    """Every visible student against every module, with a summary of pass rates."""

    BINDINGS = [
        Binding("r", "record", "Record"),
        Binding("p", "supplement", "Supplement"),
        Binding("enter", "detail", "Detail"),
        Binding("t", "test_day", "Test day"),
    ]
    """Keys of the progress grid (arrows or h j k l move)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.filter_bar()
        yield self.empty_hint()
        columns = self._student_columns()
        columns += [
            Column(m.short if m.required else f"{m.short} opt.", CELL_WIDTH)
            for m in self.roster.modules
        ]
        yield VirtualTable(columns, cell_cursor=True, fixed_columns=2, first_column=2, id="grid")
        yield Static(LEGEND, id="legend")
        yield ModuleSummaryBar(id="summary")
        yield KeyBar()

    def _student_columns(self) -> list[Column]:
        """ID, fitted to the roster's IDs, then the name in what is left of NAMES_WIDTH."""
        longest = max((len(s.student_id) for s in self.roster.students), default=0)
        id_width = min(max(longest, ID_WIDTH[0]), ID_WIDTH[1])
        return [
            Column("ID", id_width),
            Column("Student", max(NAMES_WIDTH - id_width, NAME_MIN)),
        ]

    @property
    def grid(self) -> VirtualTable:
        return self.query_one("#grid", VirtualTable)

    def main_widget(self) -> VirtualTable:
        return self.grid

    def _what_is_shown(self) -> tuple[object, ...]:
        return (*super()._what_is_shown(), self.cpt.roster_sort)

    def update_view(self) -> None:
        super().update_view()
        roster = self.roster
        students = in_roster_order(roster, self.visible_students(), self.cpt.roster_sort)
        columns = self._student_columns()
        if columns != self.grid.columns[:2]:  # the longest ID changed
            self.grid.columns = columns + self.grid.columns[2:]
        name_width = columns[1].width
        today, policies = self.cpt.store.today(), roster.retake_policies

        def cells(student_id: str) -> list[Text]:
            s, st = roster.by_id[student_id], roster.standings[student_id]
            dim = "dim" if s.dropped else ""
            return [plain(s.student_id, style=dim), short_name(s, name_width)] + [
                grid_cell(
                    ms,
                    result_style(self.app, ms.passed if ms.attempted else None),
                    today,
                    policies,
                )
                for ms in (st.modules[m.key] for m in roster.modules)
            ]

        self.grid.show([s.student_id for s in students], cells, keep=self.grid.cursor_key)
        summary = roster.class_summary(
            show_dropped=self.cpt.show_dropped, text=self.cpt.filter_text
        )
        self.query_one(ModuleSummaryBar).show(summary)

    # -- where the cursor is ----------------------------------------------------------------

    def current_student(self) -> Student | None:
        return self.roster.by_id.get(self.grid.cursor_key or "")

    def current_module(self) -> Module | None:
        column = self.grid.cursor_column
        modules = self.roster.modules
        return modules[column - 2] if 2 <= column < len(modules) + 2 else None

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

        def record(result: Recorded | None) -> None:
            if result is None:
                return
            correct, percent, taken_on, practice = result
            self.cpt.change(
                lambda: self.cpt.store.record_attempt(
                    student.student_id,
                    module.key,
                    taken_on,
                    correct=correct,
                    percent=percent,
                    practice=practice,
                ),
                AttemptRecorded(student, module, practice),
                asker=self,
            )

        roster = self.roster
        ms = roster.standings[student.student_id].modules[module.key]
        today = self.cpt.store.today()
        self.app.push_screen(
            RecordScreen(
                student,
                module,
                today,
                ms,
                roster.retake_policies,
                registration=None if student.registered else roster.fees.registration,
            ),
            record,
        )

    def action_supplement(self) -> None:
        target = self._target()
        if target is None:
            return
        student, module = target
        self.cpt.change(
            lambda: self.cpt.store.toggle_supplement(student.student_id, module.key),
            SupplementToggled(module),
            asker=self,
        )

    @on(VirtualTable.Selected, "#grid")
    def _cell_chosen(self) -> None:
        self.action_detail()

    def action_test_day(self) -> None:
        from .testday import TestDayScreen

        self.app.push_screen(TestDayScreen())

    def action_detail(self) -> None:
        student = self.current_student()
        if student is not None:
            self.app.push_screen(StudentDetailScreen(student.student_id))
