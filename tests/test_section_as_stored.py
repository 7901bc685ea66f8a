"""`--section` matches ignoring case and spaces, and every title and total then names the
section as the roster writes it: `report --section p2` shows `P2`, never `p2` as typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpt_tui.core.models import Student
from cpt_tui.core.roster import Roster
from cpt_tui.testday import NoSuchSection, check_section

from .conftest import run_cli as cli


def test_report_names_the_section_as_stored(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(demo_path, "report", "--section", " p2 ") == 0
    out = capsys.readouterr().out
    assert ", section P2" in out.splitlines()[0]
    fees_rows = [line for line in out.splitlines() if line.startswith("│ P2 ")]
    assert len(fees_rows) == 1  # the Fees table's bold total row
    assert "p2" not in out


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--summary"],
        ["report", "--diagnostics"],
        ["report", "--expiring", "3650"],
        ["testday", "2026-11-20"],
    ],
)
def test_every_command_with_a_section_shows_the_stored_name(
    demo_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert cli(demo_path, *command, "--section", "eVeNiNg") == 0
    out = capsys.readouterr().out
    # The title names it; --summary has no title, and its Fees total row does.
    assert "section Evening" in out or "│ Evening " in out
    assert "eVeNiNg" not in out


def test_testday_csv_of_a_section_typed_in_another_case_lists_its_students(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(demo_path, "testday", "2026-11-20", "--section", "p2", "--csv", "-") == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows and all(",P2," in row for row in rows)


def test_a_section_no_student_has_is_refused_with_the_list(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = demo_path.read_bytes()
    assert cli(demo_path, "report", "--section", "p3") == 2
    assert "no section 'p3'; the sections are: Evening, P2" in capsys.readouterr().err
    assert demo_path.read_bytes() == before


def student_of(sid: str, section: str) -> Student:
    return Student(student_id=sid, first_name="A", last_name=sid, section=section)


def test_a_section_spelt_two_ways_is_named_by_the_commoner_spelling() -> None:
    roster = Roster(
        (
            student_of("A", section="p3"),
            student_of("B", section="P3"),
            student_of("C", section="P3"),
            student_of("D", section="Evening"),
        ),
        (),
    )
    assert check_section(roster, "p3 ") == "P3"
    assert roster.section_named("EVENING") == "Evening"
    assert check_section(roster, None) is None
    with pytest.raises(NoSuchSection, match="the sections are: Evening, P3, p3"):
        check_section(roster, "P4")
