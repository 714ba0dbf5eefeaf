"""Rows become strips of exactly the recorded width, whatever the cells hold."""

from __future__ import annotations

from coterm_tui.app.widgets.terminal_view import cell_style, row_strip
from coterm_tui.core.terminal import Terminal


def strip_of(text: str, cols: int = 12) -> tuple[str, int]:
    term = Terminal(cols, 2)
    term.feed(text)
    strip = row_strip(tuple(term.row(0)), cols, None)
    return strip.text, strip.cell_length


def test_wide_characters_keep_the_row_width() -> None:
    text, width = strip_of("日本語ab🙂")
    assert width == 12 and text.startswith("日本語ab🙂")


def test_a_wide_character_cut_at_the_edge_never_widens_the_row() -> None:
    text, width = strip_of("abcdefghijk日")  # 11 + a wide char: wraps or is cut
    assert width == 12


def test_styles_are_cached_by_attributes() -> None:
    term = Terminal(10, 1)
    term.feed("\x1b[1;31;42mab\x1b[0mc")
    a, b, c = term.row(0)[:3]
    assert cell_style(a) is cell_style(b)
    assert cell_style(a).bold and cell_style(a).color is not None
    assert cell_style(c) is not cell_style(a)


def test_the_cursor_cell_is_reversed() -> None:
    term = Terminal(5, 1)
    term.feed("abc")
    strip = row_strip(tuple(term.row(0)), 5, 3)
    segments = list(strip)
    assert any(s.style is not None and s.style.reverse for s in segments)
    assert strip.cell_length == 5
