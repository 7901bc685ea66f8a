"""Test day: who may sit which module on a day, who is ready, and what it will cost."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .csvio import neutralise
from .fees import ZERO
from .models import Module, Student, one_decimal
from .retakes import assessments_until, eligibility, is_ready, latest_practice, passed_by
from .roster import Roster
from .standing import ModuleStanding


@dataclass(frozen=True, slots=True)
class Candidate:
    """One student and one module they have not passed yet, as of the day."""

    student: Student
    module: Module
    attempts: int
    """Assessments of the module on or before the day."""
    last_attempt_on: date | None
    eligible_from: date | None
    """The first day after the latest failure's wait; None when the module was never failed."""
    eligible: bool
    practice: Fraction | None
    """The latest practice score on or before the day."""
    ready: bool
    fee: Decimal
    """The assessment fee, plus the registration for a student not yet registered."""
    registration: Decimal
    """The registration part of `fee` (0 for a registered student)."""

    @property
    def sits(self) -> bool:
        """Eligible and ready: the student should sit the module that day."""
        return self.eligible and self.ready

    @property
    def practice_pct(self) -> str:
        return one_decimal(self.practice) if self.practice is not None else ""


@dataclass(frozen=True, slots=True)
class DayTotals:
    """The day's counts, and what the sittings of the eligible and ready students cost."""

    rows: int
    eligible: int
    ready: int
    sittings: int
    """Rows both eligible and ready."""
    students: int
    """Students with at least one sitting."""
    fees: Decimal
    """Assessment fees of the sittings, and each unregistered student's registration once."""


def wanted(ms: ModuleStanding, on: date) -> bool:
    """A module on the day's list: a core module not passed by then; Green (optional) only
    where the student attempted or practised it, or bought its supplement."""
    if passed_by(ms, on):
        return False
    if ms.module.required:
        return True
    return ms.supplement or bool(assessments_until(ms, on)) or latest_practice(ms, on) is not None


def _key(student: Student) -> tuple[str, str, str]:
    return (student.last_name.casefold(), student.first_name.casefold(), student.student_id)


def plan_day(roster: Roster, students: Iterable[Student], on: date) -> list[Candidate]:
    """Every student given and each module they may need on `on`, ordered by last name,
    first name, then the catalog's module order. Attempts after `on` are ignored."""
    history = roster.retake_policies
    schedule = roster.fees
    standings = roster.standings
    rows: list[Candidate] = []
    for student in sorted(students, key=_key):
        st = standings[student.student_id]
        registration = ZERO if student.registered else schedule.registration
        fee = schedule.assessment + registration
        for ms in st.modules.values():
            if not wanted(ms, on):
                continue
            when = eligibility(ms, on, history)
            practice = latest_practice(ms, on)
            rows.append(
                Candidate(
                    student=student,
                    module=ms.module,
                    attempts=len(assessments_until(ms, on)),
                    last_attempt_on=when.last_attempt_on,
                    eligible_from=when.eligible_from,
                    eligible=when.eligible,
                    practice=practice.score if practice is not None else None,
                    ready=is_ready(ms, on, history),
                    fee=fee,
                    registration=registration,
                )
            )
    return rows


def day_totals(rows: Iterable[Candidate]) -> DayTotals:
    """Counts, and the fees of the sittings: a student not yet registered pays the
    registration once, however many modules they sit."""
    count = eligible = ready = sittings = 0
    fees = ZERO
    charged: set[str] = set()
    for row in rows:
        count += 1
        eligible += row.eligible
        ready += row.ready
        if row.sits:
            sittings += 1
            fees += row.fee - row.registration
            if row.student.student_id not in charged:
                charged.add(row.student.student_id)
                fees += row.registration
    return DayTotals(count, eligible, ready, sittings, len(charged), fees)


DAY_CSV_HEADER = [
    "student_id",
    "last_name",
    "first_name",
    "section",
    "module",
    "attempts",
    "last_attempt_on",
    "eligible_from",
    "eligible",
    "practice_pct",
    "ready",
    "fee",
]


def day_csv_rows(rows: Iterable[Candidate]) -> Iterator[list[str]]:
    """The test day CSV: the header, then one row per student and module as listed."""
    yield DAY_CSV_HEADER
    for row in rows:
        s = row.student
        yield [
            *(neutralise(v) for v in (s.student_id, s.last_name, s.first_name, s.section)),
            row.module.key,
            str(row.attempts),
            row.last_attempt_on.isoformat() if row.last_attempt_on else "",
            row.eligible_from.isoformat() if row.eligible_from else "",
            "yes" if row.eligible else "no",
            row.practice_pct,
            "yes" if row.ready else "no",
            f"{row.fee:.2f}",
        ]
