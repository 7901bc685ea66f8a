"""What the audit trail says of a change: each field changed, with its old and new value,
so a department head can answer "who changed this, and from what?"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from .labels import points
from .models import (
    Attempt,
    CredentialNote,
    FeeSchedule,
    PointsEntry,
    Renewal,
    RetakePolicy,
    Student,
)

_STUDENT_FIELDS = (
    ("student_id", "ID"),
    ("first_name", "first name"),
    ("last_name", "last name"),
    ("email", "email"),
    ("section", "section"),
    ("term", "term"),
    ("status", "status"),
)


def _money(fee: Decimal | None) -> str:
    return "none" if fee is None else f"{fee:.2f}"


def _text(value: str) -> str:
    return repr(value) if value == "" or value != value.strip() else value


def student_changes(before: Student, after: Student) -> list[str]:
    """`section A -> B`, `registration none -> 28.00`, `supplement safety 70.00 -> none`:
    every field that differs, in the form's order."""
    changed = [
        f"{label} {_text(getattr(before, name))} -> {_text(getattr(after, name))}"
        for name, label in _STUDENT_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]
    if before.registration_fee != after.registration_fee:
        changed.append(
            f"registration {_money(before.registration_fee)} -> {_money(after.registration_fee)}"
        )
    for key in sorted(before.supplements.keys() | after.supplements.keys()):
        old, new = before.supplements.get(key), after.supplements.get(key)
        if old != new:
            changed.append(f"supplement {key} {_money(old)} -> {_money(new)}")
    if before.state_id != after.state_id:  # a state's identifier: that it changed, not to what
        changed.append("state ID changed" if before.state_id else "state ID added")
    if before.grad_year != after.grad_year:
        changed.append(
            f"graduation year {before.grad_year or 'none'} -> {after.grad_year or 'none'}"
        )
    for key in sorted(before.credentials.keys() | after.credentials.keys()):
        changed += _credential_changes(
            key, before.credentials.get(key) or _NO_NOTE, after.credentials.get(key) or _NO_NOTE
        )
    changed += _added_and_removed("points", before.points, after.points, _points_text)
    changed += _added_and_removed("renewal", before.renewals, after.renewals, _renewal_text)
    return changed


_NO_NOTE = CredentialNote()
_Entry = TypeVar("_Entry", PointsEntry, Renewal)


def _credential_changes(key: str, old: CredentialNote, new: CredentialNote) -> list[str]:
    """`cpt certificate number none -> CPT4-1`, `cpt verified none -> 2026-11-20 by pat`."""
    changed = []
    if old.certificate_number != new.certificate_number:
        changed.append(
            f"{key} certificate number {old.certificate_number or 'none'} -> "
            f"{new.certificate_number or 'none'}"
        )
    if (old.verified_on, old.verified_by) != (new.verified_on, new.verified_by):
        changed.append(f"{key} verified {_verified(old)} -> {_verified(new)}")
    return changed


def _verified(note: CredentialNote) -> str:
    if note.verified_on is None:
        return "none"
    return f"{note.verified_on}" + (f" by {note.verified_by}" if note.verified_by else "")


def _points_text(entry: PointsEntry) -> str:
    """`40 education on 2026-10-01 (OSHA 30)`."""
    text = f"{entry.points} {entry.category} on {entry.earned_on}"
    return text + (f" ({entry.note})" if entry.note else "")


def _renewal_text(renewal: Renewal) -> str:
    return f"on {renewal.renewed_on}, fee {_money(renewal.fee)}"


def _added_and_removed(
    noun: str,
    before: tuple[_Entry, ...],
    after: tuple[_Entry, ...],
    text: Callable[[_Entry], str],
) -> list[str]:
    """`points added: 40 education on 2026-10-01`, `renewal removed: on 2026-11-20, fee
    75.00`: each entry one side has more of than the other."""
    old, new = Counter(before), Counter(after)
    return [f"{noun} added: {text(e)}" for e in (new - old).elements()] + [
        f"{noun} removed: {text(e)}" for e in (old - new).elements()
    ]


def expiry_change(before: date | None, after: date | None) -> str:
    """`CPT expires 2026-12-16 -> 2031-12-16`: a renewal's (or its undo's) effect."""
    return f"CPT expires {before or 'none'} -> {after or 'none'}"


def student_edit(before: Student, after: Student) -> str:
    """An edit's audit detail: `student 5009 (was 5001): ID 5001 -> 5009; section A -> B`."""
    head = f"student {after.student_id}"
    if before.student_id != after.student_id:
        head += f" (was {before.student_id})"
    changes = student_changes(before, after)
    return head + (": " + "; ".join(changes) if changes else ": no change")


def student_summary(student: Student) -> str:
    """A student in full, for an add or a delete: what undo or a reader needs to know."""
    parts = [f"student {student.student_id}: {student.full_name}"]
    for name, label in _STUDENT_FIELDS[3:]:
        value = getattr(student, name)
        if value and not (name == "status" and value == "active"):
            parts.append(f"{label} {value}")
    if student.registered:
        parts.append(f"registration {_money(student.registration_fee)}")
    for key, fee in sorted(student.supplements.items()):
        parts.append(f"supplement {key} {_money(fee)}")
    return "; ".join(parts)


def score_text(attempt: Attempt) -> str:
    """`64/83` or `75.96%`, as it was entered."""
    if attempt.correct is not None:
        return f"{attempt.correct}/{attempt.questions}"
    return f"{attempt.percent}%"


def attempt_summary(attempt: Attempt) -> str:
    """`S1001 safety 64/83 on 2026-03-14, fee 22.00` (a practice test: `practice`, no fee)."""
    head = f"{attempt.student_id} {attempt.module} {score_text(attempt)} on "
    if attempt.practice:
        return head + f"{attempt.taken_on.isoformat()}, practice"
    return head + f"{attempt.taken_on.isoformat()}, fee {_money(attempt.fee)}"


FEES = ("registration", "assessment", "supplement", "recertification")
"""Every fee of a schedule, in the order the audit trail names them."""


def schedule_change(before: FeeSchedule, after: FeeSchedule) -> str:
    """`registration 28.00 -> 30.00; assessment 22.00 (unchanged); supplement 70.00 -> 75.00;
    recertification 75.00 (unchanged)`."""
    parts = []
    for name in FEES:
        old, new = getattr(before, name), getattr(after, name)
        parts.append(
            f"{name} {_money(old)} -> {_money(new)}"
            if old != new
            else f"{name} {_money(new)} (unchanged)"
        )
    return "; ".join(parts)


def schedule_summary(schedule: FeeSchedule) -> str:
    """`registration 28.00, assessment 22.00, supplement 70.00, recertification 75.00`."""
    return ", ".join(f"{name} {_money(getattr(schedule, name))}" for name in FEES)


_POLICY = (
    ("wait_days", "wait", " days"),
    ("long_wait_days", "long wait", " days"),
    ("long_wait_from", "long wait from failure", ""),
    ("readiness_margin", "readiness margin", " points"),
)


def _policy_value(policy: RetakePolicy, name: str) -> str:
    value = getattr(policy, name)
    return points(value) if isinstance(value, Decimal) else str(value)


def policy_change(before: RetakePolicy, after: RetakePolicy) -> str:
    """`wait 15 -> 20 days; long wait 60 days (unchanged); long wait from failure 3
    (unchanged); readiness margin 5 -> 7.5 points`."""
    parts = []
    for name, label, unit in _POLICY:
        old, new = _policy_value(before, name), _policy_value(after, name)
        parts.append(
            f"{label} {old} -> {new}{unit}" if old != new else f"{label} {new}{unit} (unchanged)"
        )
    return "; ".join(parts)


def policy_summary(policy: RetakePolicy) -> str:
    """`wait 15 days, long wait 60 days, long wait from failure 3, readiness margin 5 points`."""
    return ", ".join(
        f"{label} {_policy_value(policy, name)}{unit}" for name, label, unit in _POLICY
    )


def diagnostics_change(attempt: Attempt, after: dict[int, int]) -> str:
    """`S1001 safety 2026-03-14 diagnostics: activity 1 none -> 80; activity 2 60 -> 70`."""
    before = attempt.diagnostics
    parts = [
        f"activity {n} {before.get(n, 'none')} -> {after.get(n, 'none')}"
        for n in sorted(before.keys() | after.keys())
        if before.get(n) != after.get(n)
    ]
    head = f"{attempt.student_id} {attempt.module} {attempt.taken_on} diagnostics"
    return head + ": " + ("; ".join(parts) if parts else "no change")
