"""Diagnostics in CSV: one row per activity result, `student_id,module,date,activity,percent`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from .catalog import find_module
from .csv_imports import ROSTER_ALIASES
from .csvio import (
    MatchedIds,
    Table,
    ignored_columns,
    missing_columns,
    neutralise,
    read_table,
    refused,
    row_student,
)
from .diagnostics import find_activity, is_assessment, parse_percent
from .models import Attempt
from .parse import parse_date
from .roster import Roster

DIAGNOSTICS_HEADER = ["student_id", "module", "date", "activity", "percent"]
DIAGNOSTICS_ALIASES = {
    "student_id": ROSTER_ALIASES["student_id"],
    "module": ["module"],
    "date": ["date", "takenon"],
    "activity": ["activity", "keyworkactivity", "kwa"],
    "percent": ["percent", "pct"],
}


def diagnostics_rows(roster: Roster) -> Iterator[list[str]]:
    """The long export: a header, then each diagnosed assessment's activities by number,
    students in ID order, then modules in catalog order, then the date taken."""
    yield DIAGNOSTICS_HEADER
    for student in roster.students:
        st = roster.standings[student.student_id]
        for ms in st.modules.values():
            for a in ms.attempts:
                if not a.diagnostics or not is_assessment(a):
                    continue
                sid, day = neutralise(a.student_id), a.taken_on.isoformat()
                for number, percent in sorted(a.diagnostics.items()):
                    yield [sid, a.module, day, str(number), str(percent)]


@dataclass
class DiagnosticsPlan:
    """What a diagnostics import would do: activity results new, updated (a different
    percent) or unchanged, and the assessments whose report changes."""

    kind: str = "diagnostics"
    changed: list[Attempt] = field(default_factory=list)
    """Each assessment whose report changes, with its new report."""
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    """(line, reason) for every refused row."""
    unknown_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """`line 4: s1001 is S1001 (Ava Martinez)`: IDs taken for a stored one written
    differently (case, spaces, leading zeros)."""
    early: tuple[()] = ()
    """As the attempts import's early retakes: always none (a report records no sitting)."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def early_lines(self) -> list[str]:
        return []

    def refusal(self) -> str:
        """Why nothing was imported and what the other rows would have done."""
        return refused(self, self.new, self.updated, "activity result")

    def summary(self) -> str:
        """`12 new, 0 updated, 0 unchanged, 0 rejected activity results (2 assessments)`."""
        text = (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.errors)} rejected activity results"
        )
        count = len(self.changed)
        text += f" ({count} assessment{'s' * (count != 1)} changed)"
        return text + ignored_columns(self.unknown_columns)

    def error_lines(self) -> list[str]:
        return [f"line {line}: {reason}" for line, reason in self.errors]


def is_diagnostics_file(data: bytes) -> bool:
    """Whether a CSV's header row has an activity column: a diagnostics file, not attempts."""
    first = data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    names = {"".join(ch for ch in cell.casefold() if ch.isalnum()) for cell in first.split(",")}
    return bool(names & set(DIAGNOSTICS_ALIASES["activity"]))


def plan_diagnostics_import(data: bytes, roster: Roster, today: date) -> DiagnosticsPlan:
    """Check every row against the store; nothing is written here.

    A row belongs to the student's assessment of that module on that date; its activity is
    the module's activity by number or text; its percent is a whole number 0 to 100. Each
    activity of an assessment may appear once. A result equal to the stored one is unchanged,
    so importing the export of the same store changes nothing.
    """
    table = read_table(data, DIAGNOSTICS_ALIASES, known=DIAGNOSTICS_HEADER)
    plan = DiagnosticsPlan(unknown_columns=table.unknown)
    missing = [c for c in DIAGNOSTICS_HEADER if c not in table.columns]
    if missing:
        plan.errors.append(missing_columns(missing))
        return plan
    reports: dict[str, dict[int, int]] = {}
    attempts: dict[str, Attempt] = {}
    seen: dict[tuple[str, int], int] = {}
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    matched = MatchedIds()
    for line, row in table.rows:
        try:
            attempt, number, percent = _row(table, row, roster, today)
        except ValueError as exc:
            plan.errors.append((line, str(exc)))
            continue
        matched.add(table.cell(row, "student_id") or "", attempt.student_id, line)
        key = (attempt.attempt_id, number)
        if key in seen:
            plan.errors.append(
                (line, f"activity {number} of this assessment is already on line {seen[key]}")
            )
            continue
        seen[key] = line
        report = reports.setdefault(attempt.attempt_id, dict(attempt.diagnostics))
        attempts[attempt.attempt_id] = attempt
        stored = attempt.diagnostics.get(number)
        counts["new" if stored is None else "unchanged" if stored == percent else "updated"] += 1
        report[number] = percent
    plan.new, plan.updated, plan.unchanged = counts["new"], counts["updated"], counts["unchanged"]
    plan.notes += matched.notes(roster)
    for attempt_id, report in reports.items():
        attempt = attempts[attempt_id]
        if report != attempt.diagnostics:
            plan.changed.append(
                attempt.model_copy(update={"diagnostics": dict(sorted(report.items()))})
            )
    return plan


def _row(table: Table, row: list[str], roster: Roster, today: date) -> tuple[Attempt, int, int]:
    cell = table.cell
    sid = row_student(roster, cell(row, "student_id") or "").student_id
    module_text = cell(row, "module") or ""
    module = find_module(module_text)
    if module is None or module.key not in {m.key for m in roster.modules}:
        raise ValueError(f"module {module_text!r} is not a CPT module")
    taken_on = parse_date(cell(row, "date") or "", today)
    candidates = [
        a
        for a in roster.attempts_of(sid)
        if a.module == module.key and a.taken_on == taken_on and is_assessment(a)
    ]
    if not candidates:
        raise ValueError(
            f"no such attempt: {sid} has no {module.short} assessment on {taken_on} "
            "(record or import the attempt first)"
        )
    if len(candidates) > 1:
        raise ValueError(
            f"{sid} has {len(candidates)} {module.short} assessments on {taken_on}: "
            "enter this report in the app, from the student's detail"
        )
    activity_text = cell(row, "activity") or ""
    number = find_activity(module, activity_text)
    if number is None:
        raise ValueError(
            f"unknown activity {activity_text!r}: {module.short} has activities 1 to "
            f"{len(module.activities)} (their number or their text)"
        )
    percent = parse_percent(cell(row, "percent") or "")
    return candidates[0], number, percent
