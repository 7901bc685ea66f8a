"""Test day, practice tests, early retakes and the retake policy, driven by the SPEC's keys.

The demo roster (dated 2026-11-20; the tests' today is 2026-11-21) has every case: Johnson
eligible and ready in Quality, O'Brien ready but waiting until 11-28 after her second Safety
failure, Osei waiting 60 days (until 12-28) after his third, Tanaka ready but not registered,
Washington and Williams practised but not ready, and many never practised.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from cpt_tui.app import CptApp
from cpt_tui.screens.fees import FeesScreen
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.screens.record import EarlyRetakeScreen, RecordScreen
from cpt_tui.screens.retake_policy import RetakePolicyScreen
from cpt_tui.screens.testday import TestDayScreen
from cpt_tui.store import Store
from cpt_tui.widgets.safe_input import SafeInput
from cpt_tui.widgets.virtual_table import VirtualTable

from .conftest import fixed_clock, screen_text, settle, type_text


def stored(app: CptApp) -> Store:
    return Store(app.store.path, clock=fixed_clock)


async def open_test_day(pilot) -> TestDayScreen:  # type: ignore[no-untyped-def]
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TestDayScreen)
    return screen


async def filter_to(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def test_t_shows_today_and_the_totals_of_eligible_and_ready(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_test_day(pilot)
        assert screen.query_one("#day", SafeInput).value == "2026-11-21"
        text = screen_text(app)
        assert "Eligible and ready on 2026-11-21: 3 sittings (3 students), fees $94.00" in text
        assert "Listed 38: 36 eligible, 4 ready" in text
        assert "Brown, Ethan" in text  # never practised: listed, not ready
        table = screen.query_one("#testday", VirtualTable)
        assert table.keys[0] == "S1007\x1fsafety" and len(table.keys) == 38
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)


async def test_another_day_moves_the_waits(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_test_day(pilot)
        await pilot.press("d")
        assert app.focused is screen.query_one("#day", SafeInput)
        await type_text(pilot, "2026-11-28")  # the day O'Brien may retake Safety
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is screen.query_one("#testday", VirtualTable)
        assert "on 2026-11-28: 4 sittings (4 students), fees $116.00" in screen_text(app)
        await pilot.press("d")
        await type_text(pilot, "2026-11-27")
        await pilot.press("enter")
        await settle(pilot)
        assert "on 2026-11-27: 3 sittings (3 students), fees $94.00" in screen_text(app)


async def test_a_bad_date_is_refused_and_the_list_kept(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_test_day(pilot)
        await pilot.press("d")
        await type_text(pilot, "2026-13-01")
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "2026-13-01 is not a date: YYYY-MM-DD" in text
        assert "Eligible and ready on 2026-11-21: 3 sittings" in text
        assert app.focused is screen.query_one("#day", SafeInput)  # still there to fix it


async def test_the_filter_and_sort_work_as_elsewhere(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_test_day(pilot)
        table = screen.query_one("#testday", VirtualTable)
        await filter_to(pilot, "Williams")
        assert table.keys == ["S1005\x1fproduction", "S1005\x1fmaintenance"]
        assert "1 sitting (1 student), fees $22.00" in screen_text(app)
        await pilot.press("slash", "escape")  # escape in the filter line clears it
        await settle(pilot)
        assert len(table.keys) == 38
        await pilot.press(*["s"] * 5)  # Student, Module, Tries, Eligible, Practice, Ready
        await settle(pilot)
        assert "Ready ▲" in screen_text(app)
        ready = {k.split("\x1f")[0] for k in table.keys[:4]}
        assert ready == {"S1002", "S1004", "S1011", "S1005"}


async def test_v_shows_dropped_students_too(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_test_day(pilot)
        await pilot.press("v")
        await settle(pilot)
        keys = screen.query_one("#testday", VirtualTable).keys
        assert "S1009\x1fsafety" in keys and len(keys) == 46


async def test_x_writes_the_test_day_csv(app: CptApp, tmp_path: Path) -> None:
    target = tmp_path / "day.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_test_day(pilot)
        await pilot.press("x")
        await settle(pilot)
        field = app.screen.query_one("#path", SafeInput)
        assert field.value == "cpt-testday-2026-11-21.csv"
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TestDayScreen)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == (
        "student_id,last_name,first_name,section,module,attempts,last_attempt_on,"
        "eligible_from,eligible,practice_pct,ready,fee"
    )
    assert len(lines) == 39
    assert "S1004,O'Brien,Zoë,P2,safety,2,2026-11-13,2026-11-28,no,83.0,yes,22.00" in lines
    assert "S1011,Tanaka,Hiroshi,P2,safety,0,,,yes,85.0,yes,50.00" in lines


async def test_the_grid_shows_the_wait_and_readiness(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await filter_to(pilot, "Zo")
        text = screen_text(app)
        assert "↻11-28 ×2$●" in text  # one status (the wait), tries, supplement, ready
        assert "↻ retake from" in text and "● ready ○ practised" in text


async def test_r_records_a_practice_test_never_charged(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await filter_to(pilot, "Carter")
        await pilot.press("r")
        await type_text(pilot, "85%")
        await pilot.press("tab", "tab", "space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        safety = stored(app).roster.standings["E2008"].modules["safety"]
        assert not safety.attempts and not safety.passed
        assert [(a.percent, a.fee) for a in safety.practice] == [(Decimal("85"), Decimal("0"))]
        assert stored(app).roster.fee_lines["E2008"].total == 0
        assert "· ●" in screen_text(app)


async def test_an_early_retake_asks_to_confirm(app: CptApp) -> None:
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await filter_to(pilot, "Zo")
        await pilot.press("r")
        assert "May retake it from 2026-11-28 (2 failed)" in screen_text(app)
        await type_text(pilot, "70")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EarlyRetakeScreen)
        assert "may retake Safety from 2026-11-28" in screen_text(app)
        await pilot.press("enter")  # not an answer: only y records it
        await settle(pilot)
        assert isinstance(app.screen, EarlyRetakeScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert app.store.path.read_bytes() == before
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
    assert len(stored(app).roster.standings["S1004"].modules["safety"].attempts) == 3


async def test_typed_ahead_keys_still_meet_the_confirmation(app: CptApp) -> None:
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await filter_to(pilot, "Zo")
        await pilot.press("r", "7", "0", "enter", "enter")  # in one burst
        await settle(pilot)
        assert isinstance(app.screen, EarlyRetakeScreen)
    assert app.store.path.read_bytes() == before


async def test_w_edits_the_retake_policy(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert "Retakes after 15 days, 60 from failure 3; ready at pass + 5  ·  w edits" in (
            screen_text(app)
        )
        await pilot.press("w")
        assert isinstance(app.screen, RetakePolicyScreen)
        app.screen.query_one("#readiness_margin", SafeInput).value = "7.5"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeesScreen)
        assert "ready at pass + 7.5" in screen_text(app)
    roster = stored(app).roster
    assert roster.retake_policy.readiness_margin == Decimal("7.5")
    assert stored(app).audit(1)[0].action == "retake policy"


async def test_a_bad_retake_policy_is_refused_with_its_reason(app: CptApp) -> None:
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("w")
        app.screen.query_one("#wait_days", SafeInput).value = "-3"
        app.screen.query_one("#readiness_margin", SafeInput).value = "5.55"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RetakePolicyScreen)
        text = screen_text(app)
        assert "'-3' is not a whole number" in text and "one decimal at most" in text
        await pilot.press("escape")
    assert app.store.path.read_bytes() == before


async def test_the_import_dry_run_names_an_early_retake(app: CptApp, tmp_path: Path) -> None:
    csv = tmp_path / "retake.csv"
    csv.write_text("student_id,module,date,correct\nS1004,safety,2026-11-20,70\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#path", SafeInput).value = str(csv)
        await pilot.press("tab", "space", "enter")
        await settle(pilot)
        text = str(app.screen.query_one("#result").render())
        assert "1 early retake (before eligibility)" in text
        assert "line 2: early retake: S1004 safety on 2026-11-20: eligible from 2026-11-28" in text
        await pilot.press("enter")
        await settle(pilot)
    assert len(stored(app).roster.standings["S1004"].modules["safety"].attempts) == 3


async def test_a_practice_test_never_asks_about_the_wait(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await filter_to(pilot, "Zo")
        await pilot.press("r")
        await type_text(pilot, "90%")
        await pilot.press("tab", "tab", "space", "enter")  # ticked: a practice test
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
    safety = stored(app).roster.standings["S1004"].modules["safety"]
    assert len(safety.attempts) == 2 and safety.practice[-1].percent == Decimal("90")
