"""The relay uplink: a recorder Sink that streams frames to a relay, losing nothing.

``write`` never waits for the network: it encodes the frame and appends it to a
local spool (``data_dir()/spool/<session>/frames.log``), then nudges a background
thread. That thread runs its own asyncio loop with aiohttp: it connects, sends
Hello with the header, receives the relay's Ack (what it already stored) and sends
every spooled frame after it, keeping at most ``WINDOW`` frames unacknowledged.
Any disconnect — relay restart, network cut, sleeping laptop — is followed by a
reconnect with exponential backoff and a resend from the last Ack; the relay
ignores duplicates.

The uplink numbers wire frames itself (from 1): events too big for one 64 KB
message are split into several (output and input) so the relay never refuses
one; concatenated, the output is identical. ``close`` sends Bye and waits a
bounded time for the last Ack. If frames remain unacknowledged it says so once
on stderr, naming the spool; otherwise the spool is deleted.
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import aiohttp

from coterm_tui import __version__
from coterm_tui.core.errors import WireError
from coterm_tui.core.events import Event, Header, Input, Output
from coterm_tui.core.paths import data_dir
from coterm_tui.core.recordlog import FrameLog
from coterm_tui.core.wire import MAX_MESSAGE_BYTES, Ack, Bye, Error, Frame, Hello, decode, encode

#: Longest wait between reconnection attempts (seconds); close() cuts a wait short.
MAX_BACKOFF = 5.0
#: Frames sent but not yet acknowledged, at most.
WINDOW = 4096
#: At the end of a session the uplink waits for the relay as long as acks keep coming
#: (each one grants another ``drain_timeout``, 15 s by default: a relay on a busy disk
#: can spend seconds in one fsync), but never longer than this in all.
DRAIN_CAP = 300.0
#: The wait at the end for a relay that was never reached (its spool is reported).
UNREACHED_WAIT = 5.0
#: Refusals that retrying cannot fix.
FATAL = frozenset({"unauthorised", "forbidden", "no-header", "protocol", "session-id"})


#: Room left in a wire message for everything but an output/input event's text.
_FRAME_ROOM = 256
_TEXT_LIMIT = MAX_MESSAGE_BYTES - _FRAME_ROOM


def encode_frames(seq: int, event: Event) -> list[tuple[Event, bytes]]:
    """``event`` as frames numbered from ``seq`` that each fit in a wire message:
    ``(event, encoded frame)`` pairs. Output and input too big for one are cut into
    pieces (concatenated, the same text); each piece is encoded once unless its
    characters turn out wider than guessed. An oversized command or note record
    gives nothing (the local file keeps it)."""
    body = encode(Frame(seq, event)) if not isinstance(event, (Output, Input)) or len(
        event.data) <= _TEXT_LIMIT else b""
    if body and len(body) <= MAX_MESSAGE_BYTES:
        return [(event, body)]
    if not isinstance(event, (Output, Input)):
        return []
    cls = type(event)
    text = event.data
    out: list[tuple[Event, bytes]] = []
    step = _TEXT_LIMIT  # characters per piece: right for ASCII, shrunk for wider text
    pos = 0
    while pos < len(text):
        piece = cls(event.t, text[pos:pos + step])
        body = encode(Frame(seq + len(out), piece))
        if len(body) > MAX_MESSAGE_BYTES:
            step = max(1, min(step - 1, step * _TEXT_LIMIT // len(body)))
            continue
        out.append((piece, body))
        pos += len(piece.data)
    return out


class Uplink:
    """A :class:`~coterm_tui.record.sinks.Sink` streaming to the relay at ``url``."""

    def __init__(self, url: str, session_id: str, header: Header, *, token: str | None = None,
                 name: str = "", spool_dir: Path | None = None, drain_timeout: float = 15.0,
                 stderr: TextIO | None = None) -> None:
        self.url = url.rstrip("/")
        self.session_id = session_id
        self.header = header
        self.token = token
        self.name = name
        self.spool_dir = spool_dir or data_dir() / "spool" / session_id
        self.drain_timeout = drain_timeout
        self._stderr = stderr or sys.stderr
        self._spool = FrameLog(self.spool_dir / "frames.log")
        self._offsets = array.array("q")
        self._last = 0  # last frame spooled
        self.acked = 0  # last frame the relay acknowledged
        self.reached = False
        self.skipped = 0
        self.error: str | None = None
        self.spool_error: str | None = None  # the spool could not be written: streaming stopped
        #: Where the one closing message goes (set by the recorder's pipeline, whose
        #: stderr is not the user's terminal); stderr when unset.
        self.notify: Callable[[str], None] | None = None
        self._fatal: str | None = None
        self._closing = False
        self._deadline = 0.0
        self._cap = 0.0
        self._loop = asyncio.new_event_loop()
        self._wake = asyncio.Event()
        self._thread = threading.Thread(target=self._run, name="coterm-uplink", daemon=True)
        self._thread.start()

    # -- the Sink, called by the recorder -----------------------------------------------
    def write(self, seq: int, event: Event) -> None:
        if self.spool_error is not None:
            return
        pieces = encode_frames(self._last + 1, event)
        if not pieces:
            self.skipped += 1
        for piece, body in pieces:
            n = self._last + 1
            try:
                offset = self._spool.append(n, piece.t, body)
            except OSError as exc:  # a full disk must not stop the recording
                self.spool_error = str(exc)
                break
            self._offsets.append(offset)
            self._last = n
        self._notify()

    def flush(self) -> None:
        self._notify()

    def close(self) -> None:
        """Send Bye and wait for the last Ack while the relay makes progress: up to
        ``drain_timeout`` since the last ack (at most :data:`DRAIN_CAP` in all), so a
        relay still storing a big flood gets all of it; then report once."""
        now = time.monotonic()
        window = self.drain_timeout if self.reached else min(self.drain_timeout, UNREACHED_WAIT)
        self._deadline = now + window
        self._cap = now + max(window, DRAIN_CAP)
        self._closing = True
        self._notify()
        self._thread.join(max(0.0, self._cap - time.monotonic()) + 5)
        self._spool.close()
        self._report()

    @property
    def pending(self) -> int:
        return self._last - self.acked

    def _notify(self) -> None:
        if not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop has just finished
                self._loop.call_soon_threadsafe(self._wake.set)

    def _report(self) -> None:
        if self._last and self.acked >= self._last and self._fatal is None \
                and self.spool_error is None:
            shutil.rmtree(self.spool_dir, ignore_errors=True)
            return
        where = f"the session is kept in {self.spool_dir}"
        if self.spool_error is not None:
            msg = (f"streaming to {self.url} stopped: the spool could not be written "
                   f"({self.spool_error})")
            where = "the local recording has the session"
        elif self._fatal is not None:
            msg = f"the relay at {self.url} refused session {self.session_id}: {self._fatal}"
        elif not self.reached:
            msg = f"could not reach the relay at {self.url} ({self.error or 'no answer'})"
        elif self.pending:
            msg = f"the relay at {self.url} has not acknowledged {self.pending} frames"
        else:
            shutil.rmtree(self.spool_dir, ignore_errors=True)
            return
        if self.notify is not None:
            self.notify(f"{msg}; {where}")
        else:
            print(f"coterm: {msg}; {where}", file=self._stderr)

    # -- the background thread -------------------------------------------------------------
    def _done(self) -> bool:
        if self._fatal is not None:
            return True
        return self._closing and (self.acked >= self._last or time.monotonic() >= self._deadline)

    def _run(self) -> None:
        try:
            self._loop.run_until_complete(self._main())
        except Exception as exc:  # a bug here must not take the recording down
            self.error = f"uplink failed: {exc!r}"
        finally:
            self._loop.close()

    async def _main(self) -> None:
        backoff = 0.2
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=5)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            while not self._done():
                try:
                    if await self._connection(http):
                        backoff = 0.2
                except (aiohttp.ClientError, OSError, TimeoutError, WireError) as exc:
                    self.error = str(exc) or type(exc).__name__
                if self._done():
                    break
                await self._pause(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)

    async def _pause(self, seconds: float) -> None:
        if self._closing:
            seconds = min(seconds, max(0.0, self._deadline - time.monotonic()))
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    async def _connection(self, http: aiohttp.ClientSession) -> bool:
        """One connection: hello, resend from the ack, stream; True if it got an Ack."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        async with http.ws_connect(f"{self.url}/ws/publish", headers=headers, heartbeat=20,
                                   max_msg_size=MAX_MESSAGE_BYTES) as ws:
            await ws.send_bytes(encode(Hello("publish", self.session_id,
                                             client=f"coterm/{__version__}", name=self.name,
                                             header=self.header)))
            first = await self._receive(ws, 10.0)
            if not isinstance(first, Ack):
                return False
            self.acked = first.seq
            self.reached = True
            reader = asyncio.get_running_loop().create_task(self._read(ws))
            try:
                await self._stream(ws, first.seq + 1, reader)
            finally:
                reader.cancel()
            return True

    async def _stream(self, ws: aiohttp.ClientWebSocketResponse, nxt: int,
                      reader: asyncio.Task[None]) -> None:
        bye_sent = False
        while not reader.done():
            self._wake.clear()
            if nxt <= self._last and nxt <= self.acked + WINDOW:
                offset = self._offsets[nxt - 1]
                for _, seq, _, body in self._spool.records(offset, max_bytes=1 << 20):
                    if seq > self._last or seq > self.acked + WINDOW:
                        break
                    await ws.send_bytes(body)
                    nxt = seq + 1
                continue
            if self._closing and not bye_sent and nxt > self._last:
                await ws.send_bytes(encode(Bye("recording ended")))
                bye_sent = True
            if self._done():
                return
            waiter = asyncio.ensure_future(self._wake.wait())
            await asyncio.wait({waiter, reader}, timeout=max(0.05, self._deadline
                               - time.monotonic()) if self._closing else None,
                               return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        while True:
            message = await self._receive(ws, None)
            if message is None:
                return
            if isinstance(message, Ack):
                if message.seq > self.acked and self._closing:  # progress: keep waiting
                    self._deadline = min(self._cap, time.monotonic() + self.drain_timeout)
                self.acked = max(self.acked, message.seq)
                self._wake.set()

    async def _receive(self, ws: aiohttp.ClientWebSocketResponse,
                       timeout: float | None) -> object | None:
        msg = await ws.receive(timeout=timeout)
        if msg.type != aiohttp.WSMsgType.BINARY:
            if msg.type == aiohttp.WSMsgType.CLOSE and not self.error:
                self.error = f"closed with {msg.data}"
            return None
        message = decode(msg.data)
        if isinstance(message, Error):
            self.error = f"{message.code}: {message.message}"
            if message.code in FATAL:
                self._fatal = message.message
            return None
        return message
