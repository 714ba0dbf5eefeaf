"""Late joiners, resumed broadcasters, lagging viewers, relay restarts."""

from __future__ import annotations

import pytest
from relayhelp import (
    acked,
    closed_with,
    publisher,
    recv,
    recv_until,
    relay_of,
    screen,
    send_output,
    viewer,
)

from coterm_tui.core import wire
from coterm_tui.core.events import Output, Resize
from tests.support import until_async


async def test_late_joiner_gets_the_right_screen(start_relay):
    client = await start_relay(keyframe_bytes=64)
    pub, _ = await publisher(client, "late01")
    lines = [f"row {i:03d} \x1b[1mbold\x1b[0m\r\n" for i in range(40)]
    last = await send_output(pub, 1, lines)
    await pub.send_bytes(wire.encode(wire.Frame(last + 1, Resize(1.0, 30, 8))))
    await send_output(pub, last + 2, ["tail"], t0=1.1)
    await acked(pub, last + 2)
    relay = relay_of(client)
    await until_async(lambda: relay.hub.sessions["late01"].keyframe is not None, "a keyframe")
    watch = await viewer(client, "late01")
    got = await recv_until(watch, lambda m: isinstance(m, wire.Frame) and m.seq == last + 2
                           or isinstance(m, wire.Init) and m.keyframe is not None
                           and m.keyframe.seq == last + 2 and m.last_seq == last + 2)
    init = got[0]
    assert isinstance(init, wire.Init) and init.keyframe is not None and init.keyframe.seq > 0
    frames = [m.seq for m in got if isinstance(m, wire.Frame)]
    assert frames == list(range(init.keyframe.seq + 1, last + 3))
    # the reference: every frame fed to a fresh terminal
    expected = screen([wire.Init(init.header, 0, 0.0)] + [
        wire.Frame(i + 1, Output(0, text)) for i, text in enumerate(lines)] + [
        wire.Frame(last + 1, Resize(1.0, 30, 8)), wire.Frame(last + 2, Output(1.1, "tail"))])
    assert screen(got) == expected
    assert "row 039 bold" in expected


async def test_resume_after_disconnect_loses_and_duplicates_nothing(client):
    pub, ack = await publisher(client, "resume")
    assert ack == 0
    await send_output(pub, 1, [f"{i}," for i in range(1, 11)])
    await acked(pub, 10)
    await pub.close()
    pub, ack = await publisher(client, "resume", hdr=None)
    assert ack == 10
    # the uplink resends from its last ack it had seen (say 6): 7..10 are duplicates
    await send_output(pub, 7, [f"{i}," for i in range(7, 21)])
    await acked(pub, 20)
    resp = await client.get("/api/sessions/resume/events", params={"from": "1"})
    body = await resp.json()
    assert [f["seq"] for f in body["frames"]] == list(range(1, 21))
    assert "".join(f["data"] for f in body["frames"]) == "".join(f"{i}," for i in range(1, 21))
    assert relay_of(client).metrics.duplicates == 4


async def test_a_gap_is_refused_with_an_ack_to_resend_from(client):
    pub, _ = await publisher(client, "gappy1")
    await send_output(pub, 1, ["a", "b"])
    await acked(pub, 2)
    await pub.send_bytes(wire.encode(wire.Frame(5, Output(1.0, "e"))))
    code, got = await closed_with(pub)
    assert code == 4400
    assert isinstance(got[-2], wire.Ack) and got[-2].seq == 2
    assert isinstance(got[-1], wire.Error) and got[-1].code == "gap"


async def test_a_new_connection_replaces_a_stale_broadcaster(client):
    old, _ = await publisher(client, "twice1")
    new, ack = await publisher(client, "twice1", hdr=None)
    code, _ = await closed_with(old)
    assert code == 4409 and ack == 0
    await send_output(new, 1, ["x"])
    await acked(new, 1)


async def test_lagging_viewer_is_resynced_from_a_keyframe(start_relay):
    client = await start_relay(viewer_backlog_bytes=64 * 1024, keyframe_bytes=8 * 1024)
    relay = relay_of(client)
    pub, _ = await publisher(client, "laggy1")
    slow = await viewer(client, "laggy1")
    assert isinstance(await recv(slow), wire.Init)
    await until_async(lambda: any(v.live for v in relay.hub.sessions["laggy1"].viewers), "live")
    # the slow viewer reads nothing while the broadcaster floods: kernel buffers fill,
    # then its backlog passes its byte budget and it is dropped from the live stream
    chunk = "".join(f"{i:05d} {'x' * 60}\r\n" for i in range(800))[:60_000]
    seq = 0
    for _ in range(2000):
        seq = await send_output(pub, seq + 1, [chunk] * 10, t0=seq * 0.01)
        if relay.metrics.resyncs:
            break
    assert relay.metrics.resyncs >= 1
    seq = await send_output(pub, seq + 1, ["\x1b[2J\x1b[Hthe end"], t0=seq * 0.01)
    await acked(pub, seq)
    got = await recv_until(slow, lambda m: isinstance(m, wire.Frame) and m.seq == seq
                           or isinstance(m, wire.Init) and m.last_seq == seq
                           and m.keyframe is not None and m.keyframe.seq == seq)
    inits = [i for i, m in enumerate(got) if isinstance(m, wire.Init)]
    assert inits, "the viewer was never resynced"
    after = [m.seq for m in got[inits[-1]:] if isinstance(m, wire.Frame)]
    resync = got[inits[-1]]
    start = resync.keyframe.seq if resync.keyframe else 0
    assert after == list(range(start + 1, seq + 1))
    assert screen(got)[0] == "the end"
    # memory stayed bounded: no viewer's backlog is past its budget
    assert all(v.backlog <= 64 * 1024 for v in relay.hub.sessions["laggy1"].viewers)


async def test_the_store_survives_a_restart(start_relay, settings):
    client = await start_relay()
    pub, _ = await publisher(client, "durabl")
    await send_output(pub, 1, [f"{i};" for i in range(1, 31)])
    await acked(pub, 30)
    await client.close()
    client = await start_relay()
    listed = await (await client.get("/api/sessions")).json()
    assert [s["id"] for s in listed] == ["durabl"]
    assert listed[0]["live"] and listed[0]["last_seq"] == 30
    pub, ack = await publisher(client, "durabl", hdr=None)
    assert ack == 30
    await send_output(pub, 31, ["31;"])
    await acked(pub, 31)
    body = await (await client.get("/api/sessions/durabl/events")).json()
    assert "".join(f["data"] for f in body["frames"]) == "".join(f"{i};" for i in range(1, 32))
    await pub.send_bytes(wire.encode(wire.Bye()))
    await closed_with(pub)
    await client.close()
    # an ended session, watched after a restart: replayed, then Bye
    client = await start_relay()
    code, got = await closed_with(await viewer(client, "durabl"))
    assert code == 1000 and isinstance(got[-1], wire.Bye)
    assert isinstance(got[0], wire.Init) and not got[0].live


@pytest.mark.parametrize("status", [None])
async def test_vanished_broadcaster_ends_after_grace_and_resumes(start_relay, status):
    client = await start_relay(grace=0.05)
    relay = relay_of(client)
    pub, _ = await publisher(client, "grace1")
    await send_output(pub, 1, ["hi"])
    await acked(pub, 1)
    await pub.close()
    watch = await viewer(client, "grace1")
    await until_async(lambda: not relay.store.get_session("grace1").live, "the session to end")
    code, got = await closed_with(watch)  # viewers are told it ended
    assert code == 1000 and isinstance(got[-1], wire.Bye)
    pub, ack = await publisher(client, "grace1", hdr=None)
    assert ack == 1 and relay.store.get_session("grace1").live
