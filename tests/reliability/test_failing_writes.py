"""Disk full, read-only folder, quota: every OS call of a save fails in turn; nothing lies."""

from __future__ import annotations

import errno
import os
import resource
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from cpt_tui.app import create_app
from cpt_tui.backups import backups_dir
from cpt_tui.cli import main
from cpt_tui.compat import notices
from cpt_tui.screens.csv_dialogs import ExportScreen
from cpt_tui.screens.progress import ProgressScreen
from cpt_tui.storage import WriteFailed, write_new_file
from cpt_tui.store import Store

from ..conftest import fixed_clock, settle, type_text
from .conftest import cli, other_bits, record, temporaries

REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk is full",
    errno.EROFS: "read-only",
    errno.EACCES: "read-only",
}
PATCHED = ("open", "fdopen", "fchmod", "fsync", "link", "replace", "mkdir", "chmod", "rename")
"""The OS calls a save makes (tempfile and pathlib call them through the os module)."""


class _Handle:
    """A file object whose write is one more counted call."""

    def __init__(self, handle: Any, call: Callable[[str], None]) -> None:
        self._handle, self._call = handle, call

    def write(self, data: bytes) -> int:
        self._call("write")
        return int(self._handle.write(data))

    def __enter__(self) -> _Handle:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


@contextmanager
def failing(
    monkeypatch: pytest.MonkeyPatch, at: int | str | None = None, code: int = 0
) -> Iterator[list[str]]:
    """Count the OS calls made inside; the `at`-th (from 0), or the first named `at`, fails
    with `code`."""
    calls: list[str] = []

    def call(name: str) -> None:
        calls.append(name)
        if len(calls) - 1 == at or (name == at and calls.count(name) == 1):
            raise OSError(code, os.strerror(code))

    def wrap(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def patched(*args: Any, **kwargs: Any) -> Any:
            call(name)
            result = real(*args, **kwargs)
            return _Handle(result, call) if name == "fdopen" else result

        return patched

    with monkeypatch.context() as patch:
        for name in PATCHED:
            patch.setattr(os, name, wrap(name, getattr(os, name)))
        yield calls


def change(store: Store) -> None:
    store.toggle_supplement("S1002", "green")


def refuse_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """As for a colleague's shared store under fs.protected_hardlinks: backups are copies."""

    def link(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", link)


@pytest.mark.parametrize("backups", ["hard links", "copies"])
def test_every_call_of_a_save_failing_leaves_the_store_as_it_was(
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    umask022: None,
    backups: str,
) -> None:
    """Fail each OS call of a change in turn, with each errno: either the change is saved and
    the app says so, or WriteFailed says why and the store is byte-identical: never a lie.
    A backup left behind is always the whole store as it was, and private."""
    if backups == "copies":
        refuse_links(monkeypatch)
    template = demo_path.read_bytes()
    with failing(monkeypatch) as calls:
        change(Store(demo_path, clock=fixed_clock))
    sequence = list(calls)
    assert {"open", "write", "fsync", "link", "replace"} <= set(sequence), sequence
    assert sequence.count("write") == 1 + (backups == "copies"), sequence

    failed = saved = 0
    problems: list[str] = []
    for at, name in enumerate(sequence):
        for code, reason in REASONS.items():
            folder = tmp_path / f"{at}-{code}"
            folder.mkdir()
            path = folder / "roster.json"
            path.write_bytes(template)
            path.chmod(0o600)
            store = Store(path, clock=fixed_clock)
            roster = store.roster
            where = f"call {at} ({name}) failing with {errno.errorcode[code]}"
            try:
                with failing(monkeypatch, at, code):
                    change(store)
            except WriteFailed as exc:
                failed += 1
                if path.read_bytes() != template:
                    problems.append(f"{where}: WriteFailed but the store was changed")
                if reason not in str(exc) or "othing was changed" not in str(exc):
                    problems.append(f"{where}: unclear message {exc}")
                if store.roster is not roster:
                    problems.append(f"{where}: the app's view moved on")
            else:
                saved += 1
                if path.read_bytes() == template:
                    problems.append(f"{where}: reported saved but the store is unchanged")
            for backup in backups_dir(path).glob("*"):
                if Store(backup).roster.students != roster.students:
                    problems.append(f"{where}: a backup that is not the store as it was")
            problems += [f"{where}: {found}" for found in other_bits(folder)]
            change(Store(path, clock=fixed_clock))  # the next save works, and cleans up
            if temporaries(folder):
                problems.append(f"{where}: temporary files left after the next save")
    record(
        f"failing writes, backups as {backups} (test_failing_writes.py::"
        "test_every_call_of_a_save_failing_leaves_the_store_as_it_was)",
        os_calls_in_a_save=len(sequence),
        errnos=len(REASONS),
        cases=len(sequence) * len(REASONS),
        refused_byte_identical=failed,
        saved_anyway=saved,
        lies=len(problems),
    )
    assert not problems, "\n".join(problems)


def test_a_real_size_limit_fails_the_real_command_cleanly(demo_path: Path, tmp_path: Path) -> None:
    """No monkeypatch: the kernel refuses the write (RLIMIT_FSIZE, as a full quota would)."""
    csv = tmp_path / "one.csv"
    csv.write_text("student_id,first_name,last_name\nN1,Nia,Lee\n")
    before = demo_path.read_bytes()
    limit = len(before) // 2

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = cli("--db", demo_path, "import", csv, preexec_fn=limited)
    assert done.returncode == 2, done.stderr
    assert "could not save" in done.stderr and "Nothing was changed" in done.stderr
    assert "Traceback" not in done.stderr
    assert demo_path.read_bytes() == before
    assert not temporaries(demo_path.parent)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_the_command_line_says_why_a_save_failed(
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
) -> None:
    csv = tmp_path / "one.csv"
    csv.write_text("student_id,first_name,last_name\nN1,Nia,Lee\n")
    before = demo_path.read_bytes()
    with failing(monkeypatch, "write", code):  # writing the temporary file
        assert main(["--db", str(demo_path), "import", str(csv)]) == 2
    err = capsys.readouterr().err
    assert REASONS[code] in err and "Traceback" not in err
    assert demo_path.read_bytes() == before


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_an_export_to_a_full_or_read_only_folder_is_refused_with_a_message(
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
) -> None:
    target = tmp_path / "out" / "term.csv"
    target.parent.mkdir()

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert main(["--db", str(demo_path), "export", str(target)]) == 2
    err = capsys.readouterr().err
    assert REASONS[code] in err and "unexpected" not in err
    with pytest.raises(WriteFailed, match=REASONS[code]):
        write_new_file(target, "x", overwrite=False)
    assert list(target.parent.iterdir()) == []


async def test_the_app_says_a_save_failed_and_keeps_working(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(demo_path, clock=fixed_clock)
    before = demo_path.read_bytes()
    app = create_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        with failing(monkeypatch, "write", errno.ENOSPC):
            await pilot.press("p")
            await settle(pilot)
        errors = [str(n.message) for n in notices(app) if n.severity == "error"]
        assert any("disk is full" in m and "Nothing was changed" in m for m in errors), errors
        assert demo_path.read_bytes() == before
        assert isinstance(app.screen, ProgressScreen)

        # An export into a read-only folder: said, not silently dropped.
        def refuse(*args: object, **kwargs: object) -> None:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
        await pilot.press("x")
        assert isinstance(app.screen, ExportScreen)
        await type_text(pilot, str(tmp_path / "term.csv"))
        await pilot.press("enter")
        await settle(pilot)
        errors = [str(n.message) for n in notices(app) if n.severity == "error"]
        assert any("read-only" in m for m in errors), errors
        monkeypatch.undo()

        await pilot.press("p")  # the same key, once the disk has room again
        await settle(pilot)
        assert demo_path.read_bytes() != before
        assert isinstance(app.screen, ProgressScreen)
