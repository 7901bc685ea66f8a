"""Edit the retake policy and the readiness margin: they apply from now on, never to a wait
already set by an earlier failure."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from ..core import labels
from ..core.models import RetakePolicy
from ..widgets.field_error import FieldError
from ..widgets.key_bar import KeyBar
from ..widgets.safe_input import SafeInput
from .dialogs import EditDialog

PolicyValues = tuple[int, int, int, Decimal]
"""(wait days, long wait days, long wait from failure, readiness margin)."""

FIELDS = (
    ("wait_days", "Wait (days)", "after a failed attempt"),
    ("long_wait_days", "Long wait", "days, from the failure below on"),
    ("long_wait_from", "From failure", "the 3rd by MSSC's policy"),
    ("readiness_margin", "Ready margin", "points over the pass mark a practice test needs"),
)


def policy_line(policy: RetakePolicy) -> str:
    """The policy in force, in one line."""
    margin = labels.points(policy.readiness_margin)
    return (
        f"Retakes after {policy.wait_days} days, {policy.long_wait_days} from failure "
        f"{policy.long_wait_from}; ready at pass + {margin}  ·  w edits"
    )


def _whole(text: str, low: int, high: int) -> int:
    text = text.strip()
    if not text.isdigit():
        raise ValueError(f"{text or 'nothing'!r} is not a whole number")
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"must be between {low} and {high}")
    return value


def _margin(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        raise ValueError(f"{text.strip() or 'nothing'!r} is not a number of points") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValueError("must be between 0 and 100 points")
    if value != value.quantize(Decimal("0.1")):
        raise ValueError("one decimal at most (e.g. 5 or 7.5)")
    return value.quantize(Decimal("0.1"))


class RetakePolicyScreen(EditDialog[RetakePolicy, PolicyValues]):
    """`enter` saves the waits and the margin; each failure keeps the wait of its date."""

    def compose(self) -> ComposeResult:
        yield KeyBar()  # this dialog's keys, over the screen's
        with Vertical(classes="dialog"):
            yield Label("Retake waits and readiness", classes="title")
            for name, label, hint in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(label, classes="label wide")
                    yield SafeInput(str(getattr(self.current, name)), id=name, classes="compact")
                yield Static(hint, classes="field-hint")
                yield FieldError(id=f"{name}-error")
            yield Static(
                "A new policy applies from now on: a wait set by an earlier failure keeps the "
                "policy of its date.",
                classes="hint",
            )
            yield Static("enter saves    escape cancels    tab next field", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#wait_days", Input).focus()

    def action_save(self) -> None:
        readers: dict[str, Callable[[str], int | Decimal]] = {
            "wait_days": lambda t: _whole(t, 0, 365),
            "long_wait_days": lambda t: _whole(t, 0, 365),
            "long_wait_from": lambda t: _whole(t, 1, 99),
            "readiness_margin": _margin,
        }
        values: dict[str, int | Decimal] = {}
        for name, _, _ in FIELDS:
            error = self.query_one(f"#{name}-error", FieldError)
            try:
                values[name] = readers[name](self.query_one(f"#{name}", Input).value)
                error.show("")
            except ValueError as exc:
                error.show(str(exc))
        if len(values) == len(FIELDS):
            self.dismiss(
                (
                    int(values["wait_days"]),
                    int(values["long_wait_days"]),
                    int(values["long_wait_from"]),
                    Decimal(values["readiness_margin"]),
                )
            )
