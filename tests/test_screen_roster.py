"""The roster screen, driven by the SPEC's keys; the store is checked after each flow."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from cpt_tui.app import CptApp
from cpt_tui.compat import notices
from cpt_tui.core.models import StudentForm
from cpt_tui.screens.csv_dialogs import ExportScreen, ImportScreen
from cpt_tui.screens.dialogs import ConfirmScreen, HelpScreen
from cpt_tui.screens.roster import RosterScreen
from cpt_tui.screens.student_form import StudentFormScreen
from cpt_tui.store import Store
from cpt_tui.widgets.filter_bar import FilterBar
from cpt_tui.widgets.virtual_table import VirtualTable

from .conftest import fixed_clock, said, screen_text, settle, table_keys, type_text


def rows(app: CptApp) -> list[str]:
    return table_keys(app.screen.query_one("#roster", VirtualTable))


def stored(app: CptApp) -> Store:
    """A second look at the file, as another process would have."""
    return Store(app.store.path, clock=fixed_clock)


async def test_the_roster_shows_active_students_with_the_cursor_on_the_first(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert len(rows(app)) == 22  # two dropped students are hidden
        assert isinstance(app.focused, VirtualTable)
        assert app.screen.current_student().student_id == "E2001"  # type: ignore[union-attr]


async def test_add_a_student_with_the_keys(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, StudentFormScreen)
        assert app.focused is not None and app.focused.id == "student_id"
        await type_text(pilot, "T300")
        await pilot.press("tab")
        await type_text(pilot, "Ada")
        await pilot.press("tab")
        await type_text(pilot, "Lovelace")
        await pilot.press("tab", "tab", "tab", "tab", "space")  # email, section, term, registered
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        ada = stored(app).roster.by_id["T300"]
        assert (ada.first_name, ada.last_name, ada.registered) == ("Ada", "Lovelace", True)
        assert ada.registration_fee is not None and str(ada.registration_fee) == "28.00"
        assert app.screen.current_student().student_id == "T300"  # type: ignore[union-attr]


async def test_edit_a_student_and_undo_it(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # enter edits, as e does
        assert isinstance(app.screen, StudentFormScreen)
        await pilot.press("tab", "tab")
        await type_text(pilot, "Reid")
        await pilot.press("enter")
        await settle(pilot)
        assert stored(app).roster.by_id["E2001"].last_name == "Reid"
        await pilot.press("u")
        await settle(pilot)
        assert stored(app).roster.by_id["E2001"].last_name == "Reed"


async def test_a_refused_form_shows_reasons_and_saves_nothing(app: CptApp) -> None:
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await type_text(pilot, "E2001")
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "not-an-email")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, StudentFormScreen)
        errors = {w.id: str(w.render()) for w in form.query(".error") if w.display}
        assert "Reed" in errors["student_id-error"]
        assert "first name is required" in errors["first_name-error"]
        assert "last name is required" in errors["last_name-error"]
        assert "not an email" in errors["email-error"]
        assert app.focused is not None and app.focused.id == "student_id"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    assert app.store.path.read_bytes() == before


async def test_delete_asks_and_y_or_enter_deletes_n_or_escape_keeps(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        for keep in ("n", "escape"):
            await pilot.press("d")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press(keep)
            await settle(pilot)
            assert "E2001" in stored(app).roster.by_id
        await pilot.press("d", "y")
        await settle(pilot)
        assert "E2001" not in stored(app).roster.by_id
        assert said(app) == "Deleted Marcus Reed; u undoes it"
        assert "E2001" not in rows(app)
        await pilot.press("d", "enter")
        await settle(pilot)
        assert "E2002" not in stored(app).roster.by_id
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        restored = stored(app).roster
        assert {"E2001", "E2002"} <= restored.by_id.keys()
        assert len(restored.attempts_of("E2001")) == 6  # the attempts come back too


async def test_undo_with_nothing_to_undo_says_so(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        await settle(pilot)
        assert "Nothing to undo" in " ".join(str(n.message) for n in notices(app))


async def test_filter_as_you_type_keep_with_enter_clear_with_escape(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "os")
        await settle(pilot)
        assert rows(app) == ["E2010", "E2011", "S1003", "S1011"]  # rOSa, OSei, jOSé, hirOShi
        await type_text(pilot, "ei")
        await settle(pilot)
        assert rows(app) == ["E2011"]
        await pilot.press("enter")
        assert isinstance(app.focused, VirtualTable)
        await pilot.press("2")
        await settle(pilot)
        assert table_keys(app.screen.query_one("#grid", VirtualTable)) == ["E2011"]  # every screen
        await pilot.press("1", "slash", "escape")
        await settle(pilot)
        assert len(rows(app)) == 22 and app.filter_text == ""
        await pilot.press("slash")
        await type_text(pilot, "evening")
        await pilot.press("enter")
        await settle(pilot)
        assert len(rows(app)) == 11  # matches the section


async def test_one_filter_shown_on_every_screen_and_cleared_from_any(app: CptApp) -> None:
    """The filter is kept once (the app's): every screen's line shows what was typed on
    another, and clearing it on one leaves no screen filtered or showing a stale line."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "osei")
        await pilot.press("enter", "2")
        await settle(pilot)
        bar = app.screen.query_one(FilterBar)
        assert bar.display and bar.value == "osei" and "1 of 24" in screen_text(app)
        assert "0/1 passed, 1 attempt\n" in screen_text(app)  # Quality: one attempt, said so
        await pilot.press("slash", "escape", "1")
        await settle(pilot)
        bar = app.screen.query_one(FilterBar)
        assert not bar.display and bar.value == "" and len(rows(app)) == 22


async def test_sort_cycles_columns_and_reverses(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")  # by name
        await settle(pilot)
        assert rows(app)[:2] == ["S1007", "E2008"]  # Brown, Carter
        await pilot.press("S")
        await settle(pilot)
        assert rows(app)[0] == "S1005"  # Williams
        await pilot.press("s", "s", "s")  # section, core, CPT
        await settle(pilot)
        assert rows(app)[-1] == "S1010"  # the latest expiry, 2031-11-17


async def test_dropped_students_hidden_until_v(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        assert "S1009" not in rows(app)
        await pilot.press("v")
        await settle(pilot)
        assert {"S1009", "E2007"} <= set(rows(app))
        await pilot.press("v")
        await settle(pilot)
        assert "S1009" not in rows(app)


async def test_marking_a_student_dropped_hides_but_keeps_them(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        for _ in range(7):
            await pilot.press("tab")
        await pilot.press("space", "enter")  # dropped
        await settle(pilot)
        assert stored(app).roster.by_id["E2001"].dropped
        assert "E2001" not in rows(app)


async def test_export_dialog_writes_and_asks_before_overwriting(
    app: CptApp, tmp_path: Path
) -> None:
    target = tmp_path / "term.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#path", Input).value == "cpt-export-2026-11-21.csv"
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await settle(pilot)
        assert target.read_text(encoding="utf-8-sig").startswith("student_id,last_name")
        assert target.stat().st_mode & 0o777 == 0o600
        target.write_text("older")
        await pilot.press("x")
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text() == "older"
        await pilot.press("x")
        await type_text(pilot, str(target))
        await pilot.press("enter", "y")
        await settle(pilot)
        assert target.read_text(encoding="utf-8-sig").startswith("student_id")
        assert any(str(target) in str(n.message) for n in notices(app))


async def test_export_dialog_refuses_a_missing_folder(app: CptApp, tmp_path: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await type_text(pilot, str(tmp_path / "nowhere" / "x.csv"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert "no folder" in str(app.screen.query_one("#path-error").render())


async def test_import_dialog_shows_the_dry_run_then_imports(app: CptApp, tmp_path: Path) -> None:
    new = tmp_path / "new.csv"
    new.write_text("id,first,last,section\nN1,Nia,Lee,P4\nS1001,Ava,Martinez,P2\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, ImportScreen)
        await type_text(pilot, str(new))
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#result").render())
        assert "Would import: 1 new, 0 updated, 1 unchanged, 0 rejected" in shown
        assert "N1" not in stored(app).roster.by_id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert "N1" in stored(app).roster.by_id
        assert "N1" in rows(app)


async def test_import_dialog_lists_bad_rows_and_writes_nothing(app: CptApp, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,first,last\nN1,,Lee\n")
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await type_text(pilot, str(bad))
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#result").render())
        assert "Nothing can be imported" in shown and "line 2: first name is required" in shown
        await pilot.press("enter")
        await settle(pilot)
    assert app.store.path.read_bytes() == before


async def test_help_lists_the_screen_keys_and_the_global_ones(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in (
            "Add",
            "Delete",
            "Sort",
            "Roster",
            "Progress",
            "Fees",
            "Undo",
            "Export",
            "Quit",
        ):
            assert words in text
        await pilot.press("1")  # a global key does nothing while a dialog is open
        await pilot.press("escape")
        assert isinstance(app.screen, RosterScreen)


async def test_the_palette_offers_every_action(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)):
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {
            "Add",
            "Edit",
            "Delete",
            "Sort",
            "Reverse sort",
            "Roster",
            "Progress",
            "Fees",
            "Filter",
            "Show dropped",
            "Undo",
            "Export",
            "Import",
            "Help",
            "Quit",
        } <= titles


async def test_a_change_by_another_process_appears_without_a_key(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        other = Store(app.store.path, clock=fixed_clock, user="colleague")
        other.save_student(StudentForm(student_id="Z9", first_name="Zed", last_name="Zulu"))
        for _ in range(50):  # the app polls the file every second
            await pilot.pause(0.1)
            if "Z9" in rows(app):
                break
        assert "Z9" in rows(app)


async def test_an_out_of_date_form_is_refused_and_shows_the_newer_values(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        other = Store(app.store.path, clock=fixed_clock, user="colleague")
        reed = other.roster.by_id["E2001"]
        other.save_student(StudentForm.of(reed).model_copy(update={"section": "Night"}), reed)
        await pilot.press("tab", "tab")
        await type_text(pilot, "Reid")
        await pilot.press("enter")
        await settle(pilot)
        assert stored(app).roster.by_id["E2001"].last_name == "Reed"
        assert stored(app).roster.by_id["E2001"].section == "Night"
        messages = " ".join(str(n.message) for n in notices(app))
        assert "changed by someone else" in messages and "section Night" in messages


async def test_quit(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_import_dialog_names_the_command_that_lists_every_bad_row(
    app: CptApp, tmp_path: Path
) -> None:
    """Past six bad rows the dialog names a command that works as printed: the file and the
    option that reads it as the dialog did (here an attempts file, by its tick)."""
    bad = tmp_path / "bad attempts.csv"
    bad.write_text(
        "student_id,module,date,correct\n"
        + "".join(f"NOPE{n},safety,2026-11-02,70\n" for n in range(9))
    )
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await type_text(pilot, str(bad))
        await pilot.press("tab", "space", "enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#result").render())
        assert (
            f"... and 3 more (cpt-tui import --attempts --dry-run '{bad}' lists them all)" in shown
        )
    assert app.store.path.read_bytes() == before
