"""Skimming: skip drawing output whose cells are wiped before anyone can see them.

pyte draws ~1 MB/s, so indexing a 1 GB recording cell by cell takes half an
hour. Most of that output never reaches a keyframe: full-screen programs
(editors, ``top``, ``watch``, ``clear``) wipe the screen again and again. When a
stretch of output that ends at a keyframe contains a *full clear* (``ESC[2J``
next to a cursor-home ``ESC[H``, or a full reset ``ESC c``), the printable text
before it cannot survive to the keyframe, so the index builder drops that text
and feeds only its control and escape sequences (pen colours, modes, margins,
title, charsets, line feeds): a few percent of the bytes.

Correctness: exact whenever the conditions in :func:`skim_point` hold, which
exclude what could carry dropped text's influence past the clear: an
alternate-screen switch (the clear wipes only one buffer), a saved cursor
(``ESC 7`` / ``CSI s``, restored later at a position that depended on text),
a tab stop set at the cursor (``ESC H``) and 8-bit C1 controls. Known limit:
``CSI n b`` (repeat the last printed character) right after a clear, before
any character is printed, would repeat a different character (no program
seen does this). The test suite and ``bench/bench_player.py`` compare skimmed
keyframes with fully emulated ones.
"""

from __future__ import annotations

import re

__all__ = ["ends_clean", "skim_point", "strip_text"]

#: A full clear leaving the cursor at home: the screen after it depends only on
#: what follows it and on pen/mode state (which stripped text keeps).
_CLEAR = re.compile(
    r"\x1b\[(?:1?;?1?)?[Hf]\x1b\[2J|\x1b\[2J\x1b\[(?:1?;?1?)?[Hf]|\x1bc"
)
#: What in the skipped part could make the result depend on the dropped text.
_UNSAFE = re.compile(r"\x1b\[\?(?:1049|1047|47)[hl]|\x1b7|\x1b\[s|\x1bH|[\x80-\x9f]")
#: Sequences and controls kept when text is dropped.
_KEEP = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC (title)
    r"|\x1b[P^_X][^\x1b]*\x1b\\"  # DCS/PM/APC/SOS strings
    r"|\x1b[ -/]*[0-~]"  # other escapes (charsets, index, keypad modes)
    r"|[\x00-\x1a\x1c-\x1f\x7f]"  # C0 controls: CR, LF, BS, TAB, SO/SI…
)
#: An escape sequence cut off at the end of a chunk.
_OPEN_TAIL = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[P^_X][^\x1b]*|[ -/]*)?\x1b?\Z"
)


def skim_point(text: str) -> int:
    """An index ``p`` such that ``strip_text(text[:p]) + text[p:]`` leaves the screen
    exactly as ``text`` does; 0 when nothing can be skipped."""
    last = None
    for match in _CLEAR.finditer(text):
        last = match
    if last is None:
        return 0
    p = last.start()
    if last.group() != "\x1bc" and _UNSAFE.search(text, 0, p):
        return 0
    return p


def strip_text(text: str) -> str:
    """Only the control and escape sequences of ``text`` (printable text dropped)."""
    return "".join(_KEEP.findall(text))


def ends_clean(text: str) -> bool:
    """True unless ``text`` ends inside an escape sequence (a keyframe must not be
    taken there: a dump cannot carry the parser's half-read state)."""
    tail = text[-4096:]
    i = tail.rfind("\x1b")
    if i < 0:
        return True
    return _OPEN_TAIL.match(tail, i) is None
