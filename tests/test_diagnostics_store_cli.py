"""Diagnostics stored with their attempt (deleted, undone, audited with it), in CSV and printed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from cpt_tui.cli import main
from cpt_tui.core.models import Attempt
from cpt_tui.store import InvalidFields, Store, StoreError

from .conftest import fixed_clock

HEADER = "student_id,module,date,activity,percent\n"


@pytest.fixture
def store(empty_store: Store, add_student: Callable[..., object]) -> Store:
    """Three students: S1 and S2 in section A, S3 in B; each sat Safety on 2026-03-02, S1
    also Maintenance on 2026-04-01 and Safety again on 2026-05-04."""
    add_student(empty_store, "S1", "Ada", "Lovelace", section="A")
    add_student(empty_store, "S2", "Alan", "Turing", section="A")
    add_student(empty_store, "S3", "Grace", "Hopper", section="B")
    for sid in ("S1", "S2", "S3"):
        empty_store.record_attempt(sid, "safety", date(2026, 3, 2), correct=60)
    empty_store.record_attempt("S1", "maintenance", date(2026, 4, 1), correct=70)
    empty_store.record_attempt("S1", "safety", date(2026, 5, 4), correct=70)
    return empty_store


def the_attempt(store: Store, sid: str, key: str, day: str) -> Attempt:
    return next(
        a
        for a in store.roster.attempts_of(sid)
        if a.module == key and a.taken_on == date.fromisoformat(day)
    )


def write(tmp_path: Path, body: str, name: str = "diag.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body)
    return path


def fresh(store: Store) -> Store:
    return Store(store.path, clock=fixed_clock, user="tester")


# -- the store ------------------------------------------------------------------------------


def test_a_report_is_saved_with_its_attempt_audited_and_undone(store: Store) -> None:
    attempt = the_attempt(store, "S1", "safety", "2026-03-02")
    saved = store.set_diagnostics(attempt, {3: 40, 1: 75})
    assert saved.diagnostics == {1: 75, 3: 40}
    assert list(saved.diagnostics) == [1, 3]
    assert fresh(store).roster.attempts_by_id[attempt.attempt_id].diagnostics == {1: 75, 3: 40}
    entry = store.audit(1)[0]
    assert (entry.action, entry.detail) == (
        "diagnostics",
        "S1 safety 2026-03-02 diagnostics: activity 1 none -> 75; activity 3 none -> 40",
    )
    assert store.undo() == "diagnostics S1 safety 2026-03-02: a report of 2 activities"
    assert fresh(store).roster.attempts_by_id[attempt.attempt_id].diagnostics == {}


def test_a_report_is_deleted_with_its_attempt_and_undo_brings_both_back(store: Store) -> None:
    attempt = store.set_diagnostics(the_attempt(store, "S2", "safety", "2026-03-02"), {2: 55})
    store.delete_attempt(attempt.attempt_id)
    assert attempt.attempt_id not in fresh(store).roster.attempts_by_id
    store.undo()
    assert fresh(store).roster.attempts_by_id[attempt.attempt_id].diagnostics == {2: 55}
    store.delete_student("S2")
    store.undo()
    assert fresh(store).roster.attempts_by_id[attempt.attempt_id].diagnostics == {2: 55}


def test_a_bad_or_out_of_date_report_is_refused_and_nothing_changes(store: Store) -> None:
    attempt = the_attempt(store, "S1", "maintenance", "2026-04-01")
    before = store.path.read_bytes()
    with pytest.raises(InvalidFields, match="activities 1 to 4, not 5"):
        store.set_diagnostics(attempt, {5: 50})
    with pytest.raises(InvalidFields, match="0 to 100"):
        store.set_diagnostics(attempt, {1: 101})
    other = Store(store.path, clock=fixed_clock, user="colleague")
    other.set_diagnostics(attempt, {1: 90})
    changed = store.path.read_bytes()
    with pytest.raises(StoreError, match="changed by someone else"):
        store.set_diagnostics(attempt, {1: 10})
    assert store.path.read_bytes() == changed != before
    other.delete_attempt(attempt.attempt_id)
    with pytest.raises(StoreError, match="no longer in the store"):
        store.set_diagnostics(attempt, {1: 10})


# -- import ---------------------------------------------------------------------------------


def test_import_dry_run_then_for_real(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(
        tmp_path,
        "S1,safety,2026-03-02,1,80\n"
        "S1,Safety,3/2/2026,Emergency drills and teams,45%\n"
        "s2 ,safety,2026-03-02,10,100\n".replace("s2 ", "S2")
        + "S1,Maintenance Awareness,2026-04-01,monitor indicators,0\n",
    )
    before = store.path.read_bytes()
    db = ["--db", str(store.path)]
    assert main([*db, "import", "--diagnostics", str(file), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would import diagnostics: 4 new, 0 updated, 0 unchanged, 0 rejected" in out
    assert "(3 assessments changed)" in out
    assert store.path.read_bytes() == before
    assert main([*db, "import", "--diagnostics", str(file)]) == 0
    roster = fresh(store).roster
    assert the_attempt(fresh(store), "S1", "safety", "2026-03-02").diagnostics == {1: 80, 3: 45}
    assert the_attempt(fresh(store), "S2", "safety", "2026-03-02").diagnostics == {10: 100}
    assert the_attempt(fresh(store), "S1", "maintenance", "2026-04-01").diagnostics == {2: 0}
    assert len(roster.attempts) == 5
    entry = fresh(store).audit(1)[0]
    assert (entry.action, entry.detail.split(":")[0]) == ("import", "diagnostics")
    # A second import updates what differs and leaves the rest.
    again = write(tmp_path, "S1,safety,2026-03-02,1,81\nS1,safety,2026-03-02,3,45\n", "b.csv")
    assert main([*db, "import", "--diagnostics", str(again)]) == 0
    assert "0 new, 1 updated, 1 unchanged" in capsys.readouterr().out
    assert the_attempt(fresh(store), "S1", "safety", "2026-03-02").diagnostics == {1: 81, 3: 45}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("S1,safety,2026-03-02,11,50", "unknown activity '11': Safety has activities 1 to 10"),
        ("S1,safety,2026-03-02,Fly a kite,50", "line 3: unknown activity 'Fly a kite'"),
        ("S1,maintenance,2026-04-01,5,50", "unknown activity '5': Maint. has activities 1 to 4"),
        ("S1,safety,2026-03-03,1,50", "no such attempt: S1 has no Safety assessment on 2026-03-03"),
        ("S3,quality,2026-03-02,1,50", "line 3: no such attempt: S3 has no Quality assessment"),
        ("S9,safety,2026-03-02,1,50", "line 3: student ID 'S9' is not on the roster"),
        ("S1,welding,2026-03-02,1,50", "line 3: module 'welding' is not a CPT module"),
        ("S1,safety,2026-03-02,1,101", "line 3: percent '101' is out of range: 0 to 100"),
        ("S1,safety,2026-03-02,1,-3", "line 3: percent '-3' is out of range: 0 to 100"),
        ("S1,safety,2026-03-02,1,72.5", "line 3: percent '72.5' is not a whole number"),
        ("S1,safety,2026-03-02,1,", "line 3: no percent"),
        ("S1,safety,2026-03-02,2,50", "line 3: activity 2 of this assessment is already on line 2"),
        ("S1,safety,3/2/2026,safety orientation,50", "already on line"),
        ("S1,safety,2099-01-01,1,50", "line 3: 2099-01-01 is in the future"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_with_its_line_and_reason(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, reason: str
) -> None:
    """Line 2 is good; line 3 is bad: nothing is imported and the store is byte-identical."""
    file = write(tmp_path, f"S1,safety,2026-03-02,2,50\n{row}\nS2,safety,2026-03-02,5,60\n")
    if "already" in reason and "orientation" in row:
        file = write(tmp_path, f"S1,safety,2026-03-02,5,50\n{row}\n")
    before = store.path.read_bytes()
    assert main(["--db", str(store.path), "import", "--diagnostics", str(file)]) == 2
    err = capsys.readouterr().err
    assert reason in err
    assert ": line 3: " in err
    assert "nothing imported" in err
    assert err.count(": line ") == 1
    assert store.path.read_bytes() == before


def test_a_file_without_the_columns_is_refused(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "x.csv"
    file.write_text("student_id,module,date,percent\nS1,safety,2026-03-02,50\n")
    before = store.path.read_bytes()
    assert main(["--db", str(store.path), "import", "--diagnostics", str(file)]) == 2
    assert "line 1: missing columns: activity" in capsys.readouterr().err
    assert store.path.read_bytes() == before


def test_two_assessments_on_one_day_are_not_guessed(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store.record_attempt("S3", "safety", date(2026, 3, 2), correct=75)
    file = write(tmp_path, "S3,safety,2026-03-02,1,50\n")
    assert main(["--db", str(store.path), "import", "--diagnostics", str(file)]) == 2
    assert "S3 has 2 Safety assessments on 2026-03-02" in capsys.readouterr().err


# -- export and the round trip -------------------------------------------------------------


def test_export_then_import_of_it_changes_nothing(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store.set_diagnostics(the_attempt(store, "S1", "safety", "2026-03-02"), {4: 40, 1: 75})
    store.set_diagnostics(the_attempt(store, "S1", "safety", "2026-05-04"), {1: 90})
    store.set_diagnostics(the_attempt(store, "S3", "safety", "2026-03-02"), {2: 0})
    db = ["--db", str(store.path)]
    assert main([*db, "export", "--diagnostics", "-"]) == 0
    text = capsys.readouterr().out
    assert text == (
        "\ufeffstudent_id,module,date,activity,percent\r\n"
        "S1,safety,2026-03-02,1,75\r\nS1,safety,2026-03-02,4,40\r\n"
        "S1,safety,2026-05-04,1,90\r\nS3,safety,2026-03-02,2,0\r\n"
    )
    out = tmp_path / "d.csv"
    assert main([*db, "export", "--diagnostics", str(out)]) == 0
    assert "wrote the diagnostic reports of 3 assessments" in capsys.readouterr().out
    assert out.stat().st_mode & 0o777 == 0o600
    before = store.path.read_bytes()
    assert main([*db, "import", "--diagnostics", str(out)]) == 0
    assert "0 new, 0 updated, 4 unchanged, 0 rejected" in capsys.readouterr().out
    assert store.path.read_bytes() == before
    assert main([*db, "export", "--diagnostics", str(out)]) == 2
    assert "exists; use --force" in capsys.readouterr().err


def test_the_default_export_name_says_diagnostics(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--db", str(store.path), "export", "--diagnostics"]) == 0
    assert list(tmp_path.glob("cpt-diagnostics-*.csv"))


# -- report ---------------------------------------------------------------------------------


def test_report_prints_each_modules_averages_weakest_first(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """S1's latest Safety report (05-04) counts, not the earlier one; S3 is in section B."""
    store.set_diagnostics(the_attempt(store, "S1", "safety", "2026-03-02"), {1: 0, 2: 0})
    store.set_diagnostics(the_attempt(store, "S1", "safety", "2026-05-04"), {1: 80, 2: 60})
    store.set_diagnostics(the_attempt(store, "S2", "safety", "2026-03-02"), {1: 70, 2: 61})
    store.set_diagnostics(the_attempt(store, "S3", "safety", "2026-03-02"), {1: 10, 2: 90})
    db = ["--db", str(store.path)]
    assert main([*db, "report", "--diagnostics"]) == 0
    out = capsys.readouterr().out
    assert "Safety: 3 students with results" in out
    # 1: (80+70+10)/3 = 53.3; 2: (60+61+90)/3 = 70.3
    assert "    1    53.3%         3  Work in a safe and productive workplace" in out
    assert out.index("53.3%") < out.index("70.3%")
    assert "Maintenance Awareness: 0 students with results" in out
    assert main([*db, "report", "--diagnostics", "--section", "a"]) == 0
    out = capsys.readouterr().out
    assert ", section A" in out  # as stored, whatever the case typed
    # 1: (80+70)/2 = 75.0; 2: (60+61)/2 = 60.5
    assert out.index("60.5%") < out.index("75.0%")
    assert "Safety: 2 students with results" in out
    # Spaces around and another case name the same section, as everywhere else (it was
    # accepted, then matched no student).
    assert main([*db, "report", "--diagnostics", "--section", " A "]) == 0
    assert "Safety: 2 students with results" in capsys.readouterr().out


def test_report_leaves_dropped_students_out_unless_asked(
    store: Store, add_student: Callable[..., object], capsys: pytest.CaptureFixture[str]
) -> None:
    from cpt_tui.core.models import StudentForm

    store.set_diagnostics(the_attempt(store, "S2", "safety", "2026-03-02"), {1: 20})
    store.set_diagnostics(the_attempt(store, "S3", "safety", "2026-03-02"), {1: 60})
    s2 = store.roster.by_id["S2"]
    store.save_student(StudentForm.of(s2).model_copy(update={"dropped": True}), s2)
    db = ["--db", str(store.path)]
    assert main([*db, "report", "--diagnostics"]) == 0
    assert "    1    60.0%         1  " in capsys.readouterr().out
    assert main([*db, "report", "--diagnostics", "--dropped"]) == 0
    out = capsys.readouterr().out
    assert "    1    40.0%         2  " in out
    assert "dropped students included" in out


def test_report_of_a_section_that_is_not_there_exits_2(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(store.path), "report", "--diagnostics", "--section", "Z"]) == 2
    assert "no section 'Z'; the sections are: A, B" in capsys.readouterr().err


def test_import_and_export_refuse_two_kinds_at_once(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, "")
    before = store.path.read_bytes()
    db = ["--db", str(store.path)]
    assert main([*db, "import", "--attempts", "--diagnostics", str(file)]) == 2
    assert "--diagnostics has its own layout" in capsys.readouterr().err
    assert main([*db, "import", "--practice", "--diagnostics", str(file)]) == 2
    with pytest.raises(SystemExit) as exited:
        main([*db, "export", "--attempts", "--diagnostics"])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
    assert store.path.read_bytes() == before


def test_a_practice_test_takes_no_report(store: Store) -> None:
    import orjson

    attempt = the_attempt(store, "S2", "safety", "2026-03-02")
    data = orjson.loads(store.path.read_bytes())
    for record in data["attempts"].values():
        if record["attempt_id"] == attempt.attempt_id:
            record |= {"kind": "practice", "fee": "0.00"}
    store.path.write_bytes(orjson.dumps(data))
    again = fresh(store)
    practice = again.roster.attempts_by_id[attempt.attempt_id]
    before = store.path.read_bytes()
    with pytest.raises(StoreError, match="practice test has no MSSC diagnostic report"):
        again.set_diagnostics(practice, {1: 50})
    assert store.path.read_bytes() == before


def test_ids_are_matched_as_everywhere_and_the_dry_run_names_each_match(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`s1` is S1 (case and spaces ignored); the dry run and the import say so."""
    file = write(tmp_path, " s1 ,safety,2026-03-02,1,80\ns1,safety,2026-03-02,2,70\n")
    db = ["--db", str(store.path)]
    assert main([*db, "import", "--diagnostics", str(file), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "2 new, 0 updated" in out
    assert "lines 2, 3: s1 is S1 (Ada Lovelace)" in out
    assert main([*db, "import", "--diagnostics", str(file)]) == 0
    assert the_attempt(fresh(store), "S1", "safety", "2026-03-02").diagnostics == {1: 80, 2: 70}
