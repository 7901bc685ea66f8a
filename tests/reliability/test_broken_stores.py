"""A store that cannot be read is refused by every command, named with its backup, untouched."""

from __future__ import annotations

import random
import re
import shutil
from collections import Counter
from pathlib import Path

import orjson
import pytest

from cpt_tui.backups import newest_backup
from cpt_tui.cli import main
from cpt_tui.core.models import StudentForm
from cpt_tui.storage import SCHEMA_VERSION
from cpt_tui.store import Store

from ..conftest import fixed_clock
from .conftest import cli, record

TRUNCATIONS = 100
NAMES = ("Martinez", "Johnson", "Ava", "Reed")
"""Student names in the demo roster: never in a refusal."""


@pytest.fixture
def backup(demo_path: Path) -> Path:
    """One change made, so the store as it was before it is kept as the newest backup."""
    good = demo_path.read_bytes()
    Store(demo_path, clock=fixed_clock).save_student(
        StudentForm(student_id="T900", first_name="Tess", last_name="After")
    )
    found = newest_backup(demo_path)
    assert found is not None and found.read_bytes() == good
    return found


def refused_in_process(
    capsys: pytest.CaptureFixture[str],
    path: Path,
    backup: Path,
    *command: str,
    tally: Counter[str] | None = None,
) -> str:
    """Run the command line's entry point; it must exit 2 naming the backup, file untouched.
    `tally` counts the commands run, those that exited 2 and those that changed the file."""
    raw = path.read_bytes()
    code = main(["--db", str(path), *command])
    out, err = capsys.readouterr()
    if tally is not None:
        tally["commands"] += 1
        tally["exit_2"] += code == 2
        tally["changed"] += path.read_bytes() != raw
    assert code == 2, (command, err)
    assert f"The newest backup is {backup}" in err, err
    assert "Traceback" not in err and not any(name in err for name in NAMES)
    assert path.read_bytes() == raw
    return err


def damaged(good: bytes) -> dict[str, bytes]:
    """Every kind of broken store but truncation: name -> bytes."""
    meta = {"1": {"schema_version": SCHEMA_VERSION, "counts": {"students": 0, "attempts": 0}}}
    data = orjson.loads(good)
    student = next(iter(data["students"].values()))
    one = {"1": {"schema_version": SCHEMA_VERSION, "counts": {"students": 1, "attempts": 0}}}
    newer = orjson.loads(good)
    newer["_meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    kinds = {
        "0 bytes": b"",
        "whitespace": b" \n\t\n",
        "random bytes": random.Random(6).randbytes(4096),
        "random bytes after a brace": b"{" + random.Random(7).randbytes(4096),
        "NUL bytes": b"\x00" * 1000,
        "the store in UTF-16": good.decode().encode("utf-16"),
        "a newer schema": orjson.dumps(newer),
        "a number": b"42",
        "a string": b'"roster"',
        "null": b"null",
        "a list": b"[1, 2, 3]",
        "an empty object": b"{}",
        "a TinyDB file that is not ours": b'{"_default": {"1": {"name": "x"}}}',
        "tables but no meta": b'{"students": {}, "attempts": {}}',
        "meta is a list": b'{"_meta": [], "students": {}}',
        "meta without a version": b'{"_meta": {"1": {}}}',
        "version as text": b'{"_meta": {"1": {"schema_version": "1"}}}',
        "version as a float": b'{"_meta": {"1": {"schema_version": 1.0}}}',
        "counts that do not add up": orjson.dumps({"_meta": one, "students": {}}),
        "students as a list": orjson.dumps({"_meta": meta, "students": []}),
        "a student that is not a record": orjson.dumps({"_meta": one, "students": {"1": 7}}),
        "a student with a bad ID": orjson.dumps(
            {"_meta": one, "students": {"1": student | {"student_id": "no spaces!"}}}
        ),
        "a record under a key that is not a number": orjson.dumps(
            {"_meta": one, "students": {"x": student}}
        ),
        "fees as a list": orjson.dumps({"_meta": meta, "fees": []}),
        "fees holding text": orjson.dumps({"_meta": meta, "fees": {"1": "free"}}),
        "audit as text": orjson.dumps({"_meta": meta, "audit": "none"}),
        "audit holding a list": orjson.dumps({"_meta": meta, "audit": {"1": [1]}}),
        "a change count that is not a number": orjson.dumps(
            {"_meta": {"1": meta["1"] | {"changes": "many"}}}
        ),
    }
    return kinds


def test_truncation_at_100_points_is_refused_by_every_command(
    demo_path: Path, backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = demo_path.read_bytes()
    rng = random.Random(100)
    step = len(good) / (TRUNCATIONS + 1)
    points = sorted({int(step * (i + rng.random())) + 1 for i in range(TRUNCATIONS)})
    assert len(points) == TRUNCATIONS and points[-1] < len(good)
    tally: Counter[str] = Counter()
    for n, point in enumerate(points):
        demo_path.write_bytes(good[:point])
        err = refused_in_process(capsys, demo_path, backup, "report", tally=tally)
        assert "cannot be read" in err
        if n % 10 == 0:  # the writing commands and the others refuse it too
            refused_in_process(capsys, demo_path, backup, "log", tally=tally)
            refused_in_process(capsys, demo_path, backup, "export", "-", tally=tally)
            csv = demo_path.with_name("one.csv")
            csv.write_text("student_id,first_name,last_name\nN1,Nia,Lee\n")
            refused_in_process(capsys, demo_path, backup, "import", str(csv), tally=tally)
    record(
        "truncation (test_broken_stores.py::"
        "test_truncation_at_100_points_is_refused_by_every_command)",
        points=len(points),
        commands=tally["commands"],
        refused_exit_2=tally["exit_2"],
        stores_changed=tally["changed"],
    )


def test_every_other_kind_of_damage_is_refused_by_every_command(
    demo_path: Path, backup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kinds = damaged(demo_path.read_bytes())
    csv = demo_path.with_name("one.csv")
    csv.write_text("student_id,first_name,last_name\nN1,Nia,Lee\n")
    failures = []
    tally: Counter[str] = Counter()
    commands = (["report"], ["log"], ["export", "-"], ["import", str(csv)])
    for kind, raw in kinds.items():
        demo_path.write_bytes(raw)
        for command in commands:
            try:
                refused_in_process(capsys, demo_path, backup, *command, tally=tally)
            except AssertionError as exc:
                failures.append(f"{kind}, {command[0]}: {str(exc).splitlines()[0]}")
    record(
        "other damage (test_broken_stores.py::"
        "test_every_other_kind_of_damage_is_refused_by_every_command)",
        kinds=len(kinds),
        commands_each=len(commands),
        refused_exit_2=tally["exit_2"],
        stores_changed=tally["changed"],
    )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "kind", ["0 bytes", "random bytes", "a TinyDB file that is not ours", "a newer schema"]
)
def test_the_real_command_exits_2_with_the_backup_and_no_traceback(
    demo_path: Path, backup: Path, kind: str
) -> None:
    raw = damaged(demo_path.read_bytes())[kind]
    demo_path.write_bytes(raw)
    for command in (["report"], []):  # [] opens the app: refused before the screen is taken
        done = cli("--db", demo_path, *command, timeout=60)
        assert done.returncode == 2, (kind, command, done.stderr)
        assert f"The newest backup is {backup}" in done.stderr
        assert "Traceback" not in done.stderr
        assert demo_path.read_bytes() == raw


def test_a_truncated_store_is_refused_by_the_real_command(demo_path: Path, backup: Path) -> None:
    raw = demo_path.read_bytes()[: len(demo_path.read_bytes()) // 2]
    demo_path.write_bytes(raw)
    done = cli("--db", demo_path, "report", timeout=60)
    assert done.returncode == 2 and "not complete JSON" in done.stderr
    assert f"The newest backup is {backup}" in done.stderr
    assert demo_path.read_bytes() == raw


def test_a_newer_schema_is_never_rewritten(demo_path: Path, backup: Path) -> None:
    raw = damaged(demo_path.read_bytes())["a newer schema"]
    demo_path.write_bytes(raw)
    store = Store(demo_path, clock=fixed_clock)
    with pytest.raises(Exception, match="newer cpt-tui"):
        store.toggle_supplement("S1002", "green")
    assert demo_path.read_bytes() == raw


def test_a_restore_from_the_newest_backup_works(demo_path: Path, backup: Path) -> None:
    """As the README says: copy the backup the message names over the store."""
    before = Store(backup, clock=fixed_clock).roster
    assert "T900" not in before.by_id
    demo_path.write_bytes(demo_path.read_bytes()[:1234])  # damaged
    done = cli("--db", demo_path, "report", timeout=60)
    assert done.returncode == 2
    named = re.search(r"The newest backup is (\S+)\.", done.stderr)
    assert named is not None, done.stderr
    backup_bytes = Path(named.group(1)).read_bytes()

    shutil.copyfile(named.group(1), demo_path)  # cp BACKUP STORE

    assert cli("--db", demo_path, "report", timeout=60).returncode == 0
    restored = Store(demo_path, clock=fixed_clock)
    assert restored.roster.students == before.students
    assert restored.roster.attempts == before.attempts
    restored.toggle_supplement("S1002", "green")  # and it takes changes again
    assert Path(named.group(1)).read_bytes() == backup_bytes  # the backup is not changed
    assert demo_path.stat().st_mode & 0o777 == 0o600


def test_without_a_backup_the_refusal_says_so(demo_path: Path) -> None:
    demo_path.write_bytes(b"")
    done = cli("--db", demo_path, "report", timeout=60)
    assert done.returncode == 2 and "the file is empty" in done.stderr
    assert "There is no backup yet" in done.stderr
    assert demo_path.read_bytes() == b""
