"""A refused import says what went wrong in words that cannot be misread: never "nothing
imported: 1 new"; an empty ID is required, not badly formed; a record is named by the line
it starts on; a percent with too many decimals says how many it may have. The store is
unchanged by every refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from cpt_tui.app import CptApp
from cpt_tui.core.catalog import find_module
from cpt_tui.core.csvio import CsvError, read_table
from cpt_tui.core.models import StudentForm
from cpt_tui.core.parse import explain, parse_score
from cpt_tui.store import Store

from .conftest import run_cli as cli
from .conftest import settle, type_text

SAFETY = find_module("safety")


def refused(demo_path: Path, tmp_path: Path, text: str, *flags: str) -> str:
    """Import `text`, which must be refused (exit 2, store unchanged): its stderr."""
    file = tmp_path / "in.csv"
    file.write_bytes(text.encode())
    before = demo_path.read_bytes()
    assert cli(demo_path, "import", *flags, str(file)) == 2
    assert demo_path.read_bytes() == before
    return file.name


def test_a_refused_roster_says_what_the_other_rows_would_have_done(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(
        demo_path,
        tmp_path,
        "student_id,first_name,last_name\nN1,Ada,Lovelace\nN2,,Lee\nN3,Bo,\nS1001,Ava,Martinez\n",
    )
    err = capsys.readouterr().err
    assert (
        "cpt-tui: nothing imported: 2 rows rejected; without them, 1 would be new, "
        "0 updated, 1 unchanged" in err
    )
    assert "1 new" not in err


def test_one_refused_row_is_said_in_the_singular(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(demo_path, tmp_path, "student_id,first_name,last_name\nN1,Ada,Lovelace\nN2,,Lee\n")
    assert "nothing imported: 1 row rejected; without it, 1 would be new" in capsys.readouterr().err


def test_a_file_refused_for_its_columns_says_no_row_was_checked(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(demo_path, tmp_path, "student_id,module,date\nS1001,safety,2026-01-05\n", "--attempts")
    err = capsys.readouterr().err
    assert "line 1: missing columns: correct or percent" in err
    assert "nothing imported: the file's columns are refused, so no row was checked" in err


def test_a_refused_diagnostics_file_counts_activity_results(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(demo_path)
    attempt = next(a for a in store.roster.attempts if a.kind == "assessment")
    day = attempt.taken_on.isoformat()
    refused(
        demo_path,
        tmp_path,
        "student_id,module,date,activity,percent\n"
        f"{attempt.student_id},{attempt.module},{day},1,80\n"
        f"{attempt.student_id},{attempt.module},{day},1,70\n",
        "--diagnostics",
    )
    err = capsys.readouterr().err
    assert "1 activity result rejected; without it, " in err


@pytest.mark.parametrize("cell", ["", "  "])
def test_an_empty_student_id_is_required_not_badly_formed(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str
) -> None:
    refused(demo_path, tmp_path, f"student_id,first_name,last_name\n{cell},Ada,Lovelace\n")
    err = capsys.readouterr().err
    assert "line 2: student ID is required" in err
    assert "letters and digits" not in err


def test_two_empty_ids_are_each_required_not_duplicates(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(demo_path, tmp_path, "student_id,first_name,last_name\n,Ada,L\n,Bo,L\n")
    err = capsys.readouterr().err
    assert "line 2: student ID is required" in err and "line 3: student ID is required" in err
    assert "already on line" not in err


def test_an_empty_attempts_id_is_required(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(
        demo_path, tmp_path, "student_id,module,date,correct\n,safety,2026-01-05,70\n", "--attempts"
    )
    assert "line 2: student ID is required" in capsys.readouterr().err


def test_a_record_with_a_line_break_in_a_note_is_named_by_its_first_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(
        demo_path,
        tmp_path,
        "student_id,date,category,points,note\n"
        'E2002,2026-10-01,education,40,"OSHA 30,\nsecond line"\n'
        'E2002,2026-10-02,welding,5,"a\nb\nc"\n'
        "E2002,2026-10-03,other,x,\n",
        "--points",
    )
    err = capsys.readouterr().err
    assert "line 4: category: no category is 'welding'" in err  # spans lines 4-6
    assert "line 7: points must be a whole number" in err


def test_read_table_numbers_each_record_by_its_first_line() -> None:
    table = read_table(
        b'id,note\r\nA,"one\r\ntwo"\r\n\r\nB,x\r\nC,"p\nq\nr"\r\nD,y\r\n', {"student_id": ["id"]}
    )
    assert [(line, row[0]) for line, row in table.rows] == [(2, "A"), (5, "B"), (6, "C"), (9, "D")]


def test_a_cell_too_long_is_named_where_its_record_starts() -> None:
    long_note = "x" * 10_001
    with pytest.raises(CsvError, match="^line 3: a cell is over 10,000 characters"):
        read_table(f'id,note\nA,x\nB,"a\nb{long_note}"\n'.encode(), {"student_id": ["id"]})


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("77.999%", "77.999% has 3 decimals: a percent takes at most 2"),
        ("75.9612%", "75.9612% has 4 decimals: a percent takes at most 2"),
        ("64.5", "64.5 is not a whole number of correct answers: add % for a percent (64.5%)"),
        ("1234", "Safety has only 83 questions"),
        ("100.01%", "a percent cannot be over 100%"),
        ("-3", "a score cannot be negative"),
        ("abc", "'abc' is not a score: type 64 (correct) or 77.1%"),
    ],
)
def test_a_bad_score_says_what_is_allowed(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match="^" + reason.replace("(", r"\(").replace(")", r"\)")):
        parse_score(typed, SAFETY)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("77.99%", "77.99"), ("77.10%", "77.10"), ("100%", "100"), ("76 %", "76"), ("0.5%", "0.5")],
)
def test_a_percent_with_two_decimals_or_fewer_is_kept_as_typed(typed: str, kept: str) -> None:
    correct, percent = parse_score(typed, SAFETY)
    assert correct is None and str(percent) == kept


def test_an_attempts_row_with_three_decimals_is_refused_with_why(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused(
        demo_path,
        tmp_path,
        "student_id,module,date,percent\nS1002,safety,2026-01-05,77.999\n",
        "--attempts",
    )
    assert "line 2: 77.999% has 3 decimals: a percent takes at most 2" in capsys.readouterr().err


async def test_the_import_dialog_says_what_the_other_rows_would_have_done(
    app: CptApp, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,first,last\nN1,Ada,Lovelace\nN2,,Lee\n")
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await type_text(pilot, str(bad))
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#result").render())
        assert "Nothing can be imported: 1 row rejected; without it, 1 would be new" in shown
        assert "line 3: first name is required" in shown
    assert app.store.path.read_bytes() == before


def test_the_add_form_says_an_empty_id_is_required(demo_store: Store) -> None:
    form = StudentForm(student_id="  ", first_name="Ada", last_name="Lovelace")
    with pytest.raises(ValidationError) as caught:
        form.to_student(None, demo_store.roster.fees)
    assert explain(caught.value) == {"student_id": "student ID is required"}


def test_a_quote_never_closed_is_refused_not_read_as_one_long_cell(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python's reader takes the rest of the file into the open cell: N3 and N4 would vanish
    from the import (an unknown column is ignored) with `2 new` said."""
    refused(
        demo_path,
        tmp_path,
        'student_id,first_name,last_name,notes\nN1,Ada,L,ok\nN2,Bo,L,"says hi\n'
        "N3,Cy,L,\nN4,Di,L,\n",
    )
    err = capsys.readouterr().err
    assert "line 3: a quote opened in this row is never closed" in err


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b'id,note\nA,x\nB,"never closed\nC,y\n', 3),
        (b'id,note\nA,x\n"  \n\n', 3),
        (b'id,"note\nA,x\n', 1),
    ],
)
def test_read_table_names_the_row_whose_quote_is_never_closed(data: bytes, line: int) -> None:
    with pytest.raises(CsvError, match=f"^line {line}: a quote opened in this row is never"):
        read_table(data, {"student_id": ["id"]})


@pytest.mark.parametrize(
    "data", [b'id,note\nA,"x\ny"\nB,z', b'id,note\nA,"x ""quoted"""\n', b'id,note\nA,b"c\n']
)
def test_quotes_closed_or_inside_a_cell_are_read_as_before(data: bytes) -> None:
    assert read_table(data, {"student_id": ["id"]}).rows
