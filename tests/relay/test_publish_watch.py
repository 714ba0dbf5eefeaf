"""Publishing and watching over real WebSockets on 127.0.0.1."""

from __future__ import annotations

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
from coterm_tui.core.events import Exit, Output


async def test_viewer_gets_init_then_live_frames_in_order(client):
    pub, first_ack = await publisher(client, "abc123")
    assert first_ack == 0
    watch = await viewer(client, "abc123", name="bob")
    init = await recv(watch)
    assert isinstance(init, wire.Init)
    assert init.live and init.last_seq == 0 and init.keyframe is None
    assert init.header.title == "test"
    texts = [f"line {i}\r\n" for i in range(50)]
    await send_output(pub, 1, texts)
    got = await recv_until(watch, lambda m: isinstance(m, wire.Frame) and m.seq == 50)
    frames = [m for m in got if isinstance(m, wire.Frame)]
    assert [f.seq for f in frames] == list(range(1, 51))
    assert [f.event.data for f in frames] == texts
    presence = [m for m in got if isinstance(m, wire.Presence)]
    assert presence and presence[0].viewers == 1 and presence[0].names == ("bob",)
    await acked(pub, 50)


async def test_bye_ends_the_session_for_viewers(client):
    pub, _ = await publisher(client, "byebye")
    watch = await viewer(client, "byebye")
    await recv(watch)
    await pub.send_bytes(wire.encode(wire.Frame(1, Output(0.1, "done\r\n"))))
    await pub.send_bytes(wire.encode(wire.Frame(2, Exit(0.2, 3))))
    await pub.send_bytes(wire.encode(wire.Bye("exit")))
    code, got = await closed_with(pub)
    assert code == 1000 and isinstance(got[-1], wire.Ack) and got[-1].seq == 2
    code, got = await closed_with(watch)
    assert code == 1000
    assert [m.seq for m in got if isinstance(m, wire.Frame)] == [1, 2]
    assert isinstance(got[-1], wire.Bye)
    info = relay_of(client).store.get_session("byebye")
    assert info is not None and not info.live and info.status == 3


async def test_watching_a_finished_session_replays_it_then_says_bye(client):
    pub, _ = await publisher(client, "old123")
    await send_output(pub, 1, ["a", "b", "c"])
    await pub.send_bytes(wire.encode(wire.Bye()))
    await closed_with(pub)
    watch = await viewer(client, "old123")
    code, got = await closed_with(watch)
    assert code == 1000
    assert isinstance(got[0], wire.Init) and not got[0].live and got[0].last_seq == 3
    assert screen(got)[0] == "abc"
    assert isinstance(got[-1], wire.Bye)


async def test_shutdown_closes_every_socket_with_going_away(start_relay):
    client = await start_relay()
    pub, _ = await publisher(client, "shut01")
    watch = await viewer(client, "shut01")
    await recv(watch)
    await client.server.close()
    assert (await closed_with(pub))[0] == 1001
    assert (await closed_with(watch))[0] == 1001
