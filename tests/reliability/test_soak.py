"""Memory stays flat however long a session runs: hundreds of rounds of keys, changes, undos,
screens and dialogs opened and closed leave no more live objects than a few rounds do."""

from __future__ import annotations

import gc
import itertools

from textual.pilot import Pilot

from cpt_tui.app import create_app
from cpt_tui.store import Store

from ..conftest import send_keys, settle
from .conftest import record

WARM_UP = 42
"""Rounds before the first count: Textual's caches and the screens fill up first."""
STEP, COUNTS = 21, 13
"""Live objects counted every STEP rounds, COUNTS times (252 rounds after the warm-up)."""
WINDOW = 5
"""Counts in the early window (the first five) and the late one (the last five). A count
wanders by a few hundred objects either way (a cache refilled, a callback still queued when
the collector ran: 652 over 84 rounds once in CI, then -530 over the next 168), always
upwards from the floor of what lives for good. So each window keeps its lowest count, and a
leak shows as the late floor standing above the early one: from the early window's first
count to the late window's first there are STEP * (COUNTS - WINDOW) = 168 rounds."""
ALLOWED_PER_ROUND = 5
"""Live objects a round may add for good: the audit trail keeps one entry a change (data,
not a leak: it is what `log` reads); anything else that stays is a leak. A leak of three
objects a round lifts the late floor by ~500; a screen or dialog kept by mistake is
thousands at once."""

VISITS = (
    ("question_mark", "escape"),  # help
    ("1", "a", "escape", "2"),  # the add form
    ("1", "d", "n", "2"),  # the delete question
    ("i", "escape"),  # the import dialog
    ("x", "escape"),  # the export dialog
    ("3", "1", "2"),  # Fees and Roster
    ("enter", "escape"),  # the student's detail
)
"""A screen or dialog opened and closed each round, in turn, from Progress."""


def live_objects() -> int:
    """Every object the collector tracks, frozen ones too (gc.get_objects leaves them out)."""
    gc.collect()
    return len(gc.get_objects()) + gc.get_freeze_count()


async def counted(pilot: Pilot[None]) -> int:
    """Live objects with no notice on screen: a notice is a widget with its renderables
    (~500 objects) that shows for a few seconds, there or gone at a count by the clock."""
    pilot.app.clear_notifications()
    await press(pilot)
    return live_objects()


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Keys sent in one burst, then until they, the store changes they started and what
    those set off are all handled: waits on each of those, never until the process looks
    idle (as `pilot.press` and `settle` do, 50 ms or more a key), so a round costs what the
    app's work costs."""
    send_keys(pilot.app, *keys)
    for _ in range(2):  # a change's result may start more work: follow it once more
        await pilot.app.typed_keys_handled()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0)


async def one_round(pilot: Pilot[None], number: int) -> None:
    """On Progress: a change (`p` buys the cell's supplement) and its undo (`u`), then one
    screen or dialog opened and closed."""
    for key in ("p", "u"):
        await press(pilot, key)
    await press(pilot, *VISITS[number % len(VISITS)])


async def test_memory_is_flat_over_hundreds_of_rounds(demo_store: Store) -> None:
    app = create_app(demo_store)
    counts: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        rounds = itertools.count()
        for number in itertools.islice(rounds, WARM_UP):
            await one_round(pilot, number)
        counts.append(await counted(pilot))
        while len(counts) < COUNTS:
            for number in itertools.islice(rounds, STEP):
                await one_round(pilot, number)
            counts.append(await counted(pilot))
        played = next(rounds)
        changes = len(demo_store.audit(10_000))
    early, late = min(counts[:WINDOW]), min(counts[-WINDOW:])
    apart = STEP * (COUNTS - WINDOW)
    record(
        "memory (test_soak.py::test_memory_is_flat_over_hundreds_of_rounds)",
        rounds=played,
        changes=changes,
        live_objects_after_warm_up=counts[0],
        counts_minus_the_first=[count - counts[0] for count in counts],
        **{f"floor_growth_over_{apart}_rounds": late - early},
        frozen=gc.get_freeze_count(),
    )
    assert changes >= 2 * played  # every p and u was a change
    assert late - early <= ALLOWED_PER_ROUND * apart
