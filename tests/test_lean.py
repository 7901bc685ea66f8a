"""What keeps cpt-tui fast at district scale, proven on its output, never on a clock:
workers carry a short description, and the lean builders print exactly what the plain
ones did."""

from __future__ import annotations

from pathlib import Path

from textual.worker import Worker

from cpt_tui import app as app_module
from cpt_tui.app import CptApp
from cpt_tui.store import Store

from .conftest import settle


class _Watched(CptApp):
    """The app as it is, noting every worker it starts."""

    CSS_PATH = Path(app_module.__file__).parent / "app.tcss"
    seen: list[Worker[object]]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.seen.append(event.worker)


async def test_every_worker_has_a_short_description(demo_store: Store) -> None:
    """Textual takes repr() of a worker's callable when it has no description: for the
    warm-up that was the whole roster (6.8 million characters at 10,000 students), built on
    the UI thread after every saved change."""
    app = _Watched(demo_store)
    app.seen = []
    before = len(demo_store.roster.attempts)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "r", "6", "4", "enter", "enter")  # record 64: a saved change
        await settle(pilot)
        await pilot.pause(1.2)  # the store poll runs once a second
        await settle(pilot)
    assert len(demo_store.roster.attempts) == before + 1
    groups = {worker.group for worker in app.seen}
    assert {"warm", "store", "poll"} <= groups
    for worker in app.seen:
        assert worker.description
        assert len(worker.description) <= 60, worker.group
