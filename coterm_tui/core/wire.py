"""The live wire: msgpack frames over WebSocket, protocol version 1.

Every WebSocket binary message is one msgpack array whose first item is the
message type. A connection opens with :class:`Hello`; a broadcaster then sends
:class:`Frame` messages and receives :class:`Ack` for what the relay stored
durably; a viewer receives :class:`Init` (session header, last sequence number,
time, newest keyframe) and then :class:`Frame` messages.

=====  ==========  ================================================
type   message     fields (in order)
=====  ==========  ================================================
1      Hello       protocol, role, session, client, name, header
2      Init        header, last_seq, t, keyframe, live, status
3      Frame       seq, code, t, data
4      Ack         seq
5      Error       code, message
6      Keyframe    seq, t, cols, rows, data
7      Presence    viewers, names
8      Bye         reason
9      Notes       notes, reset, snapshot
=====  ==========  ================================================

``Frame.data`` is a string for ``o``/``i``/``m``, ``[cols, rows]`` for ``r``,
an int for ``x`` and a map for coterm's own kinds. Decoding validates every
field and raises :class:`~coterm_tui.core.errors.WireError`; nothing past this
module sees a raw list or dict.

:class:`Notes` carries responders' notes to viewers (never from them: viewers
add notes over REST). After a viewer joins the live stream it gets the session's
notes, every message of that list marked ``snapshot`` and the first with
``reset`` (drop what you had); later ones are single added, edited or deleted
(``deleted``) notes — what a viewer announces.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeAlias

import msgpack

from .asciicast.header import header_from_json, header_to_json
from .errors import EventError, WireError
from .events import (
    KINDS,
    OBJECT_KINDS,
    Event,
    Exit,
    Header,
    Input,
    Marker,
    Note,
    Output,
    Resize,
    Unknown,
    check_size,
    event_code,
    event_from_payload,
    event_payload,
)

PROTOCOL = 1
#: Largest message accepted in either direction.
MAX_MESSAGE_BYTES = 64 * 1024
#: Largest keyframe (a screen dump) accepted; keyframes travel in their own message.
MAX_KEYFRAME_BYTES = 1024 * 1024
ROLES = frozenset({"publish", "watch"})
MAX_SESSION_ID = 64


@dataclass(frozen=True, slots=True)
class Hello:
    """First message of every connection. A broadcaster sends its header."""

    role: str
    session: str
    protocol: int = PROTOCOL
    client: str = ""
    name: str = ""
    header: Header | None = None
    type: ClassVar[int] = 1


@dataclass(frozen=True, slots=True)
class Keyframe:
    """A screen snapshot: ``data`` fed to a fresh ``cols``×``rows`` terminal
    reproduces the screen as it was after frame ``seq`` at time ``t``."""

    seq: int
    t: float
    cols: int
    rows: int
    data: str
    type: ClassVar[int] = 6


@dataclass(frozen=True, slots=True)
class Init:
    """What a viewer gets first: enough to draw the screen, then live frames follow."""

    header: Header
    last_seq: int
    t: float
    keyframe: Keyframe | None = None
    live: bool = True
    status: int | None = None
    type: ClassVar[int] = 2


@dataclass(frozen=True, slots=True)
class Frame:
    """One event with its per-session sequence number."""

    seq: int
    event: Event
    type: ClassVar[int] = 3


@dataclass(frozen=True, slots=True)
class Ack:
    """The relay has durably stored every frame up to and including ``seq``."""

    seq: int
    type: ClassVar[int] = 4


@dataclass(frozen=True, slots=True)
class Error:
    """A refusal; the connection is closed after it."""

    code: str
    message: str
    type: ClassVar[int] = 5


@dataclass(frozen=True, slots=True)
class Presence:
    """Who is watching a session."""

    viewers: int
    names: tuple[str, ...] = ()
    type: ClassVar[int] = 7


@dataclass(frozen=True, slots=True)
class Bye:
    """Orderly end of a stream (the broadcaster finished, or the relay shuts down)."""

    reason: str = ""
    type: ClassVar[int] = 8


@dataclass(frozen=True, slots=True)
class Notes:
    """Notes added, edited or deleted; ``snapshot``: part of the full list (sent on
    joining), whose first message has ``reset``: forget the notes you had."""

    notes: tuple[Note, ...]
    reset: bool = False
    snapshot: bool = False
    type: ClassVar[int] = 9


#: Most notes in one Notes message (6 full-length notes stay under 64 KB; the
#: relay splits bigger lists).
MAX_NOTES_PER_MESSAGE = 6

Message: TypeAlias = Hello | Init | Frame | Ack | Error | Keyframe | Presence | Bye | Notes


# -- events -------------------------------------------------------------------------


def event_to_wire(event: Event) -> list[Any]:
    """``[code, t, data]`` for one event."""
    data: Any
    if isinstance(event, (Output, Input)):
        data = event.data
    elif isinstance(event, Marker):
        data = event.label
    elif isinstance(event, Resize):
        data = [event.cols, event.rows]
    elif isinstance(event, Exit):
        data = event.status
    elif isinstance(event, Unknown):
        data = event.data
    else:
        data = event_payload(event)
    return [event_code(event), event.t, data]


def _num(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise WireError(f"{what} must be a finite number")
    return float(value)


def _int(value: Any, what: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise WireError(f"{what} must be an integer >= {low}")
    return value


def _str(value: Any, what: str, limit: int = MAX_MESSAGE_BYTES) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise WireError(f"{what} must be a string of at most {limit} characters")
    return value


def event_from_wire(code: Any, t: Any, data: Any) -> Event:
    """Validate and build an event from its wire form."""
    code = _str(code, "event code", 16)
    time = _num(t, "event time")
    if time < 0:
        raise WireError("event time must not be negative")
    try:
        if code == "o":
            return Output(time, _str(data, "output"))
        if code == "i":
            return Input(time, _str(data, "input"))
        if code == "m":
            return Marker(time, _str(data, "marker label"))
        if code == "r":
            if not isinstance(data, (list, tuple)) or len(data) != 2:
                raise WireError("resize data must be [cols, rows]")
            cols, rows = check_size(data[0], data[1])
            return Resize(time, cols, rows)
        if code == "x":
            return Exit(time, _int(data, "exit status", -(1 << 31)))
        if code in OBJECT_KINDS:
            if not isinstance(data, Mapping):
                raise WireError(f"{code!r} data must be a map")
            return event_from_payload(code, time, data)
    except EventError as exc:
        raise WireError(str(exc)) from exc
    if code in KINDS:  # pragma: no cover - every known kind is handled above
        raise WireError(f"unhandled event code {code!r}")
    return Unknown(time, code, data)


# -- messages -----------------------------------------------------------------------


def _header_to_wire(header: Header | None) -> dict[str, Any] | None:
    return None if header is None else header_to_json(header, 3)


def _header_from_wire(value: Any) -> Header | None:
    if value is None:
        return None
    try:
        return header_from_json(value)
    except (EventError, TypeError) as exc:
        raise WireError(f"bad header: {exc}") from exc


def encode(message: Message) -> bytes:
    """Serialise one message to bytes."""
    body: list[Any]
    if isinstance(message, Hello):
        body = [message.protocol, message.role, message.session, message.client, message.name,
                _header_to_wire(message.header)]
    elif isinstance(message, Init):
        kf = message.keyframe
        body = [_header_to_wire(message.header), message.last_seq, message.t,
                None if kf is None else [kf.seq, kf.t, kf.cols, kf.rows, kf.data],
                message.live, message.status]
    elif isinstance(message, Frame):
        body = [message.seq, *event_to_wire(message.event)]
    elif isinstance(message, Ack):
        body = [message.seq]
    elif isinstance(message, Error):
        body = [message.code, message.message]
    elif isinstance(message, Keyframe):
        body = [message.seq, message.t, message.cols, message.rows, message.data]
    elif isinstance(message, Presence):
        body = [message.viewers, list(message.names)]
    elif isinstance(message, Bye):
        body = [message.reason]
    elif isinstance(message, Notes):
        body = [[event_to_wire(n)[1:] for n in message.notes], message.reset,
                message.snapshot]
    else:  # pragma: no cover - exhaustive
        raise TypeError(f"not a wire message: {message!r}")
    packed: bytes = msgpack.packb([message.type, *body], use_bin_type=True)
    return packed


def _keyframe(body: Any) -> Keyframe:
    if not isinstance(body, (list, tuple)) or len(body) != 5:
        raise WireError("keyframe must have 5 fields")
    seq, t, cols, rows, data = body
    try:
        check_size(cols, rows)
    except EventError as exc:
        raise WireError(str(exc)) from exc
    return Keyframe(_int(seq, "keyframe seq"), _num(t, "keyframe time"), cols, rows,
                    _str(data, "keyframe data", MAX_KEYFRAME_BYTES))


def decode(raw: bytes, *, limit: int = MAX_MESSAGE_BYTES) -> Message:
    """Parse and validate one message; anything malformed raises WireError."""
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise WireError("messages must be binary")
    if len(raw) > limit:
        raise WireError(f"message of {len(raw)} bytes exceeds the {limit}-byte limit")
    try:
        items = msgpack.unpackb(raw, raw=False, strict_map_key=True)
    except Exception as exc:  # msgpack raises several unrelated types
        raise WireError(f"not msgpack: {exc.__class__.__name__}") from exc
    if not isinstance(items, (list, tuple)) or not items:
        raise WireError("a message must be a non-empty array")
    kind, body = items[0], list(items[1:])

    def arity(n: int, name: str) -> None:
        if len(body) != n:
            raise WireError(f"{name} must have {n} fields, got {len(body)}")

    if kind == Hello.type:
        arity(6, "Hello")
        protocol, role, session, client, name, header = body
        if role not in ROLES:
            raise WireError(f"unknown role {role!r}")
        return Hello(
            role=role,
            session=_str(session, "session id", MAX_SESSION_ID),
            protocol=_int(protocol, "protocol", 1),
            client=_str(client, "client", 200),
            name=_str(name, "name", 200),
            header=_header_from_wire(header),
        )
    if kind == Init.type:
        arity(6, "Init")
        header, last_seq, t, kf, live, status = body
        h = _header_from_wire(header)
        if h is None:
            raise WireError("Init needs a header")
        if not isinstance(live, bool):
            raise WireError("Init.live must be a boolean")
        return Init(h, _int(last_seq, "last_seq"), _num(t, "time"),
                    None if kf is None else _keyframe(kf), live,
                    None if status is None else _int(status, "status", -(1 << 31)))
    if kind == Frame.type:
        arity(4, "Frame")
        seq, code, t, data = body
        return Frame(_int(seq, "seq", 1), event_from_wire(code, t, data))
    if kind == Ack.type:
        arity(1, "Ack")
        return Ack(_int(body[0], "seq"))
    if kind == Error.type:
        arity(2, "Error")
        return Error(_str(body[0], "error code", 64), _str(body[1], "error message", 4096))
    if kind == Keyframe.type:
        return _keyframe(body)
    if kind == Presence.type:
        arity(2, "Presence")
        viewers, names = body
        if not isinstance(names, (list, tuple)) or len(names) > 1000:
            raise WireError("Presence.names must be a list")
        return Presence(_int(viewers, "viewers"),
                        tuple(_str(n, "viewer name", 200) for n in names))
    if kind == Bye.type:
        arity(1, "Bye")
        return Bye(_str(body[0], "reason", 4096))
    if kind == Notes.type:
        arity(3, "Notes")
        notes, reset, snapshot = body
        if not isinstance(notes, (list, tuple)) or len(notes) > MAX_NOTES_PER_MESSAGE:
            raise WireError(f"Notes.notes must be a list of at most {MAX_NOTES_PER_MESSAGE}")
        if not isinstance(reset, bool) or not isinstance(snapshot, bool):
            raise WireError("Notes.reset and Notes.snapshot must be booleans")
        out = []
        for item in notes:
            if not isinstance(item, (list, tuple)) or len(item) != 2:
                raise WireError("a note must be [t, data]")
            note = event_from_wire("N", item[0], item[1])
            assert isinstance(note, Note)
            out.append(note)
        return Notes(tuple(out), reset, snapshot)
    raise WireError(f"unknown message type {kind!r}")
