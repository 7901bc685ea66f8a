"""Time from launch to the first rows on screen: `paint.py bare [STORE]` or
`paint.py cpt STORE [walk]`.

`bare` paints an empty DataTable; given a store, it first reads it into cpt-tui's pydantic
models (what the required stack costs before any row can be drawn). Prints seconds since
this script started, then (for `walk`) peak memory after visiting the three screens. Run by
bench/run.py as a fresh process each time.
"""

import time

START = time.perf_counter()

import resource  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent.parent))


def first_frame(app: Any, drawn: Callable[[], bool]) -> None:
    """Print the seconds since launch at the first frame written once `drawn()` holds."""
    display = app._display

    def stamped(*args: Any) -> None:
        display(*args)
        if not hasattr(app, "painted") and drawn():
            app.painted = time.perf_counter() - START
            print(f"{app.painted:.4f}", flush=True)

    app._display = stamped


def bare(store_path: str | None) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            if store_path:
                from models import read_models

                read_models(Path(store_path))

        def on_ready(self) -> None:
            self.exit()

    app = Bare()
    first_frame(app, lambda: app.query(DataTable).first().is_mounted)
    app.run(headless=True, size=(80, 24))


def cpt(store_path: str, walk: bool) -> None:
    from textual import events

    from cpt_tui.app import CptApp, create_app
    from cpt_tui.screens.roster import RosterScreen
    from cpt_tui.store import Store

    app = create_app(Store(Path(store_path)))
    first_frame(
        app, lambda: isinstance(app.screen, RosterScreen) and app.screen.table.row_count > 0
    )

    class Measured(CptApp):  # the app as it is, plus what the benchmark does once it is ready
        def on_ready(self) -> None:
            super().on_ready()
            if walk:
                for key in "23":
                    self.post_message(events.Key(key, key))
                self.set_timer(3.0, self.exit)
            else:
                self.exit()

    app.__class__ = Measured
    app.run(headless=True, size=(80, 24))
    if walk:
        print(peak_mib())


def peak_mib() -> float:
    """This process's peak resident memory. Linux's VmHWM, not ru_maxrss: that one keeps
    the peak of the process that started this one (bench/run.py, with its own stores)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare(sys.argv[2] if len(sys.argv) > 2 else None)
    else:
        cpt(sys.argv[2], walk=len(sys.argv) > 3)
