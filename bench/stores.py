"""Build benchmark stores: N students with two attempts each, realistic names and sections."""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from cpt_tui.core.catalog import MODULES  # noqa: E402
from cpt_tui.store import Store  # noqa: E402

FIRST = (
    "Ava Liam Noah Emma Olivia Mateo Sofia Amara Hiroshi José Zoë Priya Marcus Dana Keisha "
    "Tomás Ingrid Lan Samuel Rosa Oleksandr Fatima Ben Grace Mia Lucas Ethan Chen Aiyana"
).split()
LAST = (
    "Martinez Johnson Núñez O'Brien Williams Chen Brown García Davis Okafor Tanaka Kim Reed "
    "Kowalski Patel Herrera Washington Shevchenko Al-Sayed Carter Nguyen Delgado Osei Larsen "
    "Smith Müller Rossi Dubois Silva"
).split()
NOW = datetime(2026, 11, 21, 10, 0)


def roster_csv(size: int, seed: int = 7) -> bytes:
    """A roster CSV of `size` students in 40 sections over 4 terms."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["student_id", "first_name", "last_name", "email", "section", "term", "registered"]
    )
    for n in range(size):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{n}@school.edu".encode("ascii", "ignore").decode()
        term = rng.choice(["Fall 2025", "Spring 2026", "Fall 2026", "Spring 2027"])
        writer.writerow([f"S{n:06d}", first, last, email, f"P{n % 40 + 1}", term, "yes"])
    return out.getvalue().encode()


def attempts_csv(size: int, seed: int = 8) -> bytes:
    """Two attempts per student: a first try in Safety and one more in a random module."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student_id", "module", "date", "correct"])
    start = date(2026, 1, 5)
    for n in range(size):
        for module in (MODULES[0], rng.choice(MODULES)):
            day = start + timedelta(days=rng.randrange(300))
            writer.writerow(
                [f"S{n:06d}", module.key, day.isoformat(), rng.randrange(45, module.questions)]
            )
    return out.getvalue().encode()


def build(
    path: Path, size: int, roster: bytes | None = None, attempts: bytes | None = None
) -> Path:
    """A store at `path` holding `size` students and 2 x size attempts, imported from the
    roster and attempts CSVs (made here unless given)."""
    store = Store(path, clock=lambda: NOW, user="bench")
    assert store.import_roster(roster or roster_csv(size)).ok
    assert store.import_attempts(attempts or attempts_csv(size)).ok
    return path


if __name__ == "__main__":
    target = Path(sys.argv[2])
    build(target, int(sys.argv[1]))
    print(f"built {target}")
