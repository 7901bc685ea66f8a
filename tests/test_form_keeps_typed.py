"""The student form refused for a taken ID stays open with everything typed, the reason
beside the ID (SPEC, Roster: "a bad value shows its reason beside the field and saves
nothing"), whether the form sees it (`s1001` is `S1001`, `7` is `007`) or the store does
(an ID another instructor took while the form was open)."""

from __future__ import annotations

from textual.widgets import Input

from cpt_tui.app import CptApp, create_app
from cpt_tui.core.models import StudentForm
from cpt_tui.screens.dialogs import ConfirmScreen
from cpt_tui.screens.roster import RosterScreen
from cpt_tui.screens.student_form import StudentFormScreen
from cpt_tui.store import Store

from .conftest import fixed_clock, said, settle, type_text

TYPED = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"}


def field(app: CptApp, name: str) -> str:
    return app.screen.query_one(f"#{name}", Input).value


def reason(app: CptApp, name: str) -> str:
    """The reason shown beside a field ('' when none is shown)."""
    shown = app.screen.query_one(f"#{name}-error")
    return str(shown.render()) if shown.display else ""


async def test_a_duplicate_id_typed_in_another_case_keeps_the_form_open(app: CptApp) -> None:
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "s1001")
        for name in ("first_name", "last_name", "email"):
            await pilot.press("tab")
            await type_text(pilot, TYPED[name])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentFormScreen)  # still open, nothing lost
        assert field(app, "student_id") == "s1001"
        assert {name: field(app, name) for name in TYPED} == TYPED
        assert reason(app, "student_id") == ("ID s1001 (stored as S1001) is already Ava Martinez's")
        assert app.focused is not None and app.focused.id == "student_id"
        assert "Not saved" not in said(app)
        await pilot.press("ctrl+u")  # the ID cleared, a free one typed: now it saves
        await type_text(pilot, "T300")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    after = Store(app.store.path, clock=fixed_clock).roster
    assert after.by_id["T300"].full_name == "Ada Lovelace"
    assert after.by_id["S1001"].full_name == "Ava Martinez"
    assert before != app.store.path.read_bytes()


async def test_an_all_digit_id_without_its_leading_zeros_is_the_same_student(
    demo_store: Store,
) -> None:
    demo_store.save_student(StudentForm(student_id="007", first_name="Jay", last_name="Bond"))
    app = create_app(demo_store)
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "7")
        await pilot.press("tab")
        await type_text(pilot, "Dup")
        await pilot.press("tab")
        await type_text(pilot, "X")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentFormScreen)
        assert (field(app, "first_name"), field(app, "last_name")) == ("Dup", "X")
        assert reason(app, "student_id") == "ID 7 (stored as 007) is already Jay Bond's"
    assert app.store.path.read_bytes() == before


async def test_the_edit_form_refuses_an_id_already_taken_and_stays_open(app: CptApp) -> None:
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")  # Marcus Reed, E2001
        await pilot.press("ctrl+u")
        await type_text(pilot, "s1001")
        await pilot.press("tab", "tab", "end")
        await type_text(pilot, "-Smith")
        await pilot.press("enter")
        await settle(pilot)
        # Refused before the "change the ID?" question: it could only be answered in vain.
        assert isinstance(app.screen, StudentFormScreen)
        assert not isinstance(app.screen, ConfirmScreen)
        assert (field(app, "student_id"), field(app, "last_name")) == ("s1001", "Reed-Smith")
        assert "is already Ava Martinez's" in reason(app, "student_id")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    assert app.store.path.read_bytes() == before


async def test_an_id_taken_by_another_instructor_meanwhile_reopens_the_form(app: CptApp) -> None:
    """The form checked against the roster it opened with; the store, against the file:
    its refusal opens the form again with what was typed and the reason beside the ID."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        other = Store(app.store.path, clock=fixed_clock, user="colleague")
        other.save_student(StudentForm(student_id="Z9", first_name="Zed", last_name="Zulu"))
        before = app.store.path.read_bytes()
        await type_text(pilot, "z9")
        for name in ("first_name", "last_name", "email"):
            await pilot.press("tab")
            await type_text(pilot, TYPED[name])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentFormScreen)
        assert field(app, "student_id") == "z9"
        assert {name: field(app, name) for name in TYPED} == TYPED
        assert reason(app, "student_id") == "ID z9 (stored as Z9) is already Zed Zulu's"
        assert not app.screen.query("#stale")  # not "someone else changed this student"
        assert app.store.path.read_bytes() == before
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    assert app.store.path.read_bytes() == before


def test_id_taken_names_the_student_an_id_means(demo_store: Store) -> None:
    """The one rule the form and the store share: case, spaces and leading zeros ignored;
    a student's own ID (in any case) is free for them; an unknown ID is free."""
    demo_store.save_student(StudentForm(student_id="007", first_name="Jay", last_name="Bond"))
    roster = demo_store.roster
    assert roster.id_taken("S1001") == "ID S1001 is already Ava Martinez's"
    assert roster.id_taken("s1001") == ("ID s1001 (stored as S1001) is already Ava Martinez's")
    assert roster.id_taken("7") == "ID 7 (stored as 007) is already Jay Bond's"
    assert roster.id_taken("0007", mine="S1001") is not None
    assert roster.id_taken("s1001", mine="S1001") is None  # her own, in another case
    assert roster.id_taken("T300") is None
    assert roster.id_taken("70") is None
    assert roster.id_taken("  ") is None  # refused as required, not as taken


async def test_an_edit_to_an_id_taken_meanwhile_reopens_the_edit_form(app: CptApp) -> None:
    """Marcus Reed's ID changed to one another instructor gave a new student while the form
    was open: asked and confirmed, the store refuses, and the edit form opens again with
    what was typed and the reason beside the ID; escape leaves him as he was."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")  # Marcus Reed, E2001
        other = Store(app.store.path, clock=fixed_clock, user="colleague")
        other.save_student(StudentForm(student_id="Z9", first_name="Zed", last_name="Zulu"))
        before = app.store.path.read_bytes()
        await pilot.press("ctrl+u")
        await type_text(pilot, "z9")
        await pilot.press("enter")
        await settle(pilot)
        if isinstance(app.screen, ConfirmScreen):  # asked first, unless it knew already
            await pilot.press("y")
            await settle(pilot)
        form = app.screen
        assert isinstance(form, StudentFormScreen) and form.original is not None
        assert form.original.student_id == "E2001"
        assert (field(app, "student_id"), field(app, "last_name")) == ("z9", "Reed")
        assert reason(app, "student_id") == "ID z9 (stored as Z9) is already Zed Zulu's"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    assert app.store.path.read_bytes() == before
    assert Store(app.store.path, clock=fixed_clock).roster.by_id["E2001"].last_name == "Reed"
