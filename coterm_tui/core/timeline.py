"""Replay timing as pure functions: speed steps, the idle-time limit, markers.

Nothing here reads files or touches a screen; the player and the live viewer
drive their clocks with these and the tests check them without any UI.

Times are *recorded* seconds (what the file says) unless named ``playback``:
with an idle limit of ``L`` every gap between two events longer than ``L`` is
shortened to ``L`` (asciinema's ``limit_idle_time``), and the playback clock
then runs at ``speed`` recorded seconds per wall second.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .events import Command, Event, Marker, Note

__all__ = [
    "SPEEDS",
    "IdleMap",
    "Mark",
    "faster",
    "format_time",
    "limit_idle_time",
    "mark_at",
    "mark_of",
    "merge_marks",
    "next_mark",
    "parse_time",
    "playback_delay",
    "prev_mark",
    "slower",
]

#: The speed steps offered by ``<``/``>``: 1/16× … 16×.
SPEEDS: tuple[float, ...] = (1 / 16, 1 / 8, 1 / 4, 1 / 2, 1.0, 2.0, 4.0, 8.0, 16.0)

#: Jumping to the previous mark skips marks closer than this behind the position,
#: so pressing ``[`` right after landing on a mark goes to the one before it.
MARK_GRACE = 0.5


def faster(speed: float) -> float:
    """The next speed step above ``speed`` (16× stays 16×)."""
    return next((s for s in SPEEDS if s > speed * 1.0001), SPEEDS[-1])


def slower(speed: float) -> float:
    """The next speed step below ``speed`` (1/16× stays 1/16×)."""
    return next((s for s in reversed(SPEEDS) if s < speed * 0.9999), SPEEDS[0])


def playback_delay(gap: float, speed: float, idle_limit: float | None) -> float:
    """Wall seconds to wait for a recorded ``gap`` at ``speed`` with an idle limit."""
    gap = max(0.0, gap)
    if idle_limit is not None and idle_limit > 0:
        gap = min(gap, idle_limit)
    return gap / speed


def limit_idle_time(times: Iterable[float], limit: float | None) -> Iterator[float]:
    """Playback times of events at recorded ``times`` (non-decreasing), gaps capped."""
    prev_in = prev_out = 0.0
    for t in times:
        gap = max(0.0, t - prev_in)
        if limit is not None and limit > 0:
            gap = min(gap, limit)
        prev_in, prev_out = t, prev_out + gap
        yield prev_out


class IdleMap:
    """Maps recorded time to playback time and back under an idle limit.

    Built incrementally from event times (``add``), it keeps only the gaps that
    were shortened, so memory grows with the number of long pauses, not events.
    Inside a shortened gap ``[s, e]`` the first ``limit`` seconds play normally and
    the rest is skipped: recorded times in ``[s + limit, e)`` all map to the same
    playback time, and that playback time maps back to ``e``.
    """

    def __init__(self, limit: float | None) -> None:
        self.limit = limit if limit is not None and limit > 0 else None
        self._starts: list[float] = []
        self._ends: list[float] = []
        self._removed: list[float] = []  # total cut up to and including each gap
        self._last = 0.0

    def add(self, t: float) -> None:
        """Record the next event time (non-decreasing)."""
        if self.limit is not None and t - self._last > self.limit:
            total = (self._removed[-1] if self._removed else 0.0) + (t - self._last - self.limit)
            self._starts.append(self._last)
            self._ends.append(t)
            self._removed.append(total)
        self._last = max(self._last, t)

    def to_playback(self, t: float) -> float:
        i = bisect.bisect_right(self._starts, t) - 1  # the last gap starting at or before t
        if i < 0:
            return t
        before = self._removed[i - 1] if i else 0.0
        if t >= self._ends[i]:
            return t - self._removed[i]
        assert self.limit is not None
        return self._starts[i] - before + min(t - self._starts[i], self.limit)

    def to_recorded(self, p: float) -> float:
        """Inverse of :meth:`to_playback`; the cut point of a gap maps to its end."""
        # playback time where each gap starts
        i = -1
        lo, hi = 0, len(self._starts)
        while lo < hi:  # last gap whose playback start is <= p
            mid = (lo + hi) // 2
            if self._starts[mid] - (self._removed[mid - 1] if mid else 0.0) <= p:
                i, lo = mid, mid + 1
            else:
                hi = mid
        if i < 0:
            return p
        before = self._removed[i - 1] if i else 0.0
        into = p - (self._starts[i] - before)
        assert self.limit is not None
        if into < self.limit - 1e-9:
            return self._starts[i] + into
        return p + self._removed[i]


@dataclass(frozen=True, slots=True, order=True)
class Mark:
    """A point on the timeline: a marker, the start of a command, or a note."""

    t: float
    kind: str  # "marker" | "command" | "note"
    label: str = ""


def mark_of(event: Event) -> Mark | None:
    """The timeline mark an event makes, if any (commands count once, at their start)."""
    if isinstance(event, Marker):
        return Mark(event.t, "marker", event.label)
    if isinstance(event, Command) and event.end is None:
        return Mark(event.start or event.t, "command", event.line)
    if isinstance(event, Note) and not event.deleted:
        return Mark(event.t, "note", event.text)
    return None


def merge_marks(marks: Sequence[Mark], new: Iterable[Mark]) -> tuple[Mark, ...]:
    """``marks`` plus ``new``, sorted by time, duplicates dropped."""
    return tuple(sorted(set(marks).union(new)))


def next_mark(marks: Sequence[Mark], t: float, eps: float = 1e-6) -> Mark | None:
    """The first mark strictly after ``t``."""
    times = [m.t for m in marks]
    i = bisect.bisect_right(times, t + eps)
    return marks[i] if i < len(marks) else None


def mark_at(marks: Sequence[Mark], t: float, eps: float = 1e-6) -> Mark | None:
    """The last mark at or before ``t`` (the chapter ``t`` is in)."""
    times = [m.t for m in marks]
    i = bisect.bisect_right(times, t + eps)
    return marks[i - 1] if i else None


def prev_mark(marks: Sequence[Mark], t: float, grace: float = MARK_GRACE) -> Mark | None:
    """The last mark before ``t - grace`` (so repeated presses walk backwards)."""
    times = [m.t for m in marks]
    i = bisect.bisect_left(times, t - grace)
    return marks[i - 1] if i > 0 else None


def parse_time(text: str) -> float:
    """Parse ``12.5``, ``1:05`` or ``1:02:03.5`` into seconds; ValueError if bad."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3:
        raise ValueError(f"not a time: {text!r}")
    try:
        seconds = float(parts[-1])
        whole = [int(p) for p in parts[:-1]]
    except ValueError:
        raise ValueError(f"not a time: {text!r}") from None
    if not 0 <= seconds < float("inf") or any(v < 0 for v in whole):
        raise ValueError(f"not a time: {text!r}")
    if whole and seconds >= 60 or len(whole) == 2 and whole[1] >= 60:
        raise ValueError(f"not a time: {text!r} (minutes and seconds must be below 60)")
    total = 0.0
    for v in whole:
        total = total * 60 + v
    return total * 60 + seconds if whole else seconds


def format_time(t: float, with_tenths: bool = False) -> str:
    """``mm:ss`` (or ``h:mm:ss`` past an hour), optionally with tenths."""
    t = max(0.0, t)
    if with_tenths:
        whole = int(t * 10) / 10
        h, rem = divmod(whole, 3600)
        m, s = divmod(rem, 60)
        sec = f"{s:04.1f}"
    else:
        h, rem = divmod(int(t), 3600)
        m, s = divmod(rem, 60)
        sec = f"{int(s):02d}"
    return f"{int(h)}:{int(m):02d}:{sec}" if h else f"{int(m):02d}:{sec}"
