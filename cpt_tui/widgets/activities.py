"""A student's key work activities per module: their weakest from their latest report."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core import labels
from ..core.diagnostics import student_diagnostics
from ..core.standing import Standing


def activities_of(st: Standing) -> Group:
    """Per module: its heading; then the student's weakest activities from their latest
    diagnosed assessment (percent and name), or, without a report, what the module trains."""
    reports = {found.module.key: found for found in student_diagnostics(st)}
    parts: list[Text | Table] = []
    for ms in st.modules.values():
        m = ms.module
        parts.append(
            Text.assemble(
                (f"{labels.cell(ms)} {m.name}", "bold"),
                "" if m.required else " (optional)",
                f" · {m.questions} questions, {m.minutes} min, pass {m.pass_mark}%",
            )
        )
        items = Table.grid(padding=(0, 1))
        items.add_column(no_wrap=True, justify="right")
        items.add_column()
        found = reports.get(m.key)
        if found is None:
            for activity in m.activities:
                items.add_row(" -", activity)
        else:
            count = len(found.activities)
            parts.append(
                Text(
                    f" Weakest of {count} activit{'ies' if count != 1 else 'y'} in the report "
                    f"of {found.attempt.taken_on}:",
                    style="italic",
                )
            )
            for result in found.weakest():
                below = result.percent < m.pass_mark
                items.add_row(
                    Text(f"{'!' if below else ' '} {result.percent:>3}%", style="bold" * below),
                    f"{result.number}. {result.name}",
                )
        parts.append(items)
    return Group(*parts)
