"""Credentials earned, worked out from the standings, with what MSSC issued for each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError

from .catalog import CERTIFICATION_NAME, CPT_CREDENTIAL
from .models import CredentialNote, Module, Student
from .parse import explain
from .standing import Standing

NO_NOTE = CredentialNote()


@dataclass(frozen=True, slots=True)
class Credential:
    """One credential a student earned: a module certificate or the full CPT."""

    student: Student
    key: str
    """The module key, or `cpt`."""
    name: str
    earned_on: date
    expires_on: date | None
    """Only the CPT expires (renewals applied)."""
    note: CredentialNote

    @property
    def verified(self) -> bool:
        return self.note.verified_on is not None


def credential_name(module: Module) -> str:
    """`Safety Certificate`: a module certificate's name in reports."""
    return f"{module.name} Certificate"


def credential_keys(modules: Sequence[Module]) -> tuple[str, ...]:
    """Every credential key in report order: the modules', then the CPT."""
    return (*(m.key for m in modules), CPT_CREDENTIAL)


def credential_names(modules: Sequence[Module]) -> dict[str, str]:
    """Credential key -> its name in reports."""
    return {m.key: credential_name(m) for m in modules} | {CPT_CREDENTIAL: CERTIFICATION_NAME}


def find_credential(text: str, modules: Sequence[Module]) -> str | None:
    """A credential by its key, its module's name, its report name, or `CPT`/`CPT 4.0`."""
    folded = _fold(text)
    for key, name in credential_names(modules).items():
        if folded in {_fold(key), _fold(name)}:
            return key
    for m in modules:
        if folded == _fold(m.name):
            return m.key
    if folded in {"cpt40", "certifiedproductiontechnician"}:
        return CPT_CREDENTIAL
    return None


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold().replace("&", "and") if ch.isalnum())


def credentials_of(st: Standing) -> list[Credential]:
    """Every credential the student earned: each module passed, in module order, then the
    full CPT with its expiry."""
    notes = st.student.credentials
    earned = [
        Credential(
            st.student,
            ms.module.key,
            credential_name(ms.module),
            ms.passed_on,
            None,
            notes.get(ms.module.key, NO_NOTE),
        )
        for ms in st.modules.values()
        if ms.passed_on is not None
    ]
    if st.cpt_certified_on is not None:
        earned.append(
            Credential(
                st.student,
                CPT_CREDENTIAL,
                CERTIFICATION_NAME,
                st.cpt_certified_on,
                st.cpt_expires_on,
                notes.get(CPT_CREDENTIAL, NO_NOTE),
            )
        )
    return earned


def verification_queue(
    standings: Iterable[Standing], *, verified_too: bool = False
) -> list[Credential]:
    """The verification queue: credentials earned and not yet checked against MSSC's
    records (`verified_too`: the checked ones as well), in the order given (the CPT after
    each student's module certificates)."""
    return [c for st in standings for c in credentials_of(st) if verified_too or not c.verified]


def noted(
    student: Student,
    key: str,
    certificate_number: str | None,
    verified_on: date | None,
    by: str,
    *,
    earned_on: date,
    today: date,
) -> Student:
    """The student with a credential's certificate number and verification recorded.

    `certificate_number` None keeps the one recorded; `verified_on` None, or the date already
    recorded, leaves the verification as it is (a new date is recorded as verified by `by`).
    ValueError says why a value is refused: a verification before the credential was
    earned, or in the future.
    """
    note = student.credentials.get(key, NO_NOTE)
    if verified_on is not None and verified_on != note.verified_on:
        if verified_on > today:
            raise ValueError(f"verified on {verified_on}: that is in the future")
        if verified_on < earned_on:
            raise ValueError(f"verified on {verified_on}: before it was earned on {earned_on}")
        note = note.model_copy(update={"verified_on": verified_on, "verified_by": by})
    fields = note.model_dump()
    if certificate_number is not None:
        fields["certificate_number"] = certificate_number.strip()
    try:
        checked = CredentialNote.model_validate(fields)
    except ValidationError as exc:
        raise ValueError(_reason(exc)) from None
    return student.model_copy(update={"credentials": student.credentials | {key: checked}})


def _reason(error: ValidationError) -> str:
    return "; ".join(explain(error).values())
