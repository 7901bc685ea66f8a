"""In-process timings of the app at 80x24 (Textual's headless driver): key presses, and the
stall after a saved change. Run by bench/run.py in a fresh process per size:
`python bench/inproc.py STORE` prints one JSON line."""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from cpt_tui.store import Store  # noqa: E402


async def quiet(window: float = 0.03) -> None:
    """Until the process has used (almost) no CPU for `window` seconds."""
    start = time.perf_counter()
    while True:
        cpu = time.process_time()
        await asyncio.sleep(window)
        if time.process_time() - cpu < window / 20:
            return
        if time.perf_counter() - start > 30:
            raise RuntimeError("the app never went quiet")


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

    from cpt_tui.app import create_app
    from cpt_tui.compat import FrameClock

    async def run() -> Latency:
        app = create_app(Store(store))
        handled, settled = [], []
        with FrameClock(app) as frames:  # before the app runs: its screens' timers see it
            async with app.run_test(size=(80, 24)):
                await quiet(0.2)  # open, its screens built and every standing worked out
                for key in KEYS:
                    frames.clear()
                    start = time.perf_counter()
                    app.post_message(events.Key(key, key if len(key) == 1 else None))
                    await quiet()
                    effect = [at for at, scrollbars in frames if not scrollbars]
                    if not effect:
                        raise RuntimeError(f"the key {key!r} changed nothing on screen")
                    handled.append((effect[-1] - start) * 1000)
                    settled.append((frames[-1][0] - start) * 1000)
        return Latency(handled, settled)

    return asyncio.run(run())


CHANGES = 8
"""Saved changes per stall measurement (a supplement bought, then removed, and so on)."""


def stall(store: Path) -> list[float]:
    """For each of CHANGES saved changes (`p` on the progress grid: a supplement bought or
    removed, written to the store), the longest the event loop went without running, in ms,
    from the key until the app is quiet again: how long the UI could not answer."""
    from textual import events

    from cpt_tui.app import create_app

    gaps: list[float] = []
    watching = False
    longest = 0.0

    async def watch_loop() -> None:
        nonlocal longest
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            if watching:
                longest = max(longest, now - last - 0.001)
            last = now

    async def run() -> list[float]:
        nonlocal watching, longest
        cpt = Store(store)
        app = create_app(cpt)
        async with app.run_test(size=(80, 24)):
            await quiet(0.3)
            app.post_message(events.Key("2", "2"))
            await quiet(0.3)
            watcher = asyncio.create_task(watch_loop())
            for _ in range(CHANGES):
                changed = app.roster
                longest, watching = 0.0, True
                app.post_message(events.Key("p", "p"))
                while app.roster is changed:  # until the change is saved and applied
                    await asyncio.sleep(0.005)
                await quiet(0.1)
                watching = False
                gaps.append(longest * 1000)
            watcher.cancel()
        return gaps

    return asyncio.run(run())


def main() -> None:
    store = Path(sys.argv[1])
    keys = key_latency(store)
    gaps = stall(store)
    print(
        json.dumps(
            {
                "handled": keys.handled,
                "settled": keys.settled,
                "stall": gaps,
            }
        )
    )


if __name__ == "__main__":
    main()
