"""Helpers that speak the wire protocol to a test relay over real WebSockets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import ClientWebSocketResponse, WSMsgType
from aiohttp.test_utils import TestClient

from coterm_tui.core import wire
from coterm_tui.core.events import Header, Output, Resize
from coterm_tui.core.terminal import Terminal
from relay.keys import RELAY
from relay.state import Relay

#: Generous bound on any single wait; tests never depend on timing, only on events.
WAIT = 20.0


def relay_of(client: TestClient) -> Relay:
    return client.server.app[RELAY]


def header(cols: int = 40, rows: int = 10, **meta: Any) -> Header:
    return Header(cols=cols, rows=rows, timestamp=1_700_000_000, title="test",
                  extra={"coterm": {"user": "ana", "host": "box", **meta}})


async def recv(ws: ClientWebSocketResponse) -> wire.Message:
    msg = await ws.receive(timeout=WAIT)
    assert msg.type == WSMsgType.BINARY, (msg.type, msg.data, msg.extra)
    return wire.decode(msg.data, limit=wire.MAX_KEYFRAME_BYTES + 4096)


async def recv_until(ws: ClientWebSocketResponse, pred: Callable[[wire.Message], bool],
                     limit: int = 100_000) -> list[wire.Message]:
    got = []
    for _ in range(limit):
        m = await recv(ws)
        got.append(m)
        if pred(m):
            return got
    raise AssertionError("condition never met")


async def closed_with(ws: ClientWebSocketResponse) -> tuple[int | None, list[wire.Message]]:
    """Read until the relay closes; returns the close code and what came before."""
    got = []
    for _ in range(1000):
        msg = await ws.receive(timeout=WAIT)
        if msg.type == WSMsgType.BINARY:
            got.append(wire.decode(msg.data, limit=wire.MAX_KEYFRAME_BYTES + 4096))
        elif msg.type == WSMsgType.CLOSE:  # the code the relay closed with
            return int(msg.data), got
        elif msg.type in (WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
            return ws.close_code, got
    raise AssertionError("never closed")


async def publisher(client: TestClient, sid: str, hdr: Header | None = None,
                    token: str | None = None) -> tuple[ClientWebSocketResponse, int]:
    """Open a publish connection; returns it and the relay's first Ack."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    ws = await client.ws_connect("/ws/publish", headers=headers)
    await ws.send_bytes(wire.encode(wire.Hello("publish", sid, header=hdr or header())))
    ack = await recv(ws)
    assert isinstance(ack, wire.Ack), ack
    return ws, ack.seq


async def viewer(client: TestClient, sid: str, token: str | None = None,
                 name: str = "") -> ClientWebSocketResponse:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    ws = await client.ws_connect("/ws/watch", headers=headers,
                                 max_msg_size=wire.MAX_KEYFRAME_BYTES + 4096)
    await ws.send_bytes(wire.encode(wire.Hello("watch", sid, name=name)))
    return ws


async def send_output(ws: ClientWebSocketResponse, first: int, texts: list[str],
                      t0: float = 0.0) -> int:
    seq = first
    for i, text in enumerate(texts):
        await ws.send_bytes(wire.encode(wire.Frame(seq, Output(t0 + i * 0.01, text))))
        seq += 1
    return seq - 1


async def acked(ws: ClientWebSocketResponse, seq: int) -> None:
    """Read acks until ``seq`` is acknowledged."""
    await recv_until(ws, lambda m: isinstance(m, wire.Ack) and m.seq >= seq)


def screen(messages: list[wire.Message], cols: int = 40, rows: int = 10) -> list[str]:
    """What a viewer shows after these messages: the last Init's keyframe, then frames."""
    term = Terminal(cols, rows)
    for m in messages:
        if isinstance(m, wire.Init):
            kf = m.keyframe
            term = Terminal(kf.cols, kf.rows) if kf else Terminal(m.header.cols, m.header.rows)
            if kf:
                term.feed(kf.data)
        elif isinstance(m, wire.Frame) and isinstance(m.event, Output):
            term.feed(m.event.data)
        elif isinstance(m, wire.Frame) and isinstance(m.event, Resize):
            term.resize(m.event.cols, m.event.rows)
    return term.text()
