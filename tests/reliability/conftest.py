"""Shared pieces of the reliability suite: real worker processes, a big store, the figures."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cpt_tui.store import Store

from ..conftest import FIGURE, fixed_clock

ROOT = Path(__file__).parent.parent.parent
WORKERS = Path(__file__).with_name("workers.py")
BIG_STUDENTS = 5000
BIG_ATTEMPTS = 2500
TEMP_GLOB = ".roster.json.*.tmp"
"""What a writer killed mid-write leaves: its temporary file beside the store."""

_RUNNING: list[pytest.Item] = []


@pytest.fixture(autouse=True)
def _running_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """The test now running, whose report carries the figures it records."""
    _RUNNING.append(request.node)
    yield
    _RUNNING.pop()


def record(test: str, **values: Any) -> None:
    """Figures measured by the running test: they travel with its report (from whichever
    worker process ran it) and are printed at the end of the run (tests/conftest.py)."""
    _RUNNING[-1].user_properties.append((FIGURE, (test, values)))


class Worker:
    """A real process running one of workers.py's kinds, read line by line with timeouts."""

    def __init__(self, kind: str, *args: object, cwd: Path = ROOT) -> None:
        self.kind = kind
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKERS), kind, *map(str, args)],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._buffer = b""
        self.lines: list[tuple[float, str]] = []
        """Every line read so far, with the monotonic time it arrived."""

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def readline(self, timeout: float = 60.0) -> str | None:
        """The next line, or None at end of output; fails the test rather than hang."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                pytest.fail(f"{self.kind} worker said nothing for {timeout:g} s: {self.stderr()}")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                if self._buffer:
                    break
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        text = line.decode()
        self.lines.append((time.monotonic(), text))
        return text

    def expect(self, wanted: str, timeout: float = 60.0) -> None:
        line = self.readline(timeout)
        if line != wanted:
            self.kill()
            pytest.fail(f"{self.kind} worker said {line!r}, not {wanted!r}: {self.stderr()}")

    def rest(self, timeout: float = 120.0) -> list[str]:
        """Every line until the process's output ends."""
        out = []
        while (line := self.readline(timeout)) is not None:
            out.append(line)
        return out

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def wait(self, timeout: float = 300.0) -> int:
        return self.proc.wait(timeout=timeout)

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        assert self.proc.stderr is not None
        return self.proc.stderr.read().decode(errors="replace")[-3000:]

    def close(self) -> None:
        self.kill()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    """Start workers by appending to this list; every one still running is killed at the end."""
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.close()


def cli(*args: object, timeout: float = 120.0, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`python -m cpt_tui ARGS` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "cpt_tui", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def big_roster_csv() -> bytes:
    rows = ["student_id,first_name,last_name,email,section,term,registered"]
    for i in range(BIG_STUDENTS):
        rows.append(f"S{i:05d},First{i},Last{i},s{i}@school.edu,P{i % 7},Fall 2026,yes")
    return ("\n".join(rows) + "\n").encode()


def big_attempts_csv() -> bytes:
    rows = ["student_id,module,date,correct"]
    for i in range(0, BIG_STUDENTS, BIG_STUDENTS // BIG_ATTEMPTS):
        rows.append(f"S{i:05d},safety,2026-10-01,{i % 84}")
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture(scope="session")
def big_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,000 students and 2,500 attempts (~1.5 MB), built once through the import."""
    path = tmp_path_factory.mktemp("big") / "roster.json"
    store = Store(path, clock=fixed_clock, user="builder")
    assert store.import_roster(big_roster_csv()).ok
    assert store.import_attempts(big_attempts_csv()).ok
    return path


@pytest.fixture
def big_store(big_store_template: Path, tmp_path: Path) -> Path:
    """A private copy of the big store for one test."""
    path = tmp_path / "roster.json"
    shutil.copyfile(big_store_template, path)
    path.chmod(0o600)
    return path


@pytest.fixture
def umask022() -> Iterator[None]:
    """The usual umask of a shared server: new files would be world-readable by default."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def temporaries(folder: Path) -> set[str]:
    return {p.name for p in folder.glob(TEMP_GLOB)}


def other_bits(folder: Path) -> list[str]:
    """Every file or folder under `folder` that anyone but owner and group could read."""
    found = []
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            mode = os.lstat(os.path.join(root, name)).st_mode
            if mode & 0o007:
                found.append(f"{os.path.join(root, name)} {mode & 0o777:o}")
    return found
