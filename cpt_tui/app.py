"""The Textual app: four modes (roster, progress, fees, diagnostics), keys for everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from . import __version__, settings
from .compat import InstantSwitchApp, PrivateCrashApp, release_closed_widgets
from .core.roster import Roster
from .core.text import printable
from .exporting import ExportingApp
from .hangup import HangupWatch
from .messages import Saved
from .screens.base import CptScreen
from .screens.csv_dialogs import ImportScreen
from .screens.diagnostics import DiagnosticsScreen
from .screens.dialogs import MIN_SIZE, HelpScreen, TooSmallScreen
from .screens.fees import FeesScreen
from .screens.progress import ProgressScreen
from .screens.roster import RosterScreen
from .store import Store
from .typeahead import TypeAheadApp

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


class Undone(Saved[str | None]):
    """This session's newest change undone; `result` is its label."""

    def notice(self) -> str:
        return f"Undone: {self.result}"


class CptApp(TypeAheadApp, ExportingApp, InstantSwitchApp, PrivateCrashApp):
    """cpt-tui: the roster, progress and fees of a CPT class, over one store.

    Its jobs live in rooms of their own: typed keys (`TypeAheadApp`), the store's changes
    and polling (`StoreSyncApp`), export (`ExportingApp`), and in `compat`, what needs
    Textual's private names (`InstantSwitchApp`, `PrivateCrashApp`); here are the modes,
    the keys that work everywhere, the theme, notifications and the palette.
    """

    CSS_PATH = "app.tcss"
    TITLE = "cpt-tui"
    MODES = {
        "roster": RosterScreen,
        "progress": ProgressScreen,
        "fees": FeesScreen,
        "diagnostics": DiagnosticsScreen,
    }
    DEFAULT_MODE = "roster"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("1", "switch_mode('roster')", "Roster", key_display="1"),
        Binding("2", "switch_mode('progress')", "Progress", key_display="2"),
        Binding("3", "switch_mode('fees')", "Fees", key_display="3"),
        Binding("4", "switch_mode('diagnostics')", "Diagnostics", key_display="4"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("v", "toggle_dropped", "Show dropped"),
        Binding("u", "undo", "Undo"),
        Binding("x", "export", "Export"),
        Binding("i", "import", "Import"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]
    """Keys that work on every screen."""

    filter_text: reactive[str] = reactive("")
    """Typed after `/`: applies on every screen (name, ID, section)."""
    show_dropped: reactive[bool] = reactive(False)
    roster_sort: tuple[int, bool] = (0, False)
    """The roster's sort, `s` and `S` there (column, reversed): Progress follows it."""

    def __init__(
        self,
        store: Store,
        *,
        demo: bool = False,
        theme: str | None = None,
        first_page: tuple[Roster, int] | None = None,
        samples: Path | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.demo = demo
        self.samples = samples
        """The demo's sample CSVs, dated as its copy (`cpt-tui demo`), which the import
        dialog offers; None for a real roster."""
        self.hangup_watch = HangupWatch(self)
        release_closed_widgets()  # memory stays flat as dialogs come and go (compat.py)
        # Read the store now (or its first page, the rest checked after the first frame: see
        # Store.first_page): a screen draws the roster from its first showing, and a store
        # that cannot be read is refused before the terminal is taken over. Set quietly: a
        # reactive read before it is set sets off its watchers (each a redraw).
        if first_page is not None:
            self.open_first_page(first_page)
        else:
            self.set_reactive(CptApp.roster, store.roster)
        self.set_reactive(CptApp.filter_text, "")
        self.set_reactive(CptApp.show_dropped, False)
        self.register_theme(HIGH_CONTRAST)
        chosen = theme or settings.load().get("theme")
        if chosen in self.available_themes:
            self.theme = chosen

    # -- switching screens: current from their first frame ----------------------------------

    async def action_switch_mode(self, mode: str) -> None:
        """Show another screen, already drawn with the current roster and filter.

        Textual holds every switch for 50 ms (`delay_update`) so a screen is never seen
        half drawn. A screen shown before is brought up to date first, so it needs no hold;
        one never shown is composed by Textual now, and keeps it.
        """
        screen = self.mode_screen(mode)
        if screen is None:
            await self.switch_mode(mode)
            return
        screen.draw_if_stale()
        with self.switch_without_hold():
            await self.switch_mode(mode)

    def mode_screen(self, mode: str) -> CptScreen | None:
        """A mode's screen once Textual has composed and mounted it (it lives as long as the
        app), else None."""
        try:
            stack = self.get_screen_stack(mode)
        except KeyError:  # never shown
            return None
        screen = stack[0] if stack else None
        return screen if isinstance(screen, CptScreen) and screen.is_mounted else None

    def on_mount(self) -> None:
        self.watch_roster(self.roster)
        self.start_polling()
        self.watch(self, "theme", self._remember_theme, init=False)
        self.hangup_watch.start()  # a dropped connection ends the app (hangup.py)

    def on_unmount(self) -> None:
        self.hangup_watch.stop()

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
        so it is shown escaped and never read as markup (whatever the caller asks). One
        notice at a time: a new one replaces the one shown (two saves leave one notice, not
        a stack over the screen)."""
        self.clear_notifications()
        super().notify(
            printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # -- global actions -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in GLOBAL_ACTIONS and isinstance(self.screen, ModalScreen):
            return False
        return True

    def action_filter(self) -> None:
        screen = self.screen
        if hasattr(screen, "open_filter"):
            screen.open_filter()

    def show_title(self) -> str:
        """`… · 24 students, 2 dropped hidden` (`v` shows them): the count says who is shown."""
        title = super().show_title()
        dropped = len(self.roster.students) - len(self.roster.active)
        if dropped and self.opening is None:
            hint = "" if self.show_dropped else " hidden"
            self.sub_title = title = f"{title}, {dropped:,} dropped{hint}"
        return title

    def watch_show_dropped(self) -> None:
        self.show_title()

    def action_toggle_dropped(self) -> None:
        self.show_dropped = not self.show_dropped
        self.notify("Dropped students shown" if self.show_dropped else "Dropped students hidden")

    def action_undo(self) -> None:
        if not self.store.can_undo:
            self.notify("Nothing to undo in this session", severity="warning")
            return
        self.change(self.store.undo, Undone(), asker=None)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.screen, self.BINDINGS))

    def action_import(self) -> None:
        self.push_screen(ImportScreen(self.store, samples=self.samples))

    # -- command palette ------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action a key does on `screen` is in the palette too, named as `?` names it:
        the screen's own (with those it inherits, as a page's Undo and Close), then the app's.
        A page's stand-in for an app key (`1` closes the page, then switches) takes the app
        key's name; a key that is dim there is left out, as is a widget's own (the cursor's)."""
        named = {b.key: b for b in self.BINDINGS if isinstance(b, Binding)}
        seen: set[str] = set()
        commands: list[tuple[bool, SystemCommand]] = []
        for key, active in screen.active_bindings.items():
            binding, node = active.binding, active.node
            shown = binding if binding.description else named.get(key)
            if node not in (screen, self) or not active.enabled or shown is None:
                continue
            title = shown.tooltip or shown.description
            if not title or title in seen:
                continue
            seen.add(title)
            run = partial(self.run_action, binding.action, node)
            command = SystemCommand(title, f"key: {shown.key_display or key}", run)
            commands.append((node is self, command))
        yield from (command for _, command in sorted(commands, key=lambda pair: pair[0]))
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


def create_app(
    store: Store,
    *,
    demo: bool = False,
    theme: str | None = None,
    first_page: tuple[Roster, int] | None = None,
    samples: Path | None = None,
) -> CptApp:
    """The one factory for the CLI, the tests and the snapshots."""
    return CptApp(store, demo=demo, theme=theme, first_page=first_page, samples=samples)


__all__ = ["CptApp", "create_app", "__version__"]
