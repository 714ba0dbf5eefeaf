"""Per-session fan-out: one broadcaster, any number of viewers.

The publisher calls :meth:`LiveSession.publish` with the frame's encoded bytes;
each viewer that is *live* gets them appended to its own queue and its sender
task woken. A queue is bounded in bytes (``viewer_backlog_bytes``): a viewer
whose queue would overflow is dropped from the live stream (queue cleared) and
its sender resyncs it from the newest keyframe and the frame log — relay memory
stays bounded whatever a viewer does. Frames are shared ``bytes`` objects, so a
frame queued to 100 viewers is stored once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from coterm_tui.core.events import Event, Header
from coterm_tui.core.wire import Bye, Keyframe, Presence, encode

from .metrics import Metrics
from .store import SessionInfo


class Viewer:
    """One watching connection: a bounded queue and whether it follows live."""

    def __init__(self, ws: web.WebSocketResponse, name: str) -> None:
        self.ws = ws
        self.name = name
        self.queue: deque[bytes] = deque()
        self.queued = 0
        self.live = False  # False: catching up from the store
        self.wake = asyncio.Event()

    def push(self, raw: bytes, limit: int, metrics: Metrics) -> None:
        if not self.live:
            return
        if self.queued + len(raw) > limit:
            self.live = False
            self.queue.clear()
            self.queued = 0
            metrics.resyncs += 1
        else:
            self.queue.append(raw)
            self.queued += len(raw)
        self.wake.set()

    def pop(self) -> bytes:
        raw = self.queue.popleft()
        self.queued -= len(raw)
        return raw


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
    presence_raw: bytes | None = None  # the latest Presence, for viewers joining the live stream
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
                            live=info.live, status=info.status, durable_seq=info.last_seq,
                            keyframe=keyframe)
            if info.live:  # restored after a relay restart: the broadcaster has a grace period
                s.disconnected_at = time.monotonic()
            self.sessions[info.id] = s
        return s

    def publish(self, s: LiveSession, seq: int, event: Event, raw: bytes) -> None:
        s.head_seq, s.head_t = seq, event.t
        for v in s.viewers:
            v.push(raw, self._limit, self._metrics)
        self._metrics.fanout_frames += len(s.viewers)
        self._on_frame(s.id, seq, event)

    def set_keyframe(self, sid: str, keyframe: Keyframe) -> None:
        s = self.sessions.get(sid)
        if s is not None and (s.keyframe is None or keyframe.seq >= s.keyframe.seq):
            s.keyframe = keyframe

    def presence(self, s: LiveSession) -> None:
        names = tuple(sorted(v.name for v in s.viewers))[:100]
        raw = s.presence_raw = encode(Presence(len(s.viewers), names))
        for v in s.viewers:
            v.push(raw, self._limit, self._metrics)
        if s.broadcaster is not None and not s.broadcaster.closed:
            asyncio.get_running_loop().create_task(_send_quietly(s.broadcaster, raw))

    def finish(self, s: LiveSession, status: int | None) -> None:
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
