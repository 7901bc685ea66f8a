"""What the instructor is told after a change, as drawn: each comes from the typed message
the app posts back to the screen that asked (messages.py), also when that screen was closed
by keys typed before the change was written, and when the store refused it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from textual.pilot import Pilot

from cpt_tui.app import CptApp
from cpt_tui.cli import fixtures_dir
from cpt_tui.screens.csv_dialogs import ImportScreen
from cpt_tui.screens.detail import StudentDetailScreen
from cpt_tui.screens.dialogs import ConfirmScreen
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.store import Store

from .conftest import fixed_clock, settle, type_text
from .test_safe_screens import notices
from .test_screen_credentials import open_detail


def stored(app: CptApp) -> Store:
    return Store(app.store.path, clock=fixed_clock)


@contextmanager
def held(
    app: CptApp, monkeypatch: pytest.MonkeyPatch, verb: str, when: Callable[..., bool]
) -> Iterator[threading.Event]:
    """The store's `verb` (called so that `when` holds) waits, in its worker, until the
    event is set: keys pressed meanwhile are handled before the change is written."""
    write = threading.Event()
    original = getattr(app.store, verb)

    def waiting(*args: Any, **kwargs: Any) -> Any:
        if when(*args, **kwargs):
            write.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(app.store, verb, waiting)
    try:
        yield write
    finally:
        write.set()  # never leave a worker waiting


async def attempt_under_cursor(pilot: Pilot[None]) -> tuple[StudentDetailScreen, str]:
    detail = await open_detail(pilot, row=1)  # Dana Kowalski: four attempts
    table = detail.query_one("#attempts")
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value  # type: ignore[attr-defined]
    return detail, str(key)


async def test_y_then_escape_on_the_details_confirm_still_says_the_attempt_is_deleted(
    app: CptApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The detail asked for the delete and was closed before it was written."""
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        detail, key = await attempt_under_cursor(pilot)
        with held(app, monkeypatch, "delete_attempt", lambda *a, **k: True) as write:
            await pilot.press("d")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y", "escape")
            assert isinstance(app.screen, ProgressScreen)  # the detail is closed
            assert not detail.is_attached
            write.set()
            await settle(pilot)
        assert "Attempt deleted; u undoes it" in await notices(pilot)
    assert key not in stored(app).roster.attempts_by_id


async def test_a_delete_someone_else_made_first_is_not_saved_and_says_why(
    app: CptApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        detail, key = await attempt_under_cursor(pilot)
        # Another instructor deletes it in the second before the app would poll (polling
        # is held off here, so the cursor stays on it whatever the machine's speed).
        monkeypatch.setattr(app.store, "refresh", lambda: False)
        stored(app).delete_attempt(key)
        before = app.store.path.read_bytes()
        await pilot.press("d", "y")
        await settle(pilot)
        said = await notices(pilot)
        assert "Not saved" in said and "that attempt is no longer in the store" in said
        assert app.screen is detail  # still open, showing the store as it is
    assert app.store.path.read_bytes() == before


async def test_u_says_what_it_undid(app: CptApp) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        _, key = await attempt_under_cursor(pilot)
        await pilot.press("d", "y")
        await settle(pilot)
        assert key not in stored(app).roster.attempts_by_id
        await pilot.press("u")
        await settle(pilot)
        said = await notices(pilot)
        assert "Undone: delete attempt" in said
    assert key in stored(app).roster.attempts_by_id


async def import_sample_roster(pilot: Pilot[None]) -> None:
    """`i`, the sample roster, `enter` checks it (a dry run)."""
    await pilot.press("i")
    assert isinstance(pilot.app.screen, ImportScreen)
    await type_text(pilot, str(fixtures_dir() / "sample-roster.csv"))
    await pilot.press("enter")
    await settle(pilot)
    assert "Would import" in str(pilot.app.screen.query_one("#result").render())


async def test_an_import_closes_the_dialog_and_says_what_came_in(app: CptApp) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await import_sample_roster(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
        said = await notices(pilot)
        assert "Imported roster: 0 new, " in said and "0 rejected" in said


async def test_escape_typed_after_enter_on_the_import_still_says_what_came_in(
    app: CptApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run = lambda data, dry_run=False: not dry_run  # noqa: E731
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        with held(app, monkeypatch, "import_roster", real_run) as write:
            await import_sample_roster(pilot)
            await pilot.press("enter", "escape")
            assert not isinstance(app.screen, ImportScreen)
            write.set()
            await settle(pilot)
        assert "Imported roster: 0 new, " in await notices(pilot)


def test_an_import_that_came_to_nothing_says_so_when_its_dialog_is_gone(
    demo_store: Store,
) -> None:
    """The store changed between the check and the import, and the dialog was closed: the
    app's notice says nothing came in (the open dialog shows the reasons instead)."""
    plan = demo_store.import_roster(b"student_id,last_name\n,\n", dry_run=True)
    assert not plan.ok
    message = ImportScreen.Imported(("roster.csv", False), b"")
    message.result = plan
    assert message.notice() == (
        "Nothing imported: the file's columns are refused, so no row was checked"
    )
