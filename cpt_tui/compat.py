"""The few places cpt-tui leans on Textual's private names, each for a behaviour worth it.

Nowhere else in cpt_tui is a `_`-prefixed Textual name used. `tests/test_compat.py` fails
loudly, naming the hook, on a Textual release that moves any of them, and pyproject.toml pins
Textual to the minor versions those tests passed on.

- Type-ahead delivery (`typeahead.py`): waiting until a screen a key opened is mounted, and
  an error in a typed key's action ending the app as Textual ends it for an untyped key. The
  fix proposed upstream is in docs/upstream-type-ahead.md.
- Instant switch (`app.py`): `App.switch_mode` holds every switch for 50 ms through
  `App.delay_update`; a screen already drawn needs no hold.
- Styled once (`screens/base.py`): a mode's screen mounted after the stylesheet refresh of its first
  showing keeps Textual's "never styled" mark, so its second showing re-read every
  stylesheet (75-150 ms at 10,000 students); it is marked styled once mounted.
- Crash privacy (`app.py`): Textual prints a crash's traceback with its local variables,
  which would put student records (FERPA) on the terminal; here only the error's kind.
- Closed dialogs freed (`release_closed_widgets`): Textual's `StylesCache.get_inner_outer`
  is an `lru_cache` on a method, so its 1,024 entries keep as many widgets' style caches (and
  every line they drew) alive after the widgets are gone: memory grew for a few hundred
  dialogs opened and closed. Here the same colours are cached without the instance.
- Escape read with the key after it (`typeahead.escape_apart`): Textual reads ESC and a
  digit that arrive together as the character an Option key gives on macOS (`ESC 3` is `£`,
  from its private table of sequences); here they are the two keys pressed.
- Probes (the tests and `bench/`): the notifications held, the text on the terminal, and
  when each frame is written; Textual keeps each under a private name.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._styles_cache import StylesCache
from textual.app import App
from textual.color import Color
from textual.message_pump import MessagePump
from textual.notifications import Notification
from textual.screen import Screen
from textual.style import Style

DEBUG_VARIABLE = "CPT_TUI_DEBUG"
"""Set (to anything) to see Textual's own crash report, locals and all."""

# -- type-ahead delivery -------------------------------------------------------------------


async def wait_until_mounted(node: MessagePump, timeout: float) -> None:
    """Return once `node` is mounted, or after `timeout` seconds (never hangs).

    Textual has no public awaitable for "mounted" on a node one did not mount oneself
    (`AwaitMount` is handed only to whoever called `mount`/`push_screen`)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(node._mounted_event.wait(), timeout)


def fail_as_textual_does(app: App[Any], error: Exception) -> None:
    """End the app for an error raised while handling a key, as Textual does for a key it
    dispatched itself: exit code 1 and its crash report (see `PrivateCrashApp`)."""
    app._handle_exception(error)


# -- instant switch ------------------------------------------------------------------------


class InstantSwitchApp(App[None]):
    """An app that may switch to a mode without Textual's 50 ms hold (`without_hold`)."""

    _instant = False

    @contextlib.contextmanager
    def switch_without_hold(self) -> Iterator[None]:
        """Around `switch_mode` to a screen that is already drawn: shown at the next frame.

        Textual's `switch_mode` calls `delay_update()` so a screen is never seen half drawn;
        here that call does nothing."""
        self._instant = True
        try:
            yield
        finally:
            self._instant = False

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._instant:
            super().delay_update(delay)


# -- styled once ----------------------------------------------------------------------------


def mark_styled(app: App[Any], screen: Screen[Any]) -> None:
    """`screen` has just been mounted, and so styled with the app's current stylesheet.

    Textual's `switch_mode` refreshes every stylesheet (parse and apply, 75-150 ms) when a
    screen's CSS count differs from the app's; `refresh_css` sets it only on a screen that is
    already mounted, which a mode's screen is not at its first showing. Its mount styled it:
    it gets the app's count, so its second showing is a plain switch."""
    screen._css_update_count = app._css_update_count


# -- crash privacy -------------------------------------------------------------------------


class PrivateCrashApp(App[None]):
    """An app whose crash report names only the error's kind, unless CPT_TUI_DEBUG is set."""

    CRASH_MESSAGE = (
        "cpt-tui: unexpected error ({kind}); your saved changes are in the store. "
        "Run again with CPT_TUI_DEBUG=1 to see the details."
    )

    def _fatal_error(self) -> None:
        if os.environ.get(DEBUG_VARIABLE):
            super()._fatal_error()
            return
        self.bell()
        kind = type(self._exception).__name__ if self._exception else "error"
        # A plain string, printed as is at exit (`panic` would pre-render it at the app's
        # width, wrapping it where the terminal would not).
        self._exit_renderables.append(self.CRASH_MESSAGE.format(kind=kind))
        self._close_messages_no_wait()


# -- closed dialogs freed --------------------------------------------------------------------


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """Textual's `StylesCache.get_inner_outer`, cached on the colours alone."""
    return (
        Style(background=base_background + background),
        Style(background=base_background),
    )


def _get_inner_outer(
    self: StylesCache, base_background: Color, background: Color
) -> tuple[Style, Style]:
    return _inner_outer(base_background, background)


def release_closed_widgets() -> None:
    """Cache the inner and outer background styles on the colours only, not on the
    StylesCache (each widget has one): a widget that is gone is then freed with all it drew.
    Idempotent; the styles are the same ones Textual makes."""
    current = StylesCache.__dict__.get("get_inner_outer")
    if current is _get_inner_outer:
        return
    if not hasattr(current, "cache_info"):
        raise RuntimeError(
            "Textual's StylesCache.get_inner_outer is no longer an lru_cache: "
            "see cpt_tui/compat.py (release_closed_widgets)"
        )
    StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[method-assign,assignment]


# -- probes: what the tests and the bench read of a running app ------------------------------


@lru_cache(maxsize=1)
def escaped_digits() -> dict[str, str]:
    """The characters Textual reads `ESC` and a digit as (`£` for `ESC 3`), each to its digit."""
    return {
        meaning: sequence[1]
        for sequence, meaning in ANSI_SEQUENCES_KEYS.items()
        if len(sequence) == 2
        and sequence[0] == "\x1b"
        and sequence[1].isdigit()
        and isinstance(meaning, str)
    }


def notices(app: App[Any]) -> list[Notification]:
    """The notifications the app holds now (shown, or about to be), oldest first: Textual
    has no public list of them."""
    return list(app._notifications)


def screen_lines(app: App[Any]) -> list[str]:
    """What the terminal shows now, one plain string per line (the app's last composed
    frame of its current screen)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


class FrameClock:
    """While in use (`with FrameClock(app) as frames:`), when each frame the app writes to
    its terminal was written (`perf_counter`), and whether it drew scrollbars only (a frame
    that shows nothing new): for the bench's key latencies. Entered before the app runs: a
    screen's refresh timer holds the method it was made with."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.frames: list[tuple[float, bool]] = []
        self._only_scrollbars = False

    def __enter__(self) -> list[tuple[float, bool]]:
        display, tick = self.app._display, Screen._on_timer_update

        def on_tick(screen: Screen[Any]) -> None:
            dirty = {type(w).__name__ for w in screen._dirty_widgets}
            self._only_scrollbars = dirty <= {"ScrollBar", "ScrollBarCorner"} and not (
                screen._layout_required or screen._repaint_required
            )
            tick(screen)

        def stamped(*args: Any) -> None:
            display(*args)
            self.frames.append((time.perf_counter(), self._only_scrollbars))

        self._tick = tick
        self.app._display = stamped  # type: ignore[method-assign,assignment]
        Screen._on_timer_update = on_tick  # type: ignore[method-assign,assignment]
        return self.frames

    def __exit__(self, *exc: object) -> None:
        del self.app._display  # the class's method again
        Screen._on_timer_update = self._tick  # type: ignore[method-assign]
