"""What was changed: the audit trail every write adds to, and this session's undo."""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .core import audit
from .core.models import Attempt, FeeSchedule, RetakePolicy, Student
from .storage import StoreError
from .transaction import Transaction

Records = dict[str, dict[str, dict[str, Any] | None]]
"""Table -> natural key -> the record (None: not there)."""


@dataclass(frozen=True)
class AuditEntry:
    """One change: who (system user), when, and what."""

    at: datetime
    user: str
    action: str
    detail: str


def recent(data: dict[str, Any], limit: int) -> list[AuditEntry]:
    """The store's `limit` most recent audit entries, newest first (none for 0)."""
    if limit <= 0:
        return []
    entries = sorted(data.get("audit", {}).items(), key=lambda item: int(item[0]))[-limit:]
    return [_audit_entry(e) for _, e in reversed(entries)]


def _audit_entry(record: dict[str, Any]) -> AuditEntry:
    """One audit record; a damaged one is shown with what it still says, not refused."""
    try:
        at = datetime.fromisoformat(str(record.get("at")))
    except ValueError:
        at = datetime.min
    fields = (str(record.get(k, "?")) for k in ("user", "action", "detail"))
    return AuditEntry(at, *fields)


def system_user() -> str:
    """The account running cpt-tui, from the system's user database: who the audit names.

    Never $LOGNAME or $USER (getpass.getuser() reads them first): anyone can set those, and
    the audit trail would name whoever they liked.
    """
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # an account the user database does not list (a container's uid)
        return f"uid {uid}"


@dataclass
class Change:
    """One change made in this session, with the records as they were, for undo."""

    label: str
    before: Records = field(default_factory=dict)
    after: Records = field(default_factory=dict)


UNDO_KEPT = 1000
"""The most changes a session can undo: memory stays flat over a session of any length
(a class of a few hours makes a few hundred)."""


class UndoHistory:
    """This session's changes, newest last; undo takes back the newest one."""

    def __init__(self) -> None:
        self._changes: list[Change] = []

    def __bool__(self) -> bool:
        return bool(self._changes)

    def remember(self, tx: Transaction) -> None:
        """A written change, with the records before and after it."""
        after = {t: {k: tx.staged[t][k] for k in keys} for t, keys in tx.before.items()}
        self._changes.append(Change(tx.label, tx.before, after))
        del self._changes[:-UNDO_KEPT]

    @property
    def newest(self) -> Change | None:
        return self._changes[-1] if self._changes else None

    def forget_newest(self) -> None:
        self._changes.pop()


class UndoConflict(StoreError):
    """An undo refused for good: someone else has since changed the records it would put
    back. Unlike a failed write (disk full, lock held), trying again cannot help."""


def revert(change: Change, tx: Transaction) -> None:
    """Stage `change` taken back; UndoConflict when someone else has since changed its
    records."""
    for table, records in change.before.items():
        for key, old in records.items():
            if tx.get(table, key) != change.after[table][key]:
                raise UndoConflict(
                    f"cannot undo {change.label}: it was changed since by someone else"
                )
            if old is None:
                tx.remove(table, key)
            else:
                tx.put(table, old)


def undone(change: Change) -> list[str]:
    """What undoing `change` puts back, record by record, for the audit trail."""
    said: list[str] = []
    for table, records in change.before.items():
        for key, old in records.items():
            new = change.after[table][key]
            if table == "students":
                said += _students_back(new, old)
            elif table == "attempts":
                if old is not None and new is not None:  # an edit: its diagnostic report
                    said.append(audit.diagnostics_change(_attempt(new), _attempt(old).diagnostics))
                elif old is not None:
                    said.append("restored attempt " + audit.attempt_summary(_attempt(old)))
                elif new is not None:
                    said.append("removed attempt " + audit.attempt_summary(_attempt(new)))
            elif table == "fees" and new is not None and old is None:
                withdrawn = FeeSchedule.model_validate(new)
                said.append(
                    f"fee schedule of {withdrawn.effective_from:%Y-%m-%d %H:%M} withdrawn: "
                    + audit.schedule_summary(withdrawn)
                )
            elif table == "retakes" and new is not None and old is None:
                policy = RetakePolicy.model_validate(new)
                said.append(
                    f"retake policy of {policy.effective_from:%Y-%m-%d %H:%M} withdrawn: "
                    + audit.policy_summary(policy)
                )
    return said


def _attempt(doc: dict[str, Any]) -> Attempt:
    return Attempt.model_validate(doc)


def _students_back(now: dict[str, Any] | None, then: dict[str, Any] | None) -> list[str]:
    """A student as the undo leaves them, from as they were (`now`) to as before (`then`)."""
    if now is not None and then is not None:
        return [audit.student_edit(Student.model_validate(now), Student.model_validate(then))]
    if then is not None:
        return ["restored " + audit.student_summary(Student.model_validate(then))]
    if now is not None:
        return ["removed " + audit.student_summary(Student.model_validate(now))]
    return []
