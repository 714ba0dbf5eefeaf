"""``dump(screen)``: a snapshot of the screen as plain escape sequences.

Feeding the result into a fresh ``Terminal`` of the same size rebuilds every cell (text
and attributes), the cursor (position, pending wrap, visibility, pen, charsets), the saved
cursor of each buffer, the scroll region, tab stops, tracked modes, keypad mode, title —
and, when the alternate screen is active, the main screen underneath it, so leaving the
alternate screen after a restore shows what it showed originally. Only standard sequences
are used (RIS first), so the snapshot also means the same thing to a real terminal.
"""

from __future__ import annotations

from pyte import modes as mo
from pyte.charsets import MAPS
from pyte.graphics import FG_BG_256
from pyte.screens import Char, Cursor

from .cells import BLANK, Buffer, default_tabstops
from .screen import Screen
from .sgr import NAME_INDEX

_FLAGS = (
    ("bold", "1", "22"),
    ("italics", "3", "23"),
    ("underscore", "4", "24"),
    ("blink", "5", "25"),
    ("reverse", "7", "27"),
    ("strikethrough", "9", "29"),
)
_INDEX_256 = {hexa: i for i, hexa in reversed(list(enumerate(FG_BG_256)))}
_CHARSET_CODE = {id(table): code for code, table in MAPS.items()}
_DEFAULT_MODES = frozenset({mo.DECAWM, mo.DECTCEM})


def colour_code(colour: str, base: int) -> str:
    """SGR parameters for a pyte colour; ``base`` is 30 (foreground) or 40 (background)."""
    if colour == "default":
        return str(base + 9)
    index = NAME_INDEX.get(colour)
    if index is not None:
        return str(base + index if index < 8 else base + 60 + index - 8)
    index = _INDEX_256.get(colour)
    if index is not None:
        return f"{base + 8};5;{index}"
    try:
        r, g, b = int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)
    except ValueError:
        return str(base + 9)
    return f"{base + 8};2;{r};{g};{b}"


def sgr_params(cell: Char, old: Char | None = None) -> str:
    """SGR parameters turning attributes ``old`` (None: unknown) into ``cell``'s."""
    full = ["0"]
    full += [on for name, on, _off in _FLAGS if getattr(cell, name)]
    if cell.fg != "default":
        full.append(colour_code(cell.fg, 30))
    if cell.bg != "default":
        full.append(colour_code(cell.bg, 40))
    if old is None:
        return ";".join(full)
    diff = [
        on if getattr(cell, name) else off
        for name, on, off in _FLAGS
        if getattr(cell, name) != getattr(old, name)
    ]
    if cell.fg != old.fg:
        diff.append(colour_code(cell.fg, 30))
    if cell.bg != old.bg:
        diff.append(colour_code(cell.bg, 40))
    return ";".join(diff if len(diff) < len(full) else full)


class _Writer:
    """Accumulates the dump, remembering the pen so SGR changes stay minimal."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.parts: list[str] = ["\x1bc"]
        self.pen = BLANK

    def sgr(self, attrs: Char) -> None:
        if attrs[1:] != self.pen[1:]:
            self.parts.append(f"\x1b[{sgr_params(attrs, self.pen)}m")
            self.pen = attrs

    def content(self, buffer: Buffer) -> None:
        cols, out = self.screen.columns, self.parts
        for y in sorted(buffer):
            line = buffer[y]
            used = [x for x, cell in line.items() if x < cols and cell != BLANK]
            if not used or y >= self.screen.lines:
                continue
            out.append(f"\x1b[{y + 1}H")
            skip = 0
            for x in range(max(used) + 1):
                cell = line[x]
                if cell.data == "":
                    continue  # right half of a wide character: drawn with it
                if cell == BLANK:
                    skip += 1
                    continue
                if skip:
                    out.append(" " * skip if skip < 4 and self.pen == BLANK else f"\x1b[{skip}C")
                    skip = 0
                self.sgr(cell)
                out.append(cell.data)

    def place(self, cursor: Cursor, origin: bool, buffer: Buffer) -> None:
        """Move to ``cursor`` under origin mode ``origin``, recreating a pending wrap."""
        screen, out = self.screen, self.parts
        out.append("\x1b[?6h" if origin else "\x1b[?6l")
        top = screen.margins.top if origin and screen.margins else 0
        x = min(cursor.x, screen.columns - 1)
        if cursor.x >= screen.columns:
            line: dict[int, Char] = buffer.get(cursor.y, {})
            last = line.get(x, BLANK)
            if last.data == "" and x > 0:
                x, last = x - 1, line.get(x - 1, BLANK)
            out.append(f"\x1b[{cursor.y - top + 1};{x + 1}H")
            self.sgr(last)
            out.append(last.data or " ")
        else:
            out.append(f"\x1b[{cursor.y - top + 1};{x + 1}H")

    def charsets(self, g0: str, g1: str, shifted: int) -> None:
        self.parts.append(f"\x1b({_CHARSET_CODE.get(id(g0), 'B')}")
        self.parts.append(f"\x1b){_CHARSET_CODE.get(id(g1), 'B')}")
        self.parts.append("\x0e" if shifted else "\x0f")

    def saved(self, index: int, buffer: Buffer) -> None:
        """Recreate the saved cursor (DECSC) of the current buffer, then undo side effects."""
        point = self.screen.saved[index]
        if point is None:
            return
        self.parts.append("\x1b[?7h" if point.wrap else "\x1b[?7l")
        self.place(point.cursor, point.origin, buffer)
        self.sgr(point.cursor.attrs)
        self.charsets(point.g0_charset, point.g1_charset, point.charset)
        self.parts.append("\x1b7\x1b(B\x1b)B\x0f\x1b[?6l\x1b[?7h")

    def modes(self, private: bool) -> None:
        mode = self.screen.mode
        for m in sorted((mode ^ _DEFAULT_MODES) - {mo.DECOM}):
            if ((m & 31) == 0) == private:
                prefix, number = ("?", m >> 5) if private else ("", m)
                self.parts.append(f"\x1b[{prefix}{number}{'h' if m in mode else 'l'}")


def dump(screen: Screen) -> str:
    w = _Writer(screen)
    if screen.margins is not None:
        w.parts.append(f"\x1b[{screen.margins.top + 1};{screen.margins.bottom + 1}r")
    if screen.alt:
        w.content(screen._main)
        w.saved(0, screen._main)
        w.parts.append("\x1b[?47h")
    w.content(screen.buffer)
    w.saved(1 if screen.alt else 0, screen.buffer)
    if screen.tabstops != default_tabstops(0, screen.columns):
        w.parts.append("\x1b[3g")
        w.parts.extend(f"\x1b[{stop + 1}G\x1bH" for stop in sorted(screen.tabstops))
    w.modes(private=True)
    w.place(screen.cursor, mo.DECOM in screen.mode, screen.buffer)
    w.modes(private=False)
    w.charsets(screen.g0_charset, screen.g1_charset, screen.charset)
    w.sgr(screen.cursor.attrs)
    if screen.icon_name:
        w.parts.append(f"\x1b]1;{screen.icon_name}\x07")
    if screen.title:
        w.parts.append(f"\x1b]2;{screen.title}\x07")
    if screen.keypad_app:
        w.parts.append("\x1b=")
    return "".join(w.parts)
