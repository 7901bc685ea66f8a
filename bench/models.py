"""The floor the required stack sets: read a store file into cpt-tui's pydantic models.

`models.py STORE` prints seconds from launch to every record validated (no standings, no
CSV, no store checks): what any pydantic-based reader of the file pays before its first row.
"""

import time

START = time.perf_counter()

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent.parent))


def read_models(store: Path) -> int:
    import gc

    import orjson
    from pydantic import TypeAdapter

    from cpt_tui.core.models import Attempt, Student

    gc.disable()  # as cpt-tui does while it reads a store: the floor, not a strawman
    data = orjson.loads(store.read_bytes())
    students = TypeAdapter(list[Student]).validate_python(list(data["students"].values()))
    attempts = TypeAdapter(list[Attempt]).validate_python(list(data["attempts"].values()))
    gc.enable()
    return len(students) + len(attempts)


if __name__ == "__main__":
    read_models(Path(sys.argv[1]))
    print(f"{time.perf_counter() - START:.4f}")
