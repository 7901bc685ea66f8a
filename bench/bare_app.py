"""The floor for a Textual first paint: a bare app showing one known row in a DataTable.

`bare_app.py TEXT [STORE]` draws a table with one row holding TEXT, and waits for `q`.
Given a store, it first reads every record into cpt-tui's pydantic models (bench/models.py):
the floor of a design that checks every record before its first frame.
"""

import sys
from pathlib import Path

if len(sys.argv) > 2:  # before Textual is imported, as cpt-tui reads its store
    sys.path.insert(0, str(Path(__file__).parent))
    from models import read_models

    read_models(Path(sys.argv[2]))

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable, Header  # noqa: E402


class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("ID", "Name")
        table.add_row(sys.argv[1], "bare")


if __name__ == "__main__":
    Bare().run()
