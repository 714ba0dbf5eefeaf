"""One asciicast event line <-> one typed event, shared by every format version.

Times are handled as integer **microseconds** (asciicast's own precision, and
asciinema's internal unit): a v3 reader sums intervals without float drift, and
a writer computes each interval from rounded absolute times so the sum of what
it writes never drifts from the times it was given (error diffusion).

Event data by code:

* ``o``/``i``: the text; ``m``: the label; ``r``: ``"COLSxROWS"``;
  ``x``: the exit status (a string in v3, an integer accepted too);
* ``C P N A S Z`` (coterm's own kinds): a JSON object encoded as a string; if it
  does not decode or validate, the event is kept as :class:`Unknown` so the
  file still reads and the data is written back unchanged;
* anything else: :class:`Unknown`, written back unchanged.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from ..errors import EventError
from ..events import (
    OBJECT_KINDS,
    Event,
    Exit,
    Input,
    Marker,
    Output,
    Resize,
    Unknown,
    event_code,
    event_from_payload,
    event_payload,
    parse_size,
)

#: Times beyond ~317 years are absurd; they also keep integer microseconds sane.
MAX_TIME_US = 10**16
#: Event codes are short ("o", "C"); anything longer is not an asciicast event.
MAX_CODE_LEN = 16

_EXIT_RE = re.compile(r"-?[0-9]{1,10}")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]").search


class _BadConstant(ValueError):
    """NaN/Infinity: accepted by Python's json module, not by JSON."""


def _reject_constant(name: str) -> Any:
    raise _BadConstant(f"{name} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_scan: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]
_decode = _DECODER.decode
_WS = " \t\r\n"


def loads(text: str) -> Any:
    """Parse one line of JSON strictly (no NaN/Infinity); ValueError when invalid.

    Lone UTF-16 surrogates (``"\\ud800"`` escapes) cannot be written back as
    UTF-8, so they are replaced by U+FFFD, as asciinema does with bad bytes.
    """
    try:
        try:
            obj, end = _scan(text, 0)
        except StopIteration:  # leading whitespace, or not JSON at all
            return _scrub_if_escaped(text, _decode(text.strip(_WS)))
        if end != len(text) and text[end:].strip(_WS):
            raise ValueError(f"extra data after the JSON value at column {end + 1}")
        return _scrub_if_escaped(text, obj)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def _scrub_if_escaped(text: str, obj: Any) -> Any:
    if _SURROGATE_ESCAPE(text):  # cheap filter; _scrub does the real check
        return _scrub(obj)
    return obj


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE_RE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    return value


def time_us(value: Any) -> int:
    """A JSON time (seconds) as integer microseconds; EventError when not a sane time."""
    if isinstance(value, float):
        if not 0.0 <= value < 1e10:  # also False for NaN
            raise EventError(f"time {value!r} is negative or out of range")
        return round(value * 1_000_000)
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value < 10**10:
            raise EventError(f"time {value!r} is negative or out of range")
        return value * 1_000_000
    raise EventError(f"time must be a number, not {type(value).__name__}")


def format_time(us: int) -> str:
    """Microseconds as asciinema writes them: ``1.5``, ``0.0``, ``12.000003``."""
    secs, frac = divmod(us, 1_000_000)
    if not frac:
        return f"{secs}.0"
    return f"{secs}.{frac:06d}".rstrip("0")


def to_us(t: float) -> int:
    """An event's absolute time in microseconds, for writing."""
    if not math.isfinite(t) or t < 0:
        raise EventError(f"event time {t!r} is negative or not finite")
    return min(round(t * 1_000_000), MAX_TIME_US)


def decode_event(t: float, code: Any, data: Any) -> Event:
    """The typed event for one ``[time, code, data]`` line (``t`` already absolute)."""
    if code == "o":
        if type(data) is not str:
            raise EventError("output data must be a string")
        return Output(t, data)
    if not isinstance(code, str) or not 0 < len(code) <= MAX_CODE_LEN:
        raise EventError("event code must be a short non-empty string")
    if code == "i":
        if not isinstance(data, str):
            raise EventError("input data must be a string")
        return Input(t, data)
    if code == "r":
        cols, rows = parse_size(data)
        return Resize(t, cols, rows)
    if code == "m":
        if not isinstance(data, str):
            raise EventError("marker label must be a string")
        return Marker(t, data)
    if code == "x":
        if isinstance(data, int) and not isinstance(data, bool) and abs(data) < 2**31:
            return Exit(t, data)
        if isinstance(data, str) and _EXIT_RE.fullmatch(data.strip()):
            return Exit(t, int(data))
        raise EventError(f"exit status {str(data)[:32]!r} is not an integer")
    if code in OBJECT_KINDS and isinstance(data, str):
        try:
            payload = loads(data)
            return event_from_payload(code, t, payload)
        except (ValueError, EventError):
            pass  # kept as Unknown: a foreign tool's use of the same code
    return Unknown(t, code, data)


def encode_data(event: Event) -> tuple[str, Any]:
    """The ``(code, data)`` an event is written as (same for v2 and v3)."""
    if isinstance(event, (Output, Input)):
        return event.code, event.data
    if isinstance(event, Resize):
        return "r", f"{event.cols}x{event.rows}"
    if isinstance(event, Marker):
        return "m", event.label
    if isinstance(event, Exit):
        return "x", str(event.status)
    if isinstance(event, Unknown):
        return event.kind, event.data
    payload = json.dumps(event_payload(event), ensure_ascii=False, separators=(",", ":"),
                         allow_nan=False)
    return event_code(event), payload
