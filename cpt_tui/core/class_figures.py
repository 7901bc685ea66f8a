"""The class's figures: how a group of students is doing per module and in the CPT, and what
they were charged, per section; kept as running sums for the unfiltered screens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .fees import FeeLine, total
from .models import Module, Student

if TYPE_CHECKING:
    from .roster import Roster


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
