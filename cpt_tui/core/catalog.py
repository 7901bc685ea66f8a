"""The CPT 4.0 module catalog and the published fee schedule: every figure, in one place."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from .models import FeeSchedule, Module, PointsCategory, RetakePolicy

CERTIFICATION_NAME = "Certified Production Technician (CPT 4.0)"
CERTIFICATION_YEARS = 5
"""A CPT (and each module certificate) is valid this many years."""
RECERTIFICATION_WINDOW_DAYS = 90
"""Recertification opens this many days before expiry: such a CPT is flagged."""
RECERTIFICATION_POINTS = 100
"""Points a CPT holder needs, earned within the current validity, to renew."""
POINTS_CATEGORIES: dict[PointsCategory, str] = {
    "education": "continuing education",
    "certification": "industry certification",
    "employment": "employment in a manufacturing role",
    "other": "extra (other activities MSSC accepts)",
}
"""MSSC's four recertification categories, as an instructor reads them."""
CPT_CREDENTIAL = "cpt"
"""The full CPT's credential key (beside the module keys) in files and profiles."""
FIRST_ASSESSMENT_ON = date(2000, 1, 1)
"""No CPT assessment was sat before 2000: an earlier attempt date is a typing slip."""

MODULES: tuple[Module, ...] = (
    Module(
        key="safety",
        name="Safety",
        short="Safety",
        required=True,
        questions=83,
        minutes=90,
        pass_mark=Decimal("76"),
        credit_hours=3,
        aligned_course="Principles of Machining I (5929)",
        activities=(
            "Work in a safe and productive workplace",
            "Safety and environmental inspections",
            "Emergency drills and teams",
            "Identify unsafe conditions and correct them",
            "Safety orientation",
            "Train personnel to use equipment safely",
            "Suggest safer processes",
            "Safety and health requirements for maintenance, installation and repair",
            "Monitor safe equipment and operator performance",
            "Safety-enhancing workplace practices",
        ),
    ),
    Module(
        key="quality",
        name="Quality Practices and Measurement",
        short="Quality",
        required=True,
        questions=84,
        minutes=90,
        pass_mark=Decimal("75"),
        credit_hours=3,
        aligned_course="Principles of Machining II (5923)",
        activities=(
            "Internal quality audits",
            "Check calibration of gages",
            "Suggest continuous improvements",
            "Inspect materials and product at all stages",
            "Document quality test results",
            "Communicate quality problems",
            "Corrective actions",
            "Record process outcomes and trends",
            "Blueprint reading fundamentals",
            "Common measurement systems and precision measurement tools",
        ),
    ),
    Module(
        key="production",
        name="Manufacturing Processes and Production",
        short="Production",
        required=True,
        questions=83,
        minutes=90,
        pass_mark=Decimal("74"),
        credit_hours=3,
        aligned_course="Manufacturing Practicum (5926)",
        activities=(
            "Identify customer needs",
            "Determine resources",
            "Set up equipment",
            "Set team production goals",
            "Make job assignments",
            "Coordinate work flow",
            "Communicate production and material requirements and specifications",
            "Perform and monitor the process",
            "Document compliance with customer requirements",
            "Prepare final product for shipping",
        ),
    ),
    Module(
        key="maintenance",
        name="Maintenance Awareness",
        short="Maint.",
        required=True,
        questions=86,
        minutes=90,
        pass_mark=Decimal("73"),
        credit_hours=3,
        aligned_course="Manufacturing Practicum (5926)",
        activities=(
            "Preventive maintenance and routine repair",
            "Monitor indicators",
            "Housekeeping to maintain the production schedule",
            "Recognise potential maintenance issues: electrical, pneumatic, hydraulic, "
            "machine automation, lubrication, bearings and couplings, belts and chain drives",
        ),
    ),
    Module(
        key="green",
        name="Green Production",
        short="Green",
        required=False,
        questions=94,
        minutes=90,
        pass_mark=Decimal("78"),
        credit_hours=2,
        aligned_course="",
        activities=(
            "Train workers in environmental issues",
            "Implement environmental programs",
            "Investigate environmental incidents and hazards",
            "Preventive environmental inspections",
            "Monitor environmental aspects of production",
            "Continuous improvement in environmental assurance",
            "Use advanced materials to reduce waste",
            "Recycle and reuse materials through the product life cycle",
        ),
    ),
)

DEFAULT_FEES = FeeSchedule(
    registration=Decimal("28.00"),
    assessment=Decimal("22.00"),
    supplement=Decimal("70.00"),
    effective_from=datetime(2020, 6, 1),
)  # recertification: $75.00, FeeSchedule's default (so an older stored schedule has it too)
"""MSSC's published schedule; a school may edit it (each change applies from then on)."""

DEFAULT_RETAKE_POLICY = RetakePolicy(
    wait_days=15,
    long_wait_days=60,
    long_wait_from=3,
    readiness_margin=Decimal("5"),
    effective_from=datetime(2020, 6, 1),
)
"""MSSC's retake policy (15 days after a failure; 60 after the third and each later one) and
a readiness margin of 5 points; a school may edit both (each change applies from then on)."""

MODULE_KEYS: tuple[str, ...] = tuple(m.key for m in MODULES)
_BY_KEY = {m.key: m for m in MODULES}


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold().replace("&", "and") if ch.isalnum())


_BY_NAME = {_fold(m.name): m for m in MODULES} | {_fold(m.key): m for m in MODULES}


def module(key: str) -> Module:
    """The module with this key; KeyError if there is none."""
    return _BY_KEY[key]


def find_module(text: str) -> Module | None:
    """The module named by its key or its full name, in any case, `&` for `and`."""
    return _BY_NAME.get(_fold(text))
