"""The store file on disk: a TinyDB storage that never leaves a broken file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import orjson
from filelock import FileLock, Timeout
from tinydb.storages import Storage

from .core.errors import CptError

SCHEMA_VERSION = 2
"""2: attempts gain kind and diagnostics, students state_id and grad_year, with defaults
(a version-1 store reads as it is and is upgraded, after a backup, on its first write)."""
META = "_meta"
COUNTED = ("students", "attempts")
"""Tables whose record counts are kept in the meta table and checked on every read."""
BACKUPS_KEPT = 10
BACKUP_EVERY_SECONDS = 600


class StoreError(CptError):
    """A refused store operation, with a message for the instructor (exit code 2)."""


class StoreUnreadable(StoreError):
    """The store file exists but is not a readable store; it is never overwritten."""


class StoreTooNew(StoreUnreadable):
    """Written by a newer cpt-tui; it is never rewritten by this one."""


class WriteFailed(StoreError):
    """The change could not be saved; the store is as it was."""


Identity = tuple[int, int, int]
"""(inode, mtime ns, size): changes whenever any process replaces the store."""


def identity(path: Path) -> Identity | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def backups_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def newest_backup(path: Path) -> Path | None:
    found = sorted(backups_dir(path).glob("*.json")) if backups_dir(path).is_dir() else []
    return found[-1] if found else None


BACKUP_STAMP = "%Y%m%d-%H%M%S-%f"


def _taken_at(backup: Path) -> datetime:
    try:
        return datetime.strptime("-".join(backup.stem.rsplit("-", 3)[-3:]), BACKUP_STAMP)
    except ValueError:
        return datetime.min


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full" + (
            " (your quota is used up)" if exc.errno == errno.EDQUOT else ""
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder is read-only or not yours to write"
    return exc.strerror or type(exc).__name__


class AtomicJSONStorage(Storage):
    """TinyDB storage: checked reads, and writes that replace the file whole or not at all.

    A write goes to a temporary file in the same folder, is flushed and fsynced, and is
    renamed over the store, so a crash at any moment leaves the old or the new store. The
    caller holds `lock()` across read-modify-write; TinyDB's own JSONStorage does neither.
    """

    def __init__(self, path: Path, lock_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    # -- permissions ---------------------------------------------------------------

    def file_mode(self) -> int:
        """Owner-only, plus the group's read/write if the store already grants them."""
        try:
            group = self.path.stat().st_mode & 0o060
        except FileNotFoundError:
            group = 0
        return 0o600 | group

    def _group(self) -> int:
        try:
            return self.path.stat().st_gid
        except FileNotFoundError:
            return -1

    def _secure(self, fd: int) -> None:
        os.fchmod(fd, self.file_mode())
        gid = self._group()
        if gid != -1:
            with contextlib.suppress(OSError):  # keep a shared roster's group where allowed
                os.fchown(fd, -1, gid)

    def _follow_store(self, path: Path, mode: int) -> None:
        """Share a file or folder of ours beside the store as the store is shared (or not).

        The lock and the backups folder are made with the store's access at the time; a
        store shared with its group later must share them too, or a colleague could not take
        the lock or keep a backup, and a store made private again takes them back.
        """
        with contextlib.suppress(OSError):
            st = os.stat(path)
            if st.st_uid != os.geteuid():
                return
            gid = self._group()
            if gid not in (-1, st.st_gid):
                os.chown(path, -1, gid)
            if stat.S_IMODE(st.st_mode) != mode:
                os.chmod(path, mode)

    def ensure_folder(self) -> None:
        if not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)

    # -- lock ----------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """The inter-process lock; fcntl-based, so a killed holder releases it at once."""
        try:
            self.ensure_folder()
            lock = FileLock(
                str(self.path) + ".lock",
                timeout=self.lock_timeout,
                mode=self.file_mode(),
                thread_local=False,
            )
            lock.acquire()
            self._follow_store(Path(lock.lock_file), self.file_mode())
        except Timeout:
            raise WriteFailed(
                f"another cpt-tui has held the store's lock for over {self.lock_timeout:g} s; "
                "nothing was changed, try again in a moment"
            ) from None
        except OSError as exc:
            raise WriteFailed(
                f"cannot lock the store in {self.path.parent}: {_reason(exc)}; nothing was changed"
            ) from None
        try:
            yield
        finally:
            lock.release()

    # -- read ----------------------------------------------------------------------

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The checked contents, or None for a store not yet created."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreUnreadable(f"cannot read {self.path}: {_reason(exc)}") from None
        return self.check(raw)

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
        payload = dumps_in_slices(data)
        self.ensure_folder()
        self._clean_temporaries()
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(
                dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
            )
            with os.fdopen(fd, "wb") as handle:
                self._secure(handle.fileno())
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            self._backup(always=upgrading)
            os.replace(tmp, self.path)
            tmp = None
        except OSError as exc:
            raise WriteFailed(
                f"could not save to {self.path}: {_reason(exc)}. Nothing was changed."
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

    def _backup(self, *, always: bool = False) -> None:
        """Keep the store as it was, at most every ten minutes (`always`: before an upgrade of
        its schema), as a hard link (no copy)."""
        if not self.path.exists():
            return
        folder = backups_dir(self.path)
        shared = bool(self.file_mode() & 0o060)
        if folder.is_dir():
            self._follow_store(folder, 0o770 if shared else 0o700)
        newest = newest_backup(self.path)
        now = datetime.now()
        recent = newest and (now - _taken_at(newest)).total_seconds() < BACKUP_EVERY_SECONDS
        if recent and not always:
            return
        if not folder.is_dir():
            folder.mkdir(mode=0o700, exist_ok=True)  # private from the start, whatever the umask
            if shared:
                self._follow_store(folder, 0o770)
        target = folder / f"{self.path.stem}-{now:{BACKUP_STAMP}}.json"
        try:
            os.link(self.path, target)
        except OSError:  # no hard links here (or not ours to link): a private copy
            self._copy_to(target)
        for old in sorted(folder.glob("*.json"))[:-BACKUPS_KEPT]:
            with contextlib.suppress(OSError):
                old.unlink()

    def _copy_to(self, target: Path) -> None:
        """Copy the store: readable by no one else from its first byte, never left half made."""
        raw = self.path.read_bytes()
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                self._secure(handle.fileno())
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise

    def close(self) -> None:
        """Nothing is held open between calls."""


def is_symlink(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


SLICE_RECORDS = 1000
"""Records serialised per call when a store is written (see `dumps_in_slices`)."""


def dumps_in_slices(data: dict[str, Any], size: int = SLICE_RECORDS) -> bytes:
    """`orjson.dumps(data)`, byte for byte, made `size` records of a table at a time.

    orjson keeps the interpreter to itself for the whole of one call: the app writes the
    store from a worker thread, and one call over 10,000 students' records kept the UI from
    drawing or reading a key for 10-20 ms (60-100 ms at 50,000). Between two slices the
    UI thread gets its turn.
    """
    parts = [b"{"]
    for number, (name, table) in enumerate(data.items()):
        parts.append(b"," if number else b"")
        parts.append(orjson.dumps(name) + b":")
        if not isinstance(table, dict) or len(table) <= size:
            parts.append(orjson.dumps(table))
            continue
        records = list(table.items())
        parts.append(b"{")
        for start in range(0, len(records), size):
            chunk = orjson.dumps(dict(records[start : start + size]))
            parts.append((b"," if start else b"") + chunk[1:-1])
        parts.append(b"}")
    parts.append(b"}")
    return b"".join(parts)


def write_new_file(path: Path, text: str, *, overwrite: bool, mode: int = 0o600) -> None:
    """Write an export: never through a symbolic link, never over a file unless asked.

    FileExistsError when the file is there and `overwrite` is false; StoreError for a link.
    """
    if is_symlink(path):
        raise StoreError(f"{path} is a symbolic link; cpt-tui will not write through it")
    if path.exists() and not overwrite:
        raise FileExistsError(path)
    payload = text.encode("utf-8")
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the name was taken meanwhile: never clobbers
            os.unlink(tmp)
        tmp = ""
    except FileExistsError:
        raise
    except OSError as exc:
        raise WriteFailed(f"could not write {path}: {_reason(exc)}") from None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
