"""cpt-tui benchmarks: medians at 100, 1,000 and 10,000 students, each against a floor
measured in the same run. Prints a Markdown table; `make bench` runs it. Never run as tests.

  1. first paint of the roster vs a bare Textual app painting an empty DataTable
  2. one persisted change (record an attempt) vs orjson.dumps + an atomic write of the file
  3. `cpt-tui export` vs a script that json.loads the store and writes it with csv
  4. import of a roster CSV (absolute seconds)
  5. key-press latency: filter as you type, move through the progress grid, switch screens
  6. peak memory after opening the three screens (MiB)

For 1 and 3 it also prints the floor the required stack sets, in the same run: the bare app
(or a bare script) that first reads the store into cpt-tui's pydantic models (bench/models.py).
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from bench.stores import build, roster_csv  # noqa: E402
from cpt_tui.store import Store  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,1000,10000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
PY = sys.executable
CLI = [PY, "-m", "cpt_tui"]


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def printed(command: list[str]) -> list[str]:
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return out.split()


def first_paint(store: Path) -> tuple[float, float, float]:
    """cpt-tui, the bare app, the bare app that reads the store into the models first."""

    def paint(*args: str) -> Callable[[], float]:
        return lambda: float(printed([PY, str(HERE / "paint.py"), *args])[0])

    ours = median_of(REPEAT, paint("cpt", str(store)))
    bare = median_of(REPEAT, paint("bare"))
    models = median_of(REPEAT, paint("bare", str(store)))
    return ours, bare, models


def persisted_change(store: Path) -> tuple[float, float]:
    cpt = Store(store)
    cpt.roster  # noqa: B018  (loaded once, as the open app has it)
    sid = cpt.roster.students[0].student_id

    def ours() -> float:
        start = time.perf_counter()
        cpt.record_attempt(sid, "green", date(2026, 11, 1), correct=80)
        return time.perf_counter() - start

    data = orjson.loads(store.read_bytes())
    target = store.with_name("raw.json")

    def raw() -> float:
        start = time.perf_counter()
        payload = orjson.dumps(data)
        fd, tmp = tempfile.mkstemp(dir=store.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        return time.perf_counter() - start

    # Taken in turns, so that a slow spell of the disk (fsync) falls on both alike.
    pairs = [(ours(), raw()) for _ in range(max(REPEAT * 3, 9))]
    return statistics.median(o for o, _ in pairs), statistics.median(r for _, r in pairs)


def export(store: Path) -> tuple[float, float, float]:
    """cpt-tui export, the bare script, reading the store into the models and nothing else."""
    out = store.with_name("out.csv")
    ours = median_of(
        REPEAT, lambda: seconds([*CLI, "--db", str(store), "export", str(out), "--force"])
    )
    bare = median_of(
        REPEAT, lambda: seconds([PY, str(HERE / "bare_export.py"), str(store), str(out)])
    )
    models = median_of(REPEAT, lambda: seconds([PY, str(HERE / "models.py"), str(store)]))
    return ours, bare, models


def import_roster(size: int, folder: Path) -> float:
    csv_file = folder / "import.csv"
    csv_file.write_bytes(roster_csv(size))

    def once() -> float:
        target = folder / f"import-{time.perf_counter_ns()}.json"
        return seconds([*CLI, "--db", str(target), "import", str(csv_file)])

    return median_of(3, once)


KEYS = ["slash", *"smith", "escape", "2", *"jjjjjjjjjj", *"llll", *"kkkk", "3", "1"]
KEYS += ["slash", *"s000", "enter", "j", "2", "3", "1"]
"""Filter as you type and clear it (every student back), switch to the grid and move
through it, to fees and back (the first showing of each screen), filter and keep it, move,
and switch through the three screens again (each draws a screen over every student)."""


SWITCHES = {"1", "2", "3"}


@dataclass
class Latency:
    """Milliseconds per key in KEYS: to the key's effect on screen, and to the last frame."""

    handled: list[float]
    """To the last frame that drew anything but scrollbars: the key's effect, all of it."""
    settled: list[float]
    """To the last frame of all: Textual redraws a table's scrollbars in the frame after a
    layout change, and its frame timer holds that frame 17 to 33 ms."""

    @staticmethod
    def typing(timings: list[float]) -> str:
        """Filtering and moving: median and worst, and the worst key."""
        keyed = [(t, k) for k, t in zip(KEYS, timings, strict=True) if k not in SWITCHES]
        worst, key = max(keyed)
        return f"{statistics.median(t for t, _ in keyed):.0f} / {worst:.0f} ms ({key})"

    @staticmethod
    def switching(timings: list[float]) -> str:
        """Screen switches: each first showing, then the worst of the later ones."""
        seen: set[str] = set()
        first, again = [], []
        for key, t in zip(KEYS, timings, strict=True):
            if key in SWITCHES:
                (again if key in seen else first).append(f"{t:.0f}")
                seen.add(key)
        return f"first {' / '.join(first)} ms, again {max(again, key=float)} ms"


def key_latency(store: Path) -> Latency:
    """Each key of KEYS sent to the app (10,000 students, 80x24) when it is quiet; every one
    of them changes the screen."""
    from textual import events
    from textual.screen import Screen

    from cpt_tui.app import create_app

    async def quiet(window: float = 0.03) -> None:
        """Until the process has used (almost) no CPU for `window` seconds."""
        start = time.perf_counter()
        while True:
            cpu = time.process_time()
            await asyncio.sleep(window)
            if time.process_time() - cpu < window / 20:
                return
            if time.perf_counter() - start > 10:
                raise RuntimeError("the app never went quiet")

    frames: list[tuple[float, bool]] = []
    """When each frame was written, and whether it drew only scrollbars."""
    only_scrollbars = False
    tick = Screen._on_timer_update

    def on_tick(screen: Screen[Any]) -> None:
        nonlocal only_scrollbars
        dirty = {type(w).__name__ for w in screen._dirty_widgets}
        only_scrollbars = dirty <= {"ScrollBar", "ScrollBarCorner"} and not (
            screen._layout_required or screen._repaint_required
        )
        tick(screen)

    async def run() -> Latency:
        app = create_app(Store(store))
        display = app._display

        def stamped(*args: Any) -> None:
            display(*args)
            frames.append((time.perf_counter(), only_scrollbars))

        app._display = stamped  # type: ignore[method-assign]
        Screen._on_timer_update = on_tick  # type: ignore[method-assign]
        handled, settled = [], []
        async with app.run_test(size=(80, 24)):
            await quiet(0.2)  # open, its screens built and every standing worked out
            for key in KEYS:
                frames.clear()
                start = time.perf_counter()
                app._driver.send_message(events.Key(key, key if len(key) == 1 else None))  # type: ignore[union-attr]
                await quiet()
                effect = [at for at, scrollbars in frames if not scrollbars]
                if not effect:
                    raise RuntimeError(f"the key {key!r} changed nothing on screen")
                handled.append((effect[-1] - start) * 1000)
                settled.append((frames[-1][0] - start) * 1000)
        Screen._on_timer_update = tick  # type: ignore[method-assign]
        return Latency(handled, settled)

    return asyncio.run(run())


def peak_memory(store: Path) -> float:
    return float(printed([PY, str(HERE / "paint.py"), "cpt", str(store), "walk"])[-1])


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    print(f"CPU: {cpu_name()} ({os.cpu_count()} cores); Python {platform.python_version()}")
    print(f"median of {REPEAT} runs (x3 for a change); ratio = cpt-tui / floor")
    print("models: the floor with the store read into the pydantic models first\n")
    print(
        "| students | first paint | models | change | export | models | import "
        "| typing, moving: handled | settled | switching screens (handled) | peak memory |"
    )
    print("|---:|---|---|---|---|---|---:|---|---|---|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            folder = Path(tmp) / str(size)
            folder.mkdir()
            store = build(folder / "roster.json", size)
            paint, bare, paint_models = first_paint(store)
            change, raw = persisted_change(store)
            ours, floor, export_models = export(store)
            imported = import_roster(size, folder)
            keys = key_latency(store)
            memory = peak_memory(store)
            print(
                f"| {size:,} | {paint:.3f} s vs {bare:.3f} s (**{paint / bare:.2f}x**) "
                f"| {paint_models:.3f} s ({paint_models / bare:.2f}x) "
                f"| {change * 1000:.1f} ms vs {raw * 1000:.1f} ms (**{change / raw:.2f}x**) "
                f"| {ours:.3f} s vs {floor:.3f} s (**{ours / floor:.2f}x**) "
                f"| {export_models:.3f} s ({export_models / floor:.2f}x) "
                f"| {imported:.2f} s | {Latency.typing(keys.handled)} "
                f"| {Latency.typing(keys.settled)} | {Latency.switching(keys.handled)} "
                f"| {memory:.0f} MiB |",
                flush=True,
            )


if __name__ == "__main__":
    main()
