"""Styles for pass and fail that stay readable when a terminal has no colour (NO_COLOR)."""

from __future__ import annotations

from textual.app import App


def result_style(app: App[object], passed: bool | None) -> str:
    """Passed, not passed, or not attempted (None). The ✓ ✗ · symbols carry the meaning;
    colour only adds to it, and under NO_COLOR a failure is bold instead of a dark red."""
    if passed is None:
        return "dim"
    if app.no_color:
        return "" if passed else "bold"
    return "green" if passed else "red"
