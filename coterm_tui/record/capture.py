"""Bytes from the PTY loop in, typed events out: the pure heart of the pipeline.

* Output and input are decoded as UTF-8 incrementally (a character cut between
  two reads is joined again) with ``errors="replace"``: asciicast is JSON text,
  and a lone surrogate (``surrogateescape``) would make a file other players
  reject, so invalid bytes become U+FFFD.
* Both streams go through the redaction engine before anything leaves.
* Shell-integration marks (:mod:`.osc`) become :class:`Command` events: one at
  the start (with a :class:`Marker` named after the command line, so asciinema
  shows commands as chapters) and one at the end with the exit code. The
  command-line mark itself is left out of the recorded output (its line, masked,
  is in the event); the user's terminal still gets every byte.
* Input typed while the terminal has echo off in canonical mode (a password
  prompt) is never stored: a ``Redaction(t, "hidden-input", n, "i")`` is.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import Any

from coterm_tui.core.events import Command, Event, Exit, Input, Marker, Output, Resize
from coterm_tui.core.redact import StreamRedactor, hidden_input_event

from .osc import Mark, OscScanner

Mask = Callable[[str], str]


class _Plain:
    """The stand-in for a StreamRedactor when redaction is off (benchmarks only)."""

    def __init__(self, cls: type[Output] | type[Input]) -> None:
        self.cls = cls

    def push(self, t: float, text: str) -> list[Event]:
        return [self.cls(t, text)] if text else []

    def poll(self, now: float) -> list[Event]:
        return []

    def flush(self, t: float) -> list[Event]:
        return []


class Capture:
    """Turns loop messages into events. ``redactor`` is a ``core.redact.Redactor`` or None."""

    def __init__(self, redactor: Any | None, record_input: bool = True) -> None:
        self._out_dec = codecs.getincrementaldecoder("utf-8")("replace")
        self._in_dec = codecs.getincrementaldecoder("utf-8")("replace")
        self.record_input = record_input
        if redactor is None:
            self._out: Any = _Plain(Output)
            self._in: Any = _Plain(Input)
            self._mask: Mask = lambda text: text
        else:
            self._out = StreamRedactor(redactor, "o")
            self._in = StreamRedactor(redactor, "i")
            self._mask = lambda text: redactor.mask(text)[0]
        self._osc = OscScanner()
        self.cwd = ""
        self._line: str | None = None
        self._open: Command | None = None
        self._next_id = 1

    def output(self, t: float, data: bytes) -> list[Event]:
        text = self._out_dec.decode(data)
        marks: list[Mark] = []
        if "\x1b" in text or self._osc.busy:
            text, marks = self._osc.feed(text)
        events: list[Event] = list(self._out.push(t, text)) if text else []
        for mark in marks:
            events.extend(self._mark(t, mark))
        return events

    def input(self, t: float, data: bytes) -> list[Event]:
        if not self.record_input:
            return []
        return list(self._in.push(t, self._in_dec.decode(data)))

    def hidden(self, t: float, n: int) -> list[Event]:
        if not self.record_input:
            return []
        return [hidden_input_event(t, n)]

    def resize(self, t: float, cols: int, rows: int) -> list[Event]:
        return [Resize(t, cols, rows)]

    def gap(self, t: float, n: int) -> list[Event]:
        """The recorder fell so far behind that ``n`` bytes were not recorded."""
        return [Marker(t, f"coterm: {n} bytes not recorded here (the recorder fell behind)")]

    def marker(self, t: float, label: str) -> list[Event]:
        return [Marker(t, self._mask(label))]

    def poll(self, now: float) -> list[Event]:
        return [*self._out.poll(now), *self._in.poll(now)]

    def finish(self, t: float, status: int) -> list[Event]:
        """Release everything held, close a command still running, and exit."""
        events: list[Event] = []
        tail = self._osc.feed(self._out_dec.decode(b"", final=True))[0] + self._osc.flush()
        events += self._out.push(t, tail) if tail else []
        events += self._out.flush(t)
        if self.record_input:
            tail = self._in_dec.decode(b"", final=True)
            events += self._in.push(t, tail) if tail else []
            events += self._in.flush(t)
        if self._open is not None:  # e.g. ``exit 3``: the shell never reported its end
            events.append(self._end(t, status))
        events.append(Exit(t, status))
        return events

    def _mark(self, t: float, mark: Mark) -> list[Event]:
        if mark.kind == "E":
            self._line = self._mask(mark.value)
        elif mark.kind == "C":
            events: list[Event] = []
            if self._open is not None:
                events.append(self._end(t, None))
            line = self._line or ""
            self._line = None
            self._open = Command(t, self._next_id, line, self.cwd, start=t)
            self._next_id += 1
            return [*events, self._open, Marker(t, line or "command")]
        elif mark.kind == "D" and self._open is not None:
            value = mark.value
            code = int(value) if value.lstrip("-").isdigit() and len(value) < 6 else None
            return [self._end(t, code)]
        elif mark.kind == "cwd":
            self.cwd = mark.value
        return []

    def _end(self, t: float, code: int | None) -> Command:
        assert self._open is not None
        c = self._open
        self._open = None
        return Command(t, c.id, c.line, c.cwd, start=c.start, end=t, exit_code=code)
