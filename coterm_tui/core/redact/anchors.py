"""The literal-anchor prefilter's pieces: which anchors to scan for, and where the key
holding an anchor hit starts.

Every distinct anchor costs one ``str.find`` pass over the lower-cased text, so
anchors that contain a shorter one (``sshpass`` ⊃ ``pass``) are folded into it and
confirmed per hit. Rules whose anchor sits inside a key (``DB_PASSWORD=``) are
"keyed": they are matched once at the key's start, after a cheap gate says a value
follows, instead of being searched along the line.
"""

from __future__ import annotations

import re

from .rule import Rule

__all__ = ["COMMON_KEYS", "GATE", "SKIP", "Entry", "key_start", "minimal_anchors"]

Entry = tuple[int, str, int]  # (rule id, full anchor, offset of the base in it or -1)


def minimal_anchors(
    anchors: dict[str, list[Rule]],
) -> list[tuple[str, list[Entry], list[Entry]]]:
    """Fold each anchor into a shorter anchor it contains: one ``str.find`` scan for
    ``pass`` serves ``sshpass`` and ``pass:`` too, confirmed per hit with
    ``startswith(full, pos - offset)``. Entries are split into keyed and window rules."""
    out: dict[str, tuple[list[Entry], list[Entry]]] = {}
    for a in sorted(anchors, key=len):
        base = next((b for b in out if b in a), None)
        keyed, window = out.setdefault(base if base is not None else a, ([], []))
        off = -1 if base is None else a.index(base)
        for rule in anchors[a]:
            entries = keyed if rule.keyed else window
            if not any(r == id(rule) and f == a for r, f, _ in entries):
                entries.append((id(rule), a, off))
    return [(base, keyed, window) for base, (keyed, window) in out.items()]


#: After a key: an operator, or a quoted value (``password "x"``).
GATE = re.compile(
    r"""["'`]?([\w.-]+)\\?["'`]?[ \t]*(?:[=:>│|┃]|["']|\S+[ \t]*(?:\r|\n|\Z))""")
#: Frequent words holding an anchor that are never secret keys ("Author: …").
_COMMON_WORDS = (
    "author authors authored passed passes passing bypass keys keyboard keyword keywords "
    "tokens tokenizer signal signals signed design assign assigned signature_version "
    "authentication authenticated monkey passenger compass")
COMMON_KEYS = frozenset(_COMMON_WORDS.split())
SKIP = re.compile(r"(?:passed|passing|author|authors|authored|keyboard)(?![\w.-])")
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")


def key_start(low: str, pos: int) -> int:
    """Start of the key (``[\\w.-]+``, with an opening quote) that holds ``pos``."""
    i, lim = pos, max(0, pos - 96)
    while i > lim and low[i - 1] in _KEY_CHARS:
        i -= 1
    if i > 0 and low[i - 1] in "\"'`":
        i -= 1
    return i
