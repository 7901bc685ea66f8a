"""The store facade: verbs that take and return models (never dicts) over one roster file.

The file itself (reading, the one locked way to change it, undo) is `store_file.StoreFile`;
`importing` stages a CSV import inside a change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from .core import audit
from .core.catalog import FIRST_ASSESSMENT_ON
from .core.credentials import credentials_of, noted
from .core.credentials_csv import plan_credentials_import, plan_points_import
from .core.csvio import ImportPlan
from .core.diagnostics import checked_report
from .core.diagnostics_csv import DiagnosticsPlan
from .core.labels import plural
from .core.models import (
    Attempt,
    FeeSchedule,
    PointsEntry,
    RetakePolicy,
    Student,
    StudentForm,
)
from .core.recert import RenewalRefused, points_refused, renewed
from .core.standing import cpt_expiry
from .history import AuditEntry
from .importing import stage_diagnostics_import, stage_import, stage_students
from .storage import (
    StoreError,
    StoreUnreadable,
)
from .store_file import StoreFile
from .transaction import (
    InvalidFields,
    StaleEdit,
    Transaction,
    dump,
    fields_checked,
    model,
    new_attempt_id,
    put_student,
)

PlanT = TypeVar("PlanT", ImportPlan, DiagnosticsPlan)
"""What an import did or would do."""


class Store(StoreFile):
    """The roster on disk, changed only through these verbs: each one locked, atomic,
    audited and undoable (`StoreFile`); each takes and returns models."""

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
            with fields_checked():
                student = form.to_student(original, schedule)
            moved = original is not None and student.student_id != original.student_id
            mine = original.student_id if original is not None else None
            taken = tx.roster.id_taken(student.student_id, mine)  # s1001 is S1001, 7 is 007
            if taken is not None:
                raise InvalidFields({"student_id": taken})
            if original is not None and student == original:
                return original
            tx.detail = (
                audit.student_summary(student)
                if original is None
                else audit.student_edit(original, student)
            )
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
            student = self._student(tx, student_id)
            tx.remove("students", student_id)
            gone = tx.roster.attempts_of(student_id)
            for a in gone:
                tx.remove("attempts", a.attempt_id)
            tx.detail = audit.student_summary(student) + "; " + plural(len(gone), "attempt")
            tx.detail += "".join(f"; attempt {audit.attempt_summary(a)}" for a in gone)

    def toggle_supplement(self, student_id: str, module: str) -> Student:
        """Buy (at the fee in force) or un-buy one module's supplement."""
        with self._change("supplement", f"{student_id} {module}") as tx:
            student = self._student(tx, student_id)
            bought = dict(student.supplements)
            if bought.pop(module, None) is None:
                bought[module] = tx.roster.fees.supplement
            updated = put_student(tx, student.model_copy(update={"supplements": bought}))
            tx.detail = audit.student_edit(student, updated)
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
        is never charged. A student not yet registered is registered by an assessment (every
        assessment needs the registration)."""
        score = f"{correct}" if correct is not None else f"{percent}%"
        action = "record practice" if practice else "record"
        with self._change(action, f"{student_id} {module} {score} on {taken_on}") as tx:
            student = self._student(tx, student_id)
            roster = tx.roster
            spec = next(m for m in roster.modules if m.key == module)
            if taken_on > self.today():
                raise InvalidFields({"taken_on": f"{taken_on} is in the future"})
            if taken_on < FIRST_ASSESSMENT_ON:
                raise InvalidFields({"taken_on": f"{taken_on} is before the CPT existed"})
            with fields_checked():
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
            tx.put("attempts", dump(attempt))
            tx.detail = audit.attempt_summary(attempt)
            if not student.registered and not practice:
                put_student(
                    tx, student.model_copy(update={"registration_fee": roster.fees.registration})
                )
                tx.detail += f"; registered {student_id} at {roster.fees.registration:.2f}"
            return attempt

    def delete_attempt(self, attempt_id: str) -> None:
        with self._change("delete attempt", attempt_id) as tx:
            doc = tx.get("attempts", attempt_id)
            if doc is None:
                raise StoreError("that attempt is no longer in the store")
            tx.remove("attempts", attempt_id)
            tx.detail = audit.attempt_summary(Attempt.model_validate(doc))
            tx.label = f"delete attempt {tx.detail}"

    def set_diagnostics(self, original: Attempt, report: dict[int, int]) -> Attempt:
        """Replace an attempt's diagnostic report (activity number -> percent; empty clears
        it). Refused when the attempt was deleted or changed by someone else meanwhile."""
        detail = f"{original.student_id} {original.module} {original.taken_on}"
        with self._change("diagnostics", f"{detail}: a report of {len(report)} activities") as tx:
            stored = model(Attempt, tx.get("attempts", original.attempt_id))
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
            tx.detail = audit.diagnostics_change(stored, checked)
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
            with fields_checked():
                schedule = FeeSchedule(
                    registration=registration,
                    assessment=assessment,
                    supplement=supplement,
                    effective_from=self.clock(),
                    recertification=recertification,
                )
            tx.put("fees", dump(schedule))
            tx.detail = audit.schedule_change(tx.roster.fees, schedule)
            tx.label = f"fees {tx.detail}"
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
        with self._change("retake policy", "") as tx:  # its detail and label: set below
            with fields_checked():
                policy = RetakePolicy(
                    wait_days=wait_days,
                    long_wait_days=long_wait_days,
                    long_wait_from=long_wait_from,
                    readiness_margin=readiness_margin,
                    effective_from=self.clock(),
                )
            tx.put("retakes", dump(policy))
            tx.detail = audit.policy_change(tx.roster.retake_policy, policy)
            tx.label = f"retake policy {tx.detail}"
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
        today = self.today()
        return self._importing(
            "diagnostics",
            dry_run,
            lambda tx, dry: stage_diagnostics_import(tx, data, dry_run=dry, today=today),
        )

    def _import(
        self, data: bytes, dry_run: bool, table: str, *, practice: bool = False
    ) -> ImportPlan:
        return self._importing(
            "practice" if practice else table,
            dry_run,
            lambda tx, dry: stage_import(
                tx, data, table, dry_run=dry, clock=self.clock, practice=practice
            ),
        )

    def _importing(
        self, what: str, dry_run: bool, stage: Callable[[Transaction, bool], PlanT]
    ) -> PlanT:
        """An import: `stage(tx, dry_run)` plans it and, unless dry, stages every record.
        A dry run writes nothing at all (not even the lock); so does an import refused on a
        path with no store yet (checked first, without the lock: no folder or lock is left
        behind for a file that was refused)."""
        if dry_run or not self.path.exists():
            with self._dry_run("import", what) as tx:
                plan = stage(tx, True)
            if dry_run or not plan.ok:
                return plan
        with self._change("import", what) as tx:
            return stage(tx, False)

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
            tx.detail = audit.student_edit(earned[key].student, student)
            return put_student(tx, student)

    def add_points(self, student_id: str, entry: PointsEntry) -> Student:
        """One recertification points entry for a CPT holder (not dated in the future)."""
        with self._change("points", f"{student_id} {entry.points} {entry.category}") as tx:
            student = self._student(tx, student_id)
            if refused := points_refused(tx.roster.standings[student_id], entry.earned_on):
                raise InvalidFields({"earned_on": refused})
            if entry.earned_on > self.today():
                raise InvalidFields({"earned_on": f"{entry.earned_on} is in the future"})
            updated = student.model_copy(update={"points": (*student.points, entry)})
            tx.detail = audit.student_edit(student, updated)
            return put_student(tx, updated)

    def recertify(self, student_id: str, on: date) -> Student:
        """Renew a CPT on `on` (not in the future), charged the recertification fee in force
        now; refused (StoreError) with every reason when the rules do not allow it."""
        with self._change("recertify", f"{student_id} on {on}") as tx:
            self._student(tx, student_id)
            if on > self.today():
                raise StoreError(f"cannot renew on {on}: that is in the future")
            st = tx.roster.standings[student_id]
            try:
                student = renewed(st, on, tx.roster.fees)
            except RenewalRefused as exc:
                raise StoreError(str(exc)) from None
            assert st.cpt_certified_on is not None  # renewed() refuses a student without one
            expiry = audit.expiry_change(
                st.cpt_expires_on, cpt_expiry(st.cpt_certified_on, student.renewals)
            )
            tx.detail = f"{audit.student_edit(st.student, student)}; {expiry}"
            return put_student(tx, student)

    def import_credentials(self, data: bytes, *, dry_run: bool = False) -> ImportPlan:
        """Certificate numbers and verifications, all rows or none."""
        user, today = self.user, self.today()
        return self._importing(
            "credentials",
            dry_run,
            lambda tx, dry: stage_students(
                tx, plan_credentials_import(data, tx.roster, user, today), dry
            ),
        )

    def import_points(self, data: bytes, *, dry_run: bool = False) -> ImportPlan:
        """Recertification points (and renewals, as `export --points` writes them)."""
        today = self.today()
        return self._importing(
            "points",
            dry_run,
            lambda tx, dry: stage_students(tx, plan_points_import(data, tx.roster, today), dry),
        )


__all__ = [
    "AuditEntry",
    "InvalidFields",
    "StaleEdit",
    "Store",
    "StoreError",
    "StoreUnreadable",
]
