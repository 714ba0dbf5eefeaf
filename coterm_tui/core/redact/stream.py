"""Redaction of a live stream: secrets split across reads are still masked.

:class:`StreamRedactor` releases complete lines at once and holds back only the
partial last line, for at most ``hold`` seconds (:meth:`poll`) or ``max_hold``
characters. The current line's already released text is kept as context, so a
secret completed by a later read is still recognised (``export TOKEN=`` … ``ghp_…``).
When a partial line must be released, a tail that could be the start of a secret is
masked conservatively. Inside a private key block every body line is masked as it
arrives, until the END line.

Escape sequences are not cut in half; a partial one stays held (up to ``max_hold``
characters). Text inside string sequences (window titles, hyperlinks) is scanned
like any other (see :mod:`.ansi`).
"""

from __future__ import annotations

import re

from coterm_tui.core.events import Event, Input, Output, Redaction

from .ansi import ESCAPE, PARTIAL_ESCAPE, strip
from .engine import Finding, Redactor
from .entropy import is_random_token
from .rules import PEM_RULE

__all__ = ["StreamRedactor", "hidden_input_event", "HIDDEN_INPUT"]

HIDDEN_INPUT = "hidden-input"
_PEM_BEGIN = PEM_RULE.pattern
_PEM_END = "-----END"
_PEM_MARK = "-----BEGIN "  # what every match of _PEM_BEGIN starts with
_CONTEXT = 2048
#: Plausible continuations of an unfinished line: a random token, a hex one, and the
#: same closed by a quote or followed by ``@host`` (URL user info).
_RANDOM = "Zq9Xv2Kp7Lm4Rt8Wn3Yb6Hc1Jd5Fg0QsT4uV7wX2yA8bC5dE1f" * 2
_HEXES = "a3f09c" * 11
_PROBES = (  # several lengths: some rules want an exact one (40 for AWS, 64 hex …)
    *(_RANDOM[:n] for n in (3, 10, 20, 30, 40, 50, 80)), *(_HEXES[:n] for n in (8, 24, 40, 64)),
    _RANDOM + "'", _RANDOM + '"', _RANDOM + "@db.example/ ",
)
_SECRET_BEFORE = re.compile(
    r"(?i)(?:secret|token|passw\w*|pwd|api|key|auth\w*|cred\w*|bearer)\W{0,3}"
    r"(?:\s(?:is|was|are)\s*)?[:=]?\s*[\"']?\Z")
_TAIL = re.compile(r"[^\s\"'`]*\Z")


def _between_escapes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ranges of ``text[start:end]`` outside escape sequences."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in ESCAPE.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def hidden_input_event(t: float, length: int) -> Redaction:
    """What is recorded for ``length`` characters typed while echo was off."""
    return Redaction(t, HIDDEN_INPUT, max(0, int(length)), "i")


class StreamRedactor:
    """Masks one stream ("o" output or "i" input) of a live session."""

    def __init__(self, redactor: Redactor, stream: str = "o", *, hold: float = 0.3,
                 max_hold: int = 4096) -> None:
        if stream not in ("o", "i"):
            raise ValueError(f"stream must be 'o' or 'i', not {stream!r}")
        self.redactor = redactor
        self.stream = stream
        self.hold = hold
        self.max_hold = max(64, max_hold)
        self._held = ""
        self._since: float | None = None
        self._ctx = ""  # released original text of the current line
        self._in_key = False  # inside a private key block, body not yet ended
        self._last_t = 0.0

    @property
    def held(self) -> int:
        """Characters currently held back."""
        return len(self._held)

    def push(self, t: float, text: str) -> list[Event]:
        """Add text read at time ``t``; returns what can be released now."""
        if not text:
            return []
        if not self._held:
            self._since = t
        self._held += text
        cut = max(self._held.rfind("\n"), self._held.rfind("\r")) + 1
        if cut == 0 and len(self._held) > self.max_hold:
            return self._release_all(t)
        if cut == 0:
            return []
        emit, self._held = self._held[:cut], self._held[cut:]
        if self._held:
            self._since = t
        return self._emit(t, emit, line_done=True)

    @property
    def deadline(self) -> float | None:
        """When the text held now must be released (``poll`` at or after it), or None."""
        return None if not self._held or self._since is None else self._since + self.hold

    def poll(self, now: float) -> list[Event]:
        """Release a partial line held for ``hold`` seconds or more, stamped ``now``."""
        deadline = self.deadline
        if deadline is not None and now >= deadline:
            return self._release_all(now)
        return []

    def flush(self, t: float) -> list[Event]:
        """Release everything (end of the stream)."""
        if not self._held:
            return []
        emit, self._held, self._since = self._held, "", None
        return self._emit(t, emit, line_done=False, partial=True)

    # ------------------------------------------------------------------ internals
    def _release_all(self, t: float) -> list[Event]:
        held = self._held
        m = PARTIAL_ESCAPE.search(held)
        keep = held[m.start():] if m else ""
        if len(keep) > self.max_hold:
            keep = ""  # an endless sequence: its payload is scanned as text, not held forever
        emit = held[: len(held) - len(keep)]
        self._held = keep
        self._since = t if keep else None
        if not emit:
            return []
        return self._emit(t, emit, line_done=False, partial=True)

    def _emit(self, t: float, emit: str, *, line_done: bool,
              partial: bool = False) -> list[Event]:
        findings: list[Finding] = []
        start = 0  # where normal scanning of ``emit`` begins
        if self._in_key:
            end = (self._ctx + emit).find(_PEM_END)
            start = len(emit) if end < 0 else max(0, end - len(self._ctx))
            findings += [Finding("private-key", a, b) for a, b in _between_escapes(emit, 0, start)]
            if end >= 0:
                self._in_key = False
                if start:
                    self._ctx = ""  # the END line starts here; masked text is no context
        if start < len(emit):
            findings += self._scan(emit[start:], start, partial)
        masked = Redactor.apply(emit, findings) if findings else emit
        tail = emit[emit.rfind("\n") + 1:]
        if not self._in_key:
            line = self._ctx + emit[start:] if start == 0 else emit[start:]
            # (the literal test first: a str search is ~5x faster than the regex's own)
            begins = list(_PEM_BEGIN.finditer(line)) if _PEM_MARK in line else []
            if begins and _PEM_END not in line[begins[-1].end():]:
                self._in_key = True
        if line_done and not partial:
            # keep the last complete line as look-back context (certificate bodies)
            last = emit[emit.rfind("\n", 0, len(emit) - 1) + 1:]
            self._ctx = last if len(last) <= _CONTEXT else ""
        else:
            self._ctx = (self._ctx + tail)[-_CONTEXT:]
        t = self._last_t = max(t, self._last_t)
        cls = Output if self.stream == "o" else Input
        events: list[Event] = [cls(t, masked)]
        for f in findings:
            n = sum(1 for c in emit[f.start:f.end] if c not in "\r\n")
            if n:
                events.append(Redaction(t, f.rule, n, self.stream))
        return events

    def _scan(self, text: str, offset: int, partial: bool) -> list[Finding]:
        """Findings in ``text`` (which starts at ``offset`` of the emitted chunk)."""
        ctx = self._ctx
        scan = ctx + text
        base = len(ctx)
        out: list[Finding] = []
        for f in self.redactor.find(scan):
            s, e = max(f.start, base), f.end
            if s < e:
                out.append(Finding(f.rule, s - base + offset, e - base + offset))
        if partial:
            plain = strip(scan)
            extra = self._suspicious_tail(plain.text, base)
            if extra is not None:
                rule, ps = extra
                spans = [(max(s, base), e) for s, e in plain.to_original(ps, len(plain.text))]
                spans = [(s, e) for s, e in spans if s < e]
                if spans:
                    first = spans[0][0] - base + offset
                    out = [f for f in out if f.end <= first]
                    out += [Finding(rule, s - base + offset, e - base + offset) for s, e in spans]
        return out

    def _suspicious_tail(self, plain: str, base: int) -> tuple[str, int] | None:
        """Where a secret may start in the unfinished tail of ``plain`` (the line so far,
        escape sequences removed), and its rule."""
        tail = _TAIL.search(plain)
        tail_start = tail.start() if tail else len(plain)
        for f in self.redactor.find(plain):
            if f.end >= len(plain):
                return f.rule, f.start
        for probe in _PROBES:
            for f in self.redactor.find(plain + probe, entropy=False):
                if f.start <= len(plain) <= f.end and f.start >= tail_start - 256:
                    return f.rule, min(f.start, len(plain))
        tok = plain[tail_start:]
        rule = self.redactor.token_rule_for(tok)
        if rule is not None:
            return rule.name, tail_start  # ``dop_v1_2c0c…``: a vendor token cut short
        if len(tok) >= 16 and is_random_token(tok, plain[max(0, tail_start - 48):tail_start],
                                              False):
            return "high-entropy", tail_start
        if len(tok) >= 4 and _SECRET_BEFORE.search(plain, max(0, tail_start - 40), tail_start):
            return "high-entropy", tail_start  # "Your API key is 5fBd…" cut short
        return None
