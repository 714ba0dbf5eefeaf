"""The recorder's uplink against a real relay: spooling, resume across relay
restarts, splitting big events, and the one-line report when the relay is gone."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace

from relayhelp import header

from coterm_tui.core import wire
from coterm_tui.core.events import Command, Exit, Output
from coterm_tui.record.uplink import Uplink
from relay.app import make_app
from relay.keys import RELAY
from tests.support import free_port, until_async


async def stored_output(server, sid: str) -> str:
    relay = server.app[RELAY]
    frames = await asyncio.to_thread(relay.store.read_frames, sid, 1, None, 1 << 30)
    out = []
    for seq, (fseq, _, raw) in enumerate(frames, start=1):
        assert fseq == seq
        msg = wire.decode(raw)
        if isinstance(msg.event, Output):
            out.append(msg.event.data)
    return "".join(out)


def make_uplink(port: int, tmp_path, sid: str = "upl001", **kw) -> Uplink:
    return Uplink(f"http://127.0.0.1:{port}", sid, header(), spool_dir=tmp_path / "spool" / sid,
                  **kw)


async def test_uplink_streams_and_cleans_its_spool(aiohttp_server, settings, tmp_path):
    server = await aiohttp_server(make_app(settings))
    err = io.StringIO()
    up = make_uplink(server.port, tmp_path, stderr=err, drain_timeout=60)  # a deadline only
    big = "é" * 100_000  # 200 KB of UTF-8: split into several frames
    up.write(1, Output(0.1, "hello\r\n"))
    up.write(2, Output(0.2, big))
    up.write(3, Command(0.3, 1, "x" * 70_000))  # cannot be split: only the file keeps it
    up.write(4, Exit(0.4, 0))
    await asyncio.to_thread(up.close)
    assert err.getvalue() == "" and up.pending == 0 and up.skipped == 1
    assert not (tmp_path / "spool" / "upl001").exists()
    assert await stored_output(server, "upl001") == "hello\r\n" + big
    info = server.app[RELAY].store.get_session("upl001")
    assert not info.live and info.status == 0


async def test_uplink_survives_relay_down_then_restart(aiohttp_server, settings, tmp_path):
    port = free_port()
    up = make_uplink(port, tmp_path, drain_timeout=30)
    texts = [f"{i:04d}\r\n" for i in range(300)]
    for i, text in enumerate(texts[:100]):  # the relay is not running yet
        up.write(i + 1, Output(i * 0.01, text))
    server = await aiohttp_server(make_app(settings), port=port)
    await until_async(lambda: up.acked == 100, "the spooled frames to be acked")
    await server.close()  # relay goes away mid-session …
    for i, text in enumerate(texts[100:200], start=100):
        up.write(i + 1, Output(i * 0.01, text))
    server = await aiohttp_server(make_app(settings), port=port)  # … and comes back
    await until_async(lambda: up.acked == 200, "resume after the restart")
    for i, text in enumerate(texts[200:], start=200):
        up.write(i + 1, Output(i * 0.01, text))
    await asyncio.to_thread(up.close)
    assert up.pending == 0
    assert await stored_output(server, "upl001") == "".join(texts)
    assert server.app[RELAY].metrics.frames + server.app[RELAY].metrics.duplicates >= 100


async def test_unreachable_relay_is_reported_once_with_the_spool(tmp_path):
    err = io.StringIO()
    up = make_uplink(free_port(), tmp_path, drain_timeout=0.2, stderr=err)
    up.write(1, Output(0.1, "nobody listens"))
    await asyncio.to_thread(up.close)
    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert "could not reach the relay" in lines[0] and str(tmp_path / "spool") in lines[0]
    assert (tmp_path / "spool" / "upl001" / "frames.log").stat().st_size > 0


async def test_refusal_is_reported_and_not_retried(aiohttp_server, settings, tmp_path):
    server = await aiohttp_server(make_app(replace(settings, require_token_on_loopback=True)))
    err = io.StringIO()
    up = make_uplink(server.port, tmp_path, drain_timeout=30, stderr=err, token="cot_bad_bad")
    up.write(1, Output(0.1, "x"))
    await asyncio.to_thread(up.close)
    assert "refused session upl001" in err.getvalue()
    assert server.app[RELAY].store.get_session("upl001") is None


async def test_a_spool_that_cannot_be_written_stops_streaming_not_recording(
        aiohttp_server, settings, tmp_path, monkeypatch):
    server = await aiohttp_server(make_app(settings))
    err = io.StringIO()
    up = make_uplink(server.port, tmp_path, stderr=err)
    up.write(1, Output(0.1, "kept"))

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(up._spool, "append", full)
    up.write(2, Output(0.2, "lost"))  # must not raise into the recorder
    up.write(3, Output(0.3, "lost"))
    await asyncio.to_thread(up.close)
    assert "spool could not be written" in err.getvalue() and err.getvalue().count("\n") == 1
    assert await stored_output(server, "upl001") == "kept"


def test_big_output_is_cut_into_frames_that_fit_on_character_boundaries():
    from coterm_tui.core.events import Command, Output
    from coterm_tui.core.wire import MAX_MESSAGE_BYTES, Frame, encode
    from coterm_tui.record.uplink import encode_frames

    def split_event(event):
        return [piece for piece, _ in encode_frames(1, event)]

    text = ("plain ascii " * 5000) + ("漢字→ï" * 30000) + "\U0001f600" * 20000
    pieces = split_event(Output(1.5, text))
    assert len(pieces) > 3
    assert "".join(p.data for p in pieces) == text
    assert all(p.t == 1.5 and type(p) is Output for p in pieces)
    assert all(len(encode(Frame(1 << 40, p))) <= MAX_MESSAGE_BYTES for p in pieces)
    small = Output(2.0, "hello")
    assert split_event(small) == [small]
    huge_command = Command(3.0, 1, "x" * (MAX_MESSAGE_BYTES + 10), "/")
    assert split_event(huge_command) == []


async def test_close_waits_as_long_as_the_relay_keeps_acknowledging(
        aiohttp_server, settings, tmp_path, monkeypatch):
    """A relay still storing a big flood at the end of a session gets all of it: each ack
    grants another drain_timeout, so the session's tail is not left in the spool."""
    import time

    from coterm_tui.record import uplink

    server = await aiohttp_server(make_app(settings))
    store = server.app[RELAY].store
    commit = store.commit

    def slow_commit():
        time.sleep(0.1)  # a relay that needs 0.1 s per group commit (a busy disk)
        return commit()

    monkeypatch.setattr(store, "commit", slow_commit)
    monkeypatch.setattr(uplink, "WINDOW", 40)  # at most 40 frames in flight: many commits
    err = io.StringIO()
    up = make_uplink(server.port, tmp_path, stderr=err, drain_timeout=0.5)
    up.write(1, Output(0.0, "start\r\n"))
    await until_async(lambda: up.acked == 1, "the uplink to be connected")
    texts = [f"{i:05d}" + "x" * 1000 + "\r\n" for i in range(400)]
    for i, text in enumerate(texts):
        up.write(i + 2, Output(0.001 + i * 0.001, text))
    began = time.monotonic()
    await asyncio.to_thread(up.close)
    assert err.getvalue() == "" and up.pending == 0
    assert time.monotonic() - began > 0.5  # it did wait past drain_timeout, on progress
    assert await stored_output(server, "upl001") == "start\r\n" + "".join(texts)
