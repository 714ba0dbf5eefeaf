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
may be cut anywhere (even between ``ESC`` and ``]``); :class:`OscScanner` holds
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
    """Feed decoded output text in any pieces; get back the text to *record* and the marks
    it completed.

    The text to record is the input without the ``OSC 133;E`` sequences: the command
    line they carry is recorded (masked) in a :class:`Command` event instead, and
    must not reach the file through the output stream as well (it would be there
    twice). To drop a sequence cut between two pieces, an unfinished OSC (at most
    :data:`MAX_OSC` characters; longer ones pass through) is held back until its end
    arrives; :meth:`flush` releases what is held.
    """

    def __init__(self) -> None:
        self._pending = ""  # held text: an unfinished OSC, or a lone trailing ESC
        self._skip = False  # inside an overlong OSC that was passed through
        self._skip_esc = False  # ... and the last piece ended with ESC

    @property
    def busy(self) -> bool:
        """Whether a sequence is unfinished (so text without ESC still matters)."""
        return bool(self._pending) or self._skip

    def flush(self) -> str:
        """Release any held text (at the end of the stream)."""
        held, self._pending = self._pending, ""
        return held

    def feed(self, text: str) -> tuple[str, list[Mark]]:
        buf = self._pending + text if self._pending else text
        self._pending = ""
        marks: list[Mark] = []
        out: list[str] = []
        i = self._skip_to_end(buf, out) if self._skip else 0
        n = len(buf)
        while i < n:
            j = buf.find("\x1b]", i)
            if j < 0:
                if buf.endswith("\x1b"):
                    out.append(buf[i:-1])
                    self._pending = "\x1b"
                else:
                    out.append(buf[i:])
                break
            out.append(buf[i:j])
            m = _TERMINATOR.search(buf, j + 2)
            k = m.start() if m is not None else n
            if m is None or (buf[k] == "\x1b" and k + 1 == n):  # unfinished: hold it
                if n - j > MAX_OSC:
                    out.append(buf[j:])
                    self._skip = True
                    self._skip_esc = buf.endswith("\x1b")
                else:
                    self._pending = buf[j:]
                break
            if buf[k] == "\x07":
                end = k + 1
            elif buf[k + 1] == "\\":
                end = k + 2
            else:  # ESC + anything but "\\" aborts the OSC: pass it on, rescan from the ESC
                out.append(buf[j:k])
                i = k
                continue
            mark = parse_body(buf[j + 2:k])
            if mark is not None:
                marks.append(mark)
            if mark is None or mark.kind != "E":
                out.append(buf[j:end])
            i = end
        return "".join(out), marks

    def _skip_to_end(self, buf: str, out: list[str]) -> int:
        """Pass through the rest of an overlong OSC; the index where normal text resumes."""
        if self._skip_esc:  # the last piece ended with ESC: ST, or an abort
            self._skip = self._skip_esc = False
            if buf.startswith("\\"):
                out.append("\\")
                return 1
            return 0
        m = _TERMINATOR.search(buf)
        if m is None:
            out.append(buf)
            return len(buf)
        k = m.start()
        if buf[k] == "\x07":
            end = k + 1
        elif k + 1 == len(buf):
            out.append(buf)
            self._skip_esc = True
            return len(buf)
        else:
            end = k + 2 if buf[k + 1] == "\\" else k
        self._skip = False
        out.append(buf[:end])
        return end
