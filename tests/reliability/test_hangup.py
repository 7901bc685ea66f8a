"""A dropped connection ends the app, however it was started: the app is run in tmux (a real
terminal), under `make` with SIGHUP ignored for it (as a wrapper script or some multiplexers
leave it), and the tmux session is killed, as sshd closes the terminal of a dropped SSH
connection. The process must then end, and the store be as the app last wrote it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cpt_tui.store import Store

from ..conftest import FIXTURES
from .conftest import ROOT, record

pytestmark = pytest.mark.skipif(
    not (shutil.which("tmux") and shutil.which("make")), reason="needs tmux and make"
)

BOUND_SECONDS = 60.0
"""The longest this test waits for the process to end (the app allows itself about 5 s;
the bound only keeps a failing run from hanging the suite: it is no timing assertion)."""

MAKEFILE = """\
run:
\t{ignore}echo $$$$ > {pid}; exec {python} -m cpt_tui --db {db}
"""


def alive(pid: int) -> bool:
    """Running, and not a zombie waiting for a parent that is gone to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_until_gone(pid: int) -> float | None:
    """Seconds until `pid` ended, or None if it outlived the bound (then it is killed)."""
    start = time.monotonic()
    while time.monotonic() - start < BOUND_SECONDS:
        if not alive(pid):
            return time.monotonic() - start
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    return None


class Session:
    """cpt-tui under make in a detached tmux session of its own (its own tmux server)."""

    def __init__(self, folder: Path, *, ignore_hangup: bool) -> None:
        self.socket = f"cpt-hangup-{os.getpid()}-{id(self)}"
        self.db = folder / "roster.json"
        shutil.copyfile(FIXTURES / "demo-roster.json", self.db)
        self.db.chmod(0o600)
        pid_file = folder / "pid"
        (folder / "Makefile").write_text(
            MAKEFILE.format(
                ignore="trap '' HUP; " if ignore_hangup else "",
                pid=pid_file,
                python=sys.executable,
                db=self.db,
            )
        )
        self.tmux("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", f"make -s -C {folder}")
        start = time.monotonic()
        while time.monotonic() - start < BOUND_SECONDS:
            if pid_file.exists() and pid_file.read_text().strip():
                if "e Edit" in self.screen():
                    break
            time.sleep(0.2)
        self.pid = int(pid_file.read_text())
        assert "e Edit" in self.screen()  # the app is up and drawn

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "TERM": "xterm-256color"},
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.mark.parametrize("ignore_hangup", [True, False], ids=["SIGHUP-ignored", "SIGHUP"])
def test_killing_the_terminal_ends_the_app(tmp_path: Path, ignore_hangup: bool) -> None:
    session = Session(tmp_path, ignore_hangup=ignore_hangup)
    try:
        first = session.db.read_bytes()
        session.tmux("send-keys", "-t", "app", "2", "p")  # a change just before the drop
        start = time.monotonic()
        while session.db.read_bytes() == first and time.monotonic() - start < BOUND_SECONDS:
            time.sleep(0.1)
        before = Store(session.db).roster
        assert session.db.read_bytes() != first
        session.tmux("kill-session", "-t", "app")
        took = wait_until_gone(session.pid)
    finally:
        session.close()
    assert took is not None, "cpt-tui kept running after its terminal went away"
    after = Store(session.db).roster  # readable, and what the app had written
    assert after.students == before.students
    record(
        f"hangup ({'SIGHUP ignored by the parent' if ignore_hangup else 'SIGHUP sent'})",
        started_from="make in tmux",
        parent_ignored_sighup=ignore_hangup,
        ended_after_s=round(took, 1),
        store_readable=True,
    )


def test_a_hangup_on_its_own_ends_the_app_cleanly(tmp_path: Path) -> None:
    """SIGHUP with the terminal still there (a multiplexer that signals first)."""
    session = Session(tmp_path, ignore_hangup=True)
    try:
        before = session.db.read_bytes()
        os.kill(session.pid, signal.SIGHUP)
        took = wait_until_gone(session.pid)
        screen = session.screen()
    finally:
        session.close()
    assert took is not None, "cpt-tui did not end on SIGHUP"
    assert "cpt-tui —" not in screen  # it left the terminal as it found it
    assert session.db.read_bytes() == before
