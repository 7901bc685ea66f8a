"""The Diagnostics screen (`4`) and the detail's report form, driven by the SPEC's keys."""

from __future__ import annotations

from pathlib import Path

from cpt_tui.app import CptApp
from cpt_tui.core.diagnostics import module_diagnostics
from cpt_tui.core.models import Module, Student
from cpt_tui.screens.csv_dialogs import ImportScreen
from cpt_tui.screens.detail import DiagnosticsSaved, StudentDetailScreen
from cpt_tui.screens.diagnostics import DiagnosticsScreen
from cpt_tui.screens.diagnostics_form import DiagnosticsForm
from cpt_tui.screens.dialogs import HelpScreen
from cpt_tui.store import Store
from cpt_tui.widgets.virtual_table import VirtualTable

from .conftest import fixed_clock, said, screen_text, settle, type_text


def stored(app: CptApp) -> Store:
    return Store(app.store.path, clock=fixed_clock)


async def open_diagnostics(pilot) -> DiagnosticsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DiagnosticsScreen)
    return screen


def shown_rows(screen: DiagnosticsScreen) -> list[int]:
    """The activity numbers in the table, top to bottom."""
    table = screen.query_one("#activities", VirtualTable)
    return [int(key.rpartition(":")[2]) for key in table.keys]


def expected(app: CptApp, module: Module, students: list[Student]) -> list[int]:
    found = module_diagnostics(stored(app).roster, students, module)
    return [a.number for a in found.activities]


async def test_4_shows_each_activitys_class_average_weakest_first(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diagnostics(pilot)
        roster = stored(app).roster
        safety = roster.modules[0]
        assert screen.module.key == "safety"
        assert shown_rows(screen) == expected(app, safety, roster.visible())
        # The demo's class is weak in activities 8 and 2 of Safety: both below the pass mark.
        assert shown_rows(screen)[:2] == [8, 2]
        found = module_diagnostics(roster, roster.visible(), safety)
        text = screen_text(app)
        assert f"Safety · {found.students} of 22 students with results" in text
        weakest = found.activities[0]
        assert weakest.shown.removesuffix("%") in text
        line = next(row for row in text.splitlines() if row.lstrip().startswith("8 Safety"))
        assert "!" in line and "█" in line and line.rstrip().endswith(str(weakest.students))
        assert "below the pass mark (76%)" in text
        # The full name of the activity under the cursor, below the table.
        assert "8. Safety and health requirements for maintenance, installation and repair" in text


async def test_arrows_hl_and_brackets_cycle_the_modules(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diagnostics(pilot)
        seen = []
        for key in ("right", "l", "right_square_bracket", "right", "right", "left", "h"):
            await pilot.press(key)
            seen.append(screen.module.key)
        assert seen == [
            "quality",
            "production",
            "maintenance",
            "green",
            "safety",
            "green",
            "maintenance",
        ]
        await pilot.press("left_square_bracket")
        assert screen.module.key == "production"
        assert "[Production]" in screen_text(app)
        roster = stored(app).roster
        assert shown_rows(screen) == expected(app, roster.modules[2], roster.visible())


async def test_long_activity_names_are_cut_after_a_word_and_marked(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diagnostics(pilot)
        await pilot.press("left", "left")
        assert screen.module.key == "maintenance"
        text = screen_text(app)
        assert "Recognise potential maintenance…" in text
        assert "4. Recognise potential maintenance issues: electrical, pneumatic" in text
        assert max(len(line) for line in text.splitlines()) <= 80


async def test_the_filter_and_v_apply(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diagnostics(pilot)
        await pilot.press("slash")
        await type_text(pilot, "p2")
        await pilot.press("enter")
        await settle(pilot)
        roster = stored(app).roster
        p2 = roster.visible(text="p2")
        found = module_diagnostics(roster, p2, roster.modules[0])
        assert shown_rows(screen) == [a.number for a in found.activities]
        assert f"Safety · {found.students} of {len(p2)} students with results" in screen_text(app)
        await pilot.press("v")
        await settle(pilot)
        with_dropped = roster.visible(show_dropped=True, text="p2")
        found = module_diagnostics(roster, with_dropped, roster.modules[0])
        assert len(with_dropped) > len(p2)
        text = screen_text(app)
        assert f"Safety · {found.students} of {len(with_dropped)} students with results" in text
        await pilot.press("right")  # the next module, for the same students
        quality = module_diagnostics(roster, with_dropped, roster.modules[1])
        assert shown_rows(screen) == [a.number for a in quality.activities]


async def test_a_module_without_reports_says_how_to_enter_them(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_diagnostics(pilot)
        await pilot.press("slash")
        await type_text(pilot, "Carter")
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Safety · no diagnostic reports among the 1 student shown" in text
        assert "no results" in text
        assert "Enter a report from a student's detail (2, enter, a on the attempt)" in text
        assert "cpt-tui import --diagnostics FILE" in text


async def test_help_lists_the_diagnostics_key(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_diagnostics(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Diagnostics" in text and "Next module" in text
        assert "← h" in text and "→ l" in text


async def open_form(pilot, row: int) -> DiagnosticsForm:  # type: ignore[no-untyped-def]
    """Progress grid, the student on `row`, enter: the detail; `a` on their first attempt."""
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    await pilot.press(*["j"] * row, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StudentDetailScreen)
    await pilot.press("a")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, DiagnosticsForm)
    return form


async def test_the_form_lists_the_modules_activities_and_saves_from_any_field(
    app: CptApp,
) -> None:
    """E2011 Samuel Osei (row 9): Safety on 2026-02-12, with the demo's report."""
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 9)
        attempt = form.attempt
        assert (attempt.student_id, attempt.module) == ("E2011", "safety")
        text = screen_text(app)
        assert "Diagnostic report: Samuel Osei, Safety" in text
        assert " 1. Work in a safe and productive workplace" in text
        assert "10. Safety-enhancing workplace practices" in text
        assert app.focused is not None and app.focused.id == "activity-1"
        before = app.store.path.read_bytes()
        # A bad value: its reason beside the field, nothing saved, the form stays.
        await pilot.press("tab", "tab")
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "120")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DiagnosticsForm)
        assert "percent '120' is out of range: 0 to 100" in screen_text(app)
        assert app.store.path.read_bytes() == before
        # Fixed, then enter from another field saves the whole report.
        await pilot.press(*["backspace"] * 3)
        await type_text(pilot, "12")
        await pilot.press("tab", "tab")
        await pilot.press(*["backspace"] * 5)  # activity 5 left empty: no figure
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        saved = stored(app).roster.attempts_by_id[attempt.attempt_id].diagnostics
        expected_report = {n: p for n, p in attempt.diagnostics.items() if n != 5} | {3: 12}
        assert saved == expected_report
        assert said(app) == "Diagnostic report saved: Safety 2026-02-12, 9 activities; u undoes it"
        assert stored(app).audit(1)[0].action == "diagnostics"
        text = screen_text(app)
        assert "12% 3. Emergency drills and teams" in text  # now the weakest, listed first
        # u undoes it, from the detail.
        await pilot.press("u")
        await settle(pilot)
        assert stored(app).roster.attempts_by_id[attempt.attempt_id].diagnostics == (
            attempt.diagnostics
        )


async def test_escape_cancels_the_form_and_saves_nothing(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, 9)
        before = app.store.path.read_bytes()
        await type_text(pilot, "5")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        assert app.store.path.read_bytes() == before


async def test_a_saved_report_changes_the_diagnostics_screen(app: CptApp) -> None:
    """E2008 Ben Carter has no attempts; record one, enter its report, see it counted."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diagnostics(pilot)
        before = module_diagnostics(stored(app).roster, stored(app).roster.visible(), screen.module)
        store = app.store
        attempt = store.record_attempt("E2008", "safety", fixed_clock().date(), correct=50)
        app.change(
            lambda: store.set_diagnostics(attempt, {1: 0}),
            DiagnosticsSaved(app.roster.modules[0]),
            asker=None,
        )
        await settle(pilot)
        roster = stored(app).roster
        after = module_diagnostics(roster, roster.visible(), screen.module)
        assert after.students == before.students + 1
        assert shown_rows(screen) == [a.number for a in after.activities]
        assert f"Safety · {after.students} of 22 students with results" in screen_text(app)


async def test_the_cursor_stays_on_its_activity_when_the_roster_changes(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_diagnostics(pilot)
        table = screen.query_one("#activities", VirtualTable)
        await pilot.press("down", "down", "down")
        kept = table.cursor_key
        store = app.store
        attempt = store.record_attempt("E2008", "safety", fixed_clock().date(), correct=50)
        app.change(
            lambda: store.set_diagnostics(attempt, {n: 100 for n in range(1, 11)}),
            DiagnosticsSaved(app.roster.modules[0]),
            asker=None,
        )
        await settle(pilot)
        assert table.cursor_key == kept
        await pilot.press("right")
        assert table.cursor_row == 0  # another module: its weakest first


async def test_the_import_dialog_knows_a_diagnostics_file_by_its_columns(
    app: CptApp, tmp_path: Path
) -> None:
    """E2011 Samuel Osei sat Safety on 2026-02-12: his activity 1 becomes 10."""
    file = tmp_path / "reports.csv"
    file.write_text("student_id,module,date,activity,percent\nE2011,safety,2026-02-12,1,10\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, ImportScreen)
        await type_text(pilot, str(file))
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#result").render())
        assert "Would import: 0 new, 1 updated, 0 unchanged, 0 rejected activity results" in shown
        attempt = next(
            a
            for a in stored(app).roster.attempts_of("E2011")
            if a.module == "safety" and a.taken_on.isoformat() == "2026-02-12"
        )
        assert attempt.diagnostics[1] != 10
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert stored(app).roster.attempts_by_id[attempt.attempt_id].diagnostics[1] == 10


async def test_the_import_dialog_lists_a_bad_diagnostics_row_and_writes_nothing(
    app: CptApp, tmp_path: Path
) -> None:
    file = tmp_path / "reports.csv"
    file.write_text("student_id,module,date,activity,percent\nE2011,safety,2026-02-13,1,10\n")
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await type_text(pilot, str(file))
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#result").render())
        assert "Nothing can be imported" in shown
        assert "line 2: no such attempt: E2011 has no Safety assessment on 2026-02-13" in shown
        await pilot.press("enter")
        await settle(pilot)
    assert app.store.path.read_bytes() == before
