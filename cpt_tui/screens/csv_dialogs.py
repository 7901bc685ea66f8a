"""The CSV dialogs: export (where to, and which file) and import (a dry run, then the import
of exactly the bytes it checked)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from shlex import quote
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from ..core.credentials_csv import after_course_kind
from ..core.csvio import ImportPlan
from ..core.diagnostics_csv import DiagnosticsPlan, is_diagnostics_file
from ..core.errors import CptError
from ..core.text import plain
from ..messages import NotSaved, Saved
from ..widgets.field_error import FieldError
from ..widgets.key_bar import KeyBar
from ..widgets.safe_input import SafeInput
from ..widgets.tick import Tick
from .base import OfCptApp

if TYPE_CHECKING:
    from ..store import Store


class ExportScreen(ModalScreen[tuple[Path, bool] | None]):
    """Where to export: an editable path, and the attempts file instead of the roster."""

    BINDINGS = [
        Binding("enter", "export", "Export", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Keys of the export dialog."""

    def __init__(self, default_name: str, *, kinds: bool = True) -> None:
        super().__init__()
        self.default_name = default_name
        self.kinds = kinds
        """Offer the attempts file instead of the roster (not for a screen's own list)."""

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        with Vertical(classes="dialog"):
            yield Label("Export to CSV", classes="title")
            yield SafeInput(self.default_name, id="path")
            tick = Tick("Attempts file (one row per attempt)", id="attempts")
            tick.display = self.kinds
            yield tick
            yield FieldError(id="path-error")
            hint = "enter exports    escape cancels" + ("    space ticks" if self.kinds else "")
            yield Static(hint, classes="hint")

    @on(Checkbox.Changed, "#attempts")
    def _kind_changed(self, event: Checkbox.Changed) -> None:
        path = self.query_one("#path", Input)
        swap = ("cpt-export-", "cpt-attempts-") if event.value else ("cpt-attempts-", "cpt-export-")
        path.value = path.value.replace(*swap)

    def action_export(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        error = self.query_one("#path-error", FieldError)
        path = Path(text).expanduser()
        if not text:
            error.show("Type a file name")
        elif path.is_dir():
            error.show(f"{path} is a folder: add a file name")
        elif not path.parent.is_dir():
            error.show(f"There is no folder {path.parent}")
        elif path.is_symlink():
            error.show(f"{path} is a symbolic link; choose another name")
        else:
            self.dismiss((path, self.query_one("#attempts", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


def import_flag(data: bytes, attempts: bool) -> str:
    """The `cpt-tui import` option that reads this file as the dialog does: a diagnostics,
    credentials or points file is known by its columns; else the tick says attempts."""
    if is_diagnostics_file(data):
        return "--diagnostics"
    kind = after_course_kind(data)
    if kind in ("credentials", "points"):
        return f"--{kind}"
    return "--attempts" if attempts else ""


class ImportScreen(OfCptApp[None], ModalScreen[None]):
    """Pick a CSV; `enter` shows what would change (a dry run), `enter` again imports it.

    The dry run reads and checks the file in this screen's worker, whose result comes back
    as a message (`Planned`, `Refused`); the import itself is a store change (`cpt.change`)
    that the app answers with `Imported` or `NotSaved`.
    """

    class Planned(Message, bubble=False):
        """What checking the chosen file (a dry run) came to."""

        def __init__(
            self, plan: ImportPlan | DiagnosticsPlan, choice: tuple[str, bool], data: bytes
        ) -> None:
            super().__init__()
            self.plan, self.choice, self.data = plan, choice, data

    class Imported(Saved[ImportPlan | DiagnosticsPlan]):
        """The checked file (`choice`, `data`) imported; `result` is what came in."""

        def __init__(self, choice: tuple[str, bool], data: bytes) -> None:
            super().__init__()
            self.choice, self.data = choice, data

        def notice(self) -> str:
            plan = self.result
            if not plan.ok:  # told here only when the dialog closed before the import
                return f"Nothing imported: {plan.refusal()}"
            return f"Imported {plan.kind}: {plan.summary()}"

    class Refused(Message, bubble=False):
        """The file cannot be read as CSV at all (its line named)."""

        def __init__(self, error: CptError) -> None:
            super().__init__()
            self.error = error

    BINDINGS = [
        Binding("enter", "go", "Check / import", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Keys of the import dialog."""

    def __init__(self, store: Store, *, samples: Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.samples = samples
        """The demo's sample CSVs, dated as the demo: offered in the path field."""
        self.checked: tuple[str, bool] | None = None
        """The (path, attempts) whose dry run is showing and may be imported."""
        self.checked_bytes = b""
        """The file as its dry run read it: what `enter` imports, whatever the file holds
        by then (a file changed after the check is never imported unchecked)."""

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        with Vertical(classes="dialog"):
            yield Label("Import a CSV", classes="title")
            start = "" if self.samples is None else str(self.samples / "sample-attempts.csv")
            yield SafeInput(start, placeholder="path/to/roster.csv", id="path")
            yield Tick(
                "Attempts file (student_id, module, date, score)",
                self.samples is not None,  # as the sample offered is
                id="attempts",
            )
            yield Static(
                Text(  # the app's own words: plain() would escape the line break
                    "enter checks the file first; nothing is written yet. A file with an "
                    "activity column is read as MSSC diagnostic reports; with "
                    "certificate_number or verified_on as credentials; with category and "
                    "points as recertification points."
                    + (
                        ""
                        if self.samples is None
                        else "\nThe demo's samples, dated as the demo, are in that folder: "
                        "sample-attempts.csv (Attempts ticked), sample-roster.csv (untick "
                        "it), sample-points.csv."
                    )
                ),
                id="result",
            )
            yield Static("enter checks, then imports    escape cancels", classes="hint")

    def _choice(self) -> tuple[str, bool]:
        return self.query_one("#path", Input).value.strip(), self.query_one(
            "#attempts", Checkbox
        ).value

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        if self.checked is not None and self.checked != self._choice():
            self.checked = None
            self.query_one("#result", Static).update("enter checks the file again")

    def action_go(self) -> None:
        text, attempts = self._choice()
        result = self.query_one("#result", Static)
        dry_run = self.checked != (text, attempts)
        if dry_run:
            try:
                data = self.store.read_csv(Path(text).expanduser())
            except OSError as exc:
                result.update(plain(f"Cannot read {text or 'that'}: {exc.strerror}", style="bold"))
                return
            except CptError as exc:  # not a regular file, or too large to be a roster
                result.update(plain(exc, style="bold"))
                return
        else:
            data = self.checked_bytes
        importers: dict[str, Callable[..., ImportPlan | DiagnosticsPlan]] = {
            "--diagnostics": self.store.import_diagnostics,
            "--credentials": self.store.import_credentials,
            "--points": self.store.import_points,
            "--attempts": self.store.import_attempts,
            "": self.store.import_roster,
        }
        do = importers[import_flag(data, attempts)]
        if dry_run:
            self._check(do, data, (text, attempts))
            return
        self.cpt.change(
            lambda: do(data, dry_run=False), self.Imported((text, attempts), data), asker=self
        )

    @work(thread=True, name="check", description="check a CSV (dry run)", exit_on_error=False)
    def _check(
        self,
        do: Callable[..., ImportPlan | DiagnosticsPlan],
        data: bytes,
        choice: tuple[str, bool],
    ) -> None:
        try:
            plan = do(data, dry_run=True)
        except CptError as exc:
            self.post_message(self.Refused(exc))
            return
        self.post_message(self.Planned(plan, choice, data))

    @on(Refused)
    @on(NotSaved)
    def _refused(self, message: Refused | NotSaved) -> None:
        message.stop()  # said here, not by the app
        self.query_one("#result", Static).update(plain(message.error, style="bold"))

    @on(Imported)
    def _imported(self, message: Imported) -> None:
        if message.result.ok:
            self.dismiss(None)  # the message goes on to the app, which says what came in
            return
        message.stop()  # the store changed since the check: say why here
        self._cannot_import(message.result, message.choice, message.data)

    def _cannot_import(
        self, plan: ImportPlan | DiagnosticsPlan, choice: tuple[str, bool], data: bytes
    ) -> None:
        self.checked = None
        shown = plan.error_lines()[:6]
        more = len(plan.errors) - len(shown)
        lines = [f"Nothing can be imported: {plan.refusal()}", *shown]
        if more:
            path, attempts = choice
            flag = import_flag(data, attempts)
            command = " ".join(filter(None, ["cpt-tui import", flag, "--dry-run", quote(path)]))
            lines.append(f"... and {more} more ({command} lists them all)")
        self.query_one("#result", Static).update(Text("\n").join(plain(line) for line in lines))

    @on(Planned)
    def _show(self, message: Planned) -> None:
        plan, choice, data = message.plan, message.choice, message.data
        if not plan.ok:
            self._cannot_import(plan, choice, data)
        else:
            self.checked, self.checked_bytes = choice, data
            # Early retakes are imported (they happened) but named first, as the CLI does;
            # then IDs matched to stored ones and students an assessment registers.
            early = plan.early_lines()[:4]
            if len(plan.early) > len(early):
                early.append(f"... and {len(plan.early) - len(early)} more")
            every = plan.notes
            notes = every[:3]
            if len(every) > len(notes):
                notes.append(f"... and {len(every) - len(notes)} more (--dry-run lists all)")
            lines = [f"Would import: {plan.summary()}", *early, *notes]
            self.query_one("#result", Static).update(
                Text("\n").join(
                    [*(plain(line) for line in lines), Text("enter imports, escape cancels")]
                )
            )

    def action_cancel(self) -> None:
        self.dismiss(None)
