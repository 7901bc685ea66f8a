"""SVG snapshots at 80x24, one class per screen. Review the report before --snapshot-update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from cpt_tui.app import CptApp, create_app
from cpt_tui.store import Store

from .conftest import settle, type_text

Snap = Callable[..., bool]
SIZE = (80, 24)


@pytest.fixture(params=["colour", "no_color"])
def demo_app(
    request: pytest.FixtureRequest, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> CptApp:
    """The demo app in colour, and as a terminal with NO_COLOR set sees it."""
    if request.param == "colour":
        monkeypatch.delenv("NO_COLOR", raising=False)
    # demo=True: the header says "demo copy", not a temporary path that changes every run
    return create_app(demo_store, demo=True)


def steps(*actions: str | tuple[str, str]) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Keys (or ("type", text)) pressed one after another, letting every save finish."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for action in actions:
            if isinstance(action, tuple):
                await type_text(pilot, action[1])
            else:
                await pilot.press(action)
            await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run


class TestRoster:
    def test_roster(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """The roster on opening: header "demo copy · 24 students, 2 dropped hidden"; ID
        (sorted ▲), name, section, core modules n/4, CPT until (✓ date, ! soon to expire,
        "n to go"), Green, fees; dropped students hidden; the key bar with a, e, d, s, then
        `? Help`, `q Quit` and ^p palette at the right."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps())

    def test_add_form_with_a_validation_error(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """The add form after enter with bad fields: each reason under its field (ID
        E2001 is already Marcus Reed's, last name is required, email is not an email
        address), what was typed kept, ticks drawn [ ], nothing saved; the footer shows the
        form's keys only (enter Save, esc Cancel), not the roster's."""
        run = steps(
            "a", ("type", "E2001"), "tab", ("type", "Ada"), "tab", "tab", ("type", "ada@"), "enter"
        )
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_delete_confirmation(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """d on the second student asks first: "Delete Dana Kowalski (E2002) and their 4
        attempts?", names the dropped alternative, and says y/enter Delete, n/escape Keep."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("j", "d"))

    def test_help(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """? lists the Roster screen's keys (enter: Edit, as e), the dialog keys, then every
        global key (1 2 3 4 / v u x i ? q, ctrl+p, arrows h j k l), all inside 80x24; the
        footer shows the help's own way out, `esc Close`, at the right."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("question_mark"))

    def test_export_dialog(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """x offers cpt-export-2026-11-21.csv (the day's date) in an editable field, an
        unticked [ ] attempts box, and the hint line (enter, escape, space)."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("x"))

    def test_filtered_with_dropped_shown(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """v then /p2: only section P2, "12 of 24" at the top right, the dropped student
        marked "(dropped)", and the notice "Dropped students shown"."""
        run = steps("v", "slash", ("type", "p2"), "enter")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)


class TestProgress:
    def test_grid_on_the_demo_roster(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """2: one row per student (its ID, then `Last, F`), one column per module with
        ✓/✗, the best %, ×n attempts and $ for a supplement; the legend; a bar per module
        with pass rate, passed/taken and attempts; "8 hold the full CPT; 4 are one core
        module away"."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("2"))

    def test_record_dialog_with_a_refused_score(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """r on Tomás Herrera's Production cell: the module's 83 questions and 74% pass
        mark, the score 84 refused under its field ("only 83 questions"), today's date; the
        footer shows the dialog's keys only (enter Save, esc Cancel), not r or p."""
        run = steps("2", "j", "j", "j", "l", "l", "r", ("type", "84"), "enter")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_detail_of_a_certified_student(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """Dana Kowalski's detail: the CPT flagged `! RENEW`, "100 of 100 points since
        2021-12-16 · can renew now: R", fees, her five credentials (Cert. no. and Verified:
        the CPT verified 2022-01-10 by demo), her four attempts; under them the Safety
        heading and her weakest activities from its report (percent, `!` below the pass mark,
        number and name), weakest first; the footer shows d Delete, a, c Cert. no., p, R Renew
        and, at the right, `? Help  esc Close` (u is in `?`)."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("2", "j", "enter"))


class TestFees:
    def test_fees_on_the_demo_roster(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """3: each student's registration, assessments (count), supplements and total;
        totals per section and for the 22 shown, then in bold `All 24, 2 dropped`: the
        class's charges, dropped students included; the fees in force since 2020-06-01."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("3"))

    def test_planner(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """n, 20 students at a 25% retake rate with supplements: "Core modules 4 of the 4
        the CPT requires" under the ticks; $560.00 registration, (80 first + 20 retakes) x
        $22.00, 80 x $70.00 supplements, total $8,360.00; with the focus in a field the
        footer offers no key the field would type (esc Back only)."""
        run = steps("3", "n", ("type", "20"), "tab", ("type", "25"))
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_fee_schedule_dialog(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """f: the fee schedule in force (28.00, 22.00, 70.00) in editable fields, and the
        rule that a new schedule applies from now on (recorded fees are kept)."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("3", "f"))


class TestTestDay:
    def test_test_day_sorted_by_ready(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """`t` on Progress, sorted on Ready (`s` five times): the date field shows
        2026-11-21; the four ready rows come first (Johnson, O'Brien waiting until
        2026-11-28, Tanaka at $50.00 as he is not registered, Williams), each with its
        practice score; the totals read 3 sittings (3 students), fees $94.00, and 38 listed,
        36 eligible, 4 ready; the footer shows d, s, S Reverse, x, then `? Help`, `esc Back`
        and `q Quit` at the right."""
        run = steps("2", "t", "s", "s", "s", "s", "s")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_grid_with_a_wait_and_readiness(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """The Progress grid filtered to "o": O'Brien's Safety cell reads `↻11-28 ×2$●`
        (may retake from 28 November, two tries, a supplement, ready), Osei's `↻12-28 ×3`,
        Johnson's Quality `✗ 72.6 $●`; the legend names ↻, ● and ○ in one line."""
        run = steps("2", "slash", ("type", "o"), "enter")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_early_retake_question(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """`r` on O'Brien's Safety cell, 70, enter: the record dialog said she may retake
        from 2026-11-28 (2 failed) and her practice of 83.0% is ready; the question over it
        names the day and offers only `y` to record anyway, `n`/escape to go back."""
        run = steps("2", "slash", ("type", "Zo"), "enter", "r", ("type", "70"), "enter")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_retake_policy_dialog(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """`w` on Fees: the four figures (15 days, 60, from failure 3, margin 5) each with
        what it means, the note that earlier waits keep their policy, and the keys."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("3", "w"))


class TestDiagnostics:
    def test_diagnostics_on_the_demo_roster(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """`4` on the demo: the module line with [Safety] in brackets; "Safety · 19 of 22
        students with results"; ten activities, weakest first: 8 (requirements for
        maintenance…, cut after a word) and 2 (inspections…) marked `!` below the 76% pass
        mark, each with a bar, its figure and 19 students; the full name of activity 8 under
        the table; the legend; the footer with `[` and `]`. Without colour the `!`, the
        brackets and the bars carry it all."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("4"))

    def test_longest_activity_names_shortened(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """Maintenance (`4`, `←`, `←`): "[Maint.]" in brackets; activity 4, the catalog's
        longest name, shown as "Recognise potential maintenance…" (whole words, marked) and
        in full, wrapped on three lines (to "drives"), below the table; four rows, 4 first
        with `!` (below 73%)."""
        run = steps("4", "left", "left")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_report_form_in_the_detail(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """Samuel Osei's detail (`2`, row 10, `enter`), `a` on his Safety attempt: the form
        titled with his name and Safety, the attempt's date and score, ten numbered activity
        fields filled from the stored report (8 cut after a word with `…`), the cursor in
        field 1, and the enter/escape/tab hint, all inside 80x24."""
        run = steps("2", *["j"] * 9, "enter", "a")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)


class TestAfterTheCourse:
    def test_renewal_confirmation(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """`R` asks first: renew today (2026-11-21), new expiry 2031-12-16, the $75.00 fee."""
        run = steps("2", "j", "enter", "R")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_fees_after_a_renewal(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """Fees once a CPT is renewed: a Renewals column ($75.00 for Kowalski) still within
        80 columns, and in the totals; the schedule line names the CPT renewal fee."""
        renew = steps("2", "j", "enter", "R", "y", "escape", "3")

        async def run(pilot: Pilot[None]) -> None:
            await renew(pilot)
            pilot.app.clear_notifications()  # its toast would time out mid-run on a slow day
            await pilot.pause()

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_credential_dialog(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """`c` on Kowalski's Safety certificate: earned 2021-09-16, not verified yet; the
        certificate number field focused, verified on today (2026-11-21) ready."""
        run = steps("2", "j", "enter", "c")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_points_dialog_with_refusals(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """`p` with 0 points and an ambiguous category `e`: each reason under its field
        ("points must be between 1 and 1,000", "e could be education or employment: type
        more letters"); the date (today) counts, so no "Not counted" line."""
        run = steps("2", "enter", "p", ("type", "0"), "tab", ("type", "e"), "enter")
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run)

    def test_verification_queue(self, snap_compare: Snap, demo_app: CptApp) -> None:
        """`c` on the roster: 57 credentials to verify, by last name (Chen's three first),
        the filter line above, and c / a in the footer with `? Help  esc Close` at the right."""
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("c"))


def test_every_snapshot_says_what_its_picture_must_show() -> None:
    """A snapshot nobody can check against a sentence is not a test: each has a docstring."""
    tests = [
        (cls.__name__, name, getattr(cls, name))
        for cls in list(globals().values())
        if isinstance(cls, type) and cls.__name__.startswith("Test")
        for name in vars(cls)
        if name.startswith("test_")
    ]
    assert tests
    assert [f"{c}.{n}" for c, n, test in tests if not (test.__doc__ or "").strip()] == []
