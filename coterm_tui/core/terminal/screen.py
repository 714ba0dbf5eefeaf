"""``Screen``: the cells — drawing, erasing, inserting, deleting, scrolling, tabs —
fixed where pyte 0.8.2 is wrong for real programs:

* ``draw`` stops at the first zero-width or unprintable character and loses the rest of
  the run; it splits wide characters (a narrow character over half of a wide one leaves
  the other half behind) and puts a wide character into the last column. Here a run of
  one-cell characters takes a fast path (one dict update per line), and every operation
  keeps the wide-character invariant of ``cells`` — which makes ``dump`` exact and
  rendering aligned.
* no SU/SD, REP, CHT, CBT; ``erase_in_display`` only recolours cells that were written
  before, and ED 3 clears the screen (it clears scrollback only); ``delete_lines`` keeps
  stale lines; ``insert_characters`` writes past the right edge; VPA asserts under DECOM.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from pyte import modes as mo
from pyte.charsets import LAT1_MAP
from pyte.screens import Char, Margins, wcwidth

from .cells import (
    BLANK,
    CACHE_LIMIT,
    NARROW,
    OTHER,
    Cells,
    Line,
    break_wide,
    is_wide,
    new_buffer,
)  # fmt: skip
from .state import ScreenState


class Screen(ScreenState):
    """pyte.Screen plus alternate screen, scrolling, exact wide-character handling."""

    def __init__(self, columns: int, lines: int) -> None:
        self._cells: dict[Char, Cells] = {}
        self._last_cells = Cells(BLANK)
        super().__init__(columns, lines)

    # --- drawing -------------------------------------------------------------------

    def draw(self, data: str) -> None:
        table = self.g1_charset if self.charset else self.g0_charset
        if table is not LAT1_MAP:
            data = data.translate(table)
        if mo.IRM in self.mode:
            self._draw_any(data)
        elif data.isascii():
            self._draw_narrow(data)
        else:  # runs of one-cell characters take the fast path, the rest one by one
            pos, end = 0, len(data)
            while pos < end:
                m = NARROW.match(data, pos)
                if m is not None:
                    self._draw_narrow(m.group())
                else:
                    m = OTHER.match(data, pos)
                    assert m is not None
                    self._draw_any(m.group())
                pos = m.end()
        self.last_char = data[-1]

    def _cells_for(self, attrs: Char) -> Cells:
        last = self._last_cells
        if last.attrs is attrs:
            return last
        cells = self._cells.get(attrs)
        if cells is None:
            if len(self._cells) > CACHE_LIMIT:
                self._cells.clear()
            cells = self._cells[attrs] = Cells(attrs)
        self._last_cells = cells
        return cells

    def _wrap(self) -> None:
        self.dirty.add(self.cursor.y)
        self.carriage_return()
        self.linefeed()

    def _draw_narrow(self, data: str) -> None:
        """Draw characters that each take one cell (no combining, no wide)."""
        cursor, columns = self.cursor, self.columns
        cell = self._cells_for(cursor.attrs).__getitem__
        x = cursor.x
        end = x + len(data)
        if end <= columns:  # the usual case: the run fits on the line
            line = self.buffer[cursor.y]
            break_wide(line, x, end)
            line.update(zip(range(x, end), map(cell, data), strict=True))
            cursor.x = end
            self.dirty.add(cursor.y)
            return
        i, n = 0, len(data)
        while i < n:
            if cursor.x >= columns:
                if mo.DECAWM in self.mode:
                    self._wrap()
                else:
                    cursor.x, i = columns - 1, n - 1
            x = cursor.x
            end = min(columns, x + n - i)
            line = self.buffer[cursor.y]
            break_wide(line, x, end)
            line.update(zip(range(x, end), map(cell, data[i : i + end - x]), strict=True))
            i += end - x
            cursor.x = end
            self.dirty.add(cursor.y)

    def _draw_any(self, data: str) -> None:
        cursor, columns = self.cursor, self.columns
        cells = self._cells_for(cursor.attrs)
        for char in data:
            width = wcwidth(char)
            if width == 0:
                self._combine(char)
                continue
            if width < 0 or width > columns:
                continue
            if cursor.x + width > columns:
                if mo.DECAWM in self.mode:
                    self._wrap()
                elif width > 1:
                    continue  # no room and no autowrap: xterm drops a wide character
                else:
                    cursor.x = columns - 1
            x = cursor.x
            line = self.buffer[cursor.y]
            if mo.IRM in self.mode:
                self.insert_characters(width)
            break_wide(line, x, x + width)
            line[x] = cells[char]
            if width == 2:
                line[x + 1] = cells[""]
            cursor.x = x + width
            self.dirty.add(cursor.y)

    def _combine(self, char: str) -> None:
        """Attach a zero-width character to the cell left of the cursor."""
        x = min(self.cursor.x, self.columns) - 1
        line = self.buffer[self.cursor.y]
        if x > 0 and line[x].data == "":
            x -= 1
        if x < 0:
            return
        last = line[x]
        line[x] = last._replace(data=unicodedata.normalize("NFC", last.data + char))
        self.dirty.add(self.cursor.y)

    def _fix_right_edge(self, line: Line) -> None:
        last = line.get(self.columns - 1)
        if last is not None and is_wide(last.data):
            line[self.columns - 1] = last._replace(data=" ")

    def repeat_last(self, count: int | None = None) -> None:
        """REP: repeat the last drawn character."""
        if self.last_char:
            self.draw(self.last_char * min(count or 1, self.columns * self.lines))

    def alignment_display(self) -> None:
        self.dirty.update(range(self.lines))
        self.buffer.clear()
        cells = self._cells_for(BLANK)
        for y in range(self.lines):
            self.buffer[y].update(dict.fromkeys(range(self.columns), cells["E"]))

    # --- erasing, inserting, deleting -------------------------------------------------

    def _blank(self) -> Char:
        """The cell erasing leaves: a space in the pen's background colour only
        (background colour erase, as xterm and tmux do; pyte kept every attribute)."""
        bg = self.cursor.attrs.bg
        return BLANK if bg == "default" else BLANK._replace(bg=bg)

    def _fill(self, line: Line, start: int, end: int) -> None:
        break_wide(line, start, end)
        attrs = self._blank()
        if attrs is BLANK:
            span = range(start, end)
            for x in [x for x in line if x in span] if len(line) < len(span) else span:
                line.pop(x, None)
        else:
            line.update(dict.fromkeys(range(start, end), attrs))

    def erase_characters(self, count: int | None = None) -> None:
        x = min(self.cursor.x, self.columns - 1)
        self._fill(self.buffer[self.cursor.y], x, min(x + (count or 1), self.columns))
        self.dirty.add(self.cursor.y)

    def erase_in_line(self, how: int = 0, private: bool = False) -> None:
        x = min(self.cursor.x, self.columns - 1)
        if how == 0:
            self._fill(self.buffer[self.cursor.y], x, self.columns)
        elif how == 1:
            self._fill(self.buffer[self.cursor.y], 0, x + 1)
        elif how == 2:
            self._fill(self.buffer[self.cursor.y], 0, self.columns)
        self.dirty.add(self.cursor.y)

    def erase_in_display(self, how: int = 0, *args: Any, **kwargs: Any) -> None:
        y = self.cursor.y
        rows = {0: range(y + 1, self.lines), 1: range(y), 2: range(self.lines)}.get(how)
        if rows is None:
            return  # ED 3 clears scrollback, which this screen has none of.
        for row in rows:
            if self.cursor.attrs.bg == "default":
                self.buffer.pop(row, None)
            else:
                self._fill(self.buffer[row], 0, self.columns)
        self.dirty.update(rows)
        if how in (0, 1):
            self.erase_in_line(how)

    def insert_characters(self, count: int | None = None) -> None:
        x = min(self.cursor.x, self.columns - 1)
        count = min(count or 1, self.columns - x)
        line = self.buffer[self.cursor.y]
        break_wide(line, x, x)
        moved = [line.pop(i, None) for i in range(x, self.columns)]
        for i, cell in enumerate(moved[: self.columns - x - count]):
            if cell is not None:
                line[x + count + i] = cell
        self._fill(line, x, x + count)
        self._fix_right_edge(line)
        self.dirty.add(self.cursor.y)

    def delete_characters(self, count: int | None = None) -> None:
        x = min(self.cursor.x, self.columns - 1)
        count = min(count or 1, self.columns - x)
        line = self.buffer[self.cursor.y]
        break_wide(line, x, x + count)
        moved = [line.pop(i, None) for i in range(x, self.columns)]
        for i, cell in enumerate(moved[count:]):
            if cell is not None:
                line[x + i] = cell
        self._fill(line, self.columns - count, self.columns)
        self.dirty.add(self.cursor.y)

    # --- scrolling --------------------------------------------------------------------

    def _shift_lines(self, top: int, bottom: int, count: int) -> None:
        """Move lines ``top..bottom`` up by ``count`` (down when negative), blanking."""
        size = bottom - top + 1
        count = max(-size, min(count, size))
        if count > 0 and size == self.lines:  # the whole screen scrolls up: rekey in C
            old = self.buffer
            for y in range(count):
                old.pop(y, None)
            self.buffer = new_buffer()
            self.buffer.update(zip(map(count.__rsub__, old.keys()), old.values(), strict=True))
            fresh = range(bottom + 1 - count, bottom + 1)
        else:
            rows = [self.buffer.pop(y, None) for y in range(top, bottom + 1)]
            blank: list[Line | None] = [None] * abs(count)
            if count >= 0:
                rows, fresh = rows[count:] + blank, range(bottom + 1 - count, bottom + 1)
            else:
                rows, fresh = blank + rows[:count], range(top, top - count)
            for y, row in enumerate(rows, top):
                if row is not None:
                    self.buffer[y] = row
        if self.cursor.attrs.bg != "default":  # new lines take the background colour
            for y in fresh:
                self._fill(self.buffer[y], 0, self.columns)
        self.dirty.update(range(top, bottom + 1))

    def index(self) -> None:
        """IND / LF: down one line, scrolling the region at its bottom margin."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        if self.cursor.y == bottom:
            self._shift_lines(top, bottom, 1)
        else:
            self.cursor_down()

    def reverse_index(self) -> None:
        """RI: up one line, scrolling the region at its top margin."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        if self.cursor.y == top:
            self._shift_lines(top, bottom, -1)
        else:
            self.cursor_up()

    def scroll_up(self, count: int | None = None) -> None:
        """SU: scroll the region up; the cursor stays."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        self._shift_lines(top, bottom, count or 1)

    def scroll_down(self, count: int | None = None) -> None:
        """SD: scroll the region down; the cursor stays."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        self._shift_lines(top, bottom, -(count or 1))

    def insert_lines(self, count: int | None = None) -> None:
        top, bottom = self.margins or Margins(0, self.lines - 1)
        if top <= self.cursor.y <= bottom:
            self._shift_lines(self.cursor.y, bottom, -(count or 1))
            self.carriage_return()

    def delete_lines(self, count: int | None = None) -> None:
        top, bottom = self.margins or Margins(0, self.lines - 1)
        if top <= self.cursor.y <= bottom:
            self._shift_lines(self.cursor.y, bottom, count or 1)
            self.carriage_return()

    def cursor_position(self, line: int | None = None, column: int | None = None) -> None:
        """CUP/HVP (pyte's, without three method calls on this hot path)."""
        x, y = (column or 1) - 1, (line or 1) - 1
        margins = self.margins
        if margins is not None and mo.DECOM in self.mode:
            y += margins.top
            if not margins.top <= y <= margins.bottom:
                return
        self.cursor.x = min(max(x, 0), self.columns - 1)
        self.cursor.y = min(max(y, 0), self.lines - 1)

    def cursor_up(self, count: int | None = None) -> None:
        """CUU: stops at the top margin only from inside the region (pyte always clamps
        to it, moving a cursor above the region down into it)."""
        top = self.margins.top if self.margins and self.cursor.y >= self.margins.top else 0
        self.cursor.y = max(self.cursor.y - (count or 1), top)

    def cursor_down(self, count: int | None = None) -> None:
        """CUD: stops at the bottom margin only from inside the region."""
        bottom = self.lines - 1
        if self.margins and self.cursor.y <= self.margins.bottom:
            bottom = self.margins.bottom
        self.cursor.y = min(self.cursor.y + (count or 1), bottom)

    def cursor_to_line(self, line: int | None = None) -> None:
        """VPA (pyte's asserts, and leaves the cursor off screen, under DECOM)."""
        self.cursor.y = (line or 1) - 1
        if mo.DECOM in self.mode and self.margins is not None:
            self.cursor.y += self.margins.top
        self.ensure_vbounds()

    # --- tabs -------------------------------------------------------------------------

    def tab(self, count: int | None = None) -> None:
        """HT / CHT: forward to the next tab stop (or the last column)."""
        for _ in range(min(count or 1, self.columns)):
            stops = [s for s in self.tabstops if s > self.cursor.x]
            self.cursor.x = min(stops) if stops else self.columns - 1

    def back_tab(self, count: int | None = None) -> None:
        """CBT: back to the previous tab stop (or the first column)."""
        for _ in range(min(count or 1, self.columns)):
            stops = [s for s in self.tabstops if s < self.cursor.x]
            self.cursor.x = max(stops) if stops else 0
