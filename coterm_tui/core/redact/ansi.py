"""Escape sequences out of the way: scan plain text, mask the original.

Secrets are often coloured (``\\x1b[32mghp_…\\x1b[0m``, ``jq -C``, ``grep --color``).
:func:`strip` returns the text without escape sequences plus a map back to the
original positions, so matches in the plain text mask exactly the original
characters and leave every escape sequence intact.

String sequences carry text of their own: an OSC window title (zsh and many prompt
themes set it to the running command line, ``export GITHUB_TOKEN=ghp_…``), an OSC 7
working directory, an OSC 8 hyperlink (tokens in URLs), DCS/APC/PM/SOS payloads.
Their payload is kept in the plain text as a line of its own (a ``\\n`` before and
after that maps to no original character), so it is scanned and masked like any
other text while the introducer and the terminator stay intact and the terminal
still parses the sequence. Image payloads (iTerm2 ``1337;File=``, kitty graphics,
sixel) are binary data, not text, and stay opaque.
"""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["ESCAPE", "PARTIAL_ESCAPE", "Plain", "strip"]

#: One complete escape sequence: CSI, OSC (BEL or ST terminated), DCS/SOS/PM/APC, or a
#: two/three character ESC sequence. Group ``p`` is a string sequence's payload.
ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\](?P<p>[^\x07\x1b]*)(?:\x07|\x1b\\)"
    r"|[PX^_](?P<q>[^\x1b]*)\x1b\\|[ -/]*[0-~])"
)
#: An escape sequence cut off at the end of a chunk.
PARTIAL_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[PX^_][^\x1b]*\x1b?|[ -/]*)\Z"
)
#: The start of a string sequence (whose payload is scanned).
_STRING_START = re.compile(r"\x1b[\]PX^_]")
#: Payloads that are images, not text: iTerm2 inline files, kitty graphics, sixel.
_IMAGE = re.compile(r"1337;File=|G[a-zA-Z]=|[0-9;]*q")
#: Stands between a payload and the text around it (maps to no original character).
SEPARATOR = "\n"


def _payload(m: re.Match[str]) -> tuple[int, int] | None:
    """The span of the scanned payload of the escape sequence ``m``, if it has one."""
    group = "p" if m.group("p") is not None else "q"
    s, e = m.span(group)
    if s < 0 or s == e or _IMAGE.match(m.string, s, e):
        return None
    return s, e


class Plain:
    """Text with its escape sequences removed, and the way back (built on demand:
    most texts have no secret, so the map is rarely needed).

    The map is a list of segments: plain characters ``ps[i]:ps[i]+ln[i]`` are the
    original characters ``os[i]:os[i]+ln[i]``; plain characters in no segment (the
    separators around payloads) have no original.
    """

    __slots__ = ("text", "_orig", "_ps", "_os", "_ln")

    def __init__(self, text: str, orig: str | None = None,
                 segments: tuple[list[int], list[int], list[int]] | None = None) -> None:
        self.text = text
        self._orig = orig
        self._ps, self._os, self._ln = segments or ([], [], [])

    def _build(self) -> None:
        assert self._orig is not None
        pos = plen = 0
        ps, os_, ln = self._ps, self._os, self._ln
        for m in ESCAPE.finditer(self._orig):
            s = m.start()
            if s > pos:
                ps.append(plen)
                os_.append(pos)
                ln.append(s - pos)
                plen += s - pos
            pos = m.end()
        if pos < len(self._orig) or not ps:
            ps.append(plen)
            os_.append(pos)
            ln.append(len(self._orig) - pos)

    def to_original(self, start: int, end: int) -> list[tuple[int, int]]:
        """The original ranges holding plain characters ``start:end`` (escapes excluded)."""
        if self._orig is None:
            return [(start, end)]
        if not self._ps:
            self._build()
        out: list[tuple[int, int]] = []
        ps, os_, ln = self._ps, self._os, self._ln
        i = max(0, bisect_right(ps, start) - 1)
        while start < end and i < len(ps):
            s = max(start, ps[i])
            e = min(end, ps[i] + ln[i])
            if s < e:
                out.append((os_[i] + s - ps[i], os_[i] + e - ps[i]))
            start = max(start, e)
            i += 1
        return out


def _strip_strings(text: str) -> Plain:
    """:func:`strip` for a text holding string sequences: payloads kept, map built now."""
    parts: list[str] = []
    ps: list[int] = []
    os_: list[int] = []
    ln: list[int] = []
    pos = plen = 0

    def keep(s: int, e: int) -> None:
        nonlocal plen
        parts.append(text[s:e])
        ps.append(plen)
        os_.append(s)
        ln.append(e - s)
        plen += e - s

    for m in ESCAPE.finditer(text):
        if m.start() > pos:
            keep(pos, m.start())
        pos = m.end()
        span = _payload(m)
        if span is not None:
            parts.append(SEPARATOR)
            plen += 1
            keep(*span)
            parts.append(SEPARATOR)
            plen += 1
    if pos < len(text):
        keep(pos, len(text))
    if not ps:
        ps.append(plen)
        os_.append(len(text))
        ln.append(0)
    return Plain("".join(parts), text, (ps, os_, ln))


def strip(text: str) -> Plain:
    """Remove escape sequences, keeping string payloads (cheap when there are none)."""
    if "\x1b" not in text:
        return Plain(text)
    if _STRING_START.search(text) is not None:
        return _strip_strings(text)
    plain = ESCAPE.sub("", text)
    return Plain(plain, text) if len(plain) != len(text) else Plain(text)
