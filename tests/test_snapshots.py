"""SVG snapshots at 80x24, one class per screen. Review the report before --snapshot-update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from cpt_tui.app import CptApp, create_app
from cpt_tui.store import Store

from .conftest import settle, type_text

Snap = Callable[..., bool]
SIZE = (80, 24)


@pytest.fixture(params=["colour", "no_color"])
def demo_app(
    request: pytest.FixtureRequest, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> CptApp:
    """The demo app in colour, and as a terminal with NO_COLOR set sees it."""
    if request.param == "colour":
        monkeypatch.delenv("NO_COLOR", raising=False)
    # demo=True: the header says "demo copy", not a temporary path that changes every run
    return create_app(demo_store, demo=True)


def steps(*actions: str | tuple[str, str]) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Keys (or ("type", text)) pressed one after another, letting every save finish."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for action in actions:
            if isinstance(action, tuple):
                await type_text(pilot, action[1])
            else:
                await pilot.press(action)
            await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run


class TestRoster:
    def test_roster(self, snap_compare: Snap, demo_app: CptApp) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps())

    def test_add_form_with_a_validation_error(self, snap_compare: Snap, demo_app: CptApp) -> None:
        run = steps(
            "a", ("type", "E2001"), "tab", ("type", "Ada"), "tab", "tab", ("type", "ada@"), "enter"
        )
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_delete_confirmation(self, snap_compare: Snap, demo_app: CptApp) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("j", "d"))

    def test_help(self, snap_compare: Snap, demo_app: CptApp) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("question_mark"))

    def test_export_dialog(self, snap_compare: Snap, demo_app: CptApp) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("x"))

    def test_filtered_with_dropped_shown(self, snap_compare: Snap, demo_app: CptApp) -> None:
        run = steps("v", "slash", ("type", "p2"), "enter")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)


class TestProgress:
    def test_grid_on_the_demo_roster(self, snap_compare: Snap, demo_app: CptApp) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("2"))

    def test_record_dialog_with_a_refused_score(self, snap_compare: Snap, demo_app: CptApp) -> None:
        run = steps("2", "j", "j", "j", "l", "l", "r", ("type", "84"), "enter")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_detail_of_a_certified_student(self, snap_compare: Snap, demo_app: CptApp) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("2", "j", "enter"))


class TestFees:
    def test_fees_on_the_demo_roster(self, snap_compare: Snap, demo_app: CptApp) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("3"))

    def test_planner(self, snap_compare: Snap, demo_app: CptApp) -> None:
        run = steps("3", "n", ("type", "20"), "tab", ("type", "25"))
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_fee_schedule_dialog(self, snap_compare: Snap, demo_app: CptApp) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("3", "f"))
