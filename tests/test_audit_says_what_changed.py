"""Every audit entry says what changed, on one line (SPEC, Store: "an audit trail with the
system user, time and what changed"). `recertify` once logged `E2002 on 2026-11-23` with no
new expiry or fee, and `credential` `S1006 safety` with no number or date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cpt_tui.core.models import PointsEntry
from cpt_tui.store import Store

from .conftest import fixed_clock
from .conftest import run_cli as cli


def last_entry(store: Store) -> tuple[str, str]:
    entry = store.audit(1)[0]
    assert "\n" not in entry.detail and "\r" not in entry.detail  # one line
    return entry.action, entry.detail


def test_a_renewal_names_its_fee_and_the_new_expiry(demo_store: Store) -> None:
    demo_store.recertify("E2002", date(2026, 11, 20))
    assert last_entry(demo_store) == (
        "recertify",
        "student E2002: renewal added: on 2026-11-20, fee 75.00; "
        "CPT expires 2026-12-16 -> 2031-12-16",
    )


def test_recertify_from_the_command_line_is_logged_with_what_it_changed(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(demo_path, "recertify", "E2002", "--on", "2026-11-20") == 0
    capsys.readouterr()
    assert cli(demo_path, "log", "-n", "1") == 0
    line = capsys.readouterr().out
    assert "recertify" in line and "fee 75.00; CPT expires 2026-12-16 -> 2031-12-16" in line


def test_a_credential_names_its_certificate_number_and_verification(demo_store: Store) -> None:
    demo_store.record_credential("S1006", "safety", "SAF-2609-1", date(2026, 11, 20))
    assert last_entry(demo_store) == (
        "credential",
        "student S1006: safety certificate number none -> SAF-2609-1; "
        "safety verified none -> 2026-11-20 by tester",
    )
    demo_store.record_credential("S1006", "safety", "SAF-2609-2", date(2026, 11, 20))
    assert last_entry(demo_store)[1] == (
        "student S1006: safety certificate number SAF-2609-1 -> SAF-2609-2"
    )


def test_points_name_the_entry(demo_store: Store) -> None:
    entry = PointsEntry(
        earned_on=date(2026, 11, 1), category="education", points=40, note="OSHA 30"
    )
    demo_store.add_points("E2001", entry)
    assert last_entry(demo_store) == (
        "points",
        "student E2001: points added: 40 education on 2026-11-01 (OSHA 30)",
    )


def test_a_fee_schedule_names_the_recertification_fee_too(demo_store: Store) -> None:
    demo_store.set_fees(Decimal("28"), Decimal("22"), Decimal("70"), Decimal("80"))
    assert last_entry(demo_store)[1].endswith("; recertification 75.00 -> 80.00")


def test_a_retake_policy_names_each_wait_old_and_new(demo_store: Store) -> None:
    demo_store.set_retake_policy(20, 60, 3, Decimal("7.5"))
    assert last_entry(demo_store) == (
        "retake policy",
        "wait 15 -> 20 days; long wait 60 days (unchanged); long wait from failure 3 "
        "(unchanged); readiness margin 5 -> 7.5 points",
    )
    assert demo_store.undo() is not None
    assert last_entry(demo_store)[1].endswith(
        "withdrawn: wait 20 days, long wait 60 days, long wait from failure 3, "
        "readiness margin 7.5 points"
    )


def test_a_diagnostic_report_names_each_activity_changed(demo_store: Store) -> None:
    attempt = next(
        a for a in demo_store.roster.attempts if a.kind == "assessment" and not a.diagnostics
    )
    demo_store.set_diagnostics(attempt, {1: 80, 2: 60})
    head = f"{attempt.student_id} {attempt.module} {attempt.taken_on} diagnostics: "
    assert last_entry(demo_store) == (
        "diagnostics",
        head + "activity 1 none -> 80; activity 2 none -> 60",
    )
    demo_store.undo()
    assert last_entry(demo_store)[1].endswith(head + "activity 1 80 -> none; activity 2 60 -> none")


def test_a_credentials_import_names_each_students_change(demo_path: Path, tmp_path: Path) -> None:
    file = tmp_path / "mssc.csv"
    file.write_text("student_id,credential,certificate_number\nS1010,cpt,CPT4-2611-20999\n")
    assert cli(demo_path, "import", "--credentials", str(file)) == 0
    assert last_entry(Store(demo_path))[1] == (
        "credentials: 0 new, 1 updated, 0 unchanged, 0 rejected; "
        "student S1010: cpt certificate number none -> CPT4-2611-20999"
    )


def test_a_points_import_names_each_entry(demo_path: Path, tmp_path: Path) -> None:
    file = tmp_path / "points.csv"
    file.write_text("student_id,date,category,points,note\nE2001,2026-10-01,other,5,x\n")
    assert cli(demo_path, "import", "--points", str(file)) == 0
    assert last_entry(Store(demo_path))[1] == (
        "points: 1 new, 0 updated, 0 unchanged, 0 rejected; "
        "student E2001: points added: 5 other on 2026-10-01 (x)"
    )


def test_a_diagnostics_import_names_each_activity(demo_path: Path, tmp_path: Path) -> None:
    store = Store(demo_path, clock=fixed_clock)
    attempt = next(a for a in store.roster.attempts if a.kind == "assessment" and not a.diagnostics)
    file = tmp_path / "diag.csv"
    file.write_text(
        "student_id,module,date,activity,percent\n"
        f"{attempt.student_id},{attempt.module},{attempt.taken_on},3,45\n"
    )
    assert cli(demo_path, "import", "--diagnostics", str(file)) == 0
    assert last_entry(Store(demo_path))[1].endswith(
        f"; {attempt.student_id} {attempt.module} {attempt.taken_on} diagnostics: "
        "activity 3 none -> 45"
    )


def test_an_edit_of_the_state_id_and_graduation_year_is_named(demo_store: Store) -> None:
    """The state ID, a state's identifier for the student (FERPA), is said to have changed,
    never written into the trail, which `log` prints and which outlives a deleted student."""
    from cpt_tui.core.models import StudentForm

    student = demo_store.roster.by_id["S1001"]
    form = StudentForm.of(student).model_copy(update={"state_id": "123456789", "grad_year": "2031"})
    demo_store.save_student(form, student)
    detail = last_entry(demo_store)[1]
    assert "state ID changed" in detail
    assert "123456789" not in detail and "102345671" not in detail
    assert "graduation year " in detail and "-> 2031" in detail
