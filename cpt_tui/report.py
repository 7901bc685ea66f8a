"""`cpt-tui report`: class standing, module pass rates and fee totals, printed with Rich."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table

from .core import labels
from .core.fees import FeeLine, dollars
from .core.roster import Roster, class_summary, fee_totals
from .core.text import plain


def print_report(
    roster: Roster,
    today: date,
    *,
    show_dropped: bool = False,
    section: str | None = None,
    console: Console | None = None,
) -> None:
    """Print the same standings and totals the screens show for these students."""
    console = console or Console()
    students = roster.visible(show_dropped=show_dropped)
    if section is not None:
        students = [s for s in students if s.section.casefold() == section.casefold()]
    title = f"CPT class standing, {today}" + (f", section {section}" if section else "")

    # Names, IDs and sections are text from outside: Text cells, never read as markup.
    standing = Table(title=plain(title), title_justify="left")
    standing.add_column("ID", no_wrap=True)
    for name in ("Name", "Section", "Core", "CPT", "Green"):
        standing.add_column(name)
    standing.add_column("Fees", justify="right", no_wrap=True)
    for s in students:
        st = roster.standings[s.student_id]
        standing.add_row(
            plain(s.student_id),
            plain(labels.listed_name(s)),
            plain(s.section),
            f"{st.core_passed}/{st.core_total}",
            labels.cpt(st, today),
            labels.optional(st.modules["green"]) if "green" in st.modules else "",
            dollars(roster.fee_lines[s.student_id].total),
        )
    console.print(standing)

    modules = Table(title="Modules", title_justify="left")
    for name in ("Module", "Pass mark", "Attempted", "Passed", "Pass rate", "Attempts"):
        modules.add_column(name, justify="left" if name == "Module" else "right")
    summary = class_summary(roster, students)
    for m in summary.modules:
        modules.add_row(
            m.module.short + ("" if m.module.required else " (optional)"),
            f"{m.module.pass_mark}%",
            str(m.attempted),
            str(m.passed),
            f"{m.pass_rate:.0%}" if m.attempted else "-",
            str(m.attempts),
        )
    console.print(modules)

    sections, class_total = fee_totals(roster, students)
    fees = Table(title="Fees", title_justify="left")
    fees.add_column("Section")
    for name in ("Registration", "Assessments", "Supplements", "Total"):
        fees.add_column(name, justify="right")
    for name, line in sections.items():
        fees.add_row(plain(name) if name else "(none)", *_amounts(line))
    fees.add_section()
    fees.add_row("Class", *_amounts(class_total), style="bold")
    console.print(fees)
    console.print(f"{len(students)} students, {summary.certified} with the full CPT.")


def _amounts(line: FeeLine) -> list[str]:
    return [dollars(v) for v in (line.registration, line.assessments, line.supplements, line.total)]
