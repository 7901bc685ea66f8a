"""The progress summary: each module's pass rate among the visible students, drawn as bars."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ..core.class_figures import ClassSummary
from ..core.labels import plural

BAR_WIDTH = 20


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """`████████░░░░` for 0..1, in eighths, readable without colour."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[part] if part else ""
    return ("█" * full + partial).ljust(width, "░")


class ModuleSummaryBar(Static):
    """Pass rate and attempts per module, then how many hold the CPT and how many are close."""

    _shown: ClassSummary | None = None

    def show(self, summary: ClassSummary) -> None:
        """Draw `summary`: not at all when it is what is shown, and without a new layout of
        the screen when only figures changed (the same lines: a module each, then the CPT)."""
        before = self._shown
        if summary == before:
            return
        self._shown = summary
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(no_wrap=True)
        for s in summary.modules:
            name = s.module.short + ("" if s.module.required else " opt.")
            rate = f"{s.pass_rate:4.0%}" if s.attempted else "   -"
            detail = f"{s.passed}/{s.attempted} passed, {plural(s.attempts, 'attempt')}"
            grid.add_row(name, bar(s.pass_rate), rate, detail)
        cpt = Text.assemble(
            (f"{summary.certified}", "bold"),
            " hold the full CPT; ",
            (f"{summary.one_away}", "bold"),
            " are one core module away from it",
        )
        same_lines = before is not None and len(before.modules) == len(summary.modules)
        self.update(Group(grid, cpt), layout=not same_lines)
