"""The one-way channel from the PTY loop to the capture pipeline.

Messages are framed as ``kind`` (1 byte), ``t`` (float64, session seconds)
and a length-prefixed payload. The loop's side, :class:`Feed`, never blocks:
the pipe is non-blocking; what the pipe does not take at once waits in memory
up to :data:`MEM_LIMIT` bytes, then in an unlinked spool file (up to
:data:`SPOOL_LIMIT`; past that, output and input are dropped from the recording
and a ``GAP`` message says how much), and is written when the pipe has room
again. Only :meth:`Feed.close` (after the session) waits for the pipeline to
take everything.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import os
import struct
import tempfile
from typing import BinaryIO

HEAD = struct.Struct("<cdI")
OUTPUT, INPUT, HIDDEN, RESIZE, CHILD, EXIT = b"o", b"i", b"h", b"r", b"c", b"x"
GAP = b"g"  # payload: how many bytes of output/input were dropped (<Q)
KINDS = frozenset({OUTPUT, INPUT, HIDDEN, RESIZE, CHILD, EXIT, GAP})
#: Bytes kept in the loop's memory before spilling to disk.
MEM_LIMIT = 4 << 20
#: Bytes the spool file may hold; beyond it output and input are dropped from the
#: recording (and the gap recorded) rather than filling the disk.
SPOOL_LIMIT = 1 << 30
#: A payload larger than this is a protocol error (the loop reads 64 KiB at a time).
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


class FrameReader:
    """Turns the bytes read from the pipe back into messages."""

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


class Feed:
    """The loop's end of the pipe: :meth:`send` never blocks."""

    def __init__(self, fd: int, mem_limit: int = MEM_LIMIT, spool_dir: str | None = None,
                 spool_limit: int = SPOOL_LIMIT) -> None:
        self.fd = fd
        os.set_blocking(fd, False)
        self.mem_limit = mem_limit
        self.spool_limit = spool_limit
        self.spool_dir = spool_dir
        self._mem: collections.deque[memoryview] = collections.deque()
        self._mem_size = 0
        self._spool: BinaryIO | None = None
        #: Control frames (resize, exit…) that the full disk refused, sent after the spool.
        self._spilled_control: list[bytes] = []
        self._spool_read = 0
        self._spool_written = 0
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
        return not self.broken and (self._mem_size > 0 or self._spool is not None)

    def send(self, kind: bytes, t: float, payload: bytes = b"") -> None:
        if self.broken:
            return
        if (self._spool is not None and kind in (OUTPUT, INPUT)
                and self._spool_written - self._spool_read + len(payload) > self.spool_limit):
            self.dropped += len(payload)
            self._gap += len(payload)
            return
        if self._gap:
            gap, self._gap = self._gap, 0
            self.send(GAP, t, struct.pack("<Q", gap))
        head = HEAD.pack(kind, t, len(payload))
        if not self.pending:
            try:
                n = os.writev(self.fd, (head, payload))
            except BlockingIOError:
                n = 0
            except OSError:
                self.broken = True
                return
            if n == len(head) + len(payload):
                return
            if n:  # the rest of a frame the pipe has begun: it must follow at once
                self._keep((head + payload)[n:])
                return
        data = head + payload
        if self._spool is not None or self._mem_size + len(data) > self.mem_limit:
            if not self._spill(data):
                if kind in (OUTPUT, INPUT):
                    self.dropped += len(payload)
                    self._gap += len(payload)
                elif self._spool is None:
                    self._keep(data)  # small control frames are never lost
                else:
                    self._spilled_control.append(data)
        else:
            self._keep(data)

    def _keep(self, data: bytes) -> None:
        self._mem.append(memoryview(data))
        self._mem_size += len(data)
        self.peak_mem = max(self.peak_mem, self._mem_size)

    def _spill(self, data: bytes) -> bool:
        """Append a whole frame to the spool file; False if the disk refused it."""
        try:
            if self._spool is None:
                self._spool = tempfile.TemporaryFile(dir=self.spool_dir, buffering=0)  # noqa: SIM115
                self._spool_read = self._spool_written = 0
            self._spool.seek(self._spool_written)
            done = self._spool.write(data) or 0
        except OSError:
            done = 0
        if done < len(data):  # disk full: forget the partial frame
            if self._spool is not None:
                with contextlib.suppress(OSError):
                    os.ftruncate(self._spool.fileno(), self._spool_written)
            return False
        self._spool_written += len(data)
        self.spilled += len(data)
        return True

    def pump(self) -> None:
        """Write what the pipe takes now (call when the fd is writable)."""
        while not self.broken:
            if not self._mem and self._spool is not None:
                self._refill()
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

    def _refill(self) -> None:
        assert self._spool is not None
        self._spool.seek(self._spool_read)
        data = self._spool.read(CHUNK)
        self._spool_read += len(data)
        if data:
            self._mem.append(memoryview(data))
            self._mem_size += len(data)
        if self._spool_read >= self._spool_written:
            self._spool.close()
            self._spool = None
            for frame in self._spilled_control:
                self._keep(frame)
            self._spilled_control.clear()

    def close(self) -> None:
        """Hand the pipeline everything still held (blocking), then close the pipe."""
        if not self.broken:
            os.set_blocking(self.fd, True)
            self.pump()
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        with contextlib.suppress(OSError):
            os.close(self.fd)
