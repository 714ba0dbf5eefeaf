"""The terminal screen: pyte underneath, fixed where real programs need it, with snapshots.

``Terminal(cols, rows)`` is the only class other modules use::

    term = Terminal(80, 24)
    term.feed("\\x1b[1;31mhello\\x1b[m")     # never raises, any input
    term.row(0)[0]                           # Cell(data='h', fg='red', bold=True, ...)
    term.cursor                              # (x, y, visible)
    fresh = Terminal(80, 24); fresh.feed(term.dump())   # same cells, cursor, modes

Modules: ``parser`` (escape-sequence tokenizer, replaces pyte's Stream), ``state``
(pyte Screen subclass: modes, alternate screen, saved cursors, resize), ``screen`` (its
subclass: drawing, erasing, scrolling), ``cells`` (cell helpers and the wide-character
invariant), ``sgr`` (colours and attributes), ``dump`` (snapshot as escape sequences),
``render`` (text / ANSI / SVG pictures), ``terminal`` (the ``Terminal`` facade).
"""

from __future__ import annotations

from .terminal import Cell, Terminal

__all__ = ["Cell", "Terminal"]
