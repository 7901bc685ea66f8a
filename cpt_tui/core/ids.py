"""Student IDs as people type them: `s1001` is `S1001`, and `7` is `007` (a spreadsheet
strips leading zeros)."""

from __future__ import annotations


def id_key(student_id: str) -> str:
    """What two IDs must share to be the same student: case and surrounding spaces ignored,
    and an all-digit ID without its leading zeros (`007` -> `7`, `000` -> `0`)."""
    folded = student_id.strip().casefold()
    if folded.isascii() and folded.isdigit():
        return folded.lstrip("0") or "0"
    return folded
