"""feed() never raises, and how output is split into chunks never matters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from term_strategies import PROPERTY, output, state

from coterm_tui.core.terminal import Terminal

_noise = st.text(alphabet="\x1b[]?>;:0123456789mhlPX\\\x07\x9b\x9d\x90\x9c\x18")
anything = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(max_codepoint=0xA0)),
    st.lists(st.one_of(output, _noise), min_size=1, max_size=8).map("".join),
)


@settings(PROPERTY, max_examples=500)
@given(size=st.tuples(st.integers(1, 40), st.integers(1, 10)), data=anything)
def test_feed_never_raises_and_keeps_a_valid_state(size: tuple[int, int], data: str) -> None:
    term = Terminal(*size)
    term.feed(data)
    x, y, _visible = term.cursor
    assert 0 <= x < term.cols and 0 <= y < term.rows
    assert all(len(term.row(r)) == term.cols for r in range(term.rows))
    assert term.errors == 0
    again = Terminal(*size)
    again.feed(term.dump())
    assert again.text() == term.text()


@settings(PROPERTY, max_examples=300)
@given(data=st.one_of(output, anything), cuts=st.lists(st.integers(0, 400), max_size=6))
def test_splitting_the_output_into_chunks_changes_nothing(data: str, cuts: list[int]) -> None:
    whole, pieces = Terminal(20, 6), Terminal(20, 6)
    whole.feed(data)
    last = 0
    for cut in sorted(c for c in cuts if c <= len(data)):
        pieces.feed(data[last:cut])
        last = cut
    pieces.feed(data[last:])
    assert state(pieces) == state(whole)


def test_private_sgr_keeps_the_rest_of_the_chunk_and_leaves_no_stray_text() -> None:
    term = Terminal(30, 3)
    term.feed("a\x1b[>4;2mb\x1b[?4mc\x1b[>4mde\x1b[38:2::255:0:0mf\x1b[4:3mg\x1b[!ph")
    assert term.text()[0] == "abcdefgh"
    assert not term.row(0)[1].underscore  # CSI > 4;2 m is not "underline"
    assert term.row(0)[5].fg == "ff0000"
    assert term.row(0)[6].underscore
    assert term.row(0)[7].fg == "default"
    assert term.errors == 0


def test_strings_are_skipped_whatever_their_length() -> None:
    term = Terminal(20, 2)
    term.feed("a\x1bPq" + "#0;2;0;0;0" * 10_000)
    term.feed("still sixel\x1b\\b\x1b_apc\x1b\\c\x1b]10;?\x07d\x1b]8;;http://x\x07e\x1b]8;;\x07")
    term.feed("\x1bkscreen window name\x1b\\f")  # GNU screen / tmux title string
    assert term.text()[0] == "abcdef"
    assert term.title == ""


def test_titles_from_osc_0_and_2_with_bel_or_st() -> None:
    term = Terminal(10, 2)
    term.feed("\x1b]0;first\x07")
    assert term.title == "first"
    term.feed("\x1b]2;sec")
    term.feed("ond\x1b")
    term.feed("\\x")
    assert term.title == "second"
    assert term.text()[0] == "x"
