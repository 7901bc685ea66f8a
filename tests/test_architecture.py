"""The doors between the rooms: the import-linter contracts in pyproject.toml hold, and each
one breaks (lint-imports fails, naming it) when a wrong import is added to a copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contracts over the cpt_tui found in `package_parent`."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=package_parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_contracts_hold() -> None:
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


WRONG_IMPORTS = [
    ("core/models.py", "import textual", "core is pure"),
    ("core/standing.py", "import tinydb", "core is pure"),
    ("core/fees.py", "from .. import store", "core is pure"),
    ("store.py", "import textual", "never load Textual"),
    ("screens/roster.py", "from .. import storage", "screens and widgets never import"),
    ("widgets/key_bar.py", "from .. import cli", "screens and widgets never import"),
    ("widgets/marks.py", "from ..screens import base", "widgets never import screens"),
    ("cli.py", "from .storage import write_new_file", "only through the store facade"),
    ("exporting.py", "from . import transaction", "only through the store facade"),
    ("screens/dialogs.py", "from .. import app", "nothing imports the app but the CLI"),
    ("sync.py", "from .app import CptApp", "nothing imports the app but the CLI"),
]


@pytest.mark.parametrize(("module", "line", "contract"), WRONG_IMPORTS)
def test_a_wrong_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    shutil.copytree(
        ROOT / "cpt_tui", tmp_path / "cpt_tui", ignore=shutil.ignore_patterns("__pycache__")
    )
    target = tmp_path / "cpt_tui" / module
    target.write_text(target.read_text() + f"\n{line}  # the wrong door\n")
    run = lint_imports(tmp_path)
    assert run.returncode == 1, run.stdout
    broken = [row for row in run.stdout.splitlines() if row.endswith(" BROKEN")]
    # One wrong door may break more than one contract (core -> textual is also store ->
    # core -> textual); the one named must be among them.
    assert any(contract in row for row in broken), run.stdout


def test_an_import_for_type_checking_only_is_no_door(tmp_path: Path) -> None:
    shutil.copytree(
        ROOT / "cpt_tui", tmp_path / "cpt_tui", ignore=shutil.ignore_patterns("__pycache__")
    )
    target = tmp_path / "cpt_tui" / "widgets" / "marks.py"
    target.write_text(
        target.read_text() + "\nfrom typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n    from ..app import CptApp  # noqa: F401\n"
    )
    run = lint_imports(tmp_path)
    assert run.returncode == 0, run.stdout
