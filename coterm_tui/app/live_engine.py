"""The live viewer's emulation thread: follow the head, or scrub like the player.

:class:`LiveThread` is the player's :class:`~.playback.PlaybackThread` with a
*following* mode. While following, each wake-up (new frames: :meth:`notify`)
applies what arrived within a time budget, skipping ahead when too far behind;
any replay intent (pause, seek, step, mark, speed …) leaves following and is
handled exactly as ``coterm play`` does, over everything received so far,
while frames keep arriving. ``live`` returns to following. Playing forward in
replay mode rejoins following when it reaches the head.

Lag (shown next to the LIVE badge) is how late the screen shows an event
relative to the broadcaster's clock: ``shown_at − (offset + event.t)`` where
``offset`` estimates local-minus-session time as the smallest
``arrival − event.t`` seen (the fastest frame is taken as zero transit). It
is therefore the delay *beyond* the best network transit: processing, queueing
and emulation backlog, which is what grows when a viewer falls behind.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from coterm_tui.core.live_replay import LiveReplayer
from coterm_tui.core.live_source import LiveSource
from coterm_tui.core.replay import Replayer

from .frame import FrameBuffer, PlayerStatus
from .playback import TICK_BUDGET, Command, PlaybackThread

__all__ = ["LiveThread", "WatchStatus"]

#: Intents that do not leave following.
_NEUTRAL = frozenset({"grow", "sync", "live", "quit", "faster", "slower", "speed"})


@dataclass(frozen=True)
class WatchStatus(PlayerStatus):
    """The player's status plus the live viewer's own."""

    following: bool = True
    #: Seconds the screen lags behind the broadcaster (None: unknown yet).
    lag: float | None = None
    #: Events received but not yet shown.
    behind: int = 0
    #: Output characters skipped so far to keep up.
    skipped: int = 0


class LiveThread(PlaybackThread):
    """Emulates a :class:`LiveSource` off the UI loop."""

    source: LiveSource

    def __init__(self, source: LiveSource, frames: FrameBuffer,
                 on_frame: Callable[[], object], on_status: Callable[[PlayerStatus], object],
                 *, clock: Callable[[], float] = time.monotonic,
                 on_shown: Callable[[int, float], object] | None = None) -> None:
        super().__init__(source, frames, on_frame, on_status, playing=False)
        self.status = WatchStatus()
        self.clock = clock
        #: Called (from this thread) with (seq, time) each time a live screen is published.
        self.on_shown = on_shown
        self._wake = threading.Event()
        self._lag: float | None = None
        self._shown_seq = 0

    def make_replayer(self) -> Replayer:
        return LiveReplayer(self.source, self.clock)

    @property
    def following(self) -> bool:
        return isinstance(self.status, WatchStatus) and self.status.following

    # from the network thread ------------------------------------------------------

    def notify(self) -> None:
        """New frames (or state) arrived; coalesced: one wake-up waits at most."""
        if not self._wake.is_set():
            self._wake.set()
            self.send("grow")

    # the thread -------------------------------------------------------------------

    def _handle(self, cmds: list[Command]) -> None:
        rep = self.replayer
        assert isinstance(rep, LiveReplayer)
        self._wake.clear()
        st = self.status
        assert isinstance(st, WatchStatus)
        replay: list[Command] = []
        for c in cmds:
            if c.kind == "live":
                replay.clear()
                st = replace(st, following=True, playing=False)
            elif c.kind in _NEUTRAL:
                replay.append(c)
            elif st.following:
                st = replace(st, following=False, playing=False)
                self._pos = rep.t
                if c.kind != "toggle":  # space in live mode pauses where it is
                    replay.append(c)
            else:
                replay.append(c)
        self.status = st
        if replay:
            super()._handle(replay)
        if self.following:
            self._follow()
        else:
            self._wall = time.monotonic()

    def _seek(self, target: float) -> None:
        super()._seek(min(target, self.source.head_t))  # nothing beyond what arrived

    def _follow(self) -> None:
        rep = self.replayer
        assert isinstance(rep, LiveReplayer)
        deadline = self.clock() + TICK_BUDGET
        rep.catch_up()
        rep.follow(deadline)
        self._pos = rep.t
        if rep.source.available(rep.seq):
            self.send("grow")  # more waits: publish this, then go on

    def _tick(self) -> None:
        rep = self.replayer
        assert rep is not None
        st = self.status
        assert isinstance(st, WatchStatus)
        if rep.peek() is None and self._pos >= rep.t and self.source.state.connection != "ended":
            # Played up to the head of a live session: follow it again.
            self.status = replace(st, following=True, playing=False)
            self._follow()
            return
        super()._tick()

    def _publish(self, force: bool = False) -> None:
        rep = self.replayer
        assert isinstance(rep, LiveReplayer)
        st = self.status
        assert isinstance(st, WatchStatus)
        if st.following:
            self._lag = self._measure(rep)
        self.status = replace(st, lag=self._lag if st.following else None,
                              behind=rep.behind, skipped=rep.skipped)
        super()._publish(force)
        if st.following and self.on_shown is not None and rep.seq != self._shown_seq:
            self._shown_seq = rep.seq
            self.on_shown(rep.seq, rep.t)

    def _measure(self, rep: LiveReplayer) -> float | None:
        offset = self.source.clock_offset
        if offset is None:
            return self._lag
        now = self.clock()
        waiting = self.source.get(rep.seq + 1)
        if waiting is not None:  # behind: the oldest event not shown yet is this late
            return max(0.0, now - (offset + waiting.t))
        if rep.seq != self._shown_seq:  # just caught up: how late the newest is shown
            return max(0.0, now - (offset + rep.t))
        return self._lag
