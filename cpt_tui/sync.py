"""The app's side of the store: changes in worker threads, and another instructor's changes
picked up by polling the file. Every screen draws from the one `roster` kept here."""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from textual.app import App
from textual.reactive import reactive

from .core.errors import CptError
from .core.roster import Roster
from .core.text import printable
from .store import Store

T = TypeVar("T")

POLL_SECONDS = 1.0
"""How often the store file is checked for changes made by another instructor."""


class StoreSyncApp(App[None]):
    """An app over one store: `roster` is its latest snapshot, which screens watch."""

    store: Store
    demo: bool
    roster: reactive[Roster] = reactive(Roster, always_update=True)
    """The latest snapshot of the store; screens watch it."""

    def start_polling(self) -> None:
        self.set_interval(POLL_SECONDS, self._poll_store)

    def watch_roster(self, roster: Roster) -> None:
        count = len(roster.students)
        where = "demo copy" if self.demo else printable(self.store.path)
        self.sub_title = f"{where} · {count:,} student{'s' * (count != 1)}"
        self.run_worker(
            partial(_work_out_everyone, roster),
            name="warm-up",
            # Without a description Textual takes repr() of the callable, the whole Roster
            # in it (6.8 million characters at 10,000 students), on the UI thread.
            description="work out every standing and fee line",
            thread=True,
            group="warm",
            exclusive=True,
        )

    def change(
        self,
        do: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[CptError], None] | None = None,
    ) -> None:
        """Run one store change in a worker thread; then refresh every screen and call back."""

        def work() -> None:
            try:
                result = do()
            except CptError as exc:
                self.call_from_thread(self._failed, exc, failed)
                return
            self.call_from_thread(self._changed, result, done)

        self.run_worker(
            work,
            name="change",
            description="one store change",
            thread=True,
            group="store",
            exit_on_error=False,
        )

    def _changed(self, result: T, done: Callable[[T], None] | None) -> None:
        self.roster = self.store.roster
        if done is not None:
            done(result)

    def _failed(self, error: CptError, failed: Callable[[CptError], None] | None) -> None:
        self.roster = self.store.roster
        if failed is not None:
            failed(error)
        else:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)

    def _poll_store(self) -> None:
        def work() -> None:
            try:
                changed = self.store.refresh()
            except CptError as exc:
                self.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
                return
            if changed:
                self.call_from_thread(self._changed, None, None)

        self.run_worker(
            work,
            name="poll",
            description="check the store for other instructors' changes",
            thread=True,
            group="poll",
            exclusive=True,
            exit_on_error=False,
        )


def _work_out_everyone(roster: Roster) -> None:
    """Work out every standing and fee line ahead of need (a thread), so the first visit to
    the Progress or Fees screen of a large roster does not wait for them. Only what a change
    touched is left to do after the first time (see Roster.evolve)."""
    for student_id in roster.by_id:
        roster.standings[student_id]  # noqa: B018 (worked out and kept)
        roster.fee_lines[student_id]  # noqa: B018
    # Kept until the store changes: out of the garbage collector's full passes, which would
    # otherwise walk every standing now and then, in the middle of a key press.
    gc.freeze()
