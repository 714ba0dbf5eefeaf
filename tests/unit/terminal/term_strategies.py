"""Hypothesis strategies for terminal output: text, SGR, cursor moves, erases, scrolling,
modes, alternate screen, charsets, titles — and the state a dump must reproduce."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from coterm_tui.core.terminal import Terminal

#: Deterministic property runs (the same examples on every run and machine); wider random
#: runs were done while developing.
PROPERTY = settings(
    deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)

TEXT_ALPHABET = "abcXYZ 019~#-|/" + "é中文😀" + "\u0301\u200d" + "─│"
small = st.integers(min_value=0, max_value=12)
num = st.one_of(small, st.integers(min_value=0, max_value=300))


def _csi(final: str, *args: st.SearchStrategy[int]) -> st.SearchStrategy[str]:
    return st.tuples(*args).map(lambda a: "\x1b[" + ";".join(map(str, a)) + final)


_colour = st.one_of(
    st.sampled_from(["30", "37", "39", "41", "49", "90", "97", "100", "107"]),
    st.integers(0, 255).map(lambda n: f"38;5;{n}"),
    st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(
        lambda c: "48;2;{};{};{}".format(*c)
    ),
    st.tuples(st.integers(0, 300), st.integers(0, 255)).map(lambda c: "38:2::{}:{}:7".format(*c)),
)
_flag = st.sampled_from(["0", "1", "3", "4", "4:3", "4:0", "5", "7", "9", "21", "22", "23",
                         "24", "25", "27", "29", "2", "58;5;3", ""])  # fmt: skip
sgr = st.lists(st.one_of(_colour, _flag), max_size=4).map(lambda p: "\x1b[" + ";".join(p) + "m")

text = st.text(alphabet=TEXT_ALPHABET, min_size=1, max_size=30)
moves = st.one_of(
    _csi("H", num, num),
    _csi("f", small, small),
    *(_csi(f, small) for f in "ABCDEFGIZ`adeb"),
    st.sampled_from(["\r", "\n", "\x08", "\t", "\x1bD", "\x1bE", "\x1bM", "\x0b"]),
)
edits = st.one_of(
    *(_csi(f, st.integers(0, 3)) for f in "JK"),
    *(_csi(f, small) for f in "@PXLMST"),
    _csi("r", small, small),
    st.just("\x1b[r"),
    st.just("\x1b#8"),
)
_modes = st.sampled_from(["?1", "?6", "?7", "?25", "?1000", "?1006", "?2004", "4", "20",
                          "?47", "?1047", "?1049", "?1048", "?3", "?5", "12", "?12"])  # fmt: skip
modes = st.tuples(_modes, st.sampled_from("hl")).map(lambda m: f"\x1b[{m[0]}{m[1]}")
misc = st.sampled_from([
    "\x1b7", "\x1b8", "\x1b[s", "\x1b[u", "\x1b(0", "\x1b(B", "\x1b)0", "\x0e", "\x0f",
    "\x1bH", "\x1b[g", "\x1b[3g", "\x1b=", "\x1b>", "\x1b[!p", "\x1b]0;title\x07",
    "\x1b]2;other\x1b\\", "\x1b]1;icon\x07", "\x1b]10;?\x07", "\x1b[>4;2m", "\x1b[?4m",
    "\x1bP1$r\x1b\\", "\x1b[>c", "\x1b[6n", "\x1b[ q", "\x1bc",
])  # fmt: skip
chunk = st.one_of(text, text, sgr, moves, moves, edits, modes, misc)
output = st.lists(chunk, max_size=40).map("".join)


def state(term: Terminal) -> dict[str, Any]:
    """Everything a dump promises to reproduce."""
    s = term.screen
    c = s.cursor

    def saved(i: int) -> Any:
        p = s.saved[i]
        if p is None:
            return None
        return (p.cursor.x, p.cursor.y, p.cursor.attrs, p.g0_charset, p.g1_charset,
                p.charset, p.origin, p.wrap)  # fmt: skip

    return {
        "rows": [list(term.row(y)) for y in range(term.rows)],
        "main": [[s._main[y][x] if y in s._main else s.default_char for x in range(term.cols)]
                 for y in range(term.rows)] if s.alt else None,  # fmt: skip
        "cursor": (c.x, c.y, c.hidden, c.attrs),
        "public_cursor": term.cursor,
        "modes": term.modes,
        "margins": s.margins,
        "title": (term.title, s.icon_name),
        "alt": term.alt_screen,
        "saved": (saved(0), saved(1) if s.alt else None),
        "tabstops": sorted(s.tabstops),
        "charsets": (s.g0_charset, s.g1_charset, s.charset),
        "keypad": s.keypad_app,
    }
