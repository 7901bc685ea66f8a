"""Reading a store's records into models: all of them, a slice at a time, or the first page.

Every record is checked by pydantic before any figure that depends on it is shown. The app
paints first: it checks the first page of students (and their attempts) before drawing
them, and every other record after its first frame (`Store.first_page`, `finish_open`).
"""

from __future__ import annotations

import contextlib
import gc
import heapq
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from .core.models import Attempt, FeeSchedule, RetakePolicy, Student
from .core.roster import Roster

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


def first_page_of(data: dict[str, Any], size: int) -> Roster:
    """The roster of the first `size` students not dropped, in ID order, with all their
    attempts and the fee and retake histories, each of those records checked: what the
    roster screen shows first. Raises ValidationError (or KeyError, TypeError for a record
    too damaged to sort) when one of them is damaged."""
    shown = (d for d in data.get("students", {}).values() if d.get("status") != "dropped")
    first = heapq.nsmallest(size, shown, key=lambda d: str(d["student_id"]))
    ids = {d["student_id"] for d in first}
    theirs = [d for d in data.get("attempts", {}).values() if d["student_id"] in ids]
    return Roster(
        tuple(STUDENTS.validate_python(first)),
        tuple(ATTEMPTS.validate_python(theirs)),
        fee_history(data),
        retake_policies=retake_policies(data),
    )
