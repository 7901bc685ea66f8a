"""Recertification and credentials at their borders: the validity, 100 points, 90 days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from cpt_tui.core import catalog
from cpt_tui.core.credentials import (
    credentials_of,
    find_credential,
    noted,
    verification_queue,
)
from cpt_tui.core.fees import student_fees
from cpt_tui.core.models import (
    Attempt,
    FeeSchedule,
    PointsEntry,
    Renewal,
    Student,
    StudentForm,
)
from cpt_tui.core.parse import explain
from cpt_tui.core.recert import (
    Recertification,
    RenewalRefused,
    recertification,
    renewed,
    window_opens,
)
from cpt_tui.core.standing import CptStatus, cpt_expiry, standing

D = date.fromisoformat
CERTIFIED = D("2024-02-29")
"""The last core module passed on a leap day: the CPT expires 2029-02-28."""
EXPIRY = D("2029-02-28")


def passing(module: str, on: date) -> Attempt:
    spec = catalog.module(module)
    return Attempt(
        attempt_id=f"{module}{on}",
        student_id="S1",
        module=module,
        taken_on=on,
        correct=spec.questions,
        questions=spec.questions,
        fee=Decimal("22.00"),
        recorded_at=datetime(2024, 3, 1),
    )


ATTEMPTS = [
    passing("safety", D("2024-01-10")),
    passing("quality", D("2024-01-20")),
    passing("production", D("2024-02-01")),
    passing("maintenance", CERTIFIED),
]


def holder(points: Sequence[tuple[str, int]] = (), renewals: tuple[Renewal, ...] = ()) -> Student:
    entries = tuple(
        PointsEntry(earned_on=D(day), category="education", points=n) for day, n in points
    )
    return Student(
        student_id="S1", first_name="Ada", last_name="Lovelace", points=entries, renewals=renewals
    )


def status(student: Student, on: str) -> Recertification:
    found = recertification(standing(student, ATTEMPTS), D(on))
    assert found is not None
    return found


def test_a_leap_day_cpt_expires_on_28_february_and_its_renewal_five_years_on() -> None:
    assert cpt_expiry(CERTIFIED) == EXPIRY
    once = (Renewal(renewed_on=D("2029-01-15"), fee=Decimal("75.00")),)
    assert cpt_expiry(CERTIFIED, once) == D("2034-02-28")
    st = standing(holder(renewals=once), ATTEMPTS)
    assert st.cpt_expires_on == D("2034-02-28")


def test_a_renewal_through_the_rules_expires_2034_02_28() -> None:
    student = holder([("2024-02-29", 60), ("2029-02-28", 40)])
    st = standing(student, ATTEMPTS)
    schedule = FeeSchedule(
        registration=Decimal("28"),
        assessment=Decimal("22"),
        supplement=Decimal("70"),
        effective_from=datetime(2020, 1, 1),
    )
    after = renewed(st, EXPIRY, schedule)
    assert after.renewals == (Renewal(renewed_on=EXPIRY, fee=Decimal("75.00")),)
    assert standing(after, ATTEMPTS).cpt_expires_on == D("2034-02-28")
    assert student_fees(after, ATTEMPTS).recertification == Decimal("75.00")
    assert student_fees(after, ATTEMPTS).total == Decimal("28.00") * 0 + 4 * Decimal(22) + 75


def test_points_on_the_first_and_last_day_of_the_validity_count_a_day_outside_does_not() -> None:
    inside = holder([("2024-02-29", 1), ("2029-02-28", 10)])
    assert status(inside, "2029-02-28").points == 11
    outside = holder([("2024-02-28", 100), ("2029-03-01", 100)])
    assert status(outside, "2029-02-28").points == 0


def test_points_after_the_day_in_question_do_not_count() -> None:
    student = holder([("2028-12-01", 50), ("2028-12-02", 50)])
    assert status(student, "2028-12-01").points == 50
    assert status(student, "2028-12-02").points == 100


def test_99_points_refused_100_allowed() -> None:
    short = status(holder([("2025-01-01", 99)]), "2029-01-01")
    assert not short.can_renew
    assert short.reasons == ["99 of 100 points since 2024-02-29: 1 more needed"]
    assert short.verdict() == "1 points short"
    assert status(holder([("2025-01-01", 99), ("2026-01-01", 1)]), "2029-01-01").can_renew


def test_the_window_opens_exactly_90_days_before_expiry() -> None:
    assert window_opens(EXPIRY) == EXPIRY - timedelta(days=90) == D("2028-11-30")
    student = holder([("2025-01-01", 100)])
    day_before = status(student, "2028-11-29")
    assert not day_before.can_renew
    assert day_before.reasons == [
        "recertification opens on 2028-11-30, 90 days before the expiry on 2029-02-28"
    ]
    assert status(student, "2028-11-30").can_renew


def test_renewable_on_the_expiry_day_not_the_day_after() -> None:
    student = holder([("2025-01-01", 100)])
    assert status(student, "2029-02-28").can_renew
    late = status(student, "2029-03-01")
    assert late.expired and late.reasons == [
        "the CPT expired on 2029-02-28: too late to renew, certify again"
    ]


def test_a_refusal_names_every_reason_and_leaves_the_student_as_is() -> None:
    student = holder([("2025-01-01", 30)])
    st = standing(student, ATTEMPTS)
    schedule = catalog.DEFAULT_FEES
    with pytest.raises(RenewalRefused) as refused:
        renewed(st, D("2027-01-01"), schedule)
    assert "opens on 2028-11-30" in str(refused.value)
    assert "30 of 100 points" in str(refused.value)
    assert st.student.renewals == ()
    with pytest.raises(RenewalRefused, match="holds no CPT"):
        renewed(standing(student, ATTEMPTS[:3]), D("2029-01-01"), schedule)


def test_after_a_renewal_points_count_from_the_renewal_date() -> None:
    renewal = (Renewal(renewed_on=D("2029-01-10"), fee=Decimal("75.00")),)
    student = holder([("2029-01-09", 100), ("2029-01-10", 5)], renewal)
    after = status(student, "2030-01-01")
    assert (after.valid_from, after.expires_on) == (D("2029-01-10"), D("2034-02-28"))
    assert after.points == 5
    # the next window counts from the new expiry: the roster's 90-day flag moves too
    st = standing(student, ATTEMPTS)
    assert st.cpt_status(D("2029-02-20")) is CptStatus.CERTIFIED
    assert st.cpt_status(D("2033-12-01")) is CptStatus.EXPIRING


def test_the_fee_schedule_has_the_recertification_fee_and_an_old_schedule_reads_it() -> None:
    assert catalog.DEFAULT_FEES.recertification == Decimal("75.00")
    old = FeeSchedule.model_validate(
        {
            "registration": "28",
            "assessment": "22",
            "supplement": "70",
            "effective_from": "2021-01-01T00:00:00",
        }
    )
    assert old.recertification == Decimal("75.00")


def test_a_version_1_student_record_reads_with_the_new_fields_empty() -> None:
    student = Student.model_validate({"student_id": "S1", "first_name": "A", "last_name": "B"})
    assert (student.state_id, student.grad_year) == ("", None)
    assert (student.credentials, student.points, student.renewals) == ({}, (), ())


@pytest.mark.parametrize("value", ["123456789", "NM00042", ""])
def test_state_ids_are_letters_and_digits(value: str) -> None:
    form = StudentForm(student_id="S1", first_name="A", last_name="B", state_id=value)
    assert form.to_student(None, catalog.DEFAULT_FEES).state_id == value


@pytest.mark.parametrize("value", ["123-456", "12 34", "é123", "12\x1b"])
def test_a_state_id_with_other_characters_is_refused(value: str) -> None:
    form = StudentForm(student_id="S1", first_name="A", last_name="B", state_id=value)
    with pytest.raises(ValidationError) as refused:
        form.to_student(None, catalog.DEFAULT_FEES)
    assert explain(refused.value)["state_id"] == (
        "state ID must be letters and digits only, at most 20 characters"
    )


def test_a_state_id_over_20_characters_is_refused() -> None:
    form = StudentForm(student_id="S1", first_name="A", last_name="B", state_id="1" * 21)
    with pytest.raises(ValidationError) as refused:
        form.to_student(None, catalog.DEFAULT_FEES)
    assert explain(refused.value)["state_id"] == "state ID is longer than 20 characters"


@pytest.mark.parametrize(
    ("typed", "year"), [("2027", 2027), ("1940", 1940), ("2100", 2100), ("", None)]
)
def test_graduation_years_within_reason(typed: str, year: int | None) -> None:
    form = StudentForm(student_id="S1", first_name="A", last_name="B", grad_year=typed)
    assert form.to_student(None, catalog.DEFAULT_FEES).grad_year == year


@pytest.mark.parametrize("typed", ["27", "1939", "2101", "20x7", "02027", "２０２７"])
def test_a_graduation_year_out_of_reason_is_refused(typed: str) -> None:
    form = StudentForm(student_id="S1", first_name="A", last_name="B", grad_year=typed)
    with pytest.raises(ValidationError) as refused:
        form.to_student(None, catalog.DEFAULT_FEES)
    assert explain(refused.value)["grad_year"] == (
        "graduation year must be a four-digit year, 1940 to 2100"
    )


def test_an_edit_keeps_credentials_points_and_renewals() -> None:
    renewal = (Renewal(renewed_on=D("2029-01-10"), fee=Decimal("75.00")),)
    student = holder([("2025-01-01", 100)], renewal)
    student = noted(student, "cpt", "CPT-1", None, "me", earned_on=CERTIFIED, today=D("2030-01-01"))
    form = StudentForm.of(student).model_copy(update={"section": "P2"})
    edited = form.to_student(student, catalog.DEFAULT_FEES)
    assert (edited.credentials, edited.points, edited.renewals) == (
        student.credentials,
        student.points,
        student.renewals,
    )


def test_credentials_one_per_module_certificate_and_the_cpt_last() -> None:
    st = standing(holder(), [*ATTEMPTS, passing("green", D("2024-03-05"))])
    found = credentials_of(st)
    assert [(c.key, c.name, c.earned_on, c.expires_on) for c in found] == [
        ("safety", "Safety Certificate", D("2024-01-10"), None),
        ("quality", "Quality Practices and Measurement Certificate", D("2024-01-20"), None),
        ("production", "Manufacturing Processes and Production Certificate", D("2024-02-01"), None),
        ("maintenance", "Maintenance Awareness Certificate", CERTIFIED, None),
        ("green", "Green Production Certificate", D("2024-03-05"), None),
        ("cpt", catalog.CERTIFICATION_NAME, CERTIFIED, EXPIRY),
    ]
    assert not credentials_of(standing(holder(), ATTEMPTS[:1]))[0].verified


def test_the_verification_queue_is_what_is_earned_and_not_verified() -> None:
    student = noted(
        holder(), "cpt", "", D("2024-03-01"), "ms.k", earned_on=CERTIFIED, today=D("2024-03-02")
    )
    queue = verification_queue([standing(student, ATTEMPTS)])
    everything = verification_queue([standing(student, ATTEMPTS)], verified_too=True)
    assert [c.key for c in everything] == [*(c.key for c in queue), "cpt"]
    assert [c.key for c in queue] == ["safety", "quality", "production", "maintenance"]
    assert student.credentials["cpt"].verified_by == "ms.k"


def test_a_verification_before_earning_or_in_the_future_is_refused() -> None:
    with pytest.raises(ValueError, match="before it was earned on 2024-02-29"):
        noted(
            holder(), "cpt", None, D("2024-02-28"), "me", earned_on=CERTIFIED, today=D("2025-01-01")
        )
    with pytest.raises(ValueError, match="in the future"):
        noted(
            holder(), "cpt", None, D("2025-01-02"), "me", earned_on=CERTIFIED, today=D("2025-01-01")
        )
    with pytest.raises(ValueError, match="certificate number must be letters and digits"):
        noted(holder(), "cpt", "12 34", None, "me", earned_on=CERTIFIED, today=D("2025-01-01"))


def test_a_credential_is_found_by_key_or_name() -> None:
    modules = catalog.MODULES
    for text, key in [
        ("cpt", "cpt"),
        ("CPT 4.0", "cpt"),
        ("Certified Production Technician (CPT 4.0)", "cpt"),
        ("Safety", "safety"),
        ("Quality Practices & Measurement", "quality"),
        ("green production certificate", "green"),
    ]:
        assert find_credential(text, modules) == key
    assert find_credential("forklift", modules) is None
