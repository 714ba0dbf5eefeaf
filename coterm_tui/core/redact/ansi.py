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

__all__ = ["ESCAPE", "PARTIAL_ESCAPE", "SGR_BYTES", "Plain", "strip", "strip_sgr"]

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
#: A complete string sequence, as :data:`ESCAPE` matches it wherever it starts (an ESC
#: inside an ESCAPE match only ever ends a string sequence).
_STRING = re.compile(r"\x1b(?:\](?P<p>[^\x07\x1b]*)(?:\x07|\x1b\\)|[PX^_](?P<q>[^\x1b]*)\x1b\\)")
#: ESCAPE without its string branches: what is left once complete string sequences are
#: replaced (an unfinished one is a two-character sequence for ESCAPE as well).
_NOT_STRING = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[ -/]*[0-~])")
#: Payloads that are images, not text: iTerm2 inline files, kitty graphics, sixel.
_IMAGE = re.compile(r"1337;File=|G[a-zA-Z]=|[0-9;]*q")
_IMAGE_START = re.compile(r"\x1b[\]PX^_](?:1337;File=|G[a-zA-Z]=|[0-9;]*q)")
#: A plain SGR sequence (colours, bold …), the commonest by far; in bytes and in text.
SGR_BYTES = re.compile(rb"\x1b\[[0-9;]*m")
_SGR = re.compile(r"\x1b\[[0-9;]*m")
#: Stands between a payload and the text around it (maps to no original character).
SEPARATOR = "\n"


def _payload(m: re.Match[str]) -> tuple[int, int] | None:
    """The span of the scanned payload of the escape sequence ``m`` (maybe empty), or
    None when it is no string sequence or an image."""
    group = "p" if m.group("p") is not None else "q"
    s, e = m.span(group)
    if s < 0 or _IMAGE.match(m.string, s, e):
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

    def __init__(self, text: str, orig: str | None = None) -> None:
        self.text = text
        self._orig = orig
        self._ps: list[int] = []
        self._os: list[int] = []
        self._ln: list[int] = []

    def _build(self) -> str:
        """Build the map; returns the plain text it describes."""
        assert self._orig is not None
        orig = self._orig
        parts: list[str] = []
        pos = plen = 0
        ps, os_, ln = self._ps, self._os, self._ln

        def keep(s: int, e: int) -> None:
            nonlocal plen
            parts.append(orig[s:e])
            ps.append(plen)
            os_.append(s)
            ln.append(e - s)
            plen += e - s

        for m in ESCAPE.finditer(orig):
            if m.start() > pos:
                keep(pos, m.start())
            pos = m.end()
            span = _payload(m)
            if span is not None:
                parts.append(SEPARATOR)
                plen += 1
                if span[0] < span[1]:
                    keep(*span)
                parts.append(SEPARATOR)
                plen += 1
        if pos < len(orig) or not ps:
            keep(pos, len(orig))
        return "".join(parts)

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


def strip(text: str) -> Plain:
    """Remove escape sequences, keeping string payloads as lines of their own (cheap
    when there are none; one split and one substitution when there are)."""
    if "\x1b" not in text:
        return Plain(text)
    if _STRING_START.search(text) is None:
        plain = ESCAPE.sub("", text)
    elif _IMAGE_START.search(text) is None:
        # each string sequence becomes its payload between separators; what is left
        # strips as it would have in place (\n, like the ESC it replaced, ends any
        # unfinished sequence)
        parts = _STRING.split(text)  # text, payload (OSC), payload (DCS…), text, …
        lines = [""] * (2 * (len(parts) // 3) + 1)
        lines[0::2] = parts[0::3]
        lines[1::2] = [p if p is not None else q for p, q in zip(parts[1::3], parts[2::3],
                                                                    strict=True)]
        plain = _NOT_STRING.sub("", SEPARATOR.join(lines))
    else:  # an image: left opaque (rare; the map is built at once)
        out = Plain("", text)
        out.text = out._build()
        return out
    return Plain(plain, text) if len(plain) != len(text) else Plain(text)


def strip_sgr(text: str, plain: bytes) -> Plain:
    """:func:`strip` for a text whose escape sequences are all plain SGR sequences (where
    :data:`ESCAPE` matches exactly those), given the plain text's latin-1 bytes
    (:data:`SGR_BYTES` removed from the text's: cheaper than a text regex, and an ASCII
    text's plain text is then decoded, not stripped again)."""
    if len(plain) == len(text):
        return Plain(text)
    return Plain(plain.decode("ascii") if text.isascii() else _SGR.sub("", text), text)
