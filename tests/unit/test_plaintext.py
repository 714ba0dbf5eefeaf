"""The plain-text transcript: escapes removed, redraws resolved, chunking irrelevant."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coterm_tui.core.plaintext import OMITTED, PlainText


def transcript(*chunks: str) -> str:
    text = PlainText()
    return "".join(text.feed(c) for c in chunks) + text.finish()


def test_sgr_and_osc_are_removed() -> None:
    assert transcript("\x1b]0;t\x07\x1b[1;31mred\x1b[0m \x1b]8;;http://x\x1b\\link\r\n") == \
        "red link\n"


def test_carriage_return_keeps_the_final_redraw() -> None:
    assert transcript("10%\r20%\r100%\r\n") == "100%\n"
    assert transcript("long line\rshort\x1b[K\n") == "short\n"


def test_backspace_tab_and_cursor_moves() -> None:
    assert transcript("abc\b\bX\r\n") == "aXc\n"
    assert transcript("a\tb\n") == "a       b\n"
    assert transcript("a\x1b[3Cb\x1b[2Dc\x1b[1Gd\n") == "d  cb\n"
    assert transcript("abcdef\x1b[3G\x1b[1K\x1b[C|\n") == "   |ef\n"
    assert transcript("abc\x1b[2Kx\n") == "   x\n"


def test_alternate_screen_is_omitted_once() -> None:
    assert transcript("$ vim\r\n\x1b[?1049h\x1b[2Jfile\r\nmore\x1b[?1049l$ \r\n") == \
        f"$ vim\n{OMITTED}\n$\n"


def test_unfinished_line_is_flushed_by_finish() -> None:
    assert transcript("prompt$ ") == "prompt$\n"
    assert transcript("") == ""


def test_charset_and_keypad_sequences_vanish() -> None:
    assert transcript("\x1b(B\x1b=\x1b7a\x1b8\x1bP1$r\x1b\\b\n") == "ab\n"


PIECES = ["a", "é", " ", "\r", "\n", "\b", "\t", "\x1b[1;31m", "\x1b[K", "\x1b[2K", "\x1b[3C",
          "\x1b]0;title\x07", "\x1b]0;t\x1b\\", "\x1b(B", "\x1b[?1049h", "\x1b[?1049l", "\x07",
          "\x1bP1$r\x1b\\", "\x1b"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.lists(st.integers(0, 400), max_size=6))
def test_chunk_boundaries_do_not_matter(pieces: list[str], cuts: list[int]) -> None:
    text = "".join(pieces)
    bounds = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    chunks = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    assert transcript(*chunks) == transcript(text)
    assert "\x1b" not in transcript(text)
