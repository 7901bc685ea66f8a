"""Words and symbols for a standing, the same on screen, in the report and in any terminal."""

from __future__ import annotations

from datetime import date

from .models import one_decimal
from .standing import CptStatus, ModuleStanding, Standing

PASS, FAIL, NOT_ATTEMPTED = "✓", "✗", "·"


def cell(ms: ModuleStanding) -> str:
    """`✓ 80.7` passed, `✗ 71.1` not yet passed (best score), `·` not attempted."""
    if ms.best is None:
        return NOT_ATTEMPTED
    return f"{PASS if ms.passed else FAIL} {one_decimal(ms.best)}"


def cpt(st: Standing, today: date) -> str:
    """`CPT` with its expiry, `expiring` or `expired`, else how many core modules are left."""
    status = st.cpt_status(today)
    if status is CptStatus.NONE:
        return f"{st.core_total - st.core_passed} to go"
    expiry = st.cpt_expires_on
    assert expiry is not None
    if status is CptStatus.EXPIRED:
        return f"expired {expiry}"
    if status is CptStatus.EXPIRING:
        return f"! renew by {expiry}"
    return f"CPT to {expiry}"


def optional(ms: ModuleStanding) -> str:
    """The Green module: passed, failed (not yet passed), or not taken (it is optional)."""
    if ms.passed:
        return f"{PASS} passed"
    if ms.attempted:
        return f"{FAIL} not yet"
    return "optional"
