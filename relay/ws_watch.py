"""``/ws/watch``: a viewer follows one session.

The viewer sends Hello(role="watch", session). The relay answers Init (header,
last seq, time, newest keyframe, live?) followed by every frame after the
keyframe's seq (from the frame log), then live frames and Presence updates. A
viewer that falls behind by more than its byte budget gets a fresh Init — reset
your screen to its keyframe — and the frames after it. A finished session ends
with Bye once the viewer has everything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiohttp import web

from coterm_tui.core.wire import Bye, Hello, Init, encode

from .auth import Principal
from .conn import FORBIDDEN, NORMAL, NOT_FOUND, RATE_LIMITED, Bucket, Refusal, receive, serve_socket
from .hub import BYE_RAW, LiveSession, Viewer, ws_frame
from .state import Relay

log = logging.getLogger("relay")

#: How often a catching-up viewer's socket is checked for room.
DRAIN_POLL = 0.05


async def watch_handler(request: web.Request) -> web.WebSocketResponse:
    return await serve_socket(request, "watch", _watch)


async def _watch(request: web.Request, relay: Relay, ws: web.WebSocketResponse,
                 principal: Principal, hello: Hello) -> None:
    info = relay.store.get_session(hello.session)
    if info is None:
        raise Refusal(NOT_FOUND, "not-found", f"no session {hello.session}")
    if not principal.may_view(info.owner):
        raise Refusal(FORBIDDEN, "forbidden",
                      f"{principal.name} may not watch session {hello.session}")
    session = relay.session(info)
    name = hello.name if principal.name == "local" and hello.name else principal.name
    viewer = Viewer(ws, request.transport, name)
    session.viewers.add(viewer)
    relay.hub.presence(session)
    sender = asyncio.get_running_loop().create_task(_send(relay, session, viewer))
    try:
        bucket = Bucket(relay.settings.viewer_msgs_per_s, 2 * relay.settings.viewer_msgs_per_s)
        while True:
            message, _ = await receive(ws, None)
            if bucket.take(1):
                raise Refusal(RATE_LIMITED, "rate", "too many messages")
            if isinstance(message, Bye):
                return
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError, RuntimeError):
            await sender
        session.viewers.discard(viewer)
        relay.hub.presence(session)


async def _send(relay: Relay, s: LiveSession, v: Viewer) -> None:
    """The viewer's sender: catch up, then wait (the hub writes live frames); resync
    when dropped; say Bye when the session is finished."""
    try:
        await _catch_up(relay, s, v)
        while True:
            await v.wake.wait()
            v.wake.clear()
            if not v.live:
                await _catch_up(relay, s, v)
            if s.finished and v.live:
                await v.ws.send_bytes(BYE_RAW)
                await v.ws.close(code=NORMAL, message=b"ended")
                return
    except (ConnectionError, RuntimeError):
        return


async def _drained(v: Viewer, level: int) -> None:
    """Wait until the viewer's socket holds at most ``level`` unsent bytes (a viewer
    that stopped reading waits here, costing nothing but a timer)."""
    while v.backlog > level:
        if v.transport is None or v.transport.is_closing():
            raise ConnectionError("viewer gone")
        await asyncio.sleep(DRAIN_POLL)


async def _catch_up(relay: Relay, s: LiveSession, v: Viewer) -> None:
    """Send Init with the newest keyframe, then the frames after it from the log,
    until the viewer reaches the head and joins the live stream. If a newer
    keyframe appears while it is still behind, jump to it. Frames go out in
    chunks (one transport write each), paced by the viewer's socket."""
    level = relay.settings.viewer_backlog_bytes // 2
    while True:
        await _drained(v, level)
        kf = s.keyframe
        cursor = 0 if kf is None else kf.seq
        v.write(ws_frame(encode(Init(s.header, s.head_seq, s.head_t, kf, s.live, s.status))))
        while True:
            head = s.head_seq
            if cursor >= head:
                relay.hub.flush(s)  # frames up to head went out before this viewer joins
                v.live = True
                if s.presence_raw is not None:
                    v.write(ws_frame(s.presence_raw))
                v.wake.set()  # let the loop notice a finished session
                return
            chunk = await asyncio.to_thread(relay.store.read_frames, s.id, cursor + 1, head,
                                            relay.settings.catchup_chunk_bytes)
            if not chunk:
                log.error("relay: session %s: frames %d..%d missing from the log", s.id,
                          cursor + 1, head)
                cursor = head
                continue
            v.write(b"".join(ws_frame(raw) for _, _, raw in chunk))
            cursor = chunk[-1][0]
            await _drained(v, level)
            newer = s.keyframe
            if newer is not None and newer.seq > cursor:
                break
