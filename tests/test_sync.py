"""Store changes from the app: the work runs in a worker thread; what came of it comes back
as a typed message posted to the screen that asked, on the UI thread, with the roster
already the new one, then on to the app, which tells the instructor."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from cpt_tui.app import CptApp
from cpt_tui.core.models import Student
from cpt_tui.messages import NotSaved, Saved
from cpt_tui.sync import Asked, StoreSyncApp

from .conftest import settle

Heard = list[tuple[str, object]]


class Bought(Saved[Student]):
    """A supplement toggled; its notice notes what the app saw when it was asked for it."""

    def __init__(self, heard: Heard, seen: Callable[[], object]) -> None:
        super().__init__()
        self.heard, self.seen = heard, seen

    def notice(self) -> str:
        self.heard.append(("app", self.seen()))
        return f"Toggled for {self.result.full_name}"


class Asker(Screen[None]):
    """A screen that asks for changes and notes what comes back to it."""

    def __init__(self, heard: Heard, seen: Callable[[], object], stop: bool = False) -> None:
        super().__init__()
        self.heard, self.seen, self.stop = heard, seen, stop

    def compose(self) -> ComposeResult:
        yield Static("asking")

    @on(Bought)
    def _bought(self, message: Bought) -> None:
        self.heard.append(("asker", self.seen()))

    @on(NotSaved)
    def _not_saved(self, message: NotSaved) -> None:
        self.heard.append(("asker refused", (type(message.asked), str(message.error))))
        if self.stop:
            message.stop()


def capture_notices(app: CptApp, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        app, "notify", lambda message, **kw: shown.append((message, kw.get("title", "")))
    )
    return shown


async def test_the_asker_hears_first_on_the_ui_thread_with_the_new_roster_then_the_app(
    app: CptApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = capture_notices(app, monkeypatch)
    heard: Heard = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ui = threading.get_ident()
        before = "safety" in app.roster.by_id["S1002"].supplements

        def seen() -> object:
            now = "safety" in app.roster.by_id["S1002"].supplements
            return threading.get_ident() == ui, now != before

        asker = Asker(heard, seen)
        await app.push_screen(asker)
        reply = Bought(heard, seen)
        app.change(lambda: app.store.toggle_supplement("S1002", "safety"), reply, asker=asker)
        await settle(pilot)
    # Both on the UI thread, the roster already the new one; the asker first.
    assert heard == [("asker", (True, True)), ("app", (True, True))]
    assert reply.result.student_id == "S1002"
    assert shown == [(f"Toggled for {reply.result.full_name}", "")]


async def test_a_refusal_goes_to_the_asker_and_the_app_says_not_saved(
    app: CptApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = capture_notices(app, monkeypatch)
    heard: Heard = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        asker = Asker(heard, lambda: None)
        await app.push_screen(asker)
        app.change(
            lambda: app.store.delete_attempt("no-such-attempt"),
            Bought(heard, lambda: None),
            asker=asker,
        )
        await settle(pilot)
    assert heard == [("asker refused", (Bought, "that attempt is no longer in the store"))]
    assert shown == [("that attempt is no longer in the store", "Not saved")]


async def test_a_refusal_the_asker_stops_is_not_said_again(
    app: CptApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = capture_notices(app, monkeypatch)
    heard: Heard = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        asker = Asker(heard, lambda: None, stop=True)
        await app.push_screen(asker)
        app.change(
            lambda: app.store.delete_attempt("no-such-attempt"),
            Bought(heard, lambda: None),
            asker=asker,
        )
        await settle(pilot)
    assert [who for who, _ in heard] == ["asker refused"]
    assert shown == []


async def test_an_asker_closed_before_the_change_is_written_leaves_its_notice_to_the_app(
    app: CptApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = capture_notices(app, monkeypatch)
    heard: Heard = []
    written = threading.Event()

    def toggle_once_closed() -> Student:
        written.wait()
        return app.store.toggle_supplement("S1002", "safety")

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        asker = Asker(heard, lambda: "seen")
        await app.push_screen(asker)
        try:
            app.change(toggle_once_closed, Bought(heard, lambda: "seen"), asker=asker)
            await app.pop_screen()
            await pilot.pause()
        finally:
            written.set()
        await settle(pilot)
    assert heard == [("app", "seen")]  # the closed asker heard nothing; the app said it
    assert len(shown) == 1 and shown[0][0].startswith("Toggled for")


async def test_an_asker_just_taken_off_the_stack_hears_nothing(
    app: CptApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dismissed (by its own handler, say) just before the app handles the change: Textual
    removes it on the app's next callback, after that message. Its handlers never run on a
    screen no longer shown; the app tells the instructor."""
    shown = capture_notices(app, monkeypatch)
    heard: Heard = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        asker = Asker(heard, lambda: "seen")
        await app.push_screen(asker)
        reply = Bought(heard, lambda: "seen")
        student = app.store.toggle_supplement("S1002", "safety")
        removed = app.pop_screen()  # off the stack now, removed once this test awaits
        app._changed(StoreSyncApp.Changed(Asked(reply, asker), app.store.roster, student))
        await removed
        await settle(pilot)
    assert heard == [("app", "seen")]
    assert len(shown) == 1
