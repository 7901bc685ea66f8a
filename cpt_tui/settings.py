"""What cpt-tui remembers for the user between runs (the theme), in the user config folder."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from .files import make_private_folders


def settings_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("cpt-tui") / "settings.json"


def load() -> dict[str, Any]:
    """The saved settings; {} when there are none or the file cannot be read."""
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(settings_path().read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    return {}


def save(**changes: Any) -> None:
    """Merge `changes` into the settings file (owner-only); a failure is not worth a crash."""
    path = settings_path()
    data = load() | changes
    with contextlib.suppress(OSError):
        make_private_folders(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
