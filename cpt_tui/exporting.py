"""Export from the app: ask where, confirm a replace, write the CSV in a worker."""

from __future__ import annotations

from pathlib import Path

from .core.csvio import attempts_rows, default_export_name, roster_rows, write_csv
from .messages import Saved
from .screens.csv_dialogs import ExportScreen
from .screens.dialogs import ConfirmScreen
from .sync import StoreSyncApp


class Exported(Saved[None]):
    """A CSV written at `path`, holding `what` (`24 students`)."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__()
        self.path, self.what = path, what

    def notice(self) -> str:
        return f"Exported {self.what} to {self.path.resolve()}"


class ExportingApp(StoreSyncApp):
    """An app whose `x` writes the roster (or its attempts) to a CSV file."""

    def action_export(self) -> None:
        self.push_screen(ExportScreen(default_export_name(today=self.store.today())), self._export)

    def _export(self, choice: tuple[Path, bool] | None, overwrite: bool = False) -> None:
        if choice is None:
            return
        path, attempts = choice
        if path.exists() and not overwrite:
            self.push_screen(
                ConfirmScreen(f"{path} exists. Replace it?", yes="Replace"),
                lambda ok: self._export(choice, overwrite=True) if ok else None,
            )
            return
        roster = self.roster  # what the screens show
        rows = attempts_rows(roster) if attempts else roster_rows(roster)
        count = len(roster.attempts) if attempts else len(roster.students)
        what = "attempts" if attempts else "students"
        self.write_export(path, write_csv(rows), overwrite, f"{count} {what}")

    def write_export(self, path: Path, text: str, overwrite: bool, what: str) -> None:
        """Write a CSV (owner-only, or the shared store's group) in a worker; `what` it
        holds is named in the notice (`24 students`)."""
        self.change(
            lambda: self.store.write_export(path, text, overwrite=overwrite),
            Exported(path, what),
            asker=None,
        )
