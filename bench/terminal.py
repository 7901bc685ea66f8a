"""A real 80x24 terminal for the benchmarks: a private tmux server, one program at a time.

`Terminal.launch(command, until=...)` times a program from launch until the text given is
on its screen (polled with `capture-pane`, every few milliseconds), as a person watching
it would: what counts is a frame that reached the terminal, not one the program merely
built. The same terminal and the same polling serve cpt-tui and VisiData alike.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

SOCKET = f"bench-{os.getpid()}"
SESSION = "bench"
POLL = 0.004
"""Seconds between two looks at the screen: the resolution of every paint timing."""


class NeverShown(RuntimeError):
    """The program never showed what it was expected to (its last screen is attached)."""


class Terminal:
    """An 80x24 tmux pane; `launch` replaces whatever ran in it before."""

    def __init__(self, width: int = 80, height: int = 24, env: dict[str, str] | None = None):
        self.width, self.height = width, height
        self.env = env or {}
        self._tmux("kill-server", check=False)
        # A server that stays up: the timings below never include starting it.
        self._tmux("new-session", "-d", "-s", "idle", "-x", "80", "-y", "24", "sleep 86400")

    def _tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False
        )
        if check and done.returncode:
            raise RuntimeError(f"tmux {args[0]}: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", SESSION, check=False)

    def launch(
        self, command: Sequence[str], until: Callable[[str], bool], timeout: float = 60.0
    ) -> float:
        """Start `command` in a fresh pane; seconds until `until(screen)` holds."""
        self.stop()
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        line = f"exec env {env} {shlex.join(command)}"
        start = time.perf_counter()
        self._tmux(
            "new-session", "-d", "-s", SESSION, "-x", str(self.width), "-y", str(self.height), line
        )
        return self.wait(until, start, timeout)

    def wait(self, until: Callable[[str], bool], start: float, timeout: float = 60.0) -> float:
        """Seconds from `start` until the screen satisfies `until`."""
        while True:
            shown = self.screen()
            seen = time.perf_counter()
            if until(shown):
                return seen - start
            if seen - start > timeout:
                raise NeverShown(shown)
            time.sleep(POLL)

    def keys(self, *keys: str) -> float:
        """Send keys (tmux names: `Enter`, `Escape`); the moment they were sent."""
        start = time.perf_counter()
        self._tmux("send-keys", "-t", SESSION, *keys)
        return start

    def pid(self) -> int:
        """The program in the pane (launched with `exec`, so the pane's own process)."""
        return int(self._tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip())

    def stop(self) -> None:
        self._tmux("kill-session", "-t", SESSION, check=False)

    def close(self) -> None:
        self._tmux("kill-server", check=False)


def peak_mib(pid: int) -> float:
    """A process's peak resident memory (Linux's VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM: not Linux?")


def idle(pid: int, window: float = 0.3, timeout: float = 30.0) -> None:
    """Until the process has used (almost) no CPU for `window` seconds."""
    tick = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        before = cpu()
        time.sleep(window)
        if cpu() - before <= 0.02:
            return
    raise RuntimeError("the program never went idle")
