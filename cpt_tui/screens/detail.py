"""One student in full: attempts, certificates, the CPT and its expiry, what each module trains."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Static

from ..core import labels
from ..core.catalog import RECERTIFICATION_WINDOW_DAYS
from ..core.credentials import credentials_of
from ..core.deletion import deleting_takes
from ..core.fees import dollars
from ..core.models import Attempt, Module, PointsEntry, RetakePolicy, Student, one_decimal
from ..core.recert import points_not_counted, recertification
from ..core.retakes import early_retakes, eligibility, is_ready, latest_practice
from ..core.standing import CptStatus, Standing, expires_on, passes
from ..core.text import plain
from ..messages import Saved
from ..widgets.activities import activities_of
from ..widgets.key_bar import KeyBar
from ..widgets.marks import result_style
from .credentials import (
    CREDENTIAL_COLUMNS,
    PointsScreen,
    recert_line,
    record_credential,
    show_credentials,
)
from .diagnostics_form import DiagnosticsForm
from .dialogs import ConfirmScreen
from .page import PageScreen


def next_sittings(st: Standing, today: date, policies: Sequence[RetakePolicy]) -> str:
    """Each module not passed: `now`, or from when after a failure; the latest practice
    score and `ready` when it reaches the pass mark plus the margin."""
    parts = []
    for ms in st.modules.values():
        if ms.passed or not (ms.module.required or ms.attempts or ms.practice):
            continue
        when = eligibility(ms, today, policies)
        text = f"{ms.module.short} " + ("now" if when.eligible else f"from {when.eligible_from}")
        practice = latest_practice(ms, today)
        if practice is not None:
            ready = "ready" if is_ready(ms, today, policies) else "not ready"
            text += f", practice {one_decimal(practice.score)}% {ready}"
        parts.append(text)
    return " · ".join(parts) or "none left to sit"


class AttemptDeleted(Saved[None]):
    """An attempt or practice test (`kind`) deleted."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def notice(self) -> str:
        return f"{self.kind.capitalize()} deleted; u undoes it"


class DiagnosticsSaved(Saved[Attempt]):
    """The diagnostic report of an attempt at `module` saved; `result` is the attempt."""

    def __init__(self, module: Module) -> None:
        super().__init__()
        self.module = module

    def notice(self) -> str:
        saved = self.result
        return (
            f"Diagnostic report saved: {self.module.short} {saved.taken_on}, "
            f"{len(saved.diagnostics)} activities; u undoes it"
        )


class PointsAdded(Saved[Student]):
    """Recertification points added; `not_counted` says why they count toward no renewal
    (dated before the latest one), empty when they count."""

    def __init__(self, entry: PointsEntry, not_counted: str = "") -> None:
        super().__init__()
        self.entry, self.not_counted = entry, not_counted

    def notice(self) -> str:
        added = f"Added {self.entry.points} points ({self.entry.category})"
        return f"{added}, not counted: {self.not_counted}" if self.not_counted else added


class CptRenewed(Saved[Student]):
    """A CPT renewed today."""

    def notice(self) -> str:
        return "CPT renewed; u undoes it"


class StudentDetailScreen(PageScreen):
    """Attempts (delete a wrong one with `d`, `u` undoes), each credential with its certificate
    number and verification (`c`), recertification points (`p`) and renewal (`R`), activities."""

    BINDINGS = [
        Binding("d", "delete_attempt", "Delete", tooltip="Delete attempt"),
        Binding("a", "diagnostics", "Diagnostics"),
        Binding("c", "record_credential", "Cert. no.", tooltip="Certificate no."),
        Binding("p", "add_points", "Points"),
        Binding("R", "renew", "Renew", key_display="R"),
        Binding("j", "move(1)", "Next attempt", show=False),
        Binding("k", "move(-1)", "Previous attempt", show=False),
    ]
    """Keys of the student detail (j/k move as the arrows do), and a page's (PageScreen)."""

    def __init__(self, student_id: str) -> None:
        super().__init__()
        self.student_id = student_id
        self.holds_cpt = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog detail"):
            yield Label("", id="detail-title", classes="title")
            yield Static("", id="credentials")
            held: DataTable[str | Text] = DataTable(id="credential-list", cursor_type="row")
            yield held
            table: DataTable[str | Text] = DataTable(id="attempts", cursor_type="row")
            yield table
            with VerticalScroll(id="activities-box"):
                yield Static("", id="activities")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#attempts", DataTable)
        table.add_columns("Date", "Module", "Score", "%", "Result", Text("Fee", justify="right"))
        self.query_one("#credential-list", DataTable).add_columns(*CREDENTIAL_COLUMNS)
        self.watch(self.app, "roster", self.update_view)
        table.focus()

    def update_view(self) -> None:
        roster = self.cpt.roster
        student = roster.by_id.get(self.student_id)
        if student is None:
            self.dismiss(None)
            return
        st = roster.standings[self.student_id]
        today = self.cpt.store.today()
        title = f"{student.full_name} · {student.student_id} · {student.section or 'no section'}"
        self.query_one("#detail-title", Label).update(
            plain(title + (" · dropped" if student.dropped else ""))
        )

        status = st.cpt_status(today)
        if st.cpt_certified_on:
            cpt = f"CPT 4.0 since {st.cpt_certified_on}, expires {st.cpt_expires_on}"
            if status is CptStatus.EXPIRING:
                cpt += f"  ! RENEW: expires within {RECERTIFICATION_WINDOW_DAYS} days"
            elif status is CptStatus.EXPIRED:
                cpt += "  ✗ EXPIRED"
        else:
            cpt = f"No CPT yet: {st.core_passed} of {st.core_total} core modules passed"
        fees = roster.fee_lines[self.student_id]
        renewals = f" + renewals {dollars(fees.recertification)}" if fees.recertification else ""
        self.query_one("#credentials", Static).update(
            Text.assemble(
                (cpt, "bold"),
                "\n",
                recert_line(st, today),
                f"\nFees: {dollars(fees.total)} = registration {dollars(fees.registration)}"
                f" + {labels.plural(fees.attempts, 'attempt')} {dollars(fees.assessments)}"
                f" + supplements {dollars(fees.supplements)}{renewals}",
                "\nNext sittings: ",
                next_sittings(st, today, roster.retake_policies),
            )
        )
        held = self.query_one("#credential-list", DataTable)
        show_credentials(held, st)
        held.display = bool(held.row_count)  # none yet: the line above says what is missing
        self.holds_cpt = st.cpt_certified_on is not None

        table = self.query_one("#attempts", DataTable)
        row = table.cursor_row
        table.clear()
        for ms in st.modules.values():
            early = early_retakes(ms, roster.retake_policies)
            for a in ms.attempts:
                ok = passes(ms.module, a.score)
                result = ("✓ pass" if ok else "✗ fail") + (
                    ", early" if a.attempt_id in early else ""
                )
                table.add_row(
                    a.taken_on.isoformat(),
                    ms.module.short,
                    labels.correct(a),
                    one_decimal(a.score),
                    Text(result, style=result_style(self.app, ok)),
                    Text(dollars(a.fee), justify="right"),
                    key=a.attempt_id,
                )
        practice = sorted(
            ((ms, a) for ms in st.modules.values() for a in ms.practice),
            key=lambda pair: (pair[1].taken_on, pair[1].recorded_at),
        )
        for ms, a in practice:  # apart from the assessments: never a pass, never charged
            table.add_row(
                a.taken_on.isoformat(),
                ms.module.short,
                labels.correct(a),
                one_decimal(a.score),
                Text("practice", style="italic"),
                Text("-", justify="right"),
                key=a.attempt_id,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

        self.query_one("#activities", Static).update(activities_of(st))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`d`, `a` and `c` are dim (and do nothing) without an attempt or a credential to act
        on, `p` and `R` for a student who holds no CPT: the lines above say what is missing."""
        if action in ("delete_attempt", "diagnostics"):
            return self.query_one("#attempts", DataTable).row_count > 0 or None
        if action == "record_credential":
            return self.query_one("#credential-list", DataTable).row_count > 0 or None
        if action in ("add_points", "renew"):
            return self.holds_cpt or None
        return True

    def action_delete_attempt(self) -> None:
        table = self.query_one("#attempts", DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        roster = self.cpt.roster
        attempt = next(a for a in roster.attempts if a.attempt_id == key)
        module = next(m for m in roster.modules if m.key == attempt.module)
        kind = "practice test" if attempt.practice else "attempt"
        takes = deleting_takes(roster.standings[self.student_id], attempt)
        question = (
            f"Delete the {module.short} {kind} of {attempt.taken_on} "
            f"({labels.score(attempt, module)})? {takes + ' ' if takes else ''}u undoes it."
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.cpt.change(
                    lambda: self.cpt.store.delete_attempt(key), AttemptDeleted(kind), asker=self
                )

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), confirmed)

    def action_diagnostics(self) -> None:
        """Enter or correct the diagnostic report of the attempt under the cursor."""
        table = self.query_one("#attempts", DataTable)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        roster = self.cpt.roster
        attempt, student = roster.attempts_by_id.get(key), roster.by_id.get(self.student_id)
        if attempt is None or student is None:
            return
        if attempt.kind != "assessment":
            self.notify("A practice test has no MSSC diagnostic report", severity="warning")
            return
        module = next(m for m in roster.modules if m.key == attempt.module)

        def save(report: dict[int, int] | None) -> None:
            if report is None:
                return
            self.cpt.change(
                lambda: self.cpt.store.set_diagnostics(attempt, report),
                DiagnosticsSaved(module),
                asker=self,
            )

        self.app.push_screen(DiagnosticsForm(student, module, attempt), save)

    def action_record_credential(self) -> None:
        table = self.query_one("#credential-list", DataTable)
        held = {c.key: c for c in credentials_of(self.cpt.roster.standings[self.student_id])}
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        record_credential(self.cpt, held.get(key) or next(iter(held.values())), self)

    def action_add_points(self) -> None:
        st = self.cpt.roster.standings[self.student_id]

        def save(entry: PointsEntry | None) -> None:
            if entry is not None:
                self.cpt.change(
                    lambda: self.cpt.store.add_points(self.student_id, entry),
                    PointsAdded(entry, self._not_counted(entry)),
                    asker=self,
                )

        self.app.push_screen(PointsScreen(st, self.cpt.store.today()), save)

    def _not_counted(self, entry: PointsEntry) -> str:
        """Why these points count toward no renewal, by the standing as it is now."""
        st = self.cpt.roster.standings[self.student_id]
        return points_not_counted(st, entry.earned_on) or ""

    def action_renew(self) -> None:
        today = self.cpt.store.today()
        st = self.cpt.roster.standings[self.student_id]
        status = recertification(st, today)
        if status is None or not status.can_renew:
            reasons = status.reasons if status else ["no CPT to renew"]
            self.notify("Cannot renew: " + "; ".join(reasons), severity="error", timeout=10)
            return
        fee = self.cpt.roster.fees.recertification
        question = (
            f"Renew {st.student.full_name}'s CPT today ({today})? It will expire on "
            f"{expires_on(status.expires_on)}; the {dollars(fee)} recertification fee is charged."
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.cpt.change(
                    lambda: self.cpt.store.recertify(self.student_id, today),
                    CptRenewed(),
                    asker=self,
                )

        self.app.push_screen(ConfirmScreen(question, yes="Renew"), confirmed)

    def action_move(self, rows: int) -> None:
        """j and k: the attempt below or above, as the arrows (`d` deletes that one)."""
        table = self.query_one("#attempts", DataTable)
        if rows > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()
