"""``Parser``: escape-sequence tokenizer that drives a ``Screen``; it never raises.

pyte's ``Stream`` parses one character at a time through a generator and, when a screen
method raises (``CSI > 4;2 m`` from vim 9 gives ``TypeError``), it resets the generator and
re-raises — the rest of the chunk is lost. It also draws the tails of sequences it does not
know as text (``CSI ! p``, ``CSI 38:2::1:2:3 m``, DCS strings), and mistakes ``OSC 10;?``
for a title. This parser matches whole tokens with one regular expression (text runs, CSI,
ESC, C0/C1 controls), keeps an incomplete sequence at the end of a chunk for the next
``feed`` (so splitting the input anywhere gives the same screen), skips OSC/DCS/APC/PM/SOS
strings (and GNU screen's ``ESC k`` title) of any length in bounded memory, and counts
handler errors instead of raising.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .screen import Screen

ESC = "\x1b"
_TOKEN = re.compile(
    r"(?P<text>[^\x00-\x1f\x7f-\x9f]+)"
    r"|(?:\x1b\[|\x9b)(?P<cp>[<=>?]?)(?P<cparams>[0-9:;]*)(?P<cint>[\x20-\x2f]*)(?P<csi>[\x40-\x7e])"
    r"|\x1b(?P<eint>[\x20-\x2f]*)(?P<esc>[\x30-\x7e])"
    r"|(?P<ctl>[\x00-\x1f\x7f-\x9f])",
)
_OSC_END = re.compile(r"[\x07\x18\x1a\x1b\x9c]")
_STRING_END = re.compile(r"[\x18\x1a\x1b\x9c]")
_LINUX_PALETTE = re.compile(r"P[0-9a-fA-F]{7}")
_STRINGS = {"]": "osc", "P": "dcs", "X": "sos", "^": "pm", "_": "apc", "k": "screen title"}
_C1_STRINGS = {"\x9d": "osc", "\x90": "dcs", "\x98": "sos", "\x9e": "pm", "\x9f": "apc"}
_MAX_PARAM = 9999
_MAX_OSC = 4096
_MAX_PENDING = 512


class Parser:
    """Feeds text into ``screen``. ``errors`` counts sequences whose handler failed."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.errors = 0
        self._pending = ""  # incomplete escape sequence held from the previous chunk
        self._string: str | None = None  # inside an OSC/DCS/... string of this kind
        self._osc = ""
        s = screen
        self._controls: dict[str, Callable[[], None]] = {
            "\x08": s.backspace, "\x09": s.tab, "\x0a": s.linefeed, "\x0b": s.linefeed,
            "\x0c": s.linefeed, "\x0d": s.carriage_return, "\x0e": s.shift_out,
            "\x0f": s.shift_in, "\x84": s.index, "\x85": self._nel, "\x88": s.set_tab_stop,
            "\x8d": s.reverse_index,
        }  # fmt: skip
        self._escapes: dict[str, Callable[[], None]] = {
            "7": s.save_cursor, "8": s.restore_cursor, "D": s.index, "E": self._nel,
            "M": s.reverse_index, "H": s.set_tab_stop, "c": s.reset,
            "=": self._keypad_app, ">": self._keypad_normal,
        }  # fmt: skip
        two, one, every = 2, 1, 0  # how many parameters a handler takes (0: all)
        self._csi: dict[str, tuple[Callable[..., None], int]] = {
            "@": (s.insert_characters, one), "A": (s.cursor_up, one),
            "B": (s.cursor_down, one), "C": (s.cursor_forward, one),
            "D": (s.cursor_back, one), "E": (s.cursor_down1, one), "F": (s.cursor_up1, one),
            "G": (s.cursor_to_column, one), "H": (s.cursor_position, two), "I": (s.tab, one),
            "J": (s.erase_in_display, one), "K": (s.erase_in_line, one),
            "L": (s.insert_lines, one), "M": (s.delete_lines, one),
            "P": (s.delete_characters, one), "S": (self._scroll_up, every),
            "T": (self._scroll_down, every), "X": (s.erase_characters, one),
            "Z": (s.back_tab, one), "`": (s.cursor_to_column, one),
            "a": (s.cursor_forward, one), "b": (s.repeat_last, one),
            "d": (s.cursor_to_line, one), "e": (s.cursor_down, one),
            "f": (s.cursor_position, two), "g": (s.clear_tab_stop, one),
            "h": (s.set_mode, every), "l": (s.reset_mode, every), "r": (s.set_margins, two),
            "s": (self._save_cursor, every), "u": (self._restore_cursor, every),
        }  # fmt: skip

    def feed(self, data: str) -> None:
        if self._pending:
            data, self._pending = self._pending + data, ""
        pos, end = 0, len(data)
        match = _TOKEN.match
        draw = self.screen.draw
        while pos < end:
            if self._string is not None:
                try:
                    pos = self._in_string(data, pos)
                except Exception:
                    self.errors += 1
                    self._string = None
                continue
            m = match(data, pos)
            assert m is not None  # every character starts some token
            kind = m.lastgroup
            pos = m.end()
            try:
                if kind == "text":
                    draw(m.group(1))
                elif kind == "csi":
                    self._dispatch_csi(*m.group("cp", "cparams", "cint", "csi"))
                elif kind == "esc":
                    pos = self._escape(data, m.start(), m.group("eint"), m[kind])
                else:
                    pos = self._control(data, m.start())
            except Exception:
                self.errors += 1

    # --- tokens -----------------------------------------------------------------------

    def _control(self, data: str, start: int) -> int:
        char = data[start]
        handler = self._controls.get(char)
        if char != ESC:
            self.screen.last_char = ""
        if handler is not None:
            handler()
        elif char == ESC:
            if len(data) - start <= 16 and all("\x20" <= c <= "\x2f" for c in data[start + 1 :]):
                self._hold(data[start:])  # ESC [intermediates] at the end of the chunk
                return len(data)
        elif char == "\x9b":
            return self._slow_csi(data, start, start + 1)
        elif char in _C1_STRINGS:
            self._open_string(_C1_STRINGS[char])
        return start + 1

    def _escape(self, data: str, start: int, inter: str, final: str) -> int:
        after = start + 2 + len(inter)
        if final == "[" and not inter:
            return self._slow_csi(data, start, after)
        self.screen.last_char = ""
        if inter:
            if inter == "(" or inter == ")":
                self.screen.define_charset(final, inter)
            elif inter == "#" and final == "8":
                self.screen.alignment_display()
            return after
        if final in _STRINGS:
            self._open_string(_STRINGS[final])
            return after
        handler = self._escapes.get(final)
        if handler is not None:
            handler()
        return after

    def _slow_csi(self, data: str, start: int, body: int) -> int:
        """A CSI the fast pattern did not match: incomplete, or with controls inside
        (executed, like xterm does), or malformed (ignored up to its final byte)."""
        seq = []
        pos = body
        while pos < len(data):
            char = data[pos]
            if "\x20" <= char <= "\x3f":
                seq.append(char)
            elif "\x40" <= char <= "\x7e":
                m = _TOKEN.match("\x1b[" + "".join(seq) + char)
                if m is not None and m.lastgroup == "csi":
                    self._dispatch_csi(m.group("cp"), m.group("cparams"), m.group("cint"), char)
                return pos + 1
            elif char in "\x18\x1a":
                return pos + 1  # CAN/SUB abort the sequence
            elif char == ESC or char >= "\x80":
                return pos  # abort; the character starts something new
            elif char != "\x7f":
                handler = self._controls.get(char)
                if handler is not None:
                    handler()
            if len(seq) > _MAX_PENDING:
                return pos + 1
            pos += 1
        self._hold("\x1b[" + "".join(seq))
        return len(data)

    def _dispatch_csi(self, private: str, params: str, inter: str, final: str) -> None:
        screen = self.screen
        if final == "m":
            screen.last_char = ""
            if not private and not inter:
                screen.sgr(params)
            return
        if final != "b":
            screen.last_char = ""  # REP only repeats a character drawn just before it
        if inter or private or ":" in params:
            self._unusual_csi(private, params, inter, final)
            return
        entry = self._csi.get(final)
        if entry is None:
            return
        handler, arity = entry
        if not params:
            handler()
        elif params.isdigit():
            handler(min(int(params), _MAX_PARAM))
        else:
            args = [min(int(p), _MAX_PARAM) if p else 0 for p in params.split(";")]
            handler(*args[:arity]) if arity else handler(*args)

    def _unusual_csi(self, private: str, params: str, inter: str, final: str) -> None:
        """CSI with intermediates, a private marker or colons: DECSTR, DEC private modes,
        selective erase (treated as erase); everything else is ignored."""
        if inter == "!" and final == "p":
            self.screen.soft_reset()
        elif private == "?" and not inter and ":" not in params and final in "hlJK":
            args = [min(int(p), _MAX_PARAM) if p else 0 for p in params.split(";")]
            if final == "h":
                self.screen.set_mode(*args, private=True)
            elif final == "l":
                self.screen.reset_mode(*args, private=True)
            else:
                self._csi[final][0](*args[:1])

    def _save_cursor(self, *args: int) -> None:
        if not args:  # CSI s; with parameters it would be DECSLRM (left/right margins)
            self.screen.save_cursor()

    def _restore_cursor(self, *args: int) -> None:
        if not args:
            self.screen.restore_cursor()

    def _scroll_up(self, *args: int) -> None:
        if len(args) <= 1:
            self.screen.scroll_up(*args)

    def _scroll_down(self, *args: int) -> None:
        if len(args) <= 1:  # CSI Ps;...;Ps T is xterm's mouse highlight tracking
            self.screen.scroll_down(*args)

    # --- strings ----------------------------------------------------------------------

    def _open_string(self, kind: str) -> None:
        self._string = kind
        self._osc = ""

    def _in_string(self, data: str, pos: int) -> int:
        kind = self._string
        if kind == "osc" and not self._osc:
            palette = _LINUX_PALETTE.match(data, pos)  # ESC ] P nrrggbb (no terminator)
            if palette is not None or data.startswith("R", pos):
                self._string = None
                return palette.end() if palette is not None else pos + 1
        found = (_OSC_END if kind == "osc" else _STRING_END).search(data, pos)
        stop = found.start() if found is not None else len(data)
        if kind == "osc" and len(self._osc) < _MAX_OSC:
            self._osc += data[pos:stop][: _MAX_OSC - len(self._osc)]
        if found is None:
            return stop
        char = found.group()
        if char == ESC:
            if stop + 1 == len(data):
                self._hold(ESC)  # maybe the first half of ST
                return len(data)
            self._close_string()
            return stop + 2 if data[stop + 1] == "\\" else stop
        if char in "\x07\x9c":
            self._close_string()
        else:
            self._string = None  # CAN/SUB abort
        return stop + 1

    def _close_string(self) -> None:
        kind, self._string = self._string, None
        if kind != "osc":
            return
        code, _, text = self._osc.partition(";")
        if code in ("0", "1"):
            self.screen.set_icon_name(text)
        if code in ("0", "2"):
            self.screen.set_title(text)

    # --- small handlers ---------------------------------------------------------------

    def _hold(self, text: str) -> None:
        self._pending = text if len(text) <= _MAX_PENDING else ""

    def _nel(self) -> None:
        self.screen.carriage_return()
        self.screen.linefeed()

    def _keypad_app(self) -> None:
        self.screen.keypad_app = True

    def _keypad_normal(self) -> None:
        self.screen.keypad_app = False
