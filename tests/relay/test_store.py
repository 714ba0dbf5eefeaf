"""The embedded store: frame logs recover from torn writes; tokens are hashed."""

from __future__ import annotations

import sqlite3

from coterm_tui.core import wire
from coterm_tui.core.events import Header, Output
from relay.store import SqliteStore


def frame(seq: int, text: str) -> bytes:
    return wire.encode(wire.Frame(seq, Output(seq * 0.1, text)))


def test_torn_tail_is_cut_and_sequence_resumes(tmp_path):
    store = SqliteStore(tmp_path)
    store.open_session("torn01", Header(80, 24), "local", 1.0)
    for seq in range(1, 6):
        store.append("torn01", seq, seq * 0.1, frame(seq, f"f{seq}"))
    assert store.commit() == {"torn01": 5}
    store.append("torn01", 6, 0.6, frame(6, "lost in the crash"))
    store.close()
    log = tmp_path / "sessions" / "torn01" / "frames.log"
    log.write_bytes(log.read_bytes()[:-5])  # a torn last record
    store = SqliteStore(tmp_path)
    assert store.get_session("torn01").last_seq == 5
    assert [seq for seq, _, _ in store.read_frames("torn01", 1)] == [1, 2, 3, 4, 5]
    store.append("torn01", 6, 0.6, frame(6, "again"))
    assert [raw for _, _, raw in store.read_frames("torn01", 6)] == [frame(6, "again")]
    store.close()


def test_frames_written_but_not_committed_are_found_again(tmp_path):
    store = SqliteStore(tmp_path)
    store.open_session("nocomm", Header(80, 24), "local", 1.0)
    for seq in range(1, 4):
        store.append("nocomm", seq, seq * 0.1, frame(seq, "x"))
    # no commit: the process dies; the log (page cache) survives
    store._db.close()
    store = SqliteStore(tmp_path)
    assert store.get_session("nocomm").last_seq == 3


def test_tokens_are_stored_hashed_and_revocable(tmp_path):
    store = SqliteStore(tmp_path)
    info, secret = store.create_token("ana", "view", 1.0)
    assert store.token_by_secret(secret) == info
    store.close()
    dump = "\n".join(sqlite3.connect(tmp_path / "relay.sqlite3").iterdump())
    assert secret not in dump
    store = SqliteStore(tmp_path)
    assert store.revoke_token(info.id, 2.0)
    assert store.token_by_secret(secret) is None
    assert store.list_tokens()[0].revoked == 2.0
