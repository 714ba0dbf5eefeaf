"""The terminal screen: pyte underneath, fixed where real programs need it, with snapshots.

``Terminal(cols, rows)`` is the only class other modules use::

    term = Terminal(80, 24)
    term.feed("\\x1b[1;31mhello\\x1b[m")     # never raises, any input
    term.row(0)[0]                           # Cell(data='h', fg='red', bold=True, ...)
    term.cursor                              # (x, y, visible)
    fresh = Terminal(80, 24); fresh.feed(term.dump())   # same cells, cursor, modes

Modules: ``sgr`` (colour/attribute parsing), ``screen`` (pyte subclass), ``parser``
(escape-sequence tokenizer), ``dump`` (snapshot as escape sequences), ``render``
(text / ANSI / SVG pictures of a screen).
"""

from __future__ import annotations

from .terminal import Cell, Terminal

__all__ = ["Cell", "Terminal"]
