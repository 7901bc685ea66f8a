"""First week (issue 14), continued: the tests a mutation check of the core showed were
missing, and the fees planner's count of core modules (item 10)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest

from cpt_tui.core.catalog import DEFAULT_FEES, MODULES
from cpt_tui.core.csv_imports import plan_roster_import
from cpt_tui.core.fees import CohortPlan, plan_cost, planned_modules
from cpt_tui.core.models import Student
from cpt_tui.core.roster import Roster
from cpt_tui.core.standing import standing
from cpt_tui.store import Store

from .conftest import attempt_of
from .test_first_week_core import ATTEMPTS_HEAD, ROSTER_HEAD, plan_attempts

# ---------------------------------------------------------------- the mutation check


def test_attempts_are_ordered_by_the_day_taken_not_the_moment_entered() -> None:
    """An older passing result typed in late still dates the pass and the CPT."""
    student = Student(student_id="S1", first_name="Ada", last_name="Lovelace")
    on_time = [
        attempt_of(key, "2026-03-02", correct=80, recorded=datetime(2026, 3, 2))
        for key in ("safety", "quality", "production", "maintenance")
    ]
    late = attempt_of("safety", "2026-02-02", correct=70, recorded=datetime(2026, 4, 1))
    earlier_pass = attempt_of(
        "maintenance", "2026-02-16", correct=80, recorded=datetime(2026, 4, 2)
    )
    st = standing(student, [*on_time, late, earlier_pass])
    safety = st.modules["safety"]
    assert [a.taken_on for a in safety.attempts] == [date(2026, 2, 2), date(2026, 3, 2)]
    assert st.modules["maintenance"].passed_on == date(2026, 2, 16)
    assert st.cpt_certified_on == date(2026, 3, 2)
    # All four core passes moved earlier by late entries: the CPT date moves with them.
    backdated = [
        attempt_of(key, "2026-01-12", correct=80, recorded=datetime(2026, 5, 1))
        for key in ("safety", "quality", "production", "maintenance")
    ]
    assert standing(student, [*on_time, *backdated]).cpt_certified_on == date(2026, 1, 12)


def test_a_retake_with_the_same_score_on_another_day_is_a_new_attempt(demo_store: Store) -> None:
    """Its identity includes its date: the import adds it and its fee is counted."""
    first = demo_store.record_attempt("S1001", "green", date(2026, 10, 1), correct=70)
    again = first.model_copy(update={"attempt_id": "x", "taken_on": date(2026, 10, 20)})
    assert again.identity != first.identity
    before = demo_store.roster.fee_lines["S1001"].assessments
    text = ATTEMPTS_HEAD + "S1001,green,2026-10-01,70,\r\nS1001,green,2026-10-20,70,\r\n"
    plan = demo_store.import_attempts(text.encode())
    assert (len(plan.new), plan.unchanged) == (1, 1)
    assert demo_store.roster.fee_lines["S1001"].assessments == before + Decimal("22.00")
    assert len(demo_store.roster.standings["S1001"].modules["green"].attempts) == 2


def test_the_import_counts_each_stored_attempt_against_one_row_only(demo_store: Store) -> None:
    """Stored once, in the file twice: one unchanged, one new; then both unchanged."""
    demo_store.record_attempt("S1007", "safety", date(2026, 11, 2), correct=60)
    row = "S1007,safety,2026-11-02,60,\r\n"
    plan = plan_attempts(demo_store, ATTEMPTS_HEAD + row + row)
    assert (len(plan.new), plan.unchanged) == (1, 1)  # type: ignore[attr-defined]
    demo_store.import_attempts((ATTEMPTS_HEAD + row + row).encode())
    again = demo_store.import_attempts((ATTEMPTS_HEAD + row + row + row).encode(), dry_run=True)
    assert (len(again.new), again.unchanged) == (1, 2)
    assert len(demo_store.roster.attempts_of("S1007")) == 2


def test_a_roster_dry_run_matches_the_store_it_was_given() -> None:
    roster = Roster(students=(Student(student_id="S1001", first_name="Ava", last_name="Martinez"),))
    plan = plan_roster_import(
        (ROSTER_HEAD + "s1001,Ava,Martinez,\r\n").encode(), roster, roster.fees
    )
    assert (len(plan.new), plan.unchanged) == (0, 1)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


# ---------------------------------------------------------------- 10. the planner's modules


@pytest.mark.parametrize(
    ("core", "green", "modules"),
    [(None, False, 4), (None, True, 5), (1, False, 1), (1, True, 2), (3, False, 3), (4, True, 5)],
)
def test_the_planner_plans_some_of_the_core_modules(
    core: int | None, green: bool, modules: int
) -> None:
    assert planned_modules(MODULES, green, core) == modules


@pytest.mark.parametrize("core", [0, 5, -1])
def test_the_planner_refuses_core_modules_outside_1_to_4(core: int) -> None:
    with pytest.raises(ValueError, match="core modules must be between 1 and 4"):
        planned_modules(MODULES, False, core)


def test_a_cohort_planning_two_core_modules_costs_two_modules_each() -> None:
    plan = CohortPlan(20, planned_modules(MODULES, False, 2), True, Decimal(25))
    cost = plan_cost(plan, DEFAULT_FEES)
    assert (plan.first_attempts, plan.retakes) == (40, 10)
    assert cost.registration == Decimal("560.00")  # 20 x 28.00: once, whatever is planned
    assert cost.assessments == Decimal("1100.00")  # 50 x 22.00
    assert cost.supplements == Decimal("2800.00")  # 40 x 70.00
    assert cost.total == Decimal("4460.00")
