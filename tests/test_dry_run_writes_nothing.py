"""A dry run writes nothing at all: no store, no folder, no lock, no backup (it once took the
store's lock, which made the folder and `s.json.lock`). Only the app and a real import start
a store; every command that only reads says there is none and exits 2, leaving no trace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cpt_tui.store import Store

from .conftest import FIXTURES
from .conftest import run_cli as cli

KINDS = {
    "roster": ([], "student_id,first_name,last_name\nA1,Ada,Lovelace\n"),
    "attempts": (["--attempts"], "student_id,module,date,correct\nA1,safety,2026-03-14,70\n"),
    "diagnostics": (
        ["--diagnostics"],
        "student_id,module,date,activity,percent\nA1,safety,2026-03-14,1,80\n",
    ),
    "credentials": (["--credentials"], "student_id,credential,certificate_number\nA1,cpt,C-1\n"),
    "points": (["--points"], "student_id,date,category,points,note\nA1,2026-03-14,other,5,\n"),
}


def everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


def test_a_roster_dry_run_on_a_path_with_no_store_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "roster.csv"
    file.write_text(KINDS["roster"][1])
    place = tmp_path / "place"
    place.mkdir()
    db = place / "none" / "s.json"
    assert cli(db, "import", str(file), "--dry-run") == 0
    out = capsys.readouterr().out
    assert f"no store at {db} yet: the file is checked against an empty roster" in out
    assert "would import roster: 1 new, 0 updated, 0 unchanged, 0 rejected" in out
    assert "nothing written" in out
    assert everything_under(place) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_of_dry_run_on_a_missing_store_creates_no_file_or_folder(
    tmp_path: Path, kind: str
) -> None:
    flags, text = KINDS[kind]
    file = tmp_path / "in.csv"
    file.write_text(text)
    place = tmp_path / "place"
    place.mkdir()
    # The roster's checks pass on an empty store; the others refuse A1 (not on the roster):
    # either way, exit 0 or 2, nothing is made.
    assert cli(place / "none" / "s.json", "import", *flags, str(file), "--dry-run") in (0, 2)
    assert everything_under(place) == []


def test_a_refused_import_on_a_missing_store_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "attempts.csv"
    file.write_text(KINDS["attempts"][1])
    place = tmp_path / "place"
    place.mkdir()
    assert cli(place / "none" / "s.json", "import", "--attempts", str(file)) == 2
    assert "student ID 'A1' is not on the roster" in capsys.readouterr().err
    assert everything_under(place) == []


def test_a_real_import_on_a_missing_store_starts_it(tmp_path: Path) -> None:
    file = tmp_path / "roster.csv"
    file.write_text(KINDS["roster"][1])
    db = tmp_path / "new" / "s.json"
    assert cli(db, "import", str(file)) == 0
    assert Store(db).roster.by_id["A1"].full_name == "Ada Lovelace"
    assert (db.parent.stat().st_mode & 0o777) == 0o700


def test_a_dry_run_on_a_store_takes_no_lock_and_changes_no_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    place = tmp_path / "place"
    place.mkdir()
    db = place / "roster.json"
    shutil.copyfile(FIXTURES / "demo-roster.json", db)
    db.chmod(0o600)
    before = db.read_bytes()
    file = tmp_path / "roster.csv"
    file.write_text("student_id,first_name,last_name\nS1001,Ava,Martinez\nA1,Ada,Lovelace\n")
    assert cli(db, "import", str(file), "--dry-run") == 0
    assert "1 new, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert everything_under(place) == [db]
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["report"],
        ["report", "--diagnostics"],
        ["report", "--expiring", "90"],
        ["log"],
        ["export", "-"],
        ["export", "--credentials", "-"],
        ["export", "--points", "-"],
        ["testday"],
        ["recertify", "E2002"],
    ],
)
def test_a_command_that_only_reads_refuses_a_missing_store_and_makes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    place = tmp_path / "place"
    place.mkdir()
    db = place / "none" / "s.json"
    assert cli(db, *command) == 2
    assert f"no store at {db}" in capsys.readouterr().err
    assert everything_under(place) == []
