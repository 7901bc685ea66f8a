"""Text from outside is only text: `printable` escapes what a terminal would obey, `plain`
never reads markup or emoji."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from cpt_tui.core.text import plain, printable

ESCAPED = [
    ("\x1b", "\\x1b"),
    ("\x00", "\\x00"),
    ("\x07", "\\x07"),
    ("\x7f", "\\x7f"),
    ("\x9b", "\\x9b"),  # C1 CSI: a terminal in 8-bit mode starts a sequence on it
    ("\x9d", "\\x9d"),  # C1 OSC
    ("\x85", "\\x85"),  # NEL: a line break to some terminals
    ("\n", "\\n"),
    ("\r", "\\r"),
    ("\t", "\\t"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
    ("\u202a", "\\u202a"),
    ("\u202b", "\\u202b"),
    ("\u202c", "\\u202c"),
    ("\u202d", "\\u202d"),
    ("\u202e", "\\u202e"),
    ("\u2066", "\\u2066"),
    ("\u2067", "\\u2067"),
    ("\u2068", "\\u2068"),
    ("\u2069", "\\u2069"),
    ("\u200e", "\\u200e"),
    ("\u200f", "\\u200f"),
    ("\u061c", "\\u061c"),
    ("\u200b", "\\u200b"),  # zero-width space: two names that look the same
    ("\u00ad", "\\xad"),  # soft hyphen
    ("\ufeff", "\\ufeff"),  # a BOM inside a cell
    ("\U000e0041", "\\U000e0041"),  # tag characters: invisible text
    ("\udcff", "\\udcff"),  # an undecodable byte kept by surrogateescape
]


@pytest.mark.parametrize(("char", "shown"), ESCAPED, ids=[repr(c) for c, _ in ESCAPED])
def test_each_non_printing_character_is_shown_escaped(char: str, shown: str) -> None:
    assert printable(f"a{char}b") == f"a{shown}b"


def test_an_escape_sequence_is_written_out_not_obeyed() -> None:
    osc52 = "\x1b]52;c;ZXZpbA==\x07"
    assert printable(f"Name{osc52}") == "Name\\x1b]52;c;ZXZpbA==\\x07"
    assert printable("\x1b[2J\x1b[H") == "\\x1b[2J\\x1b[H"


@pytest.mark.parametrize(
    "text",
    [
        "Lovelace",
        "O'Brien-Núñez",
        "Bad[/]",
        "[link=https://evil.example]x[/link]",
        "[blink]Ada[/blink]",
        ":warning:",
        "C:\\Users\\ada",
        "Zoë  Ångström",
        "محمد",  # right-to-left letters are text; only the overrides are escaped
        "मनीषा",
        "می\u200cخواهم",  # Persian needs the zero-width non-joiner
        "👩\u200d🔧",  # an emoji sequence needs the joiner
        "\u00a0non-breaking",
        "",
    ],
)
def test_ordinary_text_is_kept_as_it_is(text: str) -> None:
    assert printable(text) == text
    assert plain(text).plain == text


def test_any_value_is_made_a_string() -> None:
    assert printable(42) == "42"
    assert printable(None) == "None"
    assert printable(ValueError("bad\x1b[31m")) == "bad\\x1b[31m"


@given(st.text())
def test_nothing_a_terminal_obeys_survives(text: str) -> None:
    shown = printable(text)
    for char in shown:
        category = unicodedata.category(char)
        assert category not in {"Cc", "Cs", "Zl", "Zp"}
        assert category != "Cf" or char in "\u200c\u200d"
    assert "\n" not in shown


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_text_without_controls_is_unchanged(text: str) -> None:
    assert printable(text) == text


def _rendered(text: Text) -> str:
    console = Console(
        force_terminal=True, color_system="truecolor", emoji=True, markup=True, width=200
    )
    with console.capture() as capture:
        console.print(text, soft_wrap=True)
    return capture.get()


@pytest.mark.parametrize(
    "text",
    ["Bad[/]", "[link=https://evil.example]x[/link]", "[blink]Ada[/blink]", ":warning: Ada"],
)
def test_plain_never_reads_markup_or_emoji(text: str) -> None:
    rendered = _rendered(plain(text))
    assert rendered == text + "\n"  # no style codes, no link, no emoji


@given(st.text())
def test_plain_sends_no_control_character_to_the_terminal(text: str) -> None:
    rendered = _rendered(plain(text))
    assert "\x1b" not in rendered
    assert rendered.count("\n") == rendered.count("\n", len(rendered) - 1)


def test_plain_takes_a_style() -> None:
    text = plain("Bad[/]", style="bold")
    assert text.plain == "Bad[/]"
    assert str(text.style) == "bold"


def test_stood_in_keeps_the_length_for_a_field_being_edited() -> None:
    from cpt_tui.core.text import STAND_IN, stood_in

    assert stood_in("Ada\u202eX\x9b") == f"Ada{STAND_IN}X{STAND_IN}"
    assert stood_in("Bad[/] :warning:") == "Bad[/] :warning:"


@given(st.text())
def test_stood_in_sends_nothing_a_terminal_obeys(text: str) -> None:
    from cpt_tui.core.text import stood_in

    shown = stood_in(text)
    assert len(shown) == len(text)
    assert printable(shown) == shown
