"""A read-only snapshot of the whole store, with standings and fees computed once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from .catalog import DEFAULT_FEES, MODULES
from .fees import FeeLine, student_fees, total
from .models import Attempt, FeeSchedule, Module, Student
from .standing import Standing, standing


@dataclass(frozen=True)
class Roster:
    """Students (in ID order), their attempts, and the fee schedules (oldest first)."""

    students: tuple[Student, ...] = ()
    attempts: tuple[Attempt, ...] = ()
    fee_history: tuple[FeeSchedule, ...] = (DEFAULT_FEES,)
    modules: tuple[Module, ...] = MODULES

    @property
    def fees(self) -> FeeSchedule:
        """The fee schedule in force now."""
        return self.fee_history[-1]

    @cached_property
    def by_id(self) -> dict[str, Student]:
        return {s.student_id: s for s in self.students}

    @cached_property
    def attempts_by_student(self) -> dict[str, tuple[Attempt, ...]]:
        grouped: dict[str, list[Attempt]] = defaultdict(list)
        for attempt in self.attempts:
            grouped[attempt.student_id].append(attempt)
        return {sid: tuple(items) for sid, items in grouped.items()}

    @cached_property
    def standings(self) -> dict[str, Standing]:
        return {
            s.student_id: standing(s, self.attempts_of(s.student_id), self.modules)
            for s in self.students
        }

    @cached_property
    def fee_lines(self) -> dict[str, FeeLine]:
        return {
            s.student_id: student_fees(s, self.attempts_of(s.student_id)) for s in self.students
        }

    def attempts_of(self, student_id: str) -> tuple[Attempt, ...]:
        return self.attempts_by_student.get(student_id, ())

    def visible(self, *, show_dropped: bool = False, text: str = "") -> list[Student]:
        """Students a screen shows: dropped ones only on request, filtered on name, ID, section."""
        needle = text.casefold().strip()
        return [
            s
            for s in self.students
            if (show_dropped or not s.dropped) and (not needle or needle in _haystack(s))
        ]


def _haystack(student: Student) -> str:
    fields = (student.student_id, student.first_name, student.last_name, student.section)
    return " ".join(fields).casefold()


@dataclass(frozen=True, slots=True)
class ModuleSummary:
    """How a group of students is doing in one module."""

    module: Module
    students: int
    attempted: int
    passed: int
    attempts: int

    @property
    def pass_rate(self) -> float:
        """Passed among those who attempted, 0..1."""
        return self.passed / self.attempted if self.attempted else 0.0


def module_summaries(roster: Roster, students: Iterable[Student]) -> list[ModuleSummary]:
    """Per module: how many attempted, passed, and sat it in all."""
    standings = [roster.standings[s.student_id] for s in students]
    summaries = []
    for m in roster.modules:
        per = [st.modules[m.key] for st in standings]
        summaries.append(
            ModuleSummary(
                module=m,
                students=len(per),
                attempted=sum(1 for ms in per if ms.attempted),
                passed=sum(1 for ms in per if ms.passed),
                attempts=sum(len(ms.attempts) for ms in per),
            )
        )
    return summaries


def fee_totals(roster: Roster, students: Iterable[Student]) -> tuple[dict[str, FeeLine], FeeLine]:
    """Subtotals per section (sorted) and the total, for the given students."""
    sections: dict[str, FeeLine] = {}
    for s in students:
        sections[s.section] = sections.get(s.section, FeeLine()) + roster.fee_lines[s.student_id]
    ordered = dict(sorted(sections.items()))
    return ordered, total(ordered.values())
