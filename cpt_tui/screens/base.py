"""What every top-level screen shares: header, filter bar, footer, and roster updates."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from ..compat import mark_styled
from ..core.models import Student
from ..core.roster import Roster
from ..core.text import plain
from ..widgets.filter_bar import FilterBar

if TYPE_CHECKING:
    from ..app import CptApp


ResultType = TypeVar("ResultType")


class OfCptApp(Screen[ResultType]):
    """A screen of cpt-tui's app: `cpt` is that app (its store, roster, filter), typed."""

    @property
    def cpt(self) -> CptApp:
        return cast("CptApp", self.app)


class CptScreen(OfCptApp[None]):
    """A screen over the current roster, narrowed by the shared filter and dropped rule."""

    AUTO_FOCUS = "VirtualTable"

    EMPTY_HINT = "No students yet: on Roster (1), a adds a student; i imports a CSV."
    """The line shown above the screen's table while the store has no student."""

    _drawn: tuple[object, ...] = ()
    """What the screen showed when last drawn: the roster, filter, dropped rule and day."""

    @property
    def roster(self) -> Roster:
        return self.cpt.roster

    def visible_students(self) -> list[Student]:
        """The students this screen shows; the filter line says how many of all."""
        roster = self.roster
        students = roster.visible(show_dropped=self.cpt.show_dropped, text=self.cpt.filter_text)
        self.query_one(FilterBar).count(len(students), len(roster.students))
        for hint in self.query("#empty-hint"):
            hint.display = not roster.students
        return students

    def empty_hint(self) -> Static:
        """The line saying how to add the first student (a screen yields it in `compose`);
        shown only while the store has none."""
        hint = Static(plain(self.EMPTY_HINT), id="empty-hint")
        hint.display = False
        return hint

    def main_widget(self) -> Widget:
        """The widget that holds the focus when the filter is left."""
        raise NotImplementedError

    def on_mount(self) -> None:
        # The first draw comes with on_screen_resume, which every showing of a screen gets.
        for name in ("roster", "filter_text", "show_dropped"):
            self.watch(self.app, name, self._redraw_if_shown, init=False)
        mark_styled(self.app, self)  # its next showing needs no stylesheet refresh (compat)

    def on_screen_resume(self) -> None:
        self.draw_if_stale()

    def draw_if_stale(self) -> None:
        """Draw unless nothing shown has changed since the last time (Textual resumes a new
        mode's screen twice; a switch draws the screen before it is shown)."""
        if self._drawn != self._what_is_shown():
            self.update_view()

    def _redraw_if_shown(self) -> None:
        if self.is_current:
            self.update_view()

    def _what_is_shown(self) -> tuple[object, ...]:
        return (self.roster, self.cpt.filter_text, self.cpt.show_dropped, self.cpt.store.today())

    def update_view(self) -> None:
        """Redraw from `self.roster` and the filter (subclasses call this first)."""
        self._drawn = self._what_is_shown()

    def open_filter(self) -> None:
        self.query_one(FilterBar).open()

    def filter_bar(self) -> FilterBar:
        """The screen's filter line (a screen yields it in `compose`)."""
        return FilterBar(self.app, "filter_text", self._filter_done)

    def _filter_done(self) -> None:
        self.query_one(FilterBar).close()
        self.set_focus(self.main_widget())  # now, and the keys shown with it (one frame)
        self.refresh_bindings()


class SortedScreen(CptScreen):
    """A table screen that `s` sorts on its next column (the first: the table's own order)
    and `S` reverses; the sorted column's title carries the arrow."""

    SORT_COLUMNS: ClassVar[int]
    """How many columns can be sorted on."""
    sort_column = 0
    sort_reverse = False

    def sort_arrow(self, index: int) -> str:
        """` ▲` (or ` ▼` reversed) after the title of the column sorted on."""
        if index != self.sort_column:
            return ""
        return " ▼" if self.sort_reverse else " ▲"

    def action_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % self.SORT_COLUMNS
        self.sort_reverse = False
        self.update_view()

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.update_view()
