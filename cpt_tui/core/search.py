"""The filter's matching: case and accents ignored on both sides (`nunez` finds Núñez); and
`--section`'s: case and the spaces around ignored."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .models import Student


def fold(text: str) -> str:
    """Text as the filter compares it: NFKD-decomposed, combining marks dropped, case folded
    (`Núñez` -> `nunez`, `ﬁ` -> `fi`)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKD", kept.casefold())


def haystack(student: Student) -> str:
    """Everything the filter looks in, folded: ID, `First Last`, `Last, First`, section."""
    first, last = student.first_name, student.last_name
    return fold(f"{student.student_id}\n{first} {last}\n{last}, {first}\n{student.section}")


def section_key(section: str) -> str:
    """A section as `--section` compares it: case and the spaces around ignored."""
    return section.strip().casefold()


def in_section(students: Iterable[Student], section: str | None) -> list[Student]:
    """These students, of one section if it is named (see `section_key`), else all."""
    if section is None:
        return list(students)
    wanted = section_key(section)
    return [s for s in students if section_key(s.section) == wanted]
