"""cpt-tui at district scale, side by side with its floors and with VisiData, in one run.

`make bench` runs it (`BENCH_SIZES`, default 10000,50000; `BENCH_REPEAT`, default 3).
Never run as tests. Every figure is a median of runs taken in turns with its floor or peer,
so that a busy spell of the shared machine falls on both alike, and is printed as a ratio:

  - first paint in a real 80x24 terminal (tmux): launch until the first student's row is
    on screen; cpt-tui against VisiData opening the same students' export CSV, and a bare
    Textual app showing one row (the floor of any Textual app)
  - the stall after a saved change: the longest the event loop went without running
  - key presses at 80x24: typing a filter, moving, switching screens (after the first showing)
  - one saved change against orjson.dumps + an atomic write of the same store
  - `export` and `report` against a plain json + csv script writing every stored record;
    `testday`, `report --diagnostics`, `export --credentials` against `export`
  - bulk import (roster, then two attempts per student) at N/8 and N students
  - peak memory of the TUI once Progress and Fees have been opened
"""

from __future__ import annotations

import gc
import json
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

import orjson

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from bench.inproc import KEYS, SWITCHES  # noqa: E402
from bench.stores import attempts_csv, roster_csv  # noqa: E402
from bench.terminal import Terminal, idle, peak_mib  # noqa: E402
from cpt_tui.store import Store  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,50000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
PY = sys.executable
BIN = Path(PY).parent
CPT = [str(BIN / "cpt-tui")]
VD = BIN / "vd"


@dataclass
class Figure:
    """One line of the table: ours against a floor or a peer, and the target."""

    what: str
    size: int
    ours: float
    floor: float | None
    floor_name: str
    unit: str
    limit: float | None
    """The target: a ratio to the floor, or (floor None) an absolute figure; None: none."""

    @property
    def ratio(self) -> float | None:
        return self.ours / self.floor if self.floor else None

    @property
    def met(self) -> bool:
        value = self.ratio if self.floor is not None else self.ours
        return value is not None and self.limit is not None and value <= self.limit

    def row(self) -> str:
        ours = _fmt(self.ours, self.unit)
        if self.floor is None:
            versus, ratio, target = "", "", f"<= {_fmt(self.limit or 0, self.unit)}"
        else:
            versus = f"{_fmt(self.floor, self.unit)} ({self.floor_name})"
            ratio, target = f"{self.ratio:.2f}x", f"<= {self.limit or 0:g}x"
        verdict = "met" if self.met else "**not met**"
        if self.limit is None:
            target, verdict = "", "(the floor)"
        return (
            f"| {self.what} | {self.size:,} | {ours} | {versus} | {ratio} | {target} | {verdict} |"
        )


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"
    return f"{value:.0f} {unit}"


def in_turns(runs: int, **measures: Callable[[], float]) -> dict[str, float]:
    """Median of each measure, taken in turns (a, b, c, a, b, c, ...)."""
    taken: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            taken[name].append(measure())
    return {name: statistics.median(values) for name, values in taken.items()}


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


# -- building the stores: bulk import ----------------------------------------------------


def import_seconds(path: Path, size: int) -> float:
    """`cpt-tui import` of a roster CSV, then `import --attempts` of two attempts per
    student, into a new store: what an instructor runs."""
    roster, attempts = path.with_suffix(".roster.csv"), path.with_suffix(".attempts.csv")
    roster.write_bytes(roster_csv(size))
    attempts.write_bytes(attempts_csv(size))
    db = [*CPT, "--db", str(path), "import"]
    return seconds([*db, str(roster)]) + seconds([*db, "--attempts", str(attempts)])


# -- first paint and memory in a real terminal ---------------------------------------------


def first_row(store: Path) -> tuple[str, str]:
    """The first student's ID and last name, as every screen and VisiData list them first."""
    data = orjson.loads(store.read_bytes())
    first = min(data["students"].values(), key=lambda s: s["student_id"])
    return first["student_id"], first["last_name"]


def row_shown(*parts: str) -> Callable[[str], bool]:
    return lambda screen: any(all(p in line for p in parts) for line in screen.splitlines())


def first_paint(term: Terminal, store: Path, csv_file: Path) -> dict[str, float]:
    sid, last = first_row(store)
    seen = row_shown(sid, last)
    return in_turns(
        REPEAT,
        cpt=lambda: term.launch([*CPT, "--db", str(store)], seen),
        visidata=lambda: term.launch([str(VD), "-f", "csv", str(csv_file)], seen),
        bare=lambda: term.launch([PY, str(HERE / "bare_app.py"), sid], row_shown(sid)),
        models_first=lambda: term.launch(
            [PY, str(HERE / "bare_app.py"), sid, str(store)], row_shown(sid)
        ),
    )


def peak_memory(term: Terminal, store: Path) -> float:
    """VmHWM of cpt-tui after its roster, then Progress, then Fees have been shown."""
    sid, last = first_row(store)
    term.launch([*CPT, "--db", str(store)], row_shown(sid, last))
    pid = term.pid()
    idle(pid)
    # The grid's title row, and its first row by ID (names are cut to fit the modules).
    term.wait(lambda screen: "Safety" in screen and row_shown(sid)(screen), term.keys("2"))
    idle(pid)
    term.wait(lambda screen: "Assessments" in screen and sid in screen, term.keys("3"))
    idle(pid)
    memory = peak_mib(pid)
    term.stop()
    return memory


# -- the command line against a plain script ---------------------------------------------


def has(command: str, option: str | None = None) -> bool:
    """Whether this cpt-tui has the command (and option): some land while the bench grows."""
    done = subprocess.run([*CPT, command, "--help"], capture_output=True, text=True)
    return done.returncode == 0 and (option is None or option in done.stdout)


def commands(store: Path, folder: Path) -> dict[str, float]:
    db = [*CPT, "--db", str(store)]
    out = str(folder / "out.csv")
    runs: dict[str, Callable[[], float]] = {
        "script": lambda: seconds([PY, str(HERE / "bare_export.py"), str(store), out]),
        "models": lambda: seconds([PY, str(HERE / "models.py"), str(store)]),
        "export": lambda: seconds([*db, "export", out, "--force"]),
        "report": lambda: seconds([*db, "report"]),
        "report --summary": lambda: seconds([*db, "report", "--summary"]),
    }
    if has("testday"):
        runs["testday"] = lambda: seconds([*db, "testday"])
    if has("report", "--diagnostics"):
        runs["report --diagnostics"] = lambda: seconds([*db, "report", "--diagnostics"])
    if has("export", "--credentials"):
        runs["export --credentials"] = lambda: seconds(
            [*db, "export", "--credentials", out, "--force"]
        )
    return in_turns(REPEAT, **runs)


# -- one saved change against the raw write -------------------------------------------------


def persisted_change(store: Path) -> tuple[float, float]:
    cpt = Store(store)
    sid = cpt.roster.students[0].student_id

    def ours() -> float:
        start = time.perf_counter()
        cpt.toggle_supplement(sid, "green")
        return time.perf_counter() - start

    data = orjson.loads(store.read_bytes())
    gc.freeze()  # out of the collector's passes, as cpt-tui's own copy is (a fair floor)
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

    taken = in_turns(max(REPEAT * 3, 9), ours=ours, raw=raw)
    return taken["ours"], taken["raw"]


# -- keys and the stall, in the app's own process --------------------------------------------


def in_process(store: Path) -> dict[str, list[float]]:
    done = subprocess.run(
        [PY, str(HERE / "inproc.py"), str(store)], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions() -> str:
    vd = subprocess.run([str(VD), "--version"], capture_output=True, text=True).stdout.strip()
    from importlib.metadata import version

    return f"Python {platform.python_version()}, textual {version('textual')}, {vd}"


def main() -> None:
    if not VD.exists():
        sys.exit("VisiData is not installed: `make bench` installs it (the [bench] extra)")
    print(f"CPU: {cpu_name()} ({os.cpu_count()} cores); {versions()}; {date.today()}")
    print(f"each figure the median of {REPEAT} runs, taken in turns with its floor or peer\n")
    print("| figure | students | cpt-tui | floor or peer | ratio | target | |")
    print("|---|---:|---:|---:|---:|---:|---|")
    term = Terminal()
    try:
        with tempfile.TemporaryDirectory(prefix="cpt-bench-") as tmp:
            for size in SIZES:
                measure(size, Path(tmp) / str(size), term)
    finally:
        term.close()


def measure(size: int, folder: Path, term: Terminal) -> None:
    folder.mkdir()
    small = max(size // 8, 1)
    eighth = statistics.median(
        import_seconds(folder / f"eighth-{n}.json", small) for n in range(REPEAT)
    )
    store = folder / "roster.json"
    whole = import_seconds(store, size)

    def show(figure: Figure) -> None:
        print(figure.row(), flush=True)

    show(Figure("bulk import, 8x the students", size, whole, eighth, f"{small:,}", "s", 9))
    if size >= 50_000:
        show(Figure("bulk import (2 attempts each)", size, whole, None, "", "s", 15))

    csv_file = folder / "export.csv"
    subprocess.run(
        [*CPT, "--db", str(store), "export", str(csv_file)], check=True, capture_output=True
    )
    paint = first_paint(term, store, csv_file)
    slower = 1.2 if size <= 10_000 else 1.5
    show(
        Figure(
            "first paint, 80x24 tmux",
            size,
            paint["cpt"],
            paint["visidata"],
            "VisiData",
            "s",
            slower,
        )
    )
    show(
        Figure(
            "first paint, 80x24 tmux", size, paint["cpt"], paint["bare"], "bare Textual", "s", None
        )
    )
    show(
        Figure(
            "first paint, every record checked first (bare app)",
            size,
            paint["models_first"],
            paint["visidata"],
            "VisiData",
            "s",
            None,
        )
    )

    timed = in_process(store)
    show(
        Figure("stall after a saved change (worst)", size, max(timed["stall"]), None, "", "ms", 20)
    )
    # Every key but a screen's first showing (Textual composes it then, once per session).
    seen = {"1"}  # the roster is shown from launch
    keys = []
    for key, took in zip(KEYS, timed["handled"], strict=True):
        if key not in SWITCHES or key in seen:
            keys.append((took, key))
        seen.add(key)
    worst, which = max(keys)
    firsts = [t for k, t in zip(KEYS, timed["handled"], strict=True) if k in SWITCHES]
    firsts = firsts[:2]  # 2 and 3
    show(Figure(f"key press, worst ({which!r})", size, worst, None, "", "ms", 50))
    show(
        Figure("key press, median", size, statistics.median(t for t, _ in keys), None, "", "ms", 50)
    )
    print(
        f"| a screen's first showing (Progress, Fees) | {size:,} | "
        f"{' / '.join(f'{t:.0f}' for t in firsts)} ms | | | | |"
    )

    change, raw = persisted_change(store)
    show(
        Figure(
            "one saved change", size, change * 1000, raw * 1000, "orjson + atomic write", "ms", 2
        )
    )

    ran = commands(store, folder)
    script = ran.pop("script")
    export = ran["export"]
    models = ran.pop("models")
    show(
        Figure(
            "reading the store into the models",
            size,
            models,
            script,
            "json + csv script",
            "s",
            None,
        )
    )
    show(Figure("export", size, export, script, "json + csv script", "s", 2))
    show(Figure("report", size, ran.pop("report"), script, "json + csv script", "s", 3))
    show(
        Figure(
            "report --summary",
            size,
            ran.pop("report --summary"),
            script,
            "json + csv script",
            "s",
            3,
        )
    )
    for name in ("testday", "report --diagnostics", "export --credentials"):
        if name in ran:
            show(Figure(name, size, ran[name], export, "export", "s", 2))
        else:
            print(f"| {name} | {size:,} | not on main yet | | | | |")

    show(
        Figure(
            "peak memory, Progress and Fees opened",
            size,
            peak_memory(term, store),
            None,
            "",
            "MiB",
            300,
        )
    )


if __name__ == "__main__":
    main()
