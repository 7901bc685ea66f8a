"""One ID rule wherever a person or a file names a student (SPEC, Rules): `e2002` is E2002,
`' E2002 '` too, and `42` is `0042`. `recertify`, the credentials and points imports and the
add form once compared IDs exactly; each refusal leaves the store as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpt_tui.app import CptApp
from cpt_tui.core.models import StudentForm
from cpt_tui.screens.student_form import StudentFormScreen
from cpt_tui.store import Store

from .conftest import fixed_clock, screen_text, settle, type_text
from .conftest import run_cli as cli


def renumbered(path: Path, old: str, new: str) -> None:
    """Give a demo student an all-digit ID (their attempts move with them)."""
    store = Store(path, clock=fixed_clock)
    student = store.roster.by_id[old]
    form = StudentForm.of(student).model_copy(update={"student_id": new})
    store.save_student(form, student)


@pytest.mark.parametrize("typed", ["e2002", " e2002 ", "E2002"])
def test_recertify_finds_the_student_whatever_the_case(
    demo_path: Path, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    assert cli(demo_path, "recertify", typed, "--on", "2026-11-20") == 0
    out = capsys.readouterr().out
    assert "renewed the CPT of Dana Kowalski (E2002) on 2026-11-20" in out
    assert len(Store(demo_path).roster.by_id["E2002"].renewals) == 1


def test_recertify_takes_an_all_digit_id_without_its_leading_zeros(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renumbered(demo_path, "E2002", "0042")
    assert cli(demo_path, "recertify", "42", "--on", "2026-11-20") == 0
    assert "(0042)" in capsys.readouterr().out
    assert len(Store(demo_path).roster.by_id["0042"].renewals) == 1


def test_recertify_an_unknown_or_empty_id_is_refused_store_unchanged(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = demo_path.read_bytes()
    assert cli(demo_path, "recertify", "e2099") == 2
    assert "no student with ID 'e2099'" in capsys.readouterr().err
    assert cli(demo_path, "recertify", "  ") == 2
    assert "no student with ID ''" in capsys.readouterr().err
    assert demo_path.read_bytes() == before


def test_a_credentials_import_matches_ids_as_the_roster_import_does(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "mssc.csv"
    file.write_text(
        "student_id,credential,certificate_number,verified_on\n"
        "s1010,cpt,CPT4-2611-20999,2026-11-20\n"
        " S1010 ,safety,SAF-2609-33100,\n"
    )
    before = demo_path.read_bytes()
    assert cli(demo_path, "import", "--credentials", str(file), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "0 new, 2 updated, 0 unchanged, 0 rejected" in out
    assert "line 2: s1010 is S1010" in out  # the dry run names the match
    assert demo_path.read_bytes() == before
    assert cli(demo_path, "import", "--credentials", str(file)) == 0
    notes = Store(demo_path).roster.by_id["S1010"].credentials
    assert notes["cpt"].certificate_number == "CPT4-2611-20999"
    assert notes["safety"].certificate_number == "SAF-2609-33100"


def test_a_credentials_row_twice_under_two_spellings_is_refused(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "mssc.csv"
    file.write_text(
        "student_id,credential,certificate_number\n"
        "S1010,cpt,CPT4-2611-20999\n"
        "s1010,cpt,CPT4-2611-20998\n"
        ",cpt,CPT4-1\n"
    )
    before = demo_path.read_bytes()
    assert cli(demo_path, "import", "--credentials", str(file)) == 2
    err = capsys.readouterr().err
    assert "line 3: S1010 cpt is already on line 2" in err
    assert "line 4: student ID is required" in err
    assert demo_path.read_bytes() == before


def test_a_points_import_matches_ids_and_names_the_match(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renumbered(demo_path, "E2002", "0042")
    file = tmp_path / "points.csv"
    file.write_text(
        "student_id,date,category,points,note\n"
        "42,2026-10-01,education,40,OSHA 30\n"
        "e2001,2026-10-01,education,10,\n"
    )
    before = demo_path.read_bytes()
    assert cli(demo_path, "import", "--points", str(file), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "2 new, 0 updated, 0 unchanged, 0 rejected" in out
    assert "line 2: 42 is 0042 (Dana Kowalski)" in out
    assert "line 3: e2001 is E2001 (Marcus Reed)" in out
    assert demo_path.read_bytes() == before
    assert cli(demo_path, "import", "--points", str(file)) == 0
    roster = Store(demo_path).roster
    assert roster.by_id["0042"].points[-1].note == "OSHA 30"
    assert roster.by_id["E2001"].points[-1].points == 10


def test_a_points_row_without_an_id_says_it_is_required(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "points.csv"
    file.write_text("student_id,date,category,points,note\n ,2026-10-01,education,40,\n")
    before = demo_path.read_bytes()
    assert cli(demo_path, "import", "--points", str(file)) == 2
    assert "line 2: student ID is required" in capsys.readouterr().err
    assert demo_path.read_bytes() == before


async def test_the_add_form_says_at_once_whose_an_id_written_differently_is(
    app: CptApp,
) -> None:
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await type_text(pilot, "s1001")
        await pilot.press("tab")
        await type_text(pilot, "Ada")
        await pilot.press("tab")
        await type_text(pilot, "Lovelace")
        form = app.screen
        assert isinstance(form, StudentFormScreen)
        assert form.problems(form.read_form()) == {
            "student_id": "ID s1001 (stored as S1001) is already Ava Martinez's"
        }
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentFormScreen)  # not saved: the reason is shown
        assert "stored as S1001" in screen_text(app)
    assert app.store.path.read_bytes() == before
