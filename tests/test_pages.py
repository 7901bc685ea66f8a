"""A page (a student's detail, the verification queue) takes the app's keys as every screen
does: SPEC's "`1`-`4` from anywhere", `?`, `u`, `/`, `x`, `i`; and its footer always shows
the way out. Before, both were modal: `4`, `/`, `x`, `i` did nothing in the detail, and in the
queue `?`, `1`-`4`, `u` and `x` did nothing."""

from __future__ import annotations

from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from cpt_tui.app import CptApp, create_app
from cpt_tui.screens.credentials import CredentialScreen
from cpt_tui.screens.csv_dialogs import ExportScreen, ImportScreen
from cpt_tui.screens.detail import StudentDetailScreen
from cpt_tui.screens.diagnostics import DiagnosticsScreen
from cpt_tui.screens.dialogs import HelpScreen
from cpt_tui.screens.fees import FeesScreen
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.screens.queue import VerificationQueueScreen
from cpt_tui.screens.roster import RosterScreen
from cpt_tui.store import Store
from cpt_tui.widgets.filter_bar import FilterBar
from cpt_tui.widgets.virtual_table import VirtualTable

from .conftest import fixed_clock, screen_text, settle, type_text


async def open_detail(pilot: Pilot[None]) -> StudentDetailScreen:
    """Marcus Reed's detail (E2001, the first row of Progress)."""
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StudentDetailScreen)
    return pilot.app.screen


async def open_queue(pilot: Pilot[None]) -> VerificationQueueScreen:
    await pilot.press("1", "c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, VerificationQueueScreen)
    return pilot.app.screen


@pytest.mark.parametrize(
    ("key", "lands_on"),
    [
        ("1", RosterScreen),
        ("3", FeesScreen),
        ("4", DiagnosticsScreen),
        ("x", ExportScreen),
        ("i", ImportScreen),
    ],
)
async def test_an_app_key_in_the_detail_closes_it_and_works_below(
    app: CptApp, key: str, lands_on: type
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, lands_on)
        assert not any(isinstance(s, StudentDetailScreen) for s in app.screen_stack)


async def test_slash_in_the_detail_filters_the_screen_below(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot)
        await pilot.press("slash")
        await type_text(pilot, "kowal")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        assert app.filter_text == "kowal"
        assert app.screen.query_one(FilterBar).display


async def test_the_queue_takes_help_undo_and_the_screen_keys(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        queue = await open_queue(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Record" in screen_text(app) and "Everywhere" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is queue
        await pilot.press("enter")  # record Chen's Safety certificate
        await settle(pilot)
        assert isinstance(app.screen, CredentialScreen)
        await type_text(pilot, "SAF-2609-1")
        await pilot.press("enter")
        await settle(pilot)
        assert (
            "safety" in Store(app.store.path, clock=fixed_clock).roster.by_id["S1006"].credentials
        )
        await pilot.press("u")
        await settle(pilot)
        assert app.screen is queue
        assert "safety" not in Store(app.store.path).roster.by_id["S1006"].credentials
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)


async def test_typing_in_the_queue_filter_is_text_not_keys(app: CptApp) -> None:
    """`1`, `x`, `q` typed into the queue's filter are characters: the page stays."""
    async with app.run_test(size=(80, 24)) as pilot:
        queue = await open_queue(pilot)
        await pilot.press("slash")
        await type_text(pilot, "1xq")
        await settle(pilot)
        assert app.screen is queue
        assert "1xq" in screen_text(app)


@pytest.mark.parametrize("opened", ["detail", "queue"])
async def test_a_pages_footer_shows_help_and_the_way_out_at_80_columns(
    app: CptApp, opened: str
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await (open_detail(pilot) if opened == "detail" else open_queue(pilot))
        footer = screen_text(app).splitlines()[-1]
        assert footer.rstrip().endswith("? Help  esc Close")
        if opened == "detail":
            for words in ("d Delete", "a Diagnostics", "c Cert. no.", "p Points", "R Renew"):
                assert words in footer


async def test_the_detail_dims_the_keys_with_nothing_to_act_on(app: CptApp) -> None:
    """Ben Carter (E2008) has no attempt, no credential and no CPT: `d`, `a`, `c`, `p` and `R`
    are dim and the empty credentials table is not drawn (it was a header alone). Marcus
    Reed (E2001) holds a CPT: every key works. Liam Johnson's practice test, typed as a
    percent, reads `-` in the Score column (it read "typed %")."""
    dimmed = {"d", "a", "c", "p", "R"}
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot)
        enabled = {key: b.enabled for key, b in app.screen.active_bindings.items()}
        assert all(enabled[key] for key in dimmed)
        for student, all_dim in (("carter", True), ("johnson", False)):
            await pilot.press("escape", "slash")
            await type_text(pilot, student)
            await pilot.press("enter", "enter")
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, StudentDetailScreen)
            enabled = {key: b.enabled for key, b in detail.active_bindings.items()}
            held = detail.query_one("#credential-list", DataTable)
            if all_dim:
                assert not any(enabled[key] for key in dimmed)
                assert not held.display and "Credential" not in screen_text(app)
                before = app.store.path.read_bytes()
                await pilot.press(*dimmed)
                await settle(pilot)
                assert app.screen is detail and app.store.path.read_bytes() == before
            else:
                assert {key for key in dimmed if not enabled[key]} == {"p", "R"}
                practice = detail.query_one("#attempts", DataTable).get_row_at(3)
                assert [str(cell) for cell in practice[1:5]] == ["Quality", "-", "82.0", "practice"]


async def test_the_detail_marks_a_retake_sat_before_its_wait_ended(demo_store: Store) -> None:
    """Zoë O'Brien (S1004) may retake Safety from 2026-11-28; one recorded on 2026-11-21
    (the Record dialog asks first) reads `✓ pass, early` in her detail; the others do not."""
    demo_store.record_attempt("S1004", "safety", date(2026, 11, 21), correct=70)
    app = create_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "slash")
        await type_text(pilot, "S1004")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        table = app.screen.query_one("#attempts", DataTable)
        results = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[4]) for i in range(3)}
        assert results == {
            "2026-09-18": "✗ fail",
            "2026-11-13": "✗ fail",
            "2026-11-21": "✓ pass, early",
        }


async def test_the_palette_on_a_page_offers_and_runs_its_keys(app: CptApp) -> None:
    """The palette read only a screen class's own bindings: on the detail its Undo, Help and
    Roster went to the app, which refuses app actions over a page, and Close was missing."""
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(pilot)
        commands = {c.title: c for c in app.get_system_commands(detail)}
        assert {"Delete attempt", "Certificate no.", "Points", "Renew", "Undo", "Close"} <= set(
            commands
        )
        assert {"Help", "Roster", "Fees", "Diagnostics", "Export", "Import"} <= set(commands)
        assert commands["Roster"].help == "key: 1"
        await commands["Roster"].callback()
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        queue = await open_queue(pilot)
        commands = {c.title: c for c in app.get_system_commands(queue)}
        assert {"Record", "Filter", "Help", "Close", "Progress"} <= set(commands)
        await commands["Close"].callback()
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)


async def test_the_queue_filter_ignores_accents_as_the_main_filter_does(app: CptApp) -> None:
    """`nunez` found José Núñez on every screen but not in the queue (case only was folded)."""
    async with app.run_test(size=(80, 24)) as pilot:
        queue = await open_queue(pilot)
        await pilot.press("slash")
        await type_text(pilot, "nunez")
        await settle(pilot)
        keys = queue.query_one("#queue", VirtualTable).keys
        assert keys and all(key.startswith("S1003\t") for key in keys)
