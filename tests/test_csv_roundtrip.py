"""Property: any roster, exported (wide and attempts) and imported anew, is the same."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpt_tui.core import catalog
from cpt_tui.core.csv_imports import plan_attempts_import, plan_roster_import
from cpt_tui.core.csvio import attempts_rows, roster_rows, write_csv
from cpt_tui.core.ids import id_key
from cpt_tui.core.models import Attempt, Student
from cpt_tui.core.roster import Roster

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 9, 0)
FEES = catalog.DEFAULT_FEES

text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\u2028\u2029"
        )
        | st.sampled_from("=+-@,\"' éñØ"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
optional_text = st.one_of(st.just(""), text)


@st.composite
def rosters(draw: st.DrawFn) -> Roster:
    ids = draw(
        st.lists(
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,7}", fullmatch=True),
            min_size=1,
            max_size=6,
            unique_by=id_key,  # `K` and `k`, `7` and `007` are one student (SPEC)
        )
    )
    students, attempts = [], []
    serial = count()
    for sid in ids:
        supplements = draw(st.lists(st.sampled_from(catalog.MODULE_KEYS), unique=True))
        students.append(
            Student(
                student_id=sid,
                first_name=draw(text),
                last_name=draw(text),
                section=draw(optional_text.map(lambda t: t[:40])),
                term=draw(optional_text.map(lambda t: t[:40])),
                registration_fee=FEES.registration if draw(st.booleans()) else None,
                status=draw(st.sampled_from(["active", "dropped"])),
                supplements={k: FEES.supplement for k in supplements},
            )
        )
        for _ in range(draw(st.integers(0, 6))):
            module = catalog.module(draw(st.sampled_from(catalog.MODULE_KEYS)))
            by_count = draw(st.booleans())
            correct = draw(st.integers(0, module.questions)) if by_count else None
            percent = (
                None if by_count else draw(st.decimals(0, 100, places=draw(st.integers(0, 2))))
            )
            attempts.append(
                Attempt(
                    attempt_id=str(next(serial)),
                    student_id=sid,
                    module=module.key,
                    taken_on=TODAY - timedelta(days=draw(st.integers(0, 3000))),
                    correct=correct,
                    questions=module.questions if by_count else None,
                    percent=percent,
                    fee=FEES.assessment,
                    recorded_at=NOW,
                )
            )
    return Roster(tuple(students), tuple(attempts))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters(), st.booleans())
def test_export_then_import_gives_the_same_standings_and_fees(roster: Roster, bom: bool) -> None:
    plan = plan_roster_import(write_csv(roster_rows(roster), bom=bom).encode(), Roster(), FEES)
    assert plan.ok, plan.errors
    students = Roster(tuple(sorted(plan.new, key=lambda s: s.student_id)))
    ids = count()
    attempts = plan_attempts_import(
        write_csv(attempts_rows(roster), bom=bom).encode(),
        students,
        FEES,
        TODAY,
        NOW,
        lambda: str(next(ids)),
    )
    assert attempts.ok, attempts.errors
    result = Roster(students.students, tuple(attempts.new))
    original = Roster(tuple(sorted(roster.students, key=lambda s: s.student_id)), roster.attempts)
    assert result.students == original.students
    assert write_csv(roster_rows(result)) == write_csv(roster_rows(original))
    assert result.fee_lines == roster.fee_lines
    for sid, standing in roster.standings.items():
        mine = result.standings[sid]
        assert mine.cpt_certified_on == standing.cpt_certified_on
        assert {k: (m.passed_on, m.best, len(m.attempts)) for k, m in mine.modules.items()} == {
            k: (m.passed_on, m.best, len(m.attempts)) for k, m in standing.modules.items()
        }
