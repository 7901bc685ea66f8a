"""What the audit trail says of a change: each field changed, with its old and new value,
so a department head can answer "who changed this, and from what?"."""

from __future__ import annotations

from decimal import Decimal

from .models import Attempt, FeeSchedule, Student

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
    return changed


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


def schedule_change(before: FeeSchedule, after: FeeSchedule) -> str:
    """`registration 28.00 -> 30.00; assessment 22.00 (unchanged); supplement 70.00 -> 75.00`."""
    parts = []
    for name in ("registration", "assessment", "supplement"):
        old, new = getattr(before, name), getattr(after, name)
        parts.append(
            f"{name} {_money(old)} -> {_money(new)}"
            if old != new
            else f"{name} {_money(new)} (unchanged)"
        )
    return "; ".join(parts)
