"""The event model and the msgpack wire codec."""

import contextlib

import msgpack
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coterm_tui.core import wire
from coterm_tui.core.errors import EventError, WireError
from coterm_tui.core.events import (
    Alert,
    Command,
    Exit,
    Header,
    Input,
    Marker,
    Note,
    Output,
    Pause,
    Process,
    Redaction,
    Resize,
    Unknown,
    event_from_payload,
    parse_size,
)

EVENTS = [
    Output(0.5, "hello \x1b[31mred\x1b[0m"),
    Input(1.0, "ls\r"),
    Resize(1.5, 120, 40),
    Marker(2.0, "deploy"),
    Exit(9.0, 3),
    Command(3.0, 1, "make test", "/srv", 2.5, 3.0, 2),
    Command(2.5, 1, "make test", "/srv", 2.5),
    Process(2.6, 4242, 4000, ("make", "test"), "/srv"),
    Note(4.0, "n1", "ana@laptop", "disk full here", 1700000000.0),
    Alert(4.5, "rm-rf", "rm -rf / typed", "critical"),
    Redaction(5.0, "github-pat", 40, "o"),
    Pause(6.0, True),
    Unknown(7.0, "q", {"anything": [1, 2]}),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).__name__)
def test_frames_round_trip(event):
    frame = wire.Frame(7, event)
    assert wire.decode(wire.encode(frame)) == frame


def test_messages_round_trip():
    header = Header(80, 24, title="INC-1", env={"TERM": "xterm"}, extra={"coterm": {"user": "a"}})
    kf = wire.Keyframe(10, 3.5, 80, 24, "\x1b[H\x1b[2Jhi")
    for msg in [
        wire.Hello("publish", "k3x9m2", header=header, client="coterm/0.1", name="ana"),
        wire.Hello("watch", "k3x9m2"),
        wire.Init(header, 10, 3.5, kf, True, None),
        wire.Init(header, 0, 0.0, None, False, 1),
        wire.Ack(12), wire.Error("auth", "token required"), kf,
        wire.Presence(3, ("ana", "bo")), wire.Bye("done"),
    ]:
        assert wire.decode(wire.encode(msg)) == msg


@pytest.mark.parametrize(
    "raw",
    [
        b"", b"\xc1", msgpack.packb({"a": 1}), msgpack.packb([]), msgpack.packb([99]),
        msgpack.packb([3, 0, "o", 1.0, "x"]),          # seq 0 is not a frame seq
        msgpack.packb([3, 1, "o", -1.0, "x"]),         # negative time
        msgpack.packb([3, 1, "o", float("nan"), "x"]),  # NaN time
        msgpack.packb([3, 1, "r", 1.0, [100000, 24]]),  # absurd size
        msgpack.packb([3, 1, "C", 1.0, {"line": "ls"}]),  # missing id
        msgpack.packb([3, 1, "C", 1.0, {"id": "1", "line": "ls"}]),  # wrong type
        msgpack.packb([1, 1, "admin", "s", "", "", None]),  # unknown role
        msgpack.packb([1, 1, "watch", "s" * 65, "", "", None]),  # long session id
        msgpack.packb([3, 1, "o", 1.0, "x" * 70000]),  # oversized
    ],
)
def test_malformed_messages_raise_wire_error(raw):
    with pytest.raises(WireError):
        wire.decode(raw, limit=200000)


@given(st.binary(max_size=300))
def test_decode_never_raises_anything_else(raw):
    with contextlib.suppress(WireError):
        wire.decode(raw)


def test_payload_validation():
    with pytest.raises(EventError):
        event_from_payload("N", 1.0, {"id": "x", "author": "a"})  # no text
    with pytest.raises(EventError):
        event_from_payload("S", 1.0, {"rule": "r", "length": True})
    assert event_from_payload("Z", 2, {}) == Pause(2.0, True)


def test_parse_size():
    assert parse_size("80x24") == (80, 24)
    for bad in ["80", "x24", "80x", "-1x2", "100000x24", 80, "80x24x1"]:
        with pytest.raises(EventError):
            parse_size(bad)


def test_header_rejects_absurd_sizes():
    with pytest.raises(EventError):
        Header(100000, 24)
    with pytest.raises(EventError):
        Header(0, 24)
