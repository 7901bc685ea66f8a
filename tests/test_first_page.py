"""Paint first, check the rest after: the app draws the first page of students as soon as
those are checked, checks every other record after its first frame, holds every key (so
every change) until then, and closes with the refusal when a record further down is
damaged, having written nothing."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import orjson
import pytest

from cpt_tui.app import CptApp, create_app
from cpt_tui.reading import page_key, page_path
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.screens.roster import RosterScreen
from cpt_tui.store import Store, StoreError
from cpt_tui.sync import FREEZE_FROM

from .conftest import fixed_clock, settle, table_keys


def damage_the_last_student(path: Path) -> bytes:
    """The student last in ID order gets an empty first name (refused by the model)."""
    data = orjson.loads(path.read_bytes())
    last = max(data["students"].values(), key=lambda s: s["student_id"])
    last["first_name"] = ""
    path.write_bytes(orjson.dumps(data))
    return path.read_bytes()


def test_the_first_page_is_the_first_students_shown_with_all_their_attempts(
    demo_path: Path,
) -> None:
    whole = Store(demo_path, clock=fixed_clock).roster
    store = Store(demo_path, clock=fixed_clock)
    opened = store.first_page(5)
    assert opened is not None
    page, count = opened
    assert count == len(whole.students)
    assert [s.student_id for s in page.students] == [s.student_id for s in whole.active[:5]]
    for student in page.students:
        assert page.attempts_of(student.student_id) == whole.attempts_of(student.student_id)
        assert page.standings[student.student_id] == whole.standings[student.student_id]
        assert page.fee_lines[student.student_id] == whole.fee_lines[student.student_id]
    assert page.fee_history == whole.fee_history
    assert page.retake_policies == whole.retake_policies
    # The rest, once checked, is the whole store.
    assert [s.model_dump() for s in store.finish_open().students] == [
        s.model_dump() for s in whole.students
    ]
    assert store.roster.attempts == whole.attempts


def test_a_damaged_record_below_the_first_page_is_refused_before_any_write(
    demo_path: Path,
) -> None:
    before = damage_the_last_student(demo_path)
    store = Store(demo_path, clock=fixed_clock)
    assert store.first_page(5) is not None  # the first page itself is sound
    with pytest.raises(StoreError, match="a record in students is damaged"):
        store.record_attempt("E2001", "green", fixed_clock().date(), correct=80)
    with pytest.raises(StoreError, match="a record in students is damaged"):
        store.finish_open()
    assert demo_path.read_bytes() == before


def test_a_damaged_first_page_is_left_to_the_full_read(demo_path: Path) -> None:
    data = orjson.loads(demo_path.read_bytes())
    first = min(data["students"].values(), key=lambda s: s["student_id"])
    first["email"] = "not an address"
    demo_path.write_bytes(orjson.dumps(data))
    before = demo_path.read_bytes()
    store = Store(demo_path, clock=fixed_clock)
    assert store.first_page(5) is None
    with pytest.raises(StoreError, match="damaged"):
        store.refresh()
    assert demo_path.read_bytes() == before


class _Held:
    """Store.finish_open, held until the test lets it go."""

    def __init__(self, store: Store) -> None:
        self.go = threading.Event()
        self._finish = store.finish_open
        store.finish_open = self  # type: ignore[method-assign]

    def __call__(self) -> object:
        self.go.wait(30)
        return self._finish()


async def test_keys_wait_for_the_check_and_then_all_land(demo_path: Path) -> None:
    """The roster is drawn from its first page; `2` and a recorded score typed while the
    store is checked change nothing until the check is done, then land in order."""
    store = Store(demo_path, clock=fixed_clock, user="tester")
    opened = store.first_page(3)
    assert opened is not None
    held = _Held(store)
    app = create_app(store, first_page=opened)
    before = demo_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        assert table_keys(app.screen.table) == ["E2001", "E2002", "E2003"]
        assert app.sub_title.endswith("· checking 24 students")
        await pilot.press("2", "r", "6", "4", "enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, RosterScreen)  # held
        assert demo_path.read_bytes() == before
        held.go.set()
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        assert app.sub_title.endswith("· 24 students, 2 dropped hidden")
        assert len(app.screen.grid.keys) == 22  # every student not dropped
    recorded = Store(demo_path, clock=fixed_clock).roster
    assert len(recorded.attempts) == len(Store(demo_path).roster.attempts)
    assert demo_path.read_bytes() != before  # the score typed ahead was saved after the check
    first = recorded.active[0].student_id
    assert any(a.correct == 64 for a in recorded.attempts_of(first))


async def test_a_damaged_record_found_after_the_first_frame_closes_the_app(
    demo_path: Path,
) -> None:
    before = damage_the_last_student(demo_path)
    store = Store(demo_path, clock=fixed_clock, user="tester")
    opened = store.first_page(3)
    assert opened is not None
    app: CptApp = create_app(store, first_page=opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "r", "6", "4", "enter")  # typed meanwhile: never applied
        await settle(pilot)
        await pilot.pause(0.3)
    assert app.return_code == 2
    assert demo_path.read_bytes() == before


# -- the first page kept beside the store ----------------------------------------------------


class _Checks:
    """Counts how often a store's bytes are parsed and checked (Storage.check)."""

    def __init__(self, store: Store) -> None:
        self.calls = 0
        self._check = store.storage.check
        store.storage.check = self  # type: ignore[method-assign]

    def __call__(self, raw: bytes) -> object:
        self.calls += 1
        return self._check(raw)


def test_the_first_page_is_kept_and_drawn_before_the_store_is_parsed(demo_path: Path) -> None:
    first = Store(demo_path, clock=fixed_clock)
    drawn = first.first_page(5)
    first.finish_open()
    kept = page_path(demo_path)
    assert kept.exists() and kept.stat().st_mode & 0o777 == 0o600

    again = Store(demo_path, clock=fixed_clock)
    checks = _Checks(again)
    opened = again.first_page(5)
    assert checks.calls == 0  # drawn from the kept page: the store is not parsed yet
    assert opened is not None and drawn is not None
    assert opened[1] == drawn[1]
    assert [s.model_dump() for s in opened[0].students] == [
        s.model_dump() for s in drawn[0].students
    ]
    assert opened[0].attempts == drawn[0].attempts
    assert again.finish_open().attempts == first.roster.attempts
    assert checks.calls == 1


def test_a_kept_page_of_other_bytes_or_damaged_is_never_drawn(demo_path: Path) -> None:
    first = Store(demo_path, clock=fixed_clock)
    first.first_page(5)
    first.finish_open()
    sid = first.roster.active[0].student_id
    # Another instructor records an attempt: the kept page was made from other bytes.
    Store(demo_path, clock=fixed_clock).record_attempt(
        sid, "green", fixed_clock().date(), correct=90
    )
    opened = Store(demo_path, clock=fixed_clock).first_page(5)
    assert opened is not None
    assert any(a.correct == 90 for a in opened[0].attempts_of(sid))
    # A damaged page file is ignored as well.
    page_path(demo_path).write_bytes(b"\x00not json")
    store = Store(demo_path, clock=fixed_clock)
    checks = _Checks(store)
    opened = store.first_page(5)
    assert checks.calls == 1 and opened is not None
    assert any(a.correct == 90 for a in opened[0].attempts_of(sid))


def test_a_kept_page_over_a_damaged_store_never_lets_a_change_through(demo_path: Path) -> None:
    """Even a page kept for exactly the damaged bytes only paints: the check after the
    first frame refuses the store, and nothing is written."""
    store = Store(demo_path, clock=fixed_clock)
    store.first_page(5)
    store.finish_open()
    page = orjson.loads(page_path(demo_path).read_bytes())
    damaged = damage_the_last_student(demo_path)
    page["key"] = page_key(damaged)
    page_path(demo_path).write_bytes(orjson.dumps(page))
    later = Store(demo_path, clock=fixed_clock)
    assert later.first_page(5) is not None
    with pytest.raises(StoreError, match="damaged"):
        later.record_attempt("E2001", "green", fixed_clock().date(), correct=80)
    assert demo_path.read_bytes() == damaged


def test_closing_keeps_the_page_of_the_store_as_changed(demo_path: Path) -> None:
    store = Store(demo_path, clock=fixed_clock)
    store.first_page(5)
    store.finish_open()
    sid = store.roster.active[0].student_id
    store.record_attempt(sid, "green", fixed_clock().date(), correct=91)
    store.keep_first_page(5)
    again = Store(demo_path, clock=fixed_clock)
    checks = _Checks(again)
    opened = again.first_page(5)
    assert checks.calls == 0 and opened is not None
    assert any(a.correct == 91 for a in opened[0].attempts_of(sid))


@pytest.mark.parametrize("students", [FREEZE_FROM, 24])
async def test_a_large_store_read_whole_is_frozen_once_its_first_frame_is_drawn(
    empty_store: Store, students: int
) -> None:
    """A store opened with no first page kept (its first start, say) is read whole; from
    FREEZE_FROM students its records are frozen out of the collector's full passes after the
    first frame, as the first-page start does (at 10,000 students each pass took 125 to
    140 ms, on whatever key came next). A small class is not frozen."""
    rows = "".join(f"B{n:04},Ann,Lee{n}\n" for n in range(students))
    empty_store.import_roster(b"student_id,first_name,last_name\n" + rows.encode())
    gc.unfreeze()
    app = create_app(Store(empty_store.path, clock=fixed_clock))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert len(app.roster.students) == students
            assert (gc.get_freeze_count() > 0) == (students >= FREEZE_FROM)
    finally:
        gc.unfreeze()  # the next test in this process starts as it would alone
