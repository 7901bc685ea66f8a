"""Slips in a live class (issue 14, item 9): a changed student ID is confirmed first, and a
form refused as out of date keeps what was typed (item 9); the Progress grid shows the ID
and follows the roster's sort (item 8). Pilot tests, the store checked after."""

from __future__ import annotations

from textual.widgets import Input

from cpt_tui.app import CptApp
from cpt_tui.core.models import StudentForm
from cpt_tui.screens.dialogs import ConfirmScreen
from cpt_tui.screens.record import RecordScreen
from cpt_tui.screens.roster import RosterScreen
from cpt_tui.screens.student_form import StudentFormScreen
from cpt_tui.store import Store
from cpt_tui.widgets.virtual_table import VirtualTable

from .conftest import fixed_clock, screen_text, settle, type_text


def stored(app: CptApp) -> Store:
    return Store(app.store.path, clock=fixed_clock)


def field(app: CptApp, name: str) -> str:
    return app.screen.query_one(f"#{name}", Input).value


async def test_changing_an_id_asks_naming_old_and_new(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")  # Reed, E2001: the form opens with the ID selected
        await type_text(pilot, "E2901")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = screen_text(app)
        assert "E2001" in question and "E2901" in question
        await pilot.press("n")  # back to the form, what was typed kept, nothing saved
        await settle(pilot)
        assert isinstance(app.screen, StudentFormScreen)
        assert field(app, "student_id") == "E2901"
        assert "E2001" in stored(app).roster.by_id and "E2901" not in stored(app).roster.by_id
        await pilot.press("escape")  # escape on the question also keeps the form
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert "E2901" not in stored(app).roster.by_id
        await pilot.press("e")
        await type_text(pilot, "E2901")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        roster = stored(app).roster
        assert "E2001" not in roster.by_id and roster.by_id["E2901"].last_name == "Reed"


async def test_no_to_an_id_change_keeps_every_field_typed(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await type_text(pilot, "E2901")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Reid")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StudentFormScreen)
        assert (field(app, "student_id"), field(app, "last_name")) == ("E2901", "Reid")
        assert stored(app).roster.by_id["E2001"].last_name == "Reed"


async def test_an_edit_that_keeps_the_id_saves_without_a_question(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e", "tab", "tab")
        await type_text(pilot, "Reid")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert stored(app).roster.by_id["E2001"].last_name == "Reid"


async def test_a_form_refused_as_out_of_date_keeps_what_was_typed(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")  # Reed, E2001
        other = Store(app.store.path, clock=fixed_clock, user="colleague")
        reed = other.roster.by_id["E2001"]
        other.save_student(StudentForm.of(reed).model_copy(update={"section": "Night"}), reed)
        await pilot.press("tab", "tab")
        await type_text(pilot, "Reid")
        await pilot.press("tab")
        await type_text(pilot, "reid@example.org")
        await pilot.press("enter")
        await settle(pilot)
        # Refused: nothing of the instructor's saved, the colleague's section kept ...
        assert stored(app).roster.by_id["E2001"].last_name == "Reed"
        assert stored(app).roster.by_id["E2001"].section == "Night"
        # ... and the form is open again with what was typed, beside the newer values.
        assert isinstance(app.screen, StudentFormScreen)
        assert (field(app, "last_name"), field(app, "email")) == ("Reid", "reid@example.org")
        assert field(app, "section") == "Night"  # untouched by the instructor: the newer one
        assert "someone else changed" in screen_text(app) and "Section Night" in screen_text(app)
        await pilot.press("enter")  # seen the newer values: the typed ones now save
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        saved = stored(app).roster.by_id["E2001"]
        assert (saved.last_name, saved.email, saved.section) == (
            "Reid",
            "reid@example.org",
            "Night",
        )


async def test_escape_on_a_form_refused_as_out_of_date_keeps_the_newer_values(
    app: CptApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        other = Store(app.store.path, clock=fixed_clock, user="colleague")
        reed = other.roster.by_id["E2001"]
        other.save_student(StudentForm.of(reed).model_copy(update={"section": "Night"}), reed)
        await pilot.press("tab", "tab")
        await type_text(pilot, "Reid")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentFormScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        saved = stored(app).roster.by_id["E2001"]
        assert (saved.last_name, saved.section) == ("Reed", "Night")


# ------------------------------------------------- 8. the Progress grid: ID, roster order


def grid_rows(app: CptApp) -> list[str]:
    """The IDs down the Progress grid, in the order shown."""
    grid = app.screen.query_one("#grid", VirtualTable)
    return list(grid.keys)


async def test_progress_shows_the_id_and_fits_the_modules_at_80_columns(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert lines[1].split()[:2] == ["ID", "Student"] and "Green opt." in lines[1]
        assert lines[2].startswith(" E2001 Reed, M ") and lines[2].rstrip().endswith("×2$")
        assert any(line.startswith(" E2008 Carter, Ben ") for line in lines)


async def test_progress_lists_students_as_the_roster_sorts_them(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        roster_order = grid_rows_of_roster(app)
        await pilot.press("2")
        await settle(pilot)
        assert grid_rows(app) == roster_order  # both by ID at first
        await pilot.press("1", "s", "S")  # the roster by name, Z to A
        await settle(pilot)
        by_name = grid_rows_of_roster(app)
        assert by_name != roster_order
        await pilot.press("2")
        await settle(pilot)
        assert grid_rows(app) == by_name
        assert screen_text(app).splitlines()[2].startswith(" S1005 Williams, N")
        await pilot.press("r")  # the cell under the cursor is still the student shown
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)


def grid_rows_of_roster(app: CptApp) -> list[str]:
    return list(app.screen.query_one("#roster", VirtualTable).keys)
