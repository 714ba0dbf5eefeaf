"""The running relay: store, hub, keyframer and metrics, plus its background loops
(group commit + acks, grace periods, time-based keyframes)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiohttp import web

from coterm_tui.core.events import Header
from coterm_tui.core.wire import Ack, Keyframe, encode

from .auth import UNAUTHORISED, Principal
from .hub import Hub, LiveSession
from .keyframes import Keyframer
from .metrics import Metrics
from .settings import Settings
from .store import SessionInfo, SqliteStore, Store

log = logging.getLogger("relay")


class Relay:
    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self.store = store or SqliteStore(settings.data_dir, fsync=settings.fsync != "off")
        self.metrics = Metrics()
        self.keyframer = Keyframer(settings, self.store, self.metrics, self._keyframe)
        self.hub = Hub(settings.viewer_backlog_bytes, self.metrics, self.keyframer.feed)
        #: Every open WebSocket and who it is (None until authenticated).
        self.connections: dict[web.WebSocketResponse, Principal | None] = {}
        self._commit_lock = asyncio.Lock()
        for info in self.store.list_sessions():
            if info.live:  # was live when the relay stopped: give its broadcaster a grace period
                self.session(info)

    # -- sessions ---------------------------------------------------------------------
    def session(self, info: SessionInfo) -> LiveSession:
        s = self.hub.sessions.get(info.id)
        if s is None:
            s = self.hub.load(info, self.store.keyframe_at(info.id))
            if info.live:
                self.keyframer.start(info.id, info.header.cols, info.header.rows,
                                     info.last_seq, info.last_t)
        return s

    def open_publish(self, sid: str, header: Header | None, owner: str) -> LiveSession:
        info = self.store.open_session(sid, header, owner, time.time())
        s = self.session(info)
        s.live, s.finished, s.disconnected_at = True, False, None
        self.keyframer.start(sid, info.header.cols, info.header.rows, s.head_seq, s.head_t)
        return s

    def end(self, s: LiveSession, status: int | None) -> None:
        self.store.end_session(s.id, time.time(), status)
        self.hub.finish(s, status)
        self.keyframer.finish(s.id)

    def _keyframe(self, sid: str, keyframe: Keyframe) -> None:
        self.store.save_keyframe(sid, keyframe)
        self.hub.set_keyframe(sid, keyframe)

    async def revoked(self, token_id: str) -> int:
        """Close every connection made with a token just revoked; returns how many."""
        owner = f"token:{token_id}"
        doomed = [ws for ws, p in self.connections.items() if p is not None and p.owner == owner]
        for ws in doomed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.close(code=UNAUTHORISED, message=b"token revoked")
        return len(doomed)

    # -- durability ---------------------------------------------------------------------
    async def commit(self) -> None:
        """Group commit: make appended frames durable, then ack them."""
        async with self._commit_lock:
            done = await asyncio.to_thread(self.store.commit)
        if done:
            self.metrics.commits += 1
        for sid, seq in done.items():
            s = self.hub.sessions.get(sid)
            if s is None:
                continue
            s.durable_seq = max(s.durable_seq, seq)
            ws = s.broadcaster
            if ws is not None and not ws.closed:
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await ws.send_bytes(encode(Ack(s.durable_seq)))

    def acks_pending(self) -> int:
        return sum(s.head_seq - s.durable_seq for s in self.hub.sessions.values())

    # -- background loops -----------------------------------------------------------------
    async def commit_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.commit_interval)
            try:
                await self.commit()
            except OSError as exc:  # a full disk must not kill the loop; acks just stop
                log.error("relay: commit failed: %s", exc)

    async def housekeeping_loop(self) -> None:
        while True:
            await asyncio.sleep(min(1.0, max(0.05, self.settings.grace / 4)))
            self.reap()
            self.keyframer.tick()

    def reap(self) -> None:
        now = time.monotonic()
        for s in list(self.hub.sessions.values()):
            if (s.live and s.broadcaster is None and s.disconnected_at is not None
                    and now - s.disconnected_at >= self.settings.grace):
                log.info("relay: session %s ended: broadcaster gone for %.0fs", s.id,
                         self.settings.grace)
                self.end(s, None)
        self.hub.forget_idle()

    async def close(self) -> None:
        await self.keyframer.close()
        await self.commit()
        self.store.close()
