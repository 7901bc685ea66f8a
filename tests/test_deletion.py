"""Deleting an attempt the credentials depend on says what it takes away: the core's rule
(core/deletion.py) at its borders, and the question in the student's detail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cpt_tui.app import CptApp
from cpt_tui.core.deletion import deleting_takes
from cpt_tui.core.models import Attempt, CredentialNote, Renewal, Student
from cpt_tui.core.standing import Standing, standing
from cpt_tui.screens.detail import StudentDetailScreen
from cpt_tui.screens.dialogs import ConfirmScreen
from cpt_tui.store import Store

from .conftest import attempt_of, fixed_clock, said, settle

FOUR_PASSES = [
    attempt_of("safety", "2021-09-16", 71),
    attempt_of("quality", "2021-10-14", 70),
    attempt_of("production", "2021-11-18", 66),
    attempt_of("maintenance", "2021-12-16", 68),
]
CERTIFIED = "2021-12-16"


def student(**kw: object) -> Student:
    return Student(student_id="S1", first_name="Dana", last_name="Kowalski", **kw)  # type: ignore[arg-type]


def of(attempts: list[Attempt], **kw: object) -> Standing:
    return standing(student(**kw), attempts)


def test_deleting_the_only_pass_of_a_core_module_takes_its_certificate_and_the_cpt() -> None:
    held = of(
        FOUR_PASSES,
        credentials={"cpt": CredentialNote(certificate_number="CPT-2112-04586")},
        renewals=(Renewal(renewed_on=date(2026, 10, 1), fee=Decimal("75.00")),),
    )
    assert deleting_takes(held, FOUR_PASSES[2]) == (
        "S1 then no longer holds the Production certificate (passed 2021-11-18) or the CPT "
        f"(certified {CERTIFIED}, no. CPT-2112-04586, 1 renewal)."
    )


def test_a_module_certificate_number_is_named_with_it() -> None:
    held = of(FOUR_PASSES, credentials={"safety": CredentialNote(certificate_number="SAF-9")})
    assert deleting_takes(held, FOUR_PASSES[0]) == (
        "S1 then no longer holds the Safety certificate (passed 2021-09-16, no. SAF-9) or the "
        f"CPT (certified {CERTIFIED})."
    )


def test_a_later_pass_dates_the_module_and_the_cpt_again() -> None:
    retaken = attempt_of("maintenance", "2022-01-20", 70, sid="S1")
    attempts = [*FOUR_PASSES, retaken]
    held = of(attempts, renewals=(Renewal(renewed_on=date(2021, 12, 20), fee=Decimal("75")),))
    assert deleting_takes(held, FOUR_PASSES[3]) == (
        f"Maint. is then passed on 2022-01-20, not {CERTIFIED}; the CPT is then certified on "
        f"2022-01-20, not {CERTIFIED}, and a renewal dated before it no longer counts "
        "(expires 2027-01-20)."
    )
    assert deleting_takes(held, retaken) == ""  # after the pass: nothing depends on it


def test_a_failed_attempt_a_practice_test_or_an_optional_module() -> None:
    failed = attempt_of("safety", "2021-09-01", 40)
    practice = attempt_of("quality", "2021-10-01", 80).model_copy(update={"kind": "practice"})
    green = attempt_of("green", "2022-02-01", 80)
    held = of([failed, practice, *FOUR_PASSES, green])
    assert deleting_takes(held, failed) == ""
    assert deleting_takes(held, practice) == ""
    assert deleting_takes(held, green) == (
        "S1 then no longer holds the Green certificate (passed 2022-02-01)."
    )


async def test_the_question_says_the_cpt_goes_and_n_keeps_it(app: CptApp) -> None:
    """Dana Kowalski (E2002): `j j d` on her only Production attempt asks, naming the
    certificate and the CPT it takes away; `n` keeps everything, `y` deletes and u undoes."""
    before = app.store.path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentDetailScreen)
        await pilot.press("j", "j", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == (
            "Delete the Production attempt of 2021-11-18 (66/83 = 79.5%, passed)? E2002 then "
            "no longer holds the Production certificate (passed 2021-11-18) or the CPT "
            "(certified 2021-12-16, no. CPT-2112-04586). u undoes it."
        )
        await pilot.press("n")
        await settle(pilot)
        assert app.store.path.read_bytes() == before
        await pilot.press("d", "y")
        await settle(pilot)
        assert said(app) == "Attempt deleted; u undoes it"
        gone = Store(app.store.path, clock=fixed_clock).roster.standings["E2002"]
        assert gone.cpt_certified_on is None
        await pilot.press("u")
        await settle(pilot)
        back = Store(app.store.path, clock=fixed_clock).roster.standings["E2002"]
        assert back.cpt_certified_on == date(2021, 12, 16)
