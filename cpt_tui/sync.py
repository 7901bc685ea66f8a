"""The app's side of the store: changes in worker threads, and another instructor's changes
picked up by polling the file. Every screen draws from the one `roster` kept here."""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from rich.text import Text
from textual.app import App
from textual.reactive import reactive

from .core.errors import CptError
from .core.roster import Roster
from .core.text import printable
from .store import Store

T = TypeVar("T")

REFUSED = 2
"""The app's return code when the store is refused (the CLI's exit code for a refusal)."""

POLL_SECONDS = 1.0
"""How often the store file is checked for changes made by another instructor."""


class StoreSyncApp(App[None]):
    """An app over one store: `roster` is its latest snapshot, which screens watch."""

    store: Store
    demo: bool
    roster: reactive[Roster] = reactive(Roster, always_update=True)
    """The latest snapshot of the store; screens watch it."""

    opening: int | None = None
    """While the store is checked after the first frame: how many students it holds."""

    def open_first_page(self, first_page: tuple[Roster, int]) -> None:
        """Start from the first page of a store (see Store.first_page): keys are held until
        every other record is checked, which starts once the first frame is drawn."""
        roster, self.opening = first_page
        self.set_reactive(StoreSyncApp.roster, roster)
        self.hold_keys()

    def on_ready(self) -> None:
        if self.opening is not None:  # the first frame is on screen: check the rest
            self.call_after_refresh(self._check_the_rest)

    def _check_the_rest(self) -> None:
        def work() -> None:
            try:
                roster = self.store.finish_open()
            except CptError as exc:
                self.call_from_thread(self._refused, exc)
                return
            self.call_from_thread(self._checked, roster)

        self.run_worker(
            work, name="open", description="check every record", thread=True, group="open"
        )

    def _checked(self, roster: Roster) -> None:
        self.opening = None
        self.roster = roster
        self.release_keys()

    def _refused(self, error: CptError) -> None:
        """A damaged record below the first page: nothing was or will be written (keys stay
        held). Say so and close, as a damaged store is refused before the screen opens."""
        self.exit(return_code=REFUSED, message=Text(printable(f"cpt-tui: {error}")))

    def hold_keys(self) -> None:
        """Keep typed keys until `release_keys`: the app's type-ahead does it."""
        raise NotImplementedError

    def release_keys(self) -> None:
        raise NotImplementedError

    def start_polling(self) -> None:
        self.set_interval(POLL_SECONDS, self._poll_store)

    def watch_roster(self, roster: Roster) -> None:
        count = len(roster.students) if self.opening is None else self.opening
        where = "demo copy" if self.demo else printable(self.store.path)
        checking = "" if self.opening is None else "checking "
        self.sub_title = f"{where} · {checking}{count:,} student{'s' * (count != 1)}"
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
        if self.opening is not None:
            return  # polled as usual once every record is checked

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
        roster.reports[student_id]  # noqa: B018 (the Diagnostics screen adds these up)
    # Kept until the store changes: out of the garbage collector's full passes, which would
    # otherwise walk every standing now and then, in the middle of a key press.
    gc.freeze()
