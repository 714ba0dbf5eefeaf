"""Escape sequences out of the way: scan plain text, mask the original.

Secrets are often coloured (``\\x1b[32mghp_…\\x1b[0m``, ``jq -C``, ``grep --color``).
:func:`strip` returns the text without escape sequences plus a map back to the
original positions, so matches in the plain text mask exactly the original
characters and leave every escape sequence intact.
"""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["ESCAPE", "PARTIAL_ESCAPE", "Plain", "strip"]

#: One complete escape sequence: CSI, OSC (BEL or ST terminated), DCS/SOS/PM/APC, or a
#: two/three character ESC sequence.
ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\"
    r"|[ -/]*[0-~])"
)
#: An escape sequence cut off at the end of a chunk.
PARTIAL_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[PX^_][^\x1b]*\x1b?|[ -/]*)\Z"
)


class Plain:
    """Text with its escape sequences removed, and the way back (built on demand:
    most texts have no secret, so the map is rarely needed)."""

    __slots__ = ("text", "_orig", "_plain_starts", "_orig_starts")

    def __init__(self, text: str, orig: str | None = None) -> None:
        self.text = text
        self._orig = orig
        self._plain_starts: list[int] = []
        self._orig_starts: list[int] = []

    def _build(self) -> None:
        assert self._orig is not None
        pos = plen = 0
        ps, os_ = self._plain_starts, self._orig_starts
        for m in ESCAPE.finditer(self._orig):
            s = m.start()
            if s > pos:
                ps.append(plen)
                os_.append(pos)
                plen += s - pos
            pos = m.end()
        if pos < len(self._orig):
            ps.append(plen)
            os_.append(pos)
        if not ps:
            ps.append(0)
            os_.append(len(self._orig))

    def to_original(self, start: int, end: int) -> list[tuple[int, int]]:
        """The original ranges holding plain characters ``start:end`` (escapes excluded)."""
        if self._orig is None:
            return [(start, end)]
        if not self._plain_starts:
            self._build()
        out: list[tuple[int, int]] = []
        ps, os_ = self._plain_starts, self._orig_starts
        i = max(0, bisect_right(ps, start) - 1)
        while start < end and i < len(ps):
            seg_end = ps[i + 1] if i + 1 < len(ps) else end
            s = max(start, ps[i])
            e = min(end, seg_end)
            if s < e:
                out.append((os_[i] + s - ps[i], os_[i] + e - ps[i]))
            start = max(start, e)
            i += 1
        return out


def strip(text: str) -> Plain:
    """Remove escape sequences (cheap when there are none)."""
    if "\x1b" not in text:
        return Plain(text)
    plain = ESCAPE.sub("", text)
    return Plain(plain, text) if len(plain) != len(text) else Plain(text)
