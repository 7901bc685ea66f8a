"""Enter an attempt's diagnostic report: the percent of each key work activity of its module."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..core import labels
from ..core.diagnostics import parse_percent, shortened
from ..core.models import Attempt, Module, Student
from ..core.text import plain
from ..widgets.field_error import FieldError
from ..widgets.key_bar import KeyBar

LABEL_WIDTH = 54
"""Activity names longer than this are cut after a word and marked `…`."""


class DiagnosticsForm(ModalScreen[dict[int, int] | None]):
    """One field per activity of the attempt's module, as MSSC's report gives them; an empty
    field means the report has no figure for it. Returns activity number -> percent."""

    BINDINGS = [
        Binding("enter", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Keys of the diagnostics form (tab and shift+tab move between activities)."""

    def __init__(self, student: Student, module: Module, attempt: Attempt) -> None:
        super().__init__()
        self.student, self.module, self.attempt = student, module, attempt

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        m, a = self.module, self.attempt
        with Vertical(classes="dialog diagnostics-form"):
            yield Label(
                plain(f"Diagnostic report: {self.student.full_name}, {m.name}"), classes="title"
            )
            yield Static(
                f"Assessment of {a.taken_on}: {labels.score(a, m)}. Percent correct per key work "
                "activity, 0 to 100; leave empty what the report does not give.",
                classes="facts",
            )
            with VerticalScroll(classes="activity-fields"):
                for number, name in enumerate(m.activities, start=1):
                    value = a.diagnostics.get(number)
                    with Horizontal(classes="field"):
                        yield Label(
                            f"{number:>2}. {shortened(name, LABEL_WIDTH)}", classes="activity"
                        )
                        yield Input(
                            "" if value is None else str(value),
                            id=f"activity-{number}",
                            classes="compact percent",
                            max_length=5,
                        )
                    yield FieldError(id=f"activity-{number}-error")
            yield Static("enter saves    escape cancels    tab next activity", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#activity-1", Input).focus()

    def action_save(self) -> None:
        """Check every field; save only when all are right, else show each reason."""
        report: dict[int, int] = {}
        first_bad: Input | None = None
        for number in range(1, len(self.module.activities) + 1):
            field = self.query_one(f"#activity-{number}", Input)
            error = self.query_one(f"#activity-{number}-error", FieldError)
            text = field.value.strip()
            if not text:
                error.show("")
                continue
            try:
                report[number] = parse_percent(text)
                error.show("")
            except ValueError as exc:
                error.show(str(exc))
                first_bad = first_bad or field
        if first_bad is not None:
            first_bad.focus()
            return
        self.dismiss(report)

    def action_cancel(self) -> None:
        self.dismiss(None)
