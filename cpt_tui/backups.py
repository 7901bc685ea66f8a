"""The store's backups: `<store>.backups/<stem>-<stamp>.json`, the store as it was before a
write, at most every ten minutes, the newest ten kept."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from datetime import datetime
from pathlib import Path

from .errors import WriteFailed
from .files import STORE_LIMIT, follow_store, is_symlink, read_regular_file, write_durably

BACKUPS_KEPT = 10
BACKUP_EVERY_SECONDS = 600
BACKUP_STAMP = "%Y%m%d-%H%M%S-%f"


def backups_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def _backup_name(path: Path) -> re.Pattern[str]:
    """The names cpt-tui gives the backups of `path`: the only files it ever prunes."""
    return re.compile(re.escape(path.stem) + r"-\d{8}-\d{6}-\d{6}\.json")


def _backup_names(path: Path, names: list[str]) -> list[str]:
    mine = _backup_name(path)
    return sorted(name for name in names if mine.fullmatch(name))


def newest_backup(path: Path) -> Path | None:
    """The newest of cpt-tui's backups of the store, or None (and never through a link)."""
    folder = backups_dir(path)
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return None
        found = _backup_names(path, os.listdir(folder))
    except OSError:
        return None
    return folder / found[-1] if found else None


def _taken_at(backup: Path) -> datetime:
    try:
        return datetime.strptime("-".join(backup.stem.rsplit("-", 3)[-3:]), BACKUP_STAMP)
    except ValueError:
        return datetime.min


def keep_backup(store: Path, mode: int, group: int, *, always: bool = False) -> None:
    """Keep the store as it is, at most every ten minutes (`always`: before an upgrade of its
    schema), as a hard link (no copy); `mode` and `group` are the store's sharing (see
    `AtomicJSONStorage.file_mode`). The caller holds the store's lock.

    The backups folder is worked in through an open handle on it, never by its name again:
    a folder planted as a link (or swapped for one meanwhile) is refused, and only files
    named as cpt-tui names its backups are ever pruned.
    """
    if not store.exists():
        return
    folder = backups_dir(store)
    folder_mode = 0o770 if mode & 0o060 else 0o700
    newest = newest_backup(store)
    now = datetime.now()
    recent = newest and (now - _taken_at(newest)).total_seconds() < BACKUP_EVERY_SECONDS
    if recent and not always:
        with contextlib.suppress(OSError):  # shared as the store is, never through a link
            fd = os.open(folder, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
            try:
                follow_store(fd, folder_mode, group)
            finally:
                os.close(fd)
        return
    if not os.path.lexists(folder):
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)  # private from the start, whatever the umask
    try:
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise WriteFailed(
                f"{folder} is {'a symbolic link' if is_symlink(folder) else 'not a folder'}"
                "; cpt-tui keeps its backups only in a folder of its own. Remove it; "
                "nothing was changed"
            ) from None
        raise
    try:
        follow_store(dir_fd, folder_mode, group)
        name = f"{store.stem}-{now:{BACKUP_STAMP}}.json"
        try:
            os.link(store, name, dst_dir_fd=dir_fd)
        except OSError:  # no hard links here (or not ours to link): a private copy
            _copy_to(store, name, dir_fd, mode, group)
        for old in _backup_names(store, os.listdir(dir_fd))[:-BACKUPS_KEPT]:
            with contextlib.suppress(OSError):
                os.unlink(old, dir_fd=dir_fd)
    finally:
        os.close(dir_fd)


def _copy_to(store: Path, name: str, dir_fd: int, mode: int, group: int) -> None:
    """Copy the store: readable by no one else from its first byte, never left half made."""
    raw = read_regular_file(store, STORE_LIMIT, "a store")
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=dir_fd)
    try:
        write_durably(fd, raw, mode, group)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=dir_fd)
        raise
