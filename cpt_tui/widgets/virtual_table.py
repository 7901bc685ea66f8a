"""A table that draws only the rows on screen, so 10,000 students cost what 20 do."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..core.text import plain

GAP = 1
"""Cells between columns."""
ROWS_KEPT = 1000
"""Rows (and drawn lines) kept for a redraw: a few screens' worth, whatever the row count."""

Cell = str | Text
RowRenderer = Callable[[str], Sequence[Cell]]
"""Row key -> its cells; called only for rows that are drawn."""


@dataclass(frozen=True)
class Column:
    """A column's title and width in cells; figures are right-aligned."""

    title: str
    width: int
    right: bool = False


class VirtualTable(ScrollView, can_focus=True):
    """Rows given as keys plus a function that renders one row; a row or cell cursor.

    Works like a small DataTable, but its cost per redraw is the visible rows only: a screen
    hands over the new order of keys (a sort, a filter) and nothing else is built.
    """

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    VirtualTable > .vtable--header { text-style: bold; background: $panel; }
    VirtualTable > .vtable--fixed { background: $panel 50%; }
    VirtualTable > .vtable--odd { background: $boost; }
    VirtualTable > .vtable--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .vtable--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES = {"vtable--header", "vtable--fixed", "vtable--odd", "vtable--cursor"}

    BINDINGS = [
        Binding("up", "move(-1, 0)", "Up", show=False),
        Binding("down", "move(1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move(-1000000000, 0)", "First", show=False),
        Binding("end", "move(1000000000, 0)", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("k", "move(-1, 0)", "Up", show=False),
        Binding("j", "move(1, 0)", "Down", show=False),
        Binding("h", "move(0, -1)", "Left", show=False),
        Binding("l", "move(0, 1)", "Right", show=False),
    ]
    """Keys of a table."""

    cursor_row: reactive[int] = reactive(0, init=False)
    cursor_column: reactive[int] = reactive(0, init=False)

    class Highlighted(Message):
        """The cursor moved to another row or cell."""

        def __init__(self, table: VirtualTable, key: str | None, column: int) -> None:
            super().__init__()
            self.table, self.key, self.column = table, key, column

        @property
        def control(self) -> VirtualTable:
            return self.table

    class Selected(Highlighted):
        """`enter` on a row or cell."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        cell_cursor: bool = False,
        fixed_columns: int = 0,
        first_column: int = 0,
        id: str | None = None,  # noqa: A002 (Textual's name)
    ) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.cell_cursor = cell_cursor
        self.fixed_columns = fixed_columns
        self.first_column = first_column
        """The leftmost column the cell cursor may stand on (e.g. past the names)."""
        self.keys: list[str] = []
        self._render_row: RowRenderer = lambda key: ()
        self._rows: LRUCache[str, list[Text]] = LRUCache(ROWS_KEPT)
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(ROWS_KEPT)
        """Lines as drawn: a cursor move or a repaint redraws only what changed."""
        self.cursor_column = first_column

    # -- what is shown ------------------------------------------------------------------

    def show(self, keys: Sequence[str], render: RowRenderer, *, keep: str | None = None) -> None:
        """Show these rows, in this order; the cursor stays on `keep` (or its row number)."""
        self.keys = list(keys)
        self._render_row = render
        self._rows.clear()
        self._lines.clear()
        self.virtual_size = Size(self._total_width(), len(self.keys) + 1)
        row = self.cursor_row
        if keep is not None:
            with contextlib.suppress(ValueError):
                row = self.keys.index(keep)
        self._set_cursor(row, self.cursor_column, force=True)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.keys)

    @property
    def cursor_key(self) -> str | None:
        return self.keys[self.cursor_row] if self.keys else None

    @property
    def cursor_coordinate(self) -> tuple[int, int]:
        return (self.cursor_row, self.cursor_column)

    def move_cursor(self, row: int | None = None, column: int | None = None) -> None:
        self._set_cursor(
            self.cursor_row if row is None else row,
            self.cursor_column if column is None else column,
        )

    # -- cursor -------------------------------------------------------------------------

    def _set_cursor(self, row: int, column: int, *, force: bool = False) -> None:
        row = max(0, min(row, len(self.keys) - 1))
        column = max(self.first_column, min(column, len(self.columns) - 1))
        moved = (row, column) != (self.cursor_row, self.cursor_column)
        self.set_reactive(VirtualTable.cursor_row, row)
        self.set_reactive(VirtualTable.cursor_column, column)
        self._scroll_to_cursor()
        if moved or force:
            self.refresh()
            self.post_message(self.Highlighted(self, self.cursor_key, column))

    def _scroll_to_cursor(self) -> None:
        rows_shown = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            top = self.cursor_row
        elif self.cursor_row >= top + rows_shown:
            top = self.cursor_row - rows_shown + 1
        left = int(self.scroll_x)
        if self.cell_cursor and self.cursor_column >= self.fixed_columns:
            start = self._column_start(self.cursor_column) - self._fixed_width()
            end = start + self.columns[self.cursor_column].width + GAP
            view = max(1, self.scrollable_content_region.width - self._fixed_width())
            if start < left:
                left = start
            elif end > left + view:
                left = end - view
        self.scroll_to(x=left, y=top, animate=False, immediate=True)

    def action_move(self, rows: int, columns: int) -> None:
        if columns and not self.cell_cursor:  # a row cursor: left and right scroll
            self.scroll_to(x=max(0, self.scroll_x + 8 * columns), animate=False)
            return
        self._set_cursor(self.cursor_row + rows, self.cursor_column + columns)

    def action_page(self, direction: int) -> None:
        rows_shown = max(1, self.scrollable_content_region.height - 1)
        self._set_cursor(self.cursor_row + direction * rows_shown, self.cursor_column)

    def action_select(self) -> None:
        if self.keys:
            self.post_message(self.Selected(self, self.cursor_key, self.cursor_column))

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    # -- drawing ------------------------------------------------------------------------

    def _fixed_width(self) -> int:
        return sum(c.width + GAP for c in self.columns[: self.fixed_columns])

    def _total_width(self) -> int:
        return sum(c.width + GAP for c in self.columns)

    def _column_start(self, index: int) -> int:
        return sum(c.width + GAP for c in self.columns[:index])

    def row_cells(self, key: str) -> list[Text]:
        """A row's cells as drawn (rendered once per `show`)."""
        cells = self._rows.get(key)
        if cells is None:
            cells = [c if isinstance(c, Text) else plain(c) for c in self._render_row(key)]
            self._rows.set(key, cells)
        return cells

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # a new theme: every line is drawn again

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y - 1
        if y and index >= len(self.keys):
            return Strip.blank(width, self.rich_style)
        key = self.keys[index] if y else None
        cursor = y > 0 and index == self.cursor_row
        column = self.cursor_column if cursor and self.cell_cursor else None
        cached = (key, index if y else None, cursor, column, int(self.scroll_x), width)
        line = self._lines.get(cached)
        if line is None:
            line = self._draw_line(index if y else None, cursor, width)
            self._lines.set(cached, line)
        return line

    def _draw_line(self, index: int | None, cursor: bool, width: int) -> Strip:
        """The header (index None) or a row: fixed columns, then the rest scrolled sideways."""
        style = self.rich_style
        if index is None:
            cells = [Text(c.title) for c in self.columns]
            style = style + self.get_component_rich_style("vtable--header")
        else:
            cells = self.row_cells(self.keys[index])
            if index % 2:
                style = style + self.get_component_rich_style("vtable--odd")
            if cursor and not self.cell_cursor:
                style = style + self.get_component_rich_style("vtable--cursor")
        cursor_cell = self.cursor_column if cursor and self.cell_cursor else None
        fixed_style = style + self.get_component_rich_style("vtable--fixed")
        cursor_style = self.get_component_rich_style("vtable--cursor")
        segments = []
        for column_index, column in enumerate(self.columns):
            cell = cells[column_index] if column_index < len(cells) else EMPTY
            base = fixed_style if column_index < self.fixed_columns else style
            if column_index == cursor_cell:
                base = base + cursor_style
            own = cell.style
            cell_style = base + (Style.parse(own) if isinstance(own, str) else own) if own else base
            segments.append(Segment(_fit(cell.plain, column.width, column.right), cell_style))
        fixed = Strip(segments[: self.fixed_columns])
        rest = Strip(segments[self.fixed_columns :])
        left = int(self.scroll_x)
        rest = rest.crop(left, left + max(0, width - fixed.cell_length))
        return Strip.join([fixed, rest]).extend_cell_length(width, style)


EMPTY = Text()


@lru_cache(maxsize=8192)
def _fit(text: str, width: int, right: bool) -> str:
    """A cell's text in exactly `width` cells (cut with `…`, padded), after one space (80
    columns go far)."""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…" if width else ""
    pad = " " * (width - cell_len(text))
    return " " + (pad + text if right else text + pad)
