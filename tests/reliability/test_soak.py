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

WARM_UP = 21
"""Rounds before the first count: Textual's caches and the screens fill up first."""
FIRST, SECOND = 84, 168
"""Counted after FIRST more rounds, then after SECOND more: a leak grows with the rounds.
The count wanders by a few hundred objects between runs either way (caches, when the
collector last ran), so a window needs about a hundred rounds before a leak of a few objects
a round stands out of it; a screen or dialog kept by mistake is thousands at once."""
ALLOWED_PER_ROUND = 5
"""Live objects a round may add for good: the audit trail keeps one entry a change (data,
not a leak: it is what `log` reads); anything else that stays is a leak."""

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
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        rounds = iter(range(WARM_UP + FIRST + SECOND))
        for number in itertools.islice(rounds, WARM_UP):
            await one_round(pilot, number)
        start = await counted(pilot)
        for number in itertools.islice(rounds, FIRST):
            await one_round(pilot, number)
        middle = await counted(pilot)
        for number in rounds:
            await one_round(pilot, number)
        end = await counted(pilot)
        changes = len(demo_store.audit(10_000))
    first_growth, second_growth = middle - start, end - middle
    record(
        "memory (test_soak.py::test_memory_is_flat_over_hundreds_of_rounds)",
        rounds=WARM_UP + FIRST + SECOND,
        changes=changes,
        live_objects_after_warm_up=start,
        **{f"growth_over_{FIRST}_rounds": first_growth},
        **{f"growth_over_{SECOND}_more": second_growth},
        frozen=gc.get_freeze_count(),
    )
    assert changes >= 2 * (WARM_UP + FIRST + SECOND)  # every p and u was a change
    assert second_growth <= ALLOWED_PER_ROUND * SECOND
    assert first_growth <= ALLOWED_PER_ROUND * FIRST
