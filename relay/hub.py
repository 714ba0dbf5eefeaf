"""Per-session fan-out: one broadcaster, any number of viewers.

The publisher calls :meth:`Hub.publish` with a frame's encoded bytes. They are
wrapped in a WebSocket frame once and collected in the session's outbox, which
is flushed once per event-loop turn: everything published in that turn goes to
every *live* viewer in one transport write — no per-viewer task wakes up, no
per-viewer copy, and the busier the relay, the bigger (and cheaper) the batches. A viewer's
backlog is what its transport still holds: once that would pass
``viewer_backlog_bytes``, the viewer is dropped from the live stream and its
sender task resyncs it from the newest keyframe and the frame log (paced by the
socket), so relay memory stays bounded whatever a viewer does.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from coterm_tui.core.events import Event, Header
from coterm_tui.core.wire import Bye, Keyframe, Presence, encode

from .metrics import Metrics
from .store import SessionInfo


def ws_frame(payload: bytes) -> bytes:
    """``payload`` as one unmasked, final, binary WebSocket frame (server to client)."""
    n = len(payload)
    if n < 126:
        return bytes((0x82, n)) + payload
    if n < 1 << 16:
        return struct.pack("!BBH", 0x82, 126, n) + payload
    return struct.pack("!BBQ", 0x82, 127, n) + payload


class Viewer:
    """One watching connection; ``live`` while it follows the live stream."""

    def __init__(self, ws: web.WebSocketResponse, transport: asyncio.BaseTransport | None,
                 name: str) -> None:
        self.ws = ws
        self.transport = transport if isinstance(transport, asyncio.WriteTransport) else None
        self.name = name
        self.live = False  # False: its sender is catching it up from the store
        self.wake = asyncio.Event()

    @property
    def backlog(self) -> int:
        t = self.transport
        return 0 if t is None else t.get_write_buffer_size()

    def write(self, data: bytes) -> None:
        """Write prebuilt WebSocket frames (catch-up); the caller paces by ``backlog``."""
        t = self.transport
        if t is None or t.is_closing():
            raise ConnectionError("viewer gone")
        t.write(data)

    def push(self, frame: bytes, limit: int, metrics: Metrics) -> None:
        """Write prebuilt WebSocket frames, or drop to resync if they would not fit."""
        t = self.transport
        if not self.live or t is None or t.is_closing():
            return
        if t.get_write_buffer_size() + len(frame) > limit:
            self.live = False
            metrics.resyncs += 1
            self.wake.set()
            return
        t.write(frame)


@dataclass(eq=False)
class LiveSession:
    id: str
    header: Header
    owner: str
    head_seq: int
    head_t: float
    live: bool
    status: int | None = None
    finished: bool = False  # the broadcaster said Bye: viewers get Bye once caught up
    durable_seq: int = 0
    broadcaster: web.WebSocketResponse | None = None
    disconnected_at: float | None = None
    keyframe: Keyframe | None = None
    presence_raw: bytes | None = None  # the latest Presence, for viewers joining live
    outbox: list[bytes] = field(default_factory=list)  # WebSocket frames not yet flushed
    viewers: set[Viewer] = field(default_factory=set)

    def wake_all(self) -> None:
        for v in self.viewers:
            v.wake.set()


class Hub:
    def __init__(self, limit: int, metrics: Metrics,
                 on_frame: Callable[[str, int, Event], None]) -> None:
        self.sessions: dict[str, LiveSession] = {}
        self._limit = limit
        self._metrics = metrics
        self._on_frame = on_frame

    def load(self, info: SessionInfo, keyframe: Keyframe | None) -> LiveSession:
        """The in-memory state of a stored session (created on first use)."""
        s = self.sessions.get(info.id)
        if s is None:
            s = LiveSession(info.id, info.header, info.owner, info.last_seq, info.last_t,
                            live=info.live, status=info.status, finished=not info.live,
                            durable_seq=info.last_seq, keyframe=keyframe)
            if info.live:  # restored after a relay restart: the broadcaster has a grace period
                s.disconnected_at = time.monotonic()
            self.sessions[info.id] = s
        return s

    def publish(self, s: LiveSession, seq: int, event: Event, raw: bytes) -> None:
        s.head_seq, s.head_t = seq, event.t
        if s.viewers:
            self._post(s, ws_frame(raw))
        self._metrics.fanout_frames += len(s.viewers)
        self._on_frame(s.id, seq, event)

    def _post(self, s: LiveSession, frame: bytes) -> None:
        if not s.outbox:
            asyncio.get_running_loop().call_soon(self.flush, s)
        s.outbox.append(frame)

    def flush(self, s: LiveSession) -> None:
        """Write the outbox to every live viewer. Called once per loop turn, and before
        a viewer joins the live stream (so it gets nothing twice)."""
        if not s.outbox:
            return
        data = s.outbox[0] if len(s.outbox) == 1 else b"".join(s.outbox)
        s.outbox.clear()
        for v in s.viewers:
            v.push(data, self._limit, self._metrics)

    def set_keyframe(self, sid: str, keyframe: Keyframe) -> None:
        s = self.sessions.get(sid)
        if s is not None and (s.keyframe is None or keyframe.seq >= s.keyframe.seq):
            s.keyframe = keyframe

    def presence(self, s: LiveSession) -> None:
        names = tuple(sorted(v.name for v in s.viewers))[:100]
        raw = s.presence_raw = encode(Presence(len(s.viewers), names))
        self._post(s, ws_frame(raw))
        if s.broadcaster is not None and not s.broadcaster.closed:
            asyncio.get_running_loop().create_task(_send_quietly(s.broadcaster, raw))

    def finish(self, s: LiveSession, status: int | None) -> None:
        self.flush(s)  # every frame before Bye
        s.finished, s.live = True, False
        s.status = status if status is not None else s.status
        s.wake_all()

    def viewer_count(self) -> int:
        return sum(len(s.viewers) for s in self.sessions.values())

    def forget_idle(self) -> list[str]:
        """Drop finished sessions nobody uses from memory; returns their ids."""
        gone = [sid for sid, s in self.sessions.items()
                if not s.live and not s.viewers and s.broadcaster is None]
        for sid in gone:
            del self.sessions[sid]
        return gone


BYE_RAW = encode(Bye("ended"))


async def _send_quietly(ws: web.WebSocketResponse, raw: bytes) -> None:
    with contextlib.suppress(ConnectionError, RuntimeError):
        await ws.send_bytes(raw)
