"""The fee calculator: totals, the filter, the planner, and fee-schedule changes."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from rich.console import Console
from textual.widgets import Input

from cpt_tui.app import CptApp, create_app
from cpt_tui.core.csvio import roster_rows, write_csv
from cpt_tui.core.fees import FeeLine, total
from cpt_tui.screens.fee_schedule import FeeScheduleScreen
from cpt_tui.screens.fees import FeesScreen, totals_table
from cpt_tui.store import Store
from cpt_tui.widgets.virtual_table import VirtualTable

from .conftest import fixed_clock, screen_text, settle, type_text


def export_sums(store: Store, section: str | None = None) -> dict[str, Decimal]:
    """The export's fee columns summed over the students the screen shows."""
    rows = list(csv.DictReader(io.StringIO(write_csv(roster_rows(store.roster), bom=False))))
    shown = [
        r for r in rows if r["status"] == "active" and (section is None or r["section"] == section)
    ]
    return {
        k: sum((Decimal(r[k]) for r in shown), Decimal(0))
        for k in ("fee_registration", "fee_assessments", "fee_supplements", "fee_total")
    }


async def open_fees(pilot) -> FeesScreen:  # type: ignore[no-untyped-def]
    await pilot.press("3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FeesScreen)
    return pilot.app.screen


def totals_line(app: CptApp) -> str:
    return next(line for line in screen_text(app).splitlines() if "shown" in line)


async def test_totals_match_the_exports_fee_columns(app: CptApp) -> None:
    sums = export_sums(app.store)
    assert sums["fee_total"] == Decimal("5944.00")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_fees(pilot)
        line = totals_line(app)
        for amount in ("$532.00", "$1,562.00", "$3,850.00", "$5,944.00"):
            assert amount in line
        assert "22 shown" in line
        assert "Fees now: registration $28.00" in screen_text(app)


async def test_filtering_to_a_section_and_the_totals_follow(app: CptApp) -> None:
    sums = export_sums(app.store, "P2")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_fees(pilot)
        await pilot.press("slash")
        await type_text(pilot, "p2")
        await pilot.press("enter")
        await settle(pilot)
        line = totals_line(app)
        assert "11 shown" in line
        assert sums["fee_total"] == Decimal("2732.00") and "$2,732.00" in line
        assert "Evening" not in screen_text(app)


async def test_the_planner_starts_from_the_class_and_computes_as_you_type(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_fees(pilot)
        await pilot.press("n")
        assert app.focused is screen.query_one("#size", Input)
        assert screen.query_one("#size", Input).value == "22"
        assert screen.query_one("#retakes", Input).value == "18.3"
        await type_text(pilot, "20")
        await pilot.press("tab")
        await type_text(pilot, "0")
        await settle(pilot)
        assert "$7,920.00" in screen_text(app)  # 20 students, four core, supplements, no retakes
        await pilot.press("tab", "space")  # and Green
        await settle(pilot)
        assert "$9,760.00" in screen_text(app)
        await pilot.press("shift+tab", "ctrl+u")
        await type_text(pilot, "25")
        await settle(pilot)
        assert "(100 first + 25 retakes)" in screen_text(app)


async def test_the_planner_refuses_bad_figures_and_computes_nothing(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_fees(pilot)
        await pilot.press("n")
        for size, rate, reason in [
            ("-4", "10", "between 0 and 100,000"),
            ("ten", "10", "whole number"),
            ("20", "120", "between 0% and 100%"),
            ("20", "lots", "number of percent"),
        ]:
            await type_text(pilot, size)
            await pilot.press("tab")
            await type_text(pilot, rate)
            await settle(pilot)
            text = screen_text(app)
            assert reason in text, (size, rate)
            assert (
                "Fix the figures above" in text and "Total" not in text.split("Fix the figures")[1]
            )
            await pilot.press("shift+tab")
        await pilot.press("escape")
        assert app.focused is app.screen.query_one("#fees")


async def test_a_fee_change_leaves_earlier_fees_alone(app: CptApp) -> None:
    before = app.store.roster.fee_lines
    async with app.run_test(size=(80, 24)) as pilot:
        await open_fees(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, FeeScheduleScreen)
        await type_text(pilot, "30")
        await pilot.press("tab")
        await type_text(pilot, "twenty")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeeScheduleScreen)
        assert "not an amount" in screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "25.00")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeesScreen)
        store = Store(app.store.path, clock=fixed_clock)
        fees = store.roster.fees
        assert (fees.registration, fees.assessment, fees.supplement) == (
            Decimal("30.00"),
            Decimal("25.00"),
            Decimal("70.00"),
        )
        assert store.roster.fee_lines == before
        assert store.audit(1)[0].action == "fees"
        assert "Fees now: registration $30.00 once, assessment $25.00" in screen_text(app)


def test_many_sections_leave_room_for_the_students() -> None:
    """Past four sections the rest are summed in one line, which names them as far as it
    fits (it read "36 more sections", with no way to tell which)."""
    line = FeeLine(Decimal("28.00"), Decimal("44.00"), Decimal("0.00"), 2)
    sections = {f"P{n}": line for n in range(1, 41)}
    console = Console(width=80, record=True)
    console.print(totals_table(sections, total(sections.values()), 40))
    rows = console.export_text().splitlines()
    assert [r.split()[0] for r in rows[1:]] == ["P1", "P2", "P3", "P4", "36", "40"]
    assert rows[5].split()[:4] == ["36", "more:", "P5,", "P6,"]
    assert "…" in rows[5]
    assert rows[5].split()[-4:] == ["$1,008.00", "$1,584.00", "$0.00", "$2,592.00"]
    assert rows[6].split()[-1] == "$2,880.00"  # the 40 sections' total, all of it


def test_with_renewals_every_title_of_the_totals_fits_whole() -> None:
    """A renewal adds a column: "Registrati…" and "Supplemen…" were cut at 80 columns."""
    line = FeeLine(Decimal("28.00"), Decimal("88.00"), Decimal("280.00"), 4, Decimal("75.00"))
    sections = {"Evening": line, "P2": line}
    console = Console(width=78, record=True)
    console.print(totals_table(sections, total(sections.values()), 2))
    header = console.export_text().splitlines()[0].split()
    assert header == ["Section", "Reg.", "Assessments", "Supplements", "Renewals", "Total"]


async def test_the_students_table_has_the_renewals_column_the_totals_have(
    demo_store: Store,
) -> None:
    """Kowalski (Evening) renewed: filtered to P2, whose students renewed nothing, the totals
    still have a Renewals column (the class's charges include hers), and so has the table of
    students above them (it had not: the two tables' columns did not line up)."""
    demo_store.recertify("E2002", date(2026, 11, 21))
    app = create_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "slash")
        await type_text(pilot, "P2")
        await pilot.press("enter")
        await settle(pilot)
        titles = [column.title for column in app.screen.query_one(VirtualTable).columns]
        assert "Renewals" in titles
        assert "Renewals" in screen_text(app).split("Section", 2)[-1]  # the totals' titles
