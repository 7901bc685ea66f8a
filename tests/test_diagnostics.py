"""Key work activity diagnostics: class averages and weakest activities, by hand."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

from cpt_tui.core.catalog import module
from cpt_tui.core.diagnostics import (
    checked_report,
    class_diagnostics,
    find_activity,
    module_diagnostics,
    parse_percent,
    shortened,
    student_diagnostics,
)
from cpt_tui.core.models import Attempt, Student
from cpt_tui.core.roster import Roster

SAFETY = module("safety")
_ids = itertools.count(1)


def student(sid: str, section: str, *, dropped: bool = False) -> Student:
    return Student(
        student_id=sid,
        first_name="Pat",
        last_name=f"Student{sid}",
        section=section,
        status="dropped" if dropped else "active",
    )


def attempt(
    sid: str, day: str, report: dict[int, int], *, key: str = "safety", at: int = 9
) -> Attempt:
    return Attempt(
        attempt_id=f"a{next(_ids)}",
        student_id=sid,
        module=key,
        taken_on=date.fromisoformat(day),
        correct=60,
        questions=module(key).questions,
        fee=Decimal("22.00"),
        recorded_at=datetime(2026, 3, 1, at),
        diagnostics=report,
    )


@pytest.fixture
def hand_class() -> Roster:
    """Six students; the expected figures below are worked out by hand.

    S01 (section A): 01-10 {1:40, 2:80}; then 02-10 {1:60, 2:90, 3:50} (listed first: the
        latest by date counts, not the order stored) -> {1:60, 2:90, 3:50}
    S02 (section A): 01-10 {1:80, 2:70}; then 03-01 with no report -> {1:80, 2:70}
    S03 (dropped):   {1:0, 2:0, 3:0}
    S04 (section B): two on 01-20: recorded 9:00 {1:10}, recorded 11:00 (the later one)
        {1:70, 2:70, 3:80, 4:70}
    S05 (section A): an attempt with no report: no result
    S06 (section A): a Quality report only
    Visible (no dropped): activity 1 = (60+80+70)/3 = 70, 2 = (90+70+70)/3 = 76 2/3,
    3 = (50+80)/2 = 65, 4 = 70/1; weakest first: 3, 1, 4 (70 ties 1: by number), 2.
    """
    students = (
        student("S01", "A"),
        student("S02", "A"),
        student("S03", "A", dropped=True),
        student("S04", "B"),
        student("S05", "A"),
        student("S06", "A"),
    )
    attempts = (
        attempt("S01", "2026-02-10", {1: 60, 2: 90, 3: 50}),
        attempt("S01", "2026-01-10", {1: 40, 2: 80}),
        attempt("S02", "2026-01-10", {1: 80, 2: 70}),
        attempt("S02", "2026-03-01", {}),
        attempt("S03", "2026-01-10", {1: 0, 2: 0, 3: 0}),
        attempt("S04", "2026-01-20", {1: 70, 2: 70, 3: 80, 4: 70}, at=11),
        attempt("S04", "2026-01-20", {1: 10}, at=9),
        attempt("S05", "2026-01-10", {}),
        attempt("S06", "2026-01-10", {1: 20, 2: 30}, key="quality"),
    )
    return Roster(students, attempts)


def figures(roster: Roster, students: list[Student]) -> list[tuple[int, Fraction | None, int]]:
    found = module_diagnostics(roster, students, SAFETY)
    return [(a.number, a.average, a.students) for a in found.activities]


def test_class_averages_use_each_visible_students_latest_report(hand_class: Roster) -> None:
    result = module_diagnostics(hand_class, hand_class.visible(), SAFETY)
    assert result.students == 3
    assert figures(hand_class, hand_class.visible())[:4] == [
        (3, Fraction(65), 2),
        (1, Fraction(70), 3),
        (4, Fraction(70), 1),
        (2, Fraction(230, 3), 3),
    ]
    assert [a.shown for a in result.activities[:4]] == ["65.0%", "70.0%", "70.0%", "76.7%"]


def test_activities_without_results_come_last_in_catalog_order(hand_class: Roster) -> None:
    rest = figures(hand_class, hand_class.visible())[4:]
    assert rest == [(n, None, 0) for n in range(5, 11)]
    result = module_diagnostics(hand_class, hand_class.visible(), SAFETY)
    assert result.activities[4].shown == "-"
    assert result.activities[4].name == SAFETY.activities[4]


def test_dropped_students_count_only_when_shown(hand_class: Roster) -> None:
    shown = hand_class.visible(show_dropped=True)
    # 1: (60+80+0+70)/4 = 52.5; 2: (90+70+0+70)/4 = 57.5; 3: (50+0+80)/3 = 43 1/3; 4: 70
    assert figures(hand_class, shown)[:4] == [
        (3, Fraction(130, 3), 3),
        (1, Fraction(105, 2), 4),
        (2, Fraction(115, 2), 4),
        (4, Fraction(70), 1),
    ]
    assert module_diagnostics(hand_class, shown, SAFETY).students == 4


def test_the_filter_applies_and_ties_go_by_activity_number(hand_class: Roster) -> None:
    only_b = [s for s in hand_class.visible() if s.section == "B"]
    assert figures(hand_class, only_b)[:4] == [
        (1, Fraction(70), 1),
        (2, Fraction(70), 1),
        (4, Fraction(70), 1),
        (3, Fraction(80), 1),
    ]
    filtered = hand_class.visible(text="s04")
    assert figures(hand_class, filtered) == figures(hand_class, only_b)


def test_every_module_in_catalog_order_and_a_module_without_results(hand_class: Roster) -> None:
    every = class_diagnostics(hand_class, hand_class.visible())
    assert [d.module.key for d in every] == [m.key for m in hand_class.modules]
    quality = every[1]
    assert quality.students == 1
    assert [(a.number, a.average) for a in quality.activities[:2]] == [
        (1, Fraction(20)),
        (2, Fraction(30)),
    ]
    assert every[2].students == 0
    assert all(a.average is None for a in every[2].activities)


def test_nobody_visible_gives_no_averages(hand_class: Roster) -> None:
    result = module_diagnostics(hand_class, [], SAFETY)
    assert result.students == 0
    assert [a.number for a in result.activities] == list(range(1, 11))


def test_a_students_weakest_activities_from_their_latest_report(hand_class: Roster) -> None:
    found = student_diagnostics(hand_class.standings["S01"])
    assert [d.module.key for d in found] == ["safety"]
    assert [(r.number, r.percent) for r in found[0].weakest()] == [(3, 50), (1, 60), (2, 90)]
    assert found[0].weakest(1)[0].name == SAFETY.activities[2]
    four = student_diagnostics(hand_class.standings["S04"])[0]
    assert [(r.number, r.percent) for r in four.weakest()] == [(1, 70), (2, 70), (4, 70)]
    assert student_diagnostics(hand_class.standings["S05"]) == []


def test_activities_are_found_by_number_or_text() -> None:
    assert find_activity(SAFETY, "3") == 3
    assert find_activity(SAFETY, " 10 ") == 10
    assert find_activity(SAFETY, "emergency DRILLS and teams") == 3
    assert find_activity(SAFETY, "Safety-enhancing workplace practices") == 10
    assert find_activity(SAFETY, "safety enhancing workplace practices") == 10
    for unknown in ("0", "11", "", "Emergency drills", "-1"):
        assert find_activity(SAFETY, unknown) is None, unknown


def test_percents_are_whole_numbers_from_0_to_100() -> None:
    assert [parse_percent(t) for t in ("0", "72", "72%", " 100 ", "72.0", "072")] == [
        0,
        72,
        72,
        100,
        72,
        72,
    ]
    for bad, reason in (
        ("101", "out of range"),
        ("-5", "out of range"),
        ("72.5", "whole number"),
        ("abc", "whole number"),
        ("", "no percent"),
    ):
        with pytest.raises(ValueError, match=reason):
            parse_percent(bad)


def test_a_report_is_checked_against_its_module() -> None:
    assert list(checked_report(SAFETY, {3: 50, 1: 70})) == [1, 3]
    with pytest.raises(ValueError, match="1 to 4, not 5"):
        checked_report(module("maintenance"), {5: 50})
    with pytest.raises(ValueError, match="0 to 100"):
        checked_report(SAFETY, {1: 101})


def test_a_stored_report_is_checked_on_reading() -> None:
    good = attempt("S01", "2026-01-10", {1: 50})
    record = good.model_dump(mode="json")
    assert Attempt.model_validate(record).diagnostics == {1: 50}
    for bad in ({"1": 101}, {"0": 50}, {"1": -1}, {"x": 5}):
        with pytest.raises(ValidationError):
            Attempt.model_validate(record | {"diagnostics": bad})
    older = {k: v for k, v in record.items() if k != "diagnostics"}
    assert Attempt.model_validate(older).diagnostics == {}


def test_a_changed_report_is_counted_after_the_roster_evolves(hand_class: Roster) -> None:
    before = module_diagnostics(hand_class, hand_class.visible(), SAFETY)
    assert before.activities[0].number == 3
    s02 = next(a for a in hand_class.attempts_of("S02") if a.diagnostics)
    changed = s02.model_copy(update={"taken_on": date(2026, 3, 2), "diagnostics": {3: 5}})
    after = hand_class.evolve({}, {s02.attempt_id: changed})
    # S02's latest report is now {3: 5}: 3 = (50+5+80)/3 = 45; 1 = (60+70)/2 = 65; ...
    assert figures(after, after.visible())[:2] == [(3, Fraction(45), 3), (1, Fraction(65), 2)]
    assert figures(hand_class, hand_class.visible()) == [
        (a.number, a.average, a.students) for a in before.activities
    ]


def test_long_activity_names_are_cut_after_a_word_and_marked() -> None:
    longest = module("maintenance").activities[3]
    short = shortened(longest, 34)
    assert short == "Recognise potential maintenance…"
    assert len(short) <= 34
    assert longest.startswith(short.removesuffix("…"))
    assert shortened("Safety orientation", 34) == "Safety orientation"
    assert shortened("Emergency drills and teams", 17) == "Emergency drills…"
    assert shortened("Emergency drills and teams", 16) == "Emergency…"
    assert shortened("Supercalifragilistic", 8) == "Superca…"
    for m in (module(k) for k in ("safety", "quality", "production", "maintenance", "green")):
        for name in m.activities:
            for width in (10, 20, 34, 50):
                cut = shortened(name, width)
                assert len(cut) <= width
                assert cut == name or cut.endswith("…")
                body = cut.removesuffix("…")
                # Whole words only, unless a single word did not fit.
                assert name == body or name[len(body)] in " ,:;-" or " " not in body


def test_a_practice_test_has_no_report_that_counts(hand_class: Roster) -> None:
    practice = attempt("S05", "2026-02-01", {1: 0, 2: 0}).model_copy(update={"kind": "practice"})
    roster = Roster(hand_class.students, (*hand_class.attempts, practice))
    assert module_diagnostics(roster, roster.visible(), SAFETY).students == 3
    assert student_diagnostics(roster.standings["S05"]) == []
