"""`cpt-tui testday`: who may sit which module on a day, who is ready, and the fees, printed.

Plain lines, not a Rich table: at 10,000 students the list has tens of thousands of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .core import labels
from .core.errors import CptError
from .core.fees import dollars
from .core.models import Student
from .core.roster import Roster
from .core.search import in_section
from .core.testday import Candidate, DayTotals, day_totals, plan_day
from .core.text import printable


class NoSuchSection(CptError):
    """`--section` names no section: the message lists those there are (exit 2)."""


def check_section(roster: Roster, section: str | None) -> str | None:
    """`--section` as the roster writes it (`p3` -> `P3`: every title and total then shows
    the stored name), or NoSuchSection listing the sections there are when it names none
    of them (dropped students' sections count; case is ignored). None: every section."""
    if section is None:
        return None
    stored = roster.section_named(section)
    if stored is not None:
        return stored
    there = sorted(
        {s.section for s in roster.students if s.section}, key=lambda s: (s.casefold(), s)
    )
    listed = ", ".join(there) if there else "none: no student has a section"
    raise NoSuchSection(f"no section {section!r}; the sections are: {listed}")


def day_students(
    roster: Roster, *, show_dropped: bool = False, section: str | None = None
) -> list[Student]:
    """The students a test day covers: active ones (dropped too on request), of one section
    if asked (compared ignoring case); NoSuchSection when no student has that section."""
    check_section(roster, section)
    return in_section(roster.visible(show_dropped=show_dropped), section)


def eligible_text(row: Candidate) -> str:
    """`yes`, or the first day the student may sit it while they wait after a failure."""
    return "yes" if row.eligible else str(row.eligible_from)


def totals_lines(totals: DayTotals) -> list[str]:
    """What the day will cost (the eligible and ready sittings and their fees), and the
    counts of the list."""
    return [
        f"Eligible and ready: {totals.sittings} sitting{'s' if totals.sittings != 1 else ''} "
        f"({totals.students} student{'s' if totals.students != 1 else ''}), "
        f"fees {dollars(totals.fees)}",
        f"Listed {totals.rows}: {totals.eligible} eligible, {totals.ready} ready",
    ]


_HEADER = (
    f"{'ID':<8} {'Name':<18} {'Section':<7} {'Module':<10} {'#':>2} {'Eligible':<10} "
    f"{'Prac.':>5} {'Rdy':<3} {'Fee':>7}"
)
_LEGEND = (
    "#: assessments so far. Eligible: yes, or the first day after a failure's wait.\n"
    "Prac.: the latest practice score. Rdy: it reaches the pass mark plus the margin."
)


def format_day(rows: Sequence[Candidate], on: date, section: str | None) -> list[str]:
    """The list as lines of at most 80 characters, then the totals. Names, IDs and
    sections are escaped (the CSV has every column: `--csv`)."""
    title = f"Test day {on}" + (f", section {printable(section)}" if section else "")
    lines = [title, _HEADER]
    for r in rows:
        s = r.student
        lines.append(
            f"{printable(s.student_id):<8.8} {printable(labels.listed_name(s)):<18.18} "
            f"{printable(s.section):<7.7} {r.module.short:<10} {r.attempts:>2} "
            f"{eligible_text(r):<10} {r.practice_pct or '-':>5} "
            f"{'yes' if r.ready else 'no':<3} {dollars(r.fee):>7}"
        )
    if not rows:
        lines.append("Nobody has a module left to sit.")
    lines.append(_LEGEND)
    lines += totals_lines(day_totals(rows))
    return lines


def day_rows(
    roster: Roster, on: date, *, show_dropped: bool = False, section: str | None = None
) -> list[Candidate]:
    return plan_day(roster, day_students(roster, show_dropped=show_dropped, section=section), on)
