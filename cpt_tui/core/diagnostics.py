"""Key work activity diagnostics: what the class, and each student, should work on again.

MSSC reports after every assessment, pass or fail, the percent a candidate answered
correctly in each key work activity of the module. An attempt keeps that report as a map
(activity number -> percent); activities are numbered from 1 in the catalog's order.
A student's result in a module is their latest assessment in it that has diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from .models import Attempt, Module, Student, one_decimal
from .parse import whole_number
from .standing import ModuleStanding, Standing

if TYPE_CHECKING:
    from .roster import Roster

NO_RESULT = -1
"""In a report row: the report has no figure for this activity."""

ReportRow = tuple[tuple[int, ...], bool]
"""A latest report as a row of percents in activity order (NO_RESULT where the report has
none), and whether it has every activity: rows add up column by column, in C."""

WEAKEST_SHOWN = 3
"""How many of a student's weakest activities the detail lists per module."""


@dataclass(frozen=True, slots=True)
class ActivityAverage:
    """One activity's class average over the students with a result in it."""

    number: int
    name: str
    average: Fraction | None
    """The exact mean percent; None when no student has a result in this activity."""
    students: int

    @property
    def shown(self) -> str:
        """`64.3%` (one decimal) or `-` without results."""
        return "-" if self.average is None else f"{one_decimal(self.average)}%"


@dataclass(frozen=True, slots=True)
class ModuleDiagnostics:
    """A module's activities for a group of students, weakest first (ties by number), then
    those nobody has a result in, in catalog order."""

    module: Module
    activities: tuple[ActivityAverage, ...]
    students: int
    """Students with a result in this module (a diagnosed assessment)."""


@dataclass(frozen=True, slots=True)
class ActivityResult:
    """One activity's percent in one student's report."""

    number: int
    name: str
    percent: int


@dataclass(frozen=True, slots=True)
class StudentModuleDiagnostics:
    """A student's latest diagnosed assessment in one module, its activities weakest first."""

    module: Module
    attempt: Attempt
    activities: tuple[ActivityResult, ...]

    def weakest(self, limit: int = WEAKEST_SHOWN) -> tuple[ActivityResult, ...]:
        return self.activities[:limit]


def is_assessment(attempt: Attempt) -> bool:
    """Diagnostics come with assessments (a practice test has no MSSC report)."""
    return attempt.kind == "assessment"


def latest_diagnosed(ms: ModuleStanding) -> Attempt | None:
    """The student's latest assessment in the module that has diagnostics, if any
    (the standing keeps attempts in the order they were taken)."""
    for attempt in reversed(ms.attempts):
        if attempt.diagnostics and is_assessment(attempt):
            return attempt
    return None


def latest_reports(st: Standing) -> dict[str, ReportRow]:
    """Module key -> the student's latest report in it as a row (see `ReportRow`); only
    modules with one. The roster keeps this per student (`Roster.reports`)."""
    found: dict[str, ReportRow] = {}
    for key, ms in st.modules.items():
        if not ms.attempts:
            continue
        latest = latest_diagnosed(ms)
        if latest is None:
            continue
        report = latest.diagnostics
        # An activity number past the module's (an older edition) is left out.
        row = tuple(report.get(n, NO_RESULT) for n in range(1, len(ms.module.activities) + 1))
        found[key] = (row, NO_RESULT not in row)
    return found


@dataclass(frozen=True, slots=True)
class GatheredReports:
    """Some students' latest reports, per module key: the rows with every activity and the
    rest (see `ReportRow`). Gathered in one pass over the students; each module's figures
    are then added up from its rows alone."""

    full: dict[str, list[tuple[int, ...]]]
    partial: dict[str, list[tuple[int, ...]]]


def gather_reports(
    roster: Roster, students: Iterable[Student], keys: Iterable[str] | None = None
) -> GatheredReports:
    """One pass over the students: each one's latest report per module (only `keys`)."""
    wanted = list(keys) if keys is not None else [m.key for m in roster.modules]
    full: dict[str, list[tuple[int, ...]]] = {key: [] for key in wanted}
    partial: dict[str, list[tuple[int, ...]]] = {key: [] for key in wanted}
    reports = roster.reports
    for student in students:
        for key, (row, complete) in reports[student.student_id].items():
            rows = (full if complete else partial).get(key)
            if rows is not None:
                rows.append(row)
    return GatheredReports(full, partial)


def summarised(module: Module, gathered: GatheredReports) -> ModuleDiagnostics:
    """The module's figures from the gathered rows: sums column by column (in C for the
    rows with every activity), each activity's average, weakest first, ties by number."""
    count = len(module.activities)
    full = gathered.full.get(module.key, [])
    partial = gathered.partial.get(module.key, [])
    sums = [sum(column) for column in zip(*full, strict=True)] if full else [0] * count
    counts = [len(full)] * count
    for row in partial:
        for index, percent in enumerate(row):
            if percent != NO_RESULT:
                sums[index] += percent
                counts[index] += 1
    names = module.activities
    measured = [
        ActivityAverage(i + 1, names[i], Fraction(sums[i], counts[i]), counts[i])
        for i in range(count)
        if counts[i]
    ]
    measured.sort(key=_weakest_first)
    missing = [ActivityAverage(i + 1, names[i], None, 0) for i in range(count) if not counts[i]]
    return ModuleDiagnostics(module, tuple(measured + missing), len(full) + len(partial))


def module_diagnostics(
    roster: Roster, students: Iterable[Student], module: Module
) -> ModuleDiagnostics:
    """Each activity's class average over these students' latest results in the module,
    with how many students it averages, weakest first; ties by activity number.

    Each student's latest report is worked out once per roster and kept (`Roster.reports`);
    here they are only gathered and added up.
    """
    return summarised(module, gather_reports(roster, students, [module.key]))


def _weakest_first(item: ActivityAverage) -> tuple[Fraction, int]:
    assert item.average is not None
    return item.average, item.number


def class_diagnostics(roster: Roster, students: Iterable[Student]) -> list[ModuleDiagnostics]:
    """`module_diagnostics` for every module of the catalog, in its order (one pass)."""
    gathered = gather_reports(roster, students)
    return [summarised(m, gathered) for m in roster.modules]


def student_diagnostics(st: Standing) -> list[StudentModuleDiagnostics]:
    """Per module with a diagnosed assessment (catalog order): that latest report's
    activities, weakest first, ties by activity number."""
    found: list[StudentModuleDiagnostics] = []
    for ms in st.modules.values():
        latest = latest_diagnosed(ms)
        if latest is None:
            continue
        names = ms.module.activities
        results = sorted(
            (
                ActivityResult(n, names[n - 1], pct)
                for n, pct in latest.diagnostics.items()
                if n <= len(names)
            ),
            key=lambda r: (r.percent, r.number),
        )
        if results:
            found.append(StudentModuleDiagnostics(ms.module, latest, tuple(results)))
    return found


def checked_report(module: Module, report: Mapping[int, int]) -> dict[int, int]:
    """A report for this module, sorted by activity number; ValueError names what is wrong
    (an activity the module does not have, a percent outside 0-100)."""
    count = len(module.activities)
    for number, percent in report.items():
        if not 1 <= number <= count:
            raise ValueError(f"{module.short} has activities 1 to {count}, not {number}")
        if not 0 <= percent <= 100:
            raise ValueError(f"activity {number}: a percent is 0 to 100, not {percent}")
    return dict(sorted(report.items()))


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold().replace("&", "and") if ch.isalnum())


def find_activity(module: Module, text: str) -> int | None:
    """An activity of the module by its number (`3`) or its text (any case, spacing or
    punctuation); None when the module has no such activity."""
    text = text.strip()
    if text.isdigit():
        number = whole_number(text)
        return number if number is not None and 1 <= number <= len(module.activities) else None
    folded = _fold(text)
    if not folded:
        return None
    for number, name in enumerate(module.activities, start=1):
        if _fold(name) == folded:
            return number
    return None


def parse_percent(text: str) -> int:
    """`72`, `72%` or `72.0` -> 72; ValueError says why (not a whole number, out of range)."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        raise ValueError("no percent: enter 0 to 100")
    whole, dot, tenths = cleaned.partition(".")
    digits = whole.isascii() and whole.isdigit()
    if not digits or (dot and tenths.strip("0")) or (dot and not tenths.isdigit()):
        if cleaned.startswith("-") and cleaned[1:].replace(".", "", 1).isdigit():
            raise ValueError(f"percent {text.strip()!r} is out of range: 0 to 100")
        raise ValueError(f"percent {text.strip()!r} is not a whole number from 0 to 100")
    value = whole_number(whole)
    if value is None or value > 100:
        raise ValueError(f"percent {text.strip()!r} is out of range: 0 to 100")
    return value


ELLIPSIS = "…"


def shortened(text: str, width: int) -> str:
    """`text` in at most `width` characters: whole, or cut after a word and marked `…`
    (never mid-word without the mark: a single word too long for the width is cut and marked)."""
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    room = text[: width - 1]
    cut = room.rstrip()
    if text[width - 1] not in " ," and not text[width - 1].isspace():
        # The cut falls inside a word: go back to the end of the word before it.
        space = room.rfind(" ")
        if space > 0:
            cut = room[:space]
    return cut.rstrip(" ,:;-") + ELLIPSIS
