"""The command line: every command, exit codes 0/2/1, clear messages, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpt_tui import __version__
from cpt_tui.cli import main

from .conftest import FIXTURES

ROOT = Path(__file__).parent.parent


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cpt_tui", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_help_lists_every_command() -> None:
    out = cli("--help").stdout
    for command in ("demo", "import", "export", "report", "log", "--db", "--version"):
        assert command in out
    assert cli("--version").stdout.strip() == f"cpt-tui {__version__}"
    export_help = cli("export", "--help").stdout
    for option in ("--attempts", "--no-bom", "--force", "FILE.csv|-"):
        assert option in export_help
    assert "--dry-run" in cli("import", "--help").stdout


def test_export_to_stdout_and_to_a_file(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(demo_path), "export", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffstudent_id,last_name,first_name,")
    assert out.count("\r\n") == 25
    target = tmp_path / "out.csv"
    assert main(["export", str(target), "--no-bom", "--db", str(demo_path)]) == 0
    assert target.read_bytes().startswith(b"student_id,")
    assert target.stat().st_mode & 0o777 == 0o600
    assert "wrote 24 students" in capsys.readouterr().out


def test_export_never_overwrites_without_force_nor_follows_a_link(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("precious")
    assert main(["--db", str(demo_path), "export", str(target)]) == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert target.read_text() == "precious"
    assert main(["--db", str(demo_path), "export", str(target), "--force", "--attempts"]) == 0
    assert target.read_text(encoding="utf-8-sig").startswith("student_id,module,date")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    link = tmp_path / "link.csv"
    link.symlink_to(victim)
    assert main(["--db", str(demo_path), "export", str(link), "--force"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert victim.read_text() == "keep"


def test_default_export_name_is_dated(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--db", str(demo_path), "export"]) == 0
    (made,) = tmp_path.glob("cpt-export-*.csv")
    assert len(made.name) == len("cpt-export-2026-11-21.csv")


def test_import_dry_run_then_for_real(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "r.json")
    roster = str(FIXTURES / "sample-roster.csv")
    assert main(["--db", db, "import", roster, "--dry-run"]) == 0
    assert (
        "would import roster: 24 new, 0 updated, 0 unchanged, 0 rejected" in capsys.readouterr().out
    )
    assert not Path(db).exists()
    assert main(["--db", db, "import", roster]) == 0
    assert main(["--db", db, "import", "--attempts", str(FIXTURES / "sample-attempts.csv")]) == 0
    assert "imported attempts: 80 new" in capsys.readouterr().out


def test_a_bad_import_exits_2_listing_every_row(demo_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,first,last\nA1,Ok,Row\n,No,Id\nA2,,Nameless\n")
    before = demo_path.read_bytes()
    result = cli("--db", str(demo_path), "import", str(bad))
    assert result.returncode == 2
    assert "line 3:" in result.stderr and "line 4:" in result.stderr
    assert "nothing imported" in result.stderr and "Traceback" not in result.stderr
    assert demo_path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "words"),
    [(["import", "/no/such/file.csv"], "cannot read"), (["report"], "cannot be read")],
)
def test_bad_arguments_and_stores_exit_2_without_a_traceback(
    tmp_path: Path, args: list[str], words: str
) -> None:
    db = tmp_path / "broken.json"
    db.write_text("{not json")
    result = cli("--db", str(db), *args)
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert db.read_text() == "{not json"


def test_unknown_options_exit_2() -> None:
    assert cli("export", "--bogus").returncode == 2


def test_an_unexpected_error_exits_1_without_student_data(
    monkeypatch: pytest.MonkeyPatch, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import cpt_tui.cli as cli_module

    def boom(*args: object, **kwargs: object) -> int:
        raise RuntimeError("Ava Martinez S1001")

    monkeypatch.setattr(cli_module, "run_export", boom)
    assert main(["--db", str(demo_path), "export", "-"]) == 1
    err = capsys.readouterr().err
    assert "RuntimeError" in err and "Martinez" not in err


def test_report_and_log(demo_path: Path) -> None:
    result = cli("--db", str(demo_path), "report", env={"COLUMNS": "100"})
    assert result.returncode == 0
    assert "Class" in result.stdout and "$5,944.00" in result.stdout
    assert "22 students, 8 with the full CPT." in result.stdout
    dropped = cli("--db", str(demo_path), "report", "--dropped", env={"COLUMNS": "100"}).stdout
    assert "24 students" in dropped
    p2 = cli("--db", str(demo_path), "report", "--section", "p2", env={"COLUMNS": "100"}).stdout
    assert "$2,732.00" in p2 and "Evening" not in p2
    log = cli("--db", str(demo_path), "log", "-n", "3")
    assert log.returncode == 0 and len(log.stdout.splitlines()) == 3 and "demo" in log.stdout


def test_cpt_tui_db_environment_variable(demo_path: Path) -> None:
    result = cli("report", env={"CPT_TUI_DB": str(demo_path), "COLUMNS": "100"})
    assert "$5,944.00" in result.stdout


def test_the_default_store_is_in_the_user_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "h"
    result = cli(
        "import",
        str(FIXTURES / "sample-roster.csv"),
        env={"HOME": str(home), "XDG_DATA_HOME": str(home / "data")},
    )
    assert result.returncode == 0, result.stderr
    store = home / "data" / "cpt-tui" / "roster.json"
    assert store.exists() and store.stat().st_mode & 0o777 == 0o600


def test_log_shows_a_damaged_audit_entry_instead_of_failing(demo_path: Path) -> None:
    import orjson

    data = orjson.loads(demo_path.read_bytes())
    last = max(data["audit"], key=int)
    data["audit"][last] = {"user": "someone"}  # no time, action or detail
    demo_path.write_bytes(orjson.dumps(data))
    result = cli("--db", str(demo_path), "log", "-n", "2")
    assert result.returncode == 0, result.stderr
    assert "someone" in result.stdout.splitlines()[0]


@pytest.mark.parametrize("today", ["2026-11-20", "2027-06-01", "2030-02-28"])
def test_the_demo_is_dated_to_the_day_it_is_opened(tmp_path: Path, today: str) -> None:
    from datetime import date

    from cpt_tui.cli import dated_demo
    from cpt_tui.core.standing import CptStatus
    from cpt_tui.store import Store

    day = date.fromisoformat(today)
    copy = tmp_path / "demo.json"
    dated_demo(copy, day)
    assert copy.stat().st_mode & 0o777 == 0o600
    roster = Store(copy).roster
    original = Store(FIXTURES / "demo-roster.json").roster
    assert len(roster.students) == 24 and len(roster.attempts) == len(original.attempts)
    assert max(a.taken_on for a in roster.attempts) <= day
    status = {sid: st.cpt_status(day) for sid, st in roster.standings.items()}
    assert status["E2002"] is CptStatus.EXPIRING  # Dana Kowalski: renewal open, whenever
    assert sum(s is CptStatus.CERTIFIED for s in status.values()) == 7


def test_report_summary_leaves_out_the_line_per_student(demo_path: Path) -> None:
    full = cli("--db", str(demo_path), "report", env={"COLUMNS": "100"})
    summary = cli("--db", str(demo_path), "report", "--summary", env={"COLUMNS": "100"})
    assert summary.returncode == 0
    assert "E2001" in full.stdout and "E2001" not in summary.stdout
    assert "CPT class standing" not in summary.stdout
    assert full.stdout.endswith(summary.stdout)
    assert "$5,944.00" in summary.stdout and "22 students, 8 with the full CPT." in summary.stdout
