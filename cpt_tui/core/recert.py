"""Recertification: points within the current validity, when a CPT may be renewed, renewing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .catalog import POINTS_CATEGORIES, RECERTIFICATION_POINTS, RECERTIFICATION_WINDOW_DAYS
from .models import FeeSchedule, PointsEntry, Renewal, Student
from .standing import Standing, cpt_expiry, renewals_since


class RenewalRefused(ValueError):
    """A renewal the rules do not allow; the message says why."""


def window_opens(expiry: date) -> date:
    """The first day a CPT expiring on `expiry` may be renewed (90 days before it)."""
    return expiry - timedelta(days=RECERTIFICATION_WINDOW_DAYS)


@dataclass(frozen=True, slots=True)
class Recertification:
    """Where a CPT holder stands for renewal on a day."""

    on: date
    certified_on: date
    valid_from: date
    """The start of the current validity: the CPT date, or the latest renewal's date."""
    expires_on: date
    points: int
    """Points dated within the current validity and not after `on`."""
    renewals: int

    @property
    def opens_on(self) -> date:
        return window_opens(self.expires_on)

    @property
    def expired(self) -> bool:
        """Expired from the day after the expiry date (on that day it still counts)."""
        return self.on > self.expires_on

    @property
    def points_short(self) -> int:
        return max(RECERTIFICATION_POINTS - self.points, 0)

    @property
    def reasons(self) -> list[str]:
        """Why it cannot be renewed on `on`; empty when it can."""
        if self.expired:
            return [f"the CPT expired on {self.expires_on}: too late to renew, certify again"]
        found = []
        if self.on < self.opens_on:
            found.append(
                f"recertification opens on {self.opens_on}, {RECERTIFICATION_WINDOW_DAYS} days "
                f"before the expiry on {self.expires_on}"
            )
        if self.points_short:
            found.append(
                f"{self.points} of {RECERTIFICATION_POINTS} points since {self.valid_from}: "
                f"{self.points_short} more needed"
            )
        return found

    @property
    def can_renew(self) -> bool:
        return not self.reasons

    def verdict(self) -> str:
        """`can renew` or the reasons it cannot, in a few words for a table cell."""
        if self.can_renew:
            return "can renew"
        if self.expired:
            return "expired"
        if self.on < self.opens_on:
            return f"opens {self.opens_on}"
        return f"{self.points_short} points short"


def recertification(st: Standing, on: date) -> Recertification | None:
    """A CPT holder's standing for renewal on `on`; None without a CPT."""
    if st.cpt_certified_on is None:
        return None
    renewals = renewals_since(st.cpt_certified_on, st.student.renewals)
    valid_from = renewals[-1].renewed_on if renewals else st.cpt_certified_on
    expiry = cpt_expiry(st.cpt_certified_on, renewals)
    return Recertification(
        on=on,
        certified_on=st.cpt_certified_on,
        valid_from=valid_from,
        expires_on=expiry,
        points=points_within(st.student.points, valid_from, min(expiry, on)),
        renewals=len(renewals),
    )


def current_points(st: Standing) -> int | None:
    """The points within the current validity (every stored entry is dated on or before
    the day it was entered); None without a CPT."""
    found = recertification(st, date.max)
    return None if found is None else found.points


def points_within(entries: tuple[PointsEntry, ...], first: date, last: date) -> int:
    """The points dated from `first` to `last`, both days included."""
    return sum(e.points for e in entries if first <= e.earned_on <= last)


def renewed(st: Standing, on: date, schedule: FeeSchedule) -> Student:
    """The student with their CPT renewed on `on` at the schedule's fee; RenewalRefused
    (with every reason) when the rules do not allow it."""
    status = recertification(st, on)
    if status is None:
        raise RenewalRefused(f"{st.student.full_name} holds no CPT to renew")
    if not status.can_renew:
        raise RenewalRefused("cannot renew: " + "; ".join(status.reasons))
    renewal = Renewal(renewed_on=on, fee=schedule.recertification)
    return st.student.model_copy(update={"renewals": (*st.student.renewals, renewal)})


def read_category(text: str) -> str:
    """A points category as typed: its key (`education`), its description, or the start of
    its key when only one begins so (`ed`, `c`). ValueError says why not: empty, unknown,
    or first letters that begin more than one (`e`: education or employment)."""
    typed = text.strip()
    folded = typed.casefold()
    keys = list(POINTS_CATEGORIES)
    if not folded:
        raise ValueError(f"type {_either(keys)}")
    for key, description in POINTS_CATEGORIES.items():
        if folded in (key, description.casefold()):
            return key
    starting = [key for key in keys if key.startswith(folded)]
    if len(starting) > 1:
        raise ValueError(f"{typed} could be {_either(starting)}: type more letters")
    if not starting:
        raise ValueError(f"no category is {typed!r}: type {_either(keys)}")
    return starting[0]


def _either(words: Sequence[str]) -> str:
    """`a or b`, `a, b or c`."""
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


def points_refused(st: Standing, earned_on: date) -> str | None:
    """Why points dated `earned_on` cannot be added for `st` at all (the store, the points
    dialog and the import refuse them with it): no CPT, or dated before it; None otherwise."""
    certified = st.cpt_certified_on
    if certified is None:
        return f"{st.student.student_id} holds no CPT: points count only toward a CPT's renewal"
    if earned_on < certified:
        return f"dated {earned_on}, before the CPT of {certified}: points then never count"
    return None


def points_not_counted(st: Standing, earned_on: date) -> str | None:
    """Why points dated `earned_on` count toward no renewal of `st`'s CPT; None when they
    count (dated within the current validity: from the CPT date, or the latest renewal's,
    to the expiry). Points refused outright (`points_refused`) never count either."""
    if (refused := points_refused(st, earned_on)) is not None:
        return refused
    status = recertification(st, earned_on)
    if status is None:  # a CPT holder always has a status
        return None
    if earned_on < status.valid_from:
        return (
            f"dated {earned_on}, before the renewal of {status.valid_from}: they do not count "
            f"toward the next renewal (points from {status.valid_from} on do)"
        )
    if status.expired:
        return f"dated {earned_on}, after the CPT expired on {status.expires_on}: they never count"
    return None
