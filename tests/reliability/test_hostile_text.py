"""Text from outside is only text: every payload a terminal could obey or Rich could read as
markup, fed through every field, header cell, file name and message path, by the command
line and by the app in a real terminal (a pty), with every byte that reaches the terminal
checked. Nothing outside the store's folder may be touched."""

from __future__ import annotations

import fcntl
import gc
import os
import pty
import re
import select
import struct
import sys
import termios
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpt_tui.cli import main
from cpt_tui.store import Store

from .conftest import ROOT, record

PAYLOADS = {
    "osc-title": "\x1b]0;PWNED\x07",
    "osc52-clipboard": "\x1b]52;c;ZXZpbA==\x07",
    "osc8-link": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "csi-clear": "\x1b[2J\x1b[3J",
    "csi-colour": "\x1b[31;5mred",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;T\x9c",
    "c0-bell-bs-cr": "a\x07\x08\rb",
    "newline": "x\n2026-01-01 00:00:00  principal    delete    student S1",
    "del": "d\x7fel",
    "bidi-override": "\u202eevil\u202c",
    "bidi-isolates": "\u2066x\u2069\u200f\u061c",
    "line-separators": "p\u2028q\u2029r",
    "zero-width": "z\u200bw\ufeff",
    "markup-close": "Bad[/]",
    "markup-link": "[link=https://evil.example]click[/link]",
    "markup-blink": "[blink]Ada[/blink]",
    "markup-style": "[bold red on white]loud",
    "emoji-code": ":warning:",
}
"""Each attack: escape sequences, C0 and C1 controls, bidirectional overrides, separators,
invisible characters, Rich markup and emoji codes."""

SHOWN_AS_TEXT = ("markup-close", "markup-link", "markup-blink", "markup-style", "emoji-code")
"""Payloads that must reach the terminal as the very characters they are."""

# What Textual itself sends: CSI sequences it uses, and OSC 22 (the pointer's shape).
TEXTUAL_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[mHhlpuABCDK]|\x1b\]22;[a-z-]*\x07")


def escapes_in(text: str) -> list[str]:
    """Every character in `text` a terminal would obey (or that would reorder the line),
    other than the app's own sequences and line ends."""
    rest = TEXTUAL_SEQUENCE.sub("", text)
    found = []
    for char in rest:
        if char in "\n\r":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Zl", "Zp") or (
            category == "Cf" and char not in "\u200c\u200d"
        ):
            found.append(repr(char))
    return found


def file_safe(text: str) -> str:
    return text.replace("/", "_").replace("\x00", "")


IN_FILE_NAMES = file_safe("\x1b]0;PWNED\x07\x9b2J\nx\u202eevil\u2028[blink]Bad[/]:warning:")
"""Attacks in a file name (a name is at most 255 bytes: not every payload fits in one)."""
PASTABLE = file_safe("\x1b]0;PWNED\x07\x9b2J\u202eevil[blink]Bad[/]:warning:")
"""Attacks in a file name pasted into the import dialog (a field takes one line of a paste;
Textual's key reader reorders an escape sequence inside a paste, so that file is not found,
and the refusal naming it is what is checked)."""


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))


class Tally:
    """The figures: attacks fed, outputs checked, escapes found, crashes."""

    def __init__(self) -> None:
        self.attacks = 0
        self.outputs = 0
        self.escapes: list[str] = []
        self.crashes: list[str] = []

    def check(self, where: str, text: str, exit_code: int | None = None) -> None:
        self.outputs += 1
        self.escapes += [f"{where}: {e}" for e in escapes_in(text)]
        if exit_code not in (None, 0, 2) or "Traceback" in text or "unexpected error" in text:
            self.crashes.append(f"{where}: exit {exit_code}")


def outside(folder: Path, store_folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` but the store's folder: (size, mtime) by path."""
    found = {}
    for path in folder.rglob("*"):
        if store_folder in path.parents or path == store_folder or path.is_symlink():
            continue
        if path.is_file():
            st = path.stat()
            found[str(path)] = (st.st_size, st.st_mtime_ns)
    return found


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """(store, csv folder, home) with a roster imported from hostile CSVs."""
    store_folder = tmp_path / "store"
    csvs = tmp_path / "csvs"
    csvs.mkdir()
    store = store_folder / "roster.json"
    yield store, csvs, Path(os.environ["HOME"])
    gc.enable()  # `main` turns the collector off for a one-shot command


def roster_csv(folder: Path, name: str, payloads: dict[str, str], *, ids: bool) -> Path:
    """Every payload in every roster field and in a header cell of its own."""
    keys = list(payloads)
    header = ["student_id", "first_name", "last_name", "email", "section", "term"]
    header += [f"x{payloads[k]}" for k in keys]
    lines = [",".join(_cell(h) for h in header)]
    for n, key in enumerate(keys):
        p = payloads[key]
        sid = f"H{n}{p}" if ids else f"H{n}"
        row = [sid, f"A{p}", f"{p}Z", "", f"S{p}"[:40], f"T{p}"[:40]] + [p] * len(keys)
        lines.append(",".join(_cell(c) for c in row))
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def attempts_csv(folder: Path, name: str) -> Path:
    lines = ["student_id,module,date,correct"]
    for n, p in enumerate(PAYLOADS.values()):
        lines.append(",".join(_cell(c) for c in (f"H{n}", f"m{p}", f"2026-01-0{p}", f"6{p}")))
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_cli(tally: Tally, capsys: pytest.CaptureFixture[str], where: str, *args: str) -> int:
    # Standard output is a terminal here: `export -` then shows its CSV for a person.
    sys.stdout.isatty = lambda: True  # type: ignore[method-assign]
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse refusing an argument
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    tally.check(f"{where} (stdout)", out, code)
    tally.check(f"{where} (stderr)", err, code)
    return code


def test_the_command_line_shows_hostile_text_and_never_obeys_it(
    hostile: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    store, csvs, home = hostile
    tally = Tally()
    # Names refuse C0 and DEL at entry: those rows are refused (and their reasons quoted).
    storable = {k: v for k, v in PAYLOADS.items() if not re.search(r"[\x00-\x1f\x7f]", v)}
    good = roster_csv(csvs, "good.csv", storable, ids=False)
    every = roster_csv(csvs, f"every{IN_FILE_NAMES}.csv", PAYLOADS, ids=True)
    attempts = attempts_csv(csvs, f"att{IN_FILE_NAMES}.csv")
    before = outside(store.parent.parent, store.parent) | outside(home, store.parent)
    db = ("--db", str(store))

    assert run_cli(tally, capsys, "import", *db, "import", str(good)) == 0
    tally.attacks += len(storable) * (6 + len(storable))  # six fields and a header cell each
    for path, what in ((every, "roster"), (attempts, "attempts")):
        for dry in ((), ("--dry-run",)):
            extra = ("--attempts",) if what == "attempts" else ()
            run_cli(tally, capsys, f"import {what} {dry}", *db, "import", str(path), *extra, *dry)
    tally.attacks += 2 * (len(PAYLOADS) * (6 + len(PAYLOADS)) + 1)  # fields, headers, name
    tally.attacks += 2 * (len(PAYLOADS) * 3 + 1)  # module, date and score; file name

    commands: list[tuple[str, ...]] = [
        ("report",),
        ("report", "--dropped"),
        ("log", "-n", "100"),
        ("testday",),
        ("export", "-"),
        ("export", "-", "--attempts"),
        ("report", "--expiring", "400"),
    ]
    for command in commands:
        run_cli(tally, capsys, " ".join(command), *db, *command)
        tally.attacks += len(storable)
    for key, p in PAYLOADS.items():
        for command in (
            ("report", "--section", f"S{p}"),
            ("testday", "--section", f"S{p}"),
            ("recertify", f"H1{p}"),
            ("log", "-n", p),
            ("testday", p),
            ("export", str(store.parent / f"out{file_safe(p)}.csv"), "--force"),
        ):
            run_cli(tally, capsys, f"{command[0]} {key}", *db, *command)
            tally.attacks += 1
        run_cli(
            tally, capsys, f"--db {key}", "--db", str(csvs / f"no{file_safe(p)}.json"), "report"
        )
        tally.attacks += 1

    after = outside(store.parent.parent, store.parent) | outside(home, store.parent)
    touched = changed(before, after)
    record(
        "hostile text, command line (test_hostile_text.py)",
        payloads=len(PAYLOADS),
        attacks=tally.attacks,
        outputs_checked=tally.outputs,
        escapes_reaching_the_terminal=len(tally.escapes),
        crashes=len(tally.crashes),
        files_outside_the_store_folder_touched=len(touched),
    )
    assert tally.escapes == [], tally.escapes[:20]
    assert tally.crashes == [], tally.crashes[:20]
    assert touched == []
    roster = Store(store).roster
    assert len(roster.students) == len(storable)
    assert {s.last_name for s in roster.students} >= {f"{PAYLOADS[k]}Z" for k in SHOWN_AS_TEXT}


# -- the app, in a real terminal ------------------------------------------------------------


class Terminal:
    """cpt-tui on a pty of 80x24: every byte it writes is kept."""

    def __init__(self, store: Path, cwd: Path) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the app, as an instructor starts it
            os.chdir(cwd)
            os.environ["TERM"] = "xterm-256color"
            os.environ.pop("NO_COLOR", None)
            os.execv(sys.executable, [sys.executable, "-m", "cpt_tui", "--db", str(store)])
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.out = bytearray()
        self.wait_for(b"palette", 60)

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.fd, 1 << 16)
                except OSError:
                    return
                if not data:
                    return
                self.out.extend(data)

    def wait_for(self, marker: bytes, bound: float = 30) -> None:
        """Read until `marker` has been drawn since now (bounded: never hangs)."""
        start, end = len(self.out), time.monotonic() + bound
        while marker not in self.out[start:] and time.monotonic() < end:
            self.pump(0.1)

    def drawn(self, bound: float) -> None:
        """Read until the app has drawn something and then nothing for QUIET seconds (or
        for `bound` seconds in all): the key's effect is on the screen."""
        start, end = len(self.out), time.monotonic() + bound
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(QUIET, left))
            if not ready:
                if len(self.out) > start:
                    return
                continue
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                return
            if not data:
                return
            self.out.extend(data)

    def keys(self, *keys: str, settle: float = 0.6, until: bytes = b"") -> None:
        """Each key once the one before is drawn; after the last, until `until` has been
        drawn too (what a worker shows later: a dry run's outcome, a notice)."""
        for key in keys:
            start = len(self.out)
            os.write(self.fd, key.encode())
            self.drawn(settle)
        end = time.monotonic() + 30  # bounded: never hangs
        while until not in self.out[start:] and time.monotonic() < end:
            self.drawn(1)
        assert until in self.out[start:], f"{until!r} never drawn"

    def paste(self, text: str) -> None:
        """Bracketed paste, as a terminal sends a pasted path (control characters and all)."""
        os.write(self.fd, f"\x1b[200~{text}\x1b[201~".encode())
        self.drawn(0.6)

    def finish(self) -> int:
        self.keys("q", settle=0.3)
        end = time.monotonic() + 60
        while time.monotonic() < end:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.pump(0.2)
                return os.waitstatus_to_exitcode(status)
            self.pump(0.2)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        return -9


ESCAPE, ENTER, TAB = "\x1b", "\r", "\t"
QUIET = 0.2
"""Seconds without output after which a key's effect counts as drawn."""


def test_the_app_shows_hostile_text_on_every_screen_and_never_obeys_it(
    hostile: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    store, csvs, home = hostile
    storable = {k: v for k, v in PAYLOADS.items() if not re.search(r"[\x00-\x1f\x7f]", v)}
    assert (
        main(["--db", str(store), "import", str(roster_csv(csvs, "r.csv", storable, ids=False))])
        == 0
    )
    every = roster_csv(csvs, f"h{PASTABLE}.csv", PAYLOADS, ids=False)
    header_only = csvs / "new-columns.csv"
    header_only.write_text(
        "id,first,last,"
        + ",".join(_cell(f"x{p}") for p in PAYLOADS.values())
        + "\nN1,Nia,Lee"
        + "," * len(PAYLOADS)
        + "\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    before = outside(store.parent.parent, store.parent) | outside(home, store.parent)

    term = Terminal(store, ROOT)
    term.keys("/", "H1", ENTER, "/", ESCAPE)  # the filter, typed and cleared
    term.keys("e", settle=1.0)  # the edit form holds every field of H0
    term.keys(ESCAPE, "d", "n")  # the delete question names the student
    term.keys("2", ENTER, settle=1.0)  # Progress, then the student's detail
    term.keys(ESCAPE, "r", ESCAPE)  # the record dialog names the student
    term.keys("t", settle=1.0)
    term.keys(ESCAPE, "3", "4", "1", "?", ESCAPE)  # Test day, Fees, Diagnostics, help
    # a pasted hostile name (refused: what is typed is shown with � for each control
    # character, so no file has that name); then hostile header cells
    for path, checked, imported in (
        (every, b"Cannot read", b"Cannot read"),
        (header_only, b"Would import", b"Imported"),
    ):
        term.keys("i")
        term.paste(str(path))
        term.keys(ENTER, until=checked)  # the dry run: the header cells, or why not
        term.keys(ENTER, until=imported)  # imports (the valid one) and says so in a notice
        term.keys(ESCAPE)
    term.keys("x", ESCAPE, settle=1.0)
    code = term.finish()

    tally = Tally()
    tally.check("the app", term.out.decode("utf-8", "replace"), code)
    tally.attacks = len(storable) * (6 + len(storable)) + 2 * (len(PAYLOADS) * 7 + 1)
    after = outside(store.parent.parent, store.parent) | outside(home, store.parent)
    touched = changed(before, after)
    record(
        "hostile text, the app in a pty (test_hostile_text.py)",
        payloads=len(PAYLOADS),
        attacks=tally.attacks,
        bytes_checked=len(term.out),
        escapes_reaching_the_terminal=len(tally.escapes),
        crashes=len(tally.crashes),
        exit_code=code,
        files_outside_the_store_folder_touched=len(touched),
    )
    assert tally.escapes == [], tally.escapes[:10]
    assert code == 0 and tally.crashes == []
    assert touched == []
    shown = TEXTUAL_SEQUENCE.sub("", term.out.decode("utf-8", "replace"))
    assert "Bad[/]" in shown and ":warning:" in shown and "⚠" not in shown
    assert "\\x1b]0;PWNED" in shown or "\\x1b" in shown  # shown escaped
    assert "N1" in Store(store).roster.by_id  # the valid file was imported
