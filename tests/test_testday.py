"""Practice tests and retake policy in the store, the CSVs that keep them, and `cpt-tui testday`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cpt_tui.cli import main
from cpt_tui.core.catalog import DEFAULT_RETAKE_POLICY
from cpt_tui.core.csvio import attempts_rows, write_csv
from cpt_tui.core.models import StudentForm
from cpt_tui.core.retakes import eligibility
from cpt_tui.store import InvalidFields, Store

from .conftest import fixed_clock

TODAY = date(2026, 11, 21)


@pytest.fixture
def class_store(empty_store: Store, add_student: Callable[..., object]) -> Store:
    """Ada waits after failing Safety on 11-10; Alan practised Safety to 85%, Quality to 70%."""
    add_student(empty_store, "S1", "Ada", "Lovelace", registered=True, section="P1")
    add_student(empty_store, "S2", "Alan", "Turing", section="P2")
    empty_store.record_attempt("S1", "safety", date(2026, 11, 10), correct=50)
    empty_store.record_attempt(
        "S2", "safety", date(2026, 11, 1), percent=Decimal(85), practice=True
    )
    empty_store.record_attempt(
        "S2", "quality", date(2026, 11, 1), percent=Decimal(70), practice=True
    )
    return empty_store


def test_a_practice_score_is_never_charged_nor_a_pass(class_store: Store) -> None:
    roster = class_store.roster
    alan = roster.standings["S2"].modules["safety"]
    assert alan.practice and not alan.attempts and not alan.passed
    assert roster.fee_lines["S2"].assessments == 0 and roster.fee_lines["S2"].attempts == 0
    assert class_store.audit(1)[0].action == "record practice"


def test_the_retake_policy_is_edited_audited_and_kept_with_its_history(
    class_store: Store,
) -> None:
    ada = class_store.roster.standings["S1"].modules["safety"]
    policies = class_store.roster.retake_policies
    assert eligibility(ada, TODAY, policies).eligible_from == date(2026, 11, 25)
    class_store.set_retake_policy(7, 30, 2, Decimal("7.5"))
    roster = class_store.roster
    assert roster.retake_policy.readiness_margin == Decimal("7.5")
    # The failure on 11-10 keeps the wait of the policy in force then.
    assert eligibility(ada, TODAY, roster.retake_policies).eligible_from == date(2026, 11, 25)
    entry = class_store.audit(1)[0]
    assert entry.action == "retake policy" and "readiness margin 5 -> 7.5 points" in entry.detail
    assert Store(class_store.path, clock=fixed_clock).roster.retake_policy.wait_days == 7
    assert class_store.undo() is not None
    assert class_store.roster.retake_policy.wait_days == 15


def test_a_bad_retake_policy_is_refused_and_the_store_unchanged(class_store: Store) -> None:
    before = class_store.path.read_bytes()
    with pytest.raises(InvalidFields) as refused:
        class_store.set_retake_policy(-1, 60, 3, Decimal(5))
    assert "wait_days" in refused.value.reasons
    with pytest.raises(InvalidFields):
        class_store.set_retake_policy(15, 60, 3, Decimal("101"))
    assert class_store.path.read_bytes() == before


def test_the_attempts_export_and_import_keep_practice_as_practice(
    class_store: Store, tmp_path: Path, add_student: Callable[..., object]
) -> None:
    rows = list(attempts_rows(class_store.roster))
    assert rows[0][-1] == "kind"
    practice = [r for r in rows if r[-1] == "practice"]
    assert [r[5:] for r in practice] == [["", "0.00", "practice"]] * 2
    fresh = Store(tmp_path / "fresh.json", clock=fixed_clock)
    add_student(fresh, "S1", "Ada", "Lovelace", registered=True)
    add_student(fresh, "S2", "Alan", "Turing")
    plan = fresh.import_attempts(write_csv(rows).encode())
    assert plan.ok and len(plan.new) == 3
    assert fresh.roster.standings["S2"].modules["safety"].practice
    assert fresh.roster.fee_lines["S2"].assessments == 0
    again = fresh.import_attempts(write_csv(rows).encode())
    assert again.unchanged == 3 and not again.new


def test_a_kind_column_that_is_neither_is_refused(class_store: Store) -> None:
    before = class_store.path.read_bytes()
    data = b"student_id,module,date,percent,kind\nS1,safety,2026-11-20,80,mock\n"
    plan = class_store.import_attempts(data)
    assert not plan.ok and "kind 'mock' is not assessment or practice" in plan.errors[0][1]
    assert class_store.path.read_bytes() == before


def test_import_practice_takes_every_row_as_practice(
    class_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "practice.csv"
    csv.write_text("student_id,module,date,percent,fee\nS1,quality,2026-11-20,88.5,22.00\n")
    db = str(class_store.path)
    assert main(["--db", db, "import", "--practice", str(csv), "--dry-run"]) == 0
    assert "would import practice: 1 new" in capsys.readouterr().out
    assert main(["--db", db, "import", "--practice", str(csv)]) == 0
    roster = Store(class_store.path).roster
    quality = roster.standings["S1"].modules["quality"]
    assert [a.fee for a in quality.practice] == [Decimal("0.00")] and not quality.attempts
    assert main(["--db", db, "import", "--practice", "--attempts", str(csv)]) == 2


def test_an_early_retake_is_imported_and_named(
    class_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "retakes.csv"
    csv.write_text(
        "student_id,module,date,correct\n"
        "S1,safety,2026-11-20,70\n"  # 10 days after the failure: early
        "S1,quality,2026-11-20,70\n"
    )
    db = str(class_store.path)
    assert main(["--db", db, "import", "--attempts", str(csv), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "line 2: early retake: S1 safety on 2026-11-20: eligible from 2026-11-25" in out
    assert "1 early retake (before eligibility)" in out and "line 3" not in out
    assert main(["--db", db, "import", "--attempts", str(csv)]) == 0
    assert "imported attempts: 2 new, 0 updated, 0 unchanged, 0 rejected; 1 early" in (
        capsys.readouterr().out
    )
    assert len(Store(class_store.path).roster.standings["S1"].modules["safety"].attempts) == 2


def test_testday_prints_the_list_and_totals(
    class_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(class_store.path), "testday", "2026-11-21"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Test day 2026-11-21"
    ada_safety = next(line for line in lines if line.startswith("S1 ") and "Safety" in line)
    assert "2026-11-25" in ada_safety and ada_safety.endswith("no   $22.00")
    alan_safety = next(line for line in lines if line.startswith("S2 ") and "Safety" in line)
    assert " 85.0 yes  $50.00" in alan_safety
    assert lines[-2] == "Eligible and ready: 1 sitting (1 student), fees $50.00"
    assert lines[-1] == "Listed 8: 7 eligible, 1 ready"
    assert max(len(line) for line in lines) <= 80


def test_testday_on_the_day_the_wait_ends(
    class_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(class_store.path), "testday", "2026-11-25", "--section", "p1"]) == 0
    out = capsys.readouterr().out
    assert "Listed 4: 4 eligible, 0 ready" in out and "Turing" not in out


def test_testday_csv(
    class_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(class_store.path)
    assert main(["--db", db, "testday", "2026-11-21", "--csv", "-"]) == 0
    lines = capsys.readouterr().out.split("\r\n")
    assert lines[0] == (
        "\ufeffstudent_id,last_name,first_name,section,module,attempts,last_attempt_on,"
        "eligible_from,eligible,practice_pct,ready,fee"
    )
    assert lines[1] == "S1,Lovelace,Ada,P1,safety,1,2026-11-10,2026-11-25,no,,no,22.00"
    assert lines[5] == "S2,Turing,Alan,P2,safety,0,,,yes,85.0,yes,50.00"
    target = tmp_path / "day.csv"
    assert main(["--db", db, "testday", "2026-11-21", "--csv", str(target)]) == 0
    assert target.stat().st_mode & 0o777 == 0o600
    assert main(["--db", db, "testday", "2026-11-21", "--csv", str(target)]) == 2
    assert "use --force" in capsys.readouterr().err
    assert main(["--db", db, "testday", "--csv", str(target), "--force", "--no-bom"]) == 0
    assert target.read_bytes().startswith(b"student_id,")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["testday", "21/11/2026"], "is not a date: use YYYY-MM-DD"),
        (["testday", "--section", "Zz"], "no section 'Zz'; the sections are: P1, P2"),
    ],
)
def test_testday_refuses_bad_input_with_exit_2(
    class_store: Store, args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(class_store.path), *args]) == 2
    assert words in capsys.readouterr().err


def test_an_older_stores_attempts_read_as_assessments(class_store: Store) -> None:
    data = json.loads(class_store.path.read_text())
    for doc in data["attempts"].values():
        doc.pop("kind", None)
    data.pop("retakes", None)
    class_store.path.write_text(json.dumps(data))
    roster = Store(class_store.path, clock=fixed_clock).roster
    assert {a.kind for a in roster.attempts} == {"assessment"}
    assert roster.retake_policies == (DEFAULT_RETAKE_POLICY,)


def test_testday_dropped_students_only_when_asked(
    class_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    ada = class_store.roster.by_id["S1"]
    form = StudentForm.of(ada).model_copy(update={"dropped": True})
    class_store.save_student(form, ada)
    db = str(class_store.path)
    assert main(["--db", db, "testday", "2026-11-21"]) == 0
    assert "Lovelace" not in capsys.readouterr().out
    assert main(["--db", db, "testday", "2026-11-21", "--dropped"]) == 0
    assert "(dropped) Lovelace" in capsys.readouterr().out
