"""Where a student stands: passes, certificates, the full CPT and its expiry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import lru_cache

from .catalog import CERTIFICATION_YEARS, MODULES, RECERTIFICATION_WINDOW_DAYS
from .models import Attempt, Module, Renewal, Student, exact_score


def passes(module: Module, score: Fraction) -> bool:
    """True when the exact score reaches the module's pass mark (never the rounded one)."""
    return score >= _exact(module.pass_mark)


@lru_cache(maxsize=64)
def _exact(pass_mark: Decimal) -> Fraction:
    return Fraction(pass_mark)  # a Decimal to Fraction is slow: once per pass mark


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def expires_on(certified_on: date) -> date:
    """A certificate earned on `certified_on` is valid until this date."""
    return add_years(certified_on, CERTIFICATION_YEARS)


def renewals_since(certified_on: date, renewals: Sequence[Renewal]) -> list[Renewal]:
    """The renewals of the CPT certified on `certified_on`, oldest first (one dated before
    it belonged to a CPT since lost, e.g. its passing attempt was deleted)."""
    return sorted((r for r in renewals if r.renewed_on >= certified_on), key=_renewed_on)


def _renewed_on(renewal: Renewal) -> date:
    return renewal.renewed_on


def cpt_expiry(certified_on: date, renewals: Sequence[Renewal] = ()) -> date:
    """A CPT's expiry: five years from certification, each renewal five more years from the
    expiry it replaced (certified 2024-02-29: 2029-02-28, renewed: 2034-02-28)."""
    expiry = expires_on(certified_on)
    for _ in renewals_since(certified_on, renewals):
        expiry = expires_on(expiry)
    return expiry


class CptStatus(Enum):
    """The full CPT, as an instructor reads it."""

    NONE = "-"
    CERTIFIED = "certified"
    EXPIRING = "expiring"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class ModuleStanding:
    """One student's record in one module."""

    module: Module
    attempts: tuple[Attempt, ...]
    """In the order they were taken."""
    passed_on: date | None
    best: Fraction | None
    supplement: bool
    practice: tuple[Attempt, ...] = ()
    """Practice tests, in the order they were taken: never a pass, never an attempt."""

    @property
    def attempted(self) -> bool:
        return bool(self.attempts)

    @property
    def passed(self) -> bool:
        return self.passed_on is not None


@dataclass(frozen=True, slots=True)
class Standing:
    """A student's standing across the five modules and the full CPT."""

    student: Student
    modules: dict[str, ModuleStanding]
    cpt_certified_on: date | None
    core_passed: int
    core_total: int

    @property
    def cpt_expires_on(self) -> date | None:
        """The full CPT's expiry, renewals applied; None without a CPT."""
        if self.cpt_certified_on is None:
            return None
        return cpt_expiry(self.cpt_certified_on, self.student.renewals)

    @property
    def attempts(self) -> int:
        return sum(len(s.attempts) for s in self.modules.values())

    def cpt_status(self, today: date) -> CptStatus:
        """Certified, expiring within the recertification window, expired, or none."""
        expiry = self.cpt_expires_on
        if expiry is None:
            return CptStatus.NONE
        if expiry < today:  # it still counts on its expiry date
            return CptStatus.EXPIRED
        if expiry - today <= timedelta(days=RECERTIFICATION_WINDOW_DAYS):
            return CptStatus.EXPIRING
        return CptStatus.CERTIFIED


def module_standing(
    module: Module, attempts: Sequence[Attempt], supplement: bool
) -> ModuleStanding:
    """Fold one module's attempts: the first passing assessment dates the pass; practice
    tests are kept apart and never count."""
    if not attempts:
        return _untried(module, supplement)
    ordered = tuple(sorted(attempts, key=lambda a: (a.taken_on, a.recorded_at)))
    practice = tuple(a for a in ordered if a.kind == "practice")
    if practice:
        ordered = tuple(a for a in ordered if a.kind != "practice")
    passed_on: date | None = None
    best: Fraction | None = None
    for attempt in ordered:
        score, passed = judged(module, attempt)
        if passed and passed_on is None:
            passed_on = attempt.taken_on
        if best is None or score > best:
            best = score
    return ModuleStanding(module, ordered, passed_on, best, supplement, practice)


def judged(module: Module, attempt: Attempt) -> tuple[Fraction, bool]:
    """An attempt's exact score and whether it passes the module."""
    return _judged(module.pass_mark, attempt.correct, attempt.questions, attempt.percent)


@lru_cache(maxsize=16384)
def _judged(
    pass_mark: Decimal, correct: int | None, questions: int | None, percent: Decimal | None
) -> tuple[Fraction, bool]:
    """`judged`, once per distinct score and pass mark: a class has a few hundred, and
    comparing exact fractions was a fifth of working out 50,000 standings."""
    score = exact_score(correct, questions, percent)
    return score, score >= _exact(pass_mark)


_UNTRIED: dict[tuple[str, bool], ModuleStanding] = {}


def _untried(module: Module, supplement: bool) -> ModuleStanding:
    """The standing in a module never attempted: one shared value per module (immutable)."""
    known = _UNTRIED.get((module.key, supplement))
    if known is None or known.module is not module:
        known = _UNTRIED[(module.key, supplement)] = ModuleStanding(
            module, (), None, None, supplement
        )
    return known


def standing(
    student: Student, attempts: Sequence[Attempt], modules: Sequence[Module] = MODULES
) -> Standing:
    """The standing of one student from their attempts (any order, any module)."""
    by_module: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_module.setdefault(attempt.module, []).append(attempt)
    per_module = {
        m.key: module_standing(m, by_module.get(m.key, ()), m.key in student.supplements)
        for m in modules
    }
    core = [ms.passed_on for ms in per_module.values() if ms.module.required]
    passed = [day for day in core if day is not None]
    certified_on = max(passed) if core and len(passed) == len(core) else None
    return Standing(student, per_module, certified_on, len(passed), len(core))
