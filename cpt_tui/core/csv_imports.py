"""Roster and attempts CSV imports, planned in full (every row checked) before anything is
written: the rows read by `csvio.read_table`, the plan an `ImportPlan`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from .catalog import find_module
from .csvio import ATTEMPTS_HEADER, ImportPlan, Table, _reason, read_table, roster_header
from .models import Attempt, FeeSchedule, Student, grad_year
from .parse import parse_bool, parse_date, parse_money, parse_score
from .retakes import eligibility
from .roster import Roster
from .standing import module_standing

ROSTER_ALIASES = {
    "student_id": ["studentid", "id", "studentnumber"],
    "first_name": ["firstname", "first", "givenname"],
    "last_name": ["lastname", "last", "surname", "familyname"],
    "name": ["name"],
    "email": ["email", "emailaddress"],
    "section": ["section", "class", "period"],
    "term": ["term"],
    "registered": ["registered"],
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
        plan.errors.append((1, "no student ID column (student_id, id or student number)"))
        return plan
    has_names = {"first_name", "last_name"} <= table.columns.keys() or "name" in table.columns
    if not has_names:
        plan.errors.append((1, "no name columns (first_name and last_name, or name)"))
        return plan
    seen: dict[str, int] = {}
    for line, row in table.rows:
        sid = table.cell(row, "student_id") or ""
        if sid in seen:
            plan.errors.append((line, f"student ID {sid} is already on line {seen[sid]}"))
            continue
        seen[sid] = line
        existing = roster.by_id.get(sid)
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
        fields["registration_fee"] = (kept or schedule.registration) if flag else None
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
        try:
            wanted = parse_bool(cell)
        except ValueError as exc:
            raise ValueError(f"{key}_supplement: {exc}") from None
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
        plan.errors.append((1, "missing columns: " + ", ".join(missing)))
        return plan
    stored = Counter(a.identity for a in roster.attempts)
    lines: dict[str, int] = {}
    for line, row in table.rows:
        try:
            attempt = _attempt_from_row(
                table, row, roster, schedule, today, now, new_id, practice=practice
            )
        except ValueError as exc:  # pydantic's ValidationError included
            plan.errors.append((line, _reason(exc)))
            continue
        if stored[attempt.identity]:
            stored[attempt.identity] -= 1
            plan.unchanged += 1
        else:
            plan.new.append(attempt)
            lines[attempt.attempt_id] = line
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
    sid = table.cell(row, "student_id") or ""
    if sid not in roster.by_id:
        raise ValueError(f"student ID {sid!r} is not on the roster (import the roster first)")
    module_text = table.cell(row, "module") or ""
    module = find_module(module_text)
    if module is None or module.key not in {m.key for m in roster.modules}:
        raise ValueError(f"module {module_text!r} is not a CPT module")
    taken_on = parse_date(table.cell(row, "date") or "", today)
    correct_text = table.cell(row, "correct") or ""
    percent_text = table.cell(row, "percent") or ""
    if correct_text:
        correct, percent = parse_score(correct_text, module)
        if correct is None:
            raise ValueError(f"correct {correct_text!r} is not a whole number of answers")
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
        student_id=sid,
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
