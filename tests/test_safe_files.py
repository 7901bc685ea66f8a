"""Files on a shared server: planted links, foreign files beside the store, permissions under
any umask, and files that are not what they claim to be (pipes, devices, huge files)."""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpt_tui.backups import BACKUPS_KEPT, backups_dir
from cpt_tui.cli import main
from cpt_tui.files import STORE_LIMIT
from cpt_tui.storage import (
    CSV_LIMIT,
    FileRefused,
    StoreUnreadable,
    WriteFailed,
    write_new_file,
)
from cpt_tui.store import Store

from .conftest import fixed_clock


@pytest.fixture(autouse=True)
def _collector_back_on() -> Iterator[None]:
    yield
    gc.enable()  # `main` turns it off for a one-shot command


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (not following links) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def old_backups(folder: Path, stem: str, count: int) -> list[str]:
    names = [f"{stem}-2020{month:02d}01-000000-000000.json" for month in range(1, count + 1)]
    for name in names:
        (folder / name).write_text("{}")
    return names


# -- 4. planted links ---------------------------------------------------------------------


def test_a_backups_folder_that_is_a_link_is_refused_and_its_target_untouched(
    demo_path: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    old_backups(victim, "roster", 12)  # even files named like cpt-tui's own backups
    (victim / "thesis.json").write_text("years of work")
    before = tree(victim)
    backups_dir(demo_path).symlink_to(victim)
    store = Store(demo_path, clock=fixed_clock, user="tester")
    stored = demo_path.read_bytes()
    with pytest.raises(WriteFailed, match="backups.*symbolic link.*nothing was changed"):
        store.toggle_supplement("S1001", "green")
    assert tree(victim) == before
    assert demo_path.read_bytes() == stored
    assert backups_dir(demo_path).is_symlink()


def test_only_cpt_tui_s_own_backups_are_pruned(demo_path: Path) -> None:
    folder = backups_dir(demo_path)
    folder.mkdir(mode=0o700)
    mine = old_backups(folder, "roster", 12)
    foreign = [
        "notes.json",
        "other-20200101-000000-000000.json",
        "roster-final.json",
        "roster-20200101-000000-000000.json.keep",
    ]
    for name in foreign:
        (folder / name).write_text("not cpt-tui's")
    Store(demo_path, clock=fixed_clock, user="tester").toggle_supplement("S1001", "green")
    left = sorted(p.name for p in folder.iterdir())
    for name in foreign:
        assert name in left
    kept = [name for name in left if name not in foreign]
    assert len(kept) == BACKUPS_KEPT
    assert mine[0] not in kept and mine[-1] in kept


def test_a_store_path_that_is_a_link_is_resolved_once_and_stays_a_link(
    demo_path: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    link = home / "roster.json"
    link.symlink_to(demo_path)
    store = Store(link, clock=fixed_clock, user="tester")
    assert store.path == demo_path
    store.toggle_supplement("S1001", "green")
    assert link.is_symlink() and link.resolve() == demo_path
    assert "green" in Store(demo_path).roster.by_id["S1001"].supplements
    assert Path(f"{demo_path}.lock").is_file()
    assert backups_dir(demo_path).is_dir()
    assert sorted(p.name for p in home.iterdir()) == ["roster.json"]  # no lock, no backups
    # The shared roster is one file: a colleague on the real path sees the change.
    assert Store(demo_path).roster.students == Store(link).roster.students


def test_a_store_link_changed_after_the_start_is_not_followed(
    demo_path: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(demo_path)
    store = Store(link, clock=fixed_clock, user="tester")
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("a colleague's file")
    link.unlink()
    link.symlink_to(elsewhere)
    store.toggle_supplement("S1001", "green")
    assert elsewhere.read_text() == "a colleague's file"
    assert "green" in Store(demo_path).roster.by_id["S1001"].supplements


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_untouched(
    demo_path: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "grades.txt"
    victim.write_text("precious")
    Path(f"{demo_path}.lock").symlink_to(victim)
    stored = demo_path.read_bytes()
    with pytest.raises(WriteFailed, match="lock.*symbolic link.*nothing was changed"):
        Store(demo_path, user="tester").toggle_supplement("S1001", "green")
    assert victim.read_text() == "precious"
    assert demo_path.read_bytes() == stored


def test_a_lock_file_that_is_a_link_is_refused_on_the_command_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "grades.txt"
    victim.write_text("precious")
    Path(f"{demo_path}.lock").symlink_to(victim)
    csv = tmp_path / "r.csv"
    csv.write_text("id,first,last\nN1,Nia,Lee\n")
    assert main(["--db", str(demo_path), "import", str(csv)]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert victim.read_text() == "precious"


# -- 5. permissions -------------------------------------------------------------------------

OTHER_GROUP = 4242
"""A group the test account does not have as its own (the tests run as root, who can give
any group; an account that cannot is covered by the next test)."""


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file any group needs root")
def test_an_export_of_a_shared_store_gets_the_store_s_group(
    demo_path: Path, tmp_path: Path
) -> None:
    os.chown(demo_path, -1, OTHER_GROUP)
    demo_path.chmod(0o660)
    out = tmp_path / "out.csv"
    assert main(["--db", str(demo_path), "export", str(out)]) == 0
    assert (out.stat().st_gid, mode(out)) == (OTHER_GROUP, 0o660)
    demo_path.chmod(0o600)
    private = tmp_path / "private.csv"
    assert main(["--db", str(demo_path), "export", str(private)]) == 0
    assert mode(private) == 0o600


def test_an_export_whose_group_cannot_be_given_is_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", refuse)
    out = tmp_path / "out.csv"
    write_new_file(out, "a,b\r\n", overwrite=False, mode=0o660, group=OTHER_GROUP)
    assert mode(out) == 0o600
    unnamed = tmp_path / "unnamed.csv"
    write_new_file(unnamed, "a,b\r\n", overwrite=False, mode=0o660)
    assert mode(unnamed) == 0o600  # no group named: never the writer's own


def test_folders_made_under_umask_000_are_owner_only(tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    csv.write_text("id,first,last\nN1,Nia,Lee\n")
    home = Path(os.environ["HOME"])
    old = os.umask(0)
    try:
        assert main(["import", str(csv)]) == 0  # the default store, in ~/.local/share
        assert main(["--db", str(tmp_path / "a" / "b" / "roster.json"), "import", str(csv)]) == 0
    finally:
        os.umask(old)
    for folder in (
        home / ".local",
        home / ".local" / "share",
        home / ".local" / "share" / "cpt-tui",
        tmp_path / "a",
        tmp_path / "a" / "b",
    ):
        assert mode(folder) == 0o700, folder


def test_the_settings_folder_made_under_umask_000_is_owner_only() -> None:
    from cpt_tui import settings

    old = os.umask(0)
    try:
        settings.save(theme="high-contrast")
    finally:
        os.umask(old)
    config = Path(os.environ["XDG_CONFIG_HOME"])
    assert mode(config) == 0o700 and mode(config / "cpt-tui") == 0o700
    assert mode(config / "cpt-tui" / "settings.json") == 0o600


# -- 6. only regular files, of a size a store or a CSV can have ----------------------------


def test_a_store_that_is_a_device_is_refused_before_it_is_read(tmp_path: Path) -> None:
    link = tmp_path / "roster.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(StoreUnreadable, match="a device, not a file"):
        Store(link).refresh()


def test_a_store_that_is_a_pipe_is_refused_never_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "roster.json"
    os.mkfifo(fifo)
    with pytest.raises(StoreUnreadable, match="a pipe, not a file"):
        Store(fifo).refresh()
    with pytest.raises(StoreUnreadable):
        Store(fifo, user="tester").toggle_supplement("S1001", "green")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_store_too_large_to_be_one_is_refused_with_its_size_and_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "roster.json"
    with huge.open("wb") as handle:
        handle.truncate(2 << 30)  # 2 GB, sparse: nothing is written to the disk
    assert main(["--db", str(huge), "report"]) == 2
    err = capsys.readouterr().err
    assert "2.0 GB" in err and f"{STORE_LIMIT >> 20:.1f} MB" in err
    assert huge.stat().st_size == 2 << 30


def test_a_csv_too_large_to_be_a_roster_is_refused_with_its_size_and_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "district.csv"
    with csv.open("wb") as handle:
        handle.write(b"id,first,last\n")
        handle.truncate(50 << 20)
    db = tmp_path / "roster.json"
    assert main(["--db", str(db), "import", str(csv)]) == 2
    err = capsys.readouterr().err
    assert "50.0 MB" in err and f"{CSV_LIMIT >> 20:.1f} MB" in err
    assert not db.exists()


@pytest.mark.parametrize("kind", ["pipe", "device", "folder"])
def test_a_csv_that_is_not_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "r.csv"
    if kind == "pipe":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    db = tmp_path / "roster.json"
    assert main(["--db", str(db), "import", str(path)]) == 2
    assert f"a {kind}, not a file" in capsys.readouterr().err
    assert not db.exists()


def test_read_csv_refuses_what_grows_past_the_limit(tmp_path: Path) -> None:
    from cpt_tui.storage import read_regular_file

    path = tmp_path / "r.csv"
    path.write_bytes(b"x" * 101)
    assert read_regular_file(path, 101, "a CSV") == b"x" * 101
    with pytest.raises(FileRefused, match="101 bytes, more than a CSV can be .at most 100 bytes"):
        read_regular_file(path, 100, "a CSV")
