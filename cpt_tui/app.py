"""The Textual app: three modes (roster, progress, fees), global keys, and store changes."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from . import __version__, settings
from .cli import default_export_name
from .core.csvio import ImportPlan, attempts_rows, roster_rows, write_csv
from .core.roster import Roster
from .core.text import printable
from .screens.base import CptScreen
from .screens.dialogs import ConfirmScreen, ExportScreen, HelpScreen, ImportScreen, TooSmallScreen
from .screens.fees import FeesScreen
from .screens.progress import ProgressScreen
from .screens.roster import RosterScreen
from .storage import StoreError, write_new_file
from .store import Store

T = TypeVar("T")

GLOBAL_ACTIONS = {
    "switch_mode",
    "help",
    "filter",
    "undo",
    "export",
    "import",
    "toggle_dropped",
    "quit",
}
"""Actions of the app's own keys; none of them acts while a dialog is open."""

MIN_SIZE = (64, 20)
"""The smallest terminal every screen and dialog works in (80x24 is the common size)."""

SETTLE_SECONDS = 2.0
"""The longest a typed key waits for each step of the one before it."""
SETTLE_ROUNDS = 10

POLL_SECONDS = 1.0
"""How often the store file is checked for changes made by another instructor."""


class CptApp(App[None]):
    """cpt-tui: the roster, progress and fees of a CPT class, over one store."""

    CSS_PATH = "app.tcss"
    TITLE = "cpt-tui"
    MODES = {"roster": RosterScreen, "progress": ProgressScreen, "fees": FeesScreen}
    DEFAULT_MODE = "roster"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("1", "switch_mode('roster')", "Roster", key_display="1"),
        Binding("2", "switch_mode('progress')", "Progress", key_display="2"),
        Binding("3", "switch_mode('fees')", "Fees", key_display="3"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("v", "toggle_dropped", "Show dropped"),
        Binding("u", "undo", "Undo"),
        Binding("x", "export", "Export"),
        Binding("i", "import", "Import"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]
    """Keys that work on every screen."""

    roster: reactive[Roster] = reactive(Roster, always_update=True)
    """The latest snapshot of the store; screens watch it."""
    filter_text: reactive[str] = reactive("")
    """Typed after `/`: applies on every screen (name, ID, section)."""
    show_dropped: reactive[bool] = reactive(False)

    def __init__(self, store: Store, *, demo: bool = False, theme: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.demo = demo
        # Read the store now: a screen draws the roster from its first showing, and a store
        # that cannot be read is refused before the terminal is taken over. Set quietly: a
        # reactive read before it is set sets off its watchers (each a redraw).
        self.set_reactive(CptApp.roster, store.roster)
        self.set_reactive(CptApp.filter_text, "")
        self.set_reactive(CptApp.show_dropped, False)
        self.register_theme(HIGH_CONTRAST)
        chosen = theme or settings.load().get("theme")
        if chosen in self.available_themes:
            self.theme = chosen
        self._typed: deque[events.Key] = deque()
        self._delivery: asyncio.Task[None] | None = None
        self._switching = False
        self.built: dict[str, CptScreen] = {}
        """Mode -> its screen, once Textual has composed it."""

    # -- type-ahead: each key lands where the keys before it left the focus ----------------

    async def on_event(self, event: events.Event) -> None:
        """Hold typed keys and hand them over one at a time.

        Textual forwards each key to whatever has the focus when the key is read. Keys that
        arrive together (a fast typist, a slow SSH link) would all go to the widget focused
        before the first of them was handled: `a 3002 tab Ada` would type `3002` into the
        roster, not into the form that `a` opens. Here a key is handed over only when the
        one before it has been handled all the way up (its bindings run), and any dialog it
        opened is mounted with its focus set.
        """
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._typed.append(event)
            if self._delivery is None or self._delivery.done():
                self._delivery = asyncio.create_task(self._deliver_typed())
            return
        await super().on_event(event)

    async def _deliver_typed(self) -> None:
        try:
            while self._typed:
                event = self._typed.popleft()
                target: MessagePump = self.focused or self.screen
                await super().on_event(event)
                await self._settled(target)
        except Exception as error:  # as Textual treats an error in a key's action
            self._handle_exception(error)

    async def _settled(self, target: MessagePump) -> None:
        """Wait until a key handed to `target` has been dealt with, and what it set off."""
        for _ in range(SETTLE_ROUNDS):  # a handled key may post more messages: follow them
            screen = self.screen
            if not screen.is_mounted:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(screen._mounted_event.wait(), SETTLE_SECONDS)
            nodes = [*_ancestry(target), *_ancestry(self.focused or screen), screen, self]
            for node in nodes:
                await self._handled(node)
            if all(node.message_queue_size == 0 for node in nodes) and screen is self.screen:
                return

    # -- switching screens: current from their first frame ----------------------------------

    async def action_switch_mode(self, mode: str) -> None:
        """Show another screen, already drawn with the current roster and filter.

        Textual holds every switch for 50 ms (`delay_update`) so a screen is never seen
        half drawn. A screen shown before is brought up to date first, so it needs no hold;
        one never shown is composed by Textual now, and keeps it.
        """
        screen = self.built.get(mode)
        if screen is None:
            await self.switch_mode(mode)
            return
        screen.draw_if_stale()
        self._switching = True
        try:
            await self.switch_mode(mode)
        finally:
            self._switching = False

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._switching:  # see `action_switch_mode`
            super().delay_update(delay)

    def screen_built(self, screen: CptScreen) -> None:
        """A mode's screen, composed and mounted: it lives as long as the app."""
        mode = next(m for m, kind in self.MODES.items() if kind is type(screen))
        self.built[mode] = screen
        gc.freeze()  # out of the collector's full passes (16-21 ms at 10,000 students)

    @staticmethod
    async def _handled(node: MessagePump) -> None:
        """Wait until `node` has handled what is already in its queue (bounded: never hangs)."""
        done = asyncio.Event()
        if node.call_later(done.set):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), SETTLE_SECONDS)

    def on_mount(self) -> None:
        self.watch_roster(self.roster)
        self.set_interval(POLL_SECONDS, self._poll_store)
        self.watch(self, "theme", self._remember_theme, init=False)

    def _remember_theme(self, theme: str) -> None:
        settings.save(theme=theme)

    def on_resize(self, event: events.Resize) -> None:
        """Below the smallest usable size, say so instead of drawing a broken layout."""
        small = event.size.width < MIN_SIZE[0] or event.size.height < MIN_SIZE[1]
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen())
        elif not small and showing:
            self.pop_screen()

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

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification: its text may quote names, IDs, header cells or file names,
        so it is shown escaped and never read as markup (whatever the caller asks)."""
        super().notify(
            printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # -- the store, off the UI thread ------------------------------------------------------

    def change(
        self,
        do: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[StoreError], None] | None = None,
    ) -> None:
        """Run one store change in a worker thread; then refresh every screen and call back."""

        def work() -> None:
            try:
                result = do()
            except StoreError as exc:
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

    def _failed(self, error: StoreError, failed: Callable[[StoreError], None] | None) -> None:
        self.roster = self.store.roster
        if failed is not None:
            failed(error)
        else:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)

    def _poll_store(self) -> None:
        def work() -> None:
            try:
                changed = self.store.refresh()
            except StoreError as exc:
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

    # -- a crash names its kind only ------------------------------------------------------

    def _fatal_error(self) -> None:
        """Textual prints a crash's traceback with its local variables: student records
        (FERPA). Say only what kind of error it was, unless CPT_TUI_DEBUG is set."""
        if os.environ.get("CPT_TUI_DEBUG"):
            super()._fatal_error()
            return
        self.bell()
        kind = type(self._exception).__name__ if self._exception else "error"
        self._exit_renderables.append(
            f"cpt-tui: unexpected error ({kind}); your saved changes are in the store. "
            "Run again with CPT_TUI_DEBUG=1 to see the details."
        )
        self._close_messages_no_wait()

    # -- global actions -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in GLOBAL_ACTIONS and isinstance(self.screen, ModalScreen):
            return False
        return True

    def action_filter(self) -> None:
        screen = self.screen
        if hasattr(screen, "open_filter"):
            screen.open_filter()

    def action_toggle_dropped(self) -> None:
        self.show_dropped = not self.show_dropped
        self.notify("Dropped students shown" if self.show_dropped else "Dropped students hidden")

    def action_undo(self) -> None:
        if not self.store.can_undo:
            self.notify("Nothing to undo in this session", severity="warning")
            return
        self.change(self.store.undo, lambda label: self.notify(f"Undone: {label}"))

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.screen, self.BINDINGS))

    def action_export(self) -> None:
        self.push_screen(ExportScreen(default_export_name(today=self.store.today())), self._export)

    def _export(self, choice: tuple[Path, bool] | None, overwrite: bool = False) -> None:
        if choice is None:
            return
        path, attempts = choice
        if path.exists() and not overwrite:
            self.push_screen(
                ConfirmScreen(f"{path} exists. Replace it?", yes="Replace"),
                lambda ok: self._export(choice, overwrite=True) if ok else None,
            )
            return
        roster = self.store.roster
        rows = attempts_rows(roster) if attempts else roster_rows(roster)
        text = write_csv(rows)
        mode = self.store.storage.file_mode()
        count = len(roster.attempts) if attempts else len(roster.students)
        what = "attempts" if attempts else "students"
        self.change(
            lambda: write_new_file(path, text, overwrite=overwrite, mode=mode),
            lambda _: self.notify(f"Exported {count} {what} to {path.resolve()}"),
        )

    def action_import(self) -> None:
        self.push_screen(ImportScreen(self.store))

    def imported(self, plan: ImportPlan) -> None:
        self.notify(f"Imported {plan.kind}: {plan.summary()}")

    # -- command palette ------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key's action is in the palette too: the current screen's, then the app's."""
        seen: set[str] = set()
        for binding in [*getattr(screen, "BINDINGS", []), *self.BINDINGS]:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.description in seen:
                continue
            seen.add(binding.description)
            target = screen if binding in getattr(screen, "BINDINGS", []) else self
            key = binding.key_display or binding.key
            yield SystemCommand(
                binding.description,
                f"key: {key}",
                partial(self.run_action, binding.action, target),
            )
        yield from super().get_system_commands(screen)


HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#262626",
    success="#00ff00",
    warning="#ffff00",
    error="#ff5f5f",
    dark=True,
)
"""White on black with yellow focus: for projectors, bright rooms and weak eyes."""


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


def _ancestry(node: MessagePump) -> list[MessagePump]:
    """The node and its parents up to the app: the way a key bubbles."""
    chain: list[MessagePump] = []
    current: MessagePump | None = node
    while current is not None:
        chain.append(current)
        current = current._parent
    return chain


def create_app(store: Store, *, demo: bool = False, theme: str | None = None) -> CptApp:
    """The one factory for the CLI, the tests and the snapshots."""
    return CptApp(store, demo=demo, theme=theme)


__all__ = ["CptApp", "create_app", "__version__"]
