"""The one-way channel from the PTY loop to the capture pipeline.

Messages are framed as ``kind`` (1 byte), ``t`` (float64, session seconds)
and a length-prefixed payload. The loop's side, :class:`Feed`, never blocks:
the pipe is non-blocking; what the pipe does not take at once waits in memory
up to :data:`MEM_LIMIT` bytes, then goes to the :class:`Spool`, a file both
processes hold (made before the fork). Spooled frames are announced on the pipe
by a small ``SPAN`` message (offset and length in the file), which the pipeline
reads in order and resolves itself with ``pread``: the loop writes each byte of
a flood once, whether or not the pipeline keeps up, and never reads it back.

Past :data:`SPOOL_LIMIT` bytes of lag, output and input are dropped from the
recording and a ``GAP`` message says how much. The pipeline counts what it has
taken from the spool in a shared word; when it has taken everything, the loop
starts writing at the beginning of the file again. Only :meth:`Feed.close`
(after the session) waits for the pipeline to take everything.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import mmap
import os
import struct
import tempfile
from collections.abc import Iterator

HEAD = struct.Struct("<cdI")
OUTPUT, INPUT, HIDDEN, RESIZE, CHILD, EXIT = b"o", b"i", b"h", b"r", b"c", b"x"
GAP = b"g"  # payload: how many bytes of output/input were dropped (<Q)
SPAN = b"s"  # payload: offset and length of spooled frames (<QQ); resolved by Receiver
KINDS = frozenset({OUTPUT, INPUT, HIDDEN, RESIZE, CHILD, EXIT, GAP, SPAN})
_SPAN = struct.Struct("<QQ")
_COUNT = struct.Struct("<Q")
#: Bytes kept in the loop's memory before spilling to the spool.
MEM_LIMIT = 4 << 20
#: Bytes the spool may hold; beyond it output and input are dropped from the
#: recording (and the gap recorded) rather than filling the disk.
SPOOL_LIMIT = 1 << 30
#: A payload larger than this is a protocol error (the loop sends at most 256 KiB).
MAX_PAYLOAD = 1 << 20
PIPE_SIZE = 1 << 20
CHUNK = 1 << 20

Message = tuple[bytes, float, bytes]


def frame(kind: bytes, t: float, payload: bytes = b"") -> bytes:
    return HEAD.pack(kind, t, len(payload)) + payload


def widen_pipe(fd: int) -> None:
    """Ask for a 1 MiB pipe buffer (fewer wake-ups); keep the default if refused."""
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)


def scratch_file(directory: str | None, prefix: str) -> int:
    """A new file in ``directory``, unlinked at once (gone with its last descriptor, a
    crash included); its descriptor. Raises ``OSError``."""
    fd, path = tempfile.mkstemp(prefix=prefix, dir=directory)
    with contextlib.suppress(OSError):
        os.unlink(path)
    return fd


class Spool:
    """The overflow file, and the count of bytes the pipeline took from it (a word
    both processes see). Made before the fork so both hold it; unlinked at once.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._taken = mmap.mmap(-1, _COUNT.size)  # MAP_SHARED: both sides see it

    @classmethod
    def create(cls, directory: str | None = None) -> Spool | None:
        """A new spool in ``directory``; None when it cannot be made (nothing spills)."""
        try:
            return cls(scratch_file(directory, "spool-"))
        except OSError:
            return None

    @property
    def taken(self) -> int:
        """Bytes the pipeline has taken from the spool file, ever."""
        while True:  # read until stable: never act on a word caught mid-update
            a = _COUNT.unpack_from(self._taken)[0]
            if _COUNT.unpack_from(self._taken)[0] == a:
                return int(a)

    def take(self, n: int) -> None:
        _COUNT.pack_into(self._taken, 0, self.taken + n)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


class FrameReader:
    """Turns the bytes read from the pipe (or the spool) back into messages."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[Message]:
        self._buf += data
        out: list[Message] = []
        pos = 0
        buf = self._buf
        while len(buf) - pos >= HEAD.size:
            kind, t, size = HEAD.unpack_from(buf, pos)
            if kind not in KINDS or size > MAX_PAYLOAD:
                raise ValueError(f"bad message from the PTY loop: {kind!r} {size}")
            end = pos + HEAD.size + size
            if end > len(buf):
                break
            out.append((kind, t, bytes(buf[pos + HEAD.size:end])))
            pos = end
        del buf[:pos]
        return out

    @property
    def empty(self) -> bool:
        return not self._buf


class Receiver:
    """The pipeline's end: messages in the order sent, spooled spans resolved.

    :meth:`feed` takes what was read from the pipe; :meth:`take` returns the next
    messages without waiting (at most :data:`CHUNK` bytes of a span at a time, so
    the pipeline stays responsive while it works through a long spool).
    """

    def __init__(self, spool: Spool | None) -> None:
        self.spool = spool
        self._pipe = FrameReader()
        self._spooled = FrameReader()
        self._queue: collections.deque[Message] = collections.deque()
        self._span: list[int] | None = None  # [offset, bytes left]

    @property
    def busy(self) -> bool:
        """Messages are waiting that need no read from the pipe."""
        return bool(self._queue) or self._span is not None

    def feed(self, data: bytes) -> None:
        self._queue.extend(self._pipe.feed(data))

    def take(self) -> list[Message]:
        if self._span is not None:
            return self._read_span()
        out: list[Message] = []
        while self._queue:
            msg = self._queue.popleft()
            if msg[0] != SPAN:
                out.append(msg)
                continue
            offset, length = _SPAN.unpack(msg[2])
            if length:
                self._span = [offset, length]
            break  # the span's frames come before anything after it
        return out

    def _read_span(self) -> list[Message]:
        assert self._span is not None
        offset, left = self._span
        if self.spool is None:
            raise ValueError("spooled frames announced, but there is no spool")
        data = os.pread(self.spool.fd, min(left, CHUNK), offset)
        if not data:
            raise ValueError("the spool ended before its announced frames")
        self._span = [offset + len(data), left - len(data)] if left > len(data) else None
        out = self._spooled.feed(data)
        self.spool.take(len(data))
        if self._span is None and not self._spooled.empty:
            raise ValueError("a spooled span ended inside a frame")
        return out

    def drain(self) -> Iterator[Message]:
        """Every message still waiting (tests, and the end of a session)."""
        while self.busy:
            yield from self.take()


class Feed:
    """The loop's end of the pipe: :meth:`send` never blocks."""

    def __init__(self, fd: int, spool: Spool | None = None, mem_limit: int = MEM_LIMIT,
                 spool_limit: int = SPOOL_LIMIT) -> None:
        self.fd = fd
        os.set_blocking(fd, False)
        self.spool = spool
        self.mem_limit = mem_limit
        self.spool_limit = spool_limit
        #: Bytes for the pipe, in order (frames and span announcements).
        self._mem: collections.deque[memoryview] = collections.deque()
        self._mem_size = 0
        #: The spooled frames not yet announced: file offsets [start, end).
        self._span_start = self._span_end = 0
        self._span_open = False
        #: Where the spool is written next; bytes ever announced.
        self._spool_pos = 0
        self._announced = 0
        #: Control frames (resize, exit…) that the full disk refused, sent after the span.
        self._after_span: list[bytes] = []
        self.broken = False
        #: Measurements: the most bytes held in memory, and the bytes that went to disk.
        self.peak_mem = 0
        self.spilled = 0
        #: Bytes of output/input dropped because the spool was full (total, and since
        #: the last GAP message).
        self.dropped = 0
        self._gap = 0

    @property
    def pending(self) -> bool:
        """Something waits for room in the pipe (select for writability)."""
        return not self.broken and (self._mem_size > 0 or self._span_open)

    def send(self, kind: bytes, t: float, payload: bytes = b"") -> None:
        if self.broken:
            return
        head = HEAD.pack(kind, t, len(payload))
        if self._gap:  # what was dropped is reported just before what comes next
            head = frame(GAP, t, struct.pack("<Q", self._gap)) + head
        if self._send(kind, head, payload):
            self._gap = 0

    def _send(self, kind: bytes, head: bytes, payload: bytes) -> bool:
        """Pipe, memory or spool; False when the frame was dropped (or the pipe is gone)."""
        if not self.pending:
            try:
                n = os.writev(self.fd, (head, payload))
            except BlockingIOError:
                n = 0
            except OSError:
                self.broken = True
                return False
            if n:
                if n < len(head) + len(payload):  # the rest must follow at once
                    self._keep((head + payload)[n:])
                return True
        data = head + payload
        if not self._span_open and self._mem_size + len(data) <= self.mem_limit:
            self._keep(data)
        elif self._spill(data):
            pass
        elif kind in (OUTPUT, INPUT):
            self.dropped += len(payload)
            self._gap += len(payload)
            return False
        elif self._span_open:
            self._after_span.append(data)
        else:
            self._keep(data)  # small control frames are never lost
        return True

    def _keep(self, data: bytes) -> None:
        self._mem.append(memoryview(data))
        self._mem_size += len(data)
        self.peak_mem = max(self.peak_mem, self._mem_size)

    def _spill(self, data: bytes) -> bool:
        """Append a whole frame to the open span; False if it cannot be spooled."""
        if self.spool is None:
            return False
        if not self._span_open:
            if self.spool.taken == self._announced:  # the pipeline took it all: rewind
                self._spool_pos = 0
            self._span_start = self._span_end = self._spool_pos
            self._span_open = True
        if self._spool_pos + len(data) > self.spool_limit:
            return False
        try:
            done = os.pwrite(self.spool.fd, data, self._spool_pos)
        except OSError:
            done = 0
        if done < len(data):  # disk full: the partial frame is overwritten later
            return False
        self._spool_pos += len(data)
        self._span_end = self._spool_pos
        self.spilled += len(data)
        return True

    def _announce(self) -> None:
        """Close the open span: its announcement (and what waited on it) go to the pipe."""
        self._span_open = False
        length = self._span_end - self._span_start
        if length:
            self._keep(frame(SPAN, 0.0, _SPAN.pack(self._span_start, length)))
            self._announced += length
        for data in self._after_span:
            self._keep(data)
        self._after_span.clear()

    def pump(self) -> None:
        """Write what the pipe takes now (call when the fd is writable)."""
        while not self.broken:
            if not self._mem and self._span_open:
                self._announce()
            if not self._mem:
                return
            head = self._mem[0]
            try:
                n = os.write(self.fd, head[:CHUNK])
            except BlockingIOError:
                return
            except OSError:
                self.broken = True
                return
            self._mem_size -= n
            if n == len(head):
                self._mem.popleft()
            else:
                self._mem[0] = head[n:]  # partial: the next write says whether there is room

    def close(self) -> None:
        """Hand the pipeline everything still held (blocking), then close the pipe
        (the spool belongs to whoever made it)."""
        if not self.broken:
            os.set_blocking(self.fd, True)
            self.pump()
        with contextlib.suppress(OSError):
            os.close(self.fd)
