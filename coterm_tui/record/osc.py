"""A split-safe scanner for shell-integration marks in a terminal output stream.

The shell hooks (see :mod:`coterm_tui.record.shell`) print these, and the
recorder passes them on to the user's terminal untouched; this module only
*reads* them:

=============================  ==========================================
``ESC ] 133 ; A ST``           prompt starts
``ESC ] 133 ; B ST``           prompt ends, the user types a command
``ESC ] 133 ; E ; <line> ST``  the command line about to run (escaped)
``ESC ] 133 ; C ST``           the command starts running
``ESC ] 133 ; D [; <code>] ST``  the command finished with exit ``code``
``ESC ] 7 ; file://host/path ST``  the shell's working directory
=============================  ==========================================

``ST`` is BEL or ``ESC \\``. Output arrives in arbitrary pieces, so a sequence
may be cut anywhere (even between ``ESC`` and ``]``); :class:`OscScanner` keeps
the unfinished part, bounded by :data:`MAX_OSC` characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

#: An OSC body longer than this is dropped (it is someone's image, not a mark).
MAX_OSC = 16384

_TERMINATOR = re.compile("[\x07\x1b]")
_UNESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|.)", re.DOTALL)
_SIMPLE = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t", "e": "\x1b", "a": "\x07"}
_ESCAPES = {v: "\\" + k for k, v in _SIMPLE.items()}


@dataclass(frozen=True, slots=True)
class Mark:
    """One mark: ``kind`` is ``A``, ``B``, ``C``, ``D``, ``E`` or ``cwd``; ``value`` holds
    the exit code (D), the command line (E) or the directory (cwd)."""

    kind: str
    value: str = ""


def unescape_line(text: str) -> str:
    """Undo the hooks' escaping of a command line (``\\\\``, ``\\n``, ``\\e``, ``\\xHH``…)."""

    def sub(m: re.Match[str]) -> str:
        code = m.group(1)
        if len(code) == 3:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, code)

    return _UNESCAPE.sub(sub, text)


def escape_line(text: str) -> str:
    """The escaping the hooks apply (for tests and for other producers)."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


def parse_body(body: str) -> Mark | None:
    """The mark an OSC body (between ``ESC ]`` and ``ST``) stands for, if any."""
    if body.startswith("133;") and len(body) > 4:
        kind = body[4]
        rest = body[5:]
        if kind == "E":
            return Mark("E", unescape_line(rest[1:])) if rest.startswith(";") else Mark("E")
        if kind == "D":
            code = rest[1:].split(";", 1)[0] if rest.startswith(";") else ""
            return Mark("D", code.strip())
        if kind in "ABC" and (not rest or rest.startswith(";")):
            return Mark(kind)
        return None
    if body.startswith("7;"):
        url = body[2:]
        path = urlsplit(url).path if url.startswith("file:") else url
        return Mark("cwd", unquote(path, errors="replace"))
    return None


class OscScanner:
    """Feed decoded output text in any pieces; get the marks it completes."""

    def __init__(self) -> None:
        self._body: list[str] | None = None  # inside an OSC: the body so far
        self._size = 0
        self._esc = False  # the last piece ended with a lone ESC

    @property
    def busy(self) -> bool:
        """Whether a sequence is unfinished (so text without ESC still matters)."""
        return self._body is not None or self._esc

    def feed(self, text: str) -> list[Mark]:
        marks: list[Mark] = []
        i = 0
        n = len(text)
        if self._esc and n:
            # A previous piece ended with ESC: inside an OSC it may start ST; outside, an OSC.
            self._esc = False
            if self._body is not None:
                if text[0] == "\\":
                    self._finish(marks)
                    i = 1
                else:
                    self._body = None  # ESC + anything else aborts the OSC
            elif text[0] == "]":
                self._body, self._size = [], 0
                i = 1
        while i < n:
            if self._body is None:
                j = text.find("\x1b]", i)
                if j < 0:
                    if text.endswith("\x1b"):
                        self._esc = True
                    return marks
                self._body, self._size = [], 0
                i = j + 2
                continue
            m = _TERMINATOR.search(text, i)
            if m is None:
                self._append(text[i:])
                return marks
            k = m.start()
            self._append(text[i:k])
            if text[k] == "\x07":
                self._finish(marks)
                i = k + 1
            elif k + 1 == n:
                self._esc = True
                return marks
            elif text[k + 1] == "\\":
                self._finish(marks)
                i = k + 2
            else:
                self._body = None  # aborted; rescan from this ESC
                i = k
        return marks

    def _append(self, piece: str) -> None:
        if self._body is None or not piece:
            return
        self._size += len(piece)
        if self._size > MAX_OSC:
            self._body = None  # too long to be a mark: forget it, keep scanning
        else:
            self._body.append(piece)

    def _finish(self, marks: list[Mark]) -> None:
        if self._body is not None:
            mark = parse_body("".join(self._body))
            if mark is not None:
                marks.append(mark)
        self._body = None
