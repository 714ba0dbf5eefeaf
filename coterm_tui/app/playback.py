"""The playback thread: clock, seeking and emulation, off the UI loop.

The UI sends intents (:class:`Command`) through a queue; the thread drains
them, composes consecutive seeks into one, runs the clock while playing and
publishes frames (:class:`~.frame.FrameBuffer`) and status through callbacks
that post messages to the app. Only this thread touches the Terminal.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from coterm_tui.core.replay import Replayer
from coterm_tui.core.source import FrameSource
from coterm_tui.core.timeline import faster, next_mark, prev_mark, slower

from .frame import FrameBuffer, PlayerStatus, rows_of

__all__ = ["Command", "PlaybackThread"]

#: While playing, status is published at most this often (seconds).
STATUS_EVERY = 0.1
#: Emulating longer than this in one tick means we are behind: seek instead.
TICK_BUDGET = 0.05


@dataclass(frozen=True)
class Command:
    """An intent from the UI. ``kind`` is one of: toggle, play, pause, seek
    (``value`` seconds), seek_by (``value`` seconds), seek_frac (``value`` 0..1), seek_by_frac,
    mark (``value`` +1/-1), step (``value`` +1/-1), faster, slower, speed
    (``value``), start, end, sync, quit."""

    kind: str
    value: float = 0.0
    done: threading.Event | None = None


class PlaybackThread(threading.Thread):
    """Plays a :class:`FrameSource` into a :class:`FrameBuffer`."""

    def __init__(self, source: FrameSource, frames: FrameBuffer,
                 on_frame: Callable[[], object], on_status: Callable[[PlayerStatus], object],
                 *, speed: float = 1.0, idle_limit: float | None = None,
                 at: float | None = None, playing: bool = True) -> None:
        super().__init__(name="playback", daemon=True)
        self.source = source
        self.frames = frames
        self.on_frame = on_frame
        self.on_status = on_status
        self.idle_limit = idle_limit
        self.commands: queue.Queue[Command] = queue.Queue(maxsize=1000)
        self.status = PlayerStatus(t=0.0, playing=playing, speed=speed)
        self._at = at
        self._pos = 0.0  # recorded time shown
        self._wall = 0.0  # monotonic time the clock last advanced
        self._last_status = 0.0
        self._term: object = None
        self._size = (0, 0)
        self._cursor: object = None
        self._published = self.status
        self.replayer: Replayer | None = None

    # called from the UI thread -----------------------------------------------

    def send(self, kind: str, value: float = 0.0) -> None:
        # A flood of key repeats fills the queue: dropping some is what the user wants.
        with contextlib.suppress(queue.Full):
            self.commands.put_nowait(Command(kind, value))

    def sync(self, timeout: float = 30.0) -> None:
        """Block until every command sent before has been handled and published."""
        done = threading.Event()
        self.commands.put(Command("sync", done=done), timeout=timeout)
        if not done.wait(timeout):
            raise TimeoutError("the playback thread did not answer")

    def stop(self) -> None:
        self.commands.put(Command("quit"))
        self.join(timeout=10)

    # the thread ----------------------------------------------------------------

    def make_replayer(self) -> Replayer:
        """The replay engine this thread drives (the live viewer's follows a growing source)."""
        return Replayer(self.source)

    def run(self) -> None:
        self.replayer = self.make_replayer()
        try:
            if self._at:
                self._seek(self._at)
        except Exception as exc:  # a bug: show it, keep answering the UI
            self.status = replace(self.status, playing=False, error=f"internal error: {exc!r}")
        self._publish(force=True)
        self._wall = time.monotonic()
        while True:
            timeout = self._timeout()
            try:
                first = self.commands.get(timeout=timeout)
            except queue.Empty:
                first = None
            cmds = [first] if first else []
            while True:
                try:
                    cmds.append(self.commands.get_nowait())
                except queue.Empty:
                    break
            if any(c.kind == "quit" for c in cmds):
                return
            try:
                self._handle(cmds)
                if self.status.playing:
                    self._tick()
                self._publish()
            except Exception as exc:  # a bug: show it, keep answering the UI
                self.status = replace(self.status, playing=False)
                self.on_status(replace(self.status, error=f"internal error: {exc!r}"))
            for c in cmds:
                if c.done is not None:
                    c.done.set()

    def _timeout(self) -> float | None:
        if not self.status.playing:
            return None
        rep = self.replayer
        assert rep is not None
        event = rep.peek()
        if event is None:
            return STATUS_EVERY
        wait = (self._jump_at(event.t) - self._pos) / self.status.speed
        return max(0.0, min(wait, STATUS_EVERY))

    def _jump_at(self, t_next: float) -> float:
        """When the clock reaches this, the next event (at ``t_next``) is shown."""
        rep = self.replayer
        assert rep is not None
        limit = self.idle_limit
        if limit is not None and limit > 0 and t_next - rep.t > limit:
            return max(self._pos, rep.t + limit)
        return t_next

    def _duration(self) -> float:
        """The end, or while indexing the end of the indexed part."""
        index = self.source.index
        return index.duration if index.duration is not None else index.indexed_t

    def _length(self) -> float:
        """The length for percentages: while indexing, extrapolated from the indexed
        fraction of the file (as the timeline bar draws it)."""
        index = self.source.index
        if index.duration is not None:
            return index.duration
        return index.indexed_t / index.fraction if index.fraction > 0 else index.indexed_t

    def _handle(self, cmds: list[Command]) -> None:
        rep = self.replayer
        assert rep is not None
        if not any(c.kind != "sync" for c in cmds):
            return
        if self.status.playing:
            self._tick()  # bring the clock up to now before changing it
        target: float | None = None
        st = self.status
        for c in cmds:
            base = self._pos if target is None else target
            k = c.kind
            if k == "toggle":
                if st.playing:
                    st = replace(st, playing=False)
                elif rep.ended:
                    target, st = 0.0, replace(st, playing=True)
                else:
                    st = replace(st, playing=True)
            elif k in ("play", "pause"):
                st = replace(st, playing=k == "play")
            elif k == "seek":
                target = c.value
            elif k == "seek_by":
                target = base + c.value
            elif k == "seek_by_frac":
                target = base + c.value * self._length()
            elif k == "seek_frac":
                target = c.value * self._length()
            elif k == "start":
                target = 0.0
            elif k == "end":
                target = self._duration()
            elif k == "mark":
                marks = self.source.index.marks
                mark = next_mark(marks, base) if c.value > 0 else prev_mark(marks, base)
                if mark is not None:
                    target = mark.t
            elif k == "faster":
                st = replace(st, speed=faster(st.speed))
            elif k == "slower":
                st = replace(st, speed=slower(st.speed))
            elif k == "speed":
                st = replace(st, speed=c.value)
            elif k == "step":
                if target is not None:
                    self._seek(target)
                    target = None
                st = replace(st, playing=False)
                moved = rep.step() if c.value > 0 else rep.step_back()
                if moved:
                    self._pos = rep.t
        if target is not None:
            self._seek(target)
        self.status = st
        self._wall = time.monotonic()

    def _seek(self, target: float) -> None:
        rep = self.replayer
        assert rep is not None
        target = max(0.0, target)
        index = self.source.index
        if index.duration is not None:
            target = min(target, index.duration)
        elif target > index.indexed_t:
            # Past the index: a replay from the last keyframe, maybe long. Say so.
            self.on_status(replace(self.status, t=self._pos, seeking=True))
        rep.seek(target, cancelled=lambda: not self.commands.empty())
        nxt = rep.peek()
        # Interrupted by a newer command: show where the replay really got to.
        self._pos = target if nxt is None or nxt.t > target else rep.t

    def _tick(self) -> None:
        """Advance the clock by the wall time elapsed, applying due events."""
        rep = self.replayer
        assert rep is not None
        now = time.monotonic()
        budget = (now - self._wall) * self.status.speed
        self._wall = now
        deadline = now + TICK_BUDGET
        while budget > 0:
            event = rep.peek()
            if event is None:
                self.status = replace(self.status, playing=False)
                return
            jump = self._jump_at(event.t)
            need = max(0.0, jump - self._pos)
            if budget < need:
                self._pos += budget
                return
            budget -= need
            self._pos = max(self._pos, event.t)
            rep.advance(self._pos)
            if budget > 0 and time.monotonic() > deadline:
                # Behind (a burst at high speed): jump via the index instead.
                self._pos += budget
                rep.seek(self._pos)
                return

    def _publish(self, force: bool = False) -> None:
        rep = self.replayer
        assert rep is not None
        term = rep.term
        size = (term.cols, term.rows)
        full = force or term is not self._term or size != self._size
        dirty = term.take_dirty()
        cursor = term.cursor
        if full:
            self._term, self._size = term, size
            dirty = set(range(term.rows))
        if dirty or cursor != self._cursor:
            self._cursor = cursor
            x, y, visible = cursor
            if self.frames.put(term.cols, term.rows, rows_of(term, sorted(dirty)),
                               (x, y, bool(visible)), full, term.title):
                self.on_frame()
        status = replace(self.status, t=self._pos, ended=rep.ended and self._pos >= rep.t,
                         error=rep.error, offset=rep.offset)
        self.status = status
        now = time.monotonic()
        same = replace(status, t=0.0, offset=None) == replace(self._published, t=0.0, offset=None)
        if force or not same or not status.playing or now - self._last_status >= STATUS_EVERY:
            self._last_status = now
            self._published = status
            self.on_status(status)
