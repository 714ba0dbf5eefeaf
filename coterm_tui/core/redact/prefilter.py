"""A cheap look at a text, before escape sequences are stripped: which anchors may
occur in it, and whether it may hold a long token (the engine finds nothing else).

Coloured output is mostly SGR sequences (``ESC [ 1;31 m``), and removing them with a
regex costs ~120 ns each (one every ~20 characters). When every escape sequence of a
text is such a plain SGR sequence, both questions can be answered on the latin-1
bytes of the *original* text, exactly or conservatively:

* anchors: deleting every SGR byte (ESC, ``[``, ``m``, digits, ``;``) from the text
  deletes every sequence and, from the plain text, only characters no anchor holds
  (the prefilter is off when one does), so an anchor in the plain text is also in
  what is left: a superset, confirmed by the engine's own search. What is left is
  shorter, so each anchor's substring search is cheaper, and an anchor is searched
  for at all only when each of its bytes occurs (a ``memchr`` each);
* long tokens: with the bytes of SGR sequences counted as token characters, every
  run of token characters in the plain text lies inside a run at least as long;
  only those runs of 16 or more are stripped and looked at exactly.

A text holding neither is done: nothing is stripped. Otherwise the engine scans as
before, with the anchor list narrowed and the plain text stripped on bytes. A text
holding any other escape sequence, or U+212A/U+0130 (whose ``str.lower`` is ASCII),
gets no answer: the engine then does it all the old way.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from typing import Generic, NamedTuple, TypeVar

from .ansi import SGR_BYTES

__all__ = ["LONG_TOKEN", "TOKEN_START", "Hint", "Prefilter", "token_table"]

E = TypeVar("E")

#: An ESC that does not start a plain SGR sequence.
_NOT_SGR = re.compile(rb"\x1b(?!\[[0-9;]*+m)")
#: The bytes of SGR sequences: deleted before the anchor search.
_SGR_CHARS = b"\x1b[m0123456789;"
_UPPER = bytes(range(0x41, 0x5B))
_LOWER = bytes.maketrans(_UPPER, _UPPER.lower())
#: Tokens shorter than this are never secrets (the engine's token scan starts there).
MIN_TOKEN = 16
#: What a long token looks like through :func:`token_table` (its start, and all of it).
TOKEN_START = b"a" * MIN_TOKEN
LONG_TOKEN = re.compile(TOKEN_START + b"+")
#: Candidate runs stripped one by one; past this many, the whole text is stripped.
_MAX_RUNS = 16
#: Shorter texts search every anchor at once (the byte check costs more than it saves).
_GATE_MIN = 4096


class Hint(NamedTuple, Generic[E]):
    """What :meth:`Prefilter.screen` found."""

    anchors: list[E]  #: the anchor entries that may occur in the plain text (a superset)
    #: the plain text's latin-1 bytes (the text's own when it holds no escape sequence);
    #: None when the plain text holds neither an anchor nor a long token
    plain: bytes | None


def token_table(token_chars: Container[str], extra: bytes = b"") -> bytes:
    """A ``bytes.translate`` table: ``a`` for token characters (and ``extra``), else
    a space."""
    return bytes(0x61 if chr(i) in token_chars or i in extra else 0x20 for i in range(256))


class Prefilter(Generic[E]):
    """Answers for one anchor list (``entries``: anchor entries, ``anchors``: the
    lower-case ASCII bytes of each, same order)."""

    def __init__(self, entries: Sequence[E], anchors: Sequence[bytes | None],
                 token_chars: Container[str]) -> None:
        self.enabled = all(a is not None and not set(a) & set(_SGR_CHARS) for a in anchors)
        # searched in str, not bytes: ``in`` costs ~150 ns less a call (short texts)
        words = [(a or b"").decode("latin-1") for a in anchors]
        self._items = [(e, w, frozenset(w)) for e, w in zip(entries, words, strict=True)]
        self._alphabet = sorted(set("".join(words)))
        self._table = token_table(token_chars)
        self._sgr_table = token_table(token_chars, b"\x1b[;")

    def screen(self, text: str, data: bytes) -> Hint[E] | None:
        """What may be in the plain text of ``text`` (``data``: ``text`` in latin-1, one
        byte per character), or None when this cannot tell."""
        if not self.enabled or (not text.isascii() and ("\u212a" in text or "\u0130" in text)):
            return None
        sgr = b"\x1b" in data
        if sgr and _NOT_SGR.search(data) is not None:
            return None  # (at once: at the first other sequence, typically)
        low = (data.translate(_LOWER, _SGR_CHARS) if sgr else data.lower()).decode("latin-1")
        if len(low) < _GATE_MIN:
            found = [e for e, a, _ in self._items if a in low]
        else:  # a few memchr calls spare whole searches for anchors with an absent byte
            present = {c for c in self._alphabet if c in low}
            found = [e for e, a, chars in self._items if chars <= present and a in low]
        if not sgr:
            if found or self._has_token(data):
                return Hint(found, data)
            return Hint([], None)
        if found:  # the engine scans anyway: its token scan decides
            return Hint(found, SGR_BYTES.sub(b"", data))
        return self._tokens(data)

    def _has_token(self, plain: bytes) -> bool:
        return plain.translate(self._table).find(TOKEN_START) >= 0

    def _tokens(self, data: bytes) -> Hint[E]:
        """The hint for ``data`` (escape sequences all SGR, no anchor): whether its plain
        text holds a run of 16+ token characters."""
        wide = data.translate(self._sgr_table)
        if wide.find(TOKEN_START) < 0:
            return Hint([], None)
        for n, m in enumerate(LONG_TOKEN.finditer(wide)):
            if n == _MAX_RUNS:  # many candidates: strip it all
                plain = SGR_BYTES.sub(b"", data)
                return Hint([], plain) if self._has_token(plain) else Hint([], None)
            s, e = m.span()
            if self._has_token(SGR_BYTES.sub(b"", data[s:e])):
                return Hint([], SGR_BYTES.sub(b"", data))
        return Hint([], None)
