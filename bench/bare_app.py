"""The floor for a Textual first paint: a bare app showing one known row in a DataTable.

`bare_app.py TEXT` draws a table with one row holding TEXT, and waits for `q`.
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Header


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
