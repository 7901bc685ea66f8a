"""Money: exact cents, every attempt charged, the planner, and fee-schedule history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from cpt_tui.core.catalog import DEFAULT_FEES
from cpt_tui.core.fees import CohortPlan, dollars, plan_cost, retake_rate, student_fees
from cpt_tui.core.models import FeeSchedule, Student
from cpt_tui.core.parse import parse_money
from cpt_tui.store import Store

from .test_rules import attempt


def test_the_published_example_costs_396() -> None:
    student = Student(
        student_id="S1",
        first_name="A",
        last_name="B",
        registration_fee=Decimal("28.00"),
        supplements={
            k: Decimal("70.00") for k in ("safety", "quality", "production", "maintenance")
        },
    )
    attempts = [
        attempt(m, "2026-01-10", correct=80)
        for m in ("safety", "quality", "production", "maintenance")
    ]
    line = student_fees(student, attempts)
    assert line.total == Decimal("396.00")
    assert dollars(line.total) == "$396.00"


def test_attempts_after_a_pass_are_still_charged() -> None:
    student = Student(student_id="S1", first_name="A", last_name="B")
    attempts = [
        attempt("safety", "2026-01-10", correct=80),
        attempt("safety", "2026-02-10", correct=81),
    ]
    assert student_fees(student, attempts).assessments == Decimal("44.00")


def test_money_is_exact_in_cents() -> None:
    schedule = FeeSchedule(
        registration=Decimal("0.10"),
        assessment=Decimal("0.20"),
        supplement=Decimal("0.30"),
        effective_from=datetime(2026, 1, 1),
    )
    plan = plan_cost(CohortPlan(3, 1, True, Decimal(0)), schedule)
    assert plan.total == Decimal("1.80")  # 0.1*3 + 0.2*3 + 0.3*3, where floats give 1.7999...
    assert dollars(Decimal("1234")) == "$1,234.00"
    with pytest.raises(ValueError):
        FeeSchedule(
            registration=Decimal("0.001"),
            assessment=Decimal(0),
            supplement=Decimal(0),
            effective_from=datetime(2026, 1, 1),
        )


def test_planner_twenty_students_four_core_with_supplements_no_retakes() -> None:
    line = plan_cost(CohortPlan(20, 4, True, Decimal(0)), DEFAULT_FEES)
    assert (line.registration, line.assessments, line.supplements) == (
        Decimal("560.00"),
        Decimal("1760.00"),
        Decimal("5600.00"),
    )
    assert line.total == Decimal("7920.00")


def test_planner_with_green_and_without_supplements() -> None:
    assert plan_cost(CohortPlan(20, 5, True, Decimal(0)), DEFAULT_FEES).total == Decimal(
        "9760.00"
    )  # 20 x (28 + 5x22 + 5x70)
    assert plan_cost(CohortPlan(20, 4, False, Decimal(0)), DEFAULT_FEES).total == Decimal("2320.00")


def test_planner_with_a_25_percent_retake_rate() -> None:
    plan = CohortPlan(20, 4, True, Decimal(25))
    assert plan.retakes == 20
    assert plan_cost(plan, DEFAULT_FEES).assessments == Decimal("2200.00")
    assert plan_cost(plan, DEFAULT_FEES).total == Decimal("8360.00")


def test_planner_rounds_expected_retakes_up() -> None:
    assert CohortPlan(7, 4, False, Decimal(10)).retakes == 3  # 2.8 expected


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"students": -1}, "negative"),
        ({"retake_rate": Decimal(101)}, "between 0% and 100%"),
        ({"modules": 6}, "between 0 and 5"),
    ],
)
def test_planner_refuses_bad_input(kwargs: dict[str, object], reason: str) -> None:
    args: dict[str, object] = {
        "students": 10,
        "modules": 4,
        "supplements": True,
        "retake_rate": Decimal(0),
    }
    with pytest.raises(ValueError, match=reason):
        CohortPlan(**(args | kwargs))  # type: ignore[arg-type]


def test_retake_rate_of_the_class() -> None:
    attempts = [
        attempt("safety", "2026-01-01", correct=50),
        attempt("safety", "2026-02-01", correct=70, n=1),
        attempt("quality", "2026-01-01", correct=70),
    ]
    assert retake_rate(attempts) == Decimal("50.0")
    assert retake_rate([]) == Decimal("0.0")


def test_a_new_fee_schedule_never_rewrites_history(demo_store: Store) -> None:
    before = dict(demo_store.roster.fee_lines)
    demo_store.set_fees(Decimal("30.00"), Decimal("25.00"), Decimal("75.00"))
    assert demo_store.roster.fee_lines == before
    attempt_ = demo_store.record_attempt("S1005", "production", date(2026, 11, 20), correct=70)
    assert attempt_.fee == Decimal("25.00")
    student = demo_store.toggle_supplement("S1005", "production")
    assert student.supplements["production"] == Decimal("75.00")
    assert student.supplements.get("safety") is None
    assert demo_store.roster.fee_lines["S1005"].total == before["S1005"].total + Decimal("100.00")


@pytest.mark.parametrize("typed", ["1e3", "2E1", "NaN", "Infinity", "0x10", "1_000", "12.5.0", ""])
def test_an_amount_is_digits_and_a_point_only(typed: str) -> None:
    """Decimal() alone reads `1e3` as $1,000.00: a fee typed so is refused with its reason."""
    with pytest.raises(ValueError, match="is not an amount"):
        parse_money(typed)


@pytest.mark.parametrize(
    ("typed", "amount"), [("22", "22.00"), ("$1,024.50", "1024.50"), (".5", "0.50"), ("7.", "7.00")]
)
def test_amounts_as_instructors_type_them(typed: str, amount: str) -> None:
    assert parse_money(typed) == Decimal(amount)
