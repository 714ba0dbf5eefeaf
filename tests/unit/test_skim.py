"""Skimming keeps every sequence and control, drops only text a full clear wipes."""

from __future__ import annotations

from coterm_tui.core.skim import ends_clean, scroll_point, skim_point, strip_text


def test_strip_text_keeps_only_what_outlives_a_clear() -> None:
    text = ("hello\x1b[31mred\r\n\x1b]0;title\x07more\x1b(B\tx\x1b[?25l\x1b[5;3H"
            "\x1b[2K\x1b[2;20r\x0e\x1bM\x1b=")
    assert strip_text(text) == "\x1b[31m\x1b]0;title\x07\x1b(B\x1b[?25l\x1b[2;20r\x0e\x1b="


def test_scroll_point_needs_two_screenfuls_of_plain_lines() -> None:
    rows = 3
    lines = "".join(f"\x1b[32mline {i}\x1b[0m\x1b[K\r\n" for i in range(10))
    text = "\x1b[5;5Hx" + lines
    p = scroll_point(text, rows)
    assert p > 0 and text[p] == "\r" and text.count("\n", p) == 2 * rows + 2
    assert scroll_point("\x1b[5;5Hx" + lines[:60], rows) == 0  # too few lines
    assert scroll_point("\x1b[1;5r" + lines, rows) == 0  # margins change
    assert scroll_point("\x1b[?1049h" + lines, rows) == 0  # screen switch before
    after = text + "\x1b[2;2Hx\x1b[?1049h"  # anything may follow the plain stretch
    assert scroll_point(after, rows) == p


def test_skim_point_is_the_last_full_clear() -> None:
    text = "a\x1b[H\x1b[2Jb\x1b[2J\x1b[Hc"
    assert skim_point(text) == text.rindex("\x1b[2J\x1b[H")
    assert skim_point("no clear here\x1b[2J") == 0  # a bare 2J leaves the cursor anywhere
    assert skim_point("x\x1bcy") == 1  # a full reset


def test_no_skim_when_dropped_text_could_matter() -> None:
    for unsafe in ("\x1b[?1049h", "\x1b7", "\x1b[s", "\x1bH", "\x9b"):
        assert skim_point("text" + unsafe + "more\x1b[H\x1b[2Jafter") == 0
    assert skim_point("text\x1b7more\x1bcafter") == 10  # a reset forgets the saved cursor


def test_ends_clean_detects_a_cut_sequence() -> None:
    assert ends_clean("abc") and ends_clean("a\x1b[31mb") and ends_clean("\x1b]0;t\x07")
    assert not ends_clean("a\x1b") and not ends_clean("a\x1b[3")
    assert not ends_clean("a\x1b]0;tit") and not ends_clean("\x1b(")
