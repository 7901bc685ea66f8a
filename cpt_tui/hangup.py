"""A dropped connection ends the app: SIGHUP, or the terminal's input hanging up.

When an SSH connection drops, the terminal goes away. SIGHUP does not always reach the app:
started from `make`, a wrapper script that ignores it (`trap '' HUP`, `nohup`) or some
multiplexers, the app is never told. Textual's input thread then reads end-of-file from the
terminal for ever (about half a core, a process left behind per dropped connection on a
shared server). So the terminal itself is watched too: poll(2) reports POLLHUP on a terminal
whose other side has gone, whoever was or was not sent a signal.

Either way the app is asked to exit as it does on `q` (a change being written finishes
first); if it has not ended after `GRACE_SECONDS` (its last frames written to a terminal that
is gone may never return), the process ends there: every write to the store is atomic, and
the system releases its lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import sys
import threading
import time
from typing import Any

from textual.app import App

HANGUP_EXIT = 128 + signal.SIGHUP
"""The exit code after a hangup (129, as for a process ended by SIGHUP)."""
GRACE_SECONDS = 5.0
"""How long a clean exit may take once the terminal is gone."""
_GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


def terminal_input() -> int | None:
    """The file descriptor Textual reads keys from, when it is a terminal."""
    stream = sys.__stdin__
    if stream is None:
        return None
    with contextlib.suppress(OSError, ValueError):
        fd = stream.fileno()
        if os.isatty(fd):
            return fd
    return None


def wait_for_hangup(fd: int) -> None:
    """Block until the terminal on `fd` hangs up (its other side closed: EOF and EIO from
    then on). Asks poll(2) for no event at all: a hangup is reported whatever is asked."""
    poller = select.poll()
    poller.register(fd, 0)
    while True:
        for _, event in poller.poll():
            if event & _GONE:
                return


class HangupWatch:
    """Ends `app` when its terminal goes away. `start` from the app's event loop."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.hung_up = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """Install the SIGHUP handler and the terminal watcher (not for a headless app)."""
        if self.app.is_headless:
            return
        self._loop = asyncio.get_running_loop()
        # Even where a parent left SIGHUP ignored for us: the app has a terminal to lose.
        self._loop.add_signal_handler(signal.SIGHUP, self.hangup)
        fd = terminal_input()
        if fd is not None:
            threading.Thread(
                target=self._watch, args=(fd,), name="cpt-tui hangup watch", daemon=True
            ).start()

    def stop(self) -> None:
        if self._loop is not None:
            with contextlib.suppress(RuntimeError, ValueError):
                self._loop.remove_signal_handler(signal.SIGHUP)

    def _watch(self, fd: int) -> None:
        with contextlib.suppress(OSError):
            wait_for_hangup(fd)
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: the app is gone
                self._loop.call_soon_threadsafe(self.hangup)

    def hangup(self) -> None:
        """The terminal is gone: exit cleanly, or at the latest after GRACE_SECONDS."""
        if self.hung_up.is_set():
            return
        self.hung_up.set()
        threading.Thread(target=_end_after_grace, name="cpt-tui hangup grace", daemon=True).start()
        self.app.exit(return_code=HANGUP_EXIT)


def _end_after_grace() -> None:
    time.sleep(GRACE_SECONDS)
    os._exit(HANGUP_EXIT)
