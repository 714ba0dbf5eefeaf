"""Cells and lines: the pieces of pyte's sparse ``{y: {x: Char}}`` buffer, and the
wide-character invariant every screen operation keeps: a wide character is always
followed by its empty stub cell (``data == ""``), and a stub always follows one."""

from __future__ import annotations

import re
from collections import defaultdict

from pyte.screens import Char, StaticDefaultDict, wcwidth
from wcwidth import wcwidth as _wcwidth

Line = StaticDefaultDict[int, Char]
Buffer = dict[int, Line]

BLANK = Char(" ")
CACHE_LIMIT = 512


def _narrow_ranges() -> str:
    """A regex class body of the characters below U+3000 that take exactly one cell."""
    ranges: list[tuple[int, int]] = []
    for code in range(0xA0, 0x3000):
        if _wcwidth(chr(code)) == 1:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "\x20-\x7e" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges)


NARROW_CLASS = _narrow_ranges()
#: Runs of one-cell characters, and runs of anything else.
NARROW = re.compile(f"[{NARROW_CLASS}]+")
OTHER = re.compile(f"[^{NARROW_CLASS}]+")


def is_wide(data: str) -> bool:
    """Does this cell's text take two cells?"""
    return bool(data) and wcwidth(data[0]) == 2


class Cells(dict[str, Char]):
    """Cells of one set of attributes, keyed by character (cells are immutable tuples)."""

    __slots__ = ("attrs",)

    def __init__(self, attrs: Char) -> None:
        super().__init__()
        self.attrs = attrs

    def __missing__(self, data: str) -> Char:
        cell = self[data] = self.attrs._replace(data=data)
        return cell


def default_tabstops(start: int, columns: int) -> set[int]:
    """Tab stops every 8 columns, after column ``start``."""
    return set(range((start // 8 + 1) * 8, columns, 8))


def break_wide(line: Line, start: int, end: int) -> None:
    """Before cells ``start..end-1`` are overwritten: blank the halves of wide
    characters that stick out of that range on either side."""
    if start > 0:
        cell = line.get(start)
        if cell is not None and cell.data == "":
            owner = line.get(start - 1)
            if owner is not None and is_wide(owner.data):
                line[start - 1] = owner._replace(data=" ")
    cell = line.get(end)
    if cell is not None and cell.data == "":
        line[end] = cell._replace(data=" ")


def new_buffer() -> Buffer:
    """An empty screen buffer (lines appear on first access)."""
    return defaultdict(lambda: StaticDefaultDict[int, Char](BLANK))


def printable(text: str) -> str:
    """``text`` without control characters (for titles)."""
    return "".join(c for c in text if c.isprintable())
