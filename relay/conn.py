"""What every WebSocket connection shares: close codes, refusing with a log line,
reading the versioned Hello, receiving validated messages, rate limits, and the
runner every handler goes through."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import WSMsgType, web

from coterm_tui.core.errors import WireError
from coterm_tui.core.ids import is_session_id
from coterm_tui.core.wire import MAX_MESSAGE_BYTES, PROTOCOL, Error, Hello, Message, decode, encode

from .auth import FORBIDDEN, UNAUTHORISED, AuthError, Principal, authenticate
from .keys import RELAY
from .state import Relay

log = logging.getLogger("relay")

NORMAL = 1000
GOING_AWAY = 1001
TOO_BIG = 1009
SERVER_ERROR = 1011
BAD_MESSAGE = 4400
NOT_FOUND = 4404
TIMEOUT = 4408
REPLACED = 4409
RATE_LIMITED = 4429

__all__ = ["FORBIDDEN", "UNAUTHORISED"]


class Refusal(Exception):
    """Close the connection with ``code`` after telling the peer why."""

    def __init__(self, code: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.code, self.kind, self.message = code, kind, message


class Closed(Exception):
    """The peer closed the connection (or it broke)."""


def new_socket(relay: Relay, max_msg: int = MAX_MESSAGE_BYTES) -> web.WebSocketResponse:
    return web.WebSocketResponse(heartbeat=relay.settings.heartbeat, max_msg_size=max_msg,
                                 compress=False)


async def refuse(ws: web.WebSocketResponse, request: web.Request, relay: Relay,
                 err: Refusal) -> None:
    relay.metrics.rejected += 1
    log.warning("relay: closed %s %s with %d (%s): %s", request.remote, request.path,
                err.code, err.kind, err.message)
    if ws.closed:
        return
    with contextlib.suppress(ConnectionError, RuntimeError):
        await ws.send_bytes(encode(Error(err.kind, err.message[:4000])))
    await ws.close(code=err.code, message=err.kind.encode()[:120])


def principal_of(request: web.Request, relay: Relay) -> Principal:
    try:
        return authenticate(request, relay.settings, relay.store)
    except AuthError as exc:
        raise Refusal(exc.status, "unauthorised" if exc.status == UNAUTHORISED else "forbidden",
                      exc.message) from exc


async def receive(ws: web.WebSocketResponse, timeout: float | None) -> tuple[Message, bytes]:
    """The next message, decoded and validated, with its raw bytes."""
    try:
        msg = await ws.receive(timeout=timeout)
    except TimeoutError as exc:
        raise Refusal(TIMEOUT, "timeout", f"nothing received for {timeout:g}s") from exc
    if msg.type == WSMsgType.BINARY:
        raw: bytes = msg.data
        try:
            return decode(raw), raw
        except WireError as exc:
            raise Refusal(BAD_MESSAGE, "malformed", str(exc)) from exc
    if msg.type == WSMsgType.TEXT:
        raise Refusal(BAD_MESSAGE, "malformed", "messages must be binary msgpack")
    if msg.type == WSMsgType.ERROR:
        problem = ws.exception()
        if ws.close_code == TOO_BIG or "too big" in str(problem).lower():
            raise Refusal(TOO_BIG, "too-big", f"message over {MAX_MESSAGE_BYTES} bytes")
        raise Closed(str(problem))
    raise Closed(msg.type.name)


async def receive_hello(ws: web.WebSocketResponse, relay: Relay, role: str) -> Hello:
    message, _ = await receive(ws, relay.settings.hello_timeout)
    if not isinstance(message, Hello):
        raise Refusal(BAD_MESSAGE, "no-hello", "the first message must be Hello")
    if message.protocol != PROTOCOL:
        raise Refusal(BAD_MESSAGE, "protocol", f"protocol {message.protocol} is not supported "
                      f"(this relay speaks {PROTOCOL})")
    if message.role != role:
        raise Refusal(BAD_MESSAGE, "role", f"this endpoint is for role {role!r}")
    if not is_session_id(message.session):
        raise Refusal(BAD_MESSAGE, "session-id", "not a valid session id")
    return message


#: What a handler does once the peer is authenticated and has said Hello.
Body = Callable[[web.Request, Relay, web.WebSocketResponse, Principal, Hello], Awaitable[None]]


async def serve_socket(request: web.Request, role: str, body: Body) -> web.WebSocketResponse:
    """Open the WebSocket, authenticate, read Hello, run ``body``; refusals become an
    Error message, a close code and a log line; the socket is always closed."""
    relay = request.app[RELAY]
    ws = new_socket(relay)
    await ws.prepare(request)
    relay.connections[ws] = None
    try:
        principal = relay.connections[ws] = principal_of(request, relay)
        hello = await receive_hello(ws, relay, role)
        await body(request, relay, ws, principal, hello)
    except Refusal as err:
        await refuse(ws, request, relay, err)
    except Closed:
        pass
    except OSError as exc:
        log.error("relay: storage failed for %s: %s", request.path, exc)
        await refuse(ws, request, relay, Refusal(SERVER_ERROR, "storage", "storage failed"))
    finally:
        relay.connections.pop(ws, None)
        if not ws.closed:
            await ws.close()
    return ws


class Bucket:
    """A token bucket: ``rate`` units per second, bursting to ``burst``."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.level = burst
        self.stamp = time.monotonic()

    def take(self, amount: float) -> float:
        """Take ``amount``; returns how many seconds the caller is over (0 = fine)."""
        now = time.monotonic()
        self.level = min(self.burst, self.level + (now - self.stamp) * self.rate)
        self.stamp = now
        self.level -= amount
        return 0.0 if self.level >= 0 else -self.level / self.rate
