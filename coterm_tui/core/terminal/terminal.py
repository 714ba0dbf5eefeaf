"""``Terminal``: the screen API the player, the relay and the viewer use."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat

from pyte.screens import Char

from ..events import check_size
from .dump import dump
from .parser import Parser
from .screen import Screen

Cell = Char
"""One screen cell: pyte's ``Char`` (data, fg, bg, bold, italics, underscore,
strikethrough, reverse, blink). ``data`` is ``""`` for the right half of a wide
character; colours are ``"default"``, a name (``"red"``, ``"brightbrown"``) or hex."""


class Terminal:
    """A ``cols`` × ``rows`` terminal screen fed with decoded output text."""

    def __init__(self, cols: int, rows: int) -> None:
        check_size(cols, rows)
        self._screen = Screen(cols, rows)
        self._parser = Parser(self._screen)

    @property
    def cols(self) -> int:
        return self._screen.columns

    @property
    def rows(self) -> int:
        return self._screen.lines

    @property
    def screen(self) -> Screen:
        """The underlying pyte screen (for renderers and the dump; treat as read-only)."""
        return self._screen

    def feed(self, text: str) -> None:
        """Apply terminal output. Never raises; an incomplete escape sequence at the end
        is kept until the next call."""
        self._parser.feed(text)

    def resize(self, cols: int, rows: int) -> None:
        """Change the size (raises ``EventError`` for absurd sizes); the cursor stays
        on screen, lines scroll off the top only when the cursor would fall off."""
        check_size(cols, rows)
        self._screen.resize(rows, cols)

    def dump(self) -> str:
        """Escape sequences that rebuild this screen in a fresh ``Terminal(cols, rows)``."""
        return dump(self._screen)

    def row(self, y: int) -> Sequence[Cell]:
        blank = self._screen.default_char
        line = self._screen.buffer.get(y)
        if line is None:
            return [blank] * self.cols
        return list(map(line.get, range(self.cols), repeat(blank)))

    @property
    def cursor(self) -> tuple[int, int, bool]:
        """(x, y, visible); x stays inside the screen while a wrap is pending."""
        c = self._screen.cursor
        return min(c.x, self.cols - 1), c.y, not c.hidden

    def take_dirty(self) -> set[int]:
        """Rows changed since the previous call."""
        dirty, self._screen.dirty = self._screen.dirty, set()
        return {y for y in dirty if 0 <= y < self.rows}

    @property
    def title(self) -> str:
        return self._screen.title

    @property
    def alt_screen(self) -> bool:
        return self._screen.alt

    @property
    def modes(self) -> frozenset[int]:
        """Tracked modes, as pyte numbers them (private modes shifted left by 5)."""
        return frozenset(self._screen.mode)

    @property
    def errors(self) -> int:
        """How many escape sequences failed inside the emulator (and were skipped)."""
        return self._parser.errors

    def text(self) -> list[str]:
        """The rows as text, trailing spaces trimmed (wide characters count once)."""
        return ["".join(cell.data for cell in self.row(y)).rstrip(" ") for y in range(self.rows)]
