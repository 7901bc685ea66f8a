"""The store's verbs after the course: credentials, points, renewals; a refusal changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cpt_tui.core.models import PointsEntry
from cpt_tui.store import InvalidFields, Store, StoreError

HOLDER = "E2002"
"""Dana Kowalski: CPT 2021-12-16, expires 2026-12-16, so her window is open on 2026-11-21."""
D = date.fromisoformat


def points(store: Store, day: str, n: int, category: str = "employment") -> None:
    store.add_points(HOLDER, PointsEntry(earned_on=D(day), category=category, points=n))  # type: ignore[arg-type]


def test_a_renewal_moves_the_expiry_charges_the_fee_and_is_audited(demo_store: Store) -> None:
    before = demo_store.roster.by_id[HOLDER]
    needed = 100 - sum(e.points for e in before.points if e.earned_on >= D("2021-12-16"))
    if needed > 0:
        points(demo_store, "2026-11-01", needed)
    fees_before = demo_store.roster.fee_lines[HOLDER].total
    demo_store.recertify(HOLDER, D("2026-11-21"))
    roster = demo_store.roster
    assert roster.standings[HOLDER].cpt_expires_on == D("2031-12-16")
    assert roster.fee_lines[HOLDER].recertification == Decimal("75.00")
    assert roster.fee_lines[HOLDER].total == fees_before + Decimal("75.00")
    assert demo_store.audit(1)[0].action == "recertify"
    again = Store(demo_store.path)
    assert again.roster.standings[HOLDER].cpt_expires_on == D("2031-12-16")
    demo_store.undo()
    assert demo_store.roster.standings[HOLDER].cpt_expires_on == D("2026-12-16")


def test_a_refused_renewal_changes_nothing(demo_store: Store) -> None:
    demo_store.import_points(b"student_id,date,category,points\n", dry_run=True)
    raw = demo_store.path.read_bytes()
    for who, on, reason in [
        ("S1001", "2026-11-21", "opens on 2031-08-15"),
        (HOLDER, "2026-11-22", "in the future"),
        ("S1002", "2026-11-21", "holds no CPT"),
    ]:
        with pytest.raises(StoreError, match=reason):
            demo_store.recertify(who, D(on))
    assert demo_store.path.read_bytes() == raw


def test_points_short_refused_with_the_count(empty_store: Store, add_student) -> None:  # type: ignore[no-untyped-def]
    add_student(empty_store, "P1")
    for module, correct in [
        ("safety", 83),
        ("quality", 84),
        ("production", 83),
        ("maintenance", 86),
    ]:
        empty_store.record_attempt("P1", module, D("2021-12-01"), correct=correct)
    empty_store.add_points(
        "P1", PointsEntry(earned_on=D("2024-01-01"), category="education", points=99)
    )
    raw = empty_store.path.read_bytes()
    with pytest.raises(StoreError, match="99 of 100 points since 2021-12-01: 1 more needed"):
        empty_store.recertify("P1", D("2026-11-01"))
    assert empty_store.path.read_bytes() == raw
    empty_store.add_points("P1", PointsEntry(earned_on=D("2026-11-01"), category="other", points=1))
    assert empty_store.recertify("P1", D("2026-11-01")).renewals[0].renewed_on == D("2026-11-01")
    assert empty_store.roster.standings["P1"].cpt_expires_on == D("2031-12-01")


def test_points_need_a_cpt_a_date_from_it_and_a_past_date(demo_store: Store) -> None:
    """The store refuses points dated before the CPT as the dialog and the import do (it
    took them from any other caller)."""
    raw = demo_store.path.read_bytes()
    entry = PointsEntry(earned_on=D("2026-11-01"), category="education", points=5)
    with pytest.raises(StoreError, match="holds no CPT"):
        demo_store.add_points("S1002", entry)
    with pytest.raises(InvalidFields, match="before the CPT of 2021-12-16: points then never"):
        demo_store.add_points(HOLDER, entry.model_copy(update={"earned_on": D("2021-12-15")}))
    with pytest.raises(InvalidFields, match="in the future"):
        demo_store.add_points(HOLDER, entry.model_copy(update={"earned_on": D("2026-11-22")}))
    assert demo_store.path.read_bytes() == raw


def test_a_credential_is_numbered_and_verified_by_this_account(demo_store: Store) -> None:
    student = demo_store.record_credential("S1001", "cpt", "CPT-0042", D("2026-11-21"))
    note = student.credentials["cpt"]
    assert (note.certificate_number, note.verified_on, note.verified_by) == (
        "CPT-0042",
        D("2026-11-21"),
        "tester",
    )
    assert Store(demo_store.path).roster.by_id["S1001"].credentials["cpt"] == note


def test_a_credential_not_earned_or_a_bad_number_is_refused(demo_store: Store) -> None:
    raw = demo_store.path.read_bytes()
    with pytest.raises(StoreError, match="has not earned"):
        demo_store.record_credential("S1002", "cpt", "CPT-1", None)
    with pytest.raises(InvalidFields, match="certificate number must be letters"):
        demo_store.record_credential("S1001", "cpt", "CPT 1;", None)
    with pytest.raises(InvalidFields, match="before it was earned"):
        demo_store.record_credential("S1001", "cpt", None, D("2026-01-01"))
    assert demo_store.path.read_bytes() == raw


def test_a_new_recertification_fee_applies_from_now_renewals_keep_theirs(demo_store: Store) -> None:
    fees = demo_store.roster.fees
    demo_store.set_fees(fees.registration, fees.assessment, fees.supplement, Decimal("80.00"))
    assert demo_store.roster.fees.recertification == Decimal("80.00")
    demo_store.set_fees(fees.registration, fees.assessment, fees.supplement)
    assert demo_store.roster.fees.recertification == Decimal("80.00")
    assert [f.recertification for f in demo_store.roster.fee_history][:1] == [Decimal("75.00")]
