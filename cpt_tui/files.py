"""Files that are not the store: a CSV read to import (a regular file, of a bounded
size), an export written (never through a link, never over a file unless asked), folders
made private, and why a write failed in the instructor's words."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from .errors import FileRefused, StoreError, WriteFailed

MB = 1 << 20
CSV_LIMIT = 32 * MB
"""The largest file read as a CSV to import: the roster export of 50,000 students at full
width (about 400 bytes a row) or ten attempts each (about 50 bytes a row), with room."""
STORE_LIMIT = 256 * MB
"""The largest file read as a store. A student takes about 1.5 KB of store with a few
attempts and their audit entries; 50,000 students (a district's largest roster, see the
README) with years of changes fit several times over."""


def _size(size: int) -> str:
    if size >= 1 << 30:
        return f"{size / (1 << 30):,.1f} GB"
    if size >= MB:
        return f"{size / MB:,.1f} MB"
    return f"{size:,} bytes"


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def read_regular_file(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes.

    Decided on the open file (a link is followed once, to what it names), before anything
    is read: a pipe, a device such as /dev/zero, a folder or a file larger than `limit`
    raises FileRefused naming its size and the limit; FileNotFoundError and other OSErrors
    pass through. Never blocks on a pipe.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = _KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
            raise FileRefused(
                f"{path} is {kind}, not a file; cpt-tui reads only a regular file as {what}"
            )
        if st.st_size > limit:
            raise FileRefused(_too_large(path, st.st_size, limit, what))
        chunks, size = [], 0
        while chunk := os.read(fd, min(limit + 1 - size, 1 << 24) or 1):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while read
                raise FileRefused(_too_large(path, size, limit, what))
        return b"".join(chunks)
    finally:
        os.close(fd)


def _too_large(path: Path, size: int, limit: int, what: str) -> str:
    return (
        f"{path} is {_size(size)}, more than {what} can be (at most {_size(limit)}); "
        "nothing was read"
    )


def read_csv_file(path: Path) -> bytes:
    """A CSV to import: a regular file of at most CSV_LIMIT bytes (FileRefused otherwise)."""
    return read_regular_file(path, CSV_LIMIT, "a CSV to import")


def make_private_folders(folder: Path) -> None:
    """Create `folder` and any missing parent, each owner-only (0700) whatever the umask."""
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue
        os.chmod(path, 0o700)  # a umask can only take bits away; this one is exact


def reason(exc: OSError) -> str:
    """Why a write failed, in the instructor's words (disk full, read-only folder)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full" + (
            " (your quota is used up)" if exc.errno == errno.EDQUOT else ""
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder is read-only or not yours to write"
    return exc.strerror or type(exc).__name__


def is_symlink(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def share(fd: int, mode: int, group: int) -> None:
    """Give an open file `mode`; with group bits in it, the store's `group` too, or no group
    access at all where that group cannot be given (never the writer's own group)."""
    if mode & 0o070:
        try:
            if group == -1:
                raise PermissionError(errno.EPERM, "no group to share with")
            if os.fstat(fd).st_gid != group:
                os.fchown(fd, -1, group)
        except OSError:
            mode &= ~0o077
    os.fchmod(fd, mode & 0o7770)


def follow_store(fd: int, mode: int, group: int) -> None:
    """Share an open file or folder of ours beside the store as the store is shared (`mode`,
    and its `group`), or not; never through a link, and never one of another user's.

    The lock and the backups folder are made with the store's access at the time; a store
    shared with its group later must share them too, or a colleague could not take the
    lock or keep a backup, and a store made private again takes them back.
    """
    with contextlib.suppress(OSError):
        st = os.fstat(fd)
        if st.st_uid != os.geteuid():
            return
        if group not in (-1, st.st_gid):
            os.fchown(fd, -1, group)
        if stat.S_IMODE(st.st_mode) != mode:
            os.fchmod(fd, mode)


def write_durably(fd: int, data: bytes, mode: int, group: int) -> None:
    """Fill a file just made (its descriptor, which is closed after): shared as `share`
    says before its first byte, and on the disk before this returns."""
    with os.fdopen(fd, "wb") as handle:
        share(handle.fileno(), mode, group)
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_new_file(
    path: Path, text: str, *, overwrite: bool, mode: int = 0o600, group: int = -1
) -> None:
    """Write an export: never through a symbolic link, never over a file unless asked.

    Readable by its owner only unless `mode` grants the group access, which is given only
    with `group` (the store's group): an export of a shared store goes to the same people.
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
        write_durably(fd, payload, mode, group)
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the name was taken meanwhile: never clobbers
            os.unlink(tmp)
        tmp = ""
    except FileExistsError:
        raise
    except OSError as exc:
        raise WriteFailed(f"could not write {path}: {reason(exc)}") from None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
