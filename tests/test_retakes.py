"""Retakes, practice tests and readiness at their borders, and the test day's rows and totals."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from cpt_tui.core import catalog
from cpt_tui.core.fees import retake_rate, student_fees
from cpt_tui.core.models import Attempt, RetakePolicy, Student
from cpt_tui.core.retakes import (
    early_retakes,
    eligibility,
    is_ready,
    latest_practice,
    policy_on,
)
from cpt_tui.core.roster import Roster
from cpt_tui.core.standing import ModuleStanding, standing
from cpt_tui.core.testday import DAY_CSV_HEADER, day_csv_rows, day_totals, plan_day
from cpt_tui.screens.retake_policy import policy_line

POLICIES = (catalog.DEFAULT_RETAKE_POLICY,)
D = date(2026, 3, 2)
SAFETY = catalog.module("safety")  # 83 questions, pass mark 76%: 63 fails, 64 passes


def sat(
    on: date,
    correct: int | None = None,
    *,
    module: str = "safety",
    percent: str | None = None,
    kind: str = "assessment",
    sid: str = "S1",
    n: int = 0,
) -> Attempt:
    spec = catalog.module(module)
    return Attempt.model_validate(
        {
            "attempt_id": f"{sid}{module}{on}{kind}{n}",
            "student_id": sid,
            "module": module,
            "taken_on": on,
            "correct": correct,
            "questions": spec.questions if correct is not None else None,
            "percent": Decimal(percent) if percent is not None else None,
            "fee": Decimal("0.00") if kind == "practice" else Decimal("22.00"),
            "recorded_at": datetime(2026, 1, 1) + timedelta(minutes=n),
            "kind": kind,
        }
    )


def safety(*attempts: Attempt) -> ModuleStanding:
    st = standing(Student(student_id="S1", first_name="Ada", last_name="Lovelace"), attempts)
    return st.modules["safety"]


def test_a_failure_on_d_allows_d_plus_15_and_not_d_plus_14() -> None:
    ms = safety(sat(D, 60))
    assert eligibility(ms, D + timedelta(days=14), POLICIES).eligible is False
    on_15 = eligibility(ms, D + timedelta(days=15), POLICIES)
    assert on_15.eligible and on_15.eligible_from == D + timedelta(days=15)


def test_the_second_failure_waits_15_and_the_third_60() -> None:
    first, second = D - timedelta(days=40), D - timedelta(days=20)
    two = safety(sat(first, 60), sat(second, 61))
    assert eligibility(two, D, POLICIES).eligible_from == second + timedelta(days=15)
    three = safety(sat(first, 60), sat(second, 61), sat(D, 62))
    when = eligibility(three, D + timedelta(days=59), POLICIES)
    assert when.failures == 3 and not when.eligible
    assert when.eligible_from == D + timedelta(days=60)
    assert eligibility(three, D + timedelta(days=60), POLICIES).eligible
    four = safety(sat(first, 60), sat(second, 61), sat(D, 62), sat(D + timedelta(days=60), 50))
    assert eligibility(four, D + timedelta(days=60), POLICIES).eligible_from == D + timedelta(
        days=120
    )


def test_an_attempt_sat_before_its_wait_ended_is_an_early_retake() -> None:
    """The detail marks it: 14 days after a first failure is early, 15 is not; after the
    third failure 59 days is early; the first attempt and a practice test never are."""
    d14, d29, d88 = (D + timedelta(days=n) for n in (14, 29, 88))
    ms = safety(sat(D, 60), sat(d14, 61), sat(d29, 62), sat(d88, 70, n=1))
    assert early_retakes(ms, POLICIES) == {f"S1safety{d14}assessment0", f"S1safety{d88}assessment1"}
    on_time = safety(sat(D, 60), sat(D + timedelta(days=15), 64))
    assert early_retakes(on_time, POLICIES) == frozenset()
    practised = safety(sat(D, 60), sat(D + timedelta(days=1), percent="80", kind="practice"))
    assert early_retakes(practised, POLICIES) == frozenset()


def test_a_pass_clears_the_wait() -> None:
    ms = safety(sat(D - timedelta(days=30), 60), sat(D, 64))
    when = eligibility(ms, D, POLICIES)
    assert when.eligible and when.eligible_from is None and when.failures == 0


def test_never_attempted_has_no_wait() -> None:
    when = eligibility(safety(), D, POLICIES)
    assert when.eligible and when.eligible_from is None and when.last_attempt_on is None


def test_attempts_after_the_date_are_ignored() -> None:
    ms = safety(sat(D, 60), sat(D + timedelta(days=20), 61))
    before = eligibility(ms, D + timedelta(days=10), POLICIES)
    assert before.failures == 1 and before.eligible_from == D + timedelta(days=15)
    assert eligibility(ms, D - timedelta(days=1), POLICIES).eligible_from is None
    passed_later = safety(sat(D, 60), sat(D + timedelta(days=20), 70))
    assert not eligibility(passed_later, D + timedelta(days=10), POLICIES).eligible


def test_a_failure_is_judged_by_the_policy_of_its_date() -> None:
    older = catalog.DEFAULT_RETAKE_POLICY.model_copy(
        update={"wait_days": 30, "effective_from": datetime(2019, 1, 1)}
    )
    newer = catalog.DEFAULT_RETAKE_POLICY.model_copy(
        update={"wait_days": 7, "effective_from": datetime(2026, 3, 10, 14, 0)}
    )
    history = (older, newer)
    assert policy_on(history, date(2026, 3, 9)) is older
    assert policy_on(history, date(2026, 3, 10)) is newer
    assert policy_on(history, date(2018, 1, 1)) is older  # before them all: the oldest
    assert eligibility(safety(sat(D, 60)), D, history).eligible_from == D + timedelta(days=30)
    later = date(2026, 3, 12)
    assert eligibility(safety(sat(later, 60)), later, history).eligible_from == later + timedelta(
        days=7
    )


def test_practice_never_charges_passes_counts_or_waits() -> None:
    practice = sat(D, 83, kind="practice")
    ms = safety(practice)
    assert ms.attempts == () and not ms.passed and ms.best is None and not ms.attempted
    assert ms.practice == (practice,)
    student = Student(student_id="S1", first_name="Ada", last_name="Lovelace")
    assert student_fees(student, [practice]).assessments == 0
    assert student_fees(student, [practice]).attempts == 0
    assert retake_rate([practice, sat(D, 60)]) == 0
    failed_practice = safety(sat(D, 10, kind="practice"))
    assert eligibility(failed_practice, D, POLICIES).eligible_from is None
    all_core = [sat(D, 80, module=m.key, kind="practice") for m in catalog.MODULES if m.required]
    assert standing(student, all_core).cpt_certified_on is None


def test_practice_is_never_charged_by_the_model() -> None:
    charged = sat(D, 60, kind="practice").model_dump() | {"fee": Decimal("22.00")}
    with pytest.raises(ValidationError, match="never charged"):
        Attempt.model_validate(charged)


def test_ready_at_exactly_pass_mark_plus_margin() -> None:
    # 81% in Safety is exactly 76 + 5.
    assert is_ready(safety(sat(D, percent="81", kind="practice")), D, POLICIES)
    assert not is_ready(safety(sat(D, percent="80.99", kind="practice")), D, POLICIES)
    assert not is_ready(safety(), D, POLICIES)  # never practised: not ready


def test_readiness_is_the_latest_practice_on_or_before_the_day() -> None:
    good, poor = sat(D, 80, kind="practice", n=1), sat(D + timedelta(days=3), 40, kind="practice")
    ms = safety(good, poor)
    assert latest_practice(ms, D + timedelta(days=1)) == good
    assert is_ready(ms, D + timedelta(days=1), POLICIES)
    assert not is_ready(ms, D + timedelta(days=3), POLICIES)
    assert not is_ready(ms, D - timedelta(days=1), POLICIES)


def test_the_margin_is_data() -> None:
    strict = (catalog.DEFAULT_RETAKE_POLICY.model_copy(update={"readiness_margin": Decimal(10)}),)
    ms = safety(sat(D, percent="85", kind="practice"))
    assert is_ready(ms, D, POLICIES) and not is_ready(ms, D, strict)


def test_policy_values_are_checked() -> None:
    with pytest.raises(ValidationError):
        RetakePolicy(
            wait_days=-1,
            long_wait_days=60,
            long_wait_from=3,
            readiness_margin=Decimal(5),
            effective_from=datetime(2026, 1, 1),
        )


def _roster() -> Roster:
    students = (
        Student(student_id="S1", first_name="Ada", last_name="Lovelace", registration_fee=28),
        Student(student_id="S2", first_name="Alan", last_name="Turing"),
        Student(student_id="S3", first_name="Grace", last_name="Hopper", registration_fee=28),
    )
    attempts = (
        sat(D - timedelta(days=3), 60, sid="S1"),  # waiting until D+12
        sat(D - timedelta(days=10), percent="82", kind="practice", sid="S1", module="quality"),
        sat(D - timedelta(days=10), percent="90", kind="practice", sid="S2", module="safety"),
        sat(D - timedelta(days=10), percent="90", kind="practice", sid="S2", module="quality"),
        sat(D - timedelta(days=30), 80, sid="S3", module="safety"),
        sat(D - timedelta(days=30), 80, sid="S3", module="quality"),
        sat(D - timedelta(days=30), 80, sid="S3", module="production"),
        sat(D - timedelta(days=30), 80, sid="S3", module="maintenance"),
    )
    return Roster(students, attempts)


def test_plan_day_and_totals() -> None:
    roster = _roster()
    rows = plan_day(roster, roster.students, D)
    # Grace holds the CPT: nothing to sit. Ada and Alan: the four core each (no Green).
    assert [(r.student.student_id, r.module.key) for r in rows] == [
        ("S1", "safety"),
        ("S1", "quality"),
        ("S1", "production"),
        ("S1", "maintenance"),
        ("S2", "safety"),
        ("S2", "quality"),
        ("S2", "production"),
        ("S2", "maintenance"),
    ]
    ada_safety, ada_quality, alan_safety = rows[0], rows[1], rows[4]
    assert not ada_safety.eligible and ada_safety.eligible_from == D + timedelta(days=12)
    assert ada_safety.attempts == 1 and ada_safety.last_attempt_on == D - timedelta(days=3)
    assert ada_quality.eligible and ada_quality.ready and ada_quality.fee == Decimal("22.00")
    assert alan_safety.sits and alan_safety.fee == Decimal("50.00")
    totals = day_totals(rows)
    assert (totals.rows, totals.eligible, totals.ready, totals.sittings) == (8, 7, 3, 3)
    # Ada 22 + Alan 2 x 22 and his registration once.
    assert totals.students == 2 and totals.fees == Decimal("94.00")


def test_green_is_listed_only_when_taken_up() -> None:
    roster = _roster()
    green = sat(D - timedelta(days=1), percent="50", kind="practice", module="green", sid="S3")
    with_green = Roster(roster.students, roster.attempts + (green,))
    rows = plan_day(with_green, with_green.students, D)
    assert [(r.student.student_id, r.module.key) for r in rows if r.module.key == "green"] == [
        ("S3", "green")
    ]
    assert plan_day(with_green, with_green.students, D - timedelta(days=2))[-1].module.key == (
        "maintenance"
    )


def test_test_day_csv() -> None:
    roster = _roster()
    lines = list(day_csv_rows(plan_day(roster, roster.students, D)))
    assert lines[0] == DAY_CSV_HEADER
    assert lines[1] == [
        "S1", "Lovelace", "Ada", "", "safety", "1", "2026-02-27", "2026-03-14", "no", "", "no",
        "22.00",
    ]  # fmt: skip
    assert lines[2][8:] == ["yes", "82.0", "yes", "22.00"]
    assert lines[5][:5] == ["S2", "Turing", "Alan", "", "safety"]
    assert lines[5][9:] == ["90.0", "yes", "50.00"]


@pytest.mark.parametrize(
    ("stored", "shown"), [("5.0", "5"), ("5", "5"), ("2.5", "2.5"), ("10", "10")]
)
def test_the_readiness_margin_reads_as_typed(stored: str, shown: str) -> None:
    """A margin saved unchanged is stored as 5.0; Fees and the notice still say `+ 5`."""
    policy = catalog.DEFAULT_RETAKE_POLICY.model_copy(update={"readiness_margin": Decimal(stored)})
    assert f"ready at pass + {shown}  ·" in policy_line(policy)
