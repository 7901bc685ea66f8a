"""Keys that arrive in one burst (a fast typist, a slow SSH link) land where they were meant."""

from __future__ import annotations

from decimal import Decimal

from textual.pilot import Pilot

from cpt_tui.app import CptApp
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.screens.roster import RosterScreen
from cpt_tui.store import Store

from .conftest import fixed_clock, key_of, send_keys, settle

KEYS = {"tab", "enter", "escape", "up", "down", "left", "right", "backspace"}


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Send every key at once, as one read from the terminal delivers them, then wait (here
    not on the type-ahead's own `typed_keys_handled`, which is what is tested)."""
    names = [n for key in keys for n in ([key] if key in KEYS else map(key_of, key))]
    send_keys(pilot.app, *names)
    await settle(pilot)
    await pilot.pause(0.2)
    await settle(pilot)


def stored(app: CptApp) -> Store:
    return Store(app.store.path, clock=fixed_clock)


async def test_add_form_typed_in_one_burst(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "a", "3002", "tab", "Ada", "tab", "Lovelace", "enter")
        assert isinstance(app.screen, RosterScreen)
        ada = stored(app).roster.by_id["3002"]
        assert (ada.first_name, ada.last_name) == ("Ada", "Lovelace")


async def test_record_typed_in_one_burst(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "2", "j", "j", "j", "j", "j", "j", "r", "64", "enter")
        assert isinstance(app.screen, ProgressScreen)
        (attempt,) = stored(app).roster.attempts_of("E2008")
        assert (attempt.module, attempt.correct) == ("safety", 64)


async def test_two_records_and_a_percent_in_one_burst(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = ["2"] + ["j"] * 6 + ["r", "50", "enter", "l", "r", "77", ".", "1", "%", "enter"]
        await burst(pilot, *keys)
        got = sorted(
            (a.module, a.correct, a.percent) for a in stored(app).roster.attempts_of("E2008")
        )
        assert got == [("quality", None, Decimal("77.1")), ("safety", 50, None)]


async def test_filter_then_edit_in_one_burst(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "/", "osei", "enter", "e", "tab", "tab", "Osei-Mensah", "enter")
        assert stored(app).roster.by_id["E2011"].last_name == "Osei-Mensah"


async def test_delete_and_undo_in_one_burst(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "d", "y", "j", "d", "n")
        roster = stored(app).roster
        assert "E2001" not in roster.by_id and "E2002" in roster.by_id
        await burst(pilot, "u")
        assert "E2001" in stored(app).roster.by_id
