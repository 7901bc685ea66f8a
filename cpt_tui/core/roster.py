"""A read-only snapshot of the whole store; standings and fees are worked out once, on demand."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from .catalog import DEFAULT_FEES, DEFAULT_RETAKE_POLICY, MODULES
from .diagnostics import ReportRow, latest_reports
from .fees import FeeLine, student_fees, total
from .ids import id_key
from .models import Attempt, FeeSchedule, Module, RetakePolicy, Student
from .search import fold, haystack
from .standing import Standing, standing

V = TypeVar("V")


class PerStudent(Mapping[str, V]):
    """Student ID -> a value computed the first time it is asked for, then kept.

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

    def kept(self, changed: set[str]) -> dict[str, V]:
        """What is known, less the values of the students that changed."""
        known = dict(self._known)
        for student_id in changed:
            known.pop(student_id, None)
        return known


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

    @property
    def fees(self) -> FeeSchedule:
        """The fee schedule in force now."""
        return self.fee_history[-1]

    @property
    def retake_policy(self) -> RetakePolicy:
        """The retake policy in force now."""
        return self.retake_policies[-1]

    @cached_property
    def by_id(self) -> dict[str, Student]:
        return {s.student_id: s for s in self.students}

    @cached_property
    def attempts_by_id(self) -> dict[str, Attempt]:
        return {a.attempt_id: a for a in self.attempts}

    @cached_property
    def attempts_by_student(self) -> dict[str, tuple[Attempt, ...]]:
        grouped: dict[str, list[Attempt]] = defaultdict(list)
        for attempt in self.attempts:
            grouped[attempt.student_id].append(attempt)
        return {sid: tuple(items) for sid, items in grouped.items()}

    @cached_property
    def standings(self) -> PerStudent[Standing]:
        return PerStudent(self, self._standing, {})

    @cached_property
    def fee_lines(self) -> PerStudent[FeeLine]:
        return PerStudent(self, self._fees, {})

    @cached_property
    def reports(self) -> PerStudent[dict[str, ReportRow]]:
        """Student ID -> module key -> their latest diagnostic report in it, as a row."""
        return PerStudent(self, self._reports, {})

    def _reports(self, student: Student) -> dict[str, ReportRow]:
        return latest_reports(self.standings[student.student_id])

    def _standing(self, student: Student) -> Standing:
        return standing(student, self.attempts_of(student.student_id), self.modules)

    def _fees(self, student: Student) -> FeeLine:
        return student_fees(student, self.attempts_of(student.student_id))

    def attempts_of(self, student_id: str) -> tuple[Attempt, ...]:
        return self.attempts_by_student.get(student_id, ())

    @cached_property
    def by_key(self) -> dict[str, Student]:
        """`id_key` -> student: how an ID typed or imported finds the one it means."""
        found: dict[str, Student] = {}
        for s in self.students:
            found.setdefault(id_key(s.student_id), s)
        return found

    def find(self, student_id: str) -> Student | None:
        """The student an ID means, ignoring case, spaces and an all-digit ID's leading
        zeros (`s1001` is `S1001`, `7` is `007`)."""
        return self.by_id.get(student_id) or self.by_key.get(id_key(student_id))

    def has_section(self, section: str) -> bool:
        """True when some student (dropped ones too) is in this section (case ignored)."""
        wanted = section.strip().casefold()
        return any(s.section.casefold() == wanted for s in self.students)

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

    @cached_property
    def active(self) -> tuple[Student, ...]:
        """The students not dropped, in ID order: what every screen shows unfiltered."""
        return tuple(s for s in self.students if not s.dropped)

    def tally(self, show_dropped: bool = False) -> Tally:
        """The class figures over every student shown unfiltered (dropped ones on request),
        kept: a change updates them from its own students (see `evolve`)."""
        tallies: dict[bool, Tally] = self.__dict__.setdefault("_tallies", {})
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

    @cached_property
    def _haystacks(self) -> tuple[str, ...]:
        """What the filter looks in, per student (in order): made once, not per key typed."""
        return tuple(haystack(s) for s in self.students)

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
        roster = Roster(
            in_order,
            kept + added,
            fee_history or self.fee_history,
            self.modules,
            retake_policies or self.retake_policies,
        )
        cache = roster.__dict__  # cached_property's own store: seed it with what still holds
        cache["by_id"] = by_id
        attempts_by_id = dict(before)
        for key, attempt in attempts.items():
            if attempt is None:
                attempts_by_id.pop(key, None)
            else:
                attempts_by_id[key] = attempt
        cache["attempts_by_id"] = attempts_by_id
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
        cache["attempts_by_student"] = grouped
        if in_order is self.students and "_haystacks" in self.__dict__:
            cache["_haystacks"] = self._haystacks
        if in_order is self.students and "active" in self.__dict__:
            cache["active"] = self.active
        cache["standings"] = PerStudent(roster, roster._standing, self.standings.kept(touched))
        cache["fee_lines"] = PerStudent(roster, roster._fees, self.fee_lines.kept(touched))
        tallies: dict[bool, Tally] = self.__dict__.get("_tallies", {})
        if tallies and len(touched) <= max(len(in_order) // 8, 64):
            cache["_tallies"] = {
                shown: tally.moved(self, roster, touched, shown) for shown, tally in tallies.items()
            }
        if "reports" in self.__dict__:
            cache["reports"] = PerStudent(roster, roster._reports, self.reports.kept(touched))
        return roster


def _student_id(student: Student) -> str:
    return student.student_id


@dataclass(frozen=True, slots=True)
class Tally:
    """What `class_summary` and `fee_totals` add up over a group of students, kept as sums:
    a change takes its students' old share out and puts their new share in, instead of
    adding up 50,000 students again on the UI thread (a quarter of a second)."""

    count: int
    certified: int
    one_away: int
    attempted: dict[str, int]
    passed: dict[str, int]
    sat: dict[str, int]
    sections: dict[str, tuple[int, FeeLine]]
    """Section -> how many students, and their fees."""

    @classmethod
    def of(cls, roster: Roster, students: Iterable[Student]) -> Tally:
        return _EMPTY_TALLY.add(roster, students, 1)

    def add(self, roster: Roster, students: Iterable[Student], sign: int) -> Tally:
        """These students' share added (sign 1) or taken out (sign -1)."""
        attempted, passed, sat = dict(self.attempted), dict(self.passed), dict(self.sat)
        sections = dict(self.sections)
        count, certified, one_away = self.count, self.certified, self.one_away
        standings, fee_lines = roster.standings, roster.fee_lines
        for student in students:
            st = standings[student.student_id]
            count += sign
            certified += sign * (st.cpt_certified_on is not None)
            one_away += sign * (st.core_total - st.core_passed == 1)
            for key, ms in st.modules.items():
                if ms.attempts:
                    attempted[key] = attempted.get(key, 0) + sign
                    passed[key] = passed.get(key, 0) + sign * (ms.passed_on is not None)
                    sat[key] = sat.get(key, 0) + sign * len(ms.attempts)
            line = fee_lines[student.student_id]
            many, fees = sections.get(student.section, (0, _NO_FEES))
            if sign < 0:
                line = FeeLine(
                    -line.registration,
                    -line.assessments,
                    -line.supplements,
                    -line.attempts,
                    -line.recertification,
                )
            if many + sign:
                sections[student.section] = (many + sign, fees + line)
            else:
                sections.pop(student.section, None)
        return Tally(count, certified, one_away, attempted, passed, sat, sections)

    def moved(self, before: Roster, after: Roster, touched: set[str], dropped: bool) -> Tally:
        """This tally of `before` as it is in `after`, where only `touched` changed
        (`dropped`: whether dropped students count)."""

        def counted(roster: Roster) -> list[Student]:
            found = (roster.by_id.get(sid) for sid in sorted(touched))
            return [s for s in found if s is not None and (dropped or not s.dropped)]

        return self.add(before, counted(before), -1).add(after, counted(after), 1)

    def summary(self, modules: Iterable[Module]) -> ClassSummary:
        summaries = [
            ModuleSummary(
                m,
                self.count,
                self.attempted.get(m.key, 0),
                self.passed.get(m.key, 0),
                self.sat.get(m.key, 0),
            )
            for m in modules
        ]
        return ClassSummary(summaries, self.certified, self.one_away)

    def fee_totals(self) -> tuple[dict[str, FeeLine], FeeLine]:
        sections = {name: self.sections[name][1] for name in sorted(self.sections)}
        return sections, total(sections.values())


_NO_FEES = FeeLine()
_EMPTY_TALLY = Tally(0, 0, 0, {}, {}, {}, {})


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


@dataclass(frozen=True, slots=True)
class ClassSummary:
    """How a group of students is doing: per module, and in the full CPT."""

    modules: list[ModuleSummary]
    certified: int
    """Students holding the full CPT."""
    one_away: int
    """Students one core module away from it."""


def class_summary(roster: Roster, students: Iterable[Student]) -> ClassSummary:
    """Per module: how many attempted, passed, and sat it in all; and the CPT counts."""
    keys = [m.key for m in roster.modules]
    attempted, passed, sat = dict.fromkeys(keys, 0), dict.fromkeys(keys, 0), dict.fromkeys(keys, 0)
    count = certified = one_away = 0
    standings = roster.standings
    for student in students:  # one pass: the screen redraws this as the filter is typed
        st = standings[student.student_id]
        count += 1
        certified += st.cpt_certified_on is not None
        one_away += st.core_total - st.core_passed == 1
        for key, ms in st.modules.items():
            if ms.attempts:
                attempted[key] += 1
                passed[key] += ms.passed_on is not None
                sat[key] += len(ms.attempts)
    modules = [
        ModuleSummary(m, count, attempted[m.key], passed[m.key], sat[m.key]) for m in roster.modules
    ]
    return ClassSummary(modules, certified, one_away)


def fee_totals(roster: Roster, students: Iterable[Student]) -> tuple[dict[str, FeeLine], FeeLine]:
    """Subtotals per section (sorted) and the total, for the given students."""
    lines: dict[str, list[FeeLine]] = {}
    fee_lines = roster.fee_lines
    for s in students:
        lines.setdefault(s.section, []).append(fee_lines[s.student_id])
    sections = {section: total(lines[section]) for section in sorted(lines)}
    return sections, total(sections.values())


@dataclass(frozen=True, slots=True)
class ClassCharges:
    """What the whole class has been charged: every student, dropped ones too."""

    fees: FeeLine
    students: int
    dropped: int

    @property
    def label(self) -> str:
        """`All 24, 2 dropped`: short, so the figures beside it fit 80 columns."""
        return f"All {self.students:,}" + (f", {self.dropped:,} dropped" if self.dropped else "")


def class_charges(roster: Roster) -> ClassCharges:
    """The class's charges: a dropped student's fees were charged all the same."""
    _, line = roster.fee_totals(show_dropped=True)  # from the kept tally: no pass per change
    everyone = len(roster.students)
    return ClassCharges(line, everyone, everyone - len(roster.active))
