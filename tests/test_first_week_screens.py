"""The screens as a new instructor meets them in the first week (issue 14): Pilot tests
pressing the SPEC's keys, the store checked after each."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from textual.widgets import Input

from cpt_tui.app import CptApp, create_app
from cpt_tui.cli import dated_demo, dated_samples
from cpt_tui.screens.csv_dialogs import ImportScreen
from cpt_tui.screens.fees import FeesScreen
from cpt_tui.screens.record import RecordScreen
from cpt_tui.store import Store
from cpt_tui.widgets.tick import Tick

from .conftest import NOW, fixed_clock, screen_text, settle, type_text

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


# ---------------------------------------------------------------- 7. student detail


async def test_detail_moves_with_j_and_k_so_d_deletes_the_attempt_under_the_cursor(
    app: CptApp,
) -> None:
    from textual.widgets import DataTable

    from cpt_tui.screens.detail import StudentDetailScreen
    from cpt_tui.screens.dialogs import ConfirmScreen

    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")  # Marcus Reed: six attempts
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        table = app.screen.query_one("#attempts", DataTable)
        await pilot.press("j", "j", "k", "j")
        assert table.cursor_row == 2
        third = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        attempt = app.roster.attempts_by_id[str(third)]
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"of {attempt.taken_on}" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert "6 attempts" in screen_text(app)  # plural, and `1 attempt` below
    assert app.store.path.read_bytes() == before


async def test_detail_answers_help_and_the_screen_keys(app: CptApp) -> None:
    from cpt_tui.screens.detail import StudentDetailScreen
    from cpt_tui.screens.dialogs import HelpScreen
    from cpt_tui.screens.roster import RosterScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Delete attempt" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Edit (as e)" in screen_text(app)  # roster help names enter


async def test_one_attempt_is_one_attempt_in_the_detail(app: CptApp) -> None:
    app.store.record_attempt("E2008", "safety", NOW.date(), correct=70)
    app.roster = app.store.roster
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press(*["j"] * CARTER_ROW, "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "+ 1 attempt $22.00" in text and "1 attempts" not in text


# ---------------------------------------------------------------- 8. finding students


async def test_the_filter_ignores_case_and_accents_and_reads_names_as_shown(app: CptApp) -> None:
    from cpt_tui.screens.roster import RosterScreen

    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, RosterScreen)
        for typed, expected in (
            ("nunez", ["S1003"]),
            ("jose", ["S1003"]),
            ("johnson, liam", ["S1002"]),
            ("liam johnson", ["S1002"]),
        ):
            await pilot.press("slash")
            await type_text(pilot, typed)
            await pilot.press("enter")
            await settle(pilot)
            assert list(screen.table.keys) == expected, typed
            await pilot.press("slash", "escape")
            await settle(pilot)


# ---------------------------------------------------------------- 10. small things


async def test_an_empty_store_says_a_adds_a_student_and_i_imports_until_one_is_added(
    empty_store: Store,
) -> None:
    """A blank table gave no hint: the empty Roster says `a` adds and `i` imports (words, no
    colour needed); Progress, Fees, Diagnostics and Test day point to Roster; the line goes
    once a student is in."""
    app = create_app(empty_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        roster_hint = "No students yet: a adds a student; i imports a CSV (students or attempts)."
        assert roster_hint in screen_text(app)
        for keys in ("2", "3", "4", "2t"):
            await pilot.press(*keys)
            await settle(pilot)
            assert "No students yet: on Roster (1), a adds a student; i imports a CSV." in (
                screen_text(app)
            ), keys
        await pilot.press("escape")
        await pilot.press("1", "a")
        await type_text(pilot, "T300")
        await pilot.press("tab")
        await type_text(pilot, "Ada")
        await pilot.press("tab")
        await type_text(pilot, "Lovelace")
        await pilot.press("enter")
        await settle(pilot)
        assert "T300" in stored(app).roster.by_id
        assert "Lovelace, Ada" in screen_text(app)
        assert "No students yet" not in screen_text(app)
        await pilot.press("3")
        await settle(pilot)
        assert "No students yet" not in screen_text(app)


async def test_a_filter_matching_no_one_shows_no_empty_store_hint(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "zzzz")
        await pilot.press("enter")
        await settle(pilot)
        assert "No students yet" not in screen_text(app)


async def test_two_saves_in_a_row_leave_one_notice_and_the_fees_totals_uncovered(
    app: CptApp,
) -> None:
    """Notices stacked over the Fees totals: now a new notice replaces the one shown, and
    notices sit at the top right, under the column titles, clear of the totals."""
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("3")
        await settle(pilot)
        totals = [line_with(app, "22 shown"), line_with(app, "All 24, 2 dropped")]
        for fee in ("30", "31"):
            await pilot.press("f")
            await type_text(pilot, fee)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, FeesScreen)
        assert stored(app).roster.fees.registration == Decimal("31.00")
        await pilot.pause()  # the notice is mounted after the save's message
        shown = screen_text(app)
        assert shown.count("New fees from now on") == 1
        assert "registration $31.00" in shown
        assert [line_with(app, "22 shown"), line_with(app, "All 24, 2 dropped")] == totals


async def test_the_demo_import_dialog_offers_its_samples_and_they_add_nothing(
    tmp_path: Path,
) -> None:
    """In `cpt-tui demo`, `i` starts at the demo's sample attempts (dated as the demo) and
    says where the other samples are; checking them finds 80 unchanged, 0 new."""
    day = date(2027, 3, 5)
    copy = tmp_path / "roster.json"
    dated_demo(copy, day)
    samples = dated_samples(tmp_path / "samples", day)
    store = Store(copy, clock=lambda: datetime.combine(day, time(10)))
    before = copy.read_bytes()
    app = create_app(store, demo=True, samples=samples)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        assert app.screen.query_one("#path", Input).value == str(samples / "sample-attempts.csv")
        assert "The demo's samples, dated as the demo, are in that folder" in screen_text(app)
        assert app.screen.query_one("#attempts", Tick).value  # as the sample offered is
        await pilot.press("enter")  # check
        await settle(pilot)
        assert "0 new, 0 updated, 80 unchanged, 0 rejected" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
    assert copy.read_bytes() == before


async def test_the_planner_plans_a_subset_of_the_core_modules(app: CptApp) -> None:
    """Fees, n: after the ticks, "Core modules 4 of the 4 the CPT requires"; 2 plans two
    modules a student (20 students: 40 first attempts), 0 is refused beside the field."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("n")
        screen = app.screen
        assert screen.query_one("#core", Input).value == "4"
        assert "Core modules     4    of the 4 the CPT requires" in screen_text(app)
        await type_text(pilot, "20")
        await pilot.press("tab")
        await type_text(pilot, "25")
        await pilot.press("tab", "tab", "tab", "ctrl+u")  # Green, supplements, core modules
        assert app.focused is screen.query_one("#core", Input)
        await type_text(pilot, "2")
        await settle(pilot)
        text = screen_text(app)
        assert "(40 first + 10 retakes) × $22.00" in text
        assert "40 × $70.00" in text and "$4,460.00" in text
        await pilot.press("shift+tab", "shift+tab", "space", "tab", "tab")  # and Green
        await settle(pilot)
        assert "(60 first + 15 retakes)" in screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "0")
        await settle(pilot)
        text = screen_text(app)
        assert "core modules must be between 1 and 4" in text
        assert "Fix the figures above" in text and "Total" not in text.split("Fix the")[1]
