"""The on-disk seek index cache: reopening a big recording is instant.

One append-only file per recording version, under ``cache_dir()/index/``, named
by a hash of the recording's absolute path, size and mtime (an edited file gets
a new index). Records::

    b"CTIDX1\\n"                                   magic, once
    b"K" <t d, offset q, t0 d, seq q, cols H, rows H, n I> <n bytes: zlib dump>
    b"M" <n I> <n bytes: JSON [t, kind, label]>   a timeline mark
    b"E" <n I> <n bytes: JSON {t, events, error}> indexing finished

An interrupted build leaves a file without ``E``; the next open loads what is
there (dropping a torn last record) and resumes from the last keyframe. Dumps
stay on disk and are read back by position, so memory does not grow with the
file. An exclusive ``flock`` keeps two players from writing the same file; the
second one indexes in memory instead.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import struct
import threading
from dataclasses import replace
from pathlib import Path
from typing import IO

from .errors import EventError
from .events import check_size
from .paths import cache_dir
from .seek_index import Keyframe, SeekIndex
from .timeline import Mark

__all__ = ["IndexCache", "cache_file_for"]

MAGIC = b"CTIDX1\n"
_KF = struct.Struct("<dqdqHHI")
_LEN = struct.Struct("<I")
#: Refuse absurd records in a corrupt cache instead of allocating them.
MAX_RECORD = 64 << 20


def cache_file_for(path: Path) -> Path:
    st = path.stat()
    key = f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{MAGIC!r}"
    return cache_dir() / "index" / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".idx")


class IndexCache:
    """An open cache file: loads what it holds into a :class:`SeekIndex` and appends."""

    def __init__(self, file: Path, index: SeekIndex) -> None:
        self.file = file
        self.index = index
        self._lock = threading.Lock()
        file.parent.mkdir(parents=True, exist_ok=True)
        self._fh: IO[bytes] = open(file, "a+b")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._fh.close()
            raise
        self._load()
        index.reader = self.read_blob

    @classmethod
    def open(cls, path: Path, index: SeekIndex) -> IndexCache | None:
        """The cache for ``path``, or None when it cannot be used (read-only, busy)."""
        try:
            return cls(cache_file_for(path), index)
        except OSError:
            return None

    def _load(self) -> None:
        fh = self._fh
        fh.seek(0)
        data_end = 0
        magic = fh.read(len(MAGIC))
        if magic != MAGIC:
            fh.truncate(0)
            fh.write(MAGIC)
            fh.flush()
            return
        data_end = fh.tell()
        marks: list[Mark] = []
        while True:
            kind = fh.read(1)
            if not kind:
                break
            try:
                if kind == b"K":
                    head = fh.read(_KF.size)
                    t, offset, t0, seq, cols, rows, n = _KF.unpack(head)
                    pos = fh.tell()
                    if n > MAX_RECORD or len(fh.read(n)) != n:
                        break
                    kf = Keyframe(t, None if offset < 0 else offset, t0, seq, cols, rows,
                                  blob_pos=pos, blob_len=n)
                    if not self._plausible(kf):
                        break
                    self.index.add(kf)
                elif kind in (b"M", b"E"):
                    (n,) = _LEN.unpack(fh.read(_LEN.size))
                    raw = fh.read(n)
                    if n > MAX_RECORD or len(raw) != n:
                        break
                    obj = json.loads(raw)
                    if kind == b"M":
                        marks.append(Mark(float(obj[0]), str(obj[1]), str(obj[2])))
                    else:
                        self.index.finish(float(obj["t"]), int(obj["events"]), obj["error"])
                else:
                    break
            except (struct.error, ValueError, KeyError, IndexError, TypeError):
                break
            data_end = fh.tell()
        self.index.add_marks(marks)
        fh.truncate(data_end)  # drop a torn last record before appending

    def _plausible(self, kf: Keyframe) -> bool:
        """A keyframe that fits the recording and follows the previous one (a corrupt
        cache must not send the reader to a wrong offset)."""
        last = self.index.last()
        if kf.offset is None:
            ok = kf.seq == 0 and last is None
        else:
            ok = 0 < kf.offset <= self.index.size and kf.seq > 0
        if last is not None and (kf.seq <= last.seq or kf.t < last.t
                                 or (last.offset or 0) >= (kf.offset or 0)):
            ok = False
        try:
            check_size(kf.cols, kf.rows)
        except EventError:
            ok = False
        return ok and kf.blob_len > 0 and kf.t == kf.t0 >= 0

    def read_blob(self, kf: Keyframe) -> bytes:
        with self._lock:
            self._fh.seek(kf.blob_pos)
            return self._fh.read(kf.blob_len)

    def _append(self, data: bytes) -> int:
        """Append ``data``; returns the file position where it starts."""
        with self._lock:
            self._fh.seek(0, os.SEEK_END)
            pos = self._fh.tell()
            self._fh.write(data)
            return pos

    def store(self, kf: Keyframe, blob: bytes) -> Keyframe:
        head = b"K" + _KF.pack(kf.t, -1 if kf.offset is None else kf.offset, kf.t0, kf.seq,
                               kf.cols, kf.rows, len(blob))
        pos = self._append(head + blob)
        return replace(kf, blob=None, blob_pos=pos + len(head), blob_len=len(blob))

    def _record(self, kind: bytes, obj: object) -> None:
        raw = json.dumps(obj).encode()
        self._append(kind + _LEN.pack(len(raw)) + raw)

    def add_marks(self, marks: list[Mark]) -> None:
        for m in marks:
            self._record(b"M", [m.t, m.kind, m.label])

    def finish(self) -> None:
        idx = self.index
        self._record(b"E", {"t": idx.indexed_t, "events": idx.events, "error": idx.error})
        with self._lock:
            self._fh.flush()

    def flush(self) -> None:
        with self._lock:
            self._fh.flush()

    def close(self) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.flush()
                self._fh.close()
