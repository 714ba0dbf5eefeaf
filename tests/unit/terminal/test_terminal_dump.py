"""dump() round trip: a fresh Terminal fed the dump is indistinguishable from the original
(like asciinema/avt's ``prop_dump``), now and after any further output."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from term_strategies import PROPERTY, output, state

from coterm_tui.core.terminal import Terminal

sizes = st.tuples(st.integers(2, 30), st.integers(1, 12))


def restored(term: Terminal) -> Terminal:
    fresh = Terminal(term.cols, term.rows)
    fresh.feed(term.dump())
    return fresh


@settings(PROPERTY, max_examples=400)
@given(size=sizes, before=output, after=output)
def test_dump_restores_everything_and_behaves_the_same_afterwards(
    size: tuple[int, int], before: str, after: str
) -> None:
    term = Terminal(*size)
    term.feed(before)
    copy = restored(term)
    assert state(copy) == state(term)
    after = "\x07" + after  # REP right after a snapshot has no character to repeat
    term.feed(after)
    copy.feed(after)
    assert state(copy) == state(term)


@settings(PROPERTY, max_examples=100)
@given(size=sizes, data=output)
def test_dump_is_idempotent(size: tuple[int, int], data: str) -> None:
    term = Terminal(*size)
    term.feed(data)
    assert restored(term).dump() == term.dump()


def test_dump_of_a_full_coloured_screen_stays_compact() -> None:
    term = Terminal(200, 50)
    for y in range(50):
        term.feed(f"\x1b[{y + 1}H")
        for x in range(0, 200, 8):
            term.feed(f"\x1b[38;5;{(x + y) % 256}m\x1b[4{x % 8}mword{x:03d}\x1b[1m!")
    assert all(term.text())
    dump = term.dump()
    assert len(dump.encode()) < 40_000
    assert state(restored(term)) == state(term)


def test_dump_restores_the_main_screen_under_the_alternate_screen() -> None:
    term = Terminal(20, 4)
    term.feed("$ vim notes\r\n\x1b[?1049h\x1b[H\x1b[2Jeditor \x1b[7mline\x1b[m")
    copy = restored(term)
    assert copy.alt_screen and copy.text()[0] == "editor line"
    copy.feed("\x1b[?1049l")
    assert copy.text()[0] == "$ vim notes"
    assert copy.cursor == (0, 1, True)


def test_dump_keeps_a_pending_wrap() -> None:
    term = Terminal(5, 2)
    term.feed("abcde")
    copy = restored(term)
    copy.feed("f")
    term.feed("f")
    assert copy.text() == term.text() == ["abcde", "f"]


@settings(PROPERTY, max_examples=200)
@given(size=sizes, new=sizes, before=output, after=output)
def test_resize_keeps_the_cursor_on_screen_and_dump_still_exact(
    size: tuple[int, int], new: tuple[int, int], before: str, after: str
) -> None:
    term = Terminal(*size)
    term.feed(before)
    term.resize(*new)
    x, y, _ = term.cursor
    assert (term.cols, term.rows) == new and 0 <= x < term.cols and 0 <= y < term.rows
    copy = restored(term)
    assert state(copy) == state(term)
    after = "\x07" + after
    term.feed(after)
    copy.feed(after)
    assert state(copy) == state(term)


def test_resize_scrolls_only_when_the_cursor_would_fall_off() -> None:
    term = Terminal(10, 4)
    term.feed("1\r\n2\r\n3\r\n4")
    term.resize(10, 2)
    assert term.text() == ["3", "4"] and term.cursor == (1, 1, True)
    term = Terminal(10, 4)
    term.feed("1\r\n2\x1b[H")
    term.resize(6, 2)
    assert term.text() == ["1", "2"] and term.cursor == (0, 0, True)
    term.resize(12, 5)
    assert term.text() == ["1", "2", "", "", ""]
