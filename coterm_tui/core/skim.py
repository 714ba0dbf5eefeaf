"""Skimming: skip emulating output whose effect is gone before anyone can see it.

Emulation costs ~0.5 µs a character and more per escape sequence, so indexing a
1 GB recording fully takes many minutes. Most of that output never reaches a
keyframe: full-screen programs wipe the screen again and again, and shells
scroll screenfuls past. The index builder buffers the output between two
keyframes and, when one of two rules finds a point ``p`` in it, feeds only the
state-bearing sequences before ``p`` (modes, pen, margins, charsets, title:
:func:`strip_text`) and everything after ``p`` as is:

* **clear rule** (:func:`skim_point`): ``p`` is the last full clear that homes
  the cursor (``ESC[H ESC[2J``, ``ESC[2J ESC[H``) or a full reset (``ESC c``).
  Refused when the part before it switches screens (the clear wipes only one
  buffer), saves the cursor (``ESC 7``/``CSI s``), sets a tab stop at the
  cursor (``ESC H``) or holds 8-bit controls.
* **scroll rule** (:func:`scroll_point`): ``p`` is a carriage return starting a
  stretch of plain output (text, CR/LF/TAB/BS, colours, erase-in-line) with more
  than two screenfuls of line feeds, with full-screen margins and no margin,
  screen or reset change, saved cursor or tab stop set before the stretch ends:
  every row on screen at its end was scrolled in and written after ``p``.

Correctness: exact under those conditions, on the assumption (true of pyte and
coterm's Terminal) that dropped cursor motion and erasing cannot change modes,
pen or margins. Known limit: ``CSI n b`` (repeat the last printed character)
before any character is printed after ``p`` would repeat a different one. The
test suite and ``bench/bench_player.py`` compare skimmed keyframes with fully
emulated ones (identical on every file tried).
"""

from __future__ import annotations

import re

__all__ = ["ends_clean", "scroll_point", "skim_point", "strip_text"]

#: A full clear leaving the cursor at home: the screen after it depends only on
#: what follows it and on pen/mode state (which stripped text keeps).
_CLEAR = re.compile(
    r"\x1b\[(?:1?;?1?)?[Hf]\x1b\[2J|\x1b\[2J\x1b\[(?:1?;?1?)?[Hf]|\x1bc"
)
#: What in the skipped part could make the result depend on the dropped text.
_UNSAFE = re.compile(r"\x1b\[\?(?:1049|1047|47)[hl]|\x1b7|\x1b\[s|\x1bH|[\x80-\x9f]")
#: Every sequence and control, to sort out what the skipped part must keep.
_TOKEN = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC (title)
    r"|\x1b[P^_X][^\x1b]*\x1b\\"  # DCS/PM/APC/SOS strings
    r"|\x1b[ -/]*[0-~]"  # other escapes (charsets, index, keypad modes)
    r"|[\x0e\x0f]"  # SO/SI: charset shifts
)
#: CSI finals whose effect outlives a clear: modes (h/l), pen (m), margins (r),
#: soft reset and cursor style (p, q), tab stops cleared (g).
_KEEP_CSI = frozenset("hlmrpqg")
#: After the last of these plain output follows (text, CR/LF/TAB/BS, colours, erase
#: in line): the scroll rule looks for it.
_NOT_PLAIN = re.compile(r"\x1b(?!\[[0-9;:]*m|\[[0-2]?K)|[\x00-\x07\x0b-\x0c\x0e-\x1a\x1c-\x1f]")
#: Anything changing margins or the active buffer forbids the scroll rule.
_SCROLL_UNSAFE = re.compile(
    r"\x1b\[[0-9;]*r|\x1b\[\?(?:1049|1047|47)[hl]|\x1bc|\x1b7|\x1b\[s|\x1bH|[\x80-\x9f]"
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
    """What of ``text`` outlives a full clear or a screenful of scrolling: modes, pen,
    margins, charsets, title, keypad and tab-clear sequences (text, cursor motion,
    erasing and line feeds dropped)."""
    keep: list[str] = []
    pens: list[int] = []  # where SGRs sit in ``keep``; a full reset voids earlier ones
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok[1:2] == "[":
            final = tok[-1]
            if final == "m" and tok[2:3] != "?":
                if tok[2:-1].split(";", 1)[0] in ("", "0"):
                    for i in pens:
                        keep[i] = ""
                    pens.clear()
                pens.append(len(keep))
                keep.append(tok)
            elif final in _KEEP_CSI:
                keep.append(tok)
        elif tok[1:2] not in ("7", "8", "D", "E", "M", "#", "H"):
            keep.append(tok)
    return "".join(keep)


def scroll_point(text: str, rows: int) -> int:
    """An index ``p`` (a carriage return) before which only pen and modes matter,
    because plain output from ``p`` on scrolls more than two screenfuls: every row
    shown afterwards was scrolled in and written after ``p``. 0 if there is none.
    Only the part before any margin, screen or reset change, saved cursor or
    tab stop set is searched; the
    caller checks that the margins are the full screen when ``text`` starts."""
    unsafe = _SCROLL_UNSAFE.search(text)
    limit = unsafe.start() if unsafe else len(text)
    need = 2 * rows + 2
    runs: list[tuple[int, int]] = []  # plain stretches, in order
    start = 0
    for match in _NOT_PLAIN.finditer(text, 0, limit):
        if match.start() - start > need:
            runs.append((start, match.start()))
        start = match.end()
    runs.append((start, limit))
    for run_start, run_end in reversed(runs):
        if text.count("\n", run_start, run_end) < need:
            continue
        p = run_end
        for _ in range(need):
            p = text.rindex("\n", run_start, p)
        cr = text.rfind("\r", run_start, p)
        if cr >= 0:
            return cr
    return 0


def ends_clean(text: str) -> bool:
    """True unless ``text`` ends inside an escape sequence (a keyframe must not be
    taken there: a dump cannot carry the parser's half-read state)."""
    tail = text[-4096:]
    i = tail.rfind("\x1b")
    if i < 0:
        return True
    return _OPEN_TAIL.match(tail, i) is None
