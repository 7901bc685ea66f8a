"""CSV in and out: the end-of-term exports and the roster and attempts imports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from pydantic import ValidationError

from .errors import CptError
from .fees import FeeLine
from .labels import plural
from .models import Attempt, Student, one_decimal
from .parse import explain
from .recert import current_points
from .roster import Roster
from .standing import passes

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_FIELD = 10_000
"""A longer cell is refused with its line (spreadsheets cap cells at 32,767 characters)."""


class CsvError(CptError, ValueError):
    """A file that cannot be read as CSV at all, with the line where reading stopped."""


# ---------------------------------------------------------------- writing


def default_export_name(
    attempts: bool = False, today: date | None = None, *, diagnostics: bool = False
) -> str:
    """The file an export is offered under: cpt-export-DATE.csv (cpt-attempts-DATE.csv,
    cpt-diagnostics-DATE.csv)."""
    kind = "diagnostics" if diagnostics else "attempts" if attempts else "export"
    return f"cpt-{kind}-{(today or date.today()).isoformat()}.csv"


def _guarded(text: str) -> bool:
    """Whether the text, past any `'` it starts with, begins like a formula: `=1`, `'=1`."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading `'`; so does one that
    already starts with `'` before a formula character (`'=` is written `''=`), so that
    `unneutralise` gives back exactly what was written."""
    return "'" + text if _guarded(text) else text


def unneutralise(text: str) -> str:
    """Take off the `'` that `neutralise` put before a formula character (or before the
    `'`s of a name that itself began with them)."""
    return text[1:] if text.startswith("'") and _guarded(text[1:]) else text


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _paid(fee: Decimal | None) -> str:
    """A supplement as the fee paid for it (`70.00`), or empty when none was bought: a
    re-import charges what was paid, not the schedule in force then."""
    return "" if fee is None else _money(fee)


def roster_header(roster: Roster) -> list[str]:
    """The wide export's columns, exactly in the SPEC's order."""
    header = ["student_id", "last_name", "first_name", "email", "section", "term"]
    header += ["registered", "status"]
    for m in roster.modules:
        header += [f"{m.key}_best_pct", f"{m.key}_attempts", f"{m.key}_passed_on"]
        header += [f"{m.key}_supplement"]
    header += ["core_passed", "cpt_certified", "cpt_certified_on", "cpt_expires_on"]
    header += ["fee_registration", "fee_assessments", "fee_supplements", "fee_total"]
    header += ["state_id", "grad_year", "recert_points"]
    return header


def roster_rows(roster: Roster) -> Iterator[list[str]]:
    """The wide export: a header, then one row per student (dropped ones too)."""
    yield roster_header(roster)
    for student in roster.students:
        st = roster.standings[student.student_id]
        fees: FeeLine = roster.fee_lines[student.student_id]
        row = [neutralise(v) for v in (student.student_id, student.last_name, student.first_name)]
        row += [neutralise(v) for v in (student.email, student.section, student.term)]
        row += [_yes(student.registered), student.status]
        for ms in st.modules.values():
            best = one_decimal(ms.best) if ms.best is not None else ""
            paid = student.supplements.get(ms.module.key)
            row += [best, str(len(ms.attempts)), _day(ms.passed_on), _paid(paid)]
        row += [str(st.core_passed), _yes(st.cpt_certified_on is not None)]
        row += [_day(st.cpt_certified_on), _day(st.cpt_expires_on)]
        row += [_money(v) for v in (fees.registration, fees.assessments, fees.supplements)]
        row.append(_money(fees.total))
        points = current_points(st)
        row += [
            neutralise(student.state_id),
            "" if student.grad_year is None else str(student.grad_year),
        ]
        row.append("" if points is None else str(points))
        yield row


ATTEMPTS_HEADER = ["student_id", "module", "date", "correct", "percent", "passed", "fee", "kind"]


def attempt_percent(attempt: Attempt) -> str:
    """One decimal; a score typed as a percent keeps its own figure so a re-import agrees."""
    if attempt.percent is not None and attempt.correct is None:
        text = f"{attempt.percent.normalize():f}"
        return text if "." in text else text + ".0"
    return one_decimal(attempt.score)


def attempts_rows(roster: Roster) -> Iterator[list[str]]:
    """The long export: one row per attempt, in student then module then date order; a
    practice test (kind `practice`) has `passed` empty and fee 0.00."""
    yield ATTEMPTS_HEADER
    for student in roster.students:
        st = roster.standings[student.student_id]
        for ms in st.modules.values():
            attempts = ms.attempts
            if ms.practice:
                attempts = tuple(sorted(attempts + ms.practice, key=_taken))
            for a in attempts:
                correct = "" if a.correct is None else str(a.correct)
                row = [neutralise(a.student_id), a.module, a.taken_on.isoformat(), correct]
                passed = "" if a.practice else _yes(passes(ms.module, a.score))
                yield row + [attempt_percent(a), passed, _money(a.fee), a.kind]


def _taken(attempt: Attempt) -> tuple[date, datetime]:
    return attempt.taken_on, attempt.recorded_at


def write_csv(rows: Iterable[list[str]], *, bom: bool = True) -> str:
    """The rows as CSV text (CRLF, as spreadsheets expect), with a BOM unless asked not to."""
    out = io.StringIO()
    if bom:
        out.write(BOM)
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# ---------------------------------------------------------------- reading


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header.strip().casefold())


@dataclass
class Table:
    """A decoded CSV: canonical column -> cell, with each row's line number."""

    columns: dict[str, int]
    unknown: list[str]
    rows: list[tuple[int, list[str]]]

    def cell(self, row: list[str], column: str) -> str | None:
        index = self.columns.get(column)
        if index is None:
            return None
        return unneutralise(row[index].strip()) if index < len(row) else ""


def read_table(data: bytes, aliases: dict[str, list[str]], known: Iterable[str] = ()) -> Table:
    """Decode and split a CSV file; CsvError (with its line) when it cannot be read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvError(
            f"line {line}: the file is not UTF-8 text; save it as 'CSV UTF-8' and try again"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CsvError(f"line {line}: the file holds a NUL byte; it is not a CSV file")
    lookup = {alias: column for column, names in aliases.items() for alias in names}
    source = io.StringIO(text, newline="")
    reader = csv.reader(source)
    start, offset = 1, 0
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise CsvError("line 1: the file is empty or has no header row")
        columns: dict[str, int] = {}
        unknown: list[str] = []
        known_norm = {_norm(k) for k in known}
        for index, title in enumerate(header):
            column = lookup.get(_norm(title))
            if column is None:
                if _norm(title) not in known_norm and title.strip():
                    unknown.append(title.strip())
            elif column in columns:
                raise CsvError(f"line 1: two columns mean {column}: {title.strip()!r}")
            else:
                columns[column] = index
        rows: list[tuple[int, list[str]]] = []
        # A record is named by the line it starts on, as a spreadsheet user counts: one with
        # a quoted line break in a note ends on a later line (`reader.line_num`).
        start, offset = reader.line_num + 1, source.tell()
        last = (0, 1)  # where the last record read starts: (offset, line)
        for row in reader:
            if any(len(cell) > MAX_FIELD for cell in row):
                raise CsvError(f"line {start}: a cell is over {MAX_FIELD:,} characters")
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            last, offset = (offset, start), source.tell()
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CsvError(f"line {start}: {exc}") from None
    if _quote_never_closed(text[last[0] :]):
        raise CsvError(
            f"line {last[1]}: a quote opened in this row is never closed, so every line "
            "after it was read into one cell; close the quote and try again"
        )
    return Table(columns, unknown, rows)


def _quote_never_closed(record: str) -> bool:
    """Whether the file's last record (from where it starts to the end) opens a quote it
    never closes. Python's reader, not strict, quietly takes the rest of the file into that
    cell: rows after it would vanish from the import without a word."""
    if '"' not in record:
        return False
    try:
        for _ in csv.reader(io.StringIO(record, newline=""), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


@dataclass
class ImportPlan:
    """What an import would do: checked in full before anything is written."""

    kind: str
    new: list[Any] = field(default_factory=list)
    updated: list[Student] = field(default_factory=list)
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    """(line, reason) for every refused row."""
    unknown_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the instructor should know before confirming: an ID matched to a stored one
    written differently, a student registered by their first assessment."""
    early: list[tuple[int, str]] = field(default_factory=list)
    """(line, what) for every assessment dated before the student may sit it: imported
    (it happened), and named."""
    students: dict[str, Student] = field(default_factory=dict)
    """Student ID -> the record to write, for imports that change students in place
    (credentials, points): every row's change to one student, together."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """`3 new, 1 updated, 20 unchanged, 0 rejected` and any ignored columns."""
        text = (
            f"{len(self.new)} new, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged, {len(self.errors)} rejected"
        )
        if self.early:
            count = len(self.early)
            text += f"; {count} early retake{'s' if count != 1 else ''} (before eligibility)"
        return text + ignored_columns(self.unknown_columns)

    def refusal(self) -> str:
        """Why nothing was imported and what the other rows would have done (`refused`)."""
        return refused(self, len(self.new), len(self.updated), "row")

    def error_lines(self) -> list[str]:
        return [f"line {line}: {reason}" for line, reason in self.errors]

    def early_lines(self) -> list[str]:
        return [f"line {line}: early retake: {what}" for line, what in self.early]


HEADER_LINE = 1
"""The line a refusal of the whole file names: a missing column, before any row is read."""


def missing_columns(missing: Iterable[str]) -> tuple[int, str]:
    """The refusal of a file whose header lacks `missing` columns (no row is then read)."""
    return HEADER_LINE, "missing columns: " + ", ".join(missing)


def ignored_columns(columns: Sequence[str]) -> str:
    """`; ignored columns: notes, period` after a summary; empty when none was ignored."""
    return "; ignored columns: " + ", ".join(columns) if columns else ""


class _Refusable(Protocol):
    errors: list[tuple[int, str]]
    unchanged: int
    unknown_columns: list[str]


def refused(plan: _Refusable, new: int, updated: int, noun: str) -> str:
    """A refused import in words that cannot be taken for what happened: `2 rows rejected;
    without them, 1 would be new, 0 updated, 3 unchanged` (SPEC's dry-run words), or that
    the header was refused and no row was read."""
    if any(line == HEADER_LINE for line, _ in plan.errors):
        text = "the file's columns are refused, so no row was checked"
    else:
        count = len(plan.errors)
        text = (
            f"{plural(count, noun)} rejected; without "
            f"{'them' if count != 1 else 'it'}, {new} would be new, {updated} updated, "
            f"{plan.unchanged} unchanged"
        )
    return text + ignored_columns(plan.unknown_columns)


def row_student(roster: Roster, typed: str, hint: str = "") -> Student:
    """The student a file's `student_id` cell means, by the one ID rule (`Roster.find`:
    `s1001` is S1001, `7` is 007); ValueError says it is required, or not on the roster
    (then `hint`, e.g. " (import the roster first)")."""
    if not typed.strip():
        raise ValueError("student ID is required")
    student = roster.find(typed)
    if student is None:
        raise ValueError(f"student ID {typed!r} is not on the roster{hint}")
    return student


@dataclass
class MatchedIds:
    """IDs a file wrote differently from the stored student's (case, spaces, leading zeros),
    with the lines they are on: a dry run names each, so no match goes unseen."""

    lines: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def add(self, typed: str, stored: str, line: int) -> None:
        if typed != stored:
            self.lines.setdefault((typed, stored), []).append(line)

    def notes(self, roster: Roster) -> list[str]:
        """`line 4: s1001 is S1001 (Ava Martinez)`, one per ID as written."""
        notes = []
        for (typed, stored), lines in self.lines.items():
            where = "line" + "s" * (len(lines) > 1) + " " + ", ".join(map(str, lines))
            notes.append(f"{where}: {typed} is {stored} ({roster.by_id[stored].full_name})")
        return notes


def _reason(error: ValueError) -> str:
    """Why a row is refused: each bad field's reason, or the reading's own words."""
    if isinstance(error, ValidationError):
        return "; ".join(explain(error).values())
    return str(error)
