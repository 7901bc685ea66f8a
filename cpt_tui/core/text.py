"""Text from outside is only text: the one place that makes it safe for a terminal.

Every value that came from a person or a file (names, IDs, CSV header cells, file names,
messages that quote them) reaches the screen through `printable` (a plain string, for the
command line) or `plain` (a Rich `Text`, for widgets), never through markup.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text

_KEPT_FORMAT = frozenset("\u200c\u200d")
"""Zero-width non-joiner and joiner: invisible, but Persian and Indic names and emoji
sequences need them, and they move no cursor and switch no direction."""

_ALWAYS_ESCAPED = frozenset(
    "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Bidirectional marks, embeddings, overrides and isolates, and the line and paragraph
separators: named here too, so they stay escaped whatever Unicode version Python has."""

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Control (C0, DEL, C1), format (bidi, zero-width, soft hyphen, BOM, tags), lone
surrogates (undecodable bytes, which would crash the output), line and paragraph
separators."""

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    short = _SHORT.get(char)
    if short is not None:
        return short
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _unsafe(char: str) -> bool:
    if char in _ALWAYS_ESCAPED:
        return True
    return unicodedata.category(char) in _ESCAPED_CATEGORIES and char not in _KEPT_FORMAT


def printable(value: object) -> str:
    """`value` as a string whose every character is shown, never obeyed, by a terminal.

    Control characters (C0 such as ESC, DEL, C1 such as CSI), format characters
    (bidirectional overrides and isolates, zero-width spaces, soft hyphen, BOM), the line
    and paragraph separators and lone surrogates are written as Python writes them in a
    literal: `\\x1b`, `\\n`, `\\u202e`, `\\udcff`. Everything else, square brackets and
    colons included, is kept as it is. The result is always one line.
    """
    text = value if isinstance(value, str) else str(value)
    # Nearly every value is printable as it is: one pass in C, no copy.
    if text.isprintable():
        return text
    return "".join(_escape(char) if _unsafe(char) else char for char in text)


def plain(value: object, style: str = "") -> Text:
    """`value` as a Rich `Text` of its printable characters: never markup, never emoji.

    `Bad[/]`, `[link=...]`, `[blink]` and `:warning:` stay those characters. For any
    widget or notification that shows text from outside (`Static(plain(name))`).
    """
    return Text(printable(value), style=style)


STAND_IN = "\ufffd"
"""Shown in place of a character a terminal would obey, where an escape cannot be spelt out."""


def stood_in(value: str) -> str:
    """`value` with each character that `printable` escapes replaced by one `STAND_IN`.

    For a field being edited: the text keeps its length, so the cursor stays on the
    character it is on, and the value itself is left as it is.
    """
    if value.isprintable():
        return value
    return "".join(STAND_IN if _unsafe(char) else char for char in value)
