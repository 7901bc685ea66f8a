"""Text from outside on the command line: shown escaped, never obeyed, never read as markup;
the audit trail names the account from the user database and prints one line an entry."""

from __future__ import annotations

import gc
import os
import pwd
from collections.abc import Callable
from pathlib import Path

import pytest

from cpt_tui.cli import main
from cpt_tui.store import Store

OSC_TITLE = "\x1b]0;PWNED\x07"
OSC52 = "\x1b]52;c;ZXZpbA==\x07"
CLEAR = "\x1b[2J\x1b[H"
FORGED = "\n2026-01-01 00:00:00  principal    delete         student S1"


@pytest.fixture(autouse=True)
def _collector_back_on() -> None:
    # `main` turns the collector off for a one-shot command; these run in-process.
    yield
    gc.enable()


def _no_control(text: str) -> None:
    for bad in ("\x1b", "\x07", "\x9b", "\x9d", "\u202e"):
        assert bad not in text


def _hostile_csv(path: Path) -> Path:
    header = f'student_id,first_name,last_name,"Evil{OSC_TITLE}{FORGED}",x{CLEAR}{OSC52}'
    path.write_text(f"{header}\nS1,Ada,Lovelace,a,b\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "import"])
def test_import_shows_a_header_cell_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dry_run: bool
) -> None:
    csv = _hostile_csv(tmp_path / "h.csv")
    db = tmp_path / "roster.json"
    assert main(["--db", str(db), "import", str(csv), *(["--dry-run"] if dry_run else [])]) == 0
    out, err = capsys.readouterr()
    _no_control(out + err)
    lines = out.splitlines()
    if dry_run:  # a line of its own says there is no store yet
        assert lines.pop(0).startswith("no store at ")
    assert len(lines) == 1 and out.endswith("\n")
    assert "Evil\\x1b]0;PWNED\\x07\\n2026-01-01" in out
    assert "x\\x1b[2J\\x1b[H\\x1b]52;c;ZXZpbA==\\x07" in out


def test_a_refused_duplicate_id_is_quoted_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / f"bad{CLEAR}.csv"
    csv.write_text(
        "student_id,first_name,last_name\nS2\u202e,Bob,B\nS2\u202e,Bob,B\nS3\x9b2J,C,D\n",
        encoding="utf-8",
    )
    db = tmp_path / "roster.json"
    assert main(["--db", str(db), "import", str(csv)]) == 2
    out, err = capsys.readouterr()
    _no_control(out + err)
    assert not db.exists()
    assert len(err.splitlines()) == 4  # three refused rows and the summary, one line each
    assert "bad\\x1b[2J\\x1b[H.csv: line" in err


def test_a_bad_argument_is_quoted_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["log", "-n", f"1{OSC_TITLE}"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    _no_control(err)
    assert "1\\x1b]0;PWNED\\x07" in err


def test_a_missing_file_is_named_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "roster.json"
    assert main(["--db", str(db), "import", str(tmp_path / f"no{OSC52}.csv")]) == 2
    err = capsys.readouterr().err
    _no_control(err)
    assert "no\\x1b]52;c;ZXZpbA==\\x07.csv" in err


def test_log_prints_one_line_an_entry_whatever_the_header_held(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "roster.json"
    assert main(["--db", str(db), "import", str(_hostile_csv(tmp_path / "h.csv"))]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "log"]) == 0
    out = capsys.readouterr().out
    _no_control(out)
    assert len(out.splitlines()) == 1  # one change, one line: no forged entry of its own
    assert "principal" not in out.splitlines()[0].split()[2]


def test_the_audit_trail_names_the_account_not_logname(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "principal")
    db = tmp_path / "roster.json"
    assert main(["--db", str(db), "import", str(_hostile_csv(tmp_path / "h.csv"))]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "log"]) == 0
    user = capsys.readouterr().out.split()[2]
    assert user == pwd.getpwuid(os.geteuid()).pw_name
    assert Store(db).user == user


MARKUP_NAMES = ["Bad[/]", "[link=https://evil.example]Click[/link]", "[blink]Ada[/blink]"]


def test_report_shows_markup_in_names_as_text(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    add_student: Callable[..., object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # every name on one line
    db = tmp_path / "roster.json"
    store = Store(db, user="tester")
    for n, last in enumerate(MARKUP_NAMES):
        add_student(store, sid=f"M{n}", first=":warning:", last=last, section="[b]P1[/b]")
    assert main(["--db", str(db), "report"]) == 0
    out = capsys.readouterr().out
    _no_control(out)
    for last in MARKUP_NAMES:
        assert f"{last}, :warning:" in out
    assert ":warning:" in out
    assert "⚠" not in out
    assert "[b]P1[/b]" in out
    assert main(["--db", str(db), "report", "--section", "[b]P1[/b]"]) == 0
    assert "section [b]P1[/b]" in capsys.readouterr().out
