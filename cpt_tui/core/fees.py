"""Money: what each student has cost, class and section totals, and the cohort planner."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .catalog import MODULES
from .models import CENT, Attempt, FeeSchedule, Module, Student

ZERO = Decimal("0.00")


def dollars(amount: Decimal) -> str:
    """`$1,234.00`: how money is shown on screen."""
    return f"${amount.quantize(CENT):,.2f}"


@dataclass(frozen=True, slots=True)
class FeeLine:
    """Registration, assessments, supplements and CPT renewals, each at the fee charged
    when recorded."""

    registration: Decimal = ZERO
    assessments: Decimal = ZERO
    supplements: Decimal = ZERO
    attempts: int = 0
    recertification: Decimal = ZERO
    """CPT renewals (after the course; zero for nearly every student)."""

    @property
    def total(self) -> Decimal:
        return self.registration + self.assessments + self.supplements + self.recertification

    def __add__(self, other: FeeLine) -> FeeLine:
        return FeeLine(
            self.registration + other.registration,
            self.assessments + other.assessments,
            self.supplements + other.supplements,
            self.attempts + other.attempts,
            self.recertification + other.recertification,
        )


def student_fees(student: Student, attempts: Iterable[Attempt]) -> FeeLine:
    """What one student has cost so far: every attempt is charged, passes and retakes alike;
    practice tests never are."""
    attempts = [a for a in attempts if a.kind != "practice"]
    return FeeLine(
        registration=student.registration_fee or ZERO,
        assessments=sum((a.fee for a in attempts), ZERO),
        supplements=sum(student.supplements.values(), ZERO),
        attempts=len(attempts),
        recertification=sum((r.fee for r in student.renewals), ZERO),
    )


def total(lines: Iterable[FeeLine]) -> FeeLine:
    """The sum of fee lines (a class, a section)."""
    lines = list(lines)  # summed per column: no FeeLine made per student
    return FeeLine(
        sum((line.registration for line in lines), ZERO),
        sum((line.assessments for line in lines), ZERO),
        sum((line.supplements for line in lines), ZERO),
        sum(line.attempts for line in lines),
        sum((line.recertification for line in lines), ZERO),
    )


def amounts(line: FeeLine, renewals: bool = False) -> list[str]:
    """Registration, assessments, supplements (then CPT renewals, when asked) and total, in
    dollars: a table's fee cells."""
    figures = [line.registration, line.assessments, line.supplements, line.total]
    if renewals:
        figures.insert(3, line.recertification)
    return [dollars(v) for v in figures]


def planned_modules(modules: Sequence[Module], with_optional: bool, core: int | None = None) -> int:
    """The modules a cohort sits: `core` of those the CPT requires (all of them when None;
    a cohort that has passed some plans the rest), and the optional ones too when chosen.
    ValueError unless `core` is from 1 to the number required."""
    required = sum(1 for m in modules if m.required)
    if core is None:
        core = required
    if not 1 <= core <= required:
        raise ValueError(f"core modules must be between 1 and {required}")
    return core + (len(modules) - required if with_optional else 0)


def retake_rate(attempts: Sequence[Attempt]) -> Decimal:
    """Retakes per first attempt, in percent, one decimal: the class's actual retake rate
    (practice tests are not attempts)."""
    attempts = [a for a in attempts if a.kind != "practice"]
    firsts = len({(a.student_id, a.module) for a in attempts})
    if not firsts:
        return Decimal("0.0")
    return (Decimal(len(attempts) - firsts) * 100 / firsts).quantize(Decimal("0.1"))


@dataclass(frozen=True, slots=True)
class CohortPlan:
    """What a planner was asked: a cohort, its modules, supplements, and expected retakes."""

    students: int
    modules: int
    supplements: bool
    retake_rate: Decimal
    """Expected retakes per first attempt, in percent (0 to 100)."""

    def __post_init__(self) -> None:
        if self.students < 0:
            raise ValueError("cohort size must not be negative")
        if not 0 <= self.modules <= len(MODULES):
            raise ValueError(f"modules must be between 0 and {len(MODULES)}")
        if not 0 <= self.retake_rate <= 100:
            raise ValueError("retake rate must be between 0% and 100%")

    @property
    def first_attempts(self) -> int:
        return self.students * self.modules

    @property
    def retakes(self) -> int:
        """Expected retakes, rounded up: a budget should not fall short by a fraction."""
        return math.ceil(self.first_attempts * self.retake_rate / 100)


def plan_cost(plan: CohortPlan, schedule: FeeSchedule) -> FeeLine:
    """The projected cost of a cohort at a fee schedule."""
    attempts = plan.first_attempts + plan.retakes
    supplements = plan.first_attempts if plan.supplements else 0
    return FeeLine(
        registration=schedule.registration * plan.students,
        assessments=schedule.assessment * attempts,
        supplements=schedule.supplement * supplements,
        attempts=attempts,
    )
