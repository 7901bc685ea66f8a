"""Pydantic models: modules, fee schedules, students and assessment attempts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CENT = Decimal("0.01")

# Every stored record is checked by pydantic-core alone (patterns and numeric limits, no
# Python callback): opening a 10,000-student store validates 30,000 records.
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
"""A non-negative amount of US dollars in exact cents."""

STUDENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
PLAIN_PATTERN = r"^(?:[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?)?$"
"""Text without control characters, and without spaces at either end."""
EMAIL_PATTERN = (
    r"^(?:[^@\s,;<>\x00-\x1f\x7f]+@[^@\s,;<>\x00-\x1f\x7f]+\.[^@\s,;<>\x00-\x1f\x7f]+)?$"
)
"""An email address, or nothing."""

STATE_ID_PATTERN = r"^[A-Za-z0-9]{0,20}$"
"""A state student ID (SSID, SASID): letters and digits only, or nothing."""
CERTIFICATE_NUMBER_PATTERN = r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}[A-Za-z0-9])?)?$"
"""An MSSC certificate number as printed: letters, digits and inner hyphens, or nothing."""
GRAD_YEARS = (1940, 2100)
"""A graduation (cohort) year, four digits, within these years (inclusive)."""

PATTERN_REASONS = {
    STUDENT_ID_PATTERN: "must be letters and digits (also . _ -), at most 32 characters",
    STATE_ID_PATTERN: "must be letters and digits only, at most 20 characters",
    CERTIFICATE_NUMBER_PATTERN: (
        "must be letters and digits (hyphens inside), at most 40 characters"
    ),
    PLAIN_PATTERN: "must not contain control characters or spaces at either end",
    EMAIL_PATTERN: "is not an email address (name@school.edu)",
}
"""What an instructor is told when a value does not match one of the patterns above."""

Name = Annotated[str, Field(min_length=1, max_length=60, pattern=PLAIN_PATTERN)]
ActivityNumber = Annotated[int, Field(ge=1, le=99)]
"""A key work activity, numbered from 1 in the catalog's order for its module."""
ActivityPercent = Annotated[int, Field(ge=0, le=100)]
"""The share of an activity's questions answered correctly, as MSSC's report gives it."""
ShortText = Annotated[str, Field(max_length=40, pattern=PLAIN_PATTERN)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Module(_Frozen):
    """One CPT module as the catalog describes it."""

    key: str
    name: str
    short: str
    required: bool
    questions: int
    minutes: int
    pass_mark: Decimal
    credit_hours: int
    aligned_course: str
    activities: tuple[str, ...]


class FeeSchedule(_Frozen):
    """The fees in force from a moment on."""

    registration: Money
    assessment: Money
    supplement: Money
    effective_from: datetime
    recertification: Money = Decimal("75.00")
    """Renewing a CPT: MSSC's published fee (the catalog's default schedule takes it from
    here). A schedule stored before this fee was kept reads it, as it was in force then."""


PointsCategory = Literal["education", "certification", "employment", "other"]
"""MSSC's recertification categories (the catalog describes each)."""
MAX_ENTRY_POINTS = 1000
"""The most points one entry may carry (a typo guard: a renewal needs 100 in all)."""
Note = Annotated[str, Field(max_length=120, pattern=PLAIN_PATTERN)]


class PointsEntry(_Frozen):
    """Recertification points earned on a day, in one of MSSC's categories."""

    earned_on: date
    category: PointsCategory
    points: int = Field(ge=1, le=MAX_ENTRY_POINTS)
    note: Note = ""


class Renewal(_Frozen):
    """A CPT renewed on a day, at the recertification fee in force then."""

    renewed_on: date
    fee: Money


class CredentialNote(_Frozen):
    """What MSSC issued for one credential: its certificate number, and who checked it
    against MSSC's records and when (empty until someone does)."""

    certificate_number: Annotated[str, Field(max_length=40, pattern=CERTIFICATE_NUMBER_PATTERN)] = (
        ""
    )
    verified_on: date | None = None
    verified_by: Annotated[str, Field(max_length=64, pattern=PLAIN_PATTERN)] = ""


class RetakePolicy(_Frozen):
    """MSSC's retake waits and the school's readiness margin, in force from a moment on."""

    wait_days: int = Field(ge=0, le=365)
    """Days after a failed attempt before the module may be taken again."""
    long_wait_days: int = Field(ge=0, le=365)
    """The wait after the `long_wait_from`-th and each later failure of the module."""
    long_wait_from: int = Field(ge=1, le=99)
    readiness_margin: Decimal = Field(ge=0, le=100, max_digits=4, decimal_places=1)
    """Percentage points above the pass mark a practice score must reach to be ready."""
    effective_from: datetime


class Student(_Frozen):
    """One student on the roster, with the fees paid for registration and supplements."""

    student_id: Annotated[str, Field(pattern=STUDENT_ID_PATTERN)]
    first_name: Name
    last_name: Name
    email: Annotated[str, Field(max_length=120, pattern=EMAIL_PATTERN)] = ""
    section: ShortText = ""
    term: ShortText = ""
    registration_fee: Money | None = None
    """The registration fee charged, at the schedule in force then; None: not registered."""
    status: Literal["active", "dropped"] = "active"
    supplements: dict[str, Money] = Field(default_factory=dict)
    """Module key -> the supplement fee charged when it was bought."""
    revision: int = 0
    """Raised by the store on every save; a save from an older revision is refused."""
    state_id: Annotated[str, Field(max_length=20, pattern=STATE_ID_PATTERN)] = ""
    """The state's student ID (SSID/SASID) that credential reports are keyed on."""
    grad_year: int | None = Field(default=None, ge=GRAD_YEARS[0], le=GRAD_YEARS[1])
    credentials: dict[str, CredentialNote] = Field(default_factory=dict)
    """Credential key (a module key or `cpt`) -> its certificate number and verification."""
    points: tuple[PointsEntry, ...] = ()
    """Recertification points, in the order they were entered."""
    renewals: tuple[Renewal, ...] = ()
    """CPT renewals, oldest first."""

    @property
    def registered(self) -> bool:
        return self.registration_fee is not None

    @property
    def dropped(self) -> bool:
        return self.status == "dropped"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def sort_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


class Attempt(_Frozen):
    """One sitting of one module's assessment, scored either by correct answers or percent."""

    attempt_id: str
    student_id: str
    module: str
    taken_on: date
    correct: int | None = Field(default=None, ge=0)
    questions: int | None = Field(default=None, gt=0)
    """The module's question count when the attempt was recorded (editions change it)."""
    percent: Decimal | None = Field(default=None, ge=0, le=100)
    """Only for a score entered as a percent."""
    fee: Money
    recorded_at: datetime
    kind: Literal["assessment", "practice"] = "assessment"
    """A practice test is recorded like an attempt but is never charged, never a pass, never
    an attempt, a certificate, a CPT or a retake wait."""
    diagnostics: dict[ActivityNumber, ActivityPercent] = Field(default_factory=dict)
    """MSSC's diagnostic report: activity number -> percent; empty until it is entered."""

    @model_validator(mode="after")
    def _one_score(self) -> Attempt:
        by_count = self.correct is not None and self.questions is not None
        if by_count == (self.percent is not None):
            raise ValueError("a score is either correct/questions or a percent")
        if by_count and self.correct > self.questions:  # type: ignore[operator]
            raise ValueError("more correct answers than questions")
        if self.kind == "practice" and self.fee:
            raise ValueError("a practice test is never charged")
        return self

    @property
    def score(self) -> Fraction:
        """The exact percent: never rounded, so a pass is decided on the true figure."""
        return exact_score(self.correct, self.questions, self.percent)

    @property
    def practice(self) -> bool:
        return self.kind == "practice"

    @property
    def identity(self) -> tuple[str, str, date, int | None, Decimal | None, str]:
        """What makes two attempts the same one (an import never adds it twice)."""
        percent = None if self.correct is not None else self.percent
        return (self.student_id, self.module, self.taken_on, self.correct, percent, self.kind)


@lru_cache(maxsize=4096)
def exact_score(correct: int | None, questions: int | None, percent: Decimal | None) -> Fraction:
    """An attempt's exact percent, from correct/questions or the percent typed. A class has
    a few hundred distinct scores, and exact fractions are slow to make: each made once."""
    if correct is not None and questions is not None:
        return Fraction(correct * 100, questions)
    return Fraction(percent or 0)


def one_decimal(value: Fraction) -> str:
    """A percent shown with one decimal, rounded half up: 75.96 -> '76.0'."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class StudentForm(BaseModel):
    """What the add/edit form holds, as typed; `to_student` checks it and prices registration."""

    model_config = ConfigDict(str_strip_whitespace=True)

    student_id: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    section: str = ""
    term: str = ""
    registered: bool = False
    dropped: bool = False
    state_id: str = ""
    grad_year: str = ""

    @classmethod
    def of(cls, student: Student) -> StudentForm:
        return cls(
            **student.model_dump(include={"student_id", "first_name", "last_name"}),
            **student.model_dump(include={"email", "section", "term", "state_id"}),
            grad_year="" if student.grad_year is None else str(student.grad_year),
            registered=student.registered,
            dropped=student.dropped,
        )

    def to_student(self, original: Student | None, schedule: FeeSchedule) -> Student:
        """The student this form describes; pydantic.ValidationError names each bad field.

        Registration keeps the fee charged when it was first ticked; ticking it now charges
        the schedule in force now.
        """
        fee = None
        if self.registered:
            fee = original.registration_fee if original and original.registered else None
            fee = fee if fee is not None else schedule.registration
        kept = (
            original.model_dump(include={"credentials", "points", "renewals"}) if original else {}
        )
        return Student(
            student_id=self.student_id,
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            section=self.section,
            term=self.term,
            registration_fee=fee,
            status="dropped" if self.dropped else "active",
            supplements=dict(original.supplements) if original else {},
            revision=original.revision if original else 0,
            state_id=self.state_id,
            grad_year=grad_year(self.grad_year),
            **kept,
        )


GRAD_YEAR_REASON = f"must be a four-digit year, {GRAD_YEARS[0]} to {GRAD_YEARS[1]}"


def grad_year(text: str) -> int | None:
    """A typed graduation year: None when empty, the year when four digits, else 0 (which
    the model refuses, naming the field: `02027` or `27` is not a year as typed)."""
    text = text.strip()
    if not text:
        return None
    return int(text) if len(text) == 4 and text.isascii() and text.isdigit() else 0
