"""``/ws/publish``: a broadcaster streams one session's frames in.

Protocol: the broadcaster sends Hello(role="publish", session, header); the relay
replies Ack(last durably stored seq), and the broadcaster (re)sends frames from
the one after it. Frames must be contiguous: ``seq <= stored`` is a duplicate and
ignored; a gap means frames were lost in the client, so the relay acks what it
has and closes (4400) — the uplink reconnects and resends from that ack. Acks for
newly stored frames follow each group commit. Bye ends the session: the relay
commits, acks the last frame and closes normally.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiohttp import web

from coterm_tui.core.errors import CotermError
from coterm_tui.core.events import Exit
from coterm_tui.core.wire import Ack, Bye, Frame, Hello, encode

from .auth import Principal
from .conn import BAD_MESSAGE, FORBIDDEN, NORMAL, REPLACED, Bucket, Refusal, receive, serve_socket
from .hub import LiveSession
from .state import Relay

log = logging.getLogger("relay")

#: A publisher under bulk output gives the event loop a turn after this many bytes.
YIELD_BYTES = 128 * 1024


async def publish_handler(request: web.Request) -> web.WebSocketResponse:
    return await serve_socket(request, "publish", _publish)


async def _publish(request: web.Request, relay: Relay, ws: web.WebSocketResponse,
                   principal: Principal, hello: Hello) -> None:
    info = relay.store.get_session(hello.session)
    if not principal.may_publish(None if info is None else info.owner):
        raise Refusal(FORBIDDEN, "forbidden",
                      f"{principal.name} may not publish session {hello.session}")
    if info is None and hello.header is None:
        raise Refusal(BAD_MESSAGE, "no-header", "a new session needs a header")
    session = relay.open_publish(hello.session, hello.header, principal.owner)
    old = session.broadcaster
    session.broadcaster = ws
    try:
        if old is not None and not old.closed:
            await old.close(code=REPLACED, message=b"replaced")
        log.info("relay: %s publishes %s from seq %d", principal.name, session.id,
                 session.head_seq + 1)
        await relay.commit()  # what was appended before is acked as durable
        await ws.send_bytes(encode(Ack(session.durable_seq)))
        await _ingest(ws, relay, session)
    finally:
        if session.broadcaster is ws:
            session.broadcaster = None
            session.disconnected_at = time.monotonic()


async def _ingest(ws: web.WebSocketResponse, relay: Relay, s: LiveSession) -> None:
    settings = relay.settings
    bucket = Bucket(settings.publish_bytes_per_s, settings.publish_bytes_per_s)
    status: int | None = None
    unyielded = 0
    while True:
        message, raw = await receive(ws, settings.idle_timeout)
        over = bucket.take(len(raw))
        unyielded += len(raw)
        if over:  # throttle: TCP backpressure slows the broadcaster down
            await asyncio.sleep(over)
            unyielded = 0
        elif unyielded >= YIELD_BYTES:  # buffered messages arrive without a loop turn:
            await asyncio.sleep(0)  # let other sessions' frames through
            unyielded = 0
        if isinstance(message, Frame):
            if message.seq <= s.head_seq:
                relay.metrics.duplicates += 1
                continue
            if message.seq != s.head_seq + 1:
                await ws.send_bytes(encode(Ack(s.durable_seq)))
                raise Refusal(BAD_MESSAGE, "gap", f"frame {message.seq} does not follow "
                              f"{s.head_seq}: resend from {s.durable_seq + 1}")
            try:
                relay.store.append(s.id, message.seq, message.event.t, raw)
            except CotermError as exc:
                raise Refusal(BAD_MESSAGE, "gap", str(exc)) from exc
            relay.metrics.frames += 1
            relay.metrics.bytes += len(raw)
            relay.hub.publish(s, message.seq, message.event, raw)
            if isinstance(message.event, Exit):
                status = message.event.status
        elif isinstance(message, Bye):
            await relay.commit()
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.send_bytes(encode(Ack(s.durable_seq)))
            relay.end(s, status)
            log.info("relay: session %s ended by its broadcaster", s.id)
            await ws.close(code=NORMAL, message=b"bye")
            return
        else:
            raise Refusal(BAD_MESSAGE, "unexpected",
                          f"a broadcaster may not send {type(message).__name__}")
