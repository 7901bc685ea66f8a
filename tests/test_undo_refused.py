"""A refused undo (someone else changed the same records since) says why and is dropped:
the next `u` goes on to the change before it, so one refusal never blocks the rest."""

from __future__ import annotations

from datetime import date

import pytest

from cpt_tui.app import create_app
from cpt_tui.storage import StoreError, WriteFailed
from cpt_tui.store import Store

from .conftest import fixed_clock, settle


def test_a_refused_undo_is_dropped_and_the_next_undo_goes_on(demo_store: Store) -> None:
    demo_store.record_attempt("S1003", "quality", date(2026, 11, 20), correct=70)
    demo_store.toggle_supplement("S1002", "green")
    Store(demo_store.path, clock=fixed_clock).toggle_supplement("S1002", "production")
    with pytest.raises(StoreError, match="changed since by someone else.*dropped.*record S1003"):
        demo_store.undo()
    assert demo_store.can_undo
    label = demo_store.undo()
    assert label is not None and label.startswith("record S1003")
    fresh = Store(demo_store.path).roster
    assert fresh.attempts_of("S1003") == demo_store.roster.attempts_of("S1003")
    assert set(fresh.by_id["S1002"].supplements) >= {"green", "production"}  # theirs kept
    assert not demo_store.can_undo


def test_the_last_refused_undo_says_there_is_nothing_left(demo_store: Store) -> None:
    demo_store.toggle_supplement("S1002", "green")
    Store(demo_store.path, clock=fixed_clock).toggle_supplement("S1002", "production")
    with pytest.raises(StoreError, match="nothing else to undo"):
        demo_store.undo()
    assert demo_store.undo() is None


def test_an_undo_that_could_not_be_written_is_kept_to_try_again(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_store.toggle_supplement("S1002", "green")

    def full(*args: object, **kwargs: object) -> None:
        raise WriteFailed("could not save: the disk is full. Nothing was changed.")

    monkeypatch.setattr(demo_store.storage, "write", full)
    with pytest.raises(WriteFailed):
        demo_store.undo()
    monkeypatch.undo()
    assert demo_store.undo() is not None
    assert "green" not in Store(demo_store.path).roster.by_id["S1002"].supplements


async def test_u_after_a_refused_undo_undoes_the_change_before(demo_store: Store) -> None:
    app = create_app(demo_store)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        demo_store.record_attempt("S1003", "quality", date(2026, 11, 20), correct=70)
        demo_store.toggle_supplement("S1002", "green")
        Store(demo_store.path, clock=fixed_clock).toggle_supplement("S1002", "production")
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
    assert not any(
        a.taken_on == date(2026, 11, 20) and a.module == "quality"
        for a in Store(demo_store.path).roster.attempts_of("S1003")
    )
