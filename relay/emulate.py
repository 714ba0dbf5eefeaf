"""The emulator side of keyframing; runs inside the keyframe executor (a child
process by default, or a thread), holding one terminal per session.

Only strings and tuples cross this boundary, so it works the same in a process
pool as in a thread pool. It imports nothing but the core.
"""

from __future__ import annotations

from coterm_tui.core.terminal import Terminal

#: ``str`` output to feed, or ``(cols, rows)`` to resize.
Op = str | tuple[int, int]

_TERMS: dict[str, Terminal] = {}


class NotPrimed(Exception):
    """The executor holds no terminal for this session (new worker): prime it."""


def advance(sid: str, prime: tuple[int, int, str] | None, ops: list[Op],
            want_dump: bool) -> tuple[int, int, str] | None:
    """Apply ``ops`` to the session's terminal (rebuilt from ``prime`` if given);
    return ``(cols, rows, dump)`` when ``want_dump``."""
    if prime is not None:
        cols, rows, data = prime
        term = Terminal(cols, rows)
        if data:
            term.feed(data)
        _TERMS[sid] = term
    term = _TERMS.get(sid)  # type: ignore[assignment]
    if term is None:
        raise NotPrimed(sid)
    for op in ops:
        if isinstance(op, str):
            term.feed(op)
        else:
            term.resize(*op)
    return (term.cols, term.rows, term.dump()) if want_dump else None


def drop(sid: str) -> None:
    _TERMS.pop(sid, None)
