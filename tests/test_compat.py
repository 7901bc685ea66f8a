"""cpt_tui/compat.py: every private Textual name cpt-tui uses is still there and still does
what compat relies on. A Textual release that moves one fails here first, naming it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import textual
from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import ModalScreen, Screen

from cpt_tui.app import CptApp
from cpt_tui.compat import FrameClock, notices, screen_lines, wait_until_mounted

from .conftest import settle

ROOT = Path(__file__).parent.parent

PRIVATE_NAMES = [
    (MessagePump, "_mounted_event", "type-ahead: wait for a screen a typed key opened"),
    (App, "_handle_exception", "type-ahead: an error in a typed key's action"),
    (App, "_fatal_error", "crash privacy: the crash report"),
    (App, "_close_messages_no_wait", "crash privacy: closing after the report"),
]
PRIVATE_ATTRIBUTES = [
    ("_css_update_count", "styled once: the app's stylesheet count"),
    ("_exception", "crash privacy: the error's kind"),
    ("_exit_renderables", "crash privacy: what is printed at exit"),
]


@pytest.mark.parametrize(("owner", "name", "why"), PRIVATE_NAMES)
def test_textual_still_has_the_private_names_compat_uses(owner: type, name: str, why: str) -> None:
    assert hasattr(owner, name), (
        f"Textual {textual.__version__} has no {owner.__name__}.{name} ({why}): "
        "cpt_tui/compat.py needs a new way, then widen the textual pin in pyproject.toml"
    )


@pytest.mark.parametrize(("name", "why"), PRIVATE_ATTRIBUTES)
def test_an_app_still_has_the_private_attributes_compat_uses(
    app: CptApp, name: str, why: str
) -> None:
    assert hasattr(app, name), f"Textual {textual.__version__}: no App.{name} ({why})"


async def test_wait_until_mounted_returns_once_a_pushed_screen_is_mounted(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: ModalScreen[None] = ModalScreen()
        app.push_screen(screen)
        await wait_until_mounted(screen, 30)
        assert screen.is_mounted


async def test_switch_mode_still_holds_through_delay_update(app: CptApp) -> None:
    """Instant switch: Textual's switch_mode calls delay_update (the 50 ms hold), and within
    `switch_without_hold` that call holds nothing."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with mock.patch.object(App, "delay_update") as hold:
            await app.switch_mode("progress")
            assert hold.call_count == 1, f"Textual {textual.__version__}: no delay_update"
            with app.switch_without_hold():
                await app.switch_mode("roster")
            assert hold.call_count == 1


CRASH_IN_A_TYPED_KEY = """
import sys
from pathlib import Path
from textual.binding import Binding
import cpt_tui.app
from cpt_tui.app import CptApp
from cpt_tui.store import Store

class Crashing(CptApp):
    CSS_PATH = str(Path(cpt_tui.app.__file__).with_name("app.tcss"))
    BINDINGS = [*CptApp.BINDINGS, Binding("z", "crash", "Crash")]

    def action_crash(self) -> None:
        records = self.store.roster.students  # a frame whose locals hold student records
        raise ZeroDivisionError(records[0].full_name)

app = Crashing(Store(sys.argv[1]))
app.call_later(app.simulate_key, "z")
app.run(headless=True)
sys.exit(app.return_code or 0)
"""


def test_an_error_in_a_typed_key_ends_the_app_naming_only_its_kind(demo_path: Path) -> None:
    """Type-ahead delivery and crash privacy together: exit code 1 as Textual would, and the
    report names the error's kind, never its message or a traceback's locals."""
    done = subprocess.run(
        [sys.executable, "-c", CRASH_IN_A_TYPED_KEY, str(demo_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,  # a guard against a hang (the app left running), not a speed limit
        env={"PATH": "/usr/bin:/bin", "HOME": str(demo_path.parent), "NO_COLOR": "1"},
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "cpt-tui: unexpected error (ZeroDivisionError)" in done.stderr, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "records" not in done.stderr


async def test_a_screen_s_second_showing_does_not_read_the_stylesheets_again(app: CptApp) -> None:
    """Textual re-reads every stylesheet on a switch to a screen whose CSS count is not the
    app's; a mode's screen is marked styled when mounted (compat.mark_styled), so only the
    first showing of each screen refreshes the stylesheets, never a later one."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with mock.patch.object(App, "refresh_css", autospec=True) as refresh:
            for key in "2312":
                await pilot.press(key)
                await settle(pilot)
            first_showings = refresh.call_count
            for key in "3123":
                await pilot.press(key)
                await settle(pilot)
            assert refresh.call_count == first_showings
        shown = [app.mode_screen(mode) for mode in ("roster", "progress", "fees")]
        assert all(s is not None and s._css_update_count == app._css_update_count for s in shown)
        assert app.mode_screen("diagnostics") is None  # never shown


def test_closed_widgets_are_freed_with_what_they_drew(app: CptApp) -> None:
    """Textual's StylesCache.get_inner_outer is an lru_cache keyed on the instance: compat
    replaces it (release_closed_widgets) with one keyed on the colours alone."""
    import gc
    import weakref

    from textual._styles_cache import StylesCache
    from textual.color import Color

    from cpt_tui.compat import release_closed_widgets

    release_closed_widgets()  # idempotent: the app has already done it
    cache = StylesCache()
    expected = StylesCache.get_inner_outer(cache, Color(1, 2, 3), Color(4, 5, 6, 0.5))
    gone = weakref.ref(cache)
    del cache
    gc.collect()
    assert gone() is None, "a StylesCache outlived its widget: see compat.release_closed_widgets"
    assert expected[1].background == Color(1, 2, 3)


async def test_the_probes_read_notices_the_terminal_and_frames(app: CptApp) -> None:
    """The tests' and the bench's probes (compat.notices, screen_lines, FrameClock) read what
    Textual keeps privately: the notice just given, the text on screen, and frames stamped
    for keys that change the screen, a mode's screen shown again too; put away, the clock
    leaves Textual as it was."""
    tick = Screen._on_timer_update
    with FrameClock(app) as frames:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.notify("Probe notice")
            await settle(pilot)
            assert [str(n.message) for n in notices(app)] == ["Probe notice"]
            lines = screen_lines(app)
            assert len(lines) == 24 and any("E2001" in line for line in lines)
            for key in "21":
                frames.clear()
                await pilot.press(key)
                await settle(pilot)
                assert any(not scrollbars for _, scrollbars in frames), key
    assert Screen._on_timer_update is tick and "_display" not in vars(app)  # put away
