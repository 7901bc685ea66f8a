"""The store file on disk: a TinyDB storage that never leaves a broken file behind."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import orjson
from tinydb.storages import Storage

from .backups import keep_backup, newest_backup
from .errors import FileRefused, StoreError, StoreTooNew, StoreUnreadable, WriteFailed
from .files import (
    CSV_LIMIT,
    MB,
    STORE_LIMIT,
    follow_store,
    make_private_folders,
    read_csv_file,
    read_regular_file,
    reason,
    write_durably,
    write_new_file,
)

SCHEMA_VERSION = 2
"""2: attempts gain kind and diagnostics, students state_id and grad_year, with defaults
(a version-1 store reads as it is and is upgraded, after a backup, on its first write)."""
META = "_meta"
COUNTED = ("students", "attempts")
"""Tables whose record counts are kept in the meta table and checked on every read."""
LOCK_POLL_SECONDS = 0.05


Identity = tuple[int, int, int]
"""(inode, mtime ns, size): changes whenever any process replaces the store."""


def identity(path: Path) -> Identity | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class AtomicJSONStorage(Storage):
    """TinyDB storage: checked reads, and writes that replace the file whole or not at all.

    A write goes to a temporary file in the same folder, is flushed and fsynced, and is
    renamed over the store, so a crash at any moment leaves the old or the new store. The
    caller holds `lock()` across read-modify-write; TinyDB's own JSONStorage does neither.
    """

    def __init__(self, path: Path, lock_timeout: float = 10.0) -> None:
        # A store path that is a symbolic link (a shared roster linked into a home folder)
        # is resolved once, now: the lock, the backups and every write are at the real
        # file, the link stays a link, and a link changed later is not followed again.
        self.path = Path(os.path.realpath(path))
        self.lock_timeout = lock_timeout

    # -- permissions ---------------------------------------------------------------

    def file_mode(self) -> int:
        """Owner-only, plus the group's read/write if the store already grants them."""
        try:
            group = self.path.stat().st_mode & 0o060
        except FileNotFoundError:
            group = 0
        return 0o600 | group

    def group(self) -> int:
        """The store's group ID, or -1 when there is no store yet."""
        try:
            return self.path.stat().st_gid
        except FileNotFoundError:
            return -1

    def ensure_folder(self) -> None:
        make_private_folders(self.path.parent)

    # -- lock ----------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """The inter-process lock: flock(2) on `<store>.lock`, released by the system the
        moment its holder dies. The lock file is opened without following a link (a lock
        planted as a link to another file is refused, never truncated nor written)."""
        lock_path = Path(str(self.path) + ".lock")
        try:
            self.ensure_folder()
            fd = os.open(
                lock_path,
                os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                self.file_mode(),
            )
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise WriteFailed(
                    f"{lock_path} is a symbolic link; cpt-tui locks only a file of its own. "
                    "Remove the link; nothing was changed"
                ) from None
            raise WriteFailed(
                f"cannot lock the store in {self.path.parent}: {reason(exc)}; nothing was changed"
            ) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise WriteFailed(
                    f"{lock_path} is not a file; cpt-tui locks only a file of its own. "
                    "Remove it; nothing was changed"
                )
            follow_store(fd, self.file_mode(), self.group())
            self._acquire(fd)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _acquire(self, fd: int) -> None:
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriteFailed(
                        f"another cpt-tui has held the store's lock for over "
                        f"{self.lock_timeout:g} s; nothing was changed, try again in a moment"
                    ) from None
                time.sleep(LOCK_POLL_SECONDS)
            except OSError as exc:
                raise WriteFailed(
                    f"cannot lock the store in {self.path.parent}: {reason(exc)}; "
                    "nothing was changed"
                ) from None

    # -- read ----------------------------------------------------------------------

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The checked contents, or None for a store not yet created."""
        raw = self.read_bytes()
        return None if raw is None else self.check(raw)

    def read_bytes(self) -> bytes | None:
        """The store's bytes, unchecked (see `check`), or None for a store not yet created."""
        try:
            return read_regular_file(self.path, STORE_LIMIT, "a store")
        except FileNotFoundError:
            return None
        except FileRefused as exc:
            self.refuse(str(exc).removeprefix(f"{self.path} "))
        except OSError as exc:
            raise StoreUnreadable(f"cannot read {self.path}: {reason(exc)}") from None

    def check(self, raw: bytes) -> dict[str, dict[str, Any]]:
        """Parse and verify a store's bytes; StoreUnreadable says what is wrong."""
        if not raw.strip():
            self.refuse("the file is empty")
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            self.refuse(f"it is not complete JSON (truncated or damaged: {exc})")
        if not isinstance(data, dict) or not isinstance(data.get(META), dict):
            self.refuse("it is JSON but not a cpt-tui store (no schema version)")
        meta = data[META].get("1")
        version = meta.get("schema_version") if isinstance(meta, dict) else None
        if not isinstance(version, int):
            self.refuse("it is JSON but not a cpt-tui store (no schema version)")
        if version > SCHEMA_VERSION:
            raise StoreTooNew(
                f"{self.path} was written by a newer cpt-tui (schema {version}; this one reads "
                f"up to {SCHEMA_VERSION}). Upgrade cpt-tui; the file was not touched."
                f"{self._backup_note()}"
            )
        for name, table in data.items():
            # TinyDB's shape: every table maps a document number to a record. Anything else
            # would crash a reader or be rewritten by the next change.
            if not isinstance(table, dict) or not all(
                isinstance(key, str) and key.isdigit() and isinstance(doc, dict)
                for key, doc in table.items()
            ):
                self.refuse(f"its {str(name)[:40]!r} table is damaged")
        if not isinstance(meta.get("changes", 0), int):
            self.refuse("its change count is damaged")
        counts = meta.get("counts")
        for table in COUNTED:
            rows = data.get(table, {})
            said = counts.get(table, 0) if isinstance(counts, dict) else None
            if not isinstance(rows, dict) or len(rows) != said:
                held = len(rows) if isinstance(rows, dict) else "no"
                self.refuse(f"it says {said} {table} but holds {held} (damaged)")
        return data

    def refuse(self, what: str) -> NoReturn:
        raise StoreUnreadable(
            f"{self.path} cannot be read: {what}. It was left untouched.{self._backup_note()}"
        )

    def _backup_note(self) -> str:
        backup = newest_backup(self.path)
        return f" The newest backup is {backup}." if backup else " There is no backup yet."

    # -- write ---------------------------------------------------------------------

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace the store atomically with `data`; WriteFailed leaves it byte-identical."""
        meta = data.setdefault(META, {}).setdefault("1", {})
        upgrading = int(meta.get("schema_version", SCHEMA_VERSION)) < SCHEMA_VERSION
        meta["schema_version"] = SCHEMA_VERSION
        meta["counts"] = {table: len(data.get(table, {})) for table in COUNTED}
        meta["changes"] = int(meta.get("changes", 0)) + 1
        payload = orjson.dumps(data)
        self.ensure_folder()
        self._clean_temporaries()
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
            )
            write_durably(fd, payload, self.file_mode(), self.group())
            keep_backup(self.path, self.file_mode(), self.group(), always=upgrading)
            os.replace(tmp, self.path)
            tmp = None
        except OSError as exc:
            raise WriteFailed(
                f"could not save to {self.path}: {reason(exc)}. Nothing was changed."
            ) from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        # The change is in place once renamed: a failure to sync the folder after that must
        # not report "nothing was changed" (the next write syncs it again).
        with contextlib.suppress(OSError):
            self._sync_folder()

    def _sync_folder(self) -> None:
        fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _clean_temporaries(self) -> None:
        """Remove what a writer killed mid-write left (safe: we hold the lock)."""
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def write_export(self, path: Path, text: str, *, overwrite: bool) -> None:
        """Write a file made from this store (an export): shared exactly as the store is
        (its group, read/write), else owner-only. See `write_new_file`."""
        write_new_file(path, text, overwrite=overwrite, mode=self.file_mode(), group=self.group())

    def close(self) -> None:
        """Nothing is held open between calls."""


__all__ = [
    "CSV_LIMIT",
    "MB",
    "read_regular_file",
    "FileRefused",
    "StoreError",
    "StoreTooNew",
    "StoreUnreadable",
    "WriteFailed",
    "read_csv_file",
    "write_new_file",
]
