"""The embedded store: SQLite (WAL) for sessions, indexes, notes and tokens, plus
one append-only :class:`~relay.store.framelog.FrameLog` per session for frames and
one for keyframes, under ``<data_dir>/sessions/<id>/``.

Durability policy (group commit): frames are written to their log at once (readers
see them), and :meth:`SqliteStore.commit` — called by the relay at most every
``commit_interval`` (20 ms by default) — ``fdatasync``\\ s every log written since
the previous commit, then records progress in SQLite. Acks go out after that, so
an acknowledged frame survives a crash of the relay or of the machine. The logs
are the truth: on opening a session its log is re-scanned from the last indexed
offset, so frames written but not yet recorded in SQLite are found again and a
torn tail is cut off.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

from coterm_tui.core.asciicast.header import header_from_json, header_to_json
from coterm_tui.core.errors import CotermError, WireError
from coterm_tui.core.events import Header
from coterm_tui.core.recordlog import FrameLog
from coterm_tui.core.wire import Keyframe, decode, encode

from .base import SCOPES, SessionInfo, Store, TokenInfo
from .sqlite_notes import SqliteNotes

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions(
  id TEXT PRIMARY KEY, header TEXT NOT NULL, owner TEXT NOT NULL, started REAL NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0, last_t REAL NOT NULL DEFAULT 0,
  live INTEGER NOT NULL DEFAULT 1, ended REAL, status INTEGER);
CREATE TABLE IF NOT EXISTS frame_index(
  session TEXT NOT NULL, seq INTEGER NOT NULL, offset INTEGER NOT NULL, t REAL NOT NULL,
  PRIMARY KEY(session, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS keyframes(
  session TEXT NOT NULL, seq INTEGER NOT NULL, t REAL NOT NULL, offset INTEGER NOT NULL,
  PRIMARY KEY(session, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keyframes_t ON keyframes(session, t);
CREATE TABLE IF NOT EXISTS notes(
  id TEXT PRIMARY KEY, session TEXT NOT NULL, t REAL NOT NULL, author TEXT NOT NULL,
  text TEXT NOT NULL, created REAL NOT NULL, edited REAL, deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS notes_session ON notes(session, t);
CREATE TABLE IF NOT EXISTS tokens(
  id TEXT PRIMARY KEY, hash TEXT UNIQUE NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL,
  created REAL NOT NULL, revoked REAL);
"""

#: A sparse index: one row per this many bytes of frame log.
INDEX_EVERY = 32 * 1024


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


class _Log:
    """One session's logs and the progress not yet committed."""

    def __init__(self, frames: FrameLog, keyframes: FrameLog, last_seq: int, last_t: float,
                 indexed_at: int) -> None:
        self.frames = frames
        self.keyframes = keyframes
        self.last_seq = last_seq
        self.last_t = last_t
        self.indexed_at = indexed_at
        self.index_rows: list[tuple[int, int, float]] = []
        self.dirty = False


class SqliteStore(SqliteNotes, Store):
    def __init__(self, data_dir: Path, *, fsync: bool = True) -> None:
        self.root = Path(data_dir)
        (self.root / "sessions").mkdir(parents=True, exist_ok=True)
        self._fsync = fsync
        self._db_lock = threading.Lock()
        self._logs_lock = threading.Lock()
        self._db = sqlite3.connect(self.root / "relay.sqlite3", check_same_thread=False,
                                   isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._logs: dict[str, _Log] = {}
        for (sid,) in self._q("SELECT id FROM sessions WHERE live=1"):
            self._log(sid)  # was live at a crash: find frames written after the last commit

    # -- helpers ---------------------------------------------------------------------
    def _q(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._db_lock:
            return self._db.execute(sql, args).fetchall()

    def _log(self, sid: str) -> _Log:
        with self._logs_lock:
            log = self._logs.get(sid)
            if log is not None:
                return log
            folder = self.root / "sessions" / sid
            frames = FrameLog(folder / "frames.log")
            keyframes = FrameLog(folder / "keyframes.log")
            row = self._q("SELECT seq, offset, t FROM frame_index WHERE session=? "
                          "ORDER BY seq DESC LIMIT 1", (sid,))
            start = row[0][1] if row else 0
            seq, t, last_off = frames.recover(start)
            if last_off < 0 and row:  # the indexed record itself is gone: rescan all
                seq, t, last_off = frames.recover(0)
            keyframes.recover(self._last_keyframe_offset(sid) or 0)
            log = _Log(frames, keyframes, seq, t, start if row else -INDEX_EVERY)
            self._logs[sid] = log
            return log

    def _last_keyframe_offset(self, sid: str) -> int | None:
        row = self._q("SELECT offset FROM keyframes WHERE session=? ORDER BY seq DESC LIMIT 1",
                      (sid,))
        return row[0][0] if row else None

    def _info(self, row: tuple[Any, ...]) -> SessionInfo:
        sid, header, owner, started, last_seq, last_t, live, ended, status = row
        log = self._logs.get(sid)
        if log is not None:  # fresher than the committed row
            last_seq, last_t = log.last_seq, log.last_t
        return SessionInfo(sid, header_from_json(json.loads(header)), owner, started, last_seq,
                           last_t, bool(live), ended, status)

    _COLS = "id, header, owner, started, last_seq, last_t, live, ended, status"

    # -- sessions ----------------------------------------------------------------------
    def open_session(self, sid: str, header: Header | None, owner: str,
                     now: float) -> SessionInfo:
        log = self._log(sid)
        existing = self.get_session(sid)
        if existing is None:
            if header is None:
                raise CotermError(f"session {sid} does not exist and no header was sent")
            text = json.dumps(header_to_json(header, 3))
            self._q("INSERT INTO sessions(id, header, owner, started, last_seq, last_t) "
                    "VALUES(?,?,?,?,?,?)", (sid, text, owner, now, log.last_seq, log.last_t))
        else:
            self._q("UPDATE sessions SET live=1, ended=NULL WHERE id=?", (sid,))
        info = self.get_session(sid)
        assert info is not None
        return info

    def get_session(self, sid: str) -> SessionInfo | None:
        rows = self._q(f"SELECT {self._COLS} FROM sessions WHERE id=?", (sid,))
        return self._info(rows[0]) if rows else None

    def list_sessions(self, limit: int = 1000) -> list[SessionInfo]:
        rows = self._q(f"SELECT {self._COLS} FROM sessions ORDER BY started DESC LIMIT ?",
                       (limit,))
        return [self._info(r) for r in rows]

    def end_session(self, sid: str, now: float, status: int | None = None) -> None:
        self._q("UPDATE sessions SET live=0, ended=?, status=coalesce(?, status) WHERE id=?",
                (now, status, sid))

    # -- frames ----------------------------------------------------------------------
    def append(self, sid: str, seq: int, t: float, raw: bytes) -> None:
        log = self._log(sid)
        if seq != log.last_seq + 1:
            raise WireError(f"session {sid}: frame {seq} does not follow {log.last_seq}")
        offset = log.frames.append(seq, t, raw)
        if offset - log.indexed_at >= INDEX_EVERY:
            log.index_rows.append((seq, offset, t))
            log.indexed_at = offset
        log.last_seq, log.last_t = seq, t
        log.dirty = True

    def commit(self) -> dict[str, int]:
        with self._logs_lock:
            batch = []
            for sid, log in self._logs.items():
                if log.dirty:
                    batch.append((sid, log, log.last_seq, log.last_t, log.index_rows))
                    log.index_rows, log.dirty = [], False
        if not batch:
            return {}
        if self._fsync:
            for _, log, *_ in batch:
                log.frames.sync()
        with self._db_lock:
            self._db.execute("BEGIN")
            for sid, _, seq, t, rows in batch:
                self._db.execute("UPDATE sessions SET last_seq=?, last_t=? WHERE id=?",
                                 (seq, t, sid))
                self._db.executemany(
                    "INSERT OR REPLACE INTO frame_index(session, seq, offset, t) "
                    "VALUES(?,?,?,?)", [(sid, *r) for r in rows])
            self._db.execute("COMMIT")
        return {sid: seq for sid, _, seq, _, _ in batch}

    def read_frames(self, sid: str, first: int, last: int | None = None,
                    max_bytes: int = 1 << 20) -> list[tuple[int, float, bytes]]:
        log = self._log(sid)
        row = self._q("SELECT offset FROM frame_index WHERE session=? AND seq<=? "
                      "ORDER BY seq DESC LIMIT 1", (sid, max(first, 1)))
        if not row and log.index_rows:
            row = [(r[1],) for r in log.index_rows if r[0] <= first][-1:]
        out: list[tuple[int, float, bytes]] = []
        size = 0
        for _, seq, t, body in log.frames.records(row[0][0] if row else 0):
            if seq < first:
                continue
            if (last is not None and seq > last) or (out and size >= max_bytes):
                break
            out.append((seq, t, body))
            size += len(body)
        return out

    # -- keyframes -------------------------------------------------------------------
    def save_keyframe(self, sid: str, keyframe: Keyframe) -> None:
        log = self._log(sid)
        offset = log.keyframes.append(keyframe.seq, keyframe.t, encode(keyframe))
        self._q("INSERT OR REPLACE INTO keyframes(session, seq, t, offset) VALUES(?,?,?,?)",
                (sid, keyframe.seq, keyframe.t, offset))

    def keyframe_at(self, sid: str, t: float | None = None) -> Keyframe | None:
        if t is None:
            offset = self._last_keyframe_offset(sid)
        else:
            rows = self._q("SELECT offset FROM keyframes WHERE session=? AND t<=? "
                           "ORDER BY t DESC, seq DESC LIMIT 1", (sid, t))
            offset = rows[0][0] if rows else None
        if offset is None:
            return None
        for _, _, _, body in self._log(sid).keyframes.records(offset):
            try:
                msg = decode(body, limit=len(body))
            except WireError:
                return None
            return msg if isinstance(msg, Keyframe) else None
        return None

    # -- tokens ----------------------------------------------------------------------
    def create_token(self, name: str, scope: str, now: float) -> tuple[TokenInfo, str]:
        if scope not in SCOPES:
            raise CotermError(f"unknown scope {scope!r} (choose from {', '.join(SCOPES)})")
        tid = secrets.token_hex(4)
        secret = f"cot_{tid}_{secrets.token_urlsafe(24)}"
        self._q("INSERT INTO tokens(id, hash, name, scope, created) VALUES(?,?,?,?,?)",
                (tid, token_hash(secret), name, scope, now))
        return TokenInfo(tid, name, scope, now), secret

    def token_by_secret(self, secret: str) -> TokenInfo | None:
        rows = self._q("SELECT id, name, scope, created, revoked FROM tokens "
                       "WHERE hash=? AND revoked IS NULL", (token_hash(secret),))
        return TokenInfo(*rows[0]) if rows else None

    def list_tokens(self) -> list[TokenInfo]:
        rows = self._q("SELECT id, name, scope, created, revoked FROM tokens ORDER BY created")
        return [TokenInfo(*r) for r in rows]

    def revoke_token(self, token_id: str, now: float) -> bool:
        with self._db_lock:
            cur = self._db.execute("UPDATE tokens SET revoked=? WHERE id=? AND revoked IS NULL",
                                   (now, token_id))
            return cur.rowcount > 0

    def close(self) -> None:
        self.commit()
        with self._logs_lock:
            for log in self._logs.values():
                log.frames.close()
                log.keyframes.close()
            self._logs.clear()
        with self._db_lock:
            self._db.close()
