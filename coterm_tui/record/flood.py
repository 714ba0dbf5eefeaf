"""The capture pipeline stands aside while a program floods the terminal.

On a small machine work done beside a flood of output slows the terminal itself
(on the 2-vCPU box of BENCHMARKS.md even a ``SCHED_IDLE`` busy loop halves
``script``'s throughput), and a pipeline that keeps up is woken by every write of
the PTY loop. So when the pipeline is fast enough to catch up quickly (over
:data:`SPEED_MARGIN` times the flood's rate) and records locally only, it moves
what the loop sends into a :class:`Backlog` file, unread, while the flood goes
on, and replays it in order once it is over (nothing new for :data:`QUIET`
seconds), after :data:`DEFER_MAX` seconds, or past :data:`BACKLOG_LIMIT` bytes.
Measured (``cat`` of 200 MB, redaction off, ``--no-relay``): the terminal gets it
at 0.9–1.0× ``script`` instead of 0.6×, and the file is complete no later.

What it costs: during a flood the recording lags the terminal until the flood is
over (at most :data:`DEFER_MAX` seconds); a recorder killed meanwhile loses that
stretch (an unlinked file, as the loop's own spool); markers from ``coterm mark``
are held and written after the output before them, and process samples pause.
"""

from __future__ import annotations

import contextlib
import os

from .channel import scratch_file

#: A burst of at least this many bytes (reads less than QUIET apart) is a flood.
FLOOD_BYTES = 1 << 20
#: The loop has sent nothing for this long: the flood is over.
QUIET = 0.1
#: The longest the pipeline stands aside at a time.
DEFER_MAX = 10.0
#: The most the backlog file holds; past it the pipe is left to the loop's spool.
BACKLOG_LIMIT = 1 << 30
#: Bytes replayed from the backlog at a time.
CHUNK = 1 << 20
#: Stand aside only if the pipeline processes output this many times faster than the
#: flood arrives: then catching up afterwards is quick. A pipeline slower than the
#: flood (redaction of coloured text, ~50–60 MB/s here) keeps working beside it
#: instead, or the recording would be complete much later (measured: 0.65× → 0.42×
#: ``script``); without redaction it processes ~130 MB/s, over twice the flood's rate.
SPEED_MARGIN = 2.0


class Backlog:
    """Bytes set aside, in order, in an unlinked file (made on first use)."""

    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory
        self._fd: int | None = None
        self._written = 0
        self._read = 0

    @property
    def size(self) -> int:
        """Bytes set aside and not yet taken."""
        return self._written - self._read

    def add(self, data: bytes) -> bool:
        """Set ``data`` aside; False if the disk refused it (nothing was kept)."""
        try:
            if self._fd is None:
                self._fd = scratch_file(self.directory, "backlog-")
            done = os.pwrite(self._fd, data, self._written)
        except OSError:
            done = 0
        if done < len(data):
            return False
        self._written += len(data)
        return True

    def take(self, size: int = CHUNK) -> bytes:
        """The next bytes set aside (at most ``size``); the file is emptied once all is taken."""
        if self._fd is None or not self.size:
            return b""
        data = os.pread(self._fd, min(size, self.size), self._read)
        self._read += len(data)
        if self._read >= self._written:
            self._read = self._written = 0
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
        return data

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


class FloodGate:
    """Decides when the pipeline stands aside, and keeps what it sets aside in order."""

    def __init__(self, backlog: Backlog, flood_bytes: int = FLOOD_BYTES, quiet: float = QUIET,
                 defer_max: float = DEFER_MAX, limit: int = BACKLOG_LIMIT,
                 enabled: bool = True) -> None:
        self.backlog = backlog
        #: Off while the session streams to a relay: the relay (and the uplink) work
        #: through the flood anyway, and standing aside only delays the recording
        #: (measured: complete at 0.54× → 0.3–0.4× ``script``, terminal no faster).
        self.enabled = enabled
        self.flood_bytes = flood_bytes
        self.quiet = quiet
        self.defer_max = defer_max
        self.limit = limit
        self.deferring = False
        self._burst = 0
        self._burst_start = 0.0
        self._last = -1e9
        self._since = 0.0
        #: How fast the pipeline processes output (bytes per second of work, smoothed).
        self.speed = 0.0
        #: What the disk refused while older bytes wait in the backlog (one read at most:
        #: the caller stops reading the pipe while this holds anything).
        self._overflow: list[bytes] = []
        #: Measurements: floods stood aside from, and bytes set aside in all.
        self.floods = 0
        self.deferred = 0

    @property
    def pending(self) -> bool:
        """Bytes set aside wait to be replayed."""
        return self.backlog.size > 0 or bool(self._overflow)

    @property
    def full(self) -> bool:
        """Read no more from the pipe for now (the PTY loop spools what it cannot send)."""
        return self.backlog.size >= self.limit or bool(self._overflow)

    def arrived(self, data: bytes, now: float) -> bool:
        """``data`` was read from the pipe at ``now``. True if it was set aside (the caller
        must not process it now); False if the caller processes it at once."""
        if now - self._last < self.quiet:
            self._burst += len(data)
        else:
            self._burst, self._burst_start = len(data), now
        self._last = now
        if self.enabled and not self.deferring and not self.pending \
                and self._burst >= self.flood_bytes and self._fast_enough(now):
            self.deferring, self._since = True, now
            self.floods += 1
        if not (self.deferring or self.pending):
            return False
        if self._overflow or not self.backlog.add(data):  # the disk refused: stop deferring
            self.deferring = False
            self._overflow.append(data)
            return True
        self.deferred += len(data)
        if self.deferring and (now - self._since >= self.defer_max or self.full):
            self.deferring = False
        return True

    def worked(self, nbytes: int, seconds: float) -> None:
        """The pipeline processed ``nbytes`` of output in ``seconds`` of work."""
        if nbytes >= 64 << 10 and seconds > 0:
            rate = nbytes / seconds
            self.speed = rate if not self.speed else 0.7 * self.speed + 0.3 * rate

    def _fast_enough(self, now: float) -> bool:
        arrival = self._burst / max(now - self._burst_start, 1e-3)
        return self.speed >= SPEED_MARGIN * arrival

    def idle(self, now: float) -> None:
        """Nothing arrived up to ``now``: a flood over for QUIET seconds ends deferral."""
        if self.deferring and now - self._last >= self.quiet:
            self.deferring = False

    def stop(self) -> None:
        self.deferring = False

    def take(self) -> bytes:
        """The next bytes to process, oldest first."""
        data = self.backlog.take()
        if not data and self._overflow:
            data = self._overflow.pop(0)
        return data

    def close(self) -> None:
        self.backlog.close()
