"""The verification queue: every credential earned and not yet verified against MSSC's
records, recorded in one pass at the end of a semester."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from ..core.credentials import Credential, verification_queue
from ..core.search import fold, haystack
from ..widgets.key_bar import KeyBar
from ..widgets.safe_input import SafeInput
from ..widgets.virtual_table import Column, VirtualTable
from .credentials import record_credential, short_name
from .page import PageScreen

QUEUE_COLUMNS = [
    Column("ID", 7),
    Column("Name", 18),
    Column("Section", 7),
    Column("Credential", 12),
    Column("Earned", 10),
    Column("Cert. no.", 16),
]


class VerificationQueueScreen(PageScreen):
    """The end-of-semester check in one pass: every credential earned and not yet verified
    against MSSC's records. `enter` (or `c`) records one and the cursor stays in place, on
    the next; `/` narrows the list; `a` shows verified ones too."""

    BINDINGS = [
        Binding("c,enter", "record", "Record"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("a", "toggle_all", "All / to verify"),
        Binding("v", "app.toggle_dropped", "Show dropped", show=False),
    ]
    """Keys of the verification queue, and a page's (PageScreen); `v` shows dropped students'
    credentials here, as it does on the screen below."""

    def __init__(self) -> None:
        super().__init__()
        self.show_all = False
        self.shown: dict[str, Credential] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog detail"):
            yield Label("", id="queue-title", classes="title")
            with Horizontal(classes="field"):
                yield Label("Filter", classes="label")
                yield SafeInput(
                    placeholder="/ then name, ID, section or credential",
                    id="queue-filter",
                    classes="compact",
                )
            yield VirtualTable(QUEUE_COLUMNS, fixed_columns=2, id="queue")
        yield KeyBar()

    def on_mount(self) -> None:
        # Starts narrowed as the screen below was (`/`): one section's check at a time.
        self.query_one("#queue-filter", Input).value = self.cpt.filter_text
        self.watch(self.app, "roster", self.update_view)
        self.watch(self.app, "show_dropped", self.update_view, init=False)
        self.query_one("#queue", VirtualTable).focus()

    def update_view(self) -> None:
        roster = self.cpt.roster
        needle = fold(self.query_one("#queue-filter", Input).value.strip())
        students = roster.visible(show_dropped=self.cpt.show_dropped)
        students.sort(key=lambda s: (s.last_name.casefold(), s.first_name.casefold()))
        queue = verification_queue(
            (roster.standings[s.student_id] for s in students), verified_too=self.show_all
        )
        total = len(queue)
        found: dict[str, Credential] = {}
        for c in queue:
            s = c.student
            if needle and needle not in f"{haystack(s)}\n{c.key}":
                continue
            found[f"{s.student_id}\t{c.key}"] = c
        self.shown = found
        what = "credentials" if self.show_all else "credentials to verify"
        count = f"{len(found)} of {total}" if needle else f"{len(found)}"
        toggle = "a: only those to verify" if self.show_all else "a: verified ones too"
        self.query_one("#queue-title", Label).update(
            f"Verification queue: {count} {what} · {toggle}"
        )

        def cells(key: str) -> list[str | Text]:
            c = found[key]
            s = c.student
            short = short_name(c, roster.standings[s.student_id])
            mark = "✓ " if c.verified else ""
            return [
                s.student_id,
                ("(dropped) " if s.dropped else "") + s.sort_name,
                s.section,
                mark + short,
                c.earned_on.isoformat(),
                c.note.certificate_number or "-",
            ]

        table = self.query_one("#queue", VirtualTable)
        table.show(list(found), cells)  # the cursor keeps its row: the next one to check

    @on(Input.Changed, "#queue-filter")
    def _filter_typed(self) -> None:
        self.update_view()

    @on(Input.Submitted, "#queue-filter")
    def _filter_done(self) -> None:
        self.query_one("#queue", VirtualTable).focus()

    @on(VirtualTable.Selected, "#queue")
    def _row_chosen(self) -> None:
        self.action_record()

    def action_filter(self) -> None:
        self.query_one("#queue-filter", Input).focus()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.update_view()

    def action_record(self) -> None:
        table = self.query_one("#queue", VirtualTable)
        key = table.cursor_key
        if key is None:
            self.notify("Nothing left to verify", severity="information")
            return
        credential = self.shown[key]
        record_credential(self.cpt, credential, self)

    def action_close(self) -> None:
        if self.focused is self.query_one("#queue-filter", Input):
            field = self.query_one("#queue-filter", Input)
            field.value = ""
            self.query_one("#queue", VirtualTable).focus()
            return
        self.dismiss(None)
