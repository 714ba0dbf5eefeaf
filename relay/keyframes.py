"""Keyframes, made beside ingest and never in the fan-out path.

The publisher hands every frame to :meth:`Keyframer.feed`, which only appends to a
per-session list and wakes that session's pump. The pump ships batches of output
to an executor (a child process by default, so pyte's ~0.6 MB/s of pure Python
never holds the relay's GIL) and turns the dumps it gets back into
:class:`~coterm_tui.core.wire.Keyframe`\\ s: one per ~32 KB of output, or every few
seconds when something changed.

Bulk output (``cat`` of a big file) would outrun the emulator, so batches coalesce
(one job per session in flight, everything that arrived meanwhile goes in the
next) and skip ahead: when more than ``keyframe_skip_bytes`` wait, only the last
``2 × keyframe_bytes`` of output (from a line start) are fed, plus the latest
resize. The screen after a bulk dump is its tail, so the keyframe stays right in
practice, and it is never more than one batch behind.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from coterm_tui.core.errors import WireError
from coterm_tui.core.events import Event, Output, Resize
from coterm_tui.core.wire import MAX_KEYFRAME_BYTES, Frame, Keyframe, decode

from . import emulate
from .emulate import Op
from .metrics import Metrics
from .settings import Settings
from .store import Store

#: A session's pump waits this long to gather a batch unless a keyframe is due.
BATCH_SECONDS = 0.05
#: The emulator works at most this share of the time for one session: after a job
#: of ``d`` seconds the next waits ``d × (1/DUTY − 1)`` (a session's end does not
#: wait). Under a flood it would otherwise take a whole core from the machine the
#: recording runs on (the embedded relay) for keyframes nobody can tell apart.
DUTY = 0.2


@dataclass
class _Feed:
    sid: str
    cols: int
    rows: int
    ops: list[Op] = field(default_factory=list)
    pending: int = 0  # output chars in ops
    seq: int = 0  # last frame seen
    t: float = 0.0
    fed_seq: int = 0  # last frame whose ops reached the emulator
    since_kf: int = 0
    kf_at: float = field(default_factory=time.monotonic)
    primed: bool = False
    force: bool = False
    final: bool = False  # the session ended: forget it after the last keyframe
    rest_until: float = 0.0  # no job before this (monotonic), see DUTY
    task: asyncio.Task[None] | None = None


def skip_ahead(ops: list[Op], pending: int, limit: int, keep: int) -> tuple[list[Op], int]:
    """Keep the last ``keep`` chars of output (and the last earlier resize) when
    ``pending`` exceeds ``limit``; returns the ops to feed and the chars skipped."""
    if pending <= limit:
        return ops, 0
    tail: list[Op] = []
    kept = 0
    i = len(ops) - 1
    while i >= 0 and kept < keep:
        op = ops[i]
        if isinstance(op, str):
            if kept + len(op) > keep:
                cut = op[len(op) - (keep - kept):]
                nl = cut.find("\n")
                op = cut[nl + 1:] if 0 <= nl < len(cut) // 2 else cut
            kept += len(op)
        tail.append(op)
        i -= 1
    resize = next((op for op in reversed(ops[:i + 1]) if not isinstance(op, str)), None)
    if resize is not None:
        tail.append(resize)
    tail.reverse()
    return tail, pending - kept


def output_chars(ops: list[Op]) -> int:
    """How many output characters ``ops`` hold (resizes count nothing)."""
    return sum(len(op) for op in ops if isinstance(op, str))


def to_op(event: Event) -> Op | None:
    if isinstance(event, Output):
        return event.data
    if isinstance(event, Resize):
        return (event.cols, event.rows)
    return None


class Keyframer:
    def __init__(self, settings: Settings, store: Store, metrics: Metrics,
                 on_keyframe: Callable[[str, Keyframe], None]) -> None:
        self._settings = settings
        self._store = store
        self._metrics = metrics
        self._on_keyframe = on_keyframe
        self._feeds: dict[str, _Feed] = {}
        self._executor: Executor | None = None

    def _pool(self) -> Executor:
        if self._executor is None:
            if self._settings.keyframe_executor == "thread":
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="keyframes")
            else:
                ctx = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(1, mp_context=ctx)
        return self._executor

    # -- called by the hub -----------------------------------------------------------
    def start(self, sid: str, cols: int, rows: int, seq: int, t: float) -> None:
        """Track a session whose stored frames end at ``seq``."""
        feed = self._feeds.get(sid)
        if feed is None:
            self._feeds[sid] = _Feed(sid, cols, rows, seq=seq, t=t, fed_seq=seq)
        else:
            feed.final = False  # resumed before its last keyframe was made

    def feed(self, sid: str, seq: int, event: Event) -> None:
        feed = self._feeds.get(sid)
        if feed is None:
            return
        feed.seq, feed.t = seq, event.t
        op = to_op(event)
        if op is None:
            return
        feed.ops.append(op)
        if isinstance(op, str):
            feed.pending += len(op)
            feed.since_kf += len(op)
            if feed.pending > 4 * self._settings.keyframe_skip_bytes:
                self._trim(feed)  # a flood while the emulator rests: memory stays bounded
        self._wake(feed)

    def _trim(self, feed: _Feed) -> None:
        feed.ops, skipped = skip_ahead(feed.ops, feed.pending,
                                       self._settings.keyframe_skip_bytes,
                                       2 * self._settings.keyframe_bytes)
        feed.pending -= skipped
        self._metrics.keyframe_skipped += skipped

    def finish(self, sid: str) -> None:
        """The session ended: make a last keyframe, then forget it."""
        feed = self._feeds.get(sid)
        if feed is not None:
            feed.force = feed.final = True
            self._wake(feed)

    def tick(self) -> None:
        """Time-based keyframes for sessions that changed but went quiet."""
        now = time.monotonic()
        for feed in list(self._feeds.values()):
            if feed.since_kf and now - feed.kf_at >= self._settings.keyframe_seconds:
                feed.force = True
                self._wake(feed)

    # -- the pump --------------------------------------------------------------------
    def _wake(self, feed: _Feed) -> None:
        if feed.task is None or feed.task.done():
            feed.task = asyncio.get_running_loop().create_task(self._pump(feed))

    async def _pump(self, feed: _Feed) -> None:
        loop = asyncio.get_running_loop()
        while feed.ops or feed.force or not feed.primed:
            if not feed.force and feed.since_kf < self._settings.keyframe_bytes:
                await asyncio.sleep(BATCH_SECONDS)  # let a batch gather: one job, not one per frame
            rest = feed.rest_until - time.monotonic()
            if rest > 0 and not feed.final:
                await asyncio.sleep(rest)
            prime = None
            if not feed.primed:
                prime, history = await asyncio.to_thread(self._prime, feed.sid, feed.cols,
                                                         feed.rows, feed.fed_seq)
                feed.ops[:0] = history
                feed.pending += output_chars(history)
            self._trim(feed)
            ops = feed.ops
            seq, t = feed.seq, feed.t
            feed.ops, feed.pending = [], 0
            want = feed.force or feed.since_kf >= self._settings.keyframe_bytes
            covered = feed.since_kf  # output the keyframe will include (more may arrive)
            feed.force = False
            began = time.monotonic()
            try:
                result = await loop.run_in_executor(self._pool(), emulate.advance, feed.sid,
                                                    prime, ops, want)
            except (emulate.NotPrimed, BrokenProcessPool):
                feed.ops[:0] = ops  # the emulator lost them: rebuild and retry
                feed.pending += output_chars(ops)
                feed.force = feed.force or want
                self._reset_pool()
                continue
            feed.primed, feed.fed_seq = True, seq
            ended = time.monotonic()
            feed.rest_until = ended + (ended - began) * (1 / DUTY - 1)
            if result is not None:
                cols, rows, data = result
                feed.since_kf -= covered
                feed.kf_at = time.monotonic()
                if len(data) > MAX_KEYFRAME_BYTES:
                    # A huge, colourful screen: viewers refuse such a keyframe, so keep
                    # the previous one (they replay the frames since) and try again later.
                    self._metrics.keyframes_oversized += 1
                    continue
                self._metrics.keyframes += 1
                self._on_keyframe(feed.sid, Keyframe(seq, t, cols, rows, data))
        if feed.final:
            self._feeds.pop(feed.sid, None)
            if self._executor is not None:
                self._executor.submit(emulate.drop, feed.sid)

    def _prime(self, sid: str, cols: int, rows: int, upto: int
               ) -> tuple[tuple[int, int, str], list[Op]]:
        """Rebuild a session's screen (in a thread): its newest keyframe, and the
        ops of the frames after it up to ``upto`` (what the emulator had been fed)."""
        kf = self._store.keyframe_at(sid)
        prime = (cols, rows, "") if kf is None else (kf.cols, kf.rows, kf.data)
        ops: list[Op] = []
        cursor = 0 if kf is None else kf.seq
        while cursor < upto:
            chunk = self._store.read_frames(sid, cursor + 1, upto, 1 << 20)
            if not chunk:
                break
            for seq, _, raw in chunk:
                cursor = seq
                try:
                    msg = decode(raw)
                except WireError:
                    continue
                op = to_op(msg.event) if isinstance(msg, Frame) else None
                if op is not None:
                    ops.append(op)
            pending = output_chars(ops)
            ops, _ = skip_ahead(ops, pending, self._settings.keyframe_skip_bytes,
                                2 * self._settings.keyframe_bytes)
        return prime, ops

    def _reset_pool(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        for feed in self._feeds.values():
            feed.primed = False

    async def close(self) -> None:
        tasks = [f.task for f in self._feeds.values() if f.task is not None and not f.task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
