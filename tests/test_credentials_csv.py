"""Credentials report, profiles, and the credentials and points files, on the demo roster."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from cpt_tui.cli import main
from cpt_tui.core import catalog
from cpt_tui.core.credentials_csv import credential_report, points_rows
from cpt_tui.core.csvio import write_csv
from cpt_tui.core.profile import (
    GENERIC,
    GENERIC_COLUMNS,
    ProfileError,
    load_profile,
    shipped_profiles,
)
from cpt_tui.store import Store

from .conftest import fixed_clock

SPEC_CREDENTIAL_COLUMNS = (
    "student_id,state_id,last_name,first_name,section,term,grad_year,credential,"
    "credential_name,earned_on,expires_on,certificate_number,verified_on,verified_by"
).split(",")

NAMES = {
    "safety": "Safety Certificate",
    "quality": "Quality Practices and Measurement Certificate",
    "production": "Manufacturing Processes and Production Certificate",
    "maintenance": "Maintenance Awareness Certificate",
    "green": "Green Production Certificate",
    "cpt": "Certified Production Technician (CPT 4.0)",
}
HS, EVE = ("P2", "Fall 2026"), ("Evening", "Spring 2026")
SPRING = [("safety", "2026-02-12"), ("quality", "2026-03-12"), ("production", "2026-04-09")]
SPRING_CPT = [*SPRING, ("maintenance", "2026-05-07")]
FALL = [("safety", "2026-09-18"), ("quality", "2026-10-09"), ("production", "2026-10-30")]

# Written by hand from fixtures/make_demo.py: who passed what when, in the report's order
# (last name, first name; module order, the CPT last). Students with no credential are
# absent: Al-Sayed, Brown, Carter, Davis, O'Brien, Osei, Tanaka.
# (id, state ID, last, first, (section, term), grad year, [(credential, earned on)],
#  CPT expiry, {credential: (certificate number, verified on)})
EXPECTED = [
    ("S1006", "102345726", "Chen", "Mia", HS, "2027",
     [*FALL[:2], ("production", "2026-11-13")], "", {}),
    ("E2010", "100998877", "Delgado", "Rosa", EVE, "2025",
     [*SPRING[:2], ("production", "2026-05-07")], "", {}),
    ("S1008", "102345748", "García", "Sofia", HS, "2027", [("safety", "2026-10-02")], "", {}),
    ("E2004", "", "Herrera", "Tomás", EVE, "",
     [("safety", "2026-04-02"), ("quality", "2026-04-16")], "", {}),
    ("S1002", "102345682", "Johnson", "Liam", HS, "2027", [("safety", "2026-10-02")], "", {}),
    ("S1012", "102345782", "Kim", "Grace", HS, "2027", FALL, "", {}),
    ("E2002", "", "Kowalski", "Dana", EVE, "1998",
     [("safety", "2021-09-16"), ("quality", "2021-10-14"), ("production", "2021-11-18"),
      ("maintenance", "2021-12-16"), ("cpt", "2021-12-16")],
     "2026-12-16", {"cpt": ("CPT-2112-04586", "2022-01-10")}),
    ("E2012", "", "Larsen", "Ingrid", EVE, "2012",
     [*SPRING_CPT, ("cpt", "2026-05-07")], "2031-05-07", {}),
    ("S1001", "102345671", "Martinez", "Ava", HS, "2027",
     [*FALL, ("maintenance", "2026-11-13"), ("cpt", "2026-11-13")], "2031-11-13",
     {"safety": ("SAF-2609-33012", "2026-11-18"), "cpt": ("CPT4-2611-20450", "2026-11-18")}),
    ("E2009", "", "Nguyen", "Lan", EVE, "2021",
     [*SPRING_CPT, ("green", "2026-05-21"), ("cpt", "2026-05-07")], "2031-05-07", {}),
    ("S1003", "102345693", "Núñez", "José", HS, "2027",
     [*FALL, ("maintenance", "2026-11-13"), ("green", "2026-11-17"), ("cpt", "2026-11-13")],
     "2031-11-13", {}),
    ("S1010", "102345760", "Okafor", "Amara", HS, "2027",
     [*FALL, ("maintenance", "2026-11-17"), ("cpt", "2026-11-17")], "2031-11-17", {}),
    ("E2003", "101223344", "Patel", "Priya", EVE, "2015",
     [*SPRING_CPT, ("cpt", "2026-05-07")], "2031-05-07",
     {"cpt": ("CPT4-2605-10118", "2026-06-01")}),
    ("E2001", "100887766", "Reed", "Marcus", EVE, "2009",
     [*SPRING_CPT, ("green", "2026-06-04"), ("cpt", "2026-05-07")], "2031-05-07",
     {"cpt": ("CPT4-2605-10117", "2026-06-01")}),
    ("E2006", "", "Shevchenko", "Oleksandr", EVE, "", [("safety", "2026-02-12")], "", {}),
    ("E2005", "", "Washington", "Keisha", EVE, "", SPRING, "", {}),
    ("S1005", "102345715", "Williams", "Noah", HS, "2027", FALL[:2], "", {}),
]  # fmt: skip


def expected_rows() -> list[list[str]]:
    rows = []
    for sid, state, last, first, (section, term), grad, earned, expiry, notes in EXPECTED:
        for key, day in earned:
            number, verified = notes.get(key, ("", ""))
            rows.append(
                [sid, state, last, first, section, term, grad, key, NAMES[key], day]
                + [expiry if key == "cpt" else "", number, verified, "demo" if verified else ""]
            )
    return rows


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_demo_credentials_report_row_by_row(demo_store: Store) -> None:
    report = credential_report(demo_store.roster)
    assert report.rows[0] == SPEC_CREDENTIAL_COLUMNS == list(GENERIC_COLUMNS)
    expected = expected_rows()
    assert len(report.rows) - 1 == report.written == len(expected) == 62
    for got, want in zip(report.rows[1:], expected, strict=True):
        assert got == want
    assert report.left_out == []


def test_the_shipped_generic_profile_is_the_generic_layout(demo_store: Store) -> None:
    shipped = load_profile(shipped_profiles()["generic"].read_text(), catalog.MODULES)
    assert credential_report(demo_store.roster, shipped) == credential_report(demo_store.roster)
    assert shipped.columns == GENERIC.columns


PROFILE = """
name = "District 42 state report"
date_format = "%m/%d/%Y"
credentials = ["cpt", "safety"]
verified_only = true

[constants]
district = "042"
year = "2026-27"

[codes]
cpt = "IC-0417"
safety = "IC-0418"

[[columns]]
header = "District"
value = "district"

[[columns]]
header = "SSID"
value = "state_id"

[[columns]]
value = "last_name"

[[columns]]
header = "Credential Code"
value = "credential_code"

[[columns]]
header = "Earned"
value = "earned_on"

[[columns]]
header = "Expires"
value = "expires_on"

[[columns]]
header = "Year"
value = "year"
"""


def test_a_profile_renames_filters_maps_and_reformats(demo_store: Store) -> None:
    profile = load_profile(PROFILE, catalog.MODULES)
    assert credential_report(demo_store.roster, profile).rows == [
        ["District", "SSID", "last_name", "Credential Code", "Earned", "Expires", "Year"],
        ["042", "", "Kowalski", "IC-0417", "12/16/2021", "12/16/2026", "2026-27"],
        ["042", "102345671", "Martinez", "IC-0418", "09/18/2026", "", "2026-27"],
        ["042", "102345671", "Martinez", "IC-0417", "11/13/2026", "11/13/2031", "2026-27"],
        ["042", "101223344", "Patel", "IC-0417", "05/07/2026", "05/07/2031", "2026-27"],
        ["042", "100887766", "Reed", "IC-0417", "05/07/2026", "05/07/2031", "2026-27"],
    ]


def test_a_required_column_leaves_out_the_row_and_names_it(demo_store: Store) -> None:
    profile = load_profile('required = ["state_id"]\n' + PROFILE, catalog.MODULES)
    report = credential_report(demo_store.roster, profile)
    assert [row[2] for row in report.rows[1:]] == ["Martinez", "Martinez", "Patel", "Reed"]
    assert report.left_out == ["E2002 cpt: no state_id"]


def test_the_new_mexico_example_on_the_demo(demo_store: Store) -> None:
    text = shipped_profiles()["nm-stars"].read_text()
    assert "example" in text.casefold() and "current manual" in text
    report = credential_report(demo_store.roster, load_profile(text, catalog.MODULES))
    assert report.rows == [
        ["District Code", "School Year", "Student ID", "Location Code", "CIP Code"]
        + ["Delivery Method", "Credential Code", "Date Earned"],
        ["000", "2027", "102345671", "000", "15.0613", "01", "MSSC-CPT", "11/13/2026"],
        ["000", "2027", "101223344", "000", "15.0613", "01", "MSSC-CPT", "05/07/2026"],
        ["000", "2027", "100887766", "000", "15.0613", "01", "MSSC-CPT", "05/07/2026"],
    ]
    assert report.left_out == ["E2002 cpt: no state_id"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("[[columns]]\nheader", "[[columns]\nheader"), "line 15: expected"),
        (('value = "year"', 'value = "yaer"'), "line 40: columns: 'yaer' is neither a column"),
        (('date_format = "%m/%d/%Y"', 'date_format = "%m/%d/%H"'), "line 3: date_format"),
        (('date_format = "%m/%d/%Y"', 'date_fromat = "%m/%d/%Y"'), "line 3: unknown setting"),
        (('safety = "IC-0418"', ""), "line 11: codes: no code for 'safety'"),
        (('"cpt", "safety"]', '"cpt", "welding"]'), "line 4: credentials: 'welding' is not"),
        (("verified_only = true", "verified_only = 1"), "line 5: verified_only must be true"),
        (('year = "2026-27"', "year = 2026"), "line 9: constants: year must be text"),
        (('district = "042"', 'state_id = "042"'), "line 8: constant 'state_id' has the name"),
    ],
)
def test_a_broken_profile_is_refused_with_its_line_and_reason(
    change: tuple[str, str], reason: str
) -> None:
    broken = PROFILE.replace(*change, 1)
    assert broken != PROFILE
    with pytest.raises(ProfileError) as refused:
        load_profile(broken, catalog.MODULES)
    assert str(refused.value).startswith(reason), str(refused.value)


def test_a_profile_without_columns_is_refused() -> None:
    with pytest.raises(ProfileError, match="line 1: no columns"):
        load_profile('name = "x"\n', catalog.MODULES)


def cli(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def test_export_credentials_with_a_profile_from_the_command_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "district.toml"
    profile.write_text(PROFILE)
    out = tmp_path / "state.csv"
    assert cli(demo_path, "export", "--credentials", "--profile", str(profile), str(out)) == 0
    assert parse(out.read_text(encoding="utf-8"))[1][2] == "Kowalski"
    assert "wrote 5 credentials" in capsys.readouterr().out
    assert cli(demo_path, "export", "--credentials", "--profile", "nm-stars", "-") == 0
    captured = capsys.readouterr()
    assert len(parse(captured.out)) == 4
    assert "left out E2002 cpt: no state_id" in captured.err


def test_a_broken_or_missing_profile_exits_2_and_writes_nothing(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text(PROFILE.replace('value = "year"', 'value = "yaer"'))
    out = tmp_path / "state.csv"
    assert cli(demo_path, "export", "--credentials", "--profile", str(profile), str(out)) == 2
    assert "bad.toml: line 40: columns: 'yaer'" in capsys.readouterr().err
    assert cli(demo_path, "export", "--credentials", "--profile", "texas", str(out)) == 2
    assert "no profile 'texas'" in capsys.readouterr().err
    assert cli(demo_path, "export", "--profile", "nm-stars", str(out)) == 2
    assert not out.exists()


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
    rows = parse(exported.read_text(encoding="utf-8"))
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
        "line 3: category 'fishing' is not one of education, certification, employment, other",
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
