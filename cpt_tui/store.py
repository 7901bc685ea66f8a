"""The store facade: verbs that take and return models (never dicts) over one roster file.

The file keeps TinyDB's layout (table -> document number -> record) and TinyDB itself opens
it, but TinyDB is used here only as the `Storage` base class of `storage.AtomicJSONStorage`:
reads go through pydantic (`_build`), and a change is staged and applied by
`transaction.Transaction`, not TinyDB's `Table`, which rebuilds the whole table in Python on
every insert or remove (a third of a change at 10,000 students). `history` keeps the audit
trail and undo; `importing` stages a CSV import.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .core.credentials import credentials_of, noted
from .core.credentials_csv import plan_credentials_import, plan_points_import
from .core.csvio import ImportPlan
from .core.diagnostics import checked_report
from .core.diagnostics_csv import DiagnosticsPlan
from .core.models import (
    Attempt,
    FeeSchedule,
    PointsEntry,
    RetakePolicy,
    Student,
    StudentForm,
)
from .core.parse import explain
from .core.recert import RenewalRefused, renewed
from .core.roster import Roster
from .history import AuditEntry, UndoConflict, UndoHistory, recent, revert
from .importing import stage_diagnostics_import, stage_import
from .reading import (
    ATTEMPTS,
    STUDENTS,
    checked,
    checked_in_slices,
    fee_history,
    first_page_of,
    kept_for_long,
    retake_policies,
)
from .storage import (
    META,
    AtomicJSONStorage,
    Identity,
    StoreError,
    StoreUnreadable,
    identity,
    read_csv_file,
)
from .transaction import Tables, Transaction, dump, new_attempt_id


class StaleEdit(StoreError):
    """A save from a form opened before someone else saved the same student."""

    def __init__(self, current: Student) -> None:
        self.current = current
        super().__init__(
            f"{current.full_name} was changed by someone else while you edited: now "
            f"{current.student_id}, {current.full_name}, section {current.section or '-'}, "
            f"{current.status}. Your save was not applied; reopen the form to edit again."
        )


class InvalidFields(StoreError):
    """A form whose fields are refused: field name -> reason."""

    def __init__(self, reasons: dict[str, str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons.values()))


M = TypeVar("M", Student, Attempt)


def _model(kind: type[M], doc: dict[str, Any] | None) -> M | None:
    return kind.model_validate(doc) if doc is not None else None


class Store:
    """The roster on disk. Every change is one locked, atomic, audited, undoable write."""

    def __init__(
        self,
        path: Path | str,
        *,
        clock: Callable[[], datetime] = datetime.now,
        user: str | None = None,
        lock_timeout: float = 10.0,
    ) -> None:
        self.storage = AtomicJSONStorage(Path(path), lock_timeout)
        self.path = self.storage.path
        """The real file: a link given as the store's path is resolved once, here."""
        self.clock = clock
        self.user = user or _system_user()
        self._roster: Roster | None = None
        self._pending: tuple[dict[str, Any], Identity | None] | None = None
        """Read by `first_page`, not yet checked in full (see `finish_open`)."""
        self._data: dict[str, Any] = {}
        """The store's contents as last read or written; never edited in place."""
        self._identity: Identity | None = None
        self._history = UndoHistory()
        self._tables = Tables()
        self._mutex = threading.RLock()

    # -- reading ---------------------------------------------------------------------

    def today(self) -> date:
        return self.clock().date()

    @property
    def roster(self) -> Roster:
        """The latest snapshot this process has seen (loaded on first use)."""
        with self._mutex:
            self._open_pending()
            if self._roster is None:
                self._load()
            assert self._roster is not None
            return self._roster

    def first_page(self, size: int) -> tuple[Roster, int] | None:
        """Read the store, but check only what a first screen shows: the first `size`
        students not dropped (in ID order) and their attempts. Returns that roster and the
        number of students in the store, or None when there is no store or the quick look
        cannot tell (the full read then refuses it as usual).

        Everything else is checked by `finish_open`: until it has run, nothing is changed
        (every change, `roster` and `refresh` run it first, under the same lock), so a
        damaged record anywhere is refused before any write.
        """
        with self._mutex:
            if self._roster is not None or self._pending is not None:
                return None
            seen = identity(self.path)
            with kept_for_long():
                data = self.storage.read()
            if data is None:
                return None
            try:
                page = first_page_of(data, size)
            except (ValidationError, KeyError, TypeError, AttributeError):
                return None
            self._pending = (data, seen)
            return page, len(data.get("students", {}))

    def finish_open(self) -> Roster:
        """Check every record read by `first_page` (StoreUnreadable: damaged, with the
        newest backup named; nothing was written); the whole roster."""
        with self._mutex:
            self._open_pending(in_slices=True)
            return self.roster

    def _open_pending(self, in_slices: bool = False) -> None:
        if self._pending is None:
            return
        data, seen = self._pending
        self._pending = None
        with kept_for_long():
            self._roster, self._data, self._identity = self._build(data, in_slices), data, seen
        self._tables = Tables()

    def refresh(self) -> bool:
        """Reload if another process replaced the store; True when it did."""
        with self._mutex:
            self._open_pending()
            if self._roster is not None and identity(self.path) == self._identity:
                return False
            self._load()
            return True

    def _load(self) -> None:
        seen = identity(self.path)
        with kept_for_long():
            data = self.storage.read() or {}
            self._roster, self._data, self._identity = self._build(data), data, seen
        self._tables = Tables()

    def _build(self, data: dict[str, Any], in_slices: bool = False) -> Roster:
        """Every record checked (`in_slices`: a few thousand at a time, so that a thread
        checking them leaves the UI thread its turns)."""
        check = checked_in_slices if in_slices else checked
        table = ""
        try:
            table = "students"
            students = check(STUDENTS, list(data.get(table, {}).values()))
            table = "attempts"
            attempts = check(ATTEMPTS, list(data.get(table, {}).values()))
            table = "fees"
            fees = fee_history(data)
            table = "retakes"
            policies = retake_policies(data)
        except ValidationError as exc:
            self.storage.refuse(f"a record in {table} is damaged ({exc.error_count()} errors)")
        students.sort(key=lambda s: s.student_id)
        return Roster(tuple(students), tuple(attempts), fees, retake_policies=policies)

    def audit(self, limit: int = 20) -> list[AuditEntry]:
        """The most recent changes, newest first."""
        return recent(self.storage.read() or {}, limit)

    # -- the one way to change anything --------------------------------------------------

    @contextlib.contextmanager
    def _change(self, action: str, detail: str, *, undoable: bool = True) -> Iterator[Transaction]:
        """One locked read-modify-write. The file is re-read only if another process has
        replaced it since this one last read or wrote it."""
        with self._mutex, self.storage.lock():
            self._open_pending()
            seen = identity(self.path)
            if seen != self._identity or self._roster is None:
                self._load()
            assert self._roster is not None
            # A shallow copy is enough: a change replaces whole tables, it never edits ours.
            work = dict(self._data)
            work[META] = {"1": dict(self._data.get(META, {}).get("1", {}))}
            tx = Transaction(work, self._roster, action, detail, self._tables)
            yield tx
            if not tx.staged:
                return
            now = self.clock().isoformat(timespec="seconds")
            entry = {"at": now, "user": self.user, "action": tx.action, "detail": tx.detail}
            tx.apply()
            tx.log(entry)
            self.storage.write(work)
            self._data, self._identity = work, identity(self.path)
            self._roster = self._roster.evolve(
                {k: _model(Student, d) for k, d in tx.staged.get("students", {}).items()},
                {k: _model(Attempt, d) for k, d in tx.staged.get("attempts", {}).items()},
                fee_history(work) if "fees" in tx.staged else None,
                retake_policies(work) if "retakes" in tx.staged else None,
            )
            if undoable:
                self._history.remember(tx)

    def _student(self, tx: Transaction, student_id: str) -> Student:
        doc = tx.get("students", student_id)
        if doc is None:
            raise StoreError(f"no student with ID {student_id} (deleted by someone else?)")
        return Student.model_validate(doc)

    # -- students -----------------------------------------------------------------------

    def save_student(self, form: StudentForm, original: Student | None = None) -> Student:
        """Add a student (original None) or save an edit; InvalidFields, StaleEdit refuse it."""
        label = "add" if original is None else "edit"
        with self._change(label, f"student {form.student_id}") as tx:
            schedule = tx.roster.fees
            stored = tx.get("students", original.student_id) if original else None
            if original is not None:
                if stored is None:
                    raise StoreError(f"{original.full_name} was deleted by someone else")
                current = Student.model_validate(stored)
                # The whole record, not the revision alone: a student deleted and added again
                # under the same ID starts again at revision 1.
                if current != original:
                    raise StaleEdit(current)
            try:
                student = form.to_student(original, schedule)
            except ValidationError as exc:
                raise InvalidFields(explain(exc)) from None
            moved = original is not None and student.student_id != original.student_id
            if (original is None or moved) and tx.get("students", student.student_id):
                taken = Student.model_validate(tx.get("students", student.student_id))
                raise InvalidFields(
                    {"student_id": f"student ID {student.student_id} is {taken.full_name}'s"}
                )
            if original is not None and student == original:
                return original
            student = student.model_copy(update={"revision": student.revision + 1})
            if original is not None and moved:
                tx.remove("students", original.student_id)
                for a in tx.roster.attempts_of(original.student_id):
                    tx.put("attempts", dump(a) | {"student_id": student.student_id})
            tx.put("students", dump(student))
            return student

    def delete_student(self, student_id: str) -> None:
        """Remove a student and their attempts (undo brings both back)."""
        with self._change("delete", f"student {student_id}") as tx:
            self._student(tx, student_id)
            tx.remove("students", student_id)
            for a in tx.roster.attempts_of(student_id):
                tx.remove("attempts", a.attempt_id)

    def toggle_supplement(self, student_id: str, module: str) -> Student:
        """Buy (at the fee in force) or un-buy one module's supplement."""
        with self._change("supplement", f"{student_id} {module}") as tx:
            student = self._student(tx, student_id)
            bought = dict(student.supplements)
            if bought.pop(module, None) is None:
                bought[module] = tx.roster.fees.supplement
            updated = student.model_copy(
                update={"supplements": bought, "revision": student.revision + 1}
            )
            tx.put("students", dump(updated))
            return updated

    # -- attempts -----------------------------------------------------------------------

    def record_attempt(
        self,
        student_id: str,
        module: str,
        taken_on: date,
        *,
        correct: int | None = None,
        percent: Decimal | None = None,
        practice: bool = False,
    ) -> Attempt:
        """Record one sitting, charged at the assessment fee in force now; a practice test
        is never charged."""
        score = f"{correct}" if correct is not None else f"{percent}%"
        action = "record practice" if practice else "record"
        with self._change(action, f"{student_id} {module} {score} on {taken_on}") as tx:
            self._student(tx, student_id)
            roster = tx.roster
            spec = next(m for m in roster.modules if m.key == module)
            if taken_on > self.today():
                raise InvalidFields({"taken_on": f"{taken_on} is in the future"})
            try:
                attempt = Attempt(
                    attempt_id=new_attempt_id(),
                    student_id=student_id,
                    module=module,
                    taken_on=taken_on,
                    correct=correct,
                    questions=spec.questions if correct is not None else None,
                    percent=percent,
                    fee=Decimal("0.00") if practice else roster.fees.assessment,
                    recorded_at=self.clock(),
                    kind="practice" if practice else "assessment",
                )
            except ValidationError as exc:
                raise InvalidFields(explain(exc)) from None
            tx.put("attempts", dump(attempt))
            return attempt

    def delete_attempt(self, attempt_id: str) -> None:
        with self._change("delete attempt", attempt_id) as tx:
            if tx.get("attempts", attempt_id) is None:
                raise StoreError("that attempt is no longer in the store")
            tx.remove("attempts", attempt_id)

    def set_diagnostics(self, original: Attempt, report: dict[int, int]) -> Attempt:
        """Replace an attempt's diagnostic report (activity number -> percent; empty clears
        it). Refused when the attempt was deleted or changed by someone else meanwhile."""
        detail = f"{original.student_id} {original.module} {original.taken_on}"
        with self._change("diagnostics", f"{detail}: {len(report)} activities") as tx:
            stored = _model(Attempt, tx.get("attempts", original.attempt_id))
            if stored is None:
                raise StoreError(
                    "that attempt is no longer in the store (deleted by someone else?)"
                )
            if stored != original:
                raise StoreError(
                    "that attempt was changed by someone else while you edited; reopen the form"
                )
            if stored.kind != "assessment":
                raise StoreError("a practice test has no MSSC diagnostic report")
            try:
                checked = checked_report(
                    next(m for m in tx.roster.modules if m.key == stored.module), report
                )
            except ValueError as exc:
                raise InvalidFields({"diagnostics": str(exc)}) from None
            if checked == stored.diagnostics:
                return stored
            updated = stored.model_copy(update={"diagnostics": checked})
            tx.put("attempts", dump(updated))
            return updated

    # -- fees ---------------------------------------------------------------------------

    def set_fees(
        self,
        registration: Decimal,
        assessment: Decimal,
        supplement: Decimal,
        recertification: Decimal | None = None,
    ) -> FeeSchedule:
        """A new schedule from now on (recertification None: as it is now); what was
        recorded keeps the fee it was charged."""
        detail = f"registration {registration}, assessment {assessment}, supplement {supplement}"
        if recertification is not None:
            detail += f", recertification {recertification}"
        with self._change("fees", detail) as tx:
            if recertification is None:
                recertification = tx.roster.fees.recertification
            try:
                schedule = FeeSchedule(
                    registration=registration,
                    assessment=assessment,
                    supplement=supplement,
                    effective_from=self.clock(),
                    recertification=recertification,
                )
            except ValidationError as exc:
                raise InvalidFields(explain(exc)) from None
            tx.put("fees", dump(schedule))
            return schedule

    def set_retake_policy(
        self,
        wait_days: int,
        long_wait_days: int,
        long_wait_from: int,
        readiness_margin: Decimal,
    ) -> RetakePolicy:
        """A new retake policy and readiness margin from now on; a failure before now keeps
        the wait of the policy in force on its date."""
        detail = (
            f"wait {wait_days} days, {long_wait_days} from failure {long_wait_from}, "
            f"readiness margin {readiness_margin}"
        )
        with self._change("retake policy", detail) as tx:
            try:
                policy = RetakePolicy(
                    wait_days=wait_days,
                    long_wait_days=long_wait_days,
                    long_wait_from=long_wait_from,
                    readiness_margin=readiness_margin,
                    effective_from=self.clock(),
                )
            except ValidationError as exc:
                raise InvalidFields(explain(exc)) from None
            tx.put("retakes", dump(policy))
            return policy

    # -- imports --------------------------------------------------------------------------

    def import_roster(self, data: bytes, *, dry_run: bool = False) -> ImportPlan:
        """Check every row, then write all of them or none. The plan says what happened."""
        return self._import(data, dry_run, "students")

    def import_attempts(
        self, data: bytes, *, dry_run: bool = False, practice: bool = False
    ) -> ImportPlan:
        """Attempts (a `kind` column may mark practice tests), or with `practice` every row
        as a practice test."""
        return self._import(data, dry_run, "attempts", practice=practice)

    def import_diagnostics(self, data: bytes, *, dry_run: bool = False) -> DiagnosticsPlan:
        """Diagnostic reports onto the attempts they belong to: every row checked, then all
        written or none."""
        with self._change("import", "diagnostics") as tx:
            return stage_diagnostics_import(tx, data, dry_run=dry_run, today=self.today())

    def _import(
        self, data: bytes, dry_run: bool, table: str, *, practice: bool = False
    ) -> ImportPlan:
        with self._change("import", "practice" if practice else table) as tx:
            return stage_import(
                tx, data, table, dry_run=dry_run, clock=self.clock, practice=practice
            )

    # -- after the course: credentials, recertification points, renewals (core/recert.py) ---

    def record_credential(
        self, student_id: str, key: str, certificate_number: str | None, verified_on: date | None
    ) -> Student:
        """A credential's certificate number and verification (by this account)."""
        with self._change("credential", f"{student_id} {key}") as tx:
            self._student(tx, student_id)
            earned = {c.key: c for c in credentials_of(tx.roster.standings[student_id])}
            if key not in earned:
                raise StoreError(f"{student_id} has not earned that credential")
            try:
                student = noted(
                    earned[key].student,
                    key,
                    certificate_number,
                    verified_on,
                    self.user,
                    earned_on=earned[key].earned_on,
                    today=self.today(),
                )
            except ValueError as exc:
                raise InvalidFields({"credential": str(exc)}) from None
            return self._put_student(tx, student)

    def add_points(self, student_id: str, entry: PointsEntry) -> Student:
        """One recertification points entry for a CPT holder (not dated in the future)."""
        with self._change("points", f"{student_id} {entry.points} {entry.category}") as tx:
            student = self._student(tx, student_id)
            if tx.roster.standings[student_id].cpt_certified_on is None:
                raise StoreError(f"{student.full_name} holds no CPT: points count toward renewal")
            if entry.earned_on > self.today():
                raise InvalidFields({"earned_on": f"{entry.earned_on} is in the future"})
            return self._put_student(
                tx, student.model_copy(update={"points": (*student.points, entry)})
            )

    def recertify(self, student_id: str, on: date) -> Student:
        """Renew a CPT on `on` (not in the future), charged the recertification fee in force
        now; refused (StoreError) with every reason when the rules do not allow it."""
        with self._change("recertify", f"{student_id} on {on}") as tx:
            self._student(tx, student_id)
            if on > self.today():
                raise StoreError(f"cannot renew on {on}: that is in the future")
            try:
                student = renewed(tx.roster.standings[student_id], on, tx.roster.fees)
            except RenewalRefused as exc:
                raise StoreError(str(exc)) from None
            return self._put_student(tx, student)

    def import_credentials(self, data: bytes, *, dry_run: bool = False) -> ImportPlan:
        """Certificate numbers and verifications, all rows or none."""
        with self._change("import", "credentials") as tx:
            plan = plan_credentials_import(data, tx.roster, self.user, self.today())
            return self._write_students(tx, plan, dry_run)

    def import_points(self, data: bytes, *, dry_run: bool = False) -> ImportPlan:
        """Recertification points (and renewals, as `export --points` writes them)."""
        with self._change("import", "points") as tx:
            return self._write_students(
                tx, plan_points_import(data, tx.roster, self.today()), dry_run
            )

    def _write_students(self, tx: Transaction, plan: ImportPlan, dry_run: bool) -> ImportPlan:
        if dry_run or not plan.ok:
            return plan
        for student in plan.students.values():
            self._put_student(tx, student)
        tx.detail = f"{plan.kind}: {plan.summary()}"
        return plan

    def _put_student(self, tx: Transaction, student: Student) -> Student:
        saved = student.model_copy(update={"revision": student.revision + 1})
        tx.put("students", dump(saved))
        return saved

    # -- files to import ----------------------------------------------------------------

    @staticmethod
    def read_csv(path: Path) -> bytes:
        """A CSV's bytes to import: only a regular file, of at most CSV_LIMIT bytes.

        FileRefused (a StoreError) names what it is or its size and the limit; OSError when
        it cannot be read at all.
        """
        return read_csv_file(path)

    # -- undo ---------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self) -> str | None:
        """Undo this session's newest change; its label, or None with nothing to undo.

        Refused (StoreError) when someone else has since changed the same records: that
        change is then dropped, and the message says so and what `u` undoes next, so one
        refusal never blocks the session's earlier changes. A failed write (StoreError too)
        keeps it, to be tried again.
        """
        with self._mutex:
            change = self._history.newest
            if change is None:
                return None
            try:
                with self._change("undo", change.label, undoable=False) as tx:
                    revert(change, tx)
            except UndoConflict as exc:
                self._history.forget_newest()
                following = self._history.newest
                then = (
                    f"undo again for {following.label}"
                    if following is not None
                    else "nothing else to undo in this session"
                )
                raise UndoConflict(f"{exc}; it is dropped from undo ({then})") from None
            self._history.forget_newest()
            return change.label

    # -- exports --------------------------------------------------------------------------

    def write_export(self, path: Path, text: str, *, overwrite: bool) -> None:
        """Write an export with the store's permissions (owner-only unless the store is
        shared with its group, whose group it then gets): never through a link;
        FileExistsError unless `overwrite`."""
        self.storage.write_export(path, text, overwrite=overwrite)


def _system_user() -> str:
    """The account running cpt-tui, from the system's user database.

    Never $LOGNAME or $USER (getpass.getuser() reads them first): anyone can set those, and
    the audit trail would name whoever they liked.
    """
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # an account the user database does not list (a container's uid)
        return f"uid {uid}"


__all__ = [
    "AuditEntry",
    "InvalidFields",
    "StaleEdit",
    "Store",
    "StoreError",
    "StoreUnreadable",
]
