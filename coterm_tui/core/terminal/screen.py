"""``Screen``: pyte's screen with the fixes real programs need.

pyte 0.8.2 keeps a sparse ``{y: {x: Char}}`` buffer and gets these wrong, so they are
overridden here:

* ``draw`` stops at the first zero-width or unprintable character and loses the rest of
  the run; it splits wide characters (a narrow character over half of a wide one leaves
  the other half behind) and puts a wide character into the last column. Here a run of
  ASCII text takes a fast path (one dict update per line), and every operation keeps the
  invariant *a wide character is always followed by its empty stub cell, and a stub always
  follows its wide character* — which is what makes ``dump`` exact and rendering aligned.
* no alternate screen (47/1047/1049), no SU/SD, no REP, CHT, CBT; DECCOLM resizes to 132
  columns and DECSCNM rewrites every cell — both ignored here, as xterm does by default.
* ``erase_in_display`` only recolours cells that were written before; ED 3 clears the
  screen (it clears scrollback only); ``delete_lines`` keeps stale lines; ``insert_characters``
  writes past the right edge; ``resize`` drops lines at the top even when the cursor is high
  up and leaves the cursor out of bounds; DECRC restores cursor visibility and the
  saved-cursor stack grows without bound (one slot per buffer here, like xterm).
"""

from __future__ import annotations

import copy
import unicodedata
from collections import defaultdict
from typing import Any

import pyte
from pyte import modes as mo
from pyte.charsets import LAT1_MAP
from pyte.screens import Char, Margins, Savepoint, StaticDefaultDict, wcwidth

from .sgr import apply_sgr

Line = StaticDefaultDict[int, Char]
Buffer = dict[int, Line]

BLANK = Char(" ")
ALT_MODES = frozenset({47, 1047, 1049})
#: Private modes that are tracked (shifted like pyte does: ``mode << 5``) and dumped:
#: app cursor keys, origin, autowrap, cursor blink, cursor visible, X10/normal/button/any
#: mouse, focus events, UTF-8/SGR/urxvt mouse encodings, bracketed paste.
TRACKED_PRIVATE = frozenset(
    m << 5 for m in (1, 6, 7, 12, 25, 9, 1000, 1002, 1003, 1004, 1005, 1006, 1015, 2004)
)
#: Public modes tracked: insert (IRM) and newline (LNM).
TRACKED_PUBLIC = frozenset({mo.IRM, mo.LNM})
_CACHE_LIMIT = 512


def is_wide(data: str) -> bool:
    return bool(data) and wcwidth(data[0]) == 2


class _Cells(dict[str, Char]):
    """Cells of one set of attributes, keyed by character (cells are immutable tuples)."""

    __slots__ = ("attrs",)

    def __init__(self, attrs: Char) -> None:
        super().__init__()
        self.attrs = attrs

    def __missing__(self, data: str) -> Char:
        cell = self[data] = self.attrs._replace(data=data)
        return cell


def default_tabstops(start: int, columns: int) -> set[int]:
    return set(range((start // 8 + 1) * 8, columns, 8))


class Screen(pyte.Screen):
    """pyte.Screen plus alternate screen, scrolling, exact wide-character handling."""

    def __init__(self, columns: int, lines: int) -> None:
        self.alt = False
        self._cells: dict[Char, _Cells] = {}
        super().__init__(columns, lines)

    @property
    def default_char(self) -> Char:
        return BLANK

    def reset(self) -> None:
        if self.alt:
            self.buffer = self._main
        self.alt = False
        super().reset()
        self.g1_charset = LAT1_MAP  # xterm's G1 is ASCII, not line drawing
        self._main: Buffer = _new_buffer()
        self.saved: list[Savepoint | None] = [None, None]  # [main, alt]
        self.keypad_app = False
        self.last_char = ""
        self.mode = {mo.DECAWM, mo.DECTCEM}

    # --- drawing -------------------------------------------------------------------

    def draw(self, data: str) -> None:
        table = self.g1_charset if self.charset else self.g0_charset
        if table is not LAT1_MAP:
            data = data.translate(table)
        if data.isascii() and mo.IRM not in self.mode:
            self._draw_ascii(data)
        else:
            self._draw_any(data)
        self.last_char = data[-1]

    def _cells_for(self, attrs: Char) -> _Cells:
        cells = self._cells.get(attrs)
        if cells is None:
            if len(self._cells) > _CACHE_LIMIT:
                self._cells.clear()
            cells = self._cells[attrs] = _Cells(attrs)
        return cells

    def _wrap(self) -> None:
        self.dirty.add(self.cursor.y)
        self.carriage_return()
        self.linefeed()

    def _draw_ascii(self, data: str) -> None:
        cursor, columns = self.cursor, self.columns
        cell = self._cells_for(cursor.attrs).__getitem__
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
            self._break_wide(line, x, end)
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
                else:
                    cursor.x = columns - width
            x = cursor.x
            line = self.buffer[cursor.y]
            if mo.IRM in self.mode:
                self.insert_characters(width)
            self._break_wide(line, x, x + width)
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

    @staticmethod
    def _break_wide(line: Line, start: int, end: int) -> None:
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

    def _fix_right_edge(self, line: Line) -> None:
        last = line.get(self.columns - 1)
        if last is not None and is_wide(last.data):
            line[self.columns - 1] = last._replace(data=" ")

    def repeat_last(self, count: int | None = None) -> None:
        """REP: repeat the last drawn character."""
        if self.last_char:
            self.draw(self.last_char * min(count or 1, self.columns * self.lines))

    def set_title(self, param: str) -> None:
        self.title = _printable(param)

    def set_icon_name(self, param: str) -> None:
        self.icon_name = _printable(param)

    def alignment_display(self) -> None:
        self.dirty.update(range(self.lines))
        self.buffer.clear()
        cells = self._cells_for(BLANK)
        for y in range(self.lines):
            self.buffer[y].update(dict.fromkeys(range(self.columns), cells["E"]))

    # --- erasing, inserting, deleting -------------------------------------------------

    def _fill(self, line: Line, start: int, end: int) -> None:
        self._break_wide(line, start, end)
        attrs = self.cursor.attrs
        if attrs == BLANK:
            for x in range(start, end):
                line.pop(x, None)
        else:
            line.update(dict.fromkeys(range(start, end), attrs))

    def erase_characters(self, count: int | None = None) -> None:
        x = min(self.cursor.x, self.columns - 1)
        self._fill(self.buffer[self.cursor.y], x, min(x + (count or 1), self.columns))
        self.dirty.add(self.cursor.y)

    def erase_in_line(self, how: int = 0, private: bool = False) -> None:
        x = min(self.cursor.x, self.columns - 1)
        span = {0: (x, self.columns), 1: (0, x + 1), 2: (0, self.columns)}.get(how)
        if span is not None:
            self._fill(self.buffer[self.cursor.y], *span)
            self.dirty.add(self.cursor.y)

    def erase_in_display(self, how: int = 0, *args: Any, **kwargs: Any) -> None:
        y = self.cursor.y
        rows = {0: range(y + 1, self.lines), 1: range(y), 2: range(self.lines)}.get(how)
        if rows is None:
            return  # ED 3 clears scrollback, which this screen has none of.
        for row in rows:
            if self.cursor.attrs == BLANK:
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
        self._break_wide(line, x, x)
        moved = [line.pop(i, None) for i in range(x, self.columns)]
        for i, cell in enumerate(moved[: self.columns - x - count]):
            if cell is not None:
                line[x + count + i] = cell
        self._fix_right_edge(line)
        self.dirty.add(self.cursor.y)

    def delete_characters(self, count: int | None = None) -> None:
        x = min(self.cursor.x, self.columns - 1)
        count = min(count or 1, self.columns - x)
        line = self.buffer[self.cursor.y]
        self._break_wide(line, x, x + count)
        moved = [line.pop(i, None) for i in range(x, self.columns)]
        for i, cell in enumerate(moved[count:]):
            if cell is not None:
                line[x + i] = cell
        self.dirty.add(self.cursor.y)

    # --- scrolling --------------------------------------------------------------------

    def _shift_lines(self, top: int, bottom: int, count: int) -> None:
        """Move lines ``top..bottom`` up by ``count`` (down when negative), blanking."""
        rows = [self.buffer.pop(y, None) for y in range(top, bottom + 1)]
        count = max(-len(rows), min(count, len(rows)))
        blank: list[Line | None] = [None] * abs(count)
        rows = rows[count:] + blank if count >= 0 else blank + rows[:count]
        for y, row in enumerate(rows, top):
            if row is not None:
                self.buffer[y] = row
        self.dirty.update(range(top, bottom + 1))

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

    # --- modes, alternate screen, saved cursor ----------------------------------------

    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        self._modes(modes, kwargs.get("private", False), on=True)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        self._modes(modes, kwargs.get("private", False), on=False)

    def _modes(self, modes: tuple[int, ...], private: bool, on: bool) -> None:
        plain = []
        for m in modes:
            if private and m in ALT_MODES:
                self._switch(m, on)
            elif private and m == 1048:
                if on:
                    self.save_cursor()
                else:
                    self.restore_cursor()
            elif (m << 5 in TRACKED_PRIVATE) if private else (m in TRACKED_PUBLIC):
                plain.append(m)
        if plain:
            parent = super().set_mode if on else super().reset_mode
            parent(*plain, private=private)

    def _switch(self, mode: int, on: bool) -> None:
        if on and not self.alt:
            if mode == 1049:
                self.save_cursor()
            self._main, self.buffer = self.buffer, _new_buffer()
            self.alt = True
            self.saved[1] = None
        elif not on and self.alt:
            self.buffer, self._main = self._main, _new_buffer()
            self.alt = False
        if not on and mode == 1049:
            self.restore_cursor()
        self.dirty.update(range(self.lines))

    def save_cursor(self) -> None:
        self.saved[self.alt] = Savepoint(
            copy.copy(self.cursor), self.g0_charset, self.g1_charset, self.charset,
            mo.DECOM in self.mode, mo.DECAWM in self.mode,
        )  # fmt: skip

    def restore_cursor(self) -> None:
        point = self.saved[self.alt]
        if point is None:
            self.mode.discard(mo.DECOM)
            self.cursor_position()
            return
        self.g0_charset, self.g1_charset = point.g0_charset, point.g1_charset
        self.charset = point.charset
        for flag, mode in ((point.origin, mo.DECOM), (point.wrap, mo.DECAWM)):
            if flag:
                self.mode.add(mode)
            else:
                self.mode.discard(mode)
        hidden = self.cursor.hidden
        self.cursor = copy.copy(point.cursor)
        self.cursor.hidden = hidden
        self.cursor.x = min(self.cursor.x, self.columns)
        self.cursor.y = min(self.cursor.y, self.lines - 1)

    def soft_reset(self) -> None:
        """DECSTR."""
        self.mode -= {mo.IRM, mo.DECOM, 1 << 5}
        self.mode |= {mo.DECAWM, mo.DECTCEM}
        self.cursor.hidden = False
        self.margins = None
        self.cursor.attrs = BLANK
        self.charset, self.g0_charset, self.g1_charset = 0, LAT1_MAP, LAT1_MAP
        self.saved[self.alt] = None

    def set_margins(self, top: int | None = None, bottom: int | None = None) -> None:
        """DECSTBM: 1-based, 0 or missing means the screen edge; homes the cursor."""
        first, last = max(1, top or 1) - 1, min(bottom or self.lines, self.lines) - 1
        if last - first < 1:
            return
        self.margins = None if (first, last) == (0, self.lines - 1) else Margins(first, last)
        self.cursor_position()

    def select_graphic_rendition(self, *attrs: int, **kwargs: Any) -> None:
        self.cursor.attrs = apply_sgr(self.cursor.attrs, ";".join(map(str, attrs)), BLANK)

    def sgr(self, params: str) -> None:
        self.cursor.attrs = apply_sgr(self.cursor.attrs, params, BLANK)

    # --- resize -----------------------------------------------------------------------

    def resize(self, lines: int | None = None, columns: int | None = None) -> None:
        lines, columns = lines or self.lines, columns or self.columns
        if (lines, columns) == (self.lines, self.columns):
            return
        main_saved = self.saved[0]
        for buffer, cursor in (
            (self.buffer, self.cursor),
            (self._main, main_saved.cursor if self.alt and main_saved else None),
        ):
            self._resize_buffer(buffer, cursor, lines, columns)
        if columns > self.columns:
            self.tabstops |= default_tabstops(self.columns - 1, columns)
        self.tabstops = {t for t in self.tabstops if t < columns}
        old_columns = self.columns
        self.lines, self.columns = lines, columns
        self.margins = None
        for point in self.saved:
            if point is not None:
                self._clamp(point.cursor, old_columns)
        self._clamp(self.cursor, old_columns)
        self.dirty.update(range(lines))

    def _resize_buffer(
        self, buffer: Buffer, cursor: pyte.screens.Cursor | None, lines: int, columns: int
    ) -> None:
        if lines < self.lines:
            excess = max(0, cursor.y - lines + 1) if cursor is not None else 0
            rows = [buffer.pop(y, None) for y in range(self.lines)][excess : excess + lines]
            buffer.clear()
            buffer.update((y, row) for y, row in enumerate(rows) if row is not None)
            if cursor is not None:
                cursor.y -= excess
        if columns < self.columns:
            for line in buffer.values():
                for x in [x for x in line if x >= columns]:
                    del line[x]
                last = line.get(columns - 1)
                if last is not None and is_wide(last.data):
                    line[columns - 1] = last._replace(data=" ")

    def _clamp(self, cursor: pyte.screens.Cursor, old_columns: int) -> None:
        if self.columns != old_columns:
            cursor.x = min(cursor.x, self.columns - 1)
        cursor.y = max(0, min(cursor.y, self.lines - 1))


def _new_buffer() -> Buffer:
    return defaultdict(lambda: StaticDefaultDict[int, Char](BLANK))


def _printable(text: str) -> str:
    return "".join(c for c in text if c.isprintable())
