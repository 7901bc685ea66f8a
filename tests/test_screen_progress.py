"""The progress grid, driven by the SPEC's keys; the store is checked after each flow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cpt_tui.app import CptApp
from cpt_tui.screens.detail import StudentDetailScreen
from cpt_tui.screens.dialogs import ConfirmScreen
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.screens.record import RecordScreen
from cpt_tui.store import Store
from cpt_tui.widgets.virtual_table import VirtualTable

from .conftest import fixed_clock, said, screen_text, settle, type_text

CARTER_ROW = 6
"""Ben Carter (E2008) has no attempts yet: the seventh visible row."""


def stored(app: CptApp) -> Store:
    return Store(app.store.path, clock=fixed_clock)


def attempts(
    app: CptApp, sid: str = "E2008", module: str = "safety"
) -> list[tuple[int | None, Decimal | None]]:
    mine = sorted(stored(app).roster.attempts_of(sid), key=lambda a: a.taken_on)
    return [(a.correct, a.percent) for a in mine if a.module == module]


async def open_grid(pilot, row: int = CARTER_ROW) -> ProgressScreen:  # type: ignore[no-untyped-def]
    await pilot.press("2")
    await settle(pilot)
    await pilot.press(*["j"] * row)
    screen = pilot.app.screen
    assert isinstance(screen, ProgressScreen)
    return screen


async def test_the_cursor_starts_on_the_first_students_safety_cell(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot, row=0)
        grid = screen.query_one("#grid", VirtualTable)
        assert grid.cursor_coordinate == (0, 2)  # after the ID and name columns
        assert screen.current_student().student_id == "E2001"  # type: ignore[union-attr]
        assert screen.current_module().key == "safety"  # type: ignore[union-attr]
        text = screen_text(app)
        assert "Green opt." in text and "✓ 86.7 $" in text
        assert "8 hold the full CPT; 4 are one core module away" in text


async def test_moving_with_arrows_and_hjkl(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot, row=0)
        grid = screen.query_one("#grid", VirtualTable)
        await pilot.press("l", "l", "right", "j", "down")
        assert grid.cursor_coordinate == (2, 5)
        assert screen.current_module().key == "maintenance"  # type: ignore[union-attr]
        await pilot.press("h", "left", "left", "left", "k")
        assert grid.cursor_coordinate == (1, 2)  # never onto the ID or names column
        await pilot.press("up", "up")
        assert grid.cursor_coordinate == (0, 2)


async def test_record_a_pass_by_correct_answers(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(pilot)
        await pilot.press("r")
        assert isinstance(app.screen, RecordScreen)
        assert app.focused is not None and app.focused.id == "score"
        assert "83 questions, pass mark 76%" in screen_text(app)
        await type_text(pilot, "64")
        assert "64/83 = 77.1%: PASSES" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        assert attempts(app) == [(64, None)]
        assert (
            said(app) == "Recorded Ben Carter, Safety: 64/83 = 77.1%, passed; registered with MSSC"
        )
        (attempt,) = stored(app).roster.attempts_of("E2008")
        assert attempt.taken_on == date(2026, 11, 21) and attempt.fee == Decimal("22.00")
        assert stored(app).roster.standings["E2008"].modules["safety"].passed
        assert "✓ 77.1" in screen_text(app)


async def test_record_a_fail_and_a_percent(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(pilot)
        await pilot.press("r")
        await type_text(pilot, "63")
        assert "75.9%: does not pass" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r")
        await type_text(pilot, "75.96%")
        await pilot.press("tab")
        await type_text(pilot, "2026-11-20")
        await pilot.press("enter")
        await settle(pilot)
        assert attempts(app) == [(None, Decimal("75.96")), (63, None)]  # in date order
        assert not stored(app).roster.standings["E2008"].modules["safety"].passed
        assert "↻12-06 ×2" in screen_text(app)  # failed on 11-21: may retake from 12-06


async def test_refused_scores_and_dates_save_nothing(app: CptApp) -> None:
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(pilot)
        for score, reason in [
            ("84", "only 83 questions"),
            ("-3", "negative"),
            ("101%", "over 100%"),
            ("abc", "not a score"),
        ]:
            await pilot.press("r")
            await type_text(pilot, score)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, RecordScreen), score
            assert reason in screen_text(app), score
            await pilot.press("escape")
        for day, reason in [("2026-11-22", "in the future"), ("yesterday", "not a date")]:
            await pilot.press("r")
            await type_text(pilot, "70")
            await pilot.press("tab")
            await type_text(pilot, day)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, RecordScreen)
            assert reason in screen_text(app)
            await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
    assert app.store.path.read_bytes() == before


async def test_p_toggles_the_supplement_at_the_fee_in_force(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(pilot)
        await pilot.press("l", "p")
        await settle(pilot)
        assert stored(app).roster.by_id["E2008"].supplements == {"quality": Decimal("70.00")}
        assert said(app) == "Quality supplement bought for Ben Carter"
        assert "· $" in screen_text(app)
        await pilot.press("p")
        await settle(pilot)
        assert stored(app).roster.by_id["E2008"].supplements == {}
        assert said(app) == "Quality supplement removed for Ben Carter"


async def test_enter_opens_the_detail_of_a_certified_student(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(pilot, row=1)  # Dana Kowalski: CPT expiring within 90 days
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        text = screen_text(app)
        assert "CPT 4.0 since 2021-12-16, expires 2026-12-16" in text
        assert "RENEW: expires within 90 days" in text
        assert "Safety      2021-09-16" in text and "Quality     2021-10-14" in text
        assert "71/83" in text
        await pilot.press("escape")
        assert isinstance(app.screen, ProgressScreen)


async def test_an_attempt_deleted_in_the_detail_and_undone(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(pilot, row=0)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(stored(app).roster.attempts_of("E2001")) == 6
        await pilot.press("d", "y")
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        assert len(stored(app).roster.attempts_of("E2001")) == 5
        await pilot.press("u")
        await settle(pilot)
        assert len(stored(app).roster.attempts_of("E2001")) == 6
