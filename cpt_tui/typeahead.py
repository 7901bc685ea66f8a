"""Type-ahead: each typed key lands where the keys before it left the focus."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.widget import Widget
from textual.widgets import Input, TextArea

from .compat import escaped_digits, fail_as_textual_does, wait_until_mounted

SETTLE_SECONDS = 2.0
"""The longest a typed key waits for each step of the one before it."""
SETTLE_ROUNDS = 10


class TypeAheadApp(App[None]):
    """An app that hands typed keys over one at a time.

    Textual forwards each key to whatever has the focus when the key is read. Keys that
    arrive together (a fast typist, a slow SSH link) would all go to the widget focused
    before the first of them was handled: `a 3002 tab Ada` would type `3002` into the
    roster, not into the form that `a` opens. Here a key is handed over only when the
    one before it has been handled all the way up (its bindings run), and any dialog it
    opened is mounted with its focus set.
    """

    def __init__(self) -> None:
        super().__init__()
        self._typed: deque[events.Key] = deque()
        self._delivery: asyncio.Task[None] | None = None
        self._keys_go = asyncio.Event()
        self._keys_go.set()

    def hold_keys(self) -> None:
        """Keep typed keys (none is lost) until `release_keys`."""
        self._keys_go.clear()

    def release_keys(self) -> None:
        """Hand over the keys kept meanwhile, in the order they were typed."""
        self._keys_go.set()

    async def typed_keys_handled(self) -> None:
        """Wait until every key already sent to the app has been handed over and dealt
        with, as `_settled` judges it: what a driver sending keys in one burst awaits
        (the tests and the benchmark), instead of sleeping until the process looks idle."""
        queued = asyncio.Event()
        if not self.call_later(queued.set):  # after the keys already in the app's queue
            return
        await queued.wait()
        while (delivery := self._delivery) is not None and not delivery.done():
            await asyncio.wait([delivery])

    async def on_event(self, event: events.Event) -> None:
        """Hold typed keys and hand them over one at a time (see the class)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._typed.append(event)
            if self._delivery is None or self._delivery.done():
                self._delivery = asyncio.create_task(self._deliver_typed())
            return
        await super().on_event(event)

    async def _deliver_typed(self) -> None:
        try:
            while self._typed:
                await self._keys_go.wait()
                event, *after = escape_apart(self._typed.popleft(), self.focused)
                self._typed.extendleft(after)  # at most one key: read when this one is handled
                target: DOMNode = self.focused or self.screen
                await super().on_event(event)
                await self._settled(target)
        except Exception as error:  # as Textual treats an error in a key's action
            fail_as_textual_does(self, error)

    async def _settled(self, target: DOMNode) -> None:
        """Wait until a key handed to `target` has been dealt with, and what it set off."""
        for _ in range(SETTLE_ROUNDS):  # a handled key may post more messages: follow them
            screen = self.screen
            if not screen.is_mounted:
                await wait_until_mounted(screen, SETTLE_SECONDS)
            nodes = [*_ancestry(target), *_ancestry(self.focused or screen), screen, self]
            for node in nodes:
                await _handled(node)
            if all(node.message_queue_size == 0 for node in nodes) and screen is self.screen:
                return


def escape_apart(key: events.Key, focused: Widget | None) -> tuple[events.Key, ...]:
    """`escape` and the key after it, read as one key, given back as the two keys pressed.

    A terminal sends Alt+a as ESC then `a`, so when Escape and the next key arrive together
    (a fast typist, a slow SSH link) Textual reads them as `alt+a`, and ESC then a digit as
    the character macOS's Option key gives (`ESC 3` is `£`). cpt-tui binds no Alt key and
    no such character, and its keys `1`-`4` switch screens, so away from a text field each
    is taken as `escape` then the key. In a text field (`focused`) it is left as typed: `£`
    may be meant there, and a stray character loses nothing, where `escape` closes a form.
    Alt with an arrow or backspace (which type nothing) is left as it is everywhere.
    """
    name, character = key.key, key.character
    if isinstance(focused, (Input, TextArea)) or character is None:
        return (key,)
    if name.startswith("alt+") and character.isprintable():
        name = name.removeprefix("alt+")
        if name.startswith("shift+"):
            name = character  # `alt+shift+r` is `R`, as Textual names an upper-case letter
    elif (digit := escaped_digits().get(character)) is not None:
        name = character = digit
    else:
        return (key,)
    return events.Key("escape", "\x1b"), events.Key(name, character)


async def _handled(node: MessagePump) -> None:
    """Wait until `node` has handled what is already in its queue (bounded: never hangs)."""
    done = asyncio.Event()
    if node.call_later(done.set):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), SETTLE_SECONDS)


def _ancestry(node: DOMNode) -> list[DOMNode]:
    """The node and its parents up to the app: the way a key bubbles."""
    chain: list[DOMNode] = []
    current: DOMNode | None = node
    while current is not None:
        chain.append(current)
        current = current.parent
    return chain
