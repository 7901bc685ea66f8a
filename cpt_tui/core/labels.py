"""Words and symbols for a standing, the same on screen, in the report and in any terminal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import PurePath

from .models import Attempt, Module, Student, one_decimal
from .standing import CptStatus, ModuleStanding, Standing, passes

PASS, FAIL, NOT_ATTEMPTED = "✓", "✗", "·"


def cell(ms: ModuleStanding) -> str:
    """`✓ 80.7` passed, `✗ 71.1` not yet passed (best score), `·` not attempted."""
    if ms.best is None:
        return NOT_ATTEMPTED
    return f"{PASS if ms.passed else FAIL} {one_decimal(ms.best)}"


def cpt(st: Standing, today: date) -> str:
    """`✓ 2031-05-07` valid until, `! 2026-12-16` renew now, `✗ 2026-10-01` expired, `3 to go`."""
    status = st.cpt_status(today)
    if status is CptStatus.NONE:
        return f"{st.core_total - st.core_passed} to go"
    mark = {CptStatus.EXPIRED: "✗", CptStatus.EXPIRING: "!", CptStatus.CERTIFIED: "✓"}[status]
    return f"{mark} {st.cpt_expires_on}"


def core(st: Standing) -> str:
    """`3/4`: core modules passed of those the CPT needs."""
    return f"{st.core_passed}/{st.core_total}"


def points(value: Decimal) -> str:
    """A number of points as an instructor writes it: `5` (not the stored `5.0`), `2.5`."""
    return f"{value.normalize():f}"


def plural(count: int, noun: str) -> str:
    """`1 attempt`, `2 attempts`, `0 attempts`."""
    return f"{count:,} {noun}{'s' * (count != 1)}"


def listed_name(student: Student) -> str:
    """`Last, First`, marked `(dropped)` first so a narrow column still shows it."""
    return ("(dropped) " if student.dropped else "") + student.sort_name


def optional(ms: ModuleStanding) -> str:
    """The Green module: passed, failed (not yet passed), or not taken (it is optional)."""
    if ms.passed:
        return f"{PASS} passed"
    if ms.attempted:
        return f"{FAIL} not yet"
    return "-"


def correct(attempt: Attempt) -> str:
    """`64/83`: the questions right of those asked; `-` for a score typed as a percent."""
    return f"{attempt.correct}/{attempt.questions}" if attempt.correct is not None else "-"


def score(attempt: Attempt, module: Module) -> str:
    """`64/83 = 77.1%, passed` or `75.96% (typed), not passed`, judged against `module`
    (the roster's, as every standing is)."""
    result = "passed" if passes(module, attempt.score) else "not passed"
    if attempt.practice:
        result = "practice"
    if attempt.correct is not None:
        return f"{attempt.correct}/{attempt.questions} = {one_decimal(attempt.score)}%, {result}"
    return f"{one_decimal(attempt.score)}%, {result}"


TITLE_PATH_WIDTH = 36
"""Widest a store's path is shown in the title line, which an 80-column terminal cuts."""


def short_path(path: PurePath, home: PurePath) -> str:
    """A store's path for the title line: under the home folder as `~/…`, and when still
    wider than TITLE_PATH_WIDTH, its folder and file name after `…/`, which tell which
    roster it is (`/srv/cte/shared/2026-fall/section-p2/roster.json` is
    `…/section-p2/roster.json`), or its file name alone if that is wider still."""
    shown = f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)
    for shorter in (f"…/{path.parent.name}/{path.name}", f"…/{path.name}"):
        if len(shown) <= TITLE_PATH_WIDTH:
            break
        shown = shorter
    return shown
