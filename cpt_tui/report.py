"""`cpt-tui report`: class standing, module pass rates and fee totals, printed.

The class standing is one line per student. It is laid out here, not by a Rich `Table`:
Rich measures, wraps and renders every cell of every row as segments (47 s for 50,000
students); here each row is one string, joined and written at once. The lines are
byte for byte those Rich draws (the same box, padding and alignment) whenever its table
would fit the terminal; in a narrower one they are not wrapped, so every student stays one
line (for `grep`, `sort`, a pager). The two small tables (modules, fees) are Rich's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .core import labels
from .core.class_figures import class_summary, fee_totals
from .core.fees import amounts, dollars
from .core.models import Student
from .core.roster import Roster
from .core.search import in_section
from .core.text import plain, printable

STANDING_COLUMNS = ("ID", "Name", "Section", "Core", "CPT", "Green", "Fees")
"""The class standing's columns; only the fees are aligned right."""
RIGHT = frozenset({"Fees"})
NAME = STANDING_COLUMNS.index("Name")
NAME_MIN = 12
"""A name cut to fit the terminal keeps at least this many columns."""


class ReportConsole(Console):
    """Rich's console, but output cut short by a closed pipe (`report | head`) is left to
    the command line, which ends quietly with exit 0 (Rich itself would exit 1)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def print_report(
    roster: Roster,
    today: date,
    *,
    show_dropped: bool = False,
    section: str | None = None,
    summary_only: bool = False,
    console: Console | None = None,
) -> None:
    """Print the same standings and totals the screens show for these students; with
    `summary_only` the per-student lines are left out (modules, fees and counts only)."""
    console = console or ReportConsole()
    in_scope = in_section(roster.students, section)  # dropped students too
    students = [s for s in in_scope if show_dropped or not s.dropped]
    title = f"CPT class standing, {today}" + (f", section {section}" if section else "")

    if not summary_only:
        rows = standing_rows(roster, students, today)
        # In a terminal, long names are shortened so that each line fits its width (the
        # terminal would wrap it); a pipe or a file gets every name whole.
        fit = console.width if console.is_terminal else None
        _write(console, standing_lines(title, rows, fit))

    modules = Table(title="Modules", title_justify="left")
    for name in ("Module", "Pass mark", "Attempted", "Passed", "Pass rate", "Attempts"):
        modules.add_column(name, justify="left" if name == "Module" else "right")
    summary = class_summary(roster, students)
    for m in summary.modules:
        modules.add_row(
            m.module.short + ("" if m.module.required else " (optional)"),
            f"{m.module.pass_mark}%",
            str(m.attempted),
            str(m.passed),
            f"{m.pass_rate:.0%}" if m.attempted else "-",
            str(m.attempts),
        )
    console.print(modules)

    # Charges are charges: a dropped student's fees were paid, so every total has them.
    sections, class_total = fee_totals(roster, in_scope)
    dropped = sum(s.dropped for s in in_scope)
    everyone = f"{len(in_scope)} students" + (f", {dropped} dropped" if dropped else "")
    fees = Table(title=f"Fees (all {everyone}: in every total)", title_justify="left")
    fees.add_column("Section", no_wrap=True)
    renewals = bool(class_total.recertification)  # a column only where a renewal is charged
    titles = ["Registration", "Assessments", "Supplements", "Total"]
    for name in titles[:3] + ["Renewals"] * renewals + titles[3:]:
        fees.add_column(name, justify="right", no_wrap=True)
    if section is None:
        for name, line in sections.items():
            fees.add_row(plain(name or "(none)"), *amounts(line, renewals))
        fees.add_section()
    label = plain("Class" if section is None else section)
    fees.add_row(label, *amounts(class_total, renewals), style="bold")
    if len(students) != len(in_scope):
        _, listed = fee_totals(roster, students)
        fees.add_row(f"{len(students)} shown", *amounts(listed, renewals))
    console.print(fees)
    console.print(
        plain(f"{len(students)} students, {summary.certified} with the full CPT."),
        highlight=False,
    )


def standing_rows(
    roster: Roster, students: Iterable[Student], today: date
) -> list[tuple[str, ...]]:
    """One row of cells per student, in STANDING_COLUMNS' order; text from outside (ID, name,
    section) made printable."""
    standings, fee_lines = roster.standings, roster.fee_lines
    rows: list[tuple[str, ...]] = []
    for s in students:
        st = standings[s.student_id]
        green = st.modules.get("green")
        rows.append(
            (
                printable(s.student_id),
                printable(labels.listed_name(s)),
                printable(s.section),
                f"{st.core_passed}/{st.core_total}",
                labels.cpt(st, today),
                labels.optional(green) if green is not None else "",
                dollars(fee_lines[s.student_id].total),
            )
        )
    return rows


def standing_lines(
    title: str, rows: Sequence[tuple[str, ...]], fit: int | None = None
) -> list[str]:
    """The class standing as lines: a title, a header in a heavy box, a line per row in a
    light one (Rich's `box.HEAVY_HEAD` with one space of padding), each column as wide as
    its widest cell; with `fit`, the names are cut with … (never below NAME_MIN) so that
    every line is at most `fit` columns."""
    widths = [cell_len(name) for name in STANDING_COLUMNS]
    for row in rows:
        for i, cell in enumerate(row):
            width = cell_len(cell) if not cell.isascii() else len(cell)
            if width > widths[i]:
                widths[i] = width
    over = sum(widths) + 3 * len(widths) + 1 - fit if fit is not None else 0
    if over > 0 and widths[NAME] > NAME_MIN:
        widths[NAME] = max(widths[NAME] - over, NAME_MIN)
        rows = [_name_cut(row, widths[NAME]) for row in rows]
    right = [name in RIGHT for name in STANDING_COLUMNS]

    def line(cells: Sequence[str], edge: str, inner: str) -> str:
        padded = []
        for cell, width, to_right in zip(cells, widths, right, strict=True):
            gap = " " * (width - (len(cell) if cell.isascii() else cell_len(cell)))
            padded.append(f" {gap}{cell} " if to_right else f" {cell}{gap} ")
        return edge + inner.join(padded) + edge

    def rule(left: str, fill: str, cross: str, end: str) -> str:
        return left + cross.join(fill * (w + 2) for w in widths) + end

    table_width = sum(widths) + 3 * len(widths) + 1
    heading = printable(title)
    heading += " " * max(table_width - cell_len(heading), 0)
    return [
        heading,
        rule("┏", "━", "┳", "┓"),
        line(STANDING_COLUMNS, "┃", "┃"),
        rule("┡", "━", "╇", "┩"),
        *(line(row, "│", "│") for row in rows),
        rule("└", "─", "┴", "┘"),
    ]


def _name_cut(row: tuple[str, ...], width: int) -> tuple[str, ...]:
    """The row with its name cut to `width` columns, the last one an ellipsis."""
    name = row[NAME]
    if cell_len(name) <= width:
        return row
    return (*row[:NAME], set_cell_size(name, width - 1).rstrip() + "…", *row[NAME + 1 :])


def _write(console: Console, lines: list[str]) -> None:
    """The lines as they are (no wrapping); in a colour terminal the title in italics and
    the header bold, as Rich styles a table's."""
    if console.is_terminal and not console.no_color and console.color_system is not None:
        console.print(Text(lines[0], style="table.title"), crop=False, soft_wrap=True)
        console.print(lines[1], crop=False, soft_wrap=True, highlight=False, markup=False)
        header = Text(lines[2])
        header.stylize("table.header", 1, len(lines[2]) - 1)
        console.print(header, crop=False, soft_wrap=True)
        rest = lines[3:]
    else:
        rest = lines
    console.file.write("\n".join(rest) + "\n")
    console.file.flush()
