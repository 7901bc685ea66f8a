"""The installed program, run for real in tmux at 80x24 with TERM=xterm and NO_COLOR=1,
driven by keys and read back from the screen, as an instructor over SSH would see it."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cpt_tui.cli import DEMO_AS_OF

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="needs tmux (.ci/run installs it)"
)

PROGRAM = Path(sys.executable).parent / "cpt-tui"


class Terminal:
    """One tmux session on a private server socket."""

    def __init__(self, socket: str, session: str) -> None:
        self.base = ["tmux", "-L", socket]
        self.session = session

    def keys(self, *keys: str, literal: bool = False) -> None:
        flags = ["-l"] if literal else []
        subprocess.run([*self.base, "send-keys", "-t", self.session, *flags, *keys], check=True)

    def screen(self) -> str:
        done = subprocess.run(
            [*self.base, "capture-pane", "-p", "-t", self.session], capture_output=True, text=True
        )
        return done.stdout

    def wait_for(self, *texts: str, seconds: float = 20.0) -> str:
        """The screen once every text is on it at the same time (a screen can be caught
        half drawn); polled, and fails with the last screen if they never are."""
        end = time.monotonic() + seconds
        shown = ""
        while time.monotonic() < end:
            shown = self.screen()
            if all(text in shown for text in texts):
                return shown
            time.sleep(0.1)
        missing = [text for text in texts if text not in shown]
        raise AssertionError(f"{missing!r} never appeared; the screen was:\n{shown}")

    def alive(self) -> bool:
        return (
            subprocess.run(
                [*self.base, "has-session", "-t", self.session], capture_output=True
            ).returncode
            == 0
        )


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    socket = f"cpt-tui-test-{os.getpid()}"
    env = {
        "TERM": "xterm",
        "NO_COLOR": "1",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
    }
    command = " ".join(f"{k}={v}" for k, v in env.items()) + f" {PROGRAM} demo"
    subprocess.run(
        [
            "tmux",
            "-L",
            socket,
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
            "-s",
            "cpt",
            "-c",
            str(tmp_path),
            f"env {command}",
        ],
        check=True,
    )
    try:
        yield Terminal(socket, "cpt"), tmp_path
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def test_a_lesson_over_ssh(terminal: tuple[Terminal, Path]) -> None:
    term, folder = terminal
    shift = date.today() - DEMO_AS_OF  # `cpt-tui demo` dates the demo to today
    certified, renew = date(2031, 11, 13) + shift, date(2026, 12, 16) + shift
    term.wait_for(
        "Martinez, Ava",
        "demo copy · 24 students",
        f"✓ {certified}",  # readable without colour
        f"! {renew}",
        "a Add",  # the footer shows the keys
    )

    term.keys("2")
    term.wait_for("hold the full CPT", "✗ 73.8", "Green opt.")

    term.keys("j", "j", "j", "j", "j", "j", "r")  # Ben Carter, Safety
    term.wait_for("Record Safety: Ben Carter", "83 questions, pass mark 76%")
    term.keys("64", literal=True)
    term.wait_for("64/83 = 77.1%: PASSES")
    term.keys("Enter")
    after = term.wait_for("Recorded Ben Carter", "Carter, Ben")
    carter = next(line for line in after.splitlines() if "Carter, Ben" in line)
    assert "✓ 77.1" in carter

    term.keys("3")
    # Polled: a loaded machine may still show the notice over the row at first.
    fees = term.wait_for("22 shown", "Carter, Ben", "$22.00 (1)")
    carter = next(line for line in fees.splitlines() if "Carter, Ben" in line)
    assert "$22.00 (1)" in carter
    # $5,944.00, the new attempt and Ben's registration (his first attempt registers him)
    term.wait_for("$5,994.00")

    term.keys("x")
    term.wait_for("Export to CSV")
    term.keys("Enter")
    term.wait_for("Exported 24 students")

    term.keys("1", "q")
    end = time.monotonic() + 20
    while term.alive() and time.monotonic() < end:
        time.sleep(0.1)
    assert not term.alive()

    (export,) = folder.glob("cpt-export-*.csv")
    rows = {r["student_id"]: r for r in csv.DictReader(export.open(encoding="utf-8-sig"))}
    assert rows["E2008"]["safety_best_pct"] == "77.1"
    assert rows["E2008"]["fee_assessments"] == "22.00"
    assert rows["E2008"]["registered"] == "yes" and rows["E2008"]["fee_registration"] == "28.00"
    assert export.stat().st_mode & 0o777 == 0o600
