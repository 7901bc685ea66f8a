"""Real processes for the reliability tests: run as `python workers.py KIND ARGS...`.

Every worker prints `ready` once it has imported what it needs, waits for a line on
stdin (`go`) so that several start together, then prints one line per change *after*
the call that made it has returned: `C <what>`. A change that is not printed may or may
not be in the store (the process can be killed between the rename and the print); a
change that is printed must be there.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

CLOCK_NOW = datetime(2026, 11, 21, 10, 0)
TAKEN_ON = date(2026, 11, 1)


def say(*parts: object) -> None:
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


def wait_for_go() -> None:
    say("ready")
    if sys.stdin.readline().strip() != "go":
        raise SystemExit(3)


def clock() -> datetime:
    return CLOCK_NOW


# ---------------------------------------------------------------- kill -9 victim


def crash_writers(path: str) -> None:
    """Forks one crash writer (a process of its own) per `go RUN` line, each once the one
    before is dead: Python and the store's modules are loaded once, here, so a writer
    starts in a millisecond where a fresh interpreter takes 0.2 s of CPU. Nothing of the
    store is read here: each writer opens the store, its lock and its temporary file itself.

    Answers `go RUN` with `pid PID`; the writer then prints its lines (below) until killed;
    `reap` waits for its end and answers `reaped`, after every line it printed.
    """
    import cpt_tui.storage as storage
    from cpt_tui.core.models import StudentForm
    from cpt_tui.store import Store

    real_write = storage.AtomicJSONStorage.write

    def write(self: storage.AtomicJSONStorage, data: dict[str, dict[str, object]]) -> None:
        say("W")
        real_write(self, data)
        say("D")

    storage.AtomicJSONStorage.write = write  # type: ignore[method-assign]

    def crash_writer(run: str, parent: int) -> None:
        """Change n: even n adds student K<run>-<n>, odd n records an attempt for the one
        before. `W` is printed as the store's file write starts and `D` when it has
        returned, so the test can aim its kill -9 inside the write (temporary file, fsync,
        backup, rename)."""
        store = Store(path, clock=clock, user=f"victim{run}")
        for n in range(100_000):
            if os.getppid() != parent:  # the test and its forker are gone: stop
                return
            sid = f"K{run}-{n - n % 2:05d}"
            if n % 2 == 0:
                form = StudentForm(student_id=sid, first_name="Kay", last_name=f"Run{run}")
                store.save_student(form)
            else:
                store.record_attempt(sid, "green", TAKEN_ON, correct=n % 94)
            say("C", n)

    say("ready")
    child = 0
    for line in sys.stdin:
        command, *args = line.split()
        if command == "go":
            child = os.fork()
            if child == 0:
                try:
                    crash_writer(args[0], os.getppid())
                finally:
                    os._exit(0)
            say("pid", child)
        elif command == "reap":
            os.waitpid(child, 0)
            say("reaped")


# ---------------------------------------------------------------- concurrent writers


def pause(rng: random.Random, pace: float) -> None:
    if pace > 0:
        time.sleep(rng.uniform(0, pace))


def api_writer(path: str, name: str, count: int, pace: float) -> None:
    """Store API: adds a student, then records an attempt for it, alternately."""
    from cpt_tui.core.models import StudentForm
    from cpt_tui.store import Store

    store = Store(path, clock=clock, user=name, lock_timeout=60)
    rng = random.Random(name)
    wait_for_go()
    for n in range(count):
        pause(rng, pace)
        sid = f"Z{name}-{n - n % 2:04d}"
        if n % 2 == 0:
            store.save_student(StudentForm(student_id=sid, first_name="Api", last_name=f"Zz{name}"))
            say("C", "student", sid)
        else:
            attempt = store.record_attempt(sid, "quality", TAKEN_ON, correct=n % 84)
            say("C", "attempt", attempt.attempt_id)


def roster_csv(folder: Path, name: str, n: int) -> Path:
    sid = f"Z{name}-{n:04d}"
    csv = folder / f"{name}-{n:04d}.csv"
    csv.write_text(f"student_id,first_name,last_name,section\n{sid},Cli,Zz{name},P{n % 7}\n")
    return csv


EXEC_EVERY = 25


def forked(main: Callable[[list[str]], int], args: list[str]) -> int:
    """`main(args)` in a child process of its own; its exit code."""
    sys.stdout.flush()
    child = os.fork()
    if child == 0:
        code = 1
        try:
            with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
                code = main(args)
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])


def cli_writer(path: str, name: str, count: int, pace: float, folder: str, how: str) -> None:
    """The command line: `cpt-tui --db PATH import ONE-STUDENT.csv`, once per change.

    how=exec runs `python -m cpt_tui` as a new process each time (the real thing);
    how=fork runs each in a process of its own forked from this one (the entry point with
    Python already loaded: 20 ms where a new interpreter takes 200 ms of CPU), and every
    EXEC_EVERY-th as how=exec; how=main calls the entry point in this process.
    """
    from cpt_tui.cli import main

    rng = random.Random(name)
    wait_for_go()
    for n in range(count):
        pause(rng, pace)
        csv = roster_csv(Path(folder), name, n)
        args = ["--db", path, "import", str(csv)]
        if how == "exec" or (how == "fork" and n % EXEC_EVERY == EXEC_EVERY - 1):
            done = subprocess.run(
                [sys.executable, "-m", "cpt_tui", *args], capture_output=True, text=True
            )
            code, err = done.returncode, done.stderr.strip()
        elif how == "fork":
            code, err = forked(main, args), ""
        else:
            code, err = main(args), ""
        if code == 0:
            say("C", "student", f"Z{name}-{n:04d}")
        else:
            say("E", code, err.replace("\n", " | "))


def app_writer(path: str, name: str, count: int, pace: float) -> None:
    """The app, headless, driven by keys on the progress grid's first cell: `p` toggles the
    supplement (one key, one change); every 25th change records a score (`r`, `1`, `enter`).
    """
    from textual import events
    from textual.keys import key_to_character

    from cpt_tui.app import create_app
    from cpt_tui.compat import notices
    from cpt_tui.screens.progress import ProgressScreen
    from cpt_tui.store import Store

    class Reporting(Store):
        """The app's own store, saying what each change it made returned."""

        def record_attempt(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            attempt = super().record_attempt(*args, **kwargs)
            say("C", "attempt", attempt.attempt_id)
            return attempt

        def toggle_supplement(self, student_id: str, module: str):  # type: ignore[no-untyped-def]
            student = super().toggle_supplement(student_id, module)
            say("C", "toggle", student_id)
            return student

    store = Reporting(path, user=name, lock_timeout=60)
    rng = random.Random(name)

    async def press(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
        """Keys in one burst, then until they, the change they started and what it set off
        are handled: waits on those (as test_soak.py), not until the process looks idle."""
        for key in keys:
            event = events.Key(key, key_to_character(key))
            event.set_sender(pilot.app)
            pilot.app.post_message(event)
        for _ in range(2):
            await pilot.app.typed_keys_handled()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause(0)

    async def drive() -> None:
        app = create_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await press(pilot, "2")
            wait_for_go()
            for n in range(count):
                pause(rng, pace)
                await press(pilot, *(("r", "1", "enter") if n % 25 == 24 else ("p",)))
                if not isinstance(app.screen, ProgressScreen):
                    say("E", "dialog still open:", type(app.screen).__name__)
                    await press(pilot, "escape")
            errors = [str(n.message) for n in notices(app) if n.severity == "error"]
            for error in errors:
                say("E", "notified:", error.replace("\n", " "))

    asyncio.run(drive())


# ---------------------------------------------------------------- lock holders


def hold_lock(path: str) -> None:
    """Take the store's lock and keep it until killed."""
    from cpt_tui.store import Store

    store = Store(path)
    with store.storage.lock():
        say("locked")
        time.sleep(600)


def hang_mid_write(path: str) -> None:
    """A change that stops inside the file write, holding the lock, with its temp file made."""
    import tempfile

    from cpt_tui.store import Store

    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        made = real(*args, **kwargs)
        say("locked")
        time.sleep(600)
        return made

    tempfile.mkstemp = mkstemp  # type: ignore[assignment]
    Store(path, clock=clock).toggle_supplement("S1001", "green")


# ---------------------------------------------------------------- the other instructor


def editor(path: str) -> None:
    """Edits on request, one per stdin line: `section SID VALUE`, `last SID VALUE`,
    `supplement SID MODULE`, `readd SID`; answers `C <revision>` once saved."""
    from cpt_tui.core.models import StudentForm
    from cpt_tui.store import Store

    store = Store(path, clock=clock, user="colleague")
    say("ready")
    for line in sys.stdin:
        what, sid, value = (line.split() + [""])[:3]
        store.refresh()
        student = store.roster.by_id[sid]
        form = StudentForm.of(student)
        if what == "section":
            saved = store.save_student(form.model_copy(update={"section": value}), student)
        elif what == "last":
            saved = store.save_student(form.model_copy(update={"last_name": value}), student)
        elif what == "supplement":
            saved = store.toggle_supplement(sid, value)
        elif what == "readd":
            store.delete_student(sid)
            saved = store.save_student(form.model_copy(update={"first_name": "Other"}))
        else:
            raise SystemExit(f"unknown request {what}")
        say("C", saved.revision)


KINDS = {
    "crash-writers": crash_writers,
    "api": api_writer,
    "cli": cli_writer,
    "app": app_writer,
    "hold-lock": hold_lock,
    "hang-mid-write": hang_mid_write,
    "editor": editor,
}


def main() -> None:
    kind, *args = sys.argv[1:]
    typed: list[object] = []
    for arg in args:
        for cast in (int, float):
            try:
                typed.append(cast(arg))
                break
            except ValueError:
                continue
        else:
            typed.append(arg)
    KINDS[kind](*typed)  # type: ignore[operator]


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()
