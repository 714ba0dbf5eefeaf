"""An append-only log of records on disk: the relay keeps one per session for frames
and one for keyframes; the recorder's uplink spools unacknowledged frames in one.

Each record is a 24-byte header ``>IIQd`` (body length, CRC-32 of the body, sequence
number, time) followed by the body (an encoded wire message). A crash can leave a
torn record at the end; :meth:`FrameLog.recover` finds the last whole one and
truncates the rest, so the log is always a clean prefix of what was appended.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

HEAD = struct.Struct(">IIQd")
MAX_BODY = 4 << 20
BLOCK = 64 * 1024


class FrameLog:
    """Append with :meth:`append` (visible to :meth:`read` at once), make durable
    with :meth:`sync`. Not thread-safe for concurrent appends; reads may run
    concurrently with appends."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        self.size = os.fstat(self._fd).st_size

    def records(self, offset: int = 0, max_bytes: int | None = None
                ) -> Iterator[tuple[int, int, float, bytes]]:
        """``(offset, seq, t, body)`` from ``offset`` on; stops at the first torn record."""
        end = self.size
        start = offset
        buf = b""
        base = offset  # file offset of buf[0]
        while offset + HEAD.size <= end:
            if max_bytes is not None and offset - start >= max_bytes:
                return
            pos = offset - base
            if pos + HEAD.size > len(buf):
                buf, base, pos = os.pread(self._fd, max(BLOCK, HEAD.size), offset), offset, 0
            length, crc, seq, t = HEAD.unpack_from(buf, pos)
            if length > MAX_BODY or offset + HEAD.size + length > end:
                return
            if pos + HEAD.size + length > len(buf):
                buf = os.pread(self._fd, max(BLOCK, HEAD.size + length), offset)
                base, pos = offset, 0
            body = buf[pos + HEAD.size:pos + HEAD.size + length]
            if len(body) != length or zlib.crc32(body) != crc:
                return
            yield offset, seq, t, body
            offset += HEAD.size + length

    def recover(self, offset: int = 0) -> tuple[int, float, int]:
        """Scan from ``offset`` (a record start), truncate a torn tail; returns
        ``(last seq, its time, offset of the last record)`` — zeros when empty."""
        last = (0, 0.0, -1)
        end = offset
        for off, seq, t, body in self.records(offset):
            last = (seq, t, off)
            end = off + HEAD.size + len(body)
        if end < self.size:
            os.ftruncate(self._fd, end)
            self.size = end
        return last

    def append(self, seq: int, t: float, body: bytes) -> int:
        """Write one record; returns its offset."""
        head = HEAD.pack(len(body), zlib.crc32(body), seq, t)
        offset = self.size
        total = len(head) + len(body)
        n = os.writev(self._fd, (head, body))  # no copy of the body to join them
        if n < total:  # a short write (rare): the rest, from where it stopped
            view = memoryview(head + body)[n:]
            while view:
                view = view[os.write(self._fd, view):]
        self.size += total
        return offset

    def sync(self) -> None:
        os.fdatasync(self._fd)

    def close(self) -> None:
        os.close(self._fd)
