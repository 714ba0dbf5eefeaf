"""The replay engine: a screen positioned anywhere in a recording.

:class:`Replayer` owns a :class:`Terminal` and a cursor into the source's events.
It moves forward by applying events and jumps anywhere by restoring the
nearest earlier keyframe and replaying from its byte offset. It has no clock:
the player's thread decides when to :meth:`advance`; the snapshot command and
the tests call :meth:`seek` directly. A bad line ends the recording where it
is, with :attr:`error` set, so everything before it stays playable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .errors import CastError
from .events import Event, Output, Resize
from .seek_index import Keyframe, short_error
from .source import FrameSource
from .terminal import Terminal

__all__ = ["Replayer"]

#: ``cancelled()`` is polled this often (in events) during a long replay.
CANCEL_EVERY = 256


def apply(term: Terminal, event: Event) -> bool:
    """Apply one event to the screen; True if it can change what is shown."""
    if isinstance(event, Output):
        term.feed(event.data)
        return True
    if isinstance(event, Resize):
        term.resize(event.cols, event.rows)
        return True
    return False


class Replayer:
    """A screen at a position of a :class:`FrameSource`."""

    def __init__(self, source: FrameSource) -> None:
        self.source = source
        self.term = Terminal(source.header.cols, source.header.rows)
        #: Events applied so far, and the time of the last one.
        self.seq = 0
        self.t = 0.0
        #: The byte offset of the next event (None before the first read).
        self.offset: int | None = None
        self.error: str | None = None
        #: The bad line's error, for callers that report it in full (the CLI).
        self.cast_error: CastError | None = None
        self._iter: Iterator[tuple[int, Event]] | None = None
        self._next: tuple[int, Event] | None = None
        self._at_end = False
        self._restore(None)

    # positioning --------------------------------------------------------------

    def _restore(self, kf: Keyframe | None) -> None:
        if self._iter is not None:
            close = getattr(self._iter, "close", None)
            if close:
                close()
        if kf is None:
            self.term = Terminal(self.source.header.cols, self.source.header.rows)
            self.seq, self.t, self.offset = 0, 0.0, None
        else:
            self.term = Terminal(kf.cols, kf.rows)
            self.term.feed(self.source.index.dump_of(kf))
            self.seq, self.t, self.offset = kf.seq, kf.t0, kf.offset
        self._iter = self.source.events(self.offset, self.t)
        self._next = None
        self._at_end = False

    def peek(self) -> Event | None:
        """The next event, without applying it (None at the end)."""
        if self._next is None and not self._at_end:
            assert self._iter is not None
            try:
                self._next = next(self._iter)
                self.offset = self._next[0]
            except StopIteration:
                self._at_end = True
            except CastError as exc:
                self.error = short_error(exc)
                self.cast_error = exc
                self._at_end = True
        return None if self._next is None else self._next[1]

    @property
    def ended(self) -> bool:
        return self.peek() is None

    def _take(self) -> Event:
        event = self.peek()
        assert event is not None
        self._next = None
        self.seq += 1
        self.t = max(self.t, event.t)
        return event

    def advance(self, target: float, cancelled: Callable[[], bool] | None = None) -> bool:
        """Apply every event at or before ``target``; True if the screen may have
        changed. Stops early (returning) when ``cancelled()`` turns true."""
        changed = False
        n = 0
        while True:
            event = self.peek()
            if event is None or event.t > target:
                break
            changed |= apply(self.term, self._take())
            n += 1
            if cancelled is not None and n % CANCEL_EVERY == 0 and cancelled():
                break
        return changed

    def advance_seq(self, seq: int) -> None:
        """Apply events until ``seq`` of them are applied (or the end)."""
        while self.seq < seq and self.peek() is not None:
            apply(self.term, self._take())

    def step(self) -> bool:
        """Apply events up to and including the next one that changes the screen;
        False at the end."""
        while (event := self.peek()) is not None:
            if apply(self.term, self._take()):
                return True
            del event
        return False

    def seek(self, target: float, cancelled: Callable[[], bool] | None = None) -> None:
        """Show the screen as it was at recorded time ``target``."""
        target = max(0.0, target)
        kf = self.source.index.before_time(target)
        # Replaying on from here beats restoring when the keyframe is behind us.
        if not (target >= self.t and (kf is None or kf.seq <= self.seq)):
            self._restore(kf)
        self.advance(target, cancelled)

    def seek_seq(self, seq: int) -> None:
        """Show the screen after the first ``seq`` events."""
        kf = self.source.index.before_seq(seq)
        if not (seq >= self.seq and (kf is None or kf.seq <= self.seq)):
            self._restore(kf)
        self.advance_seq(seq)

    def step_back(self) -> bool:
        """Undo the last screen-changing event (one frame back); False at the start."""
        target = self.seq
        below = target - 1  # look for the last visual event before ``target``
        while below >= 0:
            kf = self.source.index.before_seq(below)
            self._restore(kf)
            last_visual = -1
            while self.seq < target and (event := self.peek()) is not None:
                if isinstance(event, (Output, Resize)):
                    last_visual = self.seq
                apply(self.term, self._take())
            if last_visual >= 0:
                self.seek_seq(last_visual)
                return True
            if kf is None or kf.seq == 0:
                break
            target, below = kf.seq, kf.seq - 1  # nothing visual since that keyframe
        self.seek_seq(0)
        return False
