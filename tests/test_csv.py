"""CSV: the exports exactly as the SPEC, and imports that check everything before writing."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from cpt_tui.core.credentials_csv import points_rows
from cpt_tui.core.csvio import (
    ATTEMPTS_HEADER,
    CsvError,
    attempts_rows,
    neutralise,
    read_table,
    roster_header,
    roster_rows,
    unneutralise,
    write_csv,
)
from cpt_tui.core.roster import Roster
from cpt_tui.store import Store

from .conftest import FIXTURES

SPEC_ROSTER_COLUMNS = (
    "student_id,last_name,first_name,email,section,term,registered,status,"
    + "".join(
        f"{k}_best_pct,{k}_attempts,{k}_passed_on,{k}_supplement,"
        for k in ("safety", "quality", "production", "maintenance", "green")
    )
    + "core_passed,cpt_certified,cpt_certified_on,cpt_expires_on,"
    "fee_registration,fee_assessments,fee_supplements,fee_total,"
    "state_id,grad_year,recert_points"
).split(",")


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_roster_export_columns_are_exactly_the_specs(demo_store: Store) -> None:
    assert roster_header(demo_store.roster) == SPEC_ROSTER_COLUMNS
    assert ATTEMPTS_HEADER == [
        "student_id",
        "module",
        "date",
        "correct",
        "percent",
        "passed",
        "fee",
        "kind",
    ]


def test_roster_export_values(demo_store: Store) -> None:
    rows = {r["student_id"]: r for r in parse(write_csv(roster_rows(demo_store.roster)))}
    assert len(rows) == 24  # dropped students are kept in every export
    ava = rows["S1001"]
    assert ava["registered"] == "yes" and ava["status"] == "active"
    assert ava["safety_best_pct"] == "84.3" and ava["safety_attempts"] == "1"
    assert ava["safety_passed_on"] == "2026-09-18" and ava["safety_supplement"] == "70.00"
    assert (
        ava["green_best_pct"] == ""
        and ava["green_passed_on"] == ""
        and ava["green_supplement"] == ""
    )
    assert ava["core_passed"] == "4" and ava["cpt_certified"] == "yes"
    assert (ava["cpt_certified_on"], ava["cpt_expires_on"]) == ("2026-11-13", "2031-11-13")
    assert (
        ava["fee_registration"],
        ava["fee_assessments"],
        ava["fee_supplements"],
        ava["fee_total"],
    ) == ("28.00", "88.00", "280.00", "396.00")
    assert rows["S1009"]["status"] == "dropped"
    assert rows["S1007"]["registered"] == "no" and rows["S1007"]["fee_total"] == "0.00"


def test_attempts_export(demo_store: Store) -> None:
    rows = parse(write_csv(attempts_rows(demo_store.roster)))
    assert len(rows) == len(demo_store.roster.attempts)
    sofia = [r for r in rows if r["student_id"] == "S1008"]
    assert sofia == [
        {
            "student_id": "S1008",
            "module": "safety",
            "date": "2026-09-18",
            "correct": "",
            "percent": "75.9",
            "passed": "no",
            "fee": "22.00",
            "kind": "assessment",
        },
        {
            "student_id": "S1008",
            "module": "safety",
            "date": "2026-10-02",
            "correct": "",
            "percent": "77.1",
            "passed": "yes",
            "fee": "22.00",
            "kind": "assessment",
        },
    ]


def test_bom_by_default_and_crlf() -> None:
    text = write_csv([["a", "b"], ["1", "2"]])
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    assert not write_csv([["a"]], bom=False).startswith("\ufeff")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_formula_like_text_is_neutralised_and_restored(start: str) -> None:
    text = start + "SUM(A1:A9)"
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text
    assert unneutralise("'tis") == "'tis"
    assert neutralise("O'Brien") == "O'Brien"
    # A name that itself starts with ' before a formula character keeps it (found by the
    # round-trip property test: a last name "'=" came back as "=").
    for quoted in ("'" + text, "''" + text):
        assert neutralise(quoted) == "'" + quoted
        assert unneutralise(neutralise(quoted)) == quoted
    assert neutralise("'tis") == "'tis"


def test_a_formula_name_survives_export_and_import(empty_store: Store, add_student) -> None:  # type: ignore[no-untyped-def]
    add_student(empty_store, first="=HYPERLINK(x)", last="-Minus")
    exported = write_csv(roster_rows(empty_store.roster))
    assert ",'-Minus,'=HYPERLINK(x)," in exported
    other = Store(empty_store.path.parent / "other.json", clock=empty_store.clock)
    plan = other.import_roster(exported.encode())
    assert plan.ok, plan.errors
    assert other.roster.by_id["T100"].first_name == "=HYPERLINK(x)"


def roster_csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_header_aliases_bom_crlf_quotes_accents_and_padding(empty_store: Store) -> None:
    data = (
        "\ufeffStudent Number , Given-Name,SURNAME,Class,E_Mail,Shoe size\r\n"
        ' 7001 ,  Renée ,"Smith, Jr.",P4, renee@school.edu ,42\r\n'
    ).encode()
    plan = empty_store.import_roster(data)
    assert plan.ok, plan.errors
    assert plan.unknown_columns == ["Shoe size"]
    assert "ignored columns: Shoe size" in plan.summary()
    s = empty_store.roster.by_id["7001"]
    assert (s.first_name, s.last_name, s.section, s.email) == (
        "Renée",
        "Smith, Jr.",
        "P4",
        "renee@school.edu",
    )


@pytest.mark.parametrize(
    ("cell", "first", "last"),
    [
        ("Lovelace, Ada", "Ada", "Lovelace"),
        ("Ada Lovelace", "Ada", "Lovelace"),
        ("Mary Ann Evans", "Mary Ann", "Evans"),
    ],
)
def test_a_single_name_column(empty_store: Store, cell: str, first: str, last: str) -> None:
    plan = empty_store.import_roster(roster_csv(f'id,name\n9,"{cell}"\n'))
    assert plan.ok, plan.errors
    s = empty_store.roster.by_id["9"]
    assert (s.first_name, s.last_name) == (first, last)


def test_dry_run_counts_and_writes_nothing(demo_store: Store) -> None:
    before = demo_store.path.read_bytes()
    data = roster_csv(
        "student_id,first_name,last_name,section\n"
        "S1001,Ava,Martinez,P2\n"  # unchanged
        "S1002,Liam,Johnson,P3\n"  # updated
        "N1,New,Person,P3\n"  # new
    )
    plan = demo_store.import_roster(data, dry_run=True)
    assert (len(plan.new), len(plan.updated), plan.unchanged, len(plan.errors)) == (1, 1, 1, 0)
    assert plan.summary() == "1 new, 1 updated, 1 unchanged, 0 rejected"
    assert demo_store.path.read_bytes() == before


def test_import_is_all_or_nothing_and_names_every_bad_row(demo_store: Store) -> None:
    before = demo_store.path.read_bytes()
    data = roster_csv(
        "student_id,first_name,last_name,email,registered,status\n"
        "N1,Good,Row,,yes,active\n"
        ",No,Id,,,\n"
        "N2,,Nameless,,,\n"
        "N3,Bad,Mail,not-an-email,,\n"
        "N1,Dup,Licate,,,\n"
        "N4,Odd,Flag,,maybe,\n"
        "N5,Odd,Status,,,graduated\n"
    )
    plan = demo_store.import_roster(data)
    assert not plan.ok
    lines = dict(plan.errors)
    assert sorted(lines) == [3, 4, 5, 6, 7, 8]
    assert "student ID" in lines[3]
    assert "first name is required" in lines[4]
    assert "not an email" in lines[5]
    assert "already on line 2" in lines[6]
    assert "registered" in lines[7] and "maybe" in lines[7]
    assert "graduated" in lines[8]
    assert demo_store.path.read_bytes() == before


def test_importing_the_same_file_twice_changes_nothing(empty_store: Store) -> None:
    empty_store.import_roster((FIXTURES / "sample-roster.csv").read_bytes())
    first = empty_store.import_attempts((FIXTURES / "sample-attempts.csv").read_bytes())
    assert len(first.new) == 80
    before = empty_store.path.read_bytes()
    again = empty_store.import_roster((FIXTURES / "sample-roster.csv").read_bytes(), dry_run=True)
    assert again.summary().startswith("0 new, 0 updated, 24 unchanged, 0 rejected")
    twice = empty_store.import_attempts((FIXTURES / "sample-attempts.csv").read_bytes())
    assert (len(twice.new), twice.unchanged) == (0, 80)
    assert len(empty_store.roster.attempts) == 80
    assert empty_store.path.read_bytes() == before  # nothing to change: nothing written


def test_attempts_import_rows_refused_with_reasons(demo_store: Store) -> None:
    before = demo_store.path.read_bytes()
    data = roster_csv(
        "student_id,module,date,correct,percent\n"
        "S1005,Manufacturing Processes and Production,2026-11-01,70,\n"
        "NOPE,safety,2026-11-01,70,\n"
        "S1005,welding,2026-11-01,70,\n"
        "S1005,safety,2026-13-01,70,\n"
        "S1005,safety,2027-01-01,70,\n"
        "S1005,safety,2026-11-01,84,\n"
        "S1005,safety,2026-11-01,,101\n"
        "S1005,safety,2026-11-01,,\n"
    )
    plan = demo_store.import_attempts(data)
    reasons = dict(plan.errors)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert "not on the roster" in reasons[3]
    assert "not a CPT module" in reasons[4]
    assert "not a date" in reasons[5]
    assert "future" in reasons[6]
    assert "83 questions" in reasons[7]
    assert "over 100" in reasons[8]
    assert "no score" in reasons[9]
    assert demo_store.path.read_bytes() == before


def test_attempts_import_takes_module_names_percent_and_fee(demo_store: Store) -> None:
    data = roster_csv(
        "student_id,module,date,percent,fee\nS1005,Green Production,11/02/2026,80.5%,19.50\n"
    )
    plan = demo_store.import_attempts(data)
    assert plan.ok, plan.errors
    (a,) = plan.new
    assert (a.module, a.taken_on, a.correct, str(a.percent), str(a.fee)) == (
        "green",
        date(2026, 11, 2),
        None,
        "80.5",
        "19.50",
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"id,name\n1,Jos\xe9 Nunez\n", "not UTF-8"),
        (b"id,name\n1,A\x00B\n", "NUL"),
        (b'id,name\n1,"' + b"x" * 20_000 + b'"\n', "over 10,000"),
        (b"id,id\n1,2\n", "two columns"),
    ],
)
def test_unreadable_files_are_refused_with_a_line(data: bytes, reason: str) -> None:
    with pytest.raises(CsvError, match=reason):
        read_table(data, {"student_id": ["id"], "name": ["name"]})


def test_missing_columns_are_refused(empty_store: Store) -> None:
    assert "no student ID column" in empty_store.import_roster(b"name\nAda Lovelace\n").errors[0][1]
    assert "no name columns" in empty_store.import_roster(b"id,first\n1,Ada\n").errors[0][1]
    assert (
        "missing columns"
        in empty_store.import_attempts(b"student_id,module\n1,safety\n").errors[0][1]
    )
    assert not empty_store.path.exists()


def test_round_trip_of_the_demo_gives_the_same_standings_and_fees(
    demo_store: Store, tmp_path: Path
) -> None:
    assert_round_trip(demo_store.roster, tmp_path / "copy.json")


def assert_round_trip(roster: Roster, target: Path) -> None:
    """Roster export + attempts export into an empty store: the same standings and fees
    (and the points export after them: the same recertification points and renewals)."""
    from .conftest import fixed_clock

    copy = Store(target, clock=fixed_clock)
    assert copy.import_roster(write_csv(roster_rows(roster)).encode()).ok
    plan = copy.import_attempts(write_csv(attempts_rows(roster)).encode())
    assert plan.ok, plan.errors
    plan = copy.import_points(write_csv(points_rows(roster)).encode())
    assert plan.ok, plan.errors
    result = copy.roster
    today = date(2026, 11, 21)
    assert write_csv(roster_rows(result)) == write_csv(roster_rows(roster))
    for sid, st in roster.standings.items():
        other = result.standings[sid]
        assert other.cpt_status(today) == st.cpt_status(today)
        assert {k: (m.passed_on, m.best) for k, m in other.modules.items()} == {
            k: (m.passed_on, m.best) for k, m in st.modules.items()
        }
    assert result.fee_lines == roster.fee_lines
