"""``ScreenState``: the terminal state around the cells — modes, alternate screen,
saved cursors, scroll region, pen (SGR), title, size — fixed where pyte 0.8.2 is wrong:
no alternate screen; DECCOLM resizes to 132 columns and DECSCNM rewrites every cell (both
ignored here, as xterm does by default); DECRC restores cursor visibility and the
saved-cursor stack grows without bound (one slot per buffer here, like xterm); DECSTBM
keeps the old top for a missing parameter; ``resize`` drops lines at the top even when
the cursor is high up and leaves the cursor out of bounds.
"""

from __future__ import annotations

import copy
from typing import Any

import pyte
from pyte import modes as mo
from pyte.charsets import LAT1_MAP
from pyte.screens import Char, Margins, Savepoint

from .cells import BLANK, CACHE_LIMIT, Buffer, default_tabstops, is_wide, new_buffer, printable
from .sgr import apply_sgr

ALT_MODES = frozenset({47, 1047, 1049})
#: Private modes that are tracked (shifted like pyte does: ``mode << 5``) and dumped:
#: app cursor keys, origin, autowrap, cursor blink, cursor visible, X10/normal/button/any
#: mouse, focus events, UTF-8/SGR/urxvt mouse encodings, bracketed paste.
TRACKED_PRIVATE = frozenset(
    m << 5 for m in (1, 6, 7, 12, 25, 9, 1000, 1002, 1003, 1004, 1005, 1006, 1015, 2004)
)
#: Public modes tracked: insert (IRM) and newline (LNM).
TRACKED_PUBLIC = frozenset({mo.IRM, mo.LNM})


class ScreenState(pyte.Screen):
    """pyte.Screen with xterm's modes, alternate screen and saved cursors."""

    def __init__(self, columns: int, lines: int) -> None:
        self.alt = False
        self._sgr: dict[tuple[Char, str], Char] = {}
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
        self._main: Buffer = new_buffer()
        self.saved: list[Savepoint | None] = [None, None]  # [main, alt]
        self.keypad_app = False
        self.last_char = ""
        self.mode = {mo.DECAWM, mo.DECTCEM}

    def set_title(self, param: str) -> None:
        self.title = printable(param)

    def set_icon_name(self, param: str) -> None:
        self.icon_name = printable(param)

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
            self._main, self.buffer = self.buffer, new_buffer()
            self.alt = True
            self.saved[1] = None
        elif not on and self.alt:
            self.buffer, self._main = self._main, new_buffer()
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
        """SGR with the parameter text as sent; results are memoised (few distinct)."""
        key = (self.cursor.attrs, params)
        attrs = self._sgr.get(key)
        if attrs is None:
            if len(self._sgr) > CACHE_LIMIT * 8:
                self._sgr.clear()
            attrs = self._sgr[key] = apply_sgr(self.cursor.attrs, params, BLANK)
        self.cursor.attrs = attrs

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
