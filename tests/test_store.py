"""The store's guarantees: atomic, locked, checked, private, audited, undoable."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import orjson
import pytest
from tinydb import Query, TinyDB

from cpt_tui.backups import backups_dir
from cpt_tui.core.models import Attempt, StudentForm
from cpt_tui.storage import SCHEMA_VERSION, StoreTooNew, StoreUnreadable, WriteFailed
from cpt_tui.store import InvalidFields, StaleEdit, Store, StoreError

from .conftest import fixed_clock

ROOT = Path(__file__).parent.parent


def test_a_new_store_and_its_files_are_owner_only(empty_store: Store, add_student) -> None:  # type: ignore[no-untyped-def]
    os.umask(0o022)
    add_student(empty_store)
    add_student(empty_store, "T101")
    for path in (empty_store.path, Path(str(empty_store.path) + ".lock")):
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert empty_store.path.parent.stat().st_mode & 0o077 == 0


def test_a_store_that_grants_its_group_keeps_it(demo_store: Store, add_student) -> None:  # type: ignore[no-untyped-def]
    demo_store.path.chmod(0o660)
    add_student(demo_store)
    assert demo_store.path.stat().st_mode & 0o777 == 0o660
    backup = next(backups_dir(demo_store.path).glob("*.json"))
    assert backup.stat().st_mode & 0o007 == 0


def test_every_change_is_in_the_audit_trail(demo_store: Store, add_student) -> None:  # type: ignore[no-untyped-def]
    add_student(demo_store)
    demo_store.record_attempt("T100", "safety", date(2026, 11, 20), correct=70)
    entries = demo_store.audit(2)
    assert [(e.user, e.action) for e in entries] == [("tester", "record"), ("tester", "add")]
    assert entries[0].detail == (
        "T100 safety 70/83 on 2026-11-20, fee 22.00; registered T100 at 28.00"
    )


def test_records_round_trip_through_the_file(demo_store: Store) -> None:
    again = Store(demo_store.path, clock=fixed_clock)
    assert again.roster.students == demo_store.roster.students
    assert again.roster.attempts == demo_store.roster.attempts
    meta = json.loads(demo_store.path.read_text())["_meta"]["1"]
    assert meta["schema_version"] == SCHEMA_VERSION
    assert meta["counts"] == {"students": 24, "attempts": 80}


def test_tinydb_reads_and_extends_what_the_store_writes(demo_store: Store, add_student) -> None:  # type: ignore[no-untyped-def]
    add_student(demo_store)
    demo_store.record_attempt("T100", "safety", date(2026, 11, 20), correct=70)
    demo_store.delete_student("E2001")
    with TinyDB(demo_store.path, access_mode="r") as tiny:
        ids = sorted(doc["student_id"] for doc in tiny.table("students").all())
        assert ids == sorted(s.student_id for s in demo_store.roster.students)
        attempts = tiny.table("attempts")
        assert len(attempts) == len(demo_store.roster.attempts)
        (mine,) = attempts.search(Query().student_id == "T100")
        assert mine["correct"] == 70
        assert tiny.table("audit").all()[-1]["action"] == "delete"
    with TinyDB(demo_store.path) as tiny:  # TinyDB's own write, then ours again
        tiny.table("students").insert(
            {"student_id": "T200", "first_name": "Tiny", "last_name": "Db", "revision": 0}
        )
    demo_store.path.write_bytes(_recounted(demo_store.path.read_bytes()))
    demo_store.record_attempt("T200", "safety", date(2026, 11, 20), correct=70)
    again = Store(demo_store.path, clock=fixed_clock)
    assert {"T100", "T200"} <= set(again.roster.by_id)
    assert len(again.roster.attempts_of("T200")) == 1


def _recounted(raw: bytes) -> bytes:
    """The store with its record counts brought up to date (a plain TinyDB write does not)."""
    data = orjson.loads(raw)
    data["_meta"]["1"]["counts"] = {t: len(data.get(t, {})) for t in ("students", "attempts")}
    return orjson.dumps(data)


BROKEN = {
    "empty": b"",
    "truncated": None,
    "random bytes": bytes(random.Random(7).randrange(256) for _ in range(500)),
    "not a store": b'{"students": {}}',
    "a list": b"[1, 2, 3]",
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_store_is_refused_and_left_byte_identical(demo_path: Path, kind: str) -> None:
    raw = BROKEN[kind] if BROKEN[kind] is not None else demo_path.read_bytes()[:5000]
    demo_path.write_bytes(raw)
    store = Store(demo_path, clock=fixed_clock)
    with pytest.raises(StoreUnreadable, match="cannot be read.*left untouched"):
        store.refresh()
    with pytest.raises(StoreUnreadable):
        store.save_student(StudentForm(student_id="X1", first_name="A", last_name="B"))
    assert demo_path.read_bytes() == raw


def test_a_count_mismatch_is_refused(demo_path: Path) -> None:
    data = orjson.loads(demo_path.read_bytes())
    data["students"].pop(next(iter(data["students"])))
    demo_path.write_bytes(orjson.dumps(data))
    with pytest.raises(StoreUnreadable, match="says 24 students but holds 23"):
        Store(demo_path).refresh()


def test_a_store_from_a_newer_version_is_refused(demo_path: Path) -> None:
    data = orjson.loads(demo_path.read_bytes())
    data["_meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    raw = orjson.dumps(data)
    demo_path.write_bytes(raw)
    with pytest.raises(StoreTooNew, match="newer cpt-tui"):
        Store(demo_path).refresh()
    assert demo_path.read_bytes() == raw


def test_the_refusal_names_the_newest_backup(demo_store: Store, add_student) -> None:  # type: ignore[no-untyped-def]
    add_student(demo_store)
    demo_store.path.write_bytes(b"{broken")
    backup = next(backups_dir(demo_store.path).glob("*.json"))
    with pytest.raises(StoreUnreadable, match=str(backup)):
        Store(demo_store.path).refresh()
    assert Store(backup).roster.by_id.get("T100") is None  # the store as it was before


@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only")]
)
def test_a_failed_write_leaves_the_store_byte_identical(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    before = demo_store.path.read_bytes()
    roster = demo_store.roster

    def fail(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(WriteFailed, match=words):
        demo_store.record_attempt("S1001", "green", date(2026, 11, 20), correct=80)
    assert demo_store.path.read_bytes() == before
    assert demo_store.roster is roster
    assert not list(demo_store.path.parent.glob(".*.tmp"))
    monkeypatch.undo()
    demo_store.record_attempt("S1001", "green", date(2026, 11, 20), correct=80)  # and it recovers


def test_a_read_only_folder_is_refused_with_a_clear_message(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    before = demo_store.path.read_bytes()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fcntl, "flock", refuse)
    with pytest.raises(WriteFailed, match="cannot lock the store.*read-only.*nothing was changed"):
        demo_store.toggle_supplement("S1001", "green")
    assert demo_store.path.read_bytes() == before


def test_an_out_of_date_form_is_refused_showing_the_newer_values(demo_store: Store) -> None:
    opened = demo_store.roster.by_id["S1002"]
    other = Store(demo_store.path, clock=fixed_clock, user="colleague")
    other.save_student(StudentForm.of(opened).model_copy(update={"section": "P5"}), opened)
    with pytest.raises(StaleEdit, match="section P5"):
        demo_store.save_student(
            StudentForm.of(opened).model_copy(update={"last_name": "Jonson"}), opened
        )
    assert Store(demo_store.path).roster.by_id["S1002"].last_name == "Johnson"


def test_form_errors_name_each_field(demo_store: Store) -> None:
    with pytest.raises(InvalidFields) as caught:
        demo_store.save_student(
            StudentForm(student_id="", first_name="", last_name="X", email="nope")
        )
    assert set(caught.value.reasons) == {"student_id", "first_name", "email"}
    with pytest.raises(InvalidFields, match="Martinez"):
        demo_store.save_student(StudentForm(student_id="S1001", first_name="A", last_name="B"))


def test_changing_an_id_moves_the_attempts(demo_store: Store) -> None:
    ava = demo_store.roster.by_id["S1001"]
    demo_store.save_student(StudentForm.of(ava).model_copy(update={"student_id": "S9001"}), ava)
    assert "S1001" not in demo_store.roster.by_id
    assert len(demo_store.roster.attempts_of("S9001")) == 4
    assert demo_store.roster.standings["S9001"].cpt_certified_on == date(2026, 11, 13)


def test_undo_each_change_newest_first(demo_store: Store, add_student) -> None:  # type: ignore[no-untyped-def]
    original = demo_store.path.read_bytes()
    start = demo_store.roster
    add_student(demo_store)
    demo_store.record_attempt("S1002", "quality", date(2026, 11, 20), correct=70)
    demo_store.toggle_supplement("S1002", "green")
    demo_store.delete_student("S1003")
    demo_store.set_fees(*(start.fees.registration, start.fees.assessment, start.fees.supplement))
    labels = [demo_store.undo() for _ in range(5)]
    assert [label.split()[0] for label in labels if label] == [
        "fees",
        "delete",
        "supplement",
        "record",
        "add",
    ]
    assert demo_store.undo() is None
    now = demo_store.roster
    assert (now.students, now.fee_history) == (start.students, start.fee_history)

    def by_id(attempts: tuple[Attempt, ...]) -> list[Attempt]:
        return sorted(attempts, key=lambda a: a.attempt_id)

    assert by_id(now.attempts) == by_id(start.attempts)
    assert original != demo_store.path.read_bytes()  # the undo itself is audited
    assert demo_store.audit(1)[0].action == "undo"


def test_undo_refuses_to_clobber_someone_elses_later_change(demo_store: Store) -> None:
    demo_store.toggle_supplement("S1002", "green")
    Store(demo_store.path, clock=fixed_clock).toggle_supplement("S1002", "production")
    with pytest.raises(StoreError, match="changed since"):
        demo_store.undo()


def test_refresh_sees_another_process_change(demo_store: Store) -> None:
    assert "S1004" in demo_store.roster.by_id
    assert demo_store.refresh() is False
    Store(demo_store.path, clock=fixed_clock).delete_student("S1004")
    assert demo_store.refresh() is True
    assert "S1004" not in demo_store.roster.by_id


WRITER = """
import sys
from datetime import date, datetime
from cpt_tui.store import Store
store = Store(sys.argv[1], clock=lambda: datetime(2026, 11, 21, 10), user=sys.argv[2])
for n in range(int(sys.argv[3])):
    store.record_attempt(sys.argv[4], "green", date(2026, 11, 1), correct=n % 94)
    print(n, flush=True)
"""


def writer(path: Path, name: str, count: int, student: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), name, str(count), student],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_at_once_lose_nothing(demo_store: Store) -> None:
    before = len(demo_store.roster.attempts)
    procs = [writer(demo_store.path, f"w{i}", 40, sid) for i, sid in enumerate(("S1005", "S1007"))]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    assert len(Store(demo_store.path).roster.attempts) == before + 80


def green_attempts(path: Path) -> int:
    roster = Store(path).roster  # readable, record counts checked
    return sum(1 for a in roster.attempts if a.student_id == "S1005" and a.module == "green")


def test_kill_9_mid_write_loses_nothing_committed(demo_store: Store) -> None:
    rng = random.Random(2)
    for _ in range(8):
        before = green_attempts(demo_store.path)
        proc = writer(demo_store.path, "victim", 1000, "S1005")
        assert proc.stdout is not None
        first = proc.stdout.readline()  # writing: killed at a random moment after its first
        time.sleep(rng.uniform(0, 0.3))
        proc.send_signal(signal.SIGKILL)
        committed = len((first + proc.stdout.read()).split())
        proc.wait()
        # +1: killed after the rename but before it could print
        assert green_attempts(demo_store.path) - before in (committed, committed + 1)
        Store(demo_store.path).record_attempt("S1005", "green", date(2026, 11, 2), correct=1)
        assert not list(demo_store.path.parent.glob(".*.tmp"))  # cleaned by the next writer


def test_backups_are_kept_and_rotated(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch, add_student
) -> None:  # type: ignore[no-untyped-def]
    import cpt_tui.backups as backups

    monkeypatch.setattr(backups, "BACKUP_EVERY_SECONDS", 0)
    for n in range(backups.BACKUPS_KEPT + 3):
        add_student(demo_store, f"B{n}")
    kept = sorted(backups_dir(demo_store.path).glob("*.json"))
    assert len(kept) == backups.BACKUPS_KEPT
    assert "B11" in Store(kept[-1]).roster.by_id and "B12" not in Store(kept[-1]).roster.by_id


def test_an_older_store_is_read_as_it_is_and_upgraded_after_a_backup(
    demo_path: Path,
    add_student,  # type: ignore[no-untyped-def]
) -> None:
    """A version-1 store (no kind, diagnostics, state ID) reads unchanged; its first write
    keeps a backup of the old bytes, even when a recent backup would normally suffice."""
    data = orjson.loads(demo_path.read_bytes())
    data["_meta"]["1"]["schema_version"] = 1
    old = orjson.dumps(data)
    demo_path.write_bytes(old)
    store = Store(demo_path, clock=fixed_clock, user="tester")
    before = store.roster
    assert len(before.students) == 24
    folder = backups_dir(demo_path)
    folder.mkdir(mode=0o700)
    recent = folder / f"roster-{datetime.now():%Y%m%d-%H%M%S-%f}.json"
    recent.write_bytes(b"{}")  # a backup taken moments ago: no routine backup now
    add_student(store)
    backups = sorted(folder.glob("*.json"))
    assert [b.read_bytes() for b in backups if b != recent] == [old]
    meta = orjson.loads(demo_path.read_bytes())["_meta"]["1"]
    assert meta["schema_version"] == SCHEMA_VERSION == 2
