"""Terminal output as a plain-text transcript (``coterm export --format txt``).

Not an emulator: a line-at-a-time model good enough for shell sessions.
Escape sequences (CSI, OSC, DCS, charset selection…) are removed, also when
split across chunks; ``\\r`` returns to the start of the line so progress bars
and readline redraws keep only their final text; backspace, tab and erase-in-line
(``CSI K``) and horizontal cursor moves are honoured; trailing spaces are trimmed
and lines end in ``\\n``. Output drawn on the alternate screen (vim, less, top)
is not a transcript: it is replaced by one ``[full-screen output omitted]`` line.
"""

from __future__ import annotations

import re

__all__ = ["PlainText"]

_SEQ = re.compile(
    r"\x1b(?:"
    r"\[(?P<params>[0-?]*)[ -/]*(?P<final>[@-~])"  # CSI
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, ended by BEL or ST
    r"|[PX^_][^\x1b]*\x1b\\"  # DCS, SOS, PM, APC
    r"|[ -/]*[0-OQ-WYZ\\`-~]"  # two-byte and charset sequences (not [ ] P X ^ _)
    r")"
    r"|[\x00-\x1f\x7f]"
)
#: What a sequence cut by the end of a chunk can look like (kept for the next chunk).
_PARTIAL = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[PX^_][^\x1b]*\x1b?|[ -/]*)?\Z")
_MAX_PENDING = 4096
_MAX_LINE = 1 << 16
_ALT_MODES = {"?47", "?1047", "?1049"}
OMITTED = "[full-screen output omitted]"


class PlainText:
    """Feed output chunks; get back the completed lines of the transcript."""

    def __init__(self) -> None:
        self._line: list[str] = []
        self._col = 0
        self._pending = ""
        self._alt = False

    def feed(self, data: str) -> str:
        """Consume a chunk of output; return the text of the lines it completed."""
        text = self._pending + data
        self._pending = ""
        out: list[str] = []
        pos = 0
        for m in _SEQ.finditer(text):
            if m.start() > pos and not self._alt:
                self._put(text[pos:m.start()], out)
            pos = m.end()
            seq = m.group()
            if seq == "\x1b" and _PARTIAL.match(text, m.start()):
                rest = text[m.start():]
                self._pending = rest if len(rest) <= _MAX_PENDING else ""
                return "".join(out)
            self._control(seq, m.group("final"), m.group("params"), out)
        if pos < len(text) and not self._alt:
            self._put(text[pos:], out)
        return "".join(out)

    def finish(self) -> str:
        """The last, unterminated line (if any), with its newline."""
        self._pending = ""
        if self._line:
            return self._emit()
        return ""

    def _put(self, run: str, out: list[str]) -> None:
        line, col = self._line, self._col
        if col > len(line):
            line.extend(" " * (col - len(line)))
        line[col:col + len(run)] = run
        self._col = col + len(run)
        if len(line) > _MAX_LINE:
            out.append(self._emit())

    def _emit(self) -> str:
        text = "".join(self._line).rstrip() + "\n"
        self._line = []
        self._col = 0
        return text

    def _control(self, seq: str, final: str | None, params: str | None,
                 out: list[str]) -> None:
        if final is not None:
            self._csi(final, params or "", out)
        elif self._alt:
            return
        elif seq == "\n":
            out.append(self._emit())
        elif seq == "\r":
            self._col = 0
        elif seq == "\b":
            self._col = max(0, self._col - 1)
        elif seq == "\t":
            self._col = (self._col // 8 + 1) * 8

    def _csi(self, final: str, params: str, out: list[str]) -> None:
        if final in "hl" and any(p in _ALT_MODES for p in params.split(";")):
            entering = final == "h"
            if entering and not self._alt:
                if self._line:
                    out.append(self._emit())
                out.append(OMITTED + "\n")
            self._alt = entering
            self._line, self._col = [], 0
            return
        if self._alt:
            return
        n = int(params) if params.isdigit() else 0
        if final == "K":
            if n == 0:
                del self._line[self._col:]
            elif n == 1:
                end = min(self._col + 1, len(self._line))  # the cursor's cell included
                self._line[:end] = " " * end
            else:
                self._line = []
        elif final == "C":
            self._col += max(n, 1)
        elif final == "D":
            self._col = max(0, self._col - max(n, 1))
        elif final == "G":
            self._col = max(0, n - 1)
