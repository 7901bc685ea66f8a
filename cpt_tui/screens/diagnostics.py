"""What to teach again: each key work activity's class average, per module, weakest first."""

from __future__ import annotations

from fractions import Fraction

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from ..core.diagnostics import (
    ActivityAverage,
    GatheredReports,
    ModuleDiagnostics,
    gather_reports,
    shortened,
    summarised,
)
from ..core.labels import plural
from ..core.models import Module, Student
from ..widgets.key_bar import KeyBar
from ..widgets.marks import result_style
from ..widgets.module_summary import bar
from ..widgets.virtual_table import Column, VirtualTable
from .base import CptScreen

NAME_WIDTH = 34
"""Activity names longer than this are cut after a word and marked `…` (the line under the
table gives the one under the cursor in full)."""
BAR_WIDTH = 20
COLUMNS = [
    Column("No.", 3, right=True),
    Column("Activity", NAME_WIDTH),
    Column("", 1),
    Column("Class average", BAR_WIDTH),
    Column("%", 6, right=True),
    Column("Students", 8, right=True),
]
SUMMARY_WIDTH = 78
"""The summary line's room at 80 columns: a longer one names the module by its short name."""
WEAK = "!"
"""Marks an activity whose class average is below the module's pass mark."""


class ActivityTable(VirtualTable):
    """The activities of one module; left and right (h, l) go to the module before or after."""

    BINDINGS = [
        Binding("left", "screen.module(-1)", "Previous module", show=False),
        Binding("right", "screen.module(1)", "Next module", show=False),
        Binding("h", "screen.module(-1)", "Previous module", show=False),
        Binding("l", "screen.module(1)", "Next module", show=False),
    ]
    """Keys of the activity table (up and down move, as in every table)."""


class DiagnosticsScreen(CptScreen):
    """Per module, each key work activity's class average over the visible students'
    latest diagnosed assessments, as a bar with its figure and how many students: weakest
    first, so the instructor sees what to teach again."""

    BINDINGS = [
        Binding("left_square_bracket", "module(-1)", "Prev. module", key_display="["),
        Binding("right_square_bracket", "module(1)", "Next module", key_display="]"),
        Binding("left,h", "module(-1)", "Prev. module", key_display="← h", show=False),
        Binding("right,l", "module(1)", "Next module", key_display="→ l", show=False),
    ]
    """Keys of the Diagnostics screen (also ← → or h l: the module before or after)."""

    def __init__(self) -> None:
        super().__init__()
        self.module_index = 0
        self._students: list[Student] = []
        self._gathered = GatheredReports({}, {})
        """The shown students' latest reports, every module: gathered in one pass each time
        the roster, the filter or the dropped rule changes, not on a module switch."""
        self._worked_out: dict[str, ModuleDiagnostics] = {}
        """Module key -> its figures, added up from the gathered rows on first showing."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.filter_bar()
        yield Static(id="diag-modules")
        yield self.empty_hint()
        yield Static(id="diag-summary")
        yield ActivityTable(COLUMNS, id="activities")
        yield Static(id="diag-full")
        yield Static(id="diag-legend")
        yield KeyBar()

    @property
    def table(self) -> ActivityTable:
        return self.query_one("#activities", ActivityTable)

    def main_widget(self) -> ActivityTable:
        return self.table

    @property
    def module(self) -> Module:
        return self.roster.modules[self.module_index % len(self.roster.modules)]

    def update_view(self) -> None:
        super().update_view()
        self._students = self.visible_students()
        self._gathered = gather_reports(self.roster, self._students)
        self._worked_out = {}
        self._show_module(keep=self.table.cursor_key)

    def figures(self, module: Module) -> ModuleDiagnostics:
        """The module's figures for the students shown (worked out on first need)."""
        found = self._worked_out.get(module.key)
        if found is None:
            found = summarised(module, self._gathered)
            self._worked_out[module.key] = found
        return found

    def action_module(self, step: int) -> None:
        """Show the module before (-1) or after (1), round the catalog."""
        self.module_index = (self.module_index + step) % len(self.roster.modules)
        self._show_module()

    def _show_module(self, keep: str | None = None) -> None:
        """Draw the current module; the cursor stays on the activity `keep` (a new roster or
        filter), else goes to the weakest (another module)."""
        module = self.module
        found = self.figures(module)
        # Every line has a fixed height: an update redraws it without a layout pass.
        self.query_one("#diag-modules", Static).update(self._module_line(module), layout=False)
        self.query_one("#diag-summary", Static).update(self._summary(found), layout=False)
        activities = {f"{module.key}:{a.number}": a for a in found.activities}

        def cells(key: str) -> list[Text]:
            return self._row(module, activities[key])

        table = self.table
        if keep not in activities:
            table.move_cursor(row=0)
        table.show(list(activities), cells, keep=keep if keep in activities else None)
        self._show_full_name()
        legend = (
            f"Each student's latest report · weakest first · {WEAK} below the pass mark "
            f"({module.pass_mark}%)"
        )
        self.query_one("#diag-legend", Static).update(legend, layout=False)

    def _module_line(self, current: Module) -> Text:
        """Every module, the one shown in brackets (legible without colour) and bold."""
        line = Text()
        for m in self.roster.modules:
            name = m.short if m.required else f"{m.short} opt."
            if m is current:
                line.append(f"[{name}]", style="bold reverse")
            else:
                line.append(f" {name} ", style="dim")
            line.append(" ")
        return line

    def _summary(self, found: ModuleDiagnostics) -> Text:
        """One line: the module, and how many of the students shown have a report in it."""
        m, count = found.module, found.students
        shown = len(self._students)
        students = plural(shown, "student")
        tail = (
            f" · {count:,} of {students} with results"
            if count
            else f" · no diagnostic reports among the {students} shown"
        )
        name = m.name if len(m.name) + len(tail) <= SUMMARY_WIDTH else m.short
        return Text.assemble((name, "bold"), tail)

    def _row(self, module: Module, item: ActivityAverage) -> list[Text]:
        number = Text(str(item.number))
        name = Text(shortened(item.name, NAME_WIDTH))
        if item.average is None:
            return [number, name, Text(""), Text("no results", style="dim"), Text("-"), Text("0")]
        weak = item.average < Fraction(module.pass_mark)
        style = result_style(self.app, not weak)
        fraction = float(item.average) / 100
        return [
            number,
            name,
            Text(WEAK if weak else "", style="bold"),
            Text(bar(fraction, BAR_WIDTH), style=style),
            Text(item.shown.removesuffix("%"), style="bold" if weak else ""),
            Text(f"{item.students:,}"),
        ]

    @on(VirtualTable.Highlighted, "#activities")
    def _show_full_name(self) -> None:
        """The activity under the cursor, in full (long names are cut in the table); for a
        module without reports, how to enter them."""
        key = self.table.cursor_key
        text = Text()
        if not self.figures(self.module).students:
            text.append(
                "Enter a report from a student's detail (2, enter, a on the attempt) or import "
                "them: cpt-tui import --diagnostics FILE"
            )
        elif key is not None:
            number = int(key.rpartition(":")[2])
            text.append(f"{number}. ", style="bold")
            text.append(self.module.activities[number - 1])
        self.query_one("#diag-full", Static).update(text, layout=False)
