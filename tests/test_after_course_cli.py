"""After the course, from the command line: credentials and points files imported (all or
nothing, every bad line named), recertify, report --expiring and a renewal's fee."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cpt_tui.core.credentials_csv import points_rows
from cpt_tui.core.csvio import write_csv
from cpt_tui.store import Store

from .conftest import csv_rows, fixed_clock
from .conftest import run_cli as cli


def test_import_credentials_numbers_and_verifies_as_the_importing_account(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "mssc.csv"
    file.write_text(
        "student_id,credential,certificate_number,verified_on\n"
        "S1010,cpt,CPT4-2611-20999,2026-11-20\n"
        "S1010,Safety,SAF-2609-33100,\n"
        "E2002,cpt,CPT-2112-04586,2022-01-10\n"
    )
    assert cli(demo_path, "import", "--credentials", str(file), "--dry-run") == 0
    assert "2 updated, 1 unchanged, 0 rejected" in capsys.readouterr().out
    assert cli(demo_path, "import", "--credentials", str(file)) == 0
    store = Store(demo_path)
    notes = store.roster.by_id["S1010"].credentials
    assert notes["cpt"].certificate_number == "CPT4-2611-20999"
    assert notes["cpt"].verified_by == store.user
    assert (notes["safety"].certificate_number, notes["safety"].verified_on) == (
        "SAF-2609-33100",
        None,
    )
    assert store.roster.by_id["E2002"].credentials["cpt"].verified_by == "demo"  # unchanged
    assert cli(demo_path, "import", "--credentials", str(file)) == 0
    assert "0 updated, 3 unchanged" in capsys.readouterr().out


def test_a_bad_credentials_file_is_refused_whole_with_every_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "mssc.csv"
    file.write_text(
        "student_id,credential,certificate_number,verified_on\n"
        "S1010,cpt,CPT4-2611-20999,2026-11-20\n"
        "S1002,cpt,CPT4-1,\n"
        "S1010,welding,W-1,\n"
        "S1001,cpt,,2026-11-01\n"
        "S1001,safety,SAF 1;,\n"
        "S9999,cpt,X,\n"
        "S1010,cpt,CPT4-2611-20999,2026-11-20\n"
    )
    before = demo_path.read_bytes()
    assert cli(demo_path, "import", "--credentials", str(file)) == 2
    err = capsys.readouterr().err
    for line in [
        "line 3: S1002 has not earned the CPT (import the attempts first)",
        "line 4: 'welding' is not a credential",
        "line 5: verified on 2026-11-01: before it was earned on 2026-11-13",
        "line 6: certificate number must be letters and digits",
        "line 7: student ID 'S9999' is not on the roster",
        "line 8: S1010 cpt is already on line 2",
    ]:
        assert line in err
    assert "nothing imported" in err
    assert demo_path.read_bytes() == before


def test_points_import_export_round_trip_keeps_renewals(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(demo_path, "recertify", "E2002", "--on", "2026-11-20") == 0
    assert "now expires 2031-12-16; $75.00" in capsys.readouterr().out
    exported = tmp_path / "points.csv"
    assert cli(demo_path, "export", "--points", str(exported)) == 0
    rows = csv_rows(exported.read_text(encoding="utf-8"))
    assert rows[0] == ["student_id", "date", "category", "points", "note"]
    assert ["E2002", "2026-11-20", "renewal", "", ""] in rows
    # a store rebuilt from the exports: roster, attempts, then points
    roster_csv, attempts_csv = tmp_path / "roster.csv", tmp_path / "attempts.csv"
    assert cli(demo_path, "export", str(roster_csv)) == 0
    assert cli(demo_path, "export", "--attempts", str(attempts_csv)) == 0
    rebuilt = tmp_path / "rebuilt.json"
    assert cli(rebuilt, "import", str(roster_csv)) == 0
    assert cli(rebuilt, "import", "--attempts", str(attempts_csv)) == 0
    assert cli(rebuilt, "import", "--points", str(exported)) == 0
    assert "5 new, 0 updated, 0 unchanged" in capsys.readouterr().out.splitlines()[-1]
    original, copy = Store(demo_path).roster, Store(rebuilt).roster
    assert copy.standings["E2002"].cpt_expires_on.isoformat() == "2031-12-16"  # type: ignore[union-attr]
    assert write_csv(points_rows(copy)) == write_csv(points_rows(original))
    assert copy.fee_lines["E2002"].total == original.fee_lines["E2002"].total
    assert cli(rebuilt, "import", "--points", str(exported)) == 0
    assert "0 new, 0 updated, 5 unchanged" in capsys.readouterr().out


def test_a_bad_points_file_is_refused_whole_with_every_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "points.csv"
    file.write_text(
        "student_id,date,category,points,note\n"
        "E2001,2026-10-01,education,10,Hydraulics workshop\n"
        "E2001,2026-10-02,fishing,10,\n"
        "E2001,2026-10-03,education,ten,\n"
        "S1002,2026-10-03,education,10,\n"
        "E2001,2030-01-01,education,10,\n"
        "E2001,2026-01-01,education,10,\n"
        "E2001,2026-10-04,renewal,10,\n"
        "E2001,2026-10-05,education,0,\n"
    )
    before = demo_path.read_bytes()
    assert cli(demo_path, "import", "--points", str(file)) == 2
    err = capsys.readouterr().err
    for line in [
        "line 3: category: no category is 'fishing': type education, certification, employment "
        "or other (or renewal)",
        "line 4: points must be a whole number",
        "line 5: S1002 holds no CPT",
        "line 6: 2030-01-01 is in the future",
        "line 7: dated 2026-01-01, before the CPT of 2026-05-07",
        "line 8: a renewal row has no points",
        "line 9: points must be between 1 and 1,000",
    ]:
        assert line in err
    assert demo_path.read_bytes() == before


def test_recertify_refused_with_the_reason_exit_2_store_unchanged(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = demo_path.read_bytes()
    assert cli(demo_path, "recertify", "E2001", "--on", "2026-11-20") == 2
    err = capsys.readouterr().err
    assert "recertification opens on 2031-02-06" in err and "20 of 100 points" in err
    assert cli(demo_path, "recertify", "S1002") == 2
    assert "holds no CPT" in capsys.readouterr().err
    assert cli(demo_path, "recertify", "NOPE") == 2
    assert cli(demo_path, "recertify", "E2002", "--on", "2999-01-01") == 2
    assert "in the future" in capsys.readouterr().err
    assert demo_path.read_bytes() == before


def test_report_expiring_lists_cpts_due_with_points_and_whether_they_can_renew(
    demo_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cpt_tui.cli.Store", lambda path: Store(path, clock=fixed_clock))
    assert cli(demo_path, "report", "--expiring", "90") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "CPTs expiring by 2027-02-19 (within 90 days of 2026-11-21) or expired"
    assert out[1].split() == ["ID", "Name", "Section", "Expires", "Points", "Renewal"]
    assert out[2].split() == [
        "E2002",
        "Kowalski,",
        "Dana",
        "Evening",
        "2026-12-16",
        "100",
        "can",
        "renew",
    ]
    assert out[3] == "1 CPT; 1 can renew now."
    assert cli(demo_path, "report", "--expiring", "2000") == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 + 8 + 1 and "opens 2031-02-06" in out[3]
    assert cli(demo_path, "report", "--expiring", "-1") == 2


def test_a_renewal_shows_in_the_reports_fees(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(demo_path, "report", "--summary") == 0
    assert "Renewals" not in capsys.readouterr().out  # no column while none is charged
    assert cli(demo_path, "recertify", "E2002", "--on", "2026-11-20") == 0
    capsys.readouterr()
    assert cli(demo_path, "report", "--summary") == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if "Registration" in line)
    assert re.findall(r"[A-Za-z]+", header) == [
        "Section",
        "Registration",
        "Assessments",
        "Supplements",
        "Renewals",
        "Total",
    ]
    evening = next(line for line in out.splitlines() if "Evening" in line)
    assert "$75.00" in evening


def test_import_kinds_are_one_at_a_time(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "x.csv"
    file.write_text("student_id,date,category,points\n")
    assert cli(demo_path, "import", "--points", "--credentials", str(file)) == 2
    assert "choose one kind of file" in capsys.readouterr().err
    assert cli(demo_path, "import", "--points", "--diagnostics", str(file)) == 2


def test_the_demo_moved_to_another_day_keeps_its_renewal_ready(tmp_path: Path) -> None:
    """`cpt-tui demo` moves every date to today: points and verifications move too, so the
    CPT holder who can renew on the demo's day can renew on any day it is opened."""
    from datetime import date, timedelta

    from cpt_tui.cli import DEMO_AS_OF, dated_demo
    from cpt_tui.core.recert import recertification

    later = DEMO_AS_OF + timedelta(days=400)
    dated_demo(tmp_path / "demo.json", later)
    roster = Store(tmp_path / "demo.json").roster
    dana = roster.by_id["E2002"]
    assert dana.points[0].earned_on == date(2022, 8, 1) + timedelta(days=400)
    assert dana.credentials["cpt"].verified_on == date(2022, 1, 10) + timedelta(days=400)
    status = recertification(roster.standings["E2002"], later)
    assert status is not None and status.can_renew and status.points == 100
