"""A CSV import inside one store change: every row checked, then all of them written or none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from .core import audit
from .core.csv_imports import plan_attempts_import, plan_roster_import
from .core.csvio import ImportPlan
from .core.diagnostics_csv import DiagnosticsPlan, plan_diagnostics_import
from .core.models import Attempt
from .transaction import Transaction, dump, new_attempt_id, put_student


def stage_import(
    tx: Transaction,
    data: bytes,
    table: str,
    *,
    dry_run: bool,
    clock: Callable[[], datetime],
    practice: bool = False,
) -> ImportPlan:
    """Plan the import of `data` into `table` ("students" or "attempts"; with `practice`,
    every attempt a practice test) and, unless it is a dry run or a row is refused, stage
    every record in `tx`. The plan says what happened."""
    roster = tx.roster
    if table == "students":
        plan = plan_roster_import(data, roster, roster.fees)
    else:
        now = clock()
        plan = plan_attempts_import(
            data, roster, roster.fees, now.date(), now, new_attempt_id, practice=practice
        )
    if dry_run or not plan.ok:
        return plan
    details = [f"{table}: {plan.summary()}"]
    for record in plan.new:
        tx.put(table, dump(record))
        if isinstance(record, Attempt):
            details.append(f"new attempt {audit.attempt_summary(record)}")
        else:
            details.append(f"new {audit.student_summary(record)}")
    for student in plan.updated:  # an attempts import registers students, a roster one edits
        put_student(tx, student)
        details.append(audit.student_edit(roster.by_id[student.student_id], student))
    # Every record named with its values: the audit trail answers "who changed this?".
    tx.detail = "; ".join(details)
    tx.label = f"import {table}: {plan.summary()}"
    return plan


def stage_diagnostics_import(
    tx: Transaction, data: bytes, *, dry_run: bool, today: date
) -> DiagnosticsPlan:
    """Plan the import of diagnostic reports and, unless it is a dry run or a row is refused,
    stage each attempt whose report changes (a report lives on its attempt's record)."""
    plan = plan_diagnostics_import(data, tx.roster, today)
    if dry_run or not plan.ok:
        return plan
    details = [f"diagnostics: {plan.summary()}"]
    for attempt in plan.changed:
        before = tx.roster.attempts_by_id[attempt.attempt_id]
        details.append(audit.diagnostics_change(before, attempt.diagnostics))
        tx.put("attempts", dump(attempt))
    tx.detail = "; ".join(details)
    return plan


def stage_students(tx: Transaction, plan: ImportPlan, dry_run: bool) -> ImportPlan:
    """Stage every student a credentials or points import changed, unless it is a dry run
    or a row is refused. The plan says what happened."""
    if dry_run or not plan.ok:
        return plan
    details = [f"{plan.kind}: {plan.summary()}"]
    for student in plan.students.values():
        details.append(audit.student_edit(tx.roster.by_id[student.student_id], student))
        put_student(tx, student)
    tx.detail = "; ".join(details)  # each student's change named: who changed this, and how
    return plan
