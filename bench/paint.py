"""Time from launch to the first rows on screen: `paint.py bare` or `paint.py cpt STORE [walk]`.

Prints seconds since this script started, then (for `walk`) peak memory after visiting the
three screens. Run by bench/run.py as a fresh process each time.
"""

import time

START = time.perf_counter()

import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent.parent))


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            self.call_after_refresh(self.painted)

        def painted(self) -> None:
            print(f"{time.perf_counter() - START:.4f}")
            self.exit()

    Bare().run(headless=True, size=(80, 24))


def cpt(store_path: str, walk: bool) -> None:
    from cpt_tui.app import create_app
    from cpt_tui.screens.roster import RosterScreen
    from cpt_tui.store import Store

    app = create_app(Store(Path(store_path)))
    original = RosterScreen.update_view

    def update_view(screen: RosterScreen, select: str | None = None) -> None:
        original(screen, select)
        if not hasattr(app, "_painted"):
            app._painted = True  # type: ignore[attr-defined]
            screen.call_after_refresh(painted)

    def painted() -> None:
        print(f"{time.perf_counter() - START:.4f}")
        if walk:
            app.call_later(visit)
        else:
            app.exit()

    async def visit() -> None:
        for key in "23":
            app.post_message(__import__("textual.events", fromlist=["Key"]).Key(key, key))
        app.set_timer(3.0, app.exit)

    RosterScreen.update_view = update_view  # type: ignore[method-assign]
    app.run(headless=True, size=(80, 24))
    if walk:
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        cpt(sys.argv[2], walk=len(sys.argv) > 3)
