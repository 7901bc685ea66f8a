"""The screens as a new instructor meets them in the first week (issue 14): Pilot tests
pressing the SPEC's keys, the store checked after each."""

from __future__ import annotations

from decimal import Decimal

from cpt_tui.app import CptApp
from cpt_tui.screens.fees import FeesScreen
from cpt_tui.screens.record import RecordScreen
from cpt_tui.store import Store

from .conftest import fixed_clock, screen_text, settle, type_text

CARTER_ROW = 6
"""Ben Carter (E2008), not registered, no attempts: the seventh row of Progress."""


def stored(app: CptApp) -> Store:
    return Store(app.store.path, clock=fixed_clock)


def line_with(app: CptApp, text: str) -> str:
    return next(line for line in screen_text(app).splitlines() if text in line)


# ---------------------------------------------------------------- 2. money reconciles


async def test_fees_show_the_class_charges_with_dropped_students(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, FeesScreen)
        assert "$5,944.00" in line_with(app, "22 shown")
        assert "$6,276.00" in line_with(app, "All 24, 2 dropped")
        await pilot.press("v")  # dropped shown: the students shown are the class
        await settle(pilot)
        assert "$6,276.00" in line_with(app, "All 24, 2 dropped")
        assert "shown" not in screen_text(app).split("Section")[-1]


async def test_recording_for_an_unregistered_student_registers_and_says_so(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press(*["j"] * CARTER_ROW, "r")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert "Not registered yet: an assessment registers them ($28.00)" in screen_text(app)
        await type_text(pilot, "64")
        await pilot.press("enter")
        await settle(pilot)
        ben = stored(app).roster.by_id["E2008"]
        assert ben.registration_fee == Decimal("28.00")
        assert stored(app).roster.fee_lines["E2008"].total == Decimal("50.00")
