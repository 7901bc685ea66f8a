"""The CPT rules at every border: pass marks, dates, certificates, expiry."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

from cpt_tui.core import catalog
from cpt_tui.core.credentials import credentials_of
from cpt_tui.core.labels import cell, cpt
from cpt_tui.core.models import Attempt, Student, one_decimal
from cpt_tui.core.parse import explain, parse_date, parse_score
from cpt_tui.core.standing import CptStatus, add_years, passes, standing

RECORDED = datetime(2026, 1, 1)


def attempt(
    module: str, taken: str, correct: int | None = None, percent: str | None = None, n: int = 0
) -> Attempt:
    spec = catalog.module(module)
    return Attempt(
        attempt_id=f"a{module}{taken}{n}",
        student_id="S1",
        module=module,
        taken_on=date.fromisoformat(taken),
        correct=correct,
        questions=spec.questions if correct is not None else None,
        percent=Decimal(percent) if percent is not None else None,
        fee=Decimal("22.00"),
        recorded_at=RECORDED,
    )


STUDENT = Student(student_id="S1", first_name="Ada", last_name="Lovelace")


@pytest.mark.parametrize(
    ("module", "fails", "passes_at"),
    [
        ("safety", 63, 64),
        ("quality", 62, 63),
        ("production", 61, 62),
        ("maintenance", 62, 63),
        ("green", 73, 74),
    ],
)
def test_pass_marks_at_the_border(module: str, fails: int, passes_at: int) -> None:
    spec = catalog.module(module)
    assert not passes(spec, Fraction(fails * 100, spec.questions))
    assert passes(spec, Fraction(passes_at * 100, spec.questions))


def test_quality_63_of_84_is_exactly_75_and_passes() -> None:
    score = attempt("quality", "2026-03-01", correct=63).score
    assert score == 75
    assert passes(catalog.module("quality"), score)


def test_percent_is_decided_exactly_not_on_the_rounded_figure() -> None:
    a = attempt("safety", "2026-03-01", percent="75.96")
    assert one_decimal(a.score) == "76.0"
    assert not passes(catalog.module("safety"), a.score)
    assert cell(standing(STUDENT, [a]).modules["safety"]) == "✗ 76.0"


def test_63_of_83_safety_shows_75_9_and_fails() -> None:
    st = standing(STUDENT, [attempt("safety", "2026-03-01", correct=63)])
    assert one_decimal(st.modules["safety"].best or Fraction(0)) == "75.9"
    assert not st.modules["safety"].passed


def test_cpt_is_dated_by_the_last_core_pass_and_green_is_never_needed() -> None:
    attempts = [
        attempt("safety", "2026-01-10", correct=70),
        attempt("quality", "2026-03-05", correct=70),
        attempt("maintenance", "2026-02-01", correct=70),
        attempt("production", "2026-02-20", correct=50),
        attempt("production", "2026-04-02", correct=70),
        attempt("green", "2026-04-03", correct=10),
    ]
    st = standing(STUDENT, attempts)
    assert st.core_passed == 4
    assert st.cpt_certified_on == date(2026, 4, 2)
    assert st.cpt_expires_on == date(2031, 4, 2)
    assert not st.modules["green"].passed
    assert [c.key for c in credentials_of(st)] == [
        "safety",
        "quality",
        "production",
        "maintenance",
        "cpt",
    ]


def test_three_core_passes_and_green_is_no_cpt() -> None:
    attempts = [
        attempt(m, "2026-01-10", correct=80) for m in ("safety", "quality", "production", "green")
    ]
    st = standing(STUDENT, attempts)
    assert st.core_passed == 3 and st.cpt_certified_on is None
    assert cpt(st, date(2026, 11, 21)) == "1 to go"


def test_a_cpt_passed_on_29_february_expires_28_february() -> None:
    assert add_years(date(2028, 2, 29), 5) == date(2033, 2, 28)
    assert add_years(date(2028, 3, 1), 5) == date(2033, 3, 1)


def test_the_first_passing_attempt_dates_the_pass_and_later_attempts_still_count() -> None:
    attempts = [
        attempt("safety", "2026-01-10", correct=50),
        attempt("safety", "2026-02-10", correct=70),
        attempt("safety", "2026-03-10", correct=80),
    ]
    ms = standing(STUDENT, attempts).modules["safety"]
    assert ms.passed_on == date(2026, 2, 10)
    assert len(ms.attempts) == 3
    assert ms.best == Fraction(8000, 83)


@pytest.mark.parametrize(
    ("certified", "status"),
    [
        ("2021-11-20", CptStatus.EXPIRED),  # expired 2026-11-20, the day before
        ("2021-11-21", CptStatus.EXPIRING),  # expires today: it still counts today
        ("2021-11-22", CptStatus.EXPIRING),
        ("2022-02-19", CptStatus.EXPIRING),
        ("2022-02-20", CptStatus.CERTIFIED),
    ],
)
def test_expiry_and_the_90_day_renewal_flag(certified: str, status: CptStatus) -> None:
    day = date.fromisoformat(certified)
    attempts = [
        attempt(m, certified, correct=80)
        for m in ("safety", "quality", "production", "maintenance")
    ]
    st = standing(STUDENT, attempts)
    assert st.cpt_certified_on == day
    assert st.cpt_status(date(2026, 11, 21)) is status


def test_catalog_matches_the_published_figures() -> None:
    figures = {m.key: (m.questions, m.minutes, m.pass_mark, m.required) for m in catalog.MODULES}
    assert figures == {
        "safety": (83, 90, 76, True),
        "quality": (84, 90, 75, True),
        "production": (83, 90, 74, True),
        "maintenance": (86, 90, 73, True),
        "green": (94, 90, 78, False),
    }
    assert catalog.find_module("Quality Practices & Measurement") is catalog.module("quality")
    assert catalog.find_module("MAINTENANCE") is catalog.module("maintenance")
    assert catalog.find_module("welding") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("64", (64, None)),
        (" 83 ", (83, None)),
        ("77.1%", (None, Decimal("77.1"))),
        ("100%", (None, Decimal("100"))),
        ("0", (0, None)),
        ("0064", (64, None)),
    ],
)
def test_scores_are_read_as_counts_or_percents(text: str, expected: tuple[object, object]) -> None:
    assert parse_score(text, catalog.module("safety")) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("84", "only 83 questions"),
        ("-1", "negative"),
        ("100.5%", "over 100"),
        ("abc", "not a score"),
        ("", "enter the correct answers"),
        ("7e1", "not a score"),
        ("77.123%", "3 decimals: a percent takes at most 2"),
        ("64.5", "add % for a percent"),
        ("77.1", "add % for a percent"),
        ("9" * 5000, "only 83 questions"),  # was Python's "Exceeds the limit (4300 digits)"
        ("9" * 5000 + "%", "over 100"),
        ("٦٤", "not a score"),  # Arabic-Indic digits: not read as 64 behind the user's back
    ],
)
def test_bad_scores_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_score(text, catalog.module("safety"))


def test_a_diagnostics_cell_of_thousands_of_digits_is_refused_in_words() -> None:
    """A CSV cell may hold 10,000 characters: Python's own int() refusal leaked out."""
    from cpt_tui.core.diagnostics import find_activity
    from cpt_tui.core.diagnostics import parse_percent as report_percent

    with pytest.raises(ValueError, match="out of range: 0 to 100"):
        report_percent("9" * 5000)
    with pytest.raises(ValueError, match="not a whole number"):
        report_percent("²")
    assert find_activity(catalog.module("safety"), "9" * 5000) is None
    assert find_activity(catalog.module("safety"), "²") is None


def test_dates_iso_or_us_and_never_in_the_future() -> None:
    today = date(2026, 11, 21)
    assert parse_date("2026-03-14", today) == date(2026, 3, 14)
    assert parse_date("3/14/2026", today) == date(2026, 3, 14)
    with pytest.raises(ValueError, match="future"):
        parse_date("2026-11-22", today)
    with pytest.raises(ValueError, match="not a date"):
        parse_date("2026-02-30", today)


def test_an_attempt_needs_exactly_one_score() -> None:
    with pytest.raises(ValueError):
        Attempt(
            attempt_id="x",
            student_id="S1",
            module="safety",
            taken_on=date(2026, 1, 1),
            fee=Decimal("22"),
            recorded_at=RECORDED,
        )
    with pytest.raises(ValueError, match="more correct answers"):
        attempt("safety", "2026-01-01", correct=84)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("first_name", "Ada\x1b[2J", "first name must not contain control characters"),
        ("last_name", " Lovelace", "last name must not contain control characters or spaces"),
        ("section", "P1\t", "section must not contain control characters"),
        ("email", "ada@school", "email is not an email address"),
        ("student_id", "S 1", "student ID must be letters and digits"),
        ("registration_fee", Decimal("28.001"), "registration fee must be whole cents"),
        ("registration_fee", Decimal("-1"), "registration fee must not be negative"),
        ("registration_fee", Decimal("1e12"), "registration fee is far too large"),
    ],
)
def test_a_stored_student_is_checked_field_by_field(field: str, value: object, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Student.model_validate({**STUDENT.model_dump(), field: value})
    assert explain(refused.value)[field].startswith(reason)
