"""The roster file behind the store facade: reading it, the one way to change it, undo.

The file keeps TinyDB's layout (table -> document number -> record) and TinyDB itself opens
it, but TinyDB is used here only as the `Storage` base class of `storage.AtomicJSONStorage`:
reads go through pydantic (`reading`), and a change is staged and applied by
`transaction.Transaction`, not TinyDB's `Table`, which rebuilds the whole table in Python on
every insert or remove (a third of a change at 10,000 students). `history` keeps the audit
trail and undo.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .core.models import (
    Attempt,
    Student,
)
from .core.profile import MAX_PROFILE_BYTES
from .core.roster import Roster
from .history import (
    AuditEntry,
    UndoConflict,
    UndoHistory,
    recent,
    revert,
    system_user,
    undone,
)
from .reading import (
    ATTEMPTS,
    STUDENTS,
    checked,
    checked_in_slices,
    fee_history,
    first_page_of,
    first_page_records,
    keep_page,
    kept_for_long,
    kept_page,
    page_key,
    retake_policies,
)
from .storage import (
    META,
    AtomicJSONStorage,
    Identity,
    StoreError,
    identity,
    read_csv_file,
    read_regular_file,
)
from .transaction import (
    Tables,
    Transaction,
    model,
)


class StoreFile:
    """The roster file as this process sees it: read (a first page, then every record),
    changed one locked transaction at a time, and this session's undo. `Store` adds the
    verbs."""

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
        self.user = user or system_user()
        self._roster: Roster | None = None
        self._pending: (
            tuple[dict[str, Any] | bytes, Identity | None, str, dict[str, Any] | None] | None
        ) = None
        """Read by `first_page`, not yet checked in full (see `finish_open`): the store's
        contents (or its bytes, when a kept page was drawn), its identity, the key of its
        bytes, and the first page's records to keep (None: kept already)."""
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

        The first page kept at the last start or close (`keep_first_page`) is used when it
        was made from exactly these bytes: the store is then parsed after the first frame,
        not before. Everything else is checked by `finish_open`: until it has run, nothing
        is changed (every change, `roster` and `refresh` run it first, under the same
        lock), so a damaged record anywhere is refused before any write.
        """
        with self._mutex:
            if self._roster is not None or self._pending is not None:
                return None
            seen = identity(self.path)
            raw = self.storage.read_bytes()
            if raw is None:
                return None
            key = page_key(raw)
            kept = kept_page(self.path, key, size)
            if kept is not None:
                self._pending = (raw, seen, key, None)
                return kept
            with kept_for_long():
                data = self.storage.check(raw)
            try:
                records = first_page_records(data, size)
                page = first_page_of(records)
            except (ValidationError, KeyError, TypeError, AttributeError):
                return None
            self._pending = (data, seen, key, records)
            return page

    def finish_open(self) -> Roster:
        """Check every record read by `first_page` (StoreUnreadable: damaged, with the
        newest backup named; nothing was written); the whole roster. The first page is then
        kept for the next start, if it was not already."""
        with self._mutex:
            pending = self._pending
            self._open_pending(in_slices=True)
            roster = self.roster
            if pending is not None and pending[3] is not None:
                self._keep_page(pending[2], pending[3])
            return roster

    def keep_first_page(self, size: int) -> None:
        """Keep the first page of the store as this process last read or wrote it, for the
        next start (when the app closes); not when another process has changed it since."""
        with self._mutex:
            if self._roster is None or identity(self.path) != self._identity:
                return
            raw = self.storage.read_bytes()
            if raw is None or identity(self.path) != self._identity:
                return
            key = page_key(raw)
            if kept_page(self.path, key, size) is None:
                self._keep_page(key, first_page_records(self._data, size))

    def _keep_page(self, key: str, records: dict[str, Any]) -> None:
        keep_page(self.path, key, records, self.storage.file_mode(), self.storage.group())

    def _open_pending(self, in_slices: bool = False) -> None:
        if self._pending is None:
            return
        data, seen, _, _ = self._pending
        self._pending = None
        with kept_for_long():
            if isinstance(data, bytes):  # the kept page was drawn: parse the store now
                data = self.storage.check(data)
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
                {k: model(Student, d) for k, d in tx.staged.get("students", {}).items()},
                {k: model(Attempt, d) for k, d in tx.staged.get("attempts", {}).items()},
                fee_history(work) if "fees" in tx.staged else None,
                retake_policies(work) if "retakes" in tx.staged else None,
            )
            if undoable:
                self._history.remember(tx)

    @contextlib.contextmanager
    def _dry_run(self, action: str, detail: str) -> Iterator[Transaction]:
        """A change worked out and never written (an import's dry run): against the store as
        it is now, re-read if another process replaced it, without the lock, so it creates
        nothing (no folder, no lock file: a dry run on a path with no store leaves none).
        A store is replaced whole by a rename, so a read without the lock is never torn."""
        with self._mutex:
            self.refresh()
            assert self._roster is not None
            tx = Transaction(dict(self._data), self._roster, action, detail, self._tables)
            yield tx
            if tx.staged:
                raise AssertionError("a dry run staged a change")

    def _student(self, tx: Transaction, student_id: str) -> Student:
        doc = tx.get("students", student_id)
        if doc is None:
            raise StoreError(f"no student with ID {student_id} (deleted by someone else?)")
        return Student.model_validate(doc)

    # -- files to import ----------------------------------------------------------------

    @staticmethod
    def read_csv(path: Path) -> bytes:
        """A CSV's bytes to import: only a regular file, of at most CSV_LIMIT bytes.

        FileRefused (a StoreError) names what it is or its size and the limit; OSError when
        it cannot be read at all.
        """
        return read_csv_file(path)

    @staticmethod
    def read_profile(path: Path) -> bytes:
        """A credentials export profile's bytes, read as a CSV is: only a regular file, of at
        most MAX_PROFILE_BYTES (FileRefused otherwise); OSError when it cannot be read."""
        return read_regular_file(path, MAX_PROFILE_BYTES, "a profile")

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
                    tx.detail = "; ".join([change.label, *undone(change)])
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
