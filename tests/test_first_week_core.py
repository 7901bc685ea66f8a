"""What a new instructor met in the first week (issue 14), at the core and the store: IDs,
money that reconciles, scores and dates refused, the expiry day and the audit trail's
detail (the mutation check and the planner: test_first_week_mutations.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cpt_tui.core.csv_imports import plan_attempts_import
from cpt_tui.core.csvio import attempts_rows, roster_rows, write_csv
from cpt_tui.core.ids import id_key
from cpt_tui.core.labels import cpt
from cpt_tui.core.models import Student, StudentForm
from cpt_tui.core.roster import Roster
from cpt_tui.core.standing import CptStatus, standing
from cpt_tui.store import InvalidFields, Store

from .conftest import NOW, attempt_of, fixed_clock

ROSTER_HEAD = "student_id,first_name,last_name,section\r\n"
ATTEMPTS_HEAD = "student_id,module,date,correct,percent\r\n"


def counter_ids() -> object:
    count = iter(range(1_000_000))
    return lambda: f"new{next(count)}"


def plan_attempts(store: Store, text: str) -> object:
    roster = store.roster
    return plan_attempts_import(
        text.encode(),
        roster,
        roster.fees,
        NOW.date(),
        NOW,
        counter_ids(),  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------- 1. duplicate students


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("S1001", "S1001"), ("s1001", "S1001"), (" S1001 ", "S1001"), ("7", "007"), ("0007", "7")],
)
def test_an_id_means_the_same_student_ignoring_case_spaces_and_leading_zeros(
    typed: str, stored: str
) -> None:
    assert id_key(typed) == id_key(stored)


def test_ids_that_differ_otherwise_stay_apart() -> None:
    assert id_key("S1001") != id_key("S01001")  # leading zeros count only in all-digit IDs
    assert id_key("70") != id_key("7")
    assert id_key("0") == id_key("000")


def test_adding_a_lower_case_copy_of_a_stored_id_is_refused(demo_store: Store) -> None:
    before = demo_store.path.read_bytes()
    with pytest.raises(InvalidFields) as refused:
        demo_store.save_student(StudentForm(student_id="s1001", first_name="A", last_name="B"))
    assert "S1001" in refused.value.reasons["student_id"]
    assert "Ava Martinez" in refused.value.reasons["student_id"]
    assert demo_store.path.read_bytes() == before


def test_an_id_without_its_leading_zeros_is_the_same_student(
    empty_store: Store, add_student: object
) -> None:
    add_student(empty_store, "007", "James", "Bond")  # type: ignore[operator]
    before = empty_store.path.read_bytes()
    with pytest.raises(InvalidFields, match="stored as 007"):
        add_student(empty_store, "7", "Jim", "Bond")  # type: ignore[operator]
    assert empty_store.path.read_bytes() == before


def test_an_edit_may_change_only_the_case_of_its_own_id(demo_store: Store) -> None:
    ava = demo_store.roster.by_id["S1001"]
    form = StudentForm.of(ava).model_copy(update={"student_id": "s1001"})
    saved = demo_store.save_student(form, ava)
    assert saved.student_id == "s1001"
    assert [s.student_id for s in demo_store.roster.students].count("s1001") == 1
    assert "S1001" not in demo_store.roster.by_id
    assert len(demo_store.roster.attempts_of("s1001")) == 4  # her attempts moved with her


def test_a_roster_import_of_lower_case_ids_updates_and_names_every_match(
    demo_store: Store,
) -> None:
    text = ROSTER_HEAD + "s1001,Ava,Martinez,P3\r\ns1002,Liam,Johnson,P2\r\nS1099,New,One,P2\r\n"
    plan = demo_store.import_roster(text.encode(), dry_run=True)
    assert (len(plan.new), len(plan.updated), plan.unchanged) == (1, 1, 1)
    assert plan.notes == [
        "line 2: s1001 is S1001 (Ava Martinez)",
        "line 3: s1002 is S1002 (Liam Johnson)",
    ]
    demo_store.import_roster(text.encode())
    ids = [s.student_id for s in demo_store.roster.students]
    assert "s1001" not in ids and ids.count("S1001") == 1
    assert demo_store.roster.by_id["S1001"].section == "P3"


def test_a_spreadsheet_that_stripped_leading_zeros_matches_the_stored_ids(
    empty_store: Store,
) -> None:
    empty_store.import_roster((ROSTER_HEAD + "007,James,Bond,A\r\n").encode())
    plan = empty_store.import_roster((ROSTER_HEAD + "7,James,Bond,B\r\n").encode())
    assert (len(plan.new), len(plan.updated)) == (0, 1)
    assert plan.notes == ["line 2: 7 is 007 (James Bond)"]
    assert [s.student_id for s in empty_store.roster.students] == ["007"]


def test_one_file_naming_a_student_twice_in_two_spellings_is_refused(empty_store: Store) -> None:
    plan = empty_store.import_roster((ROSTER_HEAD + "A1,X,Y,\r\na1,X,Y,\r\n").encode())
    assert plan.errors == [(3, "student ID a1 is already on line 2")]
    assert not empty_store.path.exists()


def test_an_attempts_import_of_a_lower_case_id_lands_on_the_stored_student(
    demo_store: Store,
) -> None:
    text = ATTEMPTS_HEAD + "s1007,safety,2026-11-02,70,\r\ns1007,quality,2026-11-02,70,\r\n"
    plan = demo_store.import_attempts(text.encode())
    assert plan.notes[0] == "lines 2, 3: s1007 is S1007 (Ethan Brown)"
    assert {a.student_id for a in plan.new} == {"S1007"}
    assert len(demo_store.roster.attempts_of("S1007")) == 2


# ---------------------------------------------------------------- 2. money reconciles


def _fees_by_student(roster: Roster) -> dict[str, tuple[Decimal, ...]]:
    out = {}
    for sid, line in roster.fee_lines.items():
        out[sid] = (line.registration, line.assessments, line.supplements, line.total)
    return out


def test_money_survives_export_and_import_after_the_fee_schedule_changed(
    demo_store: Store, tmp_path: Path
) -> None:
    """Fees paid at $28/$22/$70 come back as paid, even where $30/$25/$95 is now in force."""
    wide = write_csv(roster_rows(demo_store.roster)).encode()
    long = write_csv(attempts_rows(demo_store.roster)).encode()
    fresh = Store(tmp_path / "fresh.json", clock=fixed_clock, user="tester")
    fresh.set_fees(Decimal("30"), Decimal("25"), Decimal("95"))
    assert fresh.import_roster(wide).ok
    assert fresh.import_attempts(long).ok
    assert _fees_by_student(fresh.roster) == _fees_by_student(demo_store.roster)


def test_a_supplement_column_reads_a_fee_paid_yes_or_no(empty_store: Store) -> None:
    text = (
        "student_id,first_name,last_name,registered,fee_registration,"
        "safety_supplement,quality_supplement,green_supplement\r\n"
        "A1,Ann,Lee,yes,25.00,65.00,yes,\r\n"
        "A2,Bo,Kim,no,28.00,0.00,no,n\r\n"
    )
    assert empty_store.import_roster(text.encode()).ok
    ann, bo = empty_store.roster.by_id["A1"], empty_store.roster.by_id["A2"]
    assert ann.registration_fee == Decimal("25.00")  # as paid, not today's $28.00
    assert ann.supplements == {"safety": Decimal("65.00"), "quality": Decimal("70.00")}
    assert bo.registration_fee is None  # fee_registration is read only when registered
    assert bo.supplements == {"safety": Decimal("0.00")}  # bought, at no charge


def test_a_bad_supplement_amount_is_refused_and_nothing_written(demo_store: Store) -> None:
    before = demo_store.path.read_bytes()
    text = "student_id,first_name,last_name,safety_supplement\r\nS1001,Ava,Martinez,lots\r\n"
    plan = demo_store.import_roster(text.encode())
    assert plan.errors and "safety_supplement" in plan.errors[0][1]
    assert demo_store.path.read_bytes() == before


def test_an_attempt_registers_an_unregistered_student(demo_store: Store) -> None:
    assert not demo_store.roster.by_id["E2008"].registered
    demo_store.record_attempt("E2008", "safety", date(2026, 11, 20), correct=64)
    ben = demo_store.roster.by_id["E2008"]
    assert ben.registration_fee == Decimal("28.00")
    assert demo_store.roster.fee_lines["E2008"].total == Decimal("50.00")
    assert "registered E2008 at 28.00" in demo_store.audit(1)[0].detail
    demo_store.undo()  # one change: undo takes back the attempt and the registration
    assert not demo_store.roster.by_id["E2008"].registered
    assert not demo_store.roster.attempts_of("E2008")


def test_an_attempts_import_registers_and_its_dry_run_says_so(demo_store: Store) -> None:
    text = ATTEMPTS_HEAD + "E2008,safety,2026-11-02,70,\r\nE2008,quality,2026-11-03,70,\r\n"
    plan = demo_store.import_attempts(text.encode(), dry_run=True)
    assert plan.notes == [
        "registers 1 student at $28.00 (every assessment needs the registration): "
        "Ben Carter (E2008)"
    ]
    assert [s.student_id for s in plan.updated] == ["E2008"]
    assert not demo_store.roster.by_id["E2008"].registered  # a dry run writes nothing
    demo_store.import_attempts(text.encode())
    assert demo_store.roster.by_id["E2008"].registration_fee == Decimal("28.00")
    assert demo_store.roster.fee_lines["E2008"].total == Decimal("72.00")


# ---------------------------------------------------------------- 3. scores and dates


def test_a_row_whose_correct_and_percent_disagree_is_refused(demo_store: Store) -> None:
    before = demo_store.path.read_bytes()
    text = ATTEMPTS_HEAD + "S1007,safety,2026-11-02,64,77.1\r\nS1007,quality,2026-11-02,64,90\r\n"
    plan = demo_store.import_attempts(text.encode())
    assert [line for line, _ in plan.errors] == [3]
    assert "correct 64 is 76.2% of 84 questions, but percent says 90" in plan.errors[0][1]
    assert demo_store.path.read_bytes() == before


def test_a_row_whose_percent_is_the_exported_rounding_is_taken(demo_store: Store) -> None:
    text = ATTEMPTS_HEAD + "S1007,safety,2026-11-02,64,77.1\r\n"  # 64/83 = 77.108...
    assert demo_store.import_attempts(text.encode()).ok


@pytest.mark.parametrize("day", ["1900-01-01", "1999-12-31", "12/31/1999"])
def test_a_date_before_the_cpt_existed_is_refused(demo_store: Store, day: str) -> None:
    before = demo_store.path.read_bytes()
    plan = demo_store.import_attempts((ATTEMPTS_HEAD + f"S1007,safety,{day},64,\r\n").encode())
    assert plan.errors and "before the CPT existed (2000)" in plan.errors[0][1]
    with pytest.raises(InvalidFields, match="before the CPT existed"):
        demo_store.record_attempt("S1007", "safety", date(1900, 1, 1), correct=64)
    assert demo_store.path.read_bytes() == before


def test_a_fractional_count_in_the_correct_column_is_refused(demo_store: Store) -> None:
    plan = demo_store.import_attempts(
        (ATTEMPTS_HEAD + "S1007,safety,2026-11-02,64.5,\r\n").encode()
    )
    assert plan.errors and "add % for a percent" in plan.errors[0][1]


# ---------------------------------------------------------------- 4. the expiry day


def test_a_cpt_counts_on_its_expiry_day_and_is_expired_the_day_after() -> None:
    student = Student(student_id="S1", first_name="Ada", last_name="Lovelace")
    attempts = [
        attempt_of(key, "2021-11-21", correct=80)
        for key in ("safety", "quality", "production", "maintenance")
    ]
    st = standing(student, attempts)
    assert st.cpt_expires_on == date(2026, 11, 21)
    assert st.cpt_status(date(2026, 11, 21)) is CptStatus.EXPIRING
    assert cpt(st, date(2026, 11, 21)) == "! 2026-11-21"
    assert st.cpt_status(date(2026, 11, 22)) is CptStatus.EXPIRED
    assert cpt(st, date(2026, 11, 22)) == "✗ 2026-11-21"


# ---------------------------------------------------------------- 5. the audit trail


def test_an_edit_is_recorded_with_each_field_old_and_new(demo_store: Store) -> None:
    ava = demo_store.roster.by_id["S1001"]
    form = StudentForm.of(ava).model_copy(
        update={"student_id": "S5009", "section": "P3", "registered": False}
    )
    demo_store.save_student(form, ava)
    entry = demo_store.audit(1)[0]
    assert (entry.action, entry.detail) == (
        "edit",
        "student S5009 (was S1001): ID S1001 -> S5009; section P2 -> P3; "
        "registration 28.00 -> none",
    )


def test_scores_dates_fees_and_the_schedule_are_in_the_audit_trail(demo_store: Store) -> None:
    attempt = demo_store.record_attempt(
        "S1001", "green", date(2026, 11, 2), percent=Decimal("81.5")
    )
    demo_store.toggle_supplement("S1001", "green")
    demo_store.delete_attempt(attempt.attempt_id)
    demo_store.set_fees(Decimal("30"), Decimal("22"), Decimal("75"))
    demo_store.undo()
    details = [(e.action, e.detail) for e in reversed(demo_store.audit(5))]
    assert details == [
        ("record", "S1001 green 81.5% on 2026-11-02, fee 22.00"),
        ("supplement", "student S1001: supplement green none -> 70.00"),
        ("delete attempt", "S1001 green 81.5% on 2026-11-02, fee 22.00"),
        (
            "fees",
            "registration 28.00 -> 30.00; assessment 22.00 (unchanged); supplement 70.00 -> 75.00"
            "; recertification 75.00 (unchanged)",
        ),
        ("undo", details[-1][1]),
    ]
    assert details[-1][1] == (
        "fees registration 28.00 -> 30.00; assessment 22.00 (unchanged); "
        "supplement 70.00 -> 75.00; recertification 75.00 (unchanged); fee schedule of "
        "2026-11-21 10:00 withdrawn: registration 30.00, assessment 22.00, supplement 75.00, "
        "recertification 75.00"
    )


def test_a_delete_and_its_undo_say_what_went_and_came_back(demo_store: Store) -> None:
    count = len(demo_store.roster.attempts_of("S1004"))
    demo_store.delete_student("S1004")
    gone = demo_store.audit(1)[0].detail
    assert gone.startswith(
        "student S1004: Zoë O'Brien; email zoe.obrien@lincolnhs.edu; section P2;"
    )
    assert f"{count} attempts; attempt S1004 safety" in gone
    demo_store.undo()
    back = demo_store.audit(1)[0].detail
    assert "restored student S1004: Zoë O'Brien" in back
    assert "restored attempt S1004 safety" in back


def test_an_import_names_what_it_added_and_changed(demo_store: Store) -> None:
    text = ROSTER_HEAD + "S1001,Ava,Martinez,P3\r\nS1099,New,One,P2\r\n"
    demo_store.import_roster(text.encode())
    detail = demo_store.audit(1)[0].detail
    assert detail.startswith("students: 1 new, 1 updated, 0 unchanged, 0 rejected")
    assert "new student S1099: New One; section P2" in detail
    assert "student S1001: section P2 -> P3" in detail
