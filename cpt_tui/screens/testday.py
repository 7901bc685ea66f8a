"""Test day (`t` on Progress): who may sit which module on a day, who is ready, and the fees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input, Label, Static

from ..core import labels
from ..core.csvio import write_csv
from ..core.fees import dollars
from ..core.testday import Candidate, day_csv_rows, day_totals, plan_day
from ..core.text import plain, printable
from ..widgets.field_error import FieldError
from ..widgets.key_bar import KeyBar
from ..widgets.marks import result_style
from ..widgets.safe_input import SafeInput
from ..widgets.virtual_table import Column as TableColumn
from ..widgets.virtual_table import VirtualTable
from .base import SortedScreen
from .csv_dialogs import ExportScreen
from .dialogs import ConfirmScreen


@dataclass(frozen=True)
class Column:
    """A test day column: its title, width, what it shows and what it sorts on."""

    title: str
    width: int
    show: Callable[[Candidate], str]
    sort: Callable[[Candidate], Any]
    right: bool = False


def _eligible(row: Candidate) -> str:
    return "yes" if row.eligible else f"{row.eligible_from}"


COLUMNS = (
    Column(
        "Student",
        18,
        lambda r: labels.listed_name(r.student),
        lambda r: (r.student.last_name.casefold(), r.student.first_name.casefold()),
    ),
    Column("Module", 10, lambda r: r.module.short, lambda r: r.module.key),
    Column("Tries", 5, lambda r: str(r.attempts), lambda r: r.attempts, right=True),
    Column(
        "Eligible",
        10,
        _eligible,
        lambda r: (not r.eligible, r.eligible_from or date.min),
    ),
    Column(
        "Practice",
        8,
        lambda r: r.practice_pct or "-",
        lambda r: r.practice if r.practice is not None else -1,
        right=True,
    ),
    Column("Ready", 5, lambda r: "● yes" if r.ready else "no", lambda r: not r.ready),
    Column("Fee", 8, lambda r: dollars(r.fee), lambda r: r.fee, right=True),
)
"""Name, module, attempts so far, eligible (or from when), latest practice, ready, fee: 72
columns with their gaps, so the whole row fits in 80."""


def _key(row: Candidate) -> str:
    return f"{row.student.student_id}\x1f{row.module.key}"


class TestDayScreen(SortedScreen):
    """Every student shown and each module left to sit on the day: eligible or from when,
    ready, latest practice, fee; the totals of the eligible and ready sittings."""

    SORT_COLUMNS = len(COLUMNS)

    __test__ = False  # its name begins with Test: pytest is not to collect it

    BINDINGS = [
        Binding("d", "pick_day", "Date"),
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse", "Reverse", key_display="S"),
        Binding("x", "export_day", "Export CSV"),
        Binding("escape", "close", "Back"),
    ]
    """Keys of the test day (the filter, `v` and the screen keys work as elsewhere)."""

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day
        self.rows: list[Candidate] = []
        """The rows shown, in the CSV's order (name, then module)."""
        self._planned: tuple[object, list[Candidate]] = (None, [])

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.filter_bar()
        with Horizontal(classes="field", id="day-row"):
            yield Label("Test day", classes="label")
            yield SafeInput(id="day", classes="compact")
            yield Static("", id="day-note")
        yield FieldError(id="day-error")
        yield self.empty_hint()
        yield VirtualTable(self._columns(), fixed_columns=1, id="testday")
        yield Static("", id="day-totals")
        yield KeyBar()

    def on_mount(self) -> None:
        # CptScreen's own on_mount runs too (Textual calls each class's handler).
        if self.day is None:
            self.day = self.cpt.store.today()
        self.query_one("#day", Input).value = self.day.isoformat()
        self.query_one("#day-note", Static).update(plain("  YYYY-MM-DD; d edits, enter shows it"))

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#testday", VirtualTable)

    def main_widget(self) -> VirtualTable:
        return self.table

    def _what_is_shown(self) -> tuple[object, ...]:
        return (*super()._what_is_shown(), self.day, self.sort_column, self.sort_reverse)

    def _columns(self) -> list[TableColumn]:
        columns = []
        for index, col in enumerate(COLUMNS):
            arrow = self.sort_arrow(index)
            columns.append(TableColumn(col.title + arrow, col.width + len(arrow), col.right))
        return columns

    def update_view(self) -> None:
        super().update_view()
        day = self.day or self.cpt.store.today()
        roster = self.roster
        students = self.visible_students()
        # Planned once per roster, day and dropped rule; the filter, typed a key at a time,
        # only picks rows from it (10,000 students make some 40,000 rows).
        planned = (roster, day, self.cpt.show_dropped)
        if self._planned[0] != planned:
            everyone = roster.visible(show_dropped=self.cpt.show_dropped)
            self._planned = (planned, plan_day(roster, everyone, day))
        rows = self._planned[1]
        if self.cpt.filter_text.strip():
            shown = {s.student_id for s in students}
            rows = [r for r in rows if r.student.student_id in shown]
        self.rows = rows
        if self.sort_column or self.sort_reverse:
            column = COLUMNS[self.sort_column]
            rows = sorted(rows, key=column.sort, reverse=self.sort_reverse)
        by_key = {_key(r): r for r in rows}

        def cells(key: str) -> list[Text]:
            row = by_key[key]
            dim = "dim" if row.student.dropped else ""
            texts = [Text(col.show(row), style=dim) for col in COLUMNS]
            texts[3].stylize(result_style(self.app, True if row.eligible else False))
            texts[5].stylize(result_style(self.app, True) if row.ready else "")
            return texts

        table = self.table
        table.columns = self._columns()
        table.show(list(by_key), cells, keep=table.cursor_key)
        totals = day_totals(rows)
        self.query_one("#day-totals", Static).update(
            Text.assemble(
                (
                    f"Eligible and ready on {day}: {totals.sittings} sitting"
                    f"{'s' if totals.sittings != 1 else ''} "
                    f"({totals.students} student{'s' if totals.students != 1 else ''}), "
                    f"fees {dollars(totals.fees)}",
                    "bold",
                ),
                f"\nListed {totals.rows}: {totals.eligible} eligible, {totals.ready} ready "
                "(● latest practice ≥ pass mark + margin)",
            )
        )

    # -- the day ------------------------------------------------------------------------

    def action_pick_day(self) -> None:
        field = self.query_one("#day", Input)
        field.focus()
        field.select_all()

    @on(Input.Changed, "#day")
    def _day_typed(self, event: Input.Changed) -> None:
        error = self.query_one("#day-error", FieldError)
        try:
            day = date.fromisoformat(event.value.strip())
        except ValueError:
            error.show(f"{printable(event.value.strip()) or 'nothing'} is not a date: YYYY-MM-DD")
            return
        error.show("")
        if day != self.day:
            self.day = day
            self.update_view()

    @on(Input.Submitted, "#day")
    def _day_chosen(self) -> None:
        if not self.query_one("#day-error", FieldError).display:
            self.table.focus()

    # -- the CSV ------------------------------------------------------------------------

    def action_export_day(self) -> None:
        day = self.day or self.cpt.store.today()
        name = f"cpt-testday-{day.isoformat()}.csv"
        self.app.push_screen(ExportScreen(name, kinds=False), self._export)

    def _export(self, choice: tuple[Path, bool] | None, overwrite: bool = False) -> None:
        if choice is None:
            return
        path = choice[0]
        if path.exists() and not overwrite:
            self.app.push_screen(
                ConfirmScreen(f"{printable(path)} exists. Replace it?", yes="Replace"),
                lambda ok: self._export(choice, overwrite=True) if ok else None,
            )
            return
        text = write_csv(day_csv_rows(self.rows))
        count = len(self.rows)
        self.cpt.write_export(path, text, overwrite, f"{count} test day rows")

    def action_close(self) -> None:
        if self.query_one("#day", Input).has_focus:
            self.table.focus()
            return
        self.app.pop_screen()
