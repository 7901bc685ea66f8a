"""What the record, points and delete dialogs say before anything is saved is what the
rules decide for what was typed: a practice test judged by readiness (never pass or fail),
the retake wait for the date typed, a category's first letters that fit two, points that
no longer count, and what deleting an attempt takes away."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from textual.widgets import Input

from cpt_tui.app import CptApp
from cpt_tui.core import catalog
from cpt_tui.core.catalog import DEFAULT_RETAKE_POLICY
from cpt_tui.core.retakes import reaches_ready
from cpt_tui.core.standing import module_standing
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.screens.record import EarlyRetakeScreen, RecordScreen
from cpt_tui.store import Store

from .conftest import fixed_clock, settle, type_text


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
