"""FERPA: no student data in error output, no file readable by other users, group kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cpt_tui.app import create_app
from cpt_tui.backups import backups_dir
from cpt_tui.core.models import StudentForm
from cpt_tui.store import Store

from ..conftest import fixed_clock, settle, type_text
from .conftest import ROOT, cli, other_bits, record

ROSTER = (
    "student_id,first_name,last_name,email\n"
    "P0001,Priya,Quintanilla,priya.q@school.edu\n"
    "P0002,Marcus,Oyelaran,marcus.o@school.edu\n"
)
SECRETS = ("Priya", "Quintanilla", "priya.q@school.edu", "Oyelaran", "P0001", "P0002")


def set_umask_022() -> None:
    os.umask(0o022)


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


BOOM = """
import sys
import cpt_tui.report as report

def boom(roster, *args, **kwargs):
    names = [f"{s.student_id} {s.full_name} {s.email}" for s in roster.students]
    raise {kind}("; ".join(names))

report.print_report = boom
from cpt_tui.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("kind", ["RuntimeError", "KeyError", "ValueError"])
def test_an_unexpected_error_names_only_its_kind(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "roster.json"
    csv = tmp_path / "roster.csv"
    csv.write_text(ROSTER)
    assert cli("--db", path, "import", csv).returncode == 0
    done = subprocess.run(
        [sys.executable, "-c", BOOM.replace("{kind}", kind), "--db", str(path), "report"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert f"unexpected error ({kind})" in done.stderr
    assert "Traceback" not in done.stderr
    assert leaks(done.stderr + done.stdout) == []


def test_refusals_name_lines_and_fields_not_other_students(tmp_path: Path) -> None:
    """A refused import, a bad form, an out-of-date save: no other student's data."""
    path = tmp_path / "roster.json"
    csv = tmp_path / "roster.csv"
    csv.write_text(ROSTER)
    assert cli("--db", path, "import", csv).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("student_id,module,date,correct\nX9,safety,2026-11-01,999\n")
    done = cli("--db", path, "import", "--attempts", bad)
    assert done.returncode == 2 and "line 2" in done.stderr
    assert leaks(done.stderr) == []
    path.write_bytes(path.read_bytes()[:100])  # damaged
    for command in (["report"], ["log"], ["export", "-"], []):
        done = cli("--db", path, *command)
        assert done.returncode == 2 and leaks(done.stderr + done.stdout) == [], command


APP_CRASH = """
import sys
import cpt_tui.core.labels as labels
from cpt_tui.app import create_app
from cpt_tui.store import Store

def cell(standing):
    student = standing  # an unexpected error with student records in the frame's locals
    raise RuntimeError("grid failed")

labels.cell = cell
app = create_app(Store(sys.argv[1]))
app.call_later(app.switch_mode, "progress")
app.run(headless=True)
sys.exit(app.return_code or 0)
"""


def test_an_app_crash_prints_no_student_data(tmp_path: Path) -> None:
    path = tmp_path / "roster.json"
    csv = tmp_path / "roster.csv"
    csv.write_text(ROSTER)
    assert cli("--db", path, "import", csv).returncode == 0
    done = subprocess.run(
        [sys.executable, "-c", APP_CRASH, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "RuntimeError" in done.stderr + done.stdout, done.stderr[-2000:]
    assert leaks(done.stderr + done.stdout) == []


async def test_no_file_the_app_makes_is_readable_by_others(tmp_path: Path) -> None:
    """Under umask 022 (new files 644 by default): store, its folder, lock, backups, exports,
    made by the command line and by the app."""
    home = Path(os.environ["HOME"])
    folder = tmp_path / "data" / "cpt-tui"
    path = folder / "roster.json"
    csv = tmp_path / "roster.csv"
    csv.write_text(ROSTER)
    again = tmp_path / "again.csv"
    again.write_text(ROSTER.replace("Marcus", "Mark"))
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o755)
    runs = [
        cli("--db", path, "import", csv, preexec_fn=set_umask_022),  # creates folder, store, lock
        cli("--db", path, "import", again, preexec_fn=set_umask_022),  # and a backup
        cli("--db", path, "export", exports / "cli.csv", preexec_fn=set_umask_022),
        cli("--db", path, "export", "--attempts", exports / "cli-a.csv", preexec_fn=set_umask_022),
    ]
    assert [r.returncode for r in runs] == [0, 0, 0, 0], [r.stderr for r in runs]

    old = os.umask(0o022)
    try:
        app = create_app(Store(path, clock=fixed_clock))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("2", "p")  # a change from the app
            await settle(pilot)
            await pilot.press("x")
            await type_text(pilot, str(exports / "app.csv"))
            await pilot.press("enter")
            await settle(pilot)
    finally:
        os.umask(old)

    made = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    readable = other_bits(folder) + other_bits(exports)
    record(
        "file modes (test_privacy.py::test_no_file_the_app_makes_is_readable_by_others)",
        umask="022",
        files_checked=len(made),
        readable_by_others=len(readable),
    )
    assert (exports / "app.csv").exists() and list(backups_dir(path).glob("*.json")), made
    assert readable == [], made
    assert folder.stat().st_mode & 0o777 == 0o700
    assert backups_dir(path).stat().st_mode & 0o777 == 0o700
    for file in [path, Path(f"{path}.lock"), *backups_dir(path).iterdir(), *exports.iterdir()]:
        assert file.stat().st_mode & 0o777 == 0o600, file
    # And nothing else anywhere (logs, caches) holds a student's name.
    for file in home.rglob("*"):
        if file.is_file():
            assert leaks(file.read_text(errors="replace")) == [], file


def test_a_store_shared_with_its_group_stays_shared(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "roster.json"
    csv = tmp_path / "roster.csv"
    csv.write_text(ROSTER)
    assert cli("--db", path, "import", csv, preexec_fn=set_umask_022).returncode == 0
    path.chmod(0o660)  # the instructors share it, after it was made
    store = Store(path, clock=fixed_clock)
    store.save_student(StudentForm(student_id="G1", first_name="Gia", last_name="Rossi"))
    again = tmp_path / "again.csv"
    again.write_text(ROSTER.replace("Marcus", "Mark"))
    assert cli("--db", path, "import", again, preexec_fn=set_umask_022).returncode == 0
    store.toggle_supplement("G1", "green")
    assert path.stat().st_mode & 0o777 == 0o660
    lock = Path(f"{path}.lock")
    # A colleague in the group must be able to take the lock and make backups.
    assert lock.stat().st_mode & 0o777 == 0o660
    assert backups_dir(path).stat().st_mode & 0o777 == 0o770
    readable = other_bits(path.parent)
    assert readable == []
    shared = [oct(p.stat().st_mode & 0o777) for p in (path, lock, backups_dir(path))]

    path.chmod(0o600)  # and made private again: so are they
    store.toggle_supplement("G1", "green")
    assert lock.stat().st_mode & 0o777 == 0o600
    assert backups_dir(path).stat().st_mode & 0o777 == 0o700
    record(
        "group access (test_privacy.py::test_a_store_shared_with_its_group_stays_shared)",
        store=shared[0],
        lock=shared[1],
        backups_folder=shared[2],
        made_private_again="lock 0o600, backups folder 0o700",
        readable_by_others=len(readable),
    )
