"""What keeps cpt-tui fast at district scale, proven on its output, never on a clock:
workers carry a short description, and the lean builders print exactly what the plain
ones did."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table
from textual.worker import Worker

from cpt_tui import app as app_module
from cpt_tui.app import CptApp
from cpt_tui.core import labels
from cpt_tui.core import standing as standing_module
from cpt_tui.core.catalog import MODULES
from cpt_tui.core.csvio import attempts_rows, roster_rows, write_csv
from cpt_tui.core.fees import dollars
from cpt_tui.core.models import Attempt, Module, Student
from cpt_tui.core.roster import Roster
from cpt_tui.core.standing import passes
from cpt_tui.core.text import plain
from cpt_tui.report import print_report, standing_lines, standing_rows
from cpt_tui.store import Store

from .conftest import settle


class _Watched(CptApp):
    """The app as it is, noting every worker it starts."""

    CSS_PATH = Path(app_module.__file__).parent / "app.tcss"
    seen: list[Worker[object]]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.seen.append(event.worker)


async def test_every_worker_has_a_short_description(demo_store: Store) -> None:
    """Textual takes repr() of a worker's callable when it has no description: for the
    warm-up that was the whole roster (6.8 million characters at 10,000 students), built on
    the UI thread after every saved change."""
    app = _Watched(demo_store)
    app.seen = []
    before = len(demo_store.roster.attempts)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "r", "6", "4", "enter", "enter")  # record 64: a saved change
        await settle(pilot)
        await pilot.pause(1.2)  # the store poll runs once a second
        await settle(pilot)
    assert len(demo_store.roster.attempts) == before + 1
    groups = {worker.group for worker in app.seen}
    assert {"warm", "store", "poll"} <= groups
    for worker in app.seen:
        assert worker.description
        assert len(worker.description) <= 60, worker.group


# -- a large class, made in memory ----------------------------------------------------------


def big_roster(size: int, seed: int = 11) -> Roster:
    """`size` students with one to four attempts each across every module and score kind:
    passes and fails, typed percents, supplements, dropped students, empty and accented
    sections and wide names, and CPTs old enough to have expired or be about to."""
    rng = random.Random(seed)
    firsts = ["Ava", "José", "Zoë", "Hiroshi", "李", "Ngozi", "Dana", "O'Neil"]
    lasts = ["Núñez", "Kowalski", "Smith", "Washington-Carter", "王", "Al-Sayed", "Ng"]
    students, attempts = [], []
    start = date(2019, 1, 7)
    for n in range(size):
        sid = f"D{n:06d}"
        bought = {m.key: Decimal("70.00") for m in MODULES if rng.random() < 0.15}
        students.append(
            Student(
                student_id=sid,
                first_name=rng.choice(firsts),
                last_name=rng.choice(lasts),
                section=rng.choice(["", "P1", "P2", "Évening", "Saturday lab"]),
                registration_fee=Decimal("28.00") if rng.random() < 0.9 else None,
                status="dropped" if rng.random() < 0.05 else "active",
                supplements=bought,
            )
        )
        # Most sit every core module (many pass all four: a CPT, dated across seven years).
        # Every 50th passes all four in December 2021: a CPT expiring within 90 days.
        expiring = n % 50 == 0
        for module in MODULES:
            for _ in range(1 if expiring else rng.choice([0, 1, 1, 1, 2])):
                day = start + timedelta(days=rng.randrange(7 * 365))
                typed = rng.random() < 0.1 and not expiring
                correct = rng.randrange(module.questions // 2, module.questions + 1)
                if expiring:
                    day, correct = date(2021, 12, 1 + len(attempts) % 28), module.questions
                attempts.append(
                    Attempt(
                        attempt_id=f"{sid}-{len(attempts)}",
                        student_id=sid,
                        module=module.key,
                        taken_on=day,
                        correct=None if typed else correct,
                        questions=None if typed else module.questions,
                        percent=Decimal(rng.randrange(5000, 10001)) / 100 if typed else None,
                        fee=Decimal("22.00"),
                        recorded_at=datetime(2026, 1, 1, 9, 0, rng.randrange(60)),
                    )
                )
    return Roster(tuple(students), tuple(attempts))


def rich_standing(title: str, roster: Roster, students: list[Student], today: date) -> str:
    """The class standing as `report` printed it before: a Rich Table of every student."""
    table = Table(title=plain(title), title_justify="left")
    table.add_column("ID", no_wrap=True)
    for name in ("Name", "Section", "Core", "CPT", "Green"):
        table.add_column(name)
    table.add_column("Fees", justify="right", no_wrap=True)
    for s in students:
        st = roster.standings[s.student_id]
        table.add_row(
            plain(s.student_id),
            plain(labels.listed_name(s)),
            plain(s.section),
            f"{st.core_passed}/{st.core_total}",
            labels.cpt(st, today),
            labels.optional(st.modules["green"]),
            dollars(roster.fee_lines[s.student_id].total),
        )
    console = Console(file=io.StringIO(), width=400, color_system=None)
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize("size", [1_000, 10_000])
def test_the_plain_standing_lines_are_byte_for_byte_rich_s_table(size: int) -> None:
    """The report's line per student is laid out without Rich's Table (47 s at 50,000
    students): the same bytes as the table, every student, every kind of standing."""
    roster = big_roster(size)
    today = date(2026, 11, 21)
    students = roster.visible(show_dropped=True)
    title = f"CPT class standing, {today}"
    ours = "\n".join(standing_lines(title, standing_rows(roster, students, today))) + "\n"
    assert ours == rich_standing(title, roster, students, today)
    states = {labels.cpt(roster.standings[s.student_id], today)[0] for s in students}
    assert states >= {"✓", "!", "✗", "1", "4"}  # valid, expiring, expired, 1 and 4 to go


def test_the_report_prints_its_standing_lines_and_summary_leaves_them_out(
    demo_store: Store,
) -> None:
    roster, today = demo_store.roster, date(2026, 11, 21)

    def printed(**options: bool) -> str:
        console = Console(file=io.StringIO(), width=100, color_system=None)
        print_report(roster, today, console=console, **options)
        return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]

    full, summary = printed(), printed(summary_only=True)
    students = roster.visible()
    table = rich_standing(f"CPT class standing, {today}", roster, students, today)
    assert full.startswith(table)
    assert full[len(table) :] == summary
    assert all(s.student_id not in summary for s in roster.students)
    assert summary.splitlines()[-1] == f"{len(students)} students, 8 with the full CPT."


def test_a_standing_line_is_never_wrapped_in_a_narrow_terminal(demo_store: Store) -> None:
    """Rich wrapped a long name onto a second line at 80 columns; each student is one line."""
    console = Console(file=io.StringIO(), width=40, color_system=None)
    print_report(demo_store.roster, date(2026, 11, 21), console=console)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    for student in demo_store.roster.visible():
        assert sum(line.startswith(f"│ {student.student_id} ") for line in lines) == 1


def _plain_judged(module: Module, attempt: Attempt) -> tuple[Fraction, bool]:
    """The verdict worked out afresh for every attempt, as before it was kept per score."""
    score = attempt.score
    return score, passes(module, score)


@pytest.mark.parametrize("size", [1_000, 10_000])
def test_lean_standings_export_and_report_byte_for_byte(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Standings judge each distinct score once: the export and the report's lines are the
    bytes that judging every attempt afresh gives."""
    today = date(2026, 11, 21)

    def outputs(roster: Roster) -> tuple[str, str, str]:
        students = roster.visible(show_dropped=True)
        lines = "\n".join(standing_lines("t", standing_rows(roster, students, today)))
        return write_csv(roster_rows(roster)), write_csv(attempts_rows(roster)), lines

    lean = outputs(big_roster(size))
    monkeypatch.setattr(standing_module, "judged", _plain_judged)
    assert outputs(big_roster(size)) == lean
