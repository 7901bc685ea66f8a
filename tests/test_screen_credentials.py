"""After the course on screen: `c` numbers and verifies, `p` adds points, `R` renews, the
verification queue, and the form's state ID and graduation year; the store checked after."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import DataTable, Label, Static

from cpt_tui.app import CptApp
from cpt_tui.screens.credentials import CredentialScreen, PointsScreen
from cpt_tui.screens.csv_dialogs import ImportScreen
from cpt_tui.screens.detail import StudentDetailScreen
from cpt_tui.screens.dialogs import ConfirmScreen
from cpt_tui.screens.queue import VerificationQueueScreen
from cpt_tui.screens.student_form import StudentFormScreen
from cpt_tui.store import Store
from cpt_tui.widgets.virtual_table import VirtualTable

from .conftest import fixed_clock, said, screen_text, settle, type_text

D = date.fromisoformat


def summary(screen: StudentDetailScreen) -> str:
    """The detail's lines above its tables (CPT, renewal, fees), as plain text."""
    return str(screen.query_one("#credentials", Static).content)


def stored(app: CptApp) -> Store:
    return Store(app.store.path, clock=fixed_clock)


async def open_detail(pilot, row: int) -> StudentDetailScreen:  # type: ignore[no-untyped-def]
    """The detail of the student on this row of the Progress grid (E2001 is row 0)."""
    await pilot.press("2")
    await settle(pilot)
    await pilot.press(*["j"] * row, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StudentDetailScreen)
    return pilot.app.screen


async def test_c_records_a_certificate_number_and_verification(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(pilot, row=1)  # Dana Kowalski: four certificates, the CPT
        held = detail.query_one("#credential-list", DataTable)
        assert [str(cell) for cell in held.get_row("cpt")][3:] == [
            "CPT-2112-04586",
            "2022-01-10 by demo",
        ]
        await pilot.press("c")  # on the first credential: Safety
        await settle(pilot)
        assert isinstance(app.screen, CredentialScreen)
        await type_text(pilot, "SAF-2109-7")
        await pilot.press("enter")
        await settle(pilot)
        assert said(app) == "Recorded: Safety Certificate, Dana Kowalski"
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        note = stored(app).roster.by_id["E2002"].credentials["safety"]
        assert (note.certificate_number, note.verified_on, note.verified_by) == (
            "SAF-2109-7",
            D("2026-11-21"),
            "tester",
        )
        assert [str(cell) for cell in held.get_row("safety")][3:] == [
            "SAF-2109-7",
            "2026-11-21 by tester",
        ]


async def test_c_refuses_a_bad_number_or_date_and_saves_nothing(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, row=1)
        before = app.store.path.read_bytes()
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "SAF 1")
        await pilot.press("tab", *["backspace"] * 10)
        await type_text(pilot, "2021-09-01")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CredentialScreen)
        text = screen_text(app)
        assert "certificate number must be letters and digits" in text
        assert "before it was earned on 2021-09-16" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.store.path.read_bytes() == before


async def test_R_renews_a_cpt_in_its_window_and_the_roster_shows_the_new_expiry(
    app: CptApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(pilot, row=1)
        assert "100 of 100 points since 2021-12-16 · can renew now: R" in summary(detail)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "It will expire on 2031-12-16; the $75.00 recertification fee" in (
            app.screen.question
        )
        await pilot.press("y")
        await settle(pilot)
        assert said(app) == "CPT renewed; u undoes it"
        roster = stored(app).roster
        assert roster.standings["E2002"].cpt_expires_on == D("2031-12-16")
        assert roster.fee_lines["E2002"].recertification == Decimal("75.00")
        text = summary(detail)
        assert "expires 2031-12-16" in text and "renewals $75.00" in text
        await pilot.press("escape", "1")
        await settle(pilot)
        roster_text = screen_text(app)
        assert "✓ 2031-12-16" in roster_text  # no longer flagged `!`: 90 days from the new one
        assert "! 2026-12-16" not in roster_text


async def test_R_refused_with_the_reason_and_nothing_saved(
    app: CptApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **_: told.append(message))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, row=0)  # Marcus Reed: CPT 2026-05-07, 20 points
        before = app.store.path.read_bytes()
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        assert told == [
            "Cannot renew: recertification opens on 2031-02-06, 90 days before the expiry on "
            "2031-05-07; 20 of 100 points since 2026-05-07: 80 more needed"
        ]
        assert app.store.path.read_bytes() == before


async def test_p_adds_points_from_the_detail(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(pilot, row=0)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PointsScreen)
        await type_text(pilot, "25")
        await pilot.press("tab")
        await type_text(pilot, "ed")
        await pilot.press("tab", "tab")
        await type_text(pilot, "Hydraulics course")
        await pilot.press("enter")
        await settle(pilot)
        assert said(app) == "Added 25 points (education)"
        entry = stored(app).roster.by_id["E2001"].points[-1]
        assert (entry.points, entry.category, entry.earned_on, entry.note) == (
            25,
            "education",
            D("2026-11-21"),
            "Hydraulics course",
        )
        assert "45 of 100 points since 2026-05-07" in summary(detail)


async def test_p_refuses_bad_points_and_saves_nothing(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(pilot, row=0)
        before = app.store.path.read_bytes()
        await pilot.press("p")
        await settle(pilot)
        await type_text(pilot, "0")
        await pilot.press("tab")
        await type_text(pilot, "e")
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "points must be between 1 and 1,000" in text
        assert "e could be education or employment: type more letters" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.store.path.read_bytes() == before


async def test_the_verification_queue_is_one_pass(app: CptApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VerificationQueueScreen)
        table = screen.query_one("#queue", VirtualTable)
        title = screen.query_one("#queue-title", Label)
        assert str(title.content).startswith("Verification queue: 57 credentials to verify")
        assert table.cursor_key == "S1006\tsafety"  # Chen, the first by last name
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CredentialScreen)
        await type_text(pilot, "SAF-2609-1")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert table.cursor_key == "S1006\tquality"  # the next one, where the cursor was
        assert str(title.content).startswith("Verification queue: 56 credentials to verify")
        assert stored(app).roster.by_id["S1006"].credentials["safety"].verified_on == D(
            "2026-11-21"
        )
        await pilot.press("c")  # `c` records as enter does
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert table.cursor_key == "S1006\tproduction"
        await pilot.press("slash")
        await type_text(pilot, "kowal")
        await pilot.press("enter")
        await settle(pilot)
        assert table.keys == ["E2002\tsafety", "E2002\tquality", "E2002\tproduction"] + [
            "E2002\tmaintenance"
        ]
        assert str(title.content).startswith("Verification queue: 4 of 55 credentials to verify")
        await pilot.press("a")
        await settle(pilot)
        assert table.keys[-1] == "E2002\tcpt"  # verified ones too
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, VerificationQueueScreen)


async def test_the_form_saves_a_state_id_and_graduation_year_and_refuses_bad_ones(
    app: CptApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, StudentFormScreen)
        await type_text(pilot, "3002")
        await pilot.press("tab")
        await type_text(pilot, "Ada")
        await pilot.press("tab")
        await type_text(pilot, "Lovelace")
        await pilot.press(*["tab"] * 6)  # email, section, term, the two boxes, state ID
        await type_text(pilot, "NM-1")
        await pilot.press("tab")
        await type_text(pilot, "27")
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "state ID must be letters and digits only" in text
        assert "graduation year must be a four-digit year, 1940 to 2100" in text
        assert "3002" not in stored(app).roster.by_id
        assert app.focused is not None and app.focused.id == "state_id"  # the first refused
        await pilot.press("end", *["backspace"] * 4)
        await type_text(pilot, "NM1")
        await pilot.press("tab", "backspace", "backspace")
        await type_text(pilot, "2027")
        await pilot.press("enter")
        await settle(pilot)
        student = stored(app).roster.by_id["3002"]
        assert (student.state_id, student.grad_year) == ("NM1", 2027)


async def test_the_import_dialog_knows_a_points_file_and_a_credentials_file(
    app: CptApp, tmp_path: Path
) -> None:
    points = tmp_path / "points.csv"
    points.write_text("student_id,date,category,points,note\nE2001,2026-10-01,education,30,PLC\n")
    numbers = tmp_path / "mssc.csv"
    numbers.write_text("student_id,credential,certificate_number\nS1010,cpt,CPT4-2611-1\n")
    async with app.run_test(size=(80, 24)) as pilot:
        for file in (points, numbers):
            await pilot.press("i")
            assert isinstance(app.screen, ImportScreen)
            await type_text(pilot, str(file))
            await pilot.press("enter")
            await settle(pilot)
            shown = str(app.screen.query_one("#result").render())
            assert "0 rejected" in shown and "1 " in shown
            await pilot.press("enter")
            await settle(pilot)
    roster = stored(app).roster
    assert roster.by_id["E2001"].points[-1].points == 30
    assert roster.by_id["S1010"].credentials["cpt"].certificate_number == "CPT4-2611-1"
