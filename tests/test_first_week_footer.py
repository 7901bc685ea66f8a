"""Issue 14, item 6: the footer shows the keys that work where the focus is, and `?`.

Each test reads the footer, the last line of the terminal at 80x24, as a person sees it."""

from __future__ import annotations

from cpt_tui.app import CptApp
from cpt_tui.screens.fees import FeesScreen
from cpt_tui.screens.record import RecordScreen
from cpt_tui.screens.student_form import StudentFormScreen

from .conftest import screen_text, settle


def footer(app: CptApp) -> str:
    return screen_text(app).splitlines()[-1]


async def test_every_screen_shows_help_and_quit_at_80_columns(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("1", "2", "3", "4"):
            await pilot.press(key)
            await settle(pilot)
            shown = footer(app)
            assert "? Help" in shown, (key, shown)
            assert "q Quit" in shown, (key, shown)


async def test_the_details_renew_and_test_days_back_fit_at_80_columns(app: CptApp) -> None:
    """R (renew a CPT) is shown in the detail, and esc Back on Test day, not left to `?`."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "enter")
        await settle(pilot)
        assert "R Renew" in footer(app) and "p Points" in footer(app), footer(app)
        await pilot.press("escape", "t")
        await settle(pilot)
        assert "esc Back" in footer(app) and "q Quit" in footer(app), footer(app)


async def test_the_record_dialog_shows_its_own_keys_only(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        assert "r Record" in footer(app)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        shown = footer(app)
        assert "Save" in shown and "Cancel" in shown, shown
        for key in ("r Record", "p Supplement", "/ Filter", "1 Roster", "q Quit"):
            assert key not in shown, (key, shown)


async def test_the_add_form_shows_its_own_keys_not_the_rosters(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        roster_keys = footer(app)
        assert "a Add" in roster_keys
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, StudentFormScreen)
        shown = footer(app)
        assert "Save" in shown and "Cancel" in shown, shown
        for key in ("a Add", "e Edit", "d Delete", "/ Filter", "q Quit"):
            assert key not in shown, (key, shown)


async def test_the_planner_offers_no_typed_key_while_a_field_has_the_focus(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, FeesScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.focused is not None and app.screen.focused.id == "size"
        shown = footer(app)
        for key in ("/ Filter", "1 Roster", "q Quit", "? Help", "v Show"):
            assert key not in shown, (key, shown)
        await pilot.press("slash")
        await settle(pilot)
        assert "/" in app.screen.focused.value  # `/` typed, as the footer says


async def test_digits_typed_in_a_field_of_the_detail_stay_input(app: CptApp) -> None:
    """Item 7: in the points dialog opened from the student detail, 1 2 3 are typed into the
    field and switch no screen (they do on the detail itself)."""
    from textual.widgets import Input

    from cpt_tui.screens.credentials import PointsScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter", "p")
        await settle(pilot)
        assert isinstance(app.screen, PointsScreen)
        await pilot.press("1", "2", "3")
        await settle(pilot)
        assert isinstance(app.screen, PointsScreen)
        field = app.screen.focused
        assert isinstance(field, Input) and field.value == "123"
        assert "1 Roster" not in footer(app)
