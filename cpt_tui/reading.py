"""Reading a store's records into models: all of them, a slice at a time, or the first page.

Every record is checked by pydantic before any figure that depends on it is shown. The app
paints first: it checks the first page of students (and their attempts) before drawing
them, and every other record after its first frame (`Store.first_page`, `finish_open`).
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import TypeAdapter, ValidationError

from .core.models import Attempt, FeeSchedule, RetakePolicy, Student
from .core.roster import Roster
from .storage import StoreError, read_regular_file, write_new_file

PAGE_LIMIT = 16 * 1024 * 1024
"""A kept first page larger than this is not read (it never is: 200 students)."""

STUDENTS = TypeAdapter(list[Student])
ATTEMPTS = TypeAdapter(list[Attempt])
FEES = TypeAdapter(list[FeeSchedule])
RETAKES = TypeAdapter(list[RetakePolicy])

R = TypeVar("R")

SLICE = 2_000
"""Records checked per call by `checked_in_slices`."""


@contextlib.contextmanager
def kept_for_long() -> Iterator[None]:
    """Around reading a store: the hundreds of thousands of objects it is read into (at
    10,000 students) live until it is read again.

    The cyclic garbage collector would walk them over and over as they are made (a third of
    the read): it is paused while they are. Nothing is frozen here: a freeze keeps whatever
    garbage exists at that moment for the rest of the process, and a store is read again
    whenever a colleague changes it (see `freeze_what_lives` for the one freeze).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def freeze_what_lives() -> None:
    """Once, when the app has read a large store at its start: collect, then freeze what
    is left (the store's records, the screens) out of later full collections.

    The collection first is what makes the freeze safe: a freeze keeps every object then
    tracked, garbage included, for good. Never after each change: that would pin whatever
    garbage each change left (memory growing with the length of a class), and collecting
    before each would pause every change.
    """
    gc.collect()
    gc.freeze()


def checked(adapter: TypeAdapter[list[R]], records: list[Any]) -> list[R]:
    """Every record checked in one call (ValidationError counts every error)."""
    return adapter.validate_python(records)


def checked_in_slices(adapter: TypeAdapter[list[R]], records: list[Any]) -> list[R]:
    """`checked`, a slice at a time: pydantic keeps the interpreter for the whole of one
    call (a second for 100,000 attempts), and a worker thread checking a store would keep
    the UI from drawing for that long. A damaged slice is checked again whole, so that the
    refusal counts every error, as `checked` does."""
    models: list[R] = []
    try:
        for start in range(0, len(records), SLICE):
            models += adapter.validate_python(records[start : start + SLICE])
    except ValidationError:
        return checked(adapter, records)
    return models


def fee_history(data: dict[str, Any]) -> tuple[FeeSchedule, ...]:
    """The default schedule, then the stored ones, oldest first."""
    fees = sorted(
        FEES.validate_python(list(data.get("fees", {}).values())),
        key=lambda f: f.effective_from,
    )
    return Roster().fee_history + tuple(fees)


def retake_policies(data: dict[str, Any]) -> tuple[RetakePolicy, ...]:
    """The default retake policy, then the stored ones, oldest first."""
    policies = sorted(
        RETAKES.validate_python(list(data.get("retakes", {}).values())),
        key=lambda p: p.effective_from,
    )
    return Roster().retake_policies + tuple(policies)


def first_page_records(data: dict[str, Any], size: int) -> dict[str, Any]:
    """The stored records of the first `size` students not dropped, in ID order, with all
    their attempts and the fee and retake histories: what the roster screen shows first
    (`first_page_of` checks them). KeyError or TypeError for a record too damaged to sort."""
    shown = (d for d in data.get("students", {}).values() if d.get("status") != "dropped")
    first = heapq.nsmallest(size, shown, key=lambda d: str(d["student_id"]))
    ids = {d["student_id"] for d in first}
    theirs = [d for d in data.get("attempts", {}).values() if d["student_id"] in ids]
    return {
        "size": size,
        "count": len(data.get("students", {})),
        "students": first,
        "attempts": theirs,
        "fees": data.get("fees", {}),
        "retakes": data.get("retakes", {}),
    }


def first_page_of(page: dict[str, Any]) -> tuple[Roster, int]:
    """The roster of `first_page_records` with each record checked, and the number of
    students in the store. ValidationError (or KeyError, TypeError) when one is damaged."""
    roster = Roster(
        tuple(STUDENTS.validate_python(page["students"])),
        tuple(ATTEMPTS.validate_python(page["attempts"])),
        fee_history(page),
        retake_policies=retake_policies(page),
    )
    return roster, int(page["count"])


# -- the first page kept beside the store ----------------------------------------------------


def page_path(store: Path) -> Path:
    """Where the first page of a store is kept for the next start (beside the store)."""
    return store.with_name(store.name + ".page")


def page_key(raw: bytes) -> str:
    """What a kept page was made from: the store's bytes (their length and CRC-32)."""
    return f"{len(raw)}:{zlib.crc32(raw):08x}"


def kept_page(store: Path, key: str, size: int) -> tuple[Roster, int] | None:
    """The first page kept for exactly these store bytes, each record checked again; None
    when there is none, it was made from other bytes or for another size, or it is damaged
    in any way (the store is then read whole: the page is only ever a head start)."""
    try:
        page = orjson.loads(read_regular_file(page_path(store), PAGE_LIMIT, "a page"))
        if not isinstance(page, dict) or page.get("key") != key or page.get("size") != size:
            return None
        return first_page_of(page)
    except (OSError, StoreError, ValueError, KeyError, TypeError, AttributeError):
        return None


def keep_page(store: Path, key: str, page: dict[str, Any], mode: int, group: int) -> None:
    """Keep `page` (made from the store bytes `key` names) for the next start: a file with
    the store's own access, replaced whole. A failure only costs the next start its head
    start, so it is not reported."""
    text = orjson.dumps({"key": key, **page}).decode()
    with contextlib.suppress(OSError, StoreError):
        write_new_file(page_path(store), text, overwrite=True, mode=mode, group=group)
