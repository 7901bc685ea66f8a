"""Credential report profiles: a TOML file that shapes the credentials export for a state.

A profile chooses, renames and orders the columns, adds constants (district code, school
year), keeps only some credentials, maps each credential to the state's code and sets the
date format. Read with the standard library's `tomllib`; a bad profile is refused with
its line and the reason.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .credentials import credential_keys
from .models import Module

GENERIC_COLUMNS = (
    "student_id",
    "state_id",
    "last_name",
    "first_name",
    "section",
    "term",
    "grad_year",
    "credential",
    "credential_name",
    "earned_on",
    "expires_on",
    "certificate_number",
    "verified_on",
    "verified_by",
)
"""The generic credentials export, in SPEC's order; a profile's columns take these names."""
DATE_COLUMNS = frozenset({"earned_on", "expires_on", "verified_on"})
CODE_COLUMN = "credential_code"
"""A profile column that writes the credential's code from the profile's `[codes]`."""
ISO_DATE = "%Y-%m-%d"
_DATE_DIRECTIVES = re.compile(r"%(.)")
_ALLOWED_DIRECTIVES = frozenset("Yymd%")
_TOP_KEYS = frozenset(
    {
        "name",
        "note",
        "date_format",
        "header_row",
        "credentials",
        "verified_only",
        "required",
        "constants",
        "codes",
        "columns",
    }
)
MAX_PROFILE_BYTES = 64 * 1024


class ProfileError(ValueError):
    """A profile that cannot be used: `line N: reason`."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the report: its header, and what fills it (a generic column, a
    constant, or the credential's code)."""

    header: str
    value: str


@dataclass(frozen=True)
class Profile:
    """How to write the credentials report."""

    name: str
    columns: tuple[Column, ...]
    date_format: str = ISO_DATE
    header_row: bool = True
    credentials: frozenset[str] | None = None
    """Only these credential keys; None: every one."""
    verified_only: bool = False
    required: tuple[str, ...] = ()
    """Generic columns a row must fill (e.g. the state ID a state keys on): a credential
    whose row would leave one empty is left out of the report, and named."""
    constants: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)

    def keeps(self, key: str, verified: bool) -> bool:
        """Whether a credential of this key (verified or not) goes into the report."""
        if self.credentials is not None and key not in self.credentials:
            return False
        return verified or not self.verified_only

    def format_date(self, day: date | None) -> str:
        return day.strftime(self.date_format) if day else ""


GENERIC = Profile("generic", tuple(Column(c, c) for c in GENERIC_COLUMNS))
"""The generic layout: every column under its own name, ISO dates, every credential."""


def shipped_profiles() -> dict[str, Path]:
    """Profile name -> file, for the profiles that come with cpt-tui."""
    folder = Path(__file__).resolve().parent.parent / "profiles"
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}


def load_profile(text: str, modules: Sequence[Module]) -> Profile:
    """The profile a TOML text describes; ProfileError with the line and the reason."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(_toml_reason(str(exc))) from None
    return _Checker(text, modules).profile(data)


def _toml_reason(message: str) -> str:
    """tomllib's `Invalid value (at line 3, column 9)` -> `line 3: invalid value (column 9)`."""
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if not found:
        return f"line 1: not a TOML file: {message}"
    reason = message[: found.start()].strip()
    reason = reason[:1].lower() + reason[1:]
    return f"line {found.group(1)}: {reason} (column {found.group(2)}); not a TOML file"


class _Checker:
    """Checks a decoded profile, naming the line of whatever is wrong."""

    def __init__(self, text: str, modules: Sequence[Module]) -> None:
        self.lines = text.splitlines()
        self.keys = credential_keys(modules)

    def line(self, *needles: str) -> int:
        """The first line that holds every needle (1 when none does)."""
        for number, line in enumerate(self.lines, 1):
            if all(n in line for n in needles):
                return number
        return 1

    def fail(self, reason: str, *needles: str) -> ProfileError:
        return ProfileError(f"line {self.line(*needles)}: {reason}")

    def text(self, data: dict[str, Any], key: str, default: str) -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            raise self.fail(f"{key} must be text in quotes", key)
        return value

    def flag(self, data: dict[str, Any], key: str) -> bool:
        value = data.get(key, False) if key != "header_row" else data.get(key, True)
        if not isinstance(value, bool):
            raise self.fail(f"{key} must be true or false", key)
        return value

    def profile(self, data: dict[str, Any]) -> Profile:
        for key in data:
            if key not in _TOP_KEYS:
                raise self.fail(
                    f"unknown setting {key!r}; a profile has: " + ", ".join(sorted(_TOP_KEYS)),
                    key,
                )
        name = self.text(data, "name", "profile")
        date_format = self.text(data, "date_format", ISO_DATE)
        self.check_date_format(date_format)
        constants = self.table(data, "constants")
        for key in constants:
            if key in GENERIC_COLUMNS or key == CODE_COLUMN:
                raise self.fail(f"constant {key!r} has the name of a column; rename it", key)
        codes = self.table(data, "codes")
        for key in codes:
            if key not in self.keys:
                raise self.fail(
                    f"codes: {key!r} is not a credential; use " + ", ".join(self.keys), key
                )
        kept = self.credential_filter(data)
        columns = self.columns(data, constants)
        if any(c.value == CODE_COLUMN for c in columns):
            for key in sorted(kept if kept is not None else self.keys, key=self.keys.index):
                if key not in codes:
                    raise self.fail(
                        f"codes: no code for {key!r}, which the report keeps "
                        "(give it one, or leave it out of credentials)",
                        "[codes]",
                    )
        required = self.names(data, "required")
        for column in required:
            if column not in GENERIC_COLUMNS:
                raise self.fail(f"required: {column!r} is not a column", "required")
        return Profile(
            name=name,
            columns=columns,
            date_format=date_format,
            header_row=self.flag(data, "header_row"),
            credentials=kept,
            verified_only=self.flag(data, "verified_only"),
            required=tuple(required),
            constants=constants,
            codes=codes,
        )

    def check_date_format(self, fmt: str) -> None:
        bad = [d for d in _DATE_DIRECTIVES.findall(fmt) if d not in _ALLOWED_DIRECTIVES]
        if bad or fmt.endswith("%") and not fmt.endswith("%%") or "%" not in fmt:
            raise self.fail(
                f"date_format {fmt!r}: use %Y (2027), %y (27), %m (05), %d (07) and any "
                'other characters, e.g. "%m/%d/%Y"',
                "date_format",
            )

    def table(self, data: dict[str, Any], key: str) -> dict[str, str]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(f'{key} must be a table: [{key}] and one name = "text" a line', key)
        for name, item in value.items():
            if not isinstance(item, str):
                raise self.fail(f"{key}: {name} must be text in quotes", name)
        return dict(value)

    def names(self, data: dict[str, Any], key: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f'{key} must be a list of names in quotes, e.g. ["cpt"]', key)
        return list(value)

    def credential_filter(self, data: dict[str, Any]) -> frozenset[str] | None:
        if "credentials" not in data:
            return None
        kept = self.names(data, "credentials")
        for key in kept:
            if key not in self.keys:
                raise self.fail(
                    f"credentials: {key!r} is not a credential; use " + ", ".join(self.keys),
                    "credentials",
                )
        if not kept:
            raise self.fail("credentials: the list is empty, so the report would be", "credentials")
        return frozenset(kept)

    def columns(self, data: dict[str, Any], constants: dict[str, str]) -> tuple[Column, ...]:
        raw = data.get("columns")
        if raw is None:
            raise self.fail("no columns: add a [[columns]] table for each column of the report")
        if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
            raise self.fail("columns must be [[columns]] tables", "columns")
        known = [*GENERIC_COLUMNS, CODE_COLUMN, *constants]
        found: list[Column] = []
        for item in raw:
            header, value = item.get("header"), item.get("value")
            needle = f'"{value}"' if isinstance(value, str) else "[[columns]]"
            for key in item:
                if key not in ("header", "value"):
                    raise self.fail(f"columns: unknown setting {key!r} (header, value)", key)
            if not isinstance(value, str):
                raise self.fail('columns: each needs value = "a column or constant"', needle)
            if value not in known:
                raise self.fail(
                    f"columns: {value!r} is neither a column nor a constant; columns are "
                    + ", ".join([*GENERIC_COLUMNS, CODE_COLUMN]),
                    needle,
                )
            if header is None:
                header = value
            if not isinstance(header, str):
                raise self.fail("columns: header must be text in quotes", needle)
            found.append(Column(header, value))
        if not found:
            raise self.fail("no columns: add a [[columns]] table for each column of the report")
        return tuple(found)
