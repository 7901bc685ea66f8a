"""The core and the non-TUI commands never load Textual (nor does the core load TinyDB)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


def test_the_core_imports_neither_textual_nor_tinydb() -> None:
    loaded = modules_after(
        "import cpt_tui.core.catalog, cpt_tui.core.models, cpt_tui.core.standing, "
        "cpt_tui.core.fees, cpt_tui.core.csvio, cpt_tui.core.roster, cpt_tui.core.labels"
    )
    assert "textual" not in loaded
    assert "tinydb" not in loaded


@pytest.mark.parametrize("command", ["export -", "report", "log", "import {roster} --dry-run"])
def test_commands_other_than_the_tui_never_import_textual(command: str, demo_path: Path) -> None:
    args = command.format(roster=ROOT / "fixtures" / "sample-roster.csv").split()
    loaded = modules_after(
        "import sys, contextlib, io\nfrom cpt_tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['--db', {str(demo_path)!r}, *{args!r}])"
    )
    assert "textual" not in loaded
