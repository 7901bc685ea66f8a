"""The footer: the keys that work right now, on one line, and `^p palette` at the right."""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget

Key = tuple[str, str, bool]
"""How a key is shown, what it does, and whether it can be used now."""


class KeyBar(Widget):
    """The screen's keys, drawn as one line of text.

    Textual's Footer mounts a widget per key and mounts them all again whenever the focus
    moves: with a 10,000-student table that was two thirds of leaving the filter. This one
    redraws a line, and only when the keys it shows change.
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
        self._palette: Key | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Worked out when told, not after the next refresh as Footer does: a key's effect
        # and the keys it brings can then share a frame.
        keys: list[Key] = []
        actions: set[str] = set()
        palette = None
        for active in screen.active_bindings.values():
            binding = active.binding
            shown = (self.app.get_key_display(binding), binding.description, active.enabled)
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = shown
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append(shown)
        if (tuple(keys), palette) != (self._keys, self._palette):
            self._keys, self._palette = tuple(keys), palette
            self.refresh()

    def render(self) -> Text:
        """As many keys as fit whole (all of them are in `?` and the palette), then the
        palette's key at the right edge."""
        palette = Text("▏") + self._key(*self._palette) if self._palette else Text()
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
