"""The footer: the keys that work where the focus is, on one line; `?` (help), `q` (quit)
and `^p palette` kept at the right, never cut off."""

from __future__ import annotations

from rich.text import Text
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

Key = tuple[str, str, bool]
"""How a key is shown, what it does, and whether it can be used now."""

PINNED = ("help", "close", "quit")
"""Actions whose keys are always shown (where they work), at the right before the palette."""


def types_into(focused: Widget | None, key: str, display: str) -> bool:
    """Whether `key` (shown as `display`) pressed with `focused` focused goes into a text
    field, not to a binding: a field takes every printable key before the screen's and the
    app's keys. (Textual names no character for "slash", so its one-character display is.)"""
    if not isinstance(focused, (Input, TextArea)):
        return False
    character = key_to_character(key) or (display if len(display) == 1 else None)
    return character is not None and character.isprintable()


class KeyBar(Widget):
    """The screen's keys, drawn as one line of text.

    Textual's Footer mounts a widget per key and mounts them all again whenever the focus
    moves: with a 10,000-student table that was two thirds of leaving the filter. This one
    redraws a line, and only when the keys it shows change.

    On a dialog (a ModalScreen) it shows that dialog's keys only: each dialog composes its own
    KeyBar, drawn over the screen's. A key a focused text field would type is left out.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--disabled { text-style: dim; }
    """

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[Key, ...] = ()
        self._pinned: tuple[Key, ...] = ()
        self._palette: Key | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Worked out when told, not after the next refresh as Footer does: a key's effect
        # and the keys it brings can then share a frame.
        keys: list[Key] = []
        pinned: dict[str, Key] = {}
        actions: set[str] = set()
        palette = None
        for key, active in screen.active_bindings.items():
            binding = active.binding
            shown = (self.app.get_key_display(binding), binding.description, active.enabled)
            if not binding.priority and types_into(screen.focused, key, shown[0]):
                continue
            action = binding.action.rpartition(".")[2]
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = shown
            elif binding.show and action in PINNED:
                pinned.setdefault(action, shown)
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append(shown)
        kept = tuple(pinned[action] for action in PINNED if action in pinned)
        if (tuple(keys), kept, palette) != (self._keys, self._pinned, self._palette):
            self._keys, self._pinned, self._palette = tuple(keys), kept, palette
            self.refresh()

    def render(self) -> Text:
        """As many keys as fit whole (all of them are in `?` and the palette), then `?` and
        `q` and the palette's key at the right edge, which are never cut off."""
        palette = Text("▏") + self._key(*self._palette) if self._palette else Text()
        pinned = Text.assemble(*(self._key(*key) for key in self._pinned))
        palette = pinned + palette
        room = self.size.width - palette.cell_len
        line = Text(no_wrap=True, overflow="crop")
        for key in self._keys:
            shown = self._key(*key)
            if line.cell_len + shown.cell_len > room:
                break
            line.append_text(shown)
        line.truncate(max(0, room), pad=True)
        line.append_text(palette)
        return line

    def _key(self, key: str, description: str, enabled: bool) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)
        if not enabled:
            dim = self.get_component_rich_style("key-bar--disabled", partial=True)
            key_style, description_style = key_style + dim, description_style + dim
        return Text.assemble((f" {key} ", key_style), (f"{description} ", description_style))
