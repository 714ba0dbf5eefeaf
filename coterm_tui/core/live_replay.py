"""Replaying a session that is still growing: follow its head, skip ahead when behind.

:class:`LiveReplayer` is the player's :class:`~.replay.Replayer` over a
:class:`~.live_source.LiveSource`: reaching the end is temporary (more may
arrive), :meth:`follow` applies what arrived within a time budget and, while
the screen is an exact emulation (following or scrubbing), records keyframes of
its own so seeking back into what it has emulated once is fast.

Skip-ahead (:meth:`catch_up`): when more output waits than the emulator can
draw in :data:`SKIP_CHARS`'s worth of time (a 50 MB ``cat``), the screen jumps
to the newest keyframe (the relay's, fetched on demand) and, if that is still
too far behind, feeds only the last :data:`TAIL_CHARS` of output: the screen
after a bulk dump is its tail. Skipped output stays in the source, so scrubbing
back replays it exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .events import Event, Output, Resize
from .live_source import LiveSource
from .replay import Replayer, apply
from .seek_index import KEYFRAME_BYTES, KEYFRAME_SECONDS, Keyframe
from .skim import ends_clean

__all__ = ["SKIP_CHARS", "TAIL_CHARS", "LiveReplayer"]

#: More output than this waiting (≈ 0.1 s of pyte) makes the viewer skip ahead.
SKIP_CHARS = 96 * 1024
#: A skip that finds no keyframe near the head feeds this much of the tail.
TAIL_CHARS = 32 * 1024
#: The relay's keyframe is asked for at most this often (seconds).
FETCH_EVERY = 0.5
#: A seek whose nearest keyframe is further back than this (session seconds) asks
#: the relay for one; after a failed ask, not again for RETRY_AFTER seconds.
FAR_SECONDS = 10.0
RETRY_AFTER = 5.0


class LiveReplayer(Replayer):
    """A :class:`Replayer` whose end moves; it follows and skips ahead."""

    source: LiveSource

    def __init__(self, source: LiveSource, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(source)
        self.clock = clock
        #: True while the screen is an exact emulation (not after a tail skip).
        self.exact = True
        self._since_kf = 0
        self._kf_t = 0.0
        self._clean = True
        self._fetched_at = -FETCH_EVERY
        self._failed_at = -RETRY_AFTER
        #: Output characters skipped so far, jumps to keyframes and tail skips (for the
        #: benchmark).
        self.skipped = 0
        self.keyframe_jumps = 0
        self.tail_skips = 0

    def peek(self) -> Event | None:
        if self._at_end and self._next is None and self.source.available(self.seq):
            self._iter = self.source.events(self.seq, self.t)
            self._at_end = False
        return super().peek()

    def _restore(self, kf: Keyframe | None) -> None:
        super()._restore(kf)
        self.exact = True
        self._since_kf = 0
        self._kf_t = self.t
        self._clean = True

    @property
    def behind(self) -> int:
        """Events received but not shown."""
        return max(0, self.source.head - self.seq)

    def follow(self, deadline: float) -> bool:
        """Apply what has arrived until ``deadline`` (clock time); True if the screen
        may have changed."""
        changed = False
        while self.peek() is not None:
            changed |= apply(self.term, self._take())
            if self.clock() > deadline:
                break
        self._keyframe_due()
        return changed

    def _take(self) -> Event:
        self._keyframe_due()  # the screen now is the one after ``self.seq`` events
        event = super()._take()
        if isinstance(event, Output):
            self._since_kf += len(event.data)
            self._clean = ends_clean(event.data[-4096:])
        elif isinstance(event, Resize):
            self._since_kf += 1
            self._clean = True
        return event

    def _keyframe_due(self) -> None:
        """Record a keyframe every ~32 KB or 5 s of exactly emulated output, whether
        following or scrubbing, so later seeks into this part are fast."""
        if (self.exact and self._since_kf and self._clean
                and (self._since_kf >= KEYFRAME_BYTES or self.t - self._kf_t >= KEYFRAME_SECONDS)):
            self.source.add_keyframe(self.seq, self.t, self.term.cols, self.term.rows,
                                     self.term.dump())
            self._since_kf, self._kf_t = 0, self.t

    def catch_up(self) -> bool:
        """Skip ahead if too far behind or stuck at a hole; True if it jumped."""
        src = self.source
        header = src.header
        if self.seq == 0 and (self.term.cols, self.term.rows) != (header.cols, header.rows):
            self._restore(None)  # the header came after this screen was made
        newest = src.index.last()
        head = max(src.head, newest.seq if newest is not None else 0)
        if head <= self.seq:
            return False
        stuck = not src.available(self.seq)
        backlog = src.chars_between(self.seq, head)
        if not stuck and backlog <= SKIP_CHARS:
            return False
        kf = src.index.last()
        far = kf is None or kf.seq <= self.seq or src.chars_between(kf.seq, head) > SKIP_CHARS
        now = self.clock()
        if far and src.fetch_keyframe is not None and now - self._fetched_at >= FETCH_EVERY:
            self._fetched_at = now
            src.fetch_keyframe(None)
            kf = src.index.last()
        jumped = False
        if kf is not None and kf.seq > self.seq:
            self.skipped += src.chars_between(self.seq, kf.seq)
            self.seek_seq(kf.seq)
            self.keyframe_jumps += 1
            jumped = True
        if src.chars_between(self.seq, head) > SKIP_CHARS and src.available(self.seq):
            to = src.seq_with_tail(head, TAIL_CHARS)
            if to > self.seq:
                self.skip_to(to)
                self.tail_skips += 1
                jumped = True
        return jumped

    def seek(self, target: float, cancelled: Callable[[], bool] | None = None) -> None:
        """As :meth:`Replayer.seek`; when the nearest known keyframe is far behind
        ``target`` (history received from the relay, never emulated here), ask the
        relay for its keyframe there first."""
        src = self.source
        kf = src.index.before_time(target)
        start = kf.t if kf is not None else 0.0
        if target >= self.t and (kf is None or kf.seq <= self.seq):
            start = max(start, self.t)  # replaying on from here
        now = self.clock()
        if (target - start > FAR_SECONDS and src.fetch_keyframe is not None
                and now - self._failed_at >= RETRY_AFTER
                and src.fetch_keyframe(target) is None):
            self._failed_at = now  # none there, or no relay: do not ask at every seek
        super().seek(target, cancelled)

    def skip_to(self, seq: int) -> None:
        """Move to ``seq`` applying only resizes (the output is dropped)."""
        src = self.source
        for s in range(self.seq + 1, seq + 1):
            event = src.get(s)
            if isinstance(event, Resize):
                apply(self.term, event)
            elif isinstance(event, Output):
                self.skipped += len(event.data)
            if event is not None:
                self.t = max(self.t, event.t)
        self.seq = seq
        self.exact = False
        self._iter = src.events(seq, self.t)
        self._next = None
        self._at_end = False
