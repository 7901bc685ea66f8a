"""Credentials report, profiles, and the credentials and points files, on the demo roster."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from cpt_tui.core import catalog
from cpt_tui.core.credentials_csv import credential_report
from cpt_tui.core.profile import (
    GENERIC,
    GENERIC_COLUMNS,
    MAX_PROFILE_BYTES,
    ProfileError,
    load_profile,
    shipped_profiles,
)
from cpt_tui.store import Store

from .conftest import csv_rows
from .conftest import run_cli as cli

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


def test_export_credentials_with_a_profile_from_the_command_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "district.toml"
    profile.write_text(PROFILE)
    out = tmp_path / "state.csv"
    assert cli(demo_path, "export", "--credentials", "--profile", str(profile), str(out)) == 0
    assert csv_rows(out.read_text(encoding="utf-8"))[1][2] == "Kowalski"
    assert "wrote 5 credentials" in capsys.readouterr().out
    assert cli(demo_path, "export", "--credentials", "--profile", "nm-stars", "-") == 0
    captured = capsys.readouterr()
    assert len(csv_rows(captured.out)) == 4
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


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.mkdir(), "is a folder, not a file; cpt-tui reads only a regular file"),
        (os.mkfifo, "is a pipe, not a file; cpt-tui reads only a regular file as a profile"),
        (lambda p: p.write_bytes(b"#" * (MAX_PROFILE_BYTES + 1)), "more than a profile can be"),
        (lambda p: p.write_bytes(b'name = "\xff"\n'), "a profile is UTF-8 text"),
    ],
    ids=["folder", "pipe", "too large", "not UTF-8"],
)
def test_a_profile_that_is_no_small_text_file_is_refused_unread(
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], object],
    reason: str,
) -> None:
    """Read as a CSV is, before any byte: a pipe never blocks the export."""
    profile = tmp_path / "district.toml"
    make(profile)
    out = tmp_path / "state.csv"
    before = demo_path.read_bytes()
    assert cli(demo_path, "export", "--credentials", "--profile", str(profile), str(out)) == 2
    assert reason in capsys.readouterr().err
    assert not out.exists()
    assert demo_path.read_bytes() == before
