"""coterm's one event model.

Every part of coterm (recorder, wire, store, export, player) speaks these typed,
frozen values. JSON and msgpack exist only at the edges (``core.asciicast`` and
``core.wire``); past a codec nothing handles raw lists or dicts.

Times (``t``) are seconds since the start of the session, as floats.

The asciicast vocabulary:

====  ===========  =====================================================
code  class        meaning
====  ===========  =====================================================
o     Output       bytes the program wrote (decoded as UTF-8)
i     Input        keys the user typed
r     Resize       the terminal changed size
m     Marker       a labelled point in time (chapters in asciinema)
x     Exit         the recorded program exited with ``status``
====  ===========  =====================================================

coterm's own kinds use single upper-case codes whose data is a JSON object
encoded as a string, which asciinema's players parse and ignore:

====  ===========  =====================================================
C     Command      a shell command (line, cwd, start, end, exit code)
P     Process      a process started beneath the recorded shell
N     Note         a responder's timestamped note
A     Alert        an alert rule fired
S     Redaction    a secret was masked (rule, length; never the secret)
Z     Pause        recording paused or resumed
====  ===========  =====================================================

Anything else read from a file is kept as :class:`Unknown` and written back
unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, TypeAlias

from .errors import EventError

__all__ = [
    "Alert",
    "Command",
    "Event",
    "Exit",
    "Header",
    "Input",
    "Marker",
    "Note",
    "Output",
    "Pause",
    "Process",
    "Redaction",
    "Resize",
    "Unknown",
    "event_from_payload",
    "event_payload",
    "MAX_COLS",
    "MAX_ROWS",
]

#: Terminal sizes beyond these are rejected as absurd at every boundary.
MAX_COLS = 1000
MAX_ROWS = 500


@dataclass(frozen=True, slots=True)
class Output:
    """Bytes written by the program, decoded as UTF-8."""

    t: float
    data: str
    code: ClassVar[str] = "o"


@dataclass(frozen=True, slots=True)
class Input:
    """Keys typed by the user (never recorded while the terminal has echo off)."""

    t: float
    data: str
    code: ClassVar[str] = "i"


@dataclass(frozen=True, slots=True)
class Resize:
    """The terminal now has ``cols`` columns and ``rows`` rows."""

    t: float
    cols: int
    rows: int
    code: ClassVar[str] = "r"


@dataclass(frozen=True, slots=True)
class Marker:
    """A labelled point in time; commands and notes are also exported as markers."""

    t: float
    label: str = ""
    code: ClassVar[str] = "m"


@dataclass(frozen=True, slots=True)
class Exit:
    """The recorded program exited with ``status``."""

    t: float
    status: int
    code: ClassVar[str] = "x"


@dataclass(frozen=True, slots=True)
class Command:
    """A shell command. Emitted when it starts (``end``/``exit_code`` None) and again
    when it ends, with the same ``id``; ``t`` is the time of emission."""

    t: float
    id: int
    line: str
    cwd: str = ""
    start: float = 0.0
    end: float | None = None
    exit_code: int | None = None
    code: ClassVar[str] = "C"

    @property
    def duration(self) -> float | None:
        return None if self.end is None else max(0.0, self.end - self.start)


@dataclass(frozen=True, slots=True)
class Process:
    """A process seen beneath the recorded shell."""

    t: float
    pid: int
    ppid: int
    argv: tuple[str, ...] = ()
    cwd: str = ""
    code: ClassVar[str] = "P"


@dataclass(frozen=True, slots=True)
class Note:
    """A responder's note pinned to recording time ``t``. ``created``/``edited`` are
    Unix times; a note re-sent with ``deleted`` set removes it."""

    t: float
    id: str
    author: str
    text: str
    created: float = 0.0
    edited: float | None = None
    deleted: bool = False
    code: ClassVar[str] = "N"


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert rule matched."""

    t: float
    rule: str
    message: str = ""
    severity: str = "warning"
    code: ClassVar[str] = "A"


@dataclass(frozen=True, slots=True)
class Redaction:
    """A secret of ``length`` characters was masked in ``stream`` ("o" or "i") by
    ``rule``. Hidden (no-echo) input is logged with rule ``"hidden-input"``."""

    t: float
    rule: str
    length: int
    stream: str = "o"
    code: ClassVar[str] = "S"


@dataclass(frozen=True, slots=True)
class Pause:
    """Recording paused (``paused``) or resumed."""

    t: float
    paused: bool = True
    code: ClassVar[str] = "Z"


@dataclass(frozen=True, slots=True)
class Unknown:
    """An event code coterm does not know; kept so it is written back unchanged."""

    t: float
    kind: str
    data: Any = None
    code: ClassVar[str] = "?"


Event: TypeAlias = (
    Output | Input | Resize | Marker | Exit | Command | Process | Note | Alert | Redaction
    | Pause | Unknown
)

#: Classes by event code, for the codecs.
KINDS: dict[str, type[Any]] = {
    cls.code: cls
    for cls in (Output, Input, Resize, Marker, Exit, Command, Process, Note, Alert, Redaction,
                Pause)
}

#: coterm's own kinds, whose payload is a JSON/msgpack object.
OBJECT_KINDS = frozenset({"C", "P", "N", "A", "S", "Z"})


def event_code(event: Event) -> str:
    """The code an event is written under (the original code for Unknown)."""
    return event.kind if isinstance(event, Unknown) else event.code


def event_payload(event: Event) -> dict[str, Any]:
    """The fields of one of coterm's own kinds, without ``t``, as plain values."""
    out: dict[str, Any] = {}
    for f in fields(event):
        if f.name == "t":
            continue
        value = getattr(event, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


_Spec = tuple[tuple[type, ...], bool]  # (allowed types, required)


def _field_specs(cls: type[Any]) -> dict[str, _Spec]:
    specs: dict[str, _Spec] = {}
    for f in fields(cls):
        if f.name == "t":
            continue
        ann = str(f.type)
        types: tuple[type, ...]
        if ann.startswith("int"):
            types = (int,)
        elif ann.startswith("float"):
            types = (int, float)
        elif ann.startswith("bool"):
            types = (bool,)
        elif ann.startswith("tuple"):
            types = (list, tuple)
        else:
            types = (str,)
        if "None" in ann:
            types = (*types, type(None))
        required = f.default is MISSING and f.default_factory is MISSING
        specs[f.name] = (types, required)
    return specs


_SPECS: dict[str, dict[str, _Spec]] = {code: _field_specs(KINDS[code]) for code in OBJECT_KINDS}

#: Upper bounds on payload strings so nothing absurd crosses a boundary.
MAX_TEXT = 1 << 20


def _check_time(t: Any) -> float:
    if isinstance(t, bool) or not isinstance(t, (int, float)):
        raise EventError(f"time must be a number, not {type(t).__name__}")
    if not math.isfinite(t) or t < 0:
        raise EventError(f"time must be finite and not negative, got {t!r}")
    return float(t)


def event_from_payload(code: str, t: Any, payload: Mapping[str, Any]) -> Event:
    """Build one of coterm's own kinds from its payload, validating every field.

    Unknown keys are ignored (forward compatibility); missing required keys and
    wrong types raise :class:`EventError`.
    """
    time = _check_time(t)
    cls = KINDS.get(code)
    if cls is None or code not in OBJECT_KINDS:
        raise EventError(f"not an object event code: {code!r}")
    if not isinstance(payload, Mapping):
        raise EventError(f"{code!r} event data must be an object")
    kwargs: dict[str, Any] = {}
    for name, (types, required) in _SPECS[code].items():
        if name not in payload:
            if required:
                raise EventError(f"{code!r} event lacks {name!r}")
            continue
        value = payload[name]
        if isinstance(value, bool) and bool not in types:
            raise EventError(f"{code!r} event field {name!r} has the wrong type")
        if not isinstance(value, types):
            raise EventError(f"{code!r} event field {name!r} has the wrong type")
        if isinstance(value, float) and not math.isfinite(value):
            raise EventError(f"{code!r} event field {name!r} is not finite")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise EventError(f"{code!r} event field {name!r} is too long")
        if isinstance(value, (list, tuple)):
            if not all(isinstance(v, str) for v in value):
                raise EventError(f"{code!r} event field {name!r} must hold strings")
            value = tuple(value)
        if int in types and float in types and isinstance(value, int):
            value = float(value)
        kwargs[name] = value
    return cls(t=time, **kwargs)  # type: ignore[no-any-return]


def check_size(cols: Any, rows: Any) -> tuple[int, int]:
    """Validate a terminal size, raising :class:`EventError` when absurd."""
    for name, value, top in (("cols", cols, MAX_COLS), ("rows", rows, MAX_ROWS)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise EventError(f"{name} must be an integer")
        if not 1 <= value <= top:
            raise EventError(f"{name} {value} is out of range 1..{top}")
    return cols, rows


def parse_size(text: Any) -> tuple[int, int]:
    """Parse asciicast's ``"COLSxROWS"`` resize data."""
    if not isinstance(text, str):
        raise EventError("resize data must be a string like '80x24'")
    cols_s, sep, rows_s = text.partition("x")
    if not sep or not cols_s.isdigit() or not rows_s.isdigit() or len(text) > 16:
        raise EventError(f"resize data {text[:32]!r} is not like '80x24'")
    return check_size(int(cols_s), int(rows_s))


@dataclass(frozen=True)
class Header:
    """A recording's metadata: the asciicast header, version-independent.

    ``extra`` keeps every header field coterm does not model (passed through on
    write); coterm's own session metadata (user, host, tty, ssh client, session
    id) lives in ``extra["coterm"]``.
    """

    cols: int
    rows: int
    version: int = 3
    term_type: str | None = None
    term_version: str | None = None
    theme: Mapping[str, Any] | None = None
    timestamp: int | None = None
    idle_time_limit: float | None = None
    command: str | None = None
    title: str | None = None
    env: Mapping[str, str | None] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_size(self.cols, self.rows)

    @property
    def coterm(self) -> Mapping[str, Any]:
        """coterm's own session metadata (``{}`` for files from other tools)."""
        meta = self.extra.get("coterm")
        return meta if isinstance(meta, Mapping) else {}
