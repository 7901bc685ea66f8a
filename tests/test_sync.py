"""Store changes from the app: the work runs in a worker thread, what came of it comes back as
a message, and the screen's follow-up runs on the UI thread with the store already re-read."""

from __future__ import annotations

import threading

import pytest

from cpt_tui.app import CptApp
from cpt_tui.core.errors import CptError
from cpt_tui.core.models import Student

from .conftest import settle


async def test_a_change_and_a_refusal_come_back_on_the_ui_thread(app: CptApp) -> None:
    seen: set[tuple[str, bool, str]] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ui = threading.get_ident()
        bought_before = "safety" in app.roster.by_id["S1002"].supplements

        def done(student: Student) -> None:
            now = "safety" in app.roster.by_id[student.student_id].supplements
            seen.add(("done", threading.get_ident() == ui, f"{now != bought_before}"))

        def failed(error: CptError) -> None:
            seen.add(("failed", threading.get_ident() == ui, str(error)))

        app.change(lambda: app.store.toggle_supplement("S1002", "safety"), done)
        app.change(lambda: app.store.delete_attempt("no-such-attempt"), None, failed)
        await settle(pilot)
    assert seen == {
        ("done", True, "True"),  # on the UI thread, the roster already the new one
        ("failed", True, "that attempt is no longer in the store"),
    }


async def test_a_refusal_without_a_follow_up_is_shown(
    app: CptApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: shown.append((message, kw["title"])))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.change(lambda: app.store.delete_attempt("no-such-attempt"))
        await settle(pilot)
    assert shown == [("that attempt is no longer in the store", "Not saved")]
