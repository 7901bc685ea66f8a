"""Slips found by walking every flow as an instructor at 80x24 and on the command line:
each test failed before its fix."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.widgets import DataTable

from cpt_tui.app import CptApp
from cpt_tui.cli import main
from cpt_tui.report import print_report
from cpt_tui.screens.csv_dialogs import ExportScreen
from cpt_tui.screens.detail import StudentDetailScreen
from cpt_tui.screens.dialogs import ConfirmScreen, HelpScreen
from cpt_tui.screens.testday import TestDayScreen
from cpt_tui.store import Store

from .conftest import screen_text, settle, type_text


async def test_help_on_test_day_names_the_screen_as_a_person_says_it(app: CptApp) -> None:
    """`?` on Test day was headed "TestDay screen" (the class's name)."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "t")
        await settle(pilot)
        assert isinstance(app.screen, TestDayScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Test day screen" in text
        assert "TestDay" not in text


async def test_the_test_day_export_offers_no_box_to_tick(app: CptApp) -> None:
    """The test day's export dialog has no attempts box, so its hint says nothing of
    `space`; the roster's, which has one, still does."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "t")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        text = screen_text(app)
        assert "enter exports    escape cancels" in text
        assert "space ticks" not in text
        await pilot.press("escape", "escape", "1", "x")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert "space ticks" in screen_text(app)


async def test_deleting_a_practice_test_in_the_detail_says_so_with_the_module_name(
    app: CptApp, demo_store: Store
) -> None:
    """The question read "Delete the safety attempt" for a practice test: the module's key,
    and a practice test called an attempt."""
    practice = next(a for a in demo_store.roster.attempts if a.student_id == "S1004" and a.practice)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "slash")
        await type_text(pilot, "S1004")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        table = app.screen.query_one("#attempts", DataTable)
        table.move_cursor(row=table.get_row_index(practice.attempt_id))
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith(
            f"Delete the Safety practice test of {practice.taken_on} ("
        )
        await pilot.press("n")
        await settle(pilot)
        first = next(
            a for a in demo_store.roster.attempts if a.student_id == "S1004" and not a.practice
        )
        table.move_cursor(row=table.get_row_index(first.attempt_id))
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.startswith(f"Delete the Safety attempt of {first.taken_on}")
        await pilot.press("escape")
        await settle(pilot)
    assert len(Store(demo_store.path).roster.attempts) == len(demo_store.roster.attempts)


def test_report_in_an_80_column_terminal_fits_by_cutting_long_names(demo_store: Store) -> None:
    """The standing was 87 columns wide (a long name), so an 80-column terminal wrapped
    every line in two; in a terminal the names are cut with … and every line fits."""
    console = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None)
    print_report(demo_store.roster, date(2026, 11, 21), console=console)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert max(cell_len(line) for line in lines) <= 80
    assert any("│ Shevchenko, O…" in line for line in lines)
    for student in demo_store.roster.visible():
        assert sum(line.startswith(f"│ {student.student_id} ") for line in lines) == 1
    # a pipe or a file keeps every name whole
    piped = Console(file=io.StringIO(), width=80, color_system=None)
    print_report(demo_store.roster, date(2026, 11, 21), console=piped)
    assert "Shevchenko, Oleksandr" in piped.file.getvalue()  # type: ignore[attr-defined]


async def test_the_notice_after_a_fee_or_retake_change_names_no_key(app: CptApp) -> None:
    """The notice after saving the fee schedule ended "· f edits" (and the retake policy's
    "· w edits"): the screen's hint, not news. The screen's own lines keep their hint."""
    notices: list[str] = []
    app.notify = lambda message, **_: notices.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "·  f edits" in text and "·  w edits" in text
    fees, policy = notices
    assert fees.startswith("New fees from now on; recorded fees are unchanged. Fees now:")
    assert fees.endswith("(since 2026-11-21)") and "edits" not in fees
    assert policy.startswith("New retake policy from now on; earlier waits are unchanged.")
    assert "ready at pass + 5" in policy and "edits" not in policy


@pytest.mark.parametrize(
    ("kinds", "said"),
    [
        (["--diagnostics", "--credentials"], "--diagnostics and --credentials"),
        (["--diagnostics", "--points"], "--diagnostics and --points"),
        (["--attempts", "--credentials"], "--attempts and --credentials"),
        (["--credentials", "--points"], "--credentials and --points"),
    ],
)
def test_export_refuses_two_kinds_of_file_and_says_so(
    demo_path: Path, kinds: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`export --diagnostics --credentials` wrote the credentials report (exit 0, the
    diagnostics flag ignored); `--attempts --credentials` was refused with a half sentence."""
    before = demo_path.read_bytes()
    assert main(["--db", str(demo_path), "export", *kinds, "-"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"cpt-tui: {said}: choose one kind of file\n"
    assert demo_path.read_bytes() == before


def test_report_expiring_keeps_to_the_section_asked_for(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`report --expiring DAYS --section P2` listed every section's CPTs (the option was
    ignored), and an unknown section printed them all with exit 0."""
    db = ["--db", str(demo_path), "report", "--expiring", "3000"]
    assert main([*db, "--section", "p2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("or expired, section P2")  # as the roster writes it
    listed = [line.split()[0] for line in out[2:-1]]
    assert listed == ["S1001", "S1003", "S1010"]
    assert out[-1] == "3 CPTs; 0 can renew now."
    before = demo_path.read_bytes()
    assert main([*db, "--section", "Bogus"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "cpt-tui: no section 'Bogus'; the sections are: Evening, P2\n"
    assert demo_path.read_bytes() == before


def test_log_lines_its_details_up_under_each_other(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The action column was 14 wide and "record practice" is 15: its entries' details
    stood one column right of the others'."""
    assert main(["--db", str(demo_path), "log", "-n", "100"]) == 0
    lines = capsys.readouterr().out.splitlines()
    actions = {line[34:49].strip() for line in lines}
    assert {"record practice", "record"} <= actions
    assert all(line[49] == " " and line[50] != " " for line in lines)
