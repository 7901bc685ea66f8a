"""Text from outside in the app: names with markup or escape sequences are shown as the
characters they are on every screen, dialog and notice, and never crash a screen; the
import dialog imports exactly the bytes its dry run checked."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from cpt_tui.app import CptApp, create_app
from cpt_tui.core.models import StudentForm
from cpt_tui.screens.csv_dialogs import ImportScreen
from cpt_tui.screens.detail import StudentDetailScreen
from cpt_tui.screens.dialogs import ConfirmScreen
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.screens.record import RecordScreen
from cpt_tui.screens.roster import RosterScreen
from cpt_tui.screens.student_form import StudentFormScreen
from cpt_tui.store import Store

from .conftest import fixed_clock, screen_text, settle, type_text

CONTROLS = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e", "\u2066")


def shows_nothing_raw(app: CptApp) -> str:
    """The screen as drawn, checked: no character a terminal would obey reaches it."""
    text = screen_text(app)
    for bad in CONTROLS:
        assert bad not in text
    return text


async def notices(pilot: Pilot[None]) -> str:
    """The notifications showing, as drawn; checked as the screen is."""
    await pilot.pause()  # toasts are mounted after the notice is posted
    app = pilot.app
    text = "\n".join(str(toast.render()) for toast in app.screen.query("Toast"))
    for bad in CONTROLS:
        assert bad not in text
    return text


def hostile_app(store: Store) -> CptApp:
    store.save_student(
        StudentForm(
            student_id="Z9",
            first_name=":warning:\u202eevil",
            last_name="Bad[/]",
            section="[blink]P\x9b2J",
        )
    )
    return create_app(Store(store.path, clock=fixed_clock, user="tester"))


async def only_z9(pilot: Pilot[None]) -> None:
    await pilot.press("slash")
    await type_text(pilot, "Z9")
    await pilot.press("enter")
    await settle(pilot)


async def test_a_name_with_markup_opens_every_view_of_its_student(demo_store: Store) -> None:
    app = hostile_app(demo_store)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await only_z9(pilot)
        text = shows_nothing_raw(app)
        assert "Bad[/], :warning:" in text and "[blink]P\\x" in text and "⚠" not in text
        for key, screen in (("e", StudentFormScreen), ("enter", StudentFormScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen)
            assert "Edit :warning:\\u202eevil Bad[/]" in shows_nothing_raw(app)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Bad[/]" in shows_nothing_raw(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        shows_nothing_raw(app)
        assert "Deleted :warning:\\u202eevil Bad[/]" in await notices(pilot)
        assert "Z9" not in Store(app.store.path).roster.by_id
        await pilot.press("u")
        await settle(pilot)
        assert "Z9" in Store(app.store.path).roster.by_id

        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        assert "Bad[/]" in shows_nothing_raw(app)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert "Bad[/]" in shows_nothing_raw(app)
        await type_text(pilot, "70")
        await pilot.press("enter")
        await settle(pilot)
        shows_nothing_raw(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        assert "Bad[/]" in shows_nothing_raw(app)
        await pilot.press("escape")
        await pilot.press("3")
        await settle(pilot)
        assert "[blink]P\\x9b2J" in shows_nothing_raw(app)
    assert app.return_code in (None, 0)
    assert len(Store(app.store.path).roster.attempts_of("Z9")) == 1


async def test_a_name_with_markup_saves_from_the_form_and_is_announced(
    demo_store: Store,
) -> None:
    app = create_app(demo_store)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await pilot.press("a")
        await type_text(pilot, "T9")
        await pilot.press("tab")
        await type_text(pilot, "Ada")
        await pilot.press("tab")
        await pilot.press("X", "left_square_bracket", "slash", "right_square_bracket")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        shows_nothing_raw(app)
        assert "Added Ada X[/] (T9)" in await notices(pilot)
    assert app.return_code in (None, 0)
    assert Store(demo_store.path).roster.by_id["T9"].last_name == "X[/]"


HEADER = 'student_id,first_name,last_name,"Evil\x1b]0;PWNED\x07\nx\x1b]52;c;ZXZpbA==\x07 [b]"\n'


async def test_the_import_dialog_and_its_notice_show_a_header_escaped(
    app: CptApp, tmp_path: Path
) -> None:
    csv = tmp_path / "h.csv"
    csv.write_text(HEADER + "N1,Nia,Lee,a\n", encoding="utf-8")
    async with app.run_test(size=(160, 30), notifications=True) as pilot:
        await pilot.press("i")
        await type_text(pilot, str(csv))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        assert "Evil\\x1b]0;PWNED\\x07\\nx\\x1b]52;c;ZXZpbA==\\x07 [b]" in shows_nothing_raw(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        shows_nothing_raw(app)
        assert "Evil\\x1b]0;PWNED\\x07\\nx" in await notices(pilot)


async def test_a_refused_import_row_is_quoted_escaped(app: CptApp, tmp_path: Path) -> None:
    csv = tmp_path / "dup.csv"
    csv.write_text("id,first,last\nD\u202e1,A,B\nD\u202e1,A,B\n", encoding="utf-8")
    before = app.store.path.read_bytes()
    async with app.run_test(size=(160, 30), notifications=True) as pilot:
        await pilot.press("i")
        await type_text(pilot, str(csv))
        await pilot.press("enter")
        await settle(pilot)
        assert "Nothing can be imported" in shows_nothing_raw(app)
    assert app.store.path.read_bytes() == before


async def test_the_import_dialog_imports_the_bytes_its_dry_run_checked(
    app: CptApp, tmp_path: Path
) -> None:
    csv = tmp_path / "new.csv"
    csv.write_text("id,first,last\nN1,Nia,Lee\n", encoding="utf-8")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("i")
        await type_text(pilot, str(csv))
        await pilot.press("enter")
        await settle(pilot)
        assert "Would import: 1 new" in screen_text(app)
        # Swapped between the check and the confirmation: never imported unchecked.
        csv.write_text("id,first,last\nX1,Evil,Swap\nX2,Evil,Swap\n", encoding="utf-8")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    roster = Store(app.store.path).roster
    assert "N1" in roster.by_id
    assert "X1" not in roster.by_id and "X2" not in roster.by_id
