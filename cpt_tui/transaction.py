"""One write to the store: records staged by natural key, then applied to copies of the
tables they change, with the store's TinyDB layout (table -> document number -> record)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import ValidationError

from .core.models import Attempt, FeeSchedule, RetakePolicy, Student
from .core.parse import explain
from .core.roster import Roster
from .storage import StoreError

KEYS = {
    "students": "student_id",
    "attempts": "attempt_id",
    "fees": "effective_from",
    "retakes": "effective_from",
}
"""Each table's natural key: what undo and the import match records on."""


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


@contextlib.contextmanager
def fields_checked() -> Iterator[None]:
    """Around making a model from what was typed: pydantic's refusal as InvalidFields."""
    try:
        yield
    except ValidationError as exc:
        raise InvalidFields(explain(exc)) from None


class KeyIndex:
    """Natural key -> (TinyDB doc ID, record) per table, kept while the table is unchanged.

    A change replaces a table's dict whenever it changes it, so an index built for one table
    dict stays right for as long as that very dict is the table.
    """

    def __init__(self) -> None:
        self._built: dict[str, tuple[dict[str, Any], dict[str, tuple[int, dict[str, Any]]]]] = {}

    def moved(
        self, table: str, raw: dict[str, Any], gone: list[str], added: list[tuple[str, int, Any]]
    ) -> None:
        """The table is now `raw`: the index less `gone` keys plus `added` (key, ID, record)."""
        built = self._built.get(table)
        if built is None:
            return
        index = dict(built[1])
        for key in gone:
            index.pop(key, None)
        for key, doc_id, doc in added:
            index[key] = (doc_id, doc)
        self._built[table] = (raw, index)

    def of(self, data: dict[str, Any], table: str) -> dict[str, tuple[int, dict[str, Any]]]:
        raw = data.get(table, {})
        built = self._built.get(table)
        if built is None or built[0] is not raw:
            key = KEYS[table]
            index = {str(doc[key]): (int(doc_id), doc) for doc_id, doc in raw.items()}
            built = self._built[table] = (raw, index)
        return built[1]


class Tables:
    """What a change needs to know of the tables: a natural-key index of each, and the last
    TinyDB document number used in each. Kept while the file is the one this process last
    read or wrote, so neither is worked out again (a pass over every record) per change."""

    def __init__(self) -> None:
        self.index = KeyIndex()
        self._last: dict[str, int] = {}

    def next_id(self, table: str, raw: dict[str, Any]) -> int:
        """A new document number: one past the highest ever used (TinyDB's own rule)."""
        last = self._last.get(table)
        if last is None:
            last = max(map(int, raw), default=0)
        self._last[table] = last + 1
        return last + 1


class Transaction:
    """Records staged by natural key, then applied to a copy of each table they change.

    The tables keep TinyDB's layout (document number -> record), and TinyDB reads the file,
    but records are not put in through TinyDB's `Table`: it rebuilds the whole table in
    Python on every insert or remove, which was a third of a change at 10,000 students.
    """

    def __init__(
        self, data: dict[str, Any], roster: Roster, action: str, detail: str, tables: Tables
    ) -> None:
        self.roster = roster
        """The store as read under the lock, before this change."""
        self.action, self.detail = action, detail
        """What the audit trail will say; the change puts each field's old and new value in."""
        self.label = f"{action} {detail}"
        """The change in a few words, for undo's notice."""
        self._tables = tables
        self._index = tables.index
        self._data = data
        self.staged: dict[str, dict[str, dict[str, Any] | None]] = {}
        self.before: dict[str, dict[str, dict[str, Any] | None]] = {}

    def _stored(self, table: str, key: str) -> dict[str, Any] | None:
        found = self._index.of(self._data, table).get(key)
        return dict(found[1]) if found is not None else None

    def get(self, table: str, key: str) -> dict[str, Any] | None:
        staged = self.staged.get(table, {})
        if key in staged:
            return staged[key]
        return self._stored(table, key)

    def put(self, table: str, doc: dict[str, Any]) -> None:
        self._stage(table, str(doc[KEYS[table]]), doc)

    def remove(self, table: str, key: str) -> None:
        self._stage(table, key, None)

    def _stage(self, table: str, key: str, doc: dict[str, Any] | None) -> None:
        before = self.before.setdefault(table, {})
        if key not in before:
            before[key] = self._stored(table, key)
        self.staged.setdefault(table, {})[key] = doc

    def apply(self) -> None:
        """Put the staged records in their tables, each changed table copied once (the
        store's own tables are never edited in place)."""
        for table, staged in self.staged.items():
            index = self._index.of(self._data, table)
            raw = dict(self._data.get(table, {}))
            for key in staged:
                if key in index:
                    del raw[str(index[key][0])]
            added = []
            for key, doc in staged.items():
                if doc is not None:
                    doc_id = self._tables.next_id(table, raw)
                    raw[str(doc_id)] = doc
                    added.append((key, doc_id, doc))
            self._data[table] = raw
            self._index.moved(table, raw, list(staged), added)

    def log(self, entry: dict[str, str]) -> None:
        """Add an entry to the audit trail."""
        audit = dict(self._data.get("audit", {}))
        audit[str(self._tables.next_id("audit", audit))] = entry
        self._data["audit"] = audit


def dump(model: Student | Attempt | FeeSchedule | RetakePolicy) -> dict[str, Any]:
    """A model as the store keeps it (JSON types)."""
    return model.model_dump(mode="json")


M = TypeVar("M", Student, Attempt)


def model(kind: type[M], doc: dict[str, Any] | None) -> M | None:
    """A stored record as its model (None: not there, or removed)."""
    return kind.model_validate(doc) if doc is not None else None


def put_student(tx: Transaction, student: Student) -> Student:
    """Stage `student` saved: one revision on from the record it was made from."""
    saved = student.model_copy(update={"revision": student.revision + 1})
    tx.put("students", dump(saved))
    return saved


def new_attempt_id() -> str:
    return uuid.uuid4().hex[:16]
