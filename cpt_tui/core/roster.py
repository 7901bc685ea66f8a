"""A read-only snapshot of the whole store; standings and fees are worked out once, on demand."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, TypeVar

from .catalog import DEFAULT_FEES, DEFAULT_RETAKE_POLICY, MODULES
from .class_figures import ClassSummary, Tally, class_summary, fee_totals
from .diagnostics import ReportRow, latest_reports
from .fees import FeeLine, student_fees
from .ids import id_key
from .models import Attempt, FeeSchedule, Module, RetakePolicy, Student
from .search import fold, haystack, section_key
from .standing import Standing, standing

V = TypeVar("V")


class PerStudent(Mapping[str, V], Generic[V]):
    """Student ID -> a value computed the first time it is asked for, then kept in `known`.

    A change to one student recomputes that student only (see `Roster.evolve`).
    """

    def __init__(
        self, roster: Roster, compute: Callable[[Student], V], known: dict[str, V]
    ) -> None:
        self._roster, self._compute, self._known = roster, compute, known

    def __getitem__(self, student_id: str) -> V:
        value = self._known.get(student_id)
        if value is None:
            value = self._known[student_id] = self._compute(self._roster.by_id[student_id])
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._roster.by_id)

    def __len__(self) -> int:
        return len(self._roster.by_id)


@dataclass(slots=True)
class WorkedOut:
    """What a roster has worked out from its records, kept for as long as the roster lives
    (None, or empty: not yet). A roster's own memo, written only by it, and by `evolve` when
    it hands a new roster what still holds of the old one's."""

    by_id: dict[str, Student] | None = None
    attempts_by_id: dict[str, Attempt] | None = None
    attempts_by_student: dict[str, tuple[Attempt, ...]] | None = None
    by_key: dict[str, Student] | None = None
    active: tuple[Student, ...] | None = None
    haystacks: tuple[str, ...] | None = None
    standings: dict[str, Standing] = field(default_factory=dict)
    fee_lines: dict[str, FeeLine] = field(default_factory=dict)
    reports: dict[str, dict[str, ReportRow]] = field(default_factory=dict)
    tallies: dict[bool, Tally] = field(default_factory=dict)
    """Dropped students counted -> the class figures of every student shown unfiltered."""


@dataclass(frozen=True, eq=False)
class Roster:
    """Students (in ID order), their attempts, and the fee schedules (oldest first)."""

    students: tuple[Student, ...] = ()
    attempts: tuple[Attempt, ...] = ()
    fee_history: tuple[FeeSchedule, ...] = (DEFAULT_FEES,)
    modules: tuple[Module, ...] = MODULES
    retake_policies: tuple[RetakePolicy, ...] = (DEFAULT_RETAKE_POLICY,)
    """The retake policy and readiness margin, oldest first: each failure is judged by the
    policy in force on its date."""
    worked_out: WorkedOut = field(default_factory=WorkedOut, repr=False, compare=False)
    """What is worked out from the fields above, once (see `evolve`)."""

    @property
    def fees(self) -> FeeSchedule:
        """The fee schedule in force now."""
        return self.fee_history[-1]

    @property
    def retake_policy(self) -> RetakePolicy:
        """The retake policy in force now."""
        return self.retake_policies[-1]

    @property
    def by_id(self) -> dict[str, Student]:
        memo = self.worked_out
        if memo.by_id is None:
            memo.by_id = {s.student_id: s for s in self.students}
        return memo.by_id

    @property
    def attempts_by_id(self) -> dict[str, Attempt]:
        memo = self.worked_out
        if memo.attempts_by_id is None:
            memo.attempts_by_id = {a.attempt_id: a for a in self.attempts}
        return memo.attempts_by_id

    @property
    def attempts_by_student(self) -> dict[str, tuple[Attempt, ...]]:
        memo = self.worked_out
        if memo.attempts_by_student is None:
            grouped: dict[str, list[Attempt]] = defaultdict(list)
            for attempt in self.attempts:
                grouped[attempt.student_id].append(attempt)
            memo.attempts_by_student = {sid: tuple(items) for sid, items in grouped.items()}
        return memo.attempts_by_student

    @cached_property  # each view over the memo made once: 10,000 lookups took 5 ms more
    def standings(self) -> PerStudent[Standing]:
        return PerStudent(self, self._standing, self.worked_out.standings)

    @cached_property
    def fee_lines(self) -> PerStudent[FeeLine]:
        return PerStudent(self, self._fees, self.worked_out.fee_lines)

    @cached_property
    def reports(self) -> PerStudent[dict[str, ReportRow]]:
        """Student ID -> module key -> their latest diagnostic report in it, as a row."""
        return PerStudent(self, self._reports, self.worked_out.reports)

    def _reports(self, student: Student) -> dict[str, ReportRow]:
        return latest_reports(self.standings[student.student_id])

    def _standing(self, student: Student) -> Standing:
        return standing(student, self.attempts_of(student.student_id), self.modules)

    def _fees(self, student: Student) -> FeeLine:
        return student_fees(student, self.attempts_of(student.student_id))

    def attempts_of(self, student_id: str) -> tuple[Attempt, ...]:
        return self.attempts_by_student.get(student_id, ())

    @property
    def by_key(self) -> dict[str, Student]:
        """`id_key` -> student: how an ID typed or imported finds the one it means."""
        memo = self.worked_out
        if memo.by_key is None:
            found: dict[str, Student] = {}
            for s in self.students:
                found.setdefault(id_key(s.student_id), s)
            memo.by_key = found
        return memo.by_key

    def find(self, student_id: str) -> Student | None:
        """The student an ID means, ignoring case, spaces and an all-digit ID's leading
        zeros (`s1001` is `S1001`, `7` is `007`)."""
        return self.by_id.get(student_id) or self.by_key.get(id_key(student_id))

    def id_taken(self, student_id: str, mine: str | None = None) -> str | None:
        """Why `student_id` cannot be given to a student whose stored ID is `mine` (None for a
        new student): it already means another student (`s1001` is `S1001`, `7` is `007`).
        None when it is free. The form shows the reason beside the ID; the store refuses."""
        shown = student_id.strip()
        taken = self.find(shown) if shown else None  # an empty ID is refused as required
        if taken is None or taken.student_id == mine:
            return None
        if taken.student_id != shown:
            shown += f" (stored as {taken.student_id})"
        return f"ID {shown} is already {taken.full_name}'s"

    def has_section(self, section: str) -> bool:
        """True when some student (dropped ones too) is in this section (case ignored)."""
        return self.section_named(section) is not None

    def section_named(self, section: str) -> str | None:
        """The section as the roster writes it (`p3` -> `P3`; dropped students count), or
        None when no student is in it. Spelt two ways (`P3`, `p3`), the commoner, then the
        first in sorted order."""
        wanted = section_key(section)
        spellings = Counter(s.section for s in self.students if section_key(s.section) == wanted)
        if not spellings:
            return None
        return min(spellings, key=lambda spelt: (-spellings[spelt], spelt))

    def visible(self, *, show_dropped: bool = False, text: str = "") -> list[Student]:
        """Students a screen shows: dropped ones only on request, filtered on name (as
        `First Last` or `Last, First`), ID and section, ignoring case and accents."""
        needle = fold(text.strip())
        if not needle:
            return list(self.students if show_dropped else self.active)
        return [
            s
            for s, haystack in zip(self.students, self._haystacks, strict=True)
            if needle in haystack and (show_dropped or not s.dropped)
        ]

    @property
    def active(self) -> tuple[Student, ...]:
        """The students not dropped, in ID order: what every screen shows unfiltered."""
        memo = self.worked_out
        if memo.active is None:
            memo.active = tuple(s for s in self.students if not s.dropped)
        return memo.active

    @property
    def _haystacks(self) -> tuple[str, ...]:
        """What the filter looks in, per student (in order): made once, not per key typed."""
        memo = self.worked_out
        if memo.haystacks is None:
            memo.haystacks = tuple(haystack(s) for s in self.students)
        return memo.haystacks

    def tally(self, show_dropped: bool = False) -> Tally:
        """The class figures over every student shown unfiltered (dropped ones on request),
        kept: a change updates them from its own students (see `evolve`)."""
        tallies = self.worked_out.tallies
        known = tallies.get(show_dropped)
        if known is None:
            students = self.students if show_dropped else self.active
            known = tallies[show_dropped] = Tally.of(self, students)
        return known

    def class_summary(self, *, show_dropped: bool = False, text: str = "") -> ClassSummary:
        """`class_summary` of the students a screen shows; unfiltered, from the kept tally."""
        if text.strip():
            return class_summary(self, self.visible(show_dropped=show_dropped, text=text))
        return self.tally(show_dropped).summary(self.modules)

    def fee_totals(
        self, *, show_dropped: bool = False, text: str = ""
    ) -> tuple[dict[str, FeeLine], FeeLine]:
        """`fee_totals` of the students a screen shows; unfiltered, from the kept tally."""
        if text.strip():
            return fee_totals(self, self.visible(show_dropped=show_dropped, text=text))
        return self.tally(show_dropped).fee_totals()

    def evolve(
        self,
        students: Mapping[str, Student | None],
        attempts: Mapping[str, Attempt | None],
        fee_history: tuple[FeeSchedule, ...] | None = None,
        retake_policies: tuple[RetakePolicy, ...] | None = None,
    ) -> Roster:
        """This roster with some students and attempts replaced (None: removed), and a new
        fee history or retake policy history if given. What did not change is carried over,
        worked out figures too."""
        before = self.attempts_by_id
        touched = set(students)
        touched.update(a.student_id for a in attempts.values() if a is not None)
        touched.update(before[k].student_id for k in attempts if k in before)

        by_id, in_order = self.by_id, self.students
        if students:
            by_id = dict(by_id)
            for sid, student in students.items():
                if student is None:
                    by_id.pop(sid, None)
                else:
                    by_id[sid] = student
            if by_id.keys() == self.by_id.keys():  # edits only: each stays in its place
                edited = list(in_order)
                for sid in students:
                    edited[bisect_left(edited, sid, key=_student_id)] = by_id[sid]
                in_order = tuple(edited)
            else:
                in_order = tuple(by_id[sid] for sid in sorted(by_id))

        added = tuple(a for a in attempts.values() if a is not None)
        if any(k in before for k in attempts):
            kept = tuple(a for a in self.attempts if a.attempt_id not in attempts)
        else:
            kept = self.attempts
        attempts_by_id = dict(before)
        for key, attempt in attempts.items():
            if attempt is None:
                attempts_by_id.pop(key, None)
            else:
                attempts_by_id[key] = attempt
        # Added attempts grouped by student once: scanning all of them for each student
        # touched made a bulk import quadratic (50,000 students took 719 s).
        added_by_student: dict[str, list[Attempt]] = defaultdict(list)
        for attempt in added:
            added_by_student[attempt.student_id].append(attempt)
        grouped = dict(self.attempts_by_student)
        for sid in touched:
            mine = [a for a in grouped.pop(sid, ()) if a.attempt_id not in attempts]
            mine += added_by_student.get(sid, ())
            if mine:
                grouped[sid] = tuple(mine)
        memo, same_order = self.worked_out, in_order is self.students
        roster = Roster(
            in_order,
            kept + added,
            fee_history or self.fee_history,
            self.modules,
            retake_policies or self.retake_policies,
            WorkedOut(
                by_id=by_id,
                attempts_by_id=attempts_by_id,
                attempts_by_student=grouped,
                active=memo.active if same_order else None,
                haystacks=memo.haystacks if same_order else None,
                standings=_less(memo.standings, touched),
                fee_lines=_less(memo.fee_lines, touched),
                reports=_less(memo.reports, touched),
            ),
        )
        if memo.tallies and len(touched) <= max(len(in_order) // 8, 64):
            roster.worked_out.tallies.update(
                (shown, tally.moved(self, roster, touched, shown))
                for shown, tally in memo.tallies.items()
            )
        return roster


def _less(known: dict[str, V], changed: set[str]) -> dict[str, V]:
    """What is known, less the values of the students that changed."""
    kept = dict(known)
    for student_id in changed:
        kept.pop(student_id, None)
    return kept


def _student_id(student: Student) -> str:
    return student.student_id
