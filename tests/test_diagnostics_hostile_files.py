"""Diagnostics files from outside: known by their activity column, and hostile ones (random
bytes, ragged rows, formulas, huge cells) refused with their lines, never a crash."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

import pytest

from cpt_tui.core.csvio import CsvError
from cpt_tui.core.diagnostics_csv import is_diagnostics_file
from cpt_tui.store import Store

HEADER = "student_id,module,date,activity,percent\n"


@pytest.fixture
def store(empty_store: Store, add_student: Callable[..., object]) -> Store:
    """S1, who sat Safety on 2026-03-02: some generated rows name that assessment."""
    add_student(empty_store, "S1", "Ada", "Lovelace", section="A")
    empty_store.record_attempt("S1", "safety", date(2026, 3, 2), correct=60)
    return empty_store


def test_a_diagnostics_file_is_known_by_its_activity_column() -> None:
    assert is_diagnostics_file(b"\xef\xbb\xbfstudent_id,module,date,activity,percent\r\n")
    assert is_diagnostics_file(b"Student ID,Module,Date,Key Work Activity,Percent\n")
    assert not is_diagnostics_file(b"student_id,module,date,correct,percent,passed,fee\n")
    assert not is_diagnostics_file(b"id,first,last\n")
    assert not is_diagnostics_file(b"")


def test_hostile_diagnostics_files_never_crash_and_change_nothing(store: Store) -> None:
    """300 generated files: random bytes, BOMs, ragged rows, formulas, huge and odd cells,
    control characters, numbers out of range. Each is imported, refused with its lines, or
    refused as unreadable (CsvError): never another exception, and a refusal writes nothing."""
    rng = random.Random(16)
    cells = [
        "S1",
        "s1",
        " S1 ",
        "S9",
        "",
        "safety",
        "Safety",
        "SAFETY",
        "welding",
        "maintenance",
        "2026-03-02",
        "3/2/2026",
        "2026-02-30",
        "2099-01-01",
        "1",
        "10",
        "11",
        "0",
        "-1",
        "Emergency drills and teams",
        "=cmd|' /C calc'!A0",
        "'=1+1",
        "50",
        "100",
        "101",
        "72.5",
        "1e2",
        "NaN",
        "\x1b[2J",
        "\u202e",
        "x" * 5000,
        "\x00",
        "percent",
        "%",
    ]
    for trial in range(300):
        kind = trial % 3
        if kind == 0:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        else:
            rows = [HEADER.strip()] if kind == 1 else [",".join(rng.sample(cells, 5))]
            for _ in range(rng.randrange(0, 8)):
                width = rng.choice([3, 5, 5, 5, 7])
                rows.append(",".join(rng.choice(cells) for _ in range(width)))
            text = "\r\n".join(rows)
            data = (("\ufeff" if rng.random() < 0.3 else "") + text).encode(
                "utf-8", "surrogatepass"
            )
        before = store.path.read_bytes()
        try:
            plan = store.import_diagnostics(data)
        except CsvError:
            assert store.path.read_bytes() == before
            continue
        if not plan.ok:
            assert store.path.read_bytes() == before
            assert all(line >= 1 and reason for line, reason in plan.errors)
