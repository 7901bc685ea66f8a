"""Several instructors at once: separate processes (command line, app, API) on one store."""

from __future__ import annotations

import random
import shutil
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from cpt_tui.app import create_app
from cpt_tui.compat import notices
from cpt_tui.core.models import StudentForm
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.storage import WriteFailed
from cpt_tui.store import StaleEdit, Store, StoreError

from ..conftest import fixed_clock, settle
from .conftest import Worker, cli, record, temporaries


def run_together(path: Path, streams: list[Worker]) -> dict[str, list[str]]:
    """Start every stream at once; each must make every change it was asked for."""
    for worker in streams:
        worker.expect("ready", timeout=120)
    for worker in streams:
        worker.send("go")
    said: dict[str, list[str]] = {}
    for worker in streams:
        lines = worker.rest(timeout=300)
        assert worker.wait() == 0, worker.stderr()
        errors = [line for line in lines if line.startswith("E ")]
        assert not errors, f"{worker.kind}: {errors[:5]}"
        said[worker.kind + " " + str(worker.pid)] = [line for line in lines if line[:2] == "C "]
    return said


def check_nothing_lost(
    path: Path, before: Store, said: dict[str, list[str]], per_stream: int
) -> tuple[int, int]:
    """Every change each stream reported is in the file; the counts add up; the audit too.

    A toggled supplement leaves no record to look for, but each one raises the student's
    revision by one, and only the app touches that student: a lost toggle shows there.
    Returns (changes, switches, lost): how many changes, how often the writer changed from
    one audit entry to the next (how interleaved they were), and how many were lost.
    """
    after = Store(path, clock=fixed_clock)
    after.refresh()
    students = {s.student_id for s in after.roster.students}
    attempts = {a.attempt_id for a in after.roster.attempts}
    new_students = new_attempts = lost = 0
    toggles: Counter[str] = Counter()
    for stream, lines in said.items():
        assert len(lines) == per_stream, f"{stream} reported {len(lines)} changes"
        for line in lines:
            _, kind, key = line.split()
            if kind == "student":
                new_students += 1
                lost += key not in students
            elif kind == "attempt":
                new_attempts += 1
                lost += key not in attempts
            else:
                toggles[key] += 1
    for sid, count in toggles.items():
        gained = after.roster.by_id[sid].revision - before.roster.by_id[sid].revision
        lost += count - gained
    if lost:
        return new_students + new_attempts + sum(toggles.values()), 0, lost
    assert len(after.roster.students) == len(before.roster.students) + new_students
    assert len(after.roster.attempts) == len(before.roster.attempts) + new_attempts
    total = new_students + new_attempts + sum(toggles.values())
    entries = after.audit(100_000)
    assert len(entries) == len(before.audit(100_000)) + total, "an audit entry was lost"
    users = [entry.user for entry in entries[:total]]
    switches = sum(1 for a, b in zip(users, users[1:], strict=False) if a != b)
    return total, switches, lost


def snapshot(path: Path) -> Store:
    """The store as it was before the writers start (its roster and audit trail read now)."""
    copy = path.with_name("before.json")
    shutil.copyfile(path, copy)
    store = Store(copy, clock=fixed_clock)
    store.refresh()
    return store


def writers_lose_nothing(
    name: str, demo_path: Path, streams: list[Worker], workers: list[Worker], each: int
) -> int:
    """Run the writers at once, check every change of each is in the store, record the
    figures under `name`; how often the audit trail switches from one writer to another."""
    before = snapshot(demo_path)
    workers.extend(streams)
    started = time.monotonic()
    said = run_together(demo_path, streams)
    total, switches, lost = check_nothing_lost(demo_path, before, said, each)
    record(
        name,
        changes=total,
        lost=lost,
        writer_switches_in_the_audit_trail=switches,
        seconds=round(time.monotonic() - started, 1),
    )
    assert lost == 0, f"{lost} changes lost"
    return switches


def test_two_writers_x_250_command_line_and_app(
    demo_path: Path, tmp_path: Path, workers: list[Worker]
) -> None:
    csvs = tmp_path / "csv"
    csvs.mkdir()
    streams = [
        Worker("cli", demo_path, "cli", 250, 0.03, csvs, "main"),
        Worker("app", demo_path, "app", 250, 0.0),
    ]
    name = "2 x 250 (test_concurrency.py::test_two_writers_x_250_command_line_and_app)"
    switches = writers_lose_nothing(name, demo_path, streams, workers, 250)
    assert switches >= 20, "the two writers hardly interleaved"


def test_four_writers_x_125_command_line_app_and_api(
    demo_path: Path, tmp_path: Path, workers: list[Worker]
) -> None:
    csvs = tmp_path / "csv"
    csvs.mkdir()
    streams = [
        # `cpt-tui import`, each in a process of its own (every 25th `python -m cpt_tui`)
        Worker("cli", demo_path, "cli", 125, 0.1, csvs, "fork"),
        Worker("app", demo_path, "app", 125, 0.1),
        Worker("api", demo_path, "apia", 125, 0.15),
        Worker("api", demo_path, "apib", 125, 0.15),
    ]
    name = "4 x 125 (test_concurrency.py::test_four_writers_x_125_command_line_app_and_api)"
    switches = writers_lose_nothing(name, demo_path, streams, workers, 125)
    assert switches >= 40, "the four writers hardly interleaved"


# ---------------------------------------------------------------- out-of-date forms

STALE_TRIALS = 200


def test_an_out_of_date_form_save_is_refused_every_time(
    demo_path: Path, workers: list[Worker]
) -> None:
    """I open a student's form; a colleague's process saves that student; I save: refused."""
    rng = random.Random(6)
    colleague = Worker("editor", demo_path)
    workers.append(colleague)
    colleague.expect("ready")
    me = Store(demo_path, clock=fixed_clock, user="me")
    ids = [s.student_id for s in me.roster.students]
    modules = [m.key for m in me.roster.modules]
    refused = 0
    for trial in range(STALE_TRIALS):
        sid = rng.choice(ids)
        me.refresh()
        opened = me.roster.by_id[sid]
        what = rng.choice(["section", "last", "supplement"])
        value = {"section": f"P{trial}", "last": f"Other{trial}", "supplement": ""}[what]
        value = value or rng.choice(modules)
        colleague.send(f"{what} {sid} {value}")
        reply = colleague.readline()
        assert reply is not None and reply.startswith("C "), colleague.stderr()
        theirs = demo_path.read_bytes()
        mine = StudentForm.of(opened).model_copy(
            update=rng.choice([{"section": "MINE"}, {"first_name": "Mine"}, {"term": "Mine"}])
        )
        with pytest.raises(StaleEdit) as caught:
            me.save_student(mine, opened)
        refused += 1
        assert "changed by someone else" in str(caught.value)
        assert demo_path.read_bytes() == theirs  # the colleague's values are kept, whole
        now = Store(demo_path, clock=fixed_clock).roster.by_id[sid]
        if what == "section":
            assert now.section == value and f"section {value}" in str(caught.value)
        elif what == "last":
            assert now.last_name == value and value in str(caught.value)
        else:
            assert (value in now.supplements) != (value in opened.supplements)
    record(
        "out-of-date form (test_concurrency.py::"
        "test_an_out_of_date_form_save_is_refused_every_time)",
        trials=STALE_TRIALS,
        refused=refused,
        silent_overwrites=STALE_TRIALS - refused,
    )


def test_a_form_opened_before_a_delete_and_re_add_is_refused(
    demo_path: Path, workers: list[Worker]
) -> None:
    me = Store(demo_path, clock=fixed_clock, user="me")
    opened = me.save_student(StudentForm(student_id="T500", first_name="Ada", last_name="Byron"))
    assert opened.revision == 1
    colleague = Worker("editor", demo_path)
    workers.append(colleague)
    colleague.expect("ready")
    colleague.send("readd T500")  # deleted, then a different student added under T500
    assert colleague.readline() == "C 1"
    theirs = demo_path.read_bytes()
    with pytest.raises(StoreError):
        me.save_student(StudentForm.of(opened).model_copy(update={"term": "Mine"}), opened)
    assert demo_path.read_bytes() == theirs


# ---------------------------------------------------------------- the lock

LOCK_TRIALS = 5


@pytest.mark.parametrize("holder", ["hold-lock", "hang-mid-write"])
def test_a_lock_holder_killed_never_blocks_the_next_writer(
    demo_path: Path, holder: str, workers: list[Worker]
) -> None:
    waits = []
    refused = 0
    for trial in range(LOCK_TRIALS):
        worker = Worker(holder, demo_path)
        workers.append(worker)
        worker.expect("locked")
        if trial == 0:  # it really is held
            with pytest.raises(WriteFailed, match="held the store's lock"):
                Store(demo_path, lock_timeout=0.3).toggle_supplement("S1002", "green")
        worker.kill()
        killed = time.monotonic()
        nxt = Store(demo_path, clock=fixed_clock, lock_timeout=5.0)
        try:
            with nxt.storage.lock():
                waits.append(time.monotonic() - killed)
            nxt.toggle_supplement("S1002", "green")  # a whole change, well inside the timeout
        except WriteFailed:
            refused += 1
        assert not temporaries(demo_path.parent)
    record(
        f"killed lock holder, {holder} (test_concurrency.py::"
        "test_a_lock_holder_killed_never_blocks_the_next_writer)",
        trials=LOCK_TRIALS,
        next_writer_refused=refused,
        slowest_lock_wait_ms=round(max(waits) * 1000, 1) if waits else None,
    )
    assert refused == 0


def test_a_lock_held_too_long_is_refused_with_a_message_never_a_hang(
    demo_path: Path, tmp_path: Path, workers: list[Worker]
) -> None:
    holder = Worker("hold-lock", demo_path)
    workers.append(holder)
    holder.expect("locked")
    before = demo_path.read_bytes()
    outcome: dict[str, object] = {}

    def change() -> None:
        started = time.monotonic()
        try:
            Store(demo_path, clock=fixed_clock, lock_timeout=1.0).toggle_supplement(
                "S1002", "green"
            )
        except Exception as exc:
            outcome["error"] = exc
        outcome["waited"] = time.monotonic() - started

    thread = threading.Thread(target=change, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the change hung on a held lock"
    error = outcome.get("error")
    assert isinstance(error, WriteFailed), error
    assert "held the store's lock for over 1 s" in str(error)
    assert "nothing was changed" in str(error)
    assert demo_path.read_bytes() == before

    csv = tmp_path / "one.csv"
    csv.write_text("student_id,first_name,last_name\nN1,Nia,Lee\n")
    started = time.monotonic()
    done = cli("--db", demo_path, "import", csv, timeout=120)
    waited = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    assert "held the store's lock" in done.stderr and "nothing was changed" in done.stderr
    assert "Traceback" not in done.stderr
    assert demo_path.read_bytes() == before
    record(
        "lock held too long (test_concurrency.py::"
        "test_a_lock_held_too_long_is_refused_with_a_message_never_a_hang)",
        api_refused_after_s=round(float(outcome["waited"]), 1),  # type: ignore[arg-type]
        cli_exit=done.returncode,
        cli_refused_after_s=round(waited, 1),
    )


async def test_the_app_keeps_working_while_another_process_holds_the_lock(
    demo_path: Path, workers: list[Worker]
) -> None:
    holder = Worker("hold-lock", demo_path)
    workers.append(holder)
    holder.expect("locked")
    before = demo_path.read_bytes()
    app = create_app(Store(demo_path, clock=fixed_clock, lock_timeout=1.0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        messages = " ".join(str(n.message) for n in notices(app))
        assert "held the store's lock" in messages
        assert demo_path.read_bytes() == before
        holder.kill()
        await pilot.press("p")  # the same key works again once the holder is gone
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        assert demo_path.read_bytes() != before
