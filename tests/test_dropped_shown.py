"""Dropped students, hidden until `v` and said so: the title's count, their names on the
narrow Progress grid, and the Fees totals after `v` (SPEC: "dropped students are hidden on
every screen until `v` shows them … a total of the students shown says so"). Each test
failed before its fix; the demo has 24 students, two of them dropped (E2007, S1009)."""

from __future__ import annotations

from pathlib import PurePath

import pytest
from rich.text import Text

from cpt_tui.app import CptApp
from cpt_tui.core.labels import short_path
from cpt_tui.screens.fees import FeesScreen
from cpt_tui.screens.progress import ProgressScreen, short_name
from cpt_tui.widgets.virtual_table import VirtualTable

from .conftest import screen_text, settle


async def test_the_title_says_how_many_are_dropped_and_whether_hidden(app: CptApp) -> None:
    """It read "24 students" with 22 on screen, and the same after `v`."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.sub_title.endswith(" · 24 students, 2 dropped hidden")
        await pilot.press("v")
        await settle(pilot)
        assert app.sub_title.endswith(" · 24 students, 2 dropped")
        assert "r.json · 24 students, 2 dropped" in screen_text(app).splitlines()[0]


async def test_a_dropped_students_name_shows_on_the_progress_grid(app: CptApp) -> None:
    """The grid's name column is 11 wide: `(dropped) Al-Sayed, F` left `(dropped) …`, no
    name. The name now shows, struck through and dim; a name short enough keeps the mark."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v", "2")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        grid = app.screen.query_one(VirtualTable)
        width = grid.columns[1].width
        row = next(line for line in screen_text(app).splitlines() if "E2007" in line)
        assert "Al-Sayed, F" in row and "(dropped)" not in row
        fatima = app.roster.by_id["E2007"]
        name = short_name(fatima, width)
        assert (name.plain, str(name.style)) == ("Al-Sayed, F", "dim strike")
        roomy = short_name(fatima, 40)
        assert (roomy.plain, str(roomy.style)) == ("(dropped) Al-Sayed, Fatima", "dim")
        reed = short_name(app.roster.by_id["E2001"], width)
        assert reed == Text("Reed, M")


async def test_the_fees_totals_keep_every_line_after_v(app: CptApp) -> None:
    """After `v` twice on Fees, the new "22 shown" line pushed "All 24, 2 dropped" off the
    screen: the totals were laid out again only when their sections changed."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v", "3")
        await settle(pilot)
        assert isinstance(app.screen, FeesScreen)
        text = screen_text(app)
        assert "All 24, 2 dropped" in text and "shown" not in text  # all shown: one total
        await pilot.press("v")
        await settle(pilot)
        text = screen_text(app)
        assert "22 shown" in text
        assert "All 24, 2 dropped" in text


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/home/ms/.local/share/cpt-tui/roster.json", "~/.local/share/cpt-tui/roster.json"),
        ("/home/ms/r.json", "~/r.json"),
        ("/tmp/lead/r.json", "/tmp/lead/r.json"),
        ("roster.json", "roster.json"),
        ("/srv/cte/shared/2026-fall/section-p2/roster.json", "…/section-p2/roster.json"),
        ("/home/ms/terms/2026-fall/evening-section/roster.json", "…/evening-section/roster.json"),
        ("/tmp/pytest-of-ms/pytest-7/test_the_title_says_how_man0/r.json", "…/r.json"),
    ],
)
def test_the_title_shows_a_long_path_by_its_folder_and_name(path: str, shown: str) -> None:
    """A long path pushed the count off an 80-column title: it is cut to what tells which
    roster it is."""
    assert short_path(PurePath(path), PurePath("/home/ms")) == shown
