"""What deleting an attempt takes away: the certificates and the CPT it earned, worked out
by the standing rules on the student's record without it."""

from __future__ import annotations

from datetime import date

from .catalog import CPT_CREDENTIAL
from .labels import plural
from .models import Attempt
from .standing import Standing, renewals_since, standing


def without(st: Standing, gone: Attempt) -> Standing:
    """The student's standing once `gone` is deleted (the same rules, one attempt fewer)."""
    kept = [
        a
        for ms in st.modules.values()
        for a in (*ms.attempts, *ms.practice)
        if a.attempt_id != gone.attempt_id
    ]
    return standing(st.student, kept, [ms.module for ms in st.modules.values()])


def deleting_takes(st: Standing, gone: Attempt) -> str:
    """What deleting `gone` changes in the student's credentials, as a sentence or two for
    the question that confirms it; empty when it changes none (a failed attempt, a practice
    test, a pass that a later pass keeps). A module certificate lost or dated later, and the
    CPT lost (with its certificate number and renewals) or dated later (its expiry with it)."""
    after = without(st, gone)
    sid, notes = st.student.student_id, st.student.credentials
    lost: list[str] = []
    moved: list[str] = []
    for key, ms in st.modules.items():
        was, now = ms.passed_on, after.modules[key].passed_on
        if was is None or now == was:
            continue
        if now is None:
            note = notes.get(key)
            earned = _earned(was, note.certificate_number if note else "")
            lost.append(f"the {ms.module.short} certificate ({earned})")
        else:
            moved.append(f"{ms.module.short} is then passed on {now}, not {was}")
    was_cpt, now_cpt = st.cpt_certified_on, after.cpt_certified_on
    if was_cpt is not None and now_cpt != was_cpt:
        renewals = len(renewals_since(was_cpt, st.student.renewals))
        if now_cpt is None:
            note = notes.get(CPT_CREDENTIAL)
            held = _earned(was_cpt, note.certificate_number if note else "", "certified")
            if renewals:
                held += f", {plural(renewals, 'renewal')}"
            lost.append(f"the CPT ({held})")
        else:
            kept = len(renewals_since(now_cpt, st.student.renewals))
            cpt = f"the CPT is then certified on {now_cpt}, not {was_cpt}"
            if renewals > kept:
                lapsed = renewals - kept
                cpt += ", and a renewal" if lapsed == 1 else f", and {lapsed} renewals"
                cpt += f" dated before it no longer count{'s' * (lapsed == 1)}"
            moved.append(f"{cpt} (expires {after.cpt_expires_on})")
    said = []
    if lost:
        said.append(f"{sid} then no longer holds {' or '.join(lost)}.")
    if moved:
        sentence = "; ".join(moved)
        said.append(sentence[0].upper() + sentence[1:] + ".")
    return " ".join(said)


def _earned(on: date, number: str, verb: str = "passed") -> str:
    return f"{verb} {on}" + (f", no. {number}" if number else "")
