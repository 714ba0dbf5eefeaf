"""A live session as a :class:`~.source.FrameSource`: everything received, growing.

The network side (``coterm_tui.client.follow``) puts what the relay sends into a
:class:`LiveSource`: frames by sequence number (:meth:`add`), keyframes from Init
messages and from the relay's REST API (:meth:`add_keyframe`), history fetched
for the part before the viewer joined (:meth:`add` again: arrival order does not
matter), presence and the end of the session. The player's replay engine reads
it like a file: an event's *offset* is its position, ``seq - 1``, so a keyframe
taken after ``seq`` events resumes at offset ``seq``.

Events the viewer has not received yet (before it joined, or lost while it
was disconnected or resynced) are *holes*: :meth:`events` stops at the first
one, and :meth:`holes` tells the network side what to fetch. Everything here is
thread-safe: one network thread writes, the replay thread and the UI read.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from .events import Event, Exit, Header, Output
from .seek_index import Keyframe, SeekIndex, compress_dump
from .timeline import mark_of

__all__ = ["LiveSource", "LiveState", "MAX_EVENTS"]

#: Events kept in memory at most (a session longer than this stops growing the
#: scrubbable history; the live screen still follows through relay keyframes).
MAX_EVENTS = 5_000_000


@dataclass(frozen=True)
class LiveState:
    """What the viewer shows about the stream itself (not the screen)."""

    #: "connecting", "live", "reconnecting", "ended", "error"
    connection: str = "connecting"
    message: str = ""
    viewers: int = 0
    names: tuple[str, ...] = ()
    #: The broadcaster's exit status once the session ended.
    status: int | None = None
    #: Reconnection attempts since the last good connection.
    attempts: int = 0


class LiveSource:
    """Frames of one live session, kept in memory as they arrive."""

    live = True

    def __init__(self, session_id: str, header: Header | None = None) -> None:
        self.name = session_id
        self.session_id = session_id
        self.header = header or Header(cols=80, rows=24)
        self.index = SeekIndex(0)
        self._lock = threading.Lock()
        self._events: list[Event | None] = []
        #: Output characters of each event, and their prefix sums (valid up to their
        #: length: filling a hole truncates them; they are extended when read).
        self._sizes: list[int] = []
        self._prefix: list[int] = [0]
        self._known = 0
        self._state = LiveState()
        #: Called (from the writing thread) whenever something new arrived.
        self.on_change: Callable[[], None] | None = None
        #: Estimated local monotonic clock minus session time (min over frames of
        #: arrival − event time), set by the network side; None until a frame came.
        self.clock_offset: float | None = None
        #: Fetches the relay's keyframe at or before a time (None: its newest) into
        #: the index (blocking; set by the network side).
        self.fetch_keyframe: Callable[[float | None], Keyframe | None] | None = None

    # writing (network thread) ---------------------------------------------------

    def set_header(self, header: Header) -> None:
        self.header = header

    def add(self, seq: int, event: Event) -> bool:
        """Store event ``seq`` (1-based); False if it was known or is out of range."""
        if seq < 1 or seq > MAX_EVENTS:
            return False
        with self._lock:
            i = seq - 1
            n = len(self._events)
            if i < n:
                if self._events[i] is not None:
                    return False
                self._events[i] = event
                self._sizes[i] = _chars(event)
                del self._prefix[i + 1:]  # recomputed lazily
            else:
                if i > n:
                    self._events.extend([None] * (i - n))
                    self._sizes.extend([0] * (i - n))
                self._events.append(event)
                self._sizes.append(_chars(event))
            self._known += 1
            head = len(self._events)
            self.index.size = self.index.done_bytes = head
        self.index.progress(head, event.t, head)
        mark = mark_of(event)
        if mark is not None:
            self.index.add_marks([mark])
        if isinstance(event, Exit):
            self.update(status=event.status)
        return True

    def add_keyframe(self, seq: int, t: float, cols: int, rows: int, dump: str) -> Keyframe:
        """A screen snapshot after ``seq`` events (from the relay or the replay engine)."""
        kf = Keyframe(t, seq, t, seq, cols, rows, blob=compress_dump(dump))
        self.index.insert(kf)
        return kf

    def update(self, **changes: object) -> None:
        """Change the stream state (connection, viewers, status …)."""
        with self._lock:
            self._state = replace(self._state, **changes)  # type: ignore[arg-type]
        self.changed()

    def finish(self, status: int | None) -> None:
        """The session ended: its length is final."""
        with self._lock:
            self._state = replace(self._state, connection="ended",
                                  status=status if status is not None else self._state.status)
            n, t = len(self._events), self.index.indexed_t
        self.index.finish(t, n)
        self.changed()

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    # reading ----------------------------------------------------------------------

    @property
    def state(self) -> LiveState:
        return self._state

    @property
    def head(self) -> int:
        """The highest sequence number received."""
        return len(self._events)

    @property
    def head_t(self) -> float:
        return self.index.indexed_t

    @property
    def received(self) -> int:
        return self._known

    def available(self, seq: int) -> bool:
        """True if event ``seq + 1`` (the one after ``seq``) has arrived."""
        with self._lock:
            return seq < len(self._events) and self._events[seq] is not None

    def _sums(self, upto: int) -> list[int]:
        """The prefix sums, valid up to position ``upto`` (lock held)."""
        prefix, sizes = self._prefix, self._sizes
        for j in range(len(prefix) - 1, min(upto, len(sizes))):
            prefix.append(prefix[-1] + sizes[j])
        return prefix

    def chars_between(self, a: int, b: int) -> int:
        """Output characters in events ``a+1 … b``."""
        with self._lock:
            n = len(self._sizes)
            a, b = max(0, min(a, n)), max(0, min(b, n))
            if b <= a:
                return 0
            sums = self._sums(b)
            return sums[b] - sums[a]

    def seq_with_tail(self, head: int, chars: int) -> int:
        """The largest ``s`` such that events ``s+1 … head`` hold at least ``chars``
        output characters (0 if they all do not)."""
        with self._lock:
            head = max(0, min(head, len(self._sizes)))
            sums = self._sums(head)
            target = sums[head] - chars
            if target <= 0:
                return 0
            return max(0, bisect.bisect_right(sums, target, 0, head + 1) - 1)

    def get(self, seq: int) -> Event | None:
        with self._lock:
            return self._events[seq - 1] if 0 < seq <= len(self._events) else None

    def holes(self, upto: int | None = None, limit: int = 64) -> list[tuple[int, int]]:
        """Missing sequence ranges ``(first, last)`` up to ``upto`` (default: head;
        beyond the head everything up to ``upto`` is missing)."""
        out: list[tuple[int, int]] = []
        with self._lock:
            n = len(self._events)
            end = n if upto is None else min(upto, n)
            if self._known < n:
                start: int | None = None
                for i in range(end):
                    if self._events[i] is None:
                        if start is None:
                            start = i + 1
                    elif start is not None:
                        out.append((start, i))
                        start = None
                        if len(out) >= limit:
                            return out
                if start is not None:
                    out.append((start, end))
        if upto is not None and upto > n:
            if out and out[-1][1] == n:
                out[-1] = (out[-1][0], upto)
            else:
                out.append((n + 1, upto))
        return out

    def events(self, offset: int | None, t0: float) -> Iterator[tuple[int, Event]]:
        """Events from position ``offset`` to the first hole or the current end."""
        i = offset or 0
        while True:
            with self._lock:
                if i >= len(self._events):
                    return
                event = self._events[i]
            if event is None:
                return
            yield i, event
            i += 1

    def start(self, on_progress: Callable[[], None] | None = None) -> None:
        if on_progress is not None and self.on_change is None:
            self.on_change = on_progress

    def close(self) -> None:
        self.on_change = None


def _chars(event: Event | None) -> int:
    return len(event.data) if isinstance(event, Output) else 0
