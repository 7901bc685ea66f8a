"""After the course: a credential's certificate number and verification, and recertification
points (the verification queue, which records them in one pass, is `queue.py`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label, Static

from ..core.catalog import CPT_CREDENTIAL, POINTS_CATEGORIES, RECERTIFICATION_POINTS
from ..core.credentials import Credential, credentials_of
from ..core.models import MAX_ENTRY_POINTS, CredentialNote, PointsEntry, Student
from ..core.parse import explain, parse_date, parse_whole
from ..core.recert import points_not_counted, points_refused, read_category, recertification
from ..core.standing import Standing
from ..core.text import plain
from ..messages import Saved
from ..widgets.field_error import FieldError
from ..widgets.key_bar import KeyBar
from ..widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from ..app import CptApp

Noted = tuple[str, date | None]
"""(certificate number, verified on): what the credential dialog returns."""


def verification(note: CredentialNote) -> str:
    """`2026-11-18 by ms.k`, or `not yet`."""
    if note.verified_on is None:
        return "not yet"
    return f"{note.verified_on} by {note.verified_by or '?'}"


CREDENTIAL_COLUMNS = ("Credential", "Earned", "Expires", "Cert. no.", "Verified")


def show_credentials(table: DataTable[str | Text], st: Standing) -> None:
    """Each credential the student earned, with its certificate number and verification."""
    row = table.cursor_row
    table.clear()
    for c in credentials_of(st):
        table.add_row(
            short_name(c, st),
            c.earned_on.isoformat(),
            c.expires_on.isoformat() if c.expires_on else "",
            plain(c.note.certificate_number or "-"),
            plain(verification(c.note)),
            key=c.key,
        )
    if table.row_count:
        table.move_cursor(row=min(row, table.row_count - 1))


def short_name(c: Credential, st: Standing) -> str:
    """`Safety`, `Maint.`, `CPT 4.0`: a credential's name in a narrow column."""
    if c.key == CPT_CREDENTIAL:
        return "CPT 4.0"
    return st.modules[c.key].module.short


def recert_line(st: Standing, today: date) -> Text:
    """Where a CPT holder stands for renewal, in one line; for others what counts."""
    status = recertification(st, today)
    if status is None:
        return Text("Renewal: only a CPT holder collects recertification points")
    head = f"Renewal: {status.points} of {RECERTIFICATION_POINTS} points since {status.valid_from}"
    if status.can_renew:
        return Text.assemble(head, " · ", ("can renew now: R", "bold"))
    if status.expired:
        return Text(f"{head} · expired on {status.expires_on}: too late to renew")
    more = [f"opens {status.opens_on}"] if status.on < status.opens_on else []
    more += [f"{status.points_short} to go"] if status.points_short else []
    return Text(" · ".join([head, *more]))


class CredentialScreen(ModalScreen[Noted | None]):
    """One credential: the certificate number MSSC printed, and the day it was verified
    against MSSC's records (by this account); `enter` saves."""

    BINDINGS = [
        Binding("enter", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Keys of the credential dialog (tab moves to the date)."""

    def __init__(self, credential: Credential, today: date) -> None:
        super().__init__()
        self.credential, self.today = credential, today

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        c, note = self.credential, self.credential.note
        verified = note.verified_on or self.today
        with Vertical(classes="dialog"):
            yield Label(plain(f"{c.name}: {c.student.full_name}"), classes="title")
            earned = f"Earned {c.earned_on}" + (f", expires {c.expires_on}" if c.expires_on else "")
            yield Static(f"{earned}. Verified: {verification(note)}.", id="credential-facts")
            with Horizontal(classes="field"):
                yield Label("Cert. no.", classes="label")
                yield SafeInput(
                    note.certificate_number,
                    placeholder="as printed, e.g. CPT4-2611-20450",
                    id="number",
                    classes="compact",
                )
            yield FieldError(id="number-error")
            with Horizontal(classes="field"):
                yield Label("Verified on", classes="label")
                yield SafeInput(verified.isoformat(), id="verified", classes="compact")
            yield FieldError(id="verified-error")
            yield Static(
                "Verified on: the day you found it in MSSC's records; empty: not yet.",
                classes="hint",
            )
            yield Static("enter saves    escape cancels    tab to the date", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#number", Input).focus()

    def action_save(self) -> None:
        number = self.query_one("#number", Input).value.strip()
        number_error = self.query_one("#number-error", FieldError)
        date_error = self.query_one("#verified-error", FieldError)
        ok = True
        try:
            CredentialNote(certificate_number=number)
            number_error.show("")
        except ValidationError as exc:
            number_error.show("; ".join(explain(exc).values()))
            ok = False
        text = self.query_one("#verified", Input).value.strip()
        verified_on: date | None = None
        try:
            verified_on = parse_date(text, self.today) if text else None
            if verified_on is not None and verified_on < self.credential.earned_on:
                raise ValueError(f"before it was earned on {self.credential.earned_on}")
            if verified_on is None and self.credential.verified:
                raise ValueError("a verification stays recorded (u undoes a mistake)")
            date_error.show("")
        except ValueError as exc:
            date_error.show(str(exc))
            ok = False
        if ok:
            self.dismiss((number, verified_on))

    def action_cancel(self) -> None:
        self.dismiss(None)


class PointsScreen(ModalScreen[PointsEntry | None]):
    """One recertification points entry: date, category, whole points, a note. Points dated
    before the CPT are refused (they never count); dated before its latest renewal, the
    dialog says as the date is typed that they do not count toward the next one."""

    BINDINGS = [
        Binding("enter", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    """Keys of the points dialog (tab moves between fields)."""

    FIELDS = (
        ("points", "Points", ""),
        ("category", "Category", "education, certification, employment or other"),
        ("earned_on", "Date", ""),
        ("note", "Note", "what it was (course, employer, certificate)"),
    )

    def __init__(self, standing: Standing, today: date) -> None:
        super().__init__()
        self.standing, self.today = standing, today
        self.student = standing.student

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        with Vertical(classes="dialog"):
            yield Label(plain(f"Recertification points: {self.student.full_name}"), classes="title")
            for name, label, placeholder in self.FIELDS:
                value = self.today.isoformat() if name == "earned_on" else ""
                with Horizontal(classes="field"):
                    yield Label(label, classes="label")
                    yield SafeInput(value, placeholder=placeholder, id=name, classes="compact")
                yield FieldError(id=f"{name}-error")
                if name == "earned_on":
                    yield Static("", id="earned_on-note", classes="hint")
            categories = "; ".join(f"{k}: {v}" for k, v in POINTS_CATEGORIES.items())
            yield Static(f"Categories (the first letters do): {categories}.", classes="hint")
            yield Static("enter saves    escape cancels    tab next field", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#points", Input).focus()
        self._date_typed()

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    @on(Input.Changed, "#earned_on")
    def _date_typed(self) -> None:
        """Whether points of the date typed (today's at first: a CPT expired takes none)
        count toward the next renewal, before saving."""
        try:
            day = parse_date(self._value("earned_on"), self.today)
        except ValueError:
            day = None
        why = points_not_counted(self.standing, day) if day is not None else None
        note = self.query_one("#earned_on-note", Static)
        note.update(plain(f"Not counted: {why}." if why else ""))
        note.display = bool(why)

    def action_save(self) -> None:
        found: dict[str, object] = {}
        errors: dict[str, str] = {}
        try:
            found["points"] = parse_whole(
                self._value("points"), "points", low=1, high=MAX_ENTRY_POINTS
            )
        except ValueError as exc:
            errors["points"] = str(exc)
        try:
            found["category"] = read_category(self._value("category"))
        except ValueError as exc:
            errors["category"] = str(exc)
        try:
            day = found["earned_on"] = parse_date(self._value("earned_on"), self.today)
            if (refused := points_refused(self.standing, day)) is not None:
                raise ValueError(refused)
        except ValueError as exc:
            errors["earned_on"] = str(exc)
        found["note"] = self._value("note").strip()
        entry = None
        if not errors:
            try:
                entry = PointsEntry.model_validate(found)
            except ValidationError as exc:
                errors = explain(exc)
        for name, _, _ in self.FIELDS:
            self.query_one(f"#{name}-error", FieldError).show(errors.get(name, ""))
        if entry is not None:
            self.dismiss(entry)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CredentialRecorded(Saved[Student]):
    """A credential's certificate number and verification recorded."""

    def __init__(self, credential: Credential) -> None:
        super().__init__()
        self.credential = credential

    def notice(self) -> str:
        return f"Recorded: {self.credential.name}, {self.credential.student.full_name}"


def record_credential(app: CptApp, credential: Credential, asker: Screen[Any]) -> None:
    """Ask for a credential's number and verification, then save it (from the detail or the
    queue, the `asker`)."""
    sid, key = credential.student.student_id, credential.key

    def save(noted: Noted | None) -> None:
        if noted is None:
            return
        number, verified_on = noted
        app.change(
            lambda: app.store.record_credential(sid, key, number, verified_on),
            CredentialRecorded(credential),
            asker=asker,
        )

    app.push_screen(CredentialScreen(credential, app.store.today()), save)
