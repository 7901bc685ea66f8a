"""Reading what an instructor types or a spreadsheet holds: scores, dates, yes/no, money."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from .catalog import FIRST_ASSESSMENT_ON
from .models import CENT, GRAD_YEAR_REASON, PATTERN_REASONS, Module

_NUMBER = re.compile(r"^([0-9]+)(?:\.([0-9]*))?\s*(%?)$")
"""Digits, perhaps a point and decimals, perhaps a `%`: what a score may look like, read
first so that each way it can be wrong gets its own reason."""
PERCENT_DECIMALS = 2
"""A percent is kept to two decimals (75.96%), as MSSC's score reports print it."""
MAX_DIGITS = 6
"""More digits than any count or percent cpt-tui reads could need (leading zeros aside); a
longer number is refused as too large before Python refuses it in its own words (4,300)."""


def whole_number(digits: str) -> int | None:
    """ASCII `digits` as a number; None for other characters (`²`, `٦`) or more than
    MAX_DIGITS of them, which every caller refuses as out of its range."""
    if not (digits.isascii() and digits.isdigit()) or len(digits.lstrip("0")) > MAX_DIGITS:
        return None
    return int(digits)


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}


def parse_score(text: str, module: Module) -> tuple[int | None, Decimal | None]:
    """`64` correct answers or `77.1%` -> (correct, None) or (None, percent); ValueError says why.

    A whole number is a count of correct answers, as the assessment reports it; a percent
    needs its `%`. A bare `64.5` is refused: it is neither a count nor marked as a percent,
    and taking it silently for one or the other would record the wrong score.
    """
    text = text.strip()
    if not text:
        raise ValueError("enter the correct answers (e.g. 64) or a percent (e.g. 77.1%)")
    match = _NUMBER.match(text)
    if not match:
        if text.startswith("-"):
            raise ValueError("a score cannot be negative")
        raise ValueError(f"{text!r} is not a score: type 64 (correct) or 77.1%")
    whole, decimals, percent_sign = match.groups()
    if not percent_sign:
        if decimals is not None:
            raise ValueError(
                f"{text} is not a whole number of correct answers: add % for a percent ({text}%)"
            )
        correct = whole_number(whole)
        if correct is None or correct > module.questions:
            raise ValueError(f"{module.short} has only {module.questions} questions")
        return correct, None
    if decimals is not None and len(decimals) > PERCENT_DECIMALS:
        raise ValueError(
            f"{text} has {len(decimals)} decimals: a percent takes at most "
            f"{PERCENT_DECIMALS} (e.g. 77.25%)"
        )
    percent = Decimal(whole + ("." + decimals if decimals else ""))  # as typed: 77.10 stays
    if percent > 100:
        raise ValueError("a percent cannot be over 100%")
    return None, percent


def parse_date(text: str, today: date) -> date:
    """An ISO date (2026-03-14) or a US one as spreadsheets write it (3/14/2026), from the
    first CPT assessments (2000) to today."""
    text = text.strip()
    us = _US_DATE.match(text)
    try:
        if us:
            day = date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        else:
            day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: use YYYY-MM-DD") from None
    if day > today:
        raise ValueError(f"{day.isoformat()} is in the future")
    if day < FIRST_ASSESSMENT_ON:
        raise ValueError(
            f"{day.isoformat()} is before the CPT existed ({FIRST_ASSESSMENT_ON.year}): "
            "check the year"
        )
    return day


def parse_bool(text: str) -> bool:
    """`yes`/`no` (also y/n, true/false, 1/0, x, empty for no)."""
    folded = text.strip().casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise ValueError(f"{text!r} is not yes or no")


def parse_money(text: str) -> Decimal:
    """`22`, `22.00` or `$1,024.50` -> Decimal in cents; negative or sub-cent is refused."""
    cleaned = text.strip().removeprefix("$").replace(",", "")
    # Digits and a point only: Decimal() alone also takes `1e3`, `NaN` and `Infinity`.
    if not re.fullmatch(r"-?(?:\d+(?:\.\d*)?|\.\d+)", cleaned):
        raise ValueError(f"{text.strip()!r} is not an amount (e.g. 22.00)")
    value = Decimal(cleaned)
    if value < 0:
        raise ValueError("an amount cannot be negative")
    if value >= 100_000:  # before quantize, which cannot hold a huge amount in cents
        raise ValueError("an amount must be under $100,000")
    if value != value.quantize(CENT):
        raise ValueError("an amount is in whole cents")
    return value.quantize(CENT)


def parse_whole(text: str, what: str, *, low: int = 0, high: int = 1_000_000) -> int:
    """A whole number between low and high, or ValueError naming `what`."""
    cleaned = text.strip().replace(",", "")
    if not re.fullmatch(r"-?\d{1,9}", cleaned):
        raise ValueError(f"{what} must be a whole number")
    value = int(cleaned)
    if not low <= value <= high:
        raise ValueError(f"{what} must be between {low:,} and {high:,}")
    return value


def parse_percent(text: str, what: str) -> Decimal:
    """A percent from 0 to 100 (`25`, `12.5%`), or ValueError naming `what`."""
    cleaned = text.strip().removesuffix("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{what} must be a number of percent (e.g. 15)") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValueError(f"{what} must be between 0% and 100%")
    return value


_MONEY_REASONS = {
    "greater_than_equal": "must not be negative",
    "decimal_max_places": "must be whole cents",
    "decimal_max_digits": "is far too large",
    "decimal_whole_digits": "is far too large",
}

_LABELS = {
    "student_id": "student ID",
    "first_name": "first name",
    "last_name": "last name",
    "state_id": "state ID",
    "grad_year": "graduation year",
}
_FIELD_REASONS = {"grad_year": GRAD_YEAR_REASON}
"""Fields whose every refusal has one reason, whatever pydantic found wrong."""


def explain(error: ValidationError) -> dict[str, str]:
    """Field -> a reason an instructor can act on, from a pydantic error."""
    reasons: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        kind = item["type"]
        ctx = item.get("ctx") or {}
        if field in _FIELD_REASONS:
            reason = _FIELD_REASONS[field]
        elif kind == "string_too_short":
            reason = "is required"
        elif kind == "string_too_long":
            reason = f"is longer than {ctx.get('max_length')} characters"
        elif kind == "string_pattern_mismatch" and item.get("input") == "":
            reason = "is required"  # a pattern that refuses nothing at all asks for a value
        elif kind == "string_pattern_mismatch":
            reason = PATTERN_REASONS.get(ctx.get("pattern", ""), "is not valid")
        elif kind in _MONEY_REASONS:
            reason = _MONEY_REASONS[kind]
        else:
            reason = str(item["msg"]).removeprefix("Value error, ")
        reasons.setdefault(field, f"{_LABELS.get(field, field.replace('_', ' '))} {reason}")
    return reasons
