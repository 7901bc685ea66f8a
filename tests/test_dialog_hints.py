"""What the record, points and delete dialogs say before anything is saved is what the
rules decide for what was typed: a practice test judged by readiness (never pass or fail),
the retake wait for the date typed, a category's first letters that fit two, points that
no longer count, and what deleting an attempt takes away."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from textual.widgets import Input

from cpt_tui.app import CptApp, create_app
from cpt_tui.core import catalog
from cpt_tui.core.catalog import DEFAULT_RETAKE_POLICY
from cpt_tui.core.recert import current_points, points_not_counted, read_category
from cpt_tui.core.retakes import reaches_ready
from cpt_tui.core.standing import module_standing
from cpt_tui.screens.credentials import PointsScreen
from cpt_tui.screens.detail import StudentDetailScreen
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.screens.record import EarlyRetakeScreen, RecordScreen
from cpt_tui.store import Store

from .conftest import fixed_clock, said, screen_text, settle, type_text


def stored(app: CptApp) -> Store:
    return Store(app.store.path, clock=fixed_clock)


def shown(app: CptApp, selector: str) -> str:
    """What a widget of the open dialog shows ('' when hidden)."""
    widget = app.screen.query_one(selector)
    return str(widget.render()) if widget.display else ""


async def open_record(pilot, who: str, right: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Progress, the filter on `who`, `right` modules over from Safety, `r`."""
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("slash")
    await type_text(pilot, who)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press(*["l"] * right, "r")
    assert isinstance(pilot.app.screen, RecordScreen)


async def test_a_practice_test_is_judged_by_readiness_not_by_the_pass_mark(app: CptApp) -> None:
    """Liam Johnson, Quality (pass mark 75%, readiness margin 5): 65/84 = 77.4% passes as an
    assessment, but as a practice test it neither passes nor fails: not ready (80% needed);
    70/84 = 83.3% is ready. Saved, it is a practice test, never charged."""
    quality = app.store.roster.standings["S1002"].modules["quality"]
    practice_before, attempts_before = len(quality.practice), len(quality.attempts)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_record(pilot, "Liam", right=1)
        await type_text(pilot, "65")
        assert shown(app, "#verdict") == "65/84 = 77.4%: PASSES (needs 75%)"
        await pilot.press("tab", "tab", "space")  # the date, then the practice tick
        verdict = shown(app, "#verdict")
        assert verdict == "65/84 = 77.4%: practice, not ready (needs 80.0%: pass mark 75% + 5)"
        assert "PASSES" not in verdict
        await pilot.press("shift+tab", "shift+tab")
        await pilot.press("ctrl+u")
        await type_text(pilot, "70")
        assert shown(app, "#verdict") == (
            "70/84 = 83.3%: practice, ready (needs 80.0%: pass mark 75% + 5)"
        )
        await pilot.press("tab", "tab", "space")  # unticked: an assessment again
        assert shown(app, "#verdict") == "70/84 = 83.3%: PASSES (needs 75%)"
        await pilot.press("space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
    quality = stored(app).roster.standings["S1002"].modules["quality"]
    assert len(quality.practice) == practice_before + 1
    assert quality.practice[-1].correct == 70 and quality.practice[-1].fee == 0
    assert not quality.passed and len(quality.attempts) == attempts_before


async def test_a_practice_test_after_the_pass_says_the_module_is_passed(app: CptApp) -> None:
    """Marcus Reed passed Safety: a practice test there counts toward nothing."""
    async with app.run_test(size=(80, 24)) as pilot:
        await open_record(pilot, "Marcus")
        passed_on = app.roster.standings["E2001"].modules["safety"].passed_on
        await type_text(pilot, "50")
        await pilot.press("tab", "tab", "space")
        assert shown(app, "#verdict") == (
            f"50/83 = 60.2%: practice only; Safety was passed on {passed_on}"
        )


async def test_the_retake_line_is_worked_out_for_the_date_typed(app: CptApp) -> None:
    """Liam Johnson failed Quality on 2026-10-09: he may retake it from 2026-10-24, so on
    2026-10-15 he may not (the line says so before enter, and enter asks to confirm); today
    the wait has ended and his practice score of 2026-11-16 shows."""
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_record(pilot, "Liam", right=1)
        today_line = shown(app, "#retake-facts")
        assert today_line.startswith("May retake it now: the wait ended 2026-10-24.")
        assert "Practice 82.0% on 2026-11-16" in today_line
        await type_text(pilot, "70")
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "2026-10-15")
        assert shown(app, "#retake-facts") == (
            "Not on 2026-10-15: may retake it from 2026-10-24 (1 failed). No practice test."
        )
        await pilot.press("ctrl+u")
        await type_text(pilot, "2026-10-30")
        assert shown(app, "#retake-facts") == (
            "May retake it on 2026-10-30: the wait ended 2026-10-24. No practice test."
        )
        await pilot.press("ctrl+u")
        await type_text(pilot, "2026-10-15")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EarlyRetakeScreen)  # the confirmation agrees
        await pilot.press("n", "escape")
        await settle(pilot)
    assert app.store.path.read_bytes() == before


async def test_a_date_not_yet_whole_leaves_the_line_for_the_last_date_it_names(
    app: CptApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_record(pilot, "Liam", right=1)
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "2026-10-15")
        await pilot.press("backspace")
        assert app.screen.query_one("#date", Input).value == "2026-10-1"
        assert shown(app, "#retake-facts").startswith("Not on 2026-10-15:")


def test_a_practice_score_reaches_ready_exactly_at_the_pass_mark_plus_the_margin() -> None:
    """Quality: pass mark 75%, margin 5: 80% exactly is ready; 67/84 (79.76%, shown 79.8)
    is not; a margin of 2.5 moves the mark to 77.5%."""
    quality = module_standing(catalog.module("quality"), (), False)
    policy = DEFAULT_RETAKE_POLICY
    assert reaches_ready(quality, Fraction(80), policy)
    assert not reaches_ready(quality, Fraction(67, 84) * 100, policy)
    assert reaches_ready(quality, Fraction(68, 84) * 100, policy)
    narrower = policy.model_copy(update={"readiness_margin": Decimal("2.5")})
    assert reaches_ready(quality, Fraction(155, 2), narrower)
    assert not reaches_ready(quality, Fraction(77), narrower)


async def open_detail(pilot, row: int) -> StudentDetailScreen:  # type: ignore[no-untyped-def]
    """The detail of the student on this row of the Progress grid (E2001 is row 0)."""
    await pilot.press("2")
    await settle(pilot)
    await pilot.press(*["j"] * row, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StudentDetailScreen)
    return pilot.app.screen


def test_a_category_by_its_first_letters_or_why_not() -> None:
    assert read_category("ed") == "education" and read_category(" C ") == "certification"
    assert read_category("Employment in a manufacturing role") == "employment"
    for typed, reason in (
        ("e", "e could be education or employment: type more letters"),
        ("", "type education, certification, employment or other"),
        ("x", "no category is 'x': type education, certification, employment or other"),
    ):
        with pytest.raises(ValueError) as refused:
            read_category(typed)
        assert str(refused.value) == reason


def test_points_count_within_the_current_validity_only(demo_store: Store) -> None:
    """Dana Kowalski: CPT 2021-12-16, expiring 2026-12-16, renewed 2026-11-21."""
    day = date.fromisoformat
    st = demo_store.roster.standings["E2002"]
    assert points_not_counted(st, day("2021-12-16")) is None  # the CPT's own day counts
    assert points_not_counted(st, day("2021-12-15")) == (
        "dated 2021-12-15, before the CPT of 2021-12-16: points then never count"
    )
    demo_store.recertify("E2002", day("2026-11-21"))
    st = demo_store.roster.standings["E2002"]
    assert points_not_counted(st, day("2026-11-21")) is None
    assert points_not_counted(st, day("2026-11-20")) == (
        "dated 2026-11-20, before the renewal of 2026-11-21: they do not count toward the "
        "next renewal (points from 2026-11-21 on do)"
    )
    assert points_not_counted(st, day("2031-12-17")) == (
        "dated 2031-12-17, after the CPT expired on 2031-12-16: they never count"
    )
    assert points_not_counted(demo_store.roster.standings["S1002"], day("2026-11-21")) == (
        "S1002 holds no CPT: points count only toward a CPT's renewal"
    )


async def test_e_is_refused_as_two_categories_and_nothing_is_saved(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, row=0)  # Marcus Reed
        before = app.store.path.read_bytes()
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PointsScreen)
        await type_text(pilot, "25")
        await pilot.press("tab")
        await type_text(pilot, "e")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PointsScreen)
        assert shown(app, "#category-error") == (
            "e could be education or employment: type more letters"
        )
        await type_text(pilot, "m")  # em: employment
        await pilot.press("enter")
        await settle(pilot)
        assert said(app) == "Added 25 points (employment)"
    assert app.store.path.read_bytes() != before
    assert stored(app).roster.by_id["E2001"].points[-1].category == "employment"


async def test_points_before_the_renewal_say_they_do_not_count(app: CptApp) -> None:
    """Dana Kowalski renews today; points then dated before today are kept (the history of
    the validity just ended) but the dialog says, as the date is typed, and the notice says
    again, that they do not count toward the next renewal."""
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(pilot, row=1)
        await pilot.press("R", "y")
        await settle(pilot)
        assert said(app) == "CPT renewed; u undoes it"
        await pilot.press("p")
        await settle(pilot)
        assert shown(app, "#earned_on-note") == ""  # today's points count
        await type_text(pilot, "30")
        await pilot.press("tab")
        await type_text(pilot, "edu")
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "2026-11-01")
        why = (
            "dated 2026-11-01, before the renewal of 2026-11-21: they do not count toward the "
            "next renewal (points from 2026-11-21 on do)"
        )
        assert shown(app, "#earned_on-note") == f"Not counted: {why}."
        await pilot.press("enter")
        await settle(pilot)
        assert said(app) == f"Added 30 points (education), not counted: {why}"
        assert app.screen is detail
        assert "0 of 100 points since 2026-11-21" in screen_text(app)
    dana = stored(app).roster
    assert dana.by_id["E2002"].points[-1].earned_on == date(2026, 11, 1)
    assert current_points(dana.standings["E2002"]) == 0


async def test_points_before_the_cpt_are_refused_beside_the_date(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, row=0)  # Marcus Reed: CPT 2026-05-07
        before = app.store.path.read_bytes()
        await pilot.press("p")
        await settle(pilot)
        await type_text(pilot, "10")
        await pilot.press("tab")
        await type_text(pilot, "other")
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "2026-04-01")
        assert shown(app, "#earned_on-note") == (
            "Not counted: dated 2026-04-01, before the CPT of 2026-05-07: points then never count."
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PointsScreen)
        assert shown(app, "#earned_on-error") == (
            "dated 2026-04-01, before the CPT of 2026-05-07: points then never count"
        )
    assert app.store.path.read_bytes() == before


async def test_a_cpt_expired_says_at_once_that_todays_points_never_count(
    demo_path: Path,
) -> None:
    """On 2032-01-02 Marcus Reed's CPT (expired 2031-05-07) takes no points: the dialog says
    so as it opens, before anything is typed."""
    later = Store(demo_path, clock=lambda: datetime(2032, 1, 2, 10, 0), user="tester")
    app = create_app(later)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, row=0)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PointsScreen)
        assert shown(app, "#earned_on-note") == (
            "Not counted: dated 2032-01-02, after the CPT expired on 2031-05-07: they never count."
        )
