"""kill -9 a real writer at random moments of its write, on a store of 5,000 students."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import statistics
import time
from datetime import date
from pathlib import Path

from cpt_tui.store import Store

from ..conftest import fixed_clock
from .conftest import BIG_ATTEMPTS, BIG_STUDENTS, Worker, record, temporaries

KILLS = 120
AIMED = 0.75
"""The share of kills aimed inside the file write; the rest land anywhere from the writer's
`go` to the end of its second change (about 0.2 s at 5,000 students)."""
SEED = 20261121


def changes_present(store: Store, run: int, upto: int) -> list[bool]:
    """For the crash writer's changes 0..upto-1: is each in the store?"""
    by_id = store.roster.by_id
    present = []
    for n in range(upto):
        sid = f"K{run}-{n - n % 2:05d}"
        if n % 2 == 0:
            present.append(sid in by_id)
        else:
            present.append(any(a.module == "green" for a in store.roster.attempts_of(sid)))
    return present


class Writers:
    """Crash writers, each a process of its own forked by one `crash-writers` worker (see
    workers.py), killed with kill -9 by its own pid."""

    def __init__(self, path: Path) -> None:
        self.forker = Worker("crash-writers", path)
        self.forker.expect("ready")
        self.pid = 0
        self.first = 0
        """Where the running writer's lines start in `forker.lines`."""

    def go(self, run: int) -> None:
        self.forker.send(f"go {run}")
        line = self.forker.readline()
        assert line is not None and line.startswith("pid "), self.forker.stderr()
        self.pid, self.first = int(line.split()[1]), len(self.forker.lines)

    def readline(self) -> str:
        line = self.forker.readline()
        assert line is not None and line != "reaped", self.forker.stderr()
        return line

    def kill(self) -> list[tuple[float, str]]:
        """kill -9 the running writer; every line it printed, with when it arrived."""
        os.kill(self.pid, signal.SIGKILL)
        self.forker.send("reap")
        while self.forker.readline() not in ("reaped", None):
            pass
        return self.forker.lines[self.first : -1]

    def close(self) -> None:
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.forker.close()


def calibrate(writers: Writers) -> tuple[float, float]:
    """How long one file write of this store takes (W to D), and how long a writer takes
    from `go` to the end of its second change (reading the store, two changes with their
    writes), measured on a real writer."""
    writers.go(999)
    went = time.monotonic()
    starts: list[float] = []
    windows: list[float] = []
    two_changes = 0.0
    while len(windows) < 4:
        line = writers.readline()
        at = writers.forker.lines[-1][0]
        if line == "W":
            starts.append(at)
        elif line == "D":
            windows.append(at - starts[-1])
            if len(windows) == 2:
                two_changes = at - went
    writers.kill()
    return statistics.median(windows), two_changes


def test_kill_9_at_random_moments_of_a_write(big_store: Path) -> None:
    rng = random.Random(SEED)
    writers = Writers(big_store)
    window, two_changes = calibrate(writers)
    # The calibration run's changes count as the base from which the kills start.
    base = Store(big_store, clock=fixed_clock)
    students, attempts = len(base.roster.students), len(base.roster.attempts)
    assert students >= BIG_STUDENTS and attempts >= BIG_ATTEMPTS

    unreadable = mismatched = lost = left_behind = in_write = unprinted = temp_left = 0
    leftovers: set[str] = set()
    lock_waits: list[float] = []
    for run in range(KILLS):
        started = time.monotonic()
        writers.go(run)
        if rng.random() < AIMED:
            writes = rng.randrange(3) + 1  # the 1st, 2nd or 3rd write of this run
            while writes:
                writes -= writers.readline() == "W"
            time.sleep(rng.uniform(0, window * 1.5))
        else:  # anywhere in reading the store and its first two changes
            time.sleep(rng.uniform(0, two_changes))
        lines = writers.kill()
        killed_at = lines[-1][1] if lines else "ready"
        said = [line for _, line in lines]
        committed = sum(1 for line in said if line.startswith("C "))
        first_commit = next((t for t, line in lines if line.startswith("C ")), None)
        if first_commit is not None:
            lock_waits.append(first_commit - started)
        marks = [line for line in said if line in ("W", "D")]
        in_write += bool(marks) and marks[-1] == "W"  # a write had begun and not returned

        # The next writer (this run) has committed: what the one before left must be gone.
        if committed and leftovers & temporaries(big_store.parent):
            left_behind += 1
        if committed:
            leftovers = set()
        temp_left += bool(temporaries(big_store.parent) - leftovers)
        leftovers |= temporaries(big_store.parent)

        try:
            store = Store(big_store, clock=fixed_clock)
            store.refresh()  # parses, checks schema and record counts, validates every record
        except Exception as exc:  # pragma: no cover - the failure this test exists for
            unreadable += 1
            message = f"kill {run} ({killed_at}) left an unreadable store: {exc}"
            raise AssertionError(message) from exc
        present = changes_present(store, run, committed + 2)
        lost += present[:committed].count(False)
        assert not present[committed + 1], f"kill {run}: a change appeared that was never made"
        extra = present[committed]  # killed after the rename, before it could print
        unprinted += extra
        done = present[: committed + 1].count(True)
        adds = sum(1 for n in range(done) if n % 2 == 0)
        students, attempts = students + adds, attempts + done - adds
        if (len(store.roster.students), len(store.roster.attempts)) != (students, attempts):
            mismatched += 1
            students, attempts = len(store.roster.students), len(store.roster.attempts)
    writers.close()

    # One more writer: it must clean whatever the last kill left.
    last = Store(big_store, clock=fixed_clock)
    last.record_attempt("S00001", "green", date(2026, 11, 2), correct=1)
    left_behind += bool(temporaries(big_store.parent))

    record(
        "kill -9 (test_crash.py::test_kill_9_at_random_moments_of_a_write)",
        students=BIG_STUDENTS,
        kills=KILLS,
        killed_inside_the_file_write=in_write,
        kills_that_left_a_temp_file=temp_left,
        unreadable=unreadable,
        count_mismatches=mismatched,
        committed_changes_lost=lost,
        temp_files_left_after_next_writer=left_behind,
        renamed_but_unprinted=unprinted,
        write_ms=round(window * 1000, 1),
        next_writer_first_commit_max_s=round(max(lock_waits), 2) if lock_waits else None,
    )
    assert (unreadable, mismatched, lost, left_behind) == (0, 0, 0, 0)
    assert in_write > 0, "no kill landed inside a write: the test did not test anything"
