"""Screen behaviour real programs rely on, beyond what pyte 0.8.2 does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from term_strategies import PROPERTY, output

from coterm_tui.core.terminal import Terminal
from coterm_tui.core.terminal.cells import is_wide


def fed(cols: int, rows: int, *chunks: str) -> Terminal:
    term = Terminal(cols, rows)
    for chunk in chunks:
        term.feed(chunk)
    return term


@settings(PROPERTY, max_examples=300)
@given(size=st.tuples(st.integers(1, 12), st.integers(1, 4)), data=output)
def test_wide_characters_always_keep_their_right_half(size: tuple[int, int], data: str) -> None:
    term = fed(*size, data)
    for y in range(term.rows):
        row = term.row(y)
        for x, cell in enumerate(row):
            if cell.data == "":
                assert x > 0 and is_wide(row[x - 1].data), (y, x, row)
            if is_wide(cell.data):
                assert x + 1 < term.cols and row[x + 1].data == "", (y, x, row)


def test_wide_characters() -> None:
    term = fed(6, 2, "中文x")
    assert term.text() == ["中文x", ""] and term.cursor[0] == 5
    term.feed("\x1b[1;2Ha")  # over the right half of 中
    assert term.text()[0] == " a文x"
    term.feed("\x1b[1;6H中")  # no room in the last column: wraps
    assert term.text() == [" a文x", "中"]
    term.feed("\x1b[2;1He\u0301\U0001f600")
    assert term.text()[1] == "é😀"


def test_zero_width_characters_do_not_lose_the_rest_of_the_text() -> None:
    term = fed(20, 1, "a\u200bb\u200dc\x01d\ufe0fe")
    assert term.text() == ["abcde".replace("a", "a\u200b").replace("b", "b\u200d")
                           .replace("d", "d\ufe0f")]  # fmt: skip


def test_alternate_screen_1049_saves_and_restores_main_screen_and_cursor() -> None:
    term = fed(10, 3, "$ ls\r\nfile\r\n$ ", "\x1b[?1049h")
    assert term.alt_screen and term.text() == ["", "", ""]
    term.feed("\x1b[Hvim\x1b[3;5H")
    assert term.take_dirty() == {0, 1, 2}
    term.feed("\x1b[?1049l")
    assert not term.alt_screen
    assert term.text() == ["$ ls", "file", "$"] and term.cursor == (2, 2, True)


def test_alternate_screen_47_and_1047_switch_without_moving_the_cursor() -> None:
    for mode in (47, 1047):
        term = fed(10, 2, "main", f"\x1b[?{mode}h", "alt", f"\x1b[?{mode}l")
        assert term.text() == ["main", ""] and term.cursor == (7, 0, True)
        term.feed(f"\x1b[?{mode}h")
        assert term.text() == ["", ""]  # a fresh alternate screen each time


def test_scroll_up_and_down_within_the_region() -> None:
    term = fed(5, 4, "1\r\n2\r\n3\r\n4\x1b[2;3r\x1b[S")
    assert term.text() == ["1", "3", "", "4"]
    term.feed("\x1b[2T")
    assert term.text() == ["1", "", "", "4"]
    term = fed(5, 3, "1\r\n2\r\n3\x1b[1;2H\x1b[T")
    assert term.text() == ["", "1", "2"] and term.cursor == (1, 0, True)


def test_save_and_restore_cursor_keeps_visibility_and_pen() -> None:
    term = fed(10, 3, "\x1b[2;3H\x1b[1;31m\x1b7\x1b[m\x1b[H\x1b[?25l\x1b8x")
    assert term.cursor == (3, 1, False)
    assert term.row(1)[2].fg == "red" and term.row(1)[2].bold
    term.feed("\x1b[1;1H\x1b[s\x1b[3;3H\x1b[uy")
    assert term.text()[0] == "y"


def test_modes_are_tracked() -> None:
    term = fed(10, 2, "\x1b[?2004h\x1b[?1000h\x1b[?1006h\x1b[?1h\x1b=\x1b[?25l\x1b[4h")
    assert {2004 << 5, 1000 << 5, 1006 << 5, 1 << 5, 4} <= term.modes
    assert term.cursor[2] is False and term.screen.keypad_app
    term.feed("\x1b[?2004l\x1b[?25h\x1b>\x1b[?3h\x1b[?5h\x1b[?9999h")
    assert 2004 << 5 not in term.modes and term.cursor[2] and not term.screen.keypad_app
    assert (term.cols, term.rows) == (10, 2)  # DECCOLM does not resize
    assert not term.row(0)[0].reverse  # DECSCNM ignored


def test_line_drawing_charset() -> None:
    term = fed(10, 1, "\x1b(0lqqk\x1b(B ok")
    assert term.text() == ["┌──┐ ok"]


def test_erase_uses_the_background_colour_everywhere() -> None:
    term = fed(4, 2, "\x1b[44m\x1b[2J")
    assert all(cell.bg == "blue" for y in range(2) for cell in term.row(y))
    term.feed("\x1b[3J")  # scrollback only: the screen stays
    assert term.row(0)[0].bg == "blue"


def test_delete_lines_does_not_keep_stale_lines() -> None:
    term = fed(5, 3, "a\x1b[3;1Hc\x1b[1;1H\x1b[M")
    assert term.text() == ["", "c", ""]


def test_osc_title_and_other_osc_codes() -> None:
    term = fed(10, 1, "\x1b]2;build: \x1b[31m\x07", "\x1b]11;?\x07\x1b]7;file:///tmp\x07")
    assert term.title == "build: "  # ESC ends the string and starts a sequence
    assert term.text() == [""] and term.screen.cursor.attrs.fg == "red"


def test_take_dirty_reports_changed_rows_once() -> None:
    term = Terminal(10, 4)
    term.take_dirty()
    term.feed("\x1b[3;1Hx")
    assert term.take_dirty() == {2}
    assert term.take_dirty() == set()


def test_absurd_sizes_are_refused() -> None:
    from coterm_tui.core.errors import EventError

    for cols, rows in ((0, 5), (5, 0), (100_000, 5)):
        try:
            Terminal(cols, rows)
        except EventError:
            continue
        raise AssertionError(f"{cols}x{rows} accepted")


def test_cursor_up_and_down_outside_the_scroll_region_do_not_jump_into_it() -> None:
    term = fed(5, 6, "\x1b[3;4r\x1b[1;1H\x1b[A\x1bMx")  # above the region: CUU/RI stay put
    assert term.cursor == (1, 0, True) and term.text()[0] == "x"
    term.feed("\x1b[6;1H\x1b[Bz")  # below the region: CUD stops at the last line
    assert term.cursor == (1, 5, True)
    term.feed("\x1b[3;1H\x1b[5A\x1b[4;1H\x1b[5B")  # inside: stop at the margins
    assert term.cursor == (0, 3, True)


def test_background_colour_erase_takes_only_the_background() -> None:
    term = fed(4, 3, "ab\x1b[1;4;7;41m\x1b[K")
    erased = term.row(0)[2]
    assert (erased.data, erased.bg, erased.bold, erased.underscore, erased.reverse) == (
        " ", "red", False, False, False
    )
    term.feed("\x1b[3;1H\n")  # scrolls: the new bottom line is red
    assert all(c.bg == "red" for c in term.row(2)) and term.row(1)[0].bg == "default"
    term.feed("\x1b[2;1H\x1b[L")  # the inserted line is red
    assert all(c.bg == "red" for c in term.row(1))
    term.feed("\x1b[49m\x1b[2;1H\x1b[2K\x1b[41m\x1b[2P")  # blanks shifted in by DCH
    assert [c.bg for c in term.row(1)] == ["default", "default", "red", "red"]
