"""After the course in CSV: the credentials report, certificate numbers, and points."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from .catalog import CPT_CREDENTIAL
from .credentials import Credential, credentials_of, find_credential, noted
from .csvio import (
    ImportPlan,
    MatchedIds,
    _reason,
    missing_columns,
    neutralise,
    read_table,
    row_student,
)
from .models import MAX_ENTRY_POINTS, FeeSchedule, PointsEntry, Renewal, Student
from .parse import parse_date, parse_whole
from .profile import CODE_COLUMN, DATE_COLUMNS, GENERIC, GENERIC_COLUMNS, Profile
from .recert import points_refused, read_category
from .roster import Roster

RENEWAL = "renewal"
"""The points file's category for a CPT renewal (points empty)."""


def credentials(roster: Roster, profile: Profile = GENERIC) -> list[Credential]:
    """Every credential earned that the profile keeps, ordered by last name, first name,
    then module order, the CPT last. Dropped students' credentials are earned too."""
    ordered = sorted(roster.students, key=_by_name)
    standings = roster.standings
    return [
        c
        for s in ordered
        for c in credentials_of(standings[s.student_id])
        if profile.keeps(c.key, c.verified)
    ]


def _by_name(student: Student) -> tuple[str, str, str]:
    return (student.last_name.casefold(), student.first_name.casefold(), student.student_id)


@dataclass(frozen=True, slots=True)
class CredentialReport:
    """The credentials report as rows, and what a profile's `required` columns left out."""

    rows: list[list[str]]
    """The header (unless the profile has none), then one row per credential."""
    written: int
    left_out: list[str]
    """`E2002 cpt: no state_id`, for each credential left out for an empty required column."""


def credential_report(roster: Roster, profile: Profile = GENERIC) -> CredentialReport:
    """The credentials report shaped by the profile. A credential whose row would have an
    empty required column (say a state ID the state keys on) is left out and named."""
    rows: list[list[str]] = []
    if profile.header_row:
        rows.append([neutralise(c.header) for c in profile.columns])
    left_out: list[str] = []
    columns = profile.columns
    for credential in credentials(roster, profile):
        empty = [c for c in profile.required if not _value(credential, c, profile)]
        if empty:
            left_out.append(
                f"{credential.student.student_id} {credential.key}: no {', '.join(empty)}"
            )
            continue
        rows.append([neutralise(_value(credential, c.value, profile)) for c in columns])
    return CredentialReport(rows, len(rows) - profile.header_row, left_out)


def _value(c: Credential, column: str, profile: Profile) -> str:
    """One cell: a generic column, the credential's code, or a constant."""
    if column in DATE_COLUMNS:
        day = {"earned_on": c.earned_on, "expires_on": c.expires_on}.get(column, c.note.verified_on)
        return profile.format_date(day)
    student = c.student
    match column:
        case "student_id" | "state_id" | "last_name" | "first_name" | "section" | "term":
            return str(getattr(student, column))
        case "grad_year":
            return "" if student.grad_year is None else str(student.grad_year)
        case "credential":
            return c.key
        case "credential_name":
            return c.name
        case "certificate_number":
            return c.note.certificate_number
        case "verified_by":
            return c.note.verified_by
        case _ if column == CODE_COLUMN:
            return profile.codes[c.key]
    return profile.constants[column]


# ---------------------------------------------------------------- credentials import


def after_course_kind(data: bytes) -> str | None:
    """`credentials` or `points` when a CSV's header row says so (a certificate number or
    verification column; a category and a points column), else None: how the app's import
    dialog knows these files without a tick of their own."""
    first = data.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
    names = {"".join(ch for ch in cell.casefold() if ch.isalnum()) for cell in first.split(",")}
    if names & {"certificatenumber", "verifiedon"}:
        return "credentials"
    if {"category", "points"} <= names:
        return "points"
    return None


CREDENTIAL_ALIASES = {
    "student_id": ["studentid", "id", "studentnumber"],
    "credential": ["credential", "certificate", "module"],
    "certificate_number": ["certificatenumber", "certificateno", "certificate#", "certno"],
    "verified_on": ["verifiedon", "verified", "verificationdate"],
}


def plan_credentials_import(data: bytes, roster: Roster, user: str, today: date) -> ImportPlan:
    """Check every row of a credentials CSV (`student_id,credential,certificate_number,
    verified_on`): each names a credential the student earned. An empty cell leaves what
    is recorded; a verification is recorded as made by `user`, the account importing."""
    table = read_table(data, CREDENTIAL_ALIASES, known=GENERIC_COLUMNS)
    plan = ImportPlan("credentials", unknown_columns=table.unknown)
    missing = [c for c in ("student_id", "credential") if c not in table.columns]
    if "certificate_number" not in table.columns and "verified_on" not in table.columns:
        missing.append("certificate_number or verified_on")
    if missing:
        plan.errors.append(missing_columns(missing))
        return plan
    changed: dict[str, Student] = {}
    seen: dict[tuple[str, str], int] = {}
    matched = MatchedIds()
    for line, row in table.rows:
        try:
            sid, key, student = _credential_row(table, row, roster, changed, user, today)
        except ValueError as exc:
            plan.errors.append((line, _reason(exc)))
            continue
        matched.add(table.cell(row, "student_id") or "", sid, line)
        if (sid, key) in seen:
            plan.errors.append((line, f"{sid} {key} is already on line {seen[sid, key]}"))
            continue
        seen[sid, key] = line
        before = changed.get(sid, roster.by_id[sid])
        if student == before:
            plan.unchanged += 1
        else:
            plan.updated.append(student)
            changed[sid] = student
    plan.students = changed
    plan.notes += matched.notes(roster)
    return plan


def _credential_row(
    table: Any,
    row: list[str],
    roster: Roster,
    changed: dict[str, Student],
    user: str,
    today: date,
) -> tuple[str, str, Student]:
    sid = row_student(roster, table.cell(row, "student_id") or "").student_id
    student = changed.get(sid) or roster.by_id[sid]
    text = table.cell(row, "credential") or ""
    key = find_credential(text, roster.modules)
    if key is None:
        raise ValueError(f"{text!r} is not a credential (a module, or cpt)")
    earned = {c.key: c for c in credentials_of(roster.standings[sid])}
    if key not in earned:
        what = "the CPT" if key == CPT_CREDENTIAL else f"the {key} certificate"
        raise ValueError(f"{sid} has not earned {what} (import the attempts first)")
    number = table.cell(row, "certificate_number")
    verified_text = table.cell(row, "verified_on") or ""
    verified_on = parse_date(verified_text, today) if verified_text else None
    return (
        sid,
        key,
        noted(
            student,
            key,
            number or None,
            verified_on,
            user,
            earned_on=earned[key].earned_on,
            today=today,
        ),
    )


# ---------------------------------------------------------------- points

POINTS_HEADER = ["student_id", "date", "category", "points", "note"]
POINTS_ALIASES = {
    "student_id": ["studentid", "id", "studentnumber"],
    "date": ["date", "earnedon"],
    "category": ["category"],
    "points": ["points"],
    "note": ["note", "notes", "description"],
}


def points_rows(roster: Roster) -> Iterator[list[str]]:
    """Every points entry and every renewal (category `renewal`, points empty), per student
    in ID order, by date: with the roster and attempts exports, a store rebuilt from files
    keeps its renewals."""
    yield POINTS_HEADER
    for student in roster.students:
        lines: list[tuple[date, int, list[str]]] = []
        sid = neutralise(student.student_id)
        for order, e in enumerate(student.points):
            lines.append(
                (
                    e.earned_on,
                    order,
                    [sid, e.earned_on.isoformat(), e.category, str(e.points), neutralise(e.note)],
                )
            )
        for r in student.renewals:
            lines.append((r.renewed_on, -1, [sid, r.renewed_on.isoformat(), RENEWAL, "", ""]))
        for _, _, row in sorted(lines, key=lambda item: (item[0], item[1])):
            yield row


def fee_in_force(history: tuple[FeeSchedule, ...], day: date) -> FeeSchedule:
    """The schedule in force on a day (the oldest one before any was recorded)."""
    found = history[0]
    for schedule in history:
        if schedule.effective_from.date() <= day:
            found = schedule
    return found


@dataclass(frozen=True, slots=True)
class _PointsRow:
    sid: str
    entry: PointsEntry | None
    renewal: Renewal | None


def plan_points_import(data: bytes, roster: Roster, today: date) -> ImportPlan:
    """Check every row of a points CSV (`student_id,date,category,points,note`); a row of
    category `renewal` (points empty) is a renewal as `export --points` writes it. Entries
    and renewals already stored count as unchanged, so importing a file twice adds nothing."""
    table = read_table(data, POINTS_ALIASES, known=POINTS_HEADER)
    plan = ImportPlan("points", unknown_columns=table.unknown)
    missing = [c for c in ("student_id", "date", "category", "points") if c not in table.columns]
    if missing:
        plan.errors.append(missing_columns(missing))
        return plan
    changed: dict[str, Student] = {}
    matched = MatchedIds()
    for line, row in table.rows:
        try:
            found = _points_row(table, row, roster, today)
        except ValueError as exc:
            plan.errors.append((line, _reason(exc)))
            continue
        matched.add(table.cell(row, "student_id") or "", found.sid, line)
        student = changed.get(found.sid, roster.by_id[found.sid])
        if found.entry is not None:
            if found.entry in student.points:
                plan.unchanged += 1
                continue
            student = student.model_copy(update={"points": (*student.points, found.entry)})
            plan.new.append(found.entry)
        elif found.renewal is not None:
            if any(r.renewed_on == found.renewal.renewed_on for r in student.renewals):
                plan.unchanged += 1
                continue
            renewals = sorted((*student.renewals, found.renewal), key=lambda r: r.renewed_on)
            student = student.model_copy(update={"renewals": tuple(renewals)})
            plan.new.append(found.renewal)
        changed[found.sid] = student
    plan.students = changed
    plan.notes += matched.notes(roster)
    return plan


def _points_row(table: Any, row: list[str], roster: Roster, today: date) -> _PointsRow:
    sid = row_student(roster, table.cell(row, "student_id") or "").student_id
    st = roster.standings[sid]
    day = parse_date(table.cell(row, "date") or "", today)
    if (refused := points_refused(st, day)) is not None:
        raise ValueError(refused)
    category_text = table.cell(row, "category") or ""
    points_text = table.cell(row, "points") or ""
    if category_text.strip().casefold() == RENEWAL:
        if points_text:
            raise ValueError("a renewal row has no points (leave points empty)")
        fee = fee_in_force(roster.fee_history, day).recertification
        return _PointsRow(sid, None, Renewal(renewed_on=day, fee=fee))
    try:
        category = read_category(category_text)
    except ValueError as exc:
        raise ValueError(f"category: {exc} (or {RENEWAL})") from None
    points = parse_whole(points_text, "points", low=1, high=MAX_ENTRY_POINTS)
    entry = PointsEntry.model_validate(
        {
            "earned_on": day,
            "category": category,
            "points": points,
            "note": table.cell(row, "note") or "",
        }
    )
    return _PointsRow(sid, entry, None)
