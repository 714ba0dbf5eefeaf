"""coterm's exceptions, one hierarchy for the whole client::

    CotermError                  base; the CLI prints ``coterm: <message>`` and exits 2
    ├── EventError               an event or header field is invalid
    ├── CastError                an asciicast file is malformed (names file and line)
    │   └── TruncatedCast        only the last line is cut short (a crashed recorder)
    ├── WireError                a live-protocol frame is malformed or unexpected
    ├── RedactConfigError        a redaction rule in the config does not compile
    └── UsageError               the user asked for something impossible (bad --at …)

Each carries a one-line, user-facing message. Nothing else is caught and
silenced: programming errors stay tracebacks so they get fixed.
"""

from __future__ import annotations


class CotermError(Exception):
    """Base of every error coterm reports to a user."""

    exit_code: int = 2


class EventError(CotermError):
    """An event or header field is invalid."""


class CastError(CotermError):
    """An asciicast file is malformed. ``path`` and ``line`` say where."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class TruncatedCast(CastError):
    """Only the final line is incomplete: what precedes it is valid."""


class WireError(CotermError):
    """A live-protocol frame is malformed, oversized or unexpected."""


class RedactConfigError(CotermError):
    """A configured redaction rule is invalid."""


class UsageError(CotermError):
    """The request cannot be satisfied (a time past the end, an unknown session…)."""
