"""The app's side of the store: changes in worker threads, and another instructor's changes
picked up by polling the file. Every screen draws from the app's `roster`.

Workers never touch the app: each posts what came of its work as a message (`Opened`,
`Changed`, `Refused`), handled with `@on` on the UI thread, as Harlequin does. Each message
carries the store's snapshot as the worker left it, and the app's `roster` is only ever set
from one: the UI thread never reads the store's own (it may wait on another change's lock).
What came of a change a screen asked for goes on to that screen as its own typed message
(messages.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import App
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from .core.errors import CptError
from .core.labels import plural, short_path
from .core.roster import Roster
from .core.text import printable
from .messages import NotSaved, Saved
from .reading import freeze_what_lives
from .store import Store

T = TypeVar("T")


FREEZE_FROM = 1_000
"""Students from which a store read whole at the start (no first page kept yet) is frozen
out of the collector's full passes once its first frame is drawn, as the first-page start
does: at 10,000 students each full pass took 125 to 140 ms and landed on whatever key came
next. A small class is left alone (a freeze keeps what lives for the rest of the process)."""


class Asked(NamedTuple):
    """A change asked for with `change`: what to post once it is written or refused
    (`reply`, built on the UI thread), and to whom (`asker`; None for the app itself)."""

    reply: Saved[Any]
    asker: Screen[Any] | None


REFUSED = 2
"""The app's return code when the store is refused (the CLI's exit code for a refusal)."""

POLL_SECONDS = 1.0
"""How often the store file is checked for changes made by another instructor."""


class StoreSyncApp(App[None]):
    """An app over one store: `roster` is its latest snapshot, which screens watch."""

    store: Store
    demo: bool
    roster: reactive[Roster] = reactive(Roster, always_update=True)
    """The store as the last message from a worker left it (the first page, while every
    record is checked): what every screen shows, and watches."""

    opening: int | None = None
    """While the store is checked after the first frame: how many students it holds."""

    class Opened(Message):
        """Every record of the store is checked: the whole roster."""

        def __init__(self, roster: Roster) -> None:
            super().__init__()
            self.roster = roster

    class Changed(Message):
        """Posted by a worker to the app: the store changed. A change asked for with
        `change` was written (`asked`; `result` is what the store's verb returned), or
        another instructor's change was read (`asked` None). `roster` is the store after it."""

        def __init__(self, asked: Asked | None, roster: Roster, result: object = None) -> None:
            super().__init__()
            self.asked, self.roster, self.result = asked, roster, result

    class Refused(Message):
        """Posted by a worker to the app: nothing was written. A change asked for was
        refused (`asked`; `roster` is the store as it is now, newer if another instructor
        changed it), or the store could not be read (`asked` None and no roster; while
        opening, the app closes)."""

        def __init__(
            self, asked: Asked | None, error: CptError, roster: Roster | None = None
        ) -> None:
            super().__init__()
            self.asked, self.error, self.roster = asked, error, roster

    def open_first_page(self, first_page: tuple[Roster, int]) -> None:
        """Start from the first page of a store (see Store.first_page): keys are held until
        every other record is checked, which starts once the first frame is drawn."""
        roster, self.opening = first_page
        self.set_reactive(StoreSyncApp.roster, roster)
        self.hold_keys()

    def on_ready(self) -> None:
        if self.opening is not None:  # the first frame is on screen: check the rest
            self.call_after_refresh(self._check_the_rest)
        elif len(self.roster.students) >= FREEZE_FROM:  # read whole before the first frame
            self.call_after_refresh(freeze_what_lives)

    @work(thread=True, name="open", description="check every record", group="open")
    def _check_the_rest(self) -> None:
        try:
            roster = self.store.finish_open()
            freeze_what_lives()
        except CptError as exc:
            self.post_message(self.Refused(None, exc))
            return
        self.post_message(self.Opened(roster))

    @on(Opened)
    def _opened(self, message: Opened) -> None:
        self.opening = None
        self.roster = message.roster
        self.release_keys()

    def show_title(self) -> str:
        """The title line under the app's name: where the store is and how many students it
        holds (`checking` them while the rest of the file is read); returned for an app to add
        to."""
        count = len(self.roster.students) if self.opening is None else self.opening
        where = "demo copy" if self.demo else printable(short_path(self.store.path, Path.home()))
        checking = "" if self.opening is None else "checking "
        self.sub_title = f"{where} · {checking}{plural(count, 'student')}"
        return self.sub_title

    def hold_keys(self) -> None:
        """Keep typed keys until `release_keys`: the app's type-ahead does it."""
        raise NotImplementedError

    def release_keys(self) -> None:
        raise NotImplementedError

    def start_polling(self) -> None:
        self.set_interval(POLL_SECONDS, self._poll_store)

    def watch_roster(self, roster: Roster) -> None:
        self.show_title()
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

    def change(self, do: Callable[[], T], reply: Saved[T], *, asker: Screen[Any] | None) -> None:
        """Run one store change (`do`, a store verb) in a worker thread. Once it is written
        the app updates `roster` (every screen redraws), sets `reply.result` to what `do`
        returned and posts `reply` to `asker` (None: to the app); once refused, a
        `NotSaved` carrying `reply`. Either bubbles on to the app, which tells the
        instructor (see messages.py). The worker never sees `reply` or `asker`."""
        self._write(do, Asked(reply, asker))

    @work(
        thread=True,
        name="change",
        description="one store change",
        group="store",
        exit_on_error=False,
    )
    def _write(self, do: Callable[[], object], asked: Asked) -> None:
        try:
            result = do()
        except CptError as exc:
            self.post_message(self.Refused(asked, exc, self.store.roster))
            return
        self.post_message(self.Changed(asked, self.store.roster, result))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.roster = message.roster  # first: the asker's handler sees the new roster
        if message.asked is not None:
            reply, asker = message.asked
            reply.result = message.result
            self._tell(asker, reply)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        if message.asked is None and self.opening is not None:
            # A damaged record below the first page: nothing was or will be written (keys
            # stay held). Say so and close, as a damaged store is refused before the screen
            # opens.
            self.exit(return_code=REFUSED, message=Text(printable(f"cpt-tui: {message.error}")))
            return
        if message.asked is None:  # polling: the store as it was stays on screen
            self.notify(str(message.error), severity="error", timeout=10)
            return
        if message.roster is not None:
            self.roster = message.roster
        reply, asker = message.asked
        self._tell(asker, NotSaved(reply, message.error))

    def _tell(self, asker: Screen[Any] | None, message: Saved[Any] | NotSaved) -> None:
        """Post what came of a change to the screen that asked, or to the app when the app
        asked or that screen is closed (the instructor is told all the same)."""
        if asker is None or not self._is_open(asker) or not asker.post_message(message):
            self.post_message(message)

    def _is_open(self, screen: Screen[Any]) -> bool:
        """Is `screen` on a screen stack (the current mode's or another's)? One taken off
        is being removed by Textual: a message posted to it would run its handlers on a
        screen no longer shown, or be dropped with its queue."""
        for mode in {self.current_mode, *self.MODES}:
            try:
                if screen in self.get_screen_stack(mode):
                    return True
            except KeyError:  # a mode not shown yet has no stack
                continue
        return False

    @on(Saved)
    def _say_saved(self, message: Saved[Any]) -> None:
        """The default for every change written: its notice (the asker's came first)."""
        self.notify(message.notice())

    @on(NotSaved)
    def _say_not_saved(self, message: NotSaved) -> None:
        """The default for every change refused, unless the asker said it otherwise."""
        self.notify(str(message.error), title="Not saved", severity="error", timeout=10)

    def _poll_store(self) -> None:
        if self.opening is None:  # polled as usual once every record is checked
            self._read_others()

    @work(
        thread=True,
        name="poll",
        description="check the store for other instructors' changes",
        group="poll",
        exclusive=True,
        exit_on_error=False,
    )
    def _read_others(self) -> None:
        try:
            changed = self.store.refresh()
        except CptError as exc:
            self.post_message(self.Refused(None, exc))
            return
        if changed:
            self.post_message(self.Changed(None, self.store.roster))


def _work_out_everyone(roster: Roster) -> None:
    """Work out every standing and fee line ahead of need (a thread), so the first visit to
    the Progress or Fees screen of a large roster does not wait for them. Only what a change
    touched is left to do after the first time (see Roster.evolve)."""
    for student_id in roster.by_id:
        roster.standings[student_id]  # noqa: B018 (worked out and kept)
        roster.fee_lines[student_id]  # noqa: B018
        roster.reports[student_id]  # noqa: B018 (the Diagnostics screen adds these up)
