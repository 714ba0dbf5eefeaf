"""Secret redaction: rules, an entropy detector, a same-length masker, a stream wrapper.

Public API (see COMMON.md §3)::

    redactor = load_redactor(config)            # config: the [redact] table, or None
    masked, findings = redactor.mask(text)      # same length; Finding(rule, start, end)
    stream = StreamRedactor(redactor, stream="o")
    events = stream.push(t, text) + stream.poll(now) + stream.flush(t)
"""

from __future__ import annotations

from .config import load_redactor
from .engine import MASK, Finding, Redactor
from .stream import StreamRedactor, hidden_input_event

__all__ = ["MASK", "Finding", "Redactor", "StreamRedactor", "hidden_input_event",
           "load_redactor"]
