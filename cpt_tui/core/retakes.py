"""Retakes and readiness: from when a student may sit a module again, and whether they are ready.

MSSC makes a candidate who failed wait before retesting; the waits are data (the retake
policy, with its history, so a failure is judged by the policy in force on its date).
Practice tests never set a wait; the latest one decides readiness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from .models import Attempt, Module, RetakePolicy
from .standing import ModuleStanding, judged


def policy_on(history: Sequence[RetakePolicy], day: date) -> RetakePolicy:
    """The policy in force on `day`: the newest one that took effect on or before it (the
    oldest for a day before them all). `history` is oldest first and never empty."""
    found = history[0]
    for policy in history:
        if policy.effective_from.date() <= day:
            found = policy
        else:
            break
    return found


def wait_after(failures: int, policy: RetakePolicy) -> int:
    """Days to wait after the `failures`-th failure of a module (1 for the first)."""
    return policy.long_wait_days if failures >= policy.long_wait_from else policy.wait_days


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether a module may be sat on a day, and from when."""

    on: date
    failures: int
    """Failed assessments of the module on or before `on` (0 once it is passed)."""
    last_attempt_on: date | None
    eligible_from: date | None
    """The first day the module may be sat after the latest failure; None without one."""

    @property
    def eligible(self) -> bool:
        return self.eligible_from is None or self.on >= self.eligible_from


def assessments_until(ms: ModuleStanding, on: date) -> tuple[Attempt, ...]:
    """The module's assessments on or before `on` (a later one is ignored), oldest first."""
    attempts = ms.attempts
    if attempts and attempts[-1].taken_on > on:
        return tuple(a for a in attempts if a.taken_on <= on)
    return attempts


def eligibility(ms: ModuleStanding, on: date, history: Sequence[RetakePolicy]) -> Eligibility:
    """May the module be sat on `on`? See `_wait`; attempts after `on` are ignored."""
    attempts = assessments_until(ms, on)
    if not attempts:
        return Eligibility(on, 0, None, None)
    failures, eligible_from = _wait(ms.module, attempts, history)
    return Eligibility(on, failures, attempts[-1].taken_on, eligible_from)


def early_retakes(ms: ModuleStanding, history: Sequence[RetakePolicy]) -> frozenset[str]:
    """The IDs of the module's assessments sat before the wait after the failures before
    them had ended (the Record dialog asks before recording one; the detail marks them)."""
    attempts = ms.attempts
    return frozenset(
        attempt.attempt_id
        for index, attempt in enumerate(attempts)
        if (until := _wait(ms.module, attempts[:index], history)[1]) is not None
        and attempt.taken_on < until
    )


def _wait(
    module: Module, attempts: Sequence[Attempt], history: Sequence[RetakePolicy]
) -> tuple[int, date | None]:
    """The failures among `attempts` (oldest first) and the first day the module may be sat
    after them. A pass clears every wait; otherwise the latest failure sets it: `wait_days`
    after it, `long_wait_days` from the `long_wait_from`-th failure on, each by the policy
    in force on the failure's date."""
    if not attempts:
        return 0, None
    for attempt in attempts:
        if judged(module, attempt)[1]:
            return 0, None
    failed_on = attempts[-1].taken_on
    wait = wait_after(len(attempts), policy_on(history, failed_on))
    return len(attempts), failed_on + timedelta(days=wait)


def latest_practice(ms: ModuleStanding, on: date) -> Attempt | None:
    """The latest practice test of the module on or before `on`, or None."""
    for attempt in reversed(ms.practice):
        if attempt.taken_on <= on:
            return attempt
    return None


def ready_mark(ms: ModuleStanding, policy: RetakePolicy) -> Fraction:
    """The practice score that makes a student ready: the pass mark plus the margin."""
    return Fraction(ms.module.pass_mark) + Fraction(policy.readiness_margin)


def reaches_ready(ms: ModuleStanding, score: Fraction, policy: RetakePolicy) -> bool:
    """Does a practice score make the student ready under `policy`: at least the pass mark
    plus the readiness margin, exactly (never on the rounded figure)?"""
    return score >= ready_mark(ms, policy)


def is_ready(ms: ModuleStanding, on: date, history: Sequence[RetakePolicy]) -> bool:
    """Ready when the latest practice score on or before `on` reaches the pass mark plus the
    readiness margin in force on `on`, exactly; never without a practice score."""
    practice = latest_practice(ms, on)
    if practice is None:
        return False
    return reaches_ready(ms, practice.score, policy_on(history, on))


def passed_by(ms: ModuleStanding, on: date) -> bool:
    """Was the module passed on or before `on`?"""
    return ms.passed_on is not None and ms.passed_on <= on
