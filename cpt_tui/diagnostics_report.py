"""`cpt-tui report --diagnostics`: each key work activity's class average, per module, printed."""

from __future__ import annotations

import sys
from datetime import date
from typing import TextIO

from .core.diagnostics import class_diagnostics
from .core.labels import plural
from .core.roster import Roster
from .core.search import in_section
from .core.text import printable


def print_diagnostics(
    roster: Roster,
    today: date,
    *,
    show_dropped: bool = False,
    section: str | None = None,
    out: TextIO | None = None,
) -> None:
    """Per module, the figures the Diagnostics screen shows: each activity's average over
    the students' latest diagnosed assessments, how many students, weakest first.

    Plain lines (no Rich): activity names are last on their line, so a narrow terminal wraps
    them without breaking the columns, and the output greps and pipes cleanly.
    """
    out = out or sys.stdout
    students = in_section(roster.visible(show_dropped=show_dropped), section)
    where = f", section {printable(section)}" if section is not None else ""
    dropped = " (dropped students included)" if show_dropped else ""
    lines = [
        f"Key work activity diagnostics, {today}{where}{dropped}",
        "Class average of each activity over the students' latest diagnosed assessment,",
        "weakest first.",
    ]
    for found in class_diagnostics(roster, students):
        m = found.module
        count = found.students
        heading = f"{m.name}{'' if m.required else ' (optional)'}: "
        heading += f"{plural(count, 'student')} with results"
        lines += ["", heading]
        if not count:
            continue
        lines.append(f"{'no.':>5}  {'average':>7}  {'students':>8}  activity")
        for a in found.activities:
            lines.append(f"{a.number:>5}  {a.shown:>7}  {a.students:>8}  {a.name}")
    out.write("\n".join(lines) + "\n")
