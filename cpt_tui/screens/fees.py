"""The fee calculator: what the class has cost, what the next cohort will cost, the schedule."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Header, Input, Label, Static

from ..core import labels
from ..core.class_figures import ClassCharges, class_charges
from ..core.fees import (
    CohortPlan,
    FeeLine,
    amounts,
    dollars,
    plan_cost,
    planned_modules,
    retake_rate,
    total,
)
from ..core.models import FeeSchedule, RetakePolicy
from ..core.parse import parse_percent, parse_whole
from ..core.text import plain
from ..messages import Saved
from ..widgets.field_error import FieldError
from ..widgets.key_bar import KeyBar
from ..widgets.safe_input import SafeInput
from ..widgets.tick import Tick
from ..widgets.virtual_table import Column, VirtualTable
from .base import CptScreen
from .retake_policy import PolicyValues, RetakePolicyScreen, policy_line

COLUMNS = [
    Column("ID", 7),
    Column("Name", 18),  # long names are cut so the figures fit in 80 columns
    Column("Section", 7),
    Column("Reg.", 6, right=True),
    Column("Assessments", 13, right=True),
    Column("Supplements", 11, right=True),
    Column("Total", 9, right=True),
]
WITH_RENEWALS = [
    Column("ID", 7),
    Column("Name", 12),
    Column("Section", 7),
    Column("Reg.", 6, right=True),
    Column("Assessments", 11, right=True),
    Column("Supplements", 11, right=True),
    Column("Renewals", 8, right=True),
    Column("Total", 9, right=True),
]
"""While a student shown has renewed a CPT: its fees in a column, the whole still 80 wide."""


SECTIONS_LISTED = 5
"""Section subtotals shown under the students; more are summed in one line (a store that
keeps every cohort has dozens of sections, which would leave no room for the students:
filter on a section to see its own)."""


def has_renewals(overall: FeeLine, charges: ClassCharges | None) -> bool:
    """Whether the tables show a Renewals column: a student shown, or any in the class,
    renewed a CPT (so the students' table and the totals under it have the same columns)."""
    return bool(overall.recertification or (charges and charges.fees.recertification))


def totals_table(
    sections: dict[str, FeeLine],
    overall: FeeLine,
    count: int,
    charges: ClassCharges | None = None,
) -> Table:
    """Subtotals per section and the total of the students shown; then, when some are not
    shown (dropped, filtered out), the class's charges, which always include them."""
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=True)
    table.add_column("Section", no_wrap=True, ratio=1)  # the room the figures leave
    renewals = has_renewals(overall, charges)
    titles = (  # with a renewals column "Reg.", as above the students: every title fits whole
        ["Reg.", "Assessments", "Supplements", "Renewals", "Total"]
        if renewals
        else ["Registration", "Assessments", "Supplements", "Total"]
    )
    # The figures and titles are never cut: the section names give way first (with "…").
    lines = [*sections.values(), overall] + ([charges.fees] if charges is not None else [])
    widest = max((len(cell) for line in lines for cell in amounts(line, renewals)), default=0)
    for title in titles:
        table.add_column(title, justify="right", no_wrap=True, min_width=max(widest, len(title)))
    names = list(sections)
    if len(names) > SECTIONS_LISTED:
        names, rest = names[: SECTIONS_LISTED - 1], names[SECTIONS_LISTED - 1 :]
    else:
        rest = []
    for name in names:
        table.add_row(plain(name) if name else "(none)", *amounts(sections[name], renewals))
    if rest:
        more = total(sections[name] for name in rest)
        others = f"{len(rest)} more: " + ", ".join(name or "(none)" for name in rest)
        table.add_row(plain(others), *amounts(more, renewals), style="dim")
    if charges is None or charges.students == count:
        label = charges.label if charges is not None else f"{count:,} shown"
        table.add_row(Text(label, style="bold"), *amounts(overall, renewals), style="bold")
        return table
    table.add_row(f"{count:,} shown", *amounts(overall, renewals))
    table.add_row(Text(charges.label, style="bold"), *amounts(charges.fees, renewals), style="bold")
    return table


EDITS_HINT = "  ·  {} edits"
"""The key that edits a line on the screen: left out of the notice after the edit."""


def schedule_line(schedule: FeeSchedule) -> str:
    return (
        f"Fees now: registration {dollars(schedule.registration)} once, assessment "
        f"{dollars(schedule.assessment)} each attempt, supplement {dollars(schedule.supplement)} "
        f"each, CPT renewal {dollars(schedule.recertification)} "
        f"(since {schedule.effective_from:%Y-%m-%d})  ·  f edits"
    )


class FeesSet(Saved[FeeSchedule]):
    """A new fee schedule in force from now on; `result` is it."""

    def notice(self) -> str:
        return "New fees from now on; recorded fees are unchanged. " + schedule_line(
            self.result
        ).removesuffix(EDITS_HINT.format("f"))


class RetakePolicySet(Saved[RetakePolicy]):
    """A new retake policy in force from now on; `result` is it."""

    def notice(self) -> str:
        return "New retake policy from now on; earlier waits are unchanged. " + policy_line(
            self.result
        ).removesuffix(EDITS_HINT.format("w"))


class FeesScreen(CptScreen):
    """Per student and per section costs, a cohort planner, and the editable fee schedule."""

    BINDINGS = [
        Binding("c", "show('class')", "Class costs"),
        Binding("n", "show('planner')", "Planner"),
        Binding("f", "edit_fees", "Fee schedule"),
        Binding("w", "edit_retakes", "Retake waits"),
        Binding("escape", "show('class')", "Back"),
    ]
    """Keys of the fees screen."""

    _planner_opened = False
    _totals: tuple[dict[str, FeeLine], FeeLine, int, ClassCharges] | None = None
    """The section totals shown, the total, and how many students."""
    _totals_rows = 0
    """Lines of the totals table: a section, or the line of all students, comes and goes
    (`v`, `/`), and the screen is laid out again only then."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.filter_bar()
        with ContentSwitcher(initial="class", id="fee-views"):
            with Vertical(id="class"):
                yield self.empty_hint()
                yield VirtualTable(COLUMNS, fixed_columns=2, id="fees")
                yield Static(id="totals")
            with Vertical(id="planner"):
                yield Label("Plan a cohort: what it will cost at today's fees", classes="title")
                for name, label in (("size", "Students"), ("retakes", "Retake rate %")):
                    with Horizontal(classes="field"):
                        yield Label(label, classes="label wide")
                        yield SafeInput(id=name, classes="compact")
                    yield FieldError(id=f"{name}-error")
                yield Tick("Green Production too (the optional fifth module)", id="green")
                yield Tick("Buy a course supplement for each module", True, id="supplements")
                with Horizontal(classes="field"):
                    yield Label("Core modules", classes="label wide")
                    yield SafeInput(id="core", classes="compact")
                    yield Static(f"of the {self._required()} the CPT requires", id="core-of")
                yield FieldError(id="core-error")
                yield Static(id="projection")
        yield Static(id="schedule")
        yield KeyBar()

    def _required(self) -> int:
        return sum(1 for m in self.roster.modules if m.required)

    def main_widget(self) -> VirtualTable | Input:
        if self.query_one(ContentSwitcher).current == "planner":
            return self.query_one("#size", Input)
        return self.table

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#fees", VirtualTable)

    def update_view(self) -> None:
        super().update_view()
        roster = self.roster
        students = self.visible_students()

        sections, overall = roster.fee_totals(
            show_dropped=self.cpt.show_dropped, text=self.cpt.filter_text
        )
        charges = class_charges(roster)
        renewals = has_renewals(overall, charges)

        def cells(student_id: str) -> list[str]:
            s, line = roster.by_id[student_id], roster.fee_lines[student_id]
            return [
                s.student_id,
                labels.listed_name(s),
                s.section,
                dollars(line.registration),
                f"{dollars(line.assessments)} ({line.attempts})",
                dollars(line.supplements),
                *([dollars(line.recertification)] if renewals else []),
                dollars(line.total),
            ]

        columns = WITH_RENEWALS if renewals else COLUMNS
        if self.table.columns != columns:
            self.table.columns = list(columns)
        self.table.show([s.student_id for s in students], cells, keep=self.table.cursor_key)
        shown = (sections, overall, len(students), charges)
        if shown != self._totals:  # a layout of the screen only when its lines change
            table = totals_table(*shown)
            layout = table.row_count != self._totals_rows
            self.query_one("#totals", Static).update(table, layout=layout)
            self._totals, self._totals_rows = shown, table.row_count
        self.query_one("#schedule", Static).update(
            schedule_line(roster.fees) + "\n" + policy_line(roster.retake_policy)
        )
        self.update_projection()

    # -- planner -----------------------------------------------------------------------------

    def reset_planner(self) -> None:
        """Start from the class's own figures: its size and its actual retake rate."""
        students = self.visible_students()
        ids = {s.student_id for s in students}
        attempts = [a for a in self.roster.attempts if a.student_id in ids]
        self.query_one("#size", Input).value = str(len(students))
        self.query_one("#retakes", Input).value = str(retake_rate(attempts))
        self.query_one("#core", Input).value = str(self._required())

    def read_plan(self) -> CohortPlan | None:
        """The plan typed, or None with each bad field's reason shown beside it."""
        size_error = self.query_one("#size-error", FieldError)
        rate_error = self.query_one("#retakes-error", FieldError)
        core_error = self.query_one("#core-error", FieldError)
        size = rate = modules = None
        try:
            size = parse_whole(self.query_one("#size", Input).value, "students", high=100_000)
            size_error.show("")
        except ValueError as exc:
            size_error.show(str(exc))
        try:
            rate = parse_percent(self.query_one("#retakes", Input).value, "the retake rate")
            rate_error.show("")
        except ValueError as exc:
            rate_error.show(str(exc))
        try:
            core = parse_whole(self.query_one("#core", Input).value, "core modules")
            green = self.query_one("#green", Tick).value
            modules = planned_modules(self.roster.modules, green, core)
            core_error.show("")
        except ValueError as exc:
            core_error.show(str(exc))
        if size is None or rate is None or modules is None:
            return None
        return CohortPlan(size, modules, self.query_one("#supplements", Tick).value, rate)

    @on(Input.Changed, "#planner Input")
    @on(Tick.Changed, "#planner Tick")
    def update_projection(self) -> None:
        plan = self.read_plan()
        out = self.query_one("#projection", Static)
        if plan is None:
            out.update(Text("Fix the figures above to see the cost.", style="bold"))
            return
        cost = plan_cost(plan, self.roster.fees)
        table = Table(box=None, padding=(0, 1), show_header=False)
        table.add_column()
        table.add_column(justify="right")
        table.add_column(style="dim")
        fees = self.roster.fees
        table.add_row(
            "Registration",
            dollars(cost.registration),
            f"{plan.students} × {dollars(fees.registration)}",
        )
        table.add_row(
            "Assessments",
            dollars(cost.assessments),
            f"({plan.first_attempts} first + {plan.retakes} retakes) × {dollars(fees.assessment)}",
        )
        supplements = plan.first_attempts if plan.supplements else 0
        table.add_row(
            "Supplements", dollars(cost.supplements), f"{supplements} × {dollars(fees.supplement)}"
        )
        table.add_row(Text("Total", style="bold"), Text(dollars(cost.total), style="bold"), "")
        out.update(table)

    # -- actions -------------------------------------------------------------------------------

    def action_show(self, view: str) -> None:
        if view == "planner" and not self._planner_opened:
            self._planner_opened = True
            self.reset_planner()  # the first time it is opened, not with the screen
        self.query_one(ContentSwitcher).current = view
        self.main_widget().focus()

    def action_edit_fees(self) -> None:
        from .fee_schedule import FeeScheduleScreen

        def save(amounts: tuple[Decimal, Decimal, Decimal, Decimal] | None) -> None:
            if amounts is not None:
                self.cpt.change(lambda: self.cpt.store.set_fees(*amounts), FeesSet(), asker=self)

        self.app.push_screen(FeeScheduleScreen(self.roster.fees), save)

    def action_edit_retakes(self) -> None:
        def save(values: PolicyValues | None) -> None:
            if values is not None:
                self.cpt.change(
                    lambda: self.cpt.store.set_retake_policy(*values),
                    RetakePolicySet(),
                    asker=self,
                )

        self.app.push_screen(RetakePolicyScreen(self.roster.retake_policy), save)
