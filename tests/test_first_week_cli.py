"""The command line as a new instructor meets it (issue 14, items 1, 2, 5 and 11): a closed
pipe, `log -n`, a mistyped store or section, the dry run naming ID matches, dropped
students' charges in `report`, and an audit trail that says what changed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import cast

import pytest

from cpt_tui.cli import DEMO_AS_OF, SAMPLES, dated_demo, dated_samples, main
from cpt_tui.store import Store

from .conftest import FIXTURES

ROOT = Path(__file__).parent.parent


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cpt_tui", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["report"],
        ["log", "-n", "50"],
        ["export", "-"],
    ],
)
def test_output_cut_short_by_a_closed_pipe_ends_quietly_with_exit_0(
    demo_path: Path, command: list[str]
) -> None:
    """`report | head -1`: the reader closes the pipe after one line."""
    program = [sys.executable, "-m", "cpt_tui", "--db", str(demo_path), *command]
    with subprocess.Popen(
        program, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # as `head -1` does
        err = proc.stderr.read()
        code = proc.wait(timeout=120)
    assert (code, err) == (0, b"")


def test_log_n_0_prints_nothing_and_a_negative_count_is_refused(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(demo_path), "log", "-n", "0"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--db", str(demo_path), "log", "-n", "2"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    refused = cli("--db", str(demo_path), "log", "-n", "-3")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "-3 is negative: give 0 or more" in refused.stderr


@pytest.mark.parametrize("command", [["report"], ["log"], ["export", "-"]])
def test_a_mistyped_store_path_is_named_and_exits_2(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "rosetr.json"
    done = cli("--db", str(missing), *command)
    assert done.returncode == 2 and done.stdout == ""
    assert f"no store at {missing}" in done.stderr
    assert not missing.exists()  # nothing created by a command that only reads


def test_an_import_may_start_a_new_store(tmp_path: Path) -> None:
    csv_file = tmp_path / "r.csv"
    csv_file.write_text("student_id,first_name,last_name\nA1,Ann,Lee\n")
    store = tmp_path / "new.json"
    assert cli("--db", str(store), "import", str(csv_file)).returncode == 0
    assert store.exists()


def test_an_unknown_section_exits_2_and_lists_the_sections(demo_path: Path) -> None:
    done = cli("--db", str(demo_path), "report", "--section", "P3")
    assert done.returncode == 2 and done.stdout == ""
    assert "no section 'P3'; the sections are: Evening, P2" in done.stderr
    assert cli("--db", str(demo_path), "report", "--section", "p2").returncode == 0


@pytest.mark.parametrize(
    "command",
    [["report"], ["report", "--diagnostics"], ["report", "--expiring", "30"], ["testday"]],
)
def test_every_command_refuses_an_unknown_section_in_the_same_words(
    demo_path: Path, command: list[str]
) -> None:
    done = cli("--db", str(demo_path), *command, "--section", "P3")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().endswith("no section 'P3'; the sections are: Evening, P2")


def test_report_fee_totals_include_dropped_students_and_say_so(demo_path: Path) -> None:
    out = cli("--db", str(demo_path), "report", "--summary").stdout
    assert "Fees (all 24 students, 2 dropped: in every total)" in out
    whole = next(line for line in out.splitlines() if "│ Class" in line)
    assert "$6,276.00" in whole  # what was charged, dropped students too
    shown = next(line for line in out.splitlines() if "22 shown" in line)
    assert "$5,944.00" in shown
    section = cli("--db", str(demo_path), "report", "--section", "P2", "--summary").stdout
    assert "Fees (all 12 students, 1 dropped: in every total)" in section
    assert "$2,852.00" in next(line for line in section.splitlines() if "│ P2" in line)


def test_a_dry_run_names_every_id_it_matched_to_a_stored_one(
    demo_path: Path, tmp_path: Path
) -> None:
    file = tmp_path / "lower.csv"
    file.write_text("student_id,first_name,last_name\ns1001,Ava,Martinez\ns1002,Liam,Johnson\n")
    before = demo_path.read_bytes()
    done = cli("--db", str(demo_path), "import", str(file), "--dry-run")
    assert done.returncode == 0
    assert "0 new, 0 updated, 2 unchanged, 0 rejected" in done.stdout
    assert "line 2: s1001 is S1001 (Ava Martinez)" in done.stdout
    assert "line 3: s1002 is S1002 (Liam Johnson)" in done.stdout
    assert demo_path.read_bytes() == before


def test_a_refused_score_or_date_in_a_file_exits_2_and_writes_nothing(
    demo_path: Path, tmp_path: Path
) -> None:
    file = tmp_path / "attempts.csv"
    file.write_text(
        "student_id,module,date,correct,percent\n"
        "S1007,safety,1900-01-01,64,\n"
        "S1007,quality,2026-11-02,64.5,\n"
        "S1007,production,2026-11-02,64,90\n"
    )
    before = demo_path.read_bytes()
    done = cli("--db", str(demo_path), "import", "--attempts", str(file))
    assert done.returncode == 2
    assert "line 2: 1900-01-01 is before the CPT existed (2000)" in done.stderr
    assert "line 3: correct: 64.5 is not a whole number of correct answers" in done.stderr
    assert "line 4: correct 64 is 77.1% of 83 questions, but percent says 90" in done.stderr
    assert demo_path.read_bytes() == before


def test_log_says_what_an_id_change_changed(demo_path: Path, tmp_path: Path) -> None:
    file = tmp_path / "r.csv"
    file.write_text("student_id,first_name,last_name,section\nS1001,Ava,Martinez,P3\n")
    assert cli("--db", str(demo_path), "import", str(file)).returncode == 0
    line = cli("--db", str(demo_path), "log", "-n", "1").stdout
    assert "student S1001: section P2 -> P3" in line


def test_make_says_what_it_builds_and_how_long_before_the_silent_pip(tmp_path: Path) -> None:
    """Item 10: on a fresh machine `make demo` built .venv for about 50 s in silence. Run
    the Makefile's .venv recipe with stand-ins for python and pip: its first line says what
    it does and how long the first time takes, before any pip command."""
    for name in ("Makefile", "pyproject.toml"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    stand_in = tmp_path / ".venv" / "bin" / "python"
    stand_in.parent.mkdir(parents=True)
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    done = subprocess.run(
        ["make", "--no-print-directory", "PYTHON=true", ".venv/.installed"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Building .venv: Python packages for cpt-tui")
    assert "about a minute the first time" in lines[0]
    assert "pip install" in done.stdout
    assert "pip" not in lines[0]


DEMO_DAY = date(2027, 3, 5)
"""A day the demo is opened on, 105 days after the day it describes."""


def demo_on(day: date, folder: Path) -> tuple[Store, Path]:
    """The demo as `cpt-tui demo` makes it on `day`: its copy and its sample CSVs."""
    copy = folder / "roster.json"
    dated_demo(copy, day)
    samples = dated_samples(folder / "samples", day)
    return Store(copy, clock=lambda: datetime.combine(day, time(10))), samples


def test_the_demo_samples_are_the_shipped_ones_with_the_dates_moved(tmp_path: Path) -> None:
    """On the day the demo describes nothing moves: the samples are the shipped files byte
    for byte (same columns, quoting, BOM and line ends); on another day only dates move."""
    same = dated_samples(tmp_path / "same", DEMO_AS_OF)
    for name in SAMPLES:
        assert (same / name).read_bytes() == (FIXTURES / name).read_bytes()
    moved = dated_samples(tmp_path / "moved", DEMO_DAY)
    assert moved.stat().st_mode & 0o777 == 0o700
    shipped = (FIXTURES / "sample-attempts.csv").read_text(encoding="utf-8-sig").splitlines()
    dated = (moved / "sample-attempts.csv").read_text(encoding="utf-8-sig").splitlines()
    assert (moved / "sample-attempts.csv").stat().st_mode & 0o777 == 0o600
    assert shipped[1] == "E2001,safety,2026-02-12,72,86.7,yes,22.00,assessment"
    assert dated[1] == "E2001,safety,2026-05-28,72,86.7,yes,22.00,assessment"  # + 105 days
    assert len(dated) == len(shipped)


def test_importing_the_demo_samples_into_the_demo_adds_nothing(tmp_path: Path) -> None:
    """Item 10: the shipped sample attempts imported into the demo (dates moved to today)
    added them all again on other days; the demo's own samples match its records."""
    store, samples = demo_on(DEMO_DAY, tmp_path)
    before = store.path.read_bytes()
    attempts = store.import_attempts((samples / "sample-attempts.csv").read_bytes())
    assert (len(attempts.new), attempts.updated, attempts.unchanged) == (0, [], 80)
    assert (
        store.import_roster((samples / "sample-roster.csv").read_bytes())
        .summary()
        .startswith("0 new, 0 updated, 24 unchanged, 0 rejected")
    )
    points = store.import_points((samples / "sample-points.csv").read_bytes())
    assert points.summary().startswith("0 new, 0 updated, 4 unchanged, 0 rejected")
    assert store.path.read_bytes() == before
    # The shipped file, dated as the demo was made, is the other days' attempts: 80 new.
    shipped = store.import_attempts((FIXTURES / "sample-attempts.csv").read_bytes(), dry_run=True)
    assert len(shipped.new) == 80


def test_cpt_tui_demo_gives_the_app_its_samples_beside_the_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, object] = {}

    def run_tui(store: Store, *, demo: bool, theme: str | None, samples: Path) -> int:
        seen.update(demo=demo, samples=samples, files=sorted(p.name for p in samples.iterdir()))
        seen["folder"] = samples.parent == store.path.parent
        return 0

    monkeypatch.setattr("cpt_tui.cli.run_tui", run_tui)
    assert main(["demo"]) == 0
    assert seen["demo"] is True and seen["folder"] is True
    assert seen["files"] == sorted(SAMPLES)
    assert not cast(Path, seen["samples"]).exists()  # the demo's folder goes with it
