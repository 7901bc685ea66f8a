"""The store keeps its last read in memory: after any series of changes, what it holds is
exactly what a fresh read of the file gives (standings and fees included)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpt_tui.core.catalog import MODULE_KEYS
from cpt_tui.core.class_figures import class_summary, fee_totals
from cpt_tui.core.models import StudentForm
from cpt_tui.core.roster import Roster
from cpt_tui.store import Store, StoreError

from .conftest import FIXTURES, fixed_clock

IDS = ["S1001", "S1002", "S1005", "S1007", "E2002", "N1", "N2"]

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("record"),
            st.sampled_from(IDS),
            st.sampled_from(MODULE_KEYS),
            st.integers(0, 83),
        ),
        st.tuples(st.just("supplement"), st.sampled_from(IDS), st.sampled_from(MODULE_KEYS)),
        st.tuples(st.just("add"), st.sampled_from(IDS)),
        st.tuples(st.just("delete"), st.sampled_from(IDS)),
        st.tuples(
            st.just("undo"),
        ),
        st.tuples(st.just("other"), st.sampled_from(IDS)),
        st.tuples(st.just("drop"), st.sampled_from(IDS), st.booleans()),
    ),
    max_size=12,
)


def snapshot(roster: Roster) -> tuple[object, ...]:
    return (
        [s.model_dump() for s in roster.students],
        sorted(a.attempt_id for a in roster.attempts),
        {
            sid: (
                st.cpt_certified_on,
                {k: (m.best, m.passed_on, len(m.attempts)) for k, m in st.modules.items()},
            )
            for sid, st in roster.standings.items()
        },
        dict(roster.fee_lines),
        roster.fee_history,
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_the_cached_roster_always_equals_a_fresh_read(tmp_path_factory, ops) -> None:  # type: ignore[no-untyped-def]
    path: Path = tmp_path_factory.mktemp("cache") / "roster.json"
    path.write_bytes((FIXTURES / "demo-roster.json").read_bytes())
    store = Store(path, clock=fixed_clock)
    other = Store(path, clock=fixed_clock, user="other")
    for op in ops:
        try:
            if op[0] == "record":
                store.record_attempt(op[1], op[2], date(2026, 11, 1), correct=op[3])
            elif op[0] == "supplement":
                store.toggle_supplement(op[1], op[2])
            elif op[0] == "add":
                store.save_student(StudentForm(student_id=op[1], first_name="New", last_name="One"))
            elif op[0] == "delete":
                store.delete_student(op[1])
            elif op[0] == "drop":  # dropped or back: in or out of the unfiltered figures
                student = store.roster.by_id.get(op[1])
                if student is not None:
                    form = StudentForm.of(student).model_copy(update={"dropped": op[2]})
                    store.save_student(form, student)
            elif op[0] == "undo":
                store.undo()
            else:  # another process changes the file: the next change must start from it
                other.toggle_supplement(op[1], "green")
        except StoreError:
            pass
        store.refresh()
        assert snapshot(store.roster) == snapshot(Store(path).roster)
        assert kept_figures(store.roster) == added_up(Store(path).roster)


def kept_figures(roster: Roster) -> list[object]:
    """The class figures the screens show unfiltered, from the tallies a change carries over
    (asked for here, so that the next change has them to carry)."""
    return [
        (roster.class_summary(show_dropped=shown), roster.fee_totals(show_dropped=shown))
        for shown in (False, True)
    ]


def added_up(roster: Roster) -> list[object]:
    """The same figures added up over every student shown."""
    return [
        (
            class_summary(roster, roster.visible(show_dropped=shown)),
            fee_totals(roster, roster.visible(show_dropped=shown)),
        )
        for shown in (False, True)
    ]


def test_a_bulk_import_of_attempts_groups_them_by_student_as_a_fresh_read(
    tmp_path: Path,
) -> None:
    """An import adds attempts for many students at once; Roster.evolve groups them by
    student in one pass. Each student ends with exactly their own attempts, in file order,
    after their earlier ones, as a fresh read of the file has them."""
    path = tmp_path / "roster.json"
    store = Store(path, clock=fixed_clock)
    ids = [f"B{n:04d}" for n in range(300)]
    roster = "student_id,first_name,last_name\n" + "".join(f"{i},Ann,Lee\n" for i in ids)
    assert store.import_roster(roster.encode()).ok
    first = "student_id,module,date,correct\n" + "".join(f"{i},safety,2026-01-05,50\n" for i in ids)
    assert store.import_attempts(first.encode()).ok
    rows = [f"{i},{m},2026-02-0{d},{40 + d}\n" for d in (1, 2) for i in ids for m in MODULE_KEYS]
    assert store.import_attempts(("student_id,module,date,correct\n" + "".join(rows)).encode()).ok

    cached = store.roster
    assert snapshot(cached) == snapshot(Store(path).roster)
    for sid in ids:
        mine = cached.attempts_of(sid)
        assert len(mine) == 1 + 2 * len(MODULE_KEYS)
        assert {a.student_id for a in mine} == {sid}
        assert [a.module for a in mine][1:] == list(MODULE_KEYS) * 2
        assert mine[0].taken_on == date(2026, 1, 5)
