"""Made for SSH: small windows, no colour, no mouse, a quick Escape, a remembered theme."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cpt_tui import settings
from cpt_tui.app import MIN_SIZE, CptApp, create_app
from cpt_tui.cli import main
from cpt_tui.screens.dialogs import TooSmallScreen
from cpt_tui.screens.roster import RosterScreen
from cpt_tui.store import Store
from cpt_tui.widgets.virtual_table import VirtualTable

from .conftest import screen_text, settle


async def test_a_window_too_small_says_so_and_recovers(app: CptApp) -> None:
    async with app.run_test(size=(MIN_SIZE[0] - 1, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert "too small" in screen_text(app) and f"{MIN_SIZE[0]}x{MIN_SIZE[1]}" in screen_text(
            app
        )
        await pilot.press("q")  # keys do nothing meanwhile
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        await pilot.resize_terminal(80, MIN_SIZE[1] - 1)
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)


async def test_every_screen_works_at_the_minimum_size(app: CptApp) -> None:
    async with app.run_test(size=MIN_SIZE) as pilot:
        for key, words in (("1", "Martinez"), ("2", "hold the full CPT"), ("3", "22 shown")):
            await pilot.press(key)
            await settle(pilot)
            assert words in screen_text(app), screen_text(app)


async def test_the_high_contrast_theme_is_chosen_and_remembered(demo_store: Store) -> None:
    first = create_app(demo_store, theme="high-contrast")
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert first.theme == "high-contrast"
        first.theme = "textual-light"  # as the palette's Theme command does
        await settle(pilot)
    assert settings.load()["theme"] == "textual-light"
    assert settings.settings_path().stat().st_mode & 0o777 == 0o600
    again = create_app(demo_store)
    async with again.run_test(size=(80, 24)):
        assert again.theme == "textual-light"


def test_the_app_runs_without_the_mouse_and_with_a_quick_escape(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def fake_run(self: CptApp, **kwargs: object) -> None:
        seen.update(kwargs, theme=self.theme, escdelay=os.environ.get("ESCDELAY"))

    monkeypatch.delenv("ESCDELAY", raising=False)
    monkeypatch.setattr(CptApp, "run", fake_run)
    assert main(["--db", str(demo_path), "--theme", "high-contrast"]) == 0
    assert seen == {"mouse": False, "theme": "high-contrast", "escdelay": "25"}
    monkeypatch.setenv("ESCDELAY", "200")  # the user's own setting wins
    assert main(["--db", str(demo_path)]) == 0
    assert seen["escdelay"] == "200"


def test_an_unknown_theme_is_refused(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_path), "--theme", "neon"]) == 2
    err = capsys.readouterr().err
    assert "no theme 'neon'" in err and "high-contrast" in err


async def test_wide_tables_scroll_sideways_with_id_and_name_frozen(app: CptApp) -> None:
    async with app.run_test(size=(70, 24)) as pilot:
        await settle(pilot)
        first_row = screen_text(app).splitlines()[2]
        assert "Reed, Marcus" in first_row and "Spring 2026" not in first_row
        await pilot.press("right", "right", "right")
        await settle(pilot)
        first_row = screen_text(app).splitlines()[2]
        assert first_row.startswith(" E2001 Reed, Marcus")  # still there, frozen
        assert "Spring 2026" in first_row  # the term scrolled into view


async def test_the_drawn_cursor_follows_the_keys(app: CptApp) -> None:
    """Lines are drawn once and kept: a move must redraw the row left and the row reached."""

    def highlighted(table: VirtualTable) -> list[str]:
        cursor = table.get_component_rich_style("vtable--cursor").bgcolor
        return [
            "".join(s.text for s in table.render_line(y)).split()[0]
            for y in range(1, 6)
            if any(s.style and s.style.bgcolor == cursor for s in table.render_line(y))
        ]

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(VirtualTable)
        assert highlighted(table) == ["E2001"]
        await pilot.press("j", "j")
        await settle(pilot)
        assert highlighted(table) == ["E2003"]
        await pilot.press("k")
        await settle(pilot)
        assert highlighted(table) == ["E2002"]
        await pilot.press("2", "j", "l")  # the grid: one cell, not the row
        await settle(pilot)
        grid = app.screen.query_one(VirtualTable)
        assert highlighted(grid) == ["E2002"]  # Kowalski's row, its ID first
        grid_row = grid.render_line(2)
        cursor = grid.get_component_rich_style("vtable--cursor").bgcolor
        lit = "".join(s.text for s in grid_row if s.style and s.style.bgcolor == cursor)
        assert lit.strip().startswith("✓ 83.3")  # Quality, the second module
