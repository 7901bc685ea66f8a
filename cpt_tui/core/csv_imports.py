"""Roster and attempts CSV imports, planned in full (every row checked) before anything is
written: the rows read by `csvio.read_table`, the plan an `ImportPlan`."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from .catalog import find_module
from .csvio import (
    ATTEMPTS_HEADER,
    HEADER_LINE,
    ImportPlan,
    MatchedIds,
    Table,
    _reason,
    missing_columns,
    read_table,
    roster_header,
    row_student,
)
from .ids import id_key
from .models import Attempt, FeeSchedule, Student, grad_year, one_decimal
from .parse import parse_bool, parse_date, parse_money, parse_score
from .retakes import eligibility
from .roster import Roster
from .standing import module_standing

_AMOUNT = re.compile(r"^\$?\d{1,5}\.\d{2}$")
"""A supplement cell holding the fee paid (`70.00`), as opposed to yes/no."""

ROSTER_ALIASES = {
    "student_id": ["studentid", "id", "studentnumber"],
    "first_name": ["firstname", "first", "givenname"],
    "last_name": ["lastname", "last", "surname", "familyname"],
    "name": ["name"],
    "email": ["email", "emailaddress"],
    "section": ["section", "class", "period"],
    "term": ["term"],
    "registered": ["registered"],
    "fee_registration": ["feeregistration", "registrationfee"],
    "status": ["status"],
    "state_id": ["stateid", "statestudentid", "ssid", "sasid"],
    "grad_year": ["gradyear", "graduationyear", "cohort", "cohortyear"],
}
ATTEMPT_ALIASES = {
    "student_id": ROSTER_ALIASES["student_id"],
    "module": ["module"],
    "date": ["date", "takenon"],
    "correct": ["correct"],
    "percent": ["percent"],
    "fee": ["fee"],
    "kind": ["kind"],
}


def _split_name(full: str) -> tuple[str, str]:
    """`Last, First` or `First Last` -> (first, last)."""
    if "," in full:
        last, _, first = full.partition(",")
        return first.strip(), last.strip()
    first, _, last = full.strip().rpartition(" ")
    return first.strip(), last.strip()


def plan_roster_import(data: bytes, roster: Roster, schedule: FeeSchedule) -> ImportPlan:
    """Check every row of a roster CSV against the store; nothing is written here."""
    module_keys = [m.key for m in roster.modules]
    aliases = dict(ROSTER_ALIASES)
    aliases |= {f"{key}_supplement": [f"{key}supplement"] for key in module_keys}
    table = read_table(data, aliases, known=roster_header(roster))
    plan = ImportPlan("roster", unknown_columns=table.unknown)
    if "student_id" not in table.columns:
        plan.errors.append((HEADER_LINE, "no student ID column (student_id, id or student number)"))
        return plan
    has_names = {"first_name", "last_name"} <= table.columns.keys() or "name" in table.columns
    if not has_names:
        plan.errors.append((HEADER_LINE, "no name columns (first_name and last_name, or name)"))
        return plan
    seen: dict[str, int] = {}
    matched = MatchedIds()
    for line, row in table.rows:
        sid = table.cell(row, "student_id") or ""
        if not sid:
            plan.errors.append((line, "student ID is required"))
            continue
        key = id_key(sid)
        if key in seen:
            plan.errors.append((line, f"student ID {sid} is already on line {seen[key]}"))
            continue
        seen[key] = line
        existing = roster.find(sid)
        if existing is not None:
            matched.add(sid, existing.student_id, line)
            sid = existing.student_id  # the stored ID is kept, never renamed by an import
        try:
            fields = _roster_fields(table, row, module_keys, existing, schedule)
            base = existing.model_dump() if existing else {}
            student = Student.model_validate(base | fields | {"student_id": sid})
        except ValueError as exc:  # pydantic's ValidationError included
            plan.errors.append((line, _reason(exc)))
            continue
        if existing is None:
            plan.new.append(student)
        elif student == existing:
            plan.unchanged += 1
        else:
            plan.updated.append(student)
    plan.notes += matched.notes(roster)
    return plan


def _roster_fields(
    table: Table,
    row: list[str],
    module_keys: list[str],
    existing: Student | None,
    schedule: FeeSchedule,
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    name = table.cell(row, "name")
    if name is not None:
        fields["first_name"], fields["last_name"] = _split_name(name)
    for column in ("first_name", "last_name", "email", "section", "term", "state_id"):
        value = table.cell(row, column)
        if value is not None:
            fields[column] = value
    year = table.cell(row, "grad_year")
    if year is not None:
        fields["grad_year"] = grad_year(year)
    registered = table.cell(row, "registered")
    if registered is not None:
        try:
            flag = parse_bool(registered)
        except ValueError as exc:
            raise ValueError(f"registered: {exc}") from None
        kept = existing.registration_fee if existing else None
        paid = table.cell(row, "fee_registration") or ""
        if flag and paid:
            try:
                fields["registration_fee"] = parse_money(paid)
            except ValueError as exc:
                raise ValueError(f"fee_registration: {exc}") from None
        else:
            fee = kept if kept is not None else schedule.registration
            fields["registration_fee"] = fee if flag else None
    status = table.cell(row, "status")
    if status is not None:
        folded = status.casefold() or "active"
        if folded not in ("active", "dropped"):
            raise ValueError(f"status {status!r} is not active or dropped")
        fields["status"] = folded
    bought = dict(existing.supplements) if existing else {}
    for key in module_keys:
        cell = table.cell(row, f"{key}_supplement")
        if cell is None:
            continue
        if _AMOUNT.match(cell):  # the fee paid, as the export writes it
            try:
                bought[key] = parse_money(cell)
            except ValueError as exc:
                raise ValueError(f"{key}_supplement: {exc}") from None
            continue
        try:
            wanted = parse_bool(cell)
        except ValueError as exc:
            raise ValueError(f"{key}_supplement: {exc} (nor an amount such as 70.00)") from None
        if wanted:
            bought.setdefault(key, schedule.supplement)
        else:
            bought.pop(key, None)
    fields["supplements"] = bought
    return fields


def plan_attempts_import(
    data: bytes,
    roster: Roster,
    schedule: FeeSchedule,
    today: date,
    now: datetime,
    new_id: Callable[[], str],
    *,
    practice: bool = False,
) -> ImportPlan:
    """Check every row of an attempts CSV; identical attempts already stored count unchanged.
    `practice` takes every row as a practice test; otherwise a `kind` column may say so.
    Assessments dated before the student may sit them are listed in `early`."""
    table = read_table(data, ATTEMPT_ALIASES, known=ATTEMPTS_HEADER)
    plan = ImportPlan("practice" if practice else "attempts", unknown_columns=table.unknown)
    missing = [c for c in ("student_id", "module", "date") if c not in table.columns]
    if "correct" not in table.columns and "percent" not in table.columns:
        missing.append("correct or percent")
    if missing:
        plan.errors.append(missing_columns(missing))
        return plan
    stored = Counter(a.identity for a in roster.attempts)
    lines: dict[str, int] = {}
    matched = MatchedIds()
    registered: dict[str, Student] = {}
    for line, row in table.rows:
        try:
            attempt = _attempt_from_row(
                table, row, roster, schedule, today, now, new_id, practice=practice
            )
        except ValueError as exc:  # pydantic's ValidationError included
            plan.errors.append((line, _reason(exc)))
            continue
        matched.add(table.cell(row, "student_id") or "", attempt.student_id, line)
        # Each stored attempt answers for one identical row: a file holding the same
        # sitting twice adds the second (a store holding it once has only one of them).
        if stored[attempt.identity]:
            stored[attempt.identity] -= 1
            plan.unchanged += 1
            continue
        plan.new.append(attempt)
        lines[attempt.attempt_id] = line
        student = roster.by_id[attempt.student_id]
        charged = not attempt.practice  # a practice test is never charged: no registration
        if charged and not student.registered and student.student_id not in registered:
            registered[student.student_id] = student.model_copy(
                update={"registration_fee": schedule.registration}
            )
    plan.updated.extend(registered.values())
    plan.notes += matched.notes(roster)
    if registered:
        names = ", ".join(f"{s.full_name} ({s.student_id})" for s in registered.values())
        plan.notes.append(
            f"registers {len(registered)} student{'s' * (len(registered) != 1)} at "
            f"${schedule.registration:.2f} (every assessment needs the registration): {names}"
        )
    if plan.ok:
        plan.early = [
            (lines[a.attempt_id], f"{a.student_id} {a.module} on {a.taken_on}: {why}")
            for a, why in early_retakes(roster, plan.new)
        ]
        plan.early.sort()
    return plan


def early_retakes(roster: Roster, new: list[Attempt]) -> list[tuple[Attempt, str]]:
    """The new assessments dated before their student could sit them, each with the reason,
    judged against the stored attempts and the other new ones taken before it."""
    by_module: dict[tuple[str, str], list[Attempt]] = {}
    for attempt in new:
        if not attempt.practice:
            by_module.setdefault((attempt.student_id, attempt.module), []).append(attempt)
    found: list[tuple[Attempt, str]] = []
    for (sid, key), added in by_module.items():
        ms = roster.standings[sid].modules.get(key)
        if ms is None:
            continue
        earlier = list(ms.attempts)
        for attempt in sorted(added, key=lambda a: a.taken_on):
            before = module_standing(ms.module, earlier, ms.supplement)
            when = eligibility(before, attempt.taken_on, roster.retake_policies)
            if not when.eligible:
                found.append((attempt, f"eligible from {when.eligible_from}"))
            earlier.append(attempt)
    return found


PERCENT_TOLERANCE = Decimal("0.05")
"""How far a row's `percent` may be from its `correct`'s exact percent: the export writes
it to one decimal, so a true copy is never further off than 0.05."""


def _check_agrees(correct: int, questions: int, percent_text: str) -> None:
    """A row giving both a count and a percent must mean one score; else ValueError."""
    try:
        percent = Decimal(percent_text.strip().removesuffix("%"))
    except ArithmeticError:
        raise ValueError(f"percent {percent_text!r} is not a number") from None
    if not percent.is_finite():
        raise ValueError(f"percent {percent_text!r} is not a number")
    exact = Fraction(correct * 100, questions)
    if abs(Fraction(percent) - exact) > Fraction(PERCENT_TOLERANCE):
        raise ValueError(
            f"correct {correct} is {one_decimal(exact)}% of {questions} questions, "
            f"but percent says {percent_text.strip()}: fix one of them"
        )


def _attempt_from_row(
    table: Table,
    row: list[str],
    roster: Roster,
    schedule: FeeSchedule,
    today: date,
    now: datetime,
    new_id: Callable[[], str],
    *,
    practice: bool = False,
) -> Attempt:
    student = row_student(roster, table.cell(row, "student_id") or "", " (import the roster first)")
    module_text = table.cell(row, "module") or ""
    module = find_module(module_text)
    if module is None or module.key not in {m.key for m in roster.modules}:
        raise ValueError(f"module {module_text!r} is not a CPT module")
    taken_on = parse_date(table.cell(row, "date") or "", today)
    correct_text = table.cell(row, "correct") or ""
    percent_text = table.cell(row, "percent") or ""
    if correct_text:
        try:
            correct, percent = parse_score(correct_text, module)
        except ValueError as exc:
            raise ValueError(f"correct: {exc}") from None
        if correct is None:
            raise ValueError(f"correct {correct_text!r} is not a whole number of answers")
        if percent_text:
            _check_agrees(correct, module.questions, percent_text)
    elif percent_text:
        correct, percent = parse_score(percent_text.removesuffix("%") + "%", module)
    else:
        raise ValueError("no score: fill in correct or percent")
    kind = "practice" if practice else _kind(table.cell(row, "kind") or "")
    fee_text = table.cell(row, "fee") or ""
    if kind == "practice":
        fee = Decimal("0.00")  # never charged, whatever the file says
    else:
        fee = parse_money(fee_text) if fee_text else schedule.assessment
    return Attempt(
        attempt_id=new_id(),
        student_id=student.student_id,
        module=module.key,
        taken_on=taken_on,
        correct=correct,
        questions=module.questions if correct is not None else None,
        percent=percent,
        fee=fee,
        recorded_at=now,
        kind=kind,
    )


def _kind(text: str) -> Literal["assessment", "practice"]:
    folded = text.strip().casefold()
    if folded in ("", "assessment"):
        return "assessment"
    if folded == "practice":
        return "practice"
    raise ValueError(f"kind {text!r} is not assessment or practice")
