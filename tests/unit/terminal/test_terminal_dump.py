"""dump() round trip: a fresh Terminal fed the dump is indistinguishable from the original
(like asciinema/avt's ``prop_dump``), now and after any further output."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from term_strategies import output, state

from coterm_tui.core.terminal import Terminal

sizes = st.tuples(st.integers(2, 30), st.integers(1, 12))


def restored(term: Terminal) -> Terminal:
    fresh = Terminal(term.cols, term.rows)
    fresh.feed(term.dump())
    return fresh


@settings(max_examples=400, deadline=None)
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


@settings(max_examples=100, deadline=None)
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
