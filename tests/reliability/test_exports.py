"""Exports: formulas neutralised, no writing through a planted link, private, never clobbered."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cpt_tui.files as files
from cpt_tui.cli import main
from cpt_tui.core.csvio import FORMULA_STARTS, neutralise, unneutralise, write_csv
from cpt_tui.core.models import StudentForm
from cpt_tui.storage import StoreError, write_new_file
from cpt_tui.store import Store

from ..conftest import fixed_clock
from .conftest import cli, record
from .test_hostile_input import SETTINGS

STARTS = ["=", "+", "-", "@", "\t", "\r", "\n"]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


@settings(SETTINGS, max_examples=300)
@given(cells=st.lists(st.tuples(st.sampled_from(STARTS + [""]), st.text(max_size=15)), max_size=8))
def test_every_cell_starting_with_a_formula_character_is_neutralised(
    cells: list[tuple[str, str]],
) -> None:
    """Any text, including tab, CR and LF starts (which no stored field can hold)."""
    texts = [start + rest for start, rest in cells]
    written = write_csv([[neutralise(t) for t in texts]], bom=False)
    (row,) = read_csv(written) or [[]]
    assert len(row) == len(texts) or not texts
    for text, cell in zip(texts, row, strict=False):
        assert not cell.startswith(FORMULA_STARTS), cell
        if text.startswith(FORMULA_STARTS):
            assert cell == "'" + text
        assert unneutralise(cell) == text or text.startswith("'")


formula_names = st.tuples(
    st.sampled_from(["=", "+", "-", "@"]),
    st.from_regex(r"[A-Za-z0-9(),.!|' ]{1,20}", fullmatch=True),
).map("".join)


@settings(SETTINGS, max_examples=100)
@given(names=st.lists(formula_names, min_size=3, max_size=3))
def test_a_round_trip_through_the_export_keeps_formulas_inert(
    tmp_path_factory: pytest.TempPathFactory, names: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("round")
    store = Store(folder / "roster.json", clock=fixed_clock)
    first, last, section = (n.strip()[:40] for n in names)
    store.save_student(
        StudentForm(student_id="F1", first_name=first, last_name=last, section=section)
    )
    store.record_attempt("F1", "safety", fixed_clock().date(), correct=70)
    target = folder / "out.csv"
    assert main(["--db", str(store.path), "export", str(target)]) == 0
    rows = read_csv(target.read_text(encoding="utf-8"))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    again = Store(folder / "again.json", clock=fixed_clock)
    assert again.import_roster(target.read_bytes()).ok
    copy = again.roster.by_id["F1"]
    assert (copy.first_name, copy.last_name, copy.section) == (first, last, section)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file elsewhere that an attacker wants cpt-tui to overwrite through a link."""
    target = tmp_path / "elsewhere" / "victim.txt"
    target.parent.mkdir()
    target.write_text("not yours")
    return target


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("dangling", [False, True])
def test_a_planted_symbolic_link_is_never_followed_by_the_command_line(
    demo_path: Path, tmp_path: Path, victim: Path, force: bool, dangling: bool
) -> None:
    target = victim.with_name("new.txt") if dangling else victim
    link = tmp_path / "term.csv"
    link.symlink_to(target)
    done = cli("--db", demo_path, "export", link, *(["--force"] if force else []))
    assert done.returncode == 2, done.stderr
    assert "symbolic link" in done.stderr and "Traceback" not in done.stderr
    assert link.is_symlink()
    if dangling:
        assert not target.exists()
    else:
        assert victim.read_text() == "not yours"


@pytest.mark.parametrize("overwrite", [False, True])
def test_write_new_file_never_follows_a_link_even_one_planted_after_the_check(
    tmp_path: Path, victim: Path, monkeypatch: pytest.MonkeyPatch, overwrite: bool
) -> None:
    link = tmp_path / "term.csv"
    link.symlink_to(victim)
    with pytest.raises(StoreError, match="symbolic link"):
        write_new_file(link, "a,b\r\n", overwrite=overwrite)
    assert victim.read_text() == "not yours"

    # The link appears between the check and the write (a race): still not followed.
    monkeypatch.setattr(files, "is_symlink", lambda path: False)
    if overwrite:
        write_new_file(link, "a,b\r\n", overwrite=True)
        assert not link.is_symlink() and link.read_bytes() == b"a,b\r\n"  # link replaced
    else:
        with pytest.raises(FileExistsError):
            write_new_file(link, "a,b\r\n", overwrite=False)
        assert link.is_symlink()
    assert victim.read_text() == "not yours"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_exports_are_private_even_with_umask_022(demo_path: Path, tmp_path: Path) -> None:
    def umask() -> None:
        os.umask(0o022)

    roster, attempts, older = tmp_path / "r.csv", tmp_path / "a.csv", tmp_path / "older.csv"
    older.write_text("an old export")
    older.chmod(0o644)
    runs = [
        cli("--db", demo_path, "export", roster, preexec_fn=umask),
        cli("--db", demo_path, "export", "--attempts", attempts, preexec_fn=umask),
        cli("--db", demo_path, "export", "--force", older, preexec_fn=umask),
    ]
    assert [run.returncode for run in runs] == [0, 0, 0], [run.stderr for run in runs]
    modes = {p.name: p.stat().st_mode & 0o777 for p in (roster, attempts, older)}
    assert set(modes.values()) == {0o600}, modes
    record(
        "export modes (test_exports.py::test_exports_are_private_even_with_umask_022)",
        umask="022",
        **{name: oct(mode) for name, mode in modes.items()},
    )


def test_an_existing_file_is_not_overwritten_without_force(demo_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "term.csv"
    target.write_text("last term's export")
    done = cli("--db", demo_path, "export", target)
    assert done.returncode == 2 and "use --force" in done.stderr
    assert target.read_text() == "last term's export"
    with pytest.raises(FileExistsError):
        write_new_file(target, "x", overwrite=False)
    assert target.read_text() == "last term's export"
    done = cli("--db", demo_path, "export", "--force", target)
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8-sig").startswith("student_id,")
