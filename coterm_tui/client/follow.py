"""Following a live session into a :class:`~coterm_tui.core.live_source.LiveSource`.

:class:`Follower` runs its own thread and asyncio loop (so the viewer's UI loop
never decodes frames): it opens :func:`~.watch.watch`, stores every frame, turns
Init keyframes into seek keyframes, fetches the history the viewer missed (the
part before it joined, gaps after a resync) from the relay's REST API, and
reconnects with exponential backoff when the connection drops. The relay's
keyframes are also offered to the replay engine (:meth:`fetch_keyframe`, blocking)
for skipping ahead when output outruns the emulator, and for seeking far into the
history received from the relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
import time
from typing import Any

import aiohttp

from coterm_tui.core.errors import CotermError, WireError
from coterm_tui.core.live_source import LiveSource
from coterm_tui.core.seek_index import Keyframe
from coterm_tui.core.wire import Bye, Frame, Init, Presence, event_from_wire
from coterm_tui.core.wire import Keyframe as WireKeyframe

from .target import RelayTarget
from .watch import watch

__all__ = ["BACKOFF_MAX", "Follower"]

#: Reconnection delays: first, factor, cap (seconds); each with ±20 % jitter.
BACKOFF_FIRST = 0.2
BACKOFF_MAX = 5.0
#: The relay's newest keyframe is waited for at most this long (seconds).
FETCH_TIMEOUT = 2.0
#: History is fetched in pages of at most this many events (the relay caps at 10,000).
PAGE = 5000


def backoff(attempt: int) -> float:
    """Delay before reconnection attempt ``attempt`` (1-based)."""
    base: float = min(BACKOFF_MAX, BACKOFF_FIRST * 2.0 ** max(0, attempt - 1))
    return base * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not crypto


class Follower:
    """Keeps ``source`` filled from the relay until stopped or the session ends."""

    def __init__(self, target: RelayTarget, source: LiveSource, *, name: str = "") -> None:
        self.target = target
        self.source = source
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._backfill: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None
        #: The last seq of a session that had already ended when we joined.
        self._final: int | None = None
        #: Init messages received (the first, then one per resync or reconnection).
        self.inits = 0
        #: Clock offset estimate: min over frames of (arrival − event time).
        self.offset: float | None = None
        source.fetch_keyframe = self.fetch_keyframe

    # control (any thread) ---------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"follow {self.source.name}",
                                        daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def stop(self) -> None:
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(task.cancel)
        if self._thread is not None:
            self._thread.join(timeout=10)

    def fetch_keyframe(self, t: float | None = None) -> Keyframe | None:
        """The relay's keyframe at or before session time ``t`` (None: its newest),
        added to the source's index (blocking for at most :data:`FETCH_TIMEOUT`; None
        if the relay has none or cannot be reached)."""
        loop, http = self._loop, self._http
        if loop is None or http is None or loop.is_closed():
            return None
        try:
            kf = asyncio.run_coroutine_threadsafe(self._get_keyframe(http, t), loop).result(
                FETCH_TIMEOUT)
        except (CotermError, aiohttp.ClientError, OSError, TimeoutError, KeyError,
                TypeError, ValueError, RuntimeError, asyncio.CancelledError):
            return None
        if kf is None or kf.seq > self.source.head:
            return None  # none yet, or we do not have the frames up to it yet
        return self.source.add_keyframe(kf.seq, kf.t, kf.cols, kf.rows, kf.data)

    async def _get_keyframe(self, http: aiohttp.ClientSession,
                            t: float | None) -> WireKeyframe | None:
        url = f"{self.target.url}/api/sessions/{self.source.session_id}/keyframe"
        params = {} if t is None else {"t": f"{max(0.0, t):.6f}"}
        async with http.get(url, headers=self.target.headers(), params=params,
                            timeout=aiohttp.ClientTimeout(total=FETCH_TIMEOUT)) as resp:
            if resp.status != 200:
                return None
            data = await resp.json()
        return WireKeyframe(int(data["seq"]), float(data["t"]), int(data["cols"]),
                            int(data["rows"]), str(data["data"]))

    # the thread -------------------------------------------------------------------

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        try:
            self._task = loop.create_task(self._main())
            self._ready.set()
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(self._task)
        finally:
            self._ready.set()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _main(self) -> None:
        src = self.source
        attempts = 0
        async with aiohttp.ClientSession() as http:
            self._http = http
            try:
                while True:
                    problem = ""
                    try:
                        async for message in watch(self.target, src.session_id, name=self.name,
                                                   http=http):
                            if isinstance(message, Init):
                                attempts = 0
                            self._handle(message, http)
                        if src.state.connection == "ended":
                            if self._backfill is not None:
                                await self._backfill  # an ended session: keep all its history
                            return
                        problem = "the relay closed the connection"
                    except CotermError as exc:
                        problem = str(exc)
                        if "refused" in problem:
                            src.update(connection="error", message=problem)
                            return
                    except (aiohttp.ClientError, OSError, WireError) as exc:
                        problem = f"connection lost: {exc.__class__.__name__}"
                    attempts += 1
                    delay = backoff(attempts)
                    src.update(connection="reconnecting", attempts=attempts,
                               message=f"{problem}; reconnecting…")
                    await asyncio.sleep(delay)
            finally:
                if self._backfill is not None:
                    self._backfill.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await self._backfill

    def _handle(self, message: Any, http: aiohttp.ClientSession) -> None:
        src = self.source
        if isinstance(message, Frame):
            if src.add(message.seq, message.event):
                gap = time.monotonic() - message.event.t
                if self.offset is None or gap < self.offset:
                    self.offset = gap
                    src.clock_offset = gap
                src.changed()
            self._check_final()
        elif isinstance(message, Init):
            self.inits += 1
            src.set_header(message.header)
            kf = message.keyframe
            if kf is not None:
                src.add_keyframe(kf.seq, kf.t, kf.cols, kf.rows, kf.data)
            src.update(connection="live" if message.live else "loading",
                       message="", attempts=0, status=message.status)
            self._final = None if message.live else message.last_seq
            self._check_final()
            self._fill(http)
        elif isinstance(message, WireKeyframe):
            src.add_keyframe(message.seq, message.t, message.cols, message.rows, message.data)
            src.changed()
        elif isinstance(message, Presence):
            src.update(viewers=message.viewers, names=message.names)
        elif isinstance(message, Bye):
            src.finish(None)

    def _check_final(self) -> None:
        """An ended session is over once everything up to its last seq arrived (a
        relay that restarted since does not say Bye)."""
        src = self.source
        if (self._final is not None and src.state.connection != "ended"
                and src.head >= self._final and not src.holes()):
            src.finish(None)

    # history ----------------------------------------------------------------------

    def _fill(self, http: aiohttp.ClientSession) -> None:
        """Fetch what is missing before the newest keyframe (in the background)."""
        if self._backfill is None or self._backfill.done():
            self._backfill = asyncio.get_running_loop().create_task(self._fetch_holes(http))

    async def _fetch_holes(self, http: aiohttp.ClientSession) -> None:
        src = self.source
        for _ in range(100_000):
            last = src.index.last()
            holes = src.holes(upto=None if last is None else max(last.seq, src.head))
            if not holes:
                return
            first, end = holes[0]
            try:
                if not await self._fetch(http, first, min(end, first + PAGE - 1)):
                    return
            except (aiohttp.ClientError, OSError, TimeoutError):
                return

    async def _fetch(self, http: aiohttp.ClientSession, first: int, last: int) -> bool:
        """Store frames ``first..last`` from the REST API; False if none came."""
        url = f"{self.target.url}/api/sessions/{self.source.session_id}/events"
        async with http.get(url, params={"from": str(first), "to": str(last)},
                            headers=self.target.headers(),
                            timeout=aiohttp.ClientTimeout(total=30)) as resp:
            if resp.status != 200:
                return False
            body = await resp.json()
        frames = body.get("frames") if isinstance(body, dict) else None
        if not isinstance(frames, list) or not frames:
            return False
        for f in frames:
            try:
                event = event_from_wire(f["code"], f["t"], f["data"])
                self.source.add(int(f["seq"]), event)
            except (WireError, KeyError, TypeError, ValueError):
                continue
        self.source.changed()
        self._check_final()
        return True
