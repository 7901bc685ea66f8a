"""No private Textual name outside the one compatibility module: every `_name` that Textual
defines and cpt-tui does not is used only in cpt_tui/compat.py (and its test), in the
package, the tests and the bench alike; no `textual._module` is imported elsewhere."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import textual

ROOT = Path(__file__).parent.parent
ALLOWED = {ROOT / "cpt_tui" / "compat.py", ROOT / "tests" / "test_compat.py"}
OURS = [ROOT / "cpt_tui", ROOT / "tests", ROOT / "bench"]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def defined(files: Iterator[Path]) -> set[str]:
    """The `_names` these files define: functions, classes, attributes set, class fields."""
    names: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {name for name in names if _private(name)}


def _of_another_module(node: ast.Attribute, tree: ast.Module) -> bool:
    """`os._exit`: a name of a module that is not Textual's (imported as `import os`)."""
    if not isinstance(node.value, ast.Name):
        return False
    modules = {
        alias.asname or alias.name
        for imported in ast.walk(tree)
        if isinstance(imported, ast.Import)
        for alias in imported.names
        if not alias.name.startswith("textual")
    }
    return node.value.id in modules


def python_files(folders: list[Path]) -> Iterator[Path]:
    for folder in folders:
        yield from folder.rglob("*.py")


def test_no_private_textual_name_outside_compat() -> None:
    textuals = defined(Path(textual.__file__).parent.rglob("*.py"))
    assert {"_driver", "_notifications", "_compositor"} <= textuals  # the scan finds them
    theirs_only = textuals - defined(python_files(OURS))
    found = []
    for path in python_files(OURS):
        if path in ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in theirs_only
                and not _of_another_module(node, tree)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] == "textual" and any(map(_private, parts)):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.module}")
    assert not found, "private Textual names outside cpt_tui/compat.py:\n" + "\n".join(found)
