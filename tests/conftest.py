"""Shared fixtures: real stores in tmp_path, a fixed clock, and the user's own files kept out."""

from __future__ import annotations

import csv
import io
import shutil
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS, REPLACED_KEYS, key_to_character
from textual.pilot import Pilot

from cpt_tui.app import CptApp, create_app
from cpt_tui.cli import DEMO_FILE, fixtures_dir, main
from cpt_tui.compat import notices, screen_lines
from cpt_tui.core import catalog
from cpt_tui.core.models import Attempt, StudentForm
from cpt_tui.store import Store
from cpt_tui.widgets.virtual_table import VirtualTable

NOW = datetime(2026, 11, 21, 10, 0)
"""The tests' today: the demo roster is dated 2026-11-20."""
FIXTURES = fixtures_dir()
FIGURE = "figure"
"""A test report's user property: (what was measured, {name: value}), see `record`."""
_FIGURES: dict[str, dict[str, Any]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Gather the figures a test recorded (in this process or an xdist worker's)."""
    for name, value in report.user_properties:
        if name == FIGURE:
            test, values = value
            _FIGURES.setdefault(test, {}).update(values)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The reliability figures, for the README's Reliability section."""
    if not _FIGURES:
        return
    terminalreporter.section("reliability figures")
    for test, values in sorted(_FIGURES.items()):
        shown = ", ".join(f"{k}={v}" for k, v in values.items())
        terminalreporter.write_line(f"{test}: {shown}")


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture(autouse=True)
def _private_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the user's real store or config; no colour codes in CLI output."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("CPT_TUI_DB", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A fresh copy of the demo roster."""
    path = tmp_path / "roster.json"
    shutil.copyfile(FIXTURES / DEMO_FILE, path)
    path.chmod(0o600)
    return path


@pytest.fixture
def demo_store(demo_path: Path) -> Store:
    return Store(demo_path, clock=fixed_clock, user="tester")


@pytest.fixture
def empty_store(tmp_path: Path) -> Store:
    return Store(tmp_path / "empty" / "roster.json", clock=fixed_clock, user="tester")


@pytest.fixture
def add_student() -> Callable[..., object]:
    def add(
        store: Store, sid: str = "T100", first: str = "Ada", last: str = "Lovelace", **kw: object
    ) -> object:
        return store.save_student(
            StudentForm(student_id=sid, first_name=first, last_name=last, **kw)
        )  # type: ignore[arg-type]

    return add


@pytest.fixture
def app(demo_store: Store) -> CptApp:
    """The app over a fresh copy of the demo roster, dated 2026-11-21."""
    return create_app(demo_store)


async def settle(pilot: Pilot[None]) -> None:
    """Let store workers finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press_at_once(pilot: Pilot[None], *keys: str) -> None:
    """Press `keys` (Textual's key names) in one burst, as a fast typist or a laggy SSH link
    delivers them, and return once the app has handed each one over in turn and dealt with
    it (its type-ahead, cpt_tui/typeahead.py; tests/test_type_ahead.py) and the screen has
    caught up. Waits on that, where `pilot.press` sleeps at least 40 ms a key until the
    process looks idle (5 s to type a file path under tmp_path)."""
    send_keys(pilot.app, *keys)
    await pilot.app.typed_keys_handled()
    await pilot.pause()


def send_keys(app: CptApp, *keys: str) -> None:
    """Keys (Textual's names) sent to the app at once, as one read from a terminal does."""
    for key in keys:
        event = events.Key(key, key_to_character(REPLACED_KEYS.get(key, key)))  # as Pilot
        event.set_sender(app)
        app.post_message(event)


def key_of(char: str) -> str:
    """The key Textual reads for a typed character: `a`, `space`, `slash`, `full_stop`."""
    if char.isalnum():
        return char
    name = unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type text key by key, as an instructor does: a key for each character, handed over
    one at a time by the app's type-ahead however fast they come (see press_at_once)."""
    await press_at_once(pilot, *map(key_of, text))


def run_cli(db: Path, *args: str) -> int:
    """The command line in this process, over the store at `db`: its exit code."""
    return main(["--db", str(db), *args])


def csv_rows(text: str) -> list[list[str]]:
    """A CSV's rows, its byte-order mark dropped."""
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def attempt_of(
    module: str,
    taken: str,
    correct: int | None = None,
    percent: str | None = None,
    recorded: datetime = datetime(2026, 1, 1),
    sid: str = "S1",
) -> Attempt:
    """An assessment of `module` taken on `taken` (ISO), by correct answers or percent."""
    return Attempt(
        attempt_id=f"{sid}{module}{taken}{recorded:%j%H%M}{correct}{percent}",
        student_id=sid,
        module=module,
        taken_on=date.fromisoformat(taken),
        correct=correct,
        questions=catalog.module(module).questions if correct is not None else None,
        percent=Decimal(percent) if percent is not None else None,
        fee=Decimal("22.00"),
        recorded_at=recorded,
    )


def said(app: CptApp) -> str:
    """The notice the instructor was last given (one shows at a time)."""
    return " ".join(str(n.message) for n in notices(app))


def table_keys(table: VirtualTable) -> list[str]:
    return list(table.keys)


def screen_text(app: CptApp) -> str:
    """What a person sees on the terminal now, as plain text lines."""
    return "\n".join(line.rstrip() for line in screen_lines(app))
