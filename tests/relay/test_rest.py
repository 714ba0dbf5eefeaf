"""The REST API: listing, events, keyframes, metrics, tokens."""

from __future__ import annotations

from relayhelp import acked, closed_with, publisher, recv, relay_of, send_output, viewer

from coterm_tui.core import wire
from tests.support import until_async


async def test_list_and_get_sessions(client):
    pub, _ = await publisher(client, "rest01")
    await send_output(pub, 1, ["a", "b"])
    await acked(pub, 2)
    await viewer(client, "rest01")
    await until_async(lambda: relay_of(client).hub.viewer_count() == 1, "the viewer")
    listed = await (await client.get("/api/sessions")).json()
    assert listed == [await (await client.get("/api/sessions/rest01")).json()]
    s = listed[0]
    assert {k: s[k] for k in ("id", "user", "host", "title", "live", "viewers", "last_seq")} == {
        "id": "rest01", "user": "ana", "host": "box", "title": "test", "live": True,
        "viewers": 1, "last_seq": 2}
    assert s["started"] == "2023-11-14T22:13:20+00:00"
    assert (await client.get("/api/sessions/nosuch")).status == 404


async def test_events_by_range_and_keyframe_at_time(start_relay):
    client = await start_relay(keyframe_bytes=10)
    pub, _ = await publisher(client, "rest02")
    await send_output(pub, 1, [f"{i:02d}........\r\n" for i in range(30)])
    await acked(pub, 30)
    body = await (await client.get("/api/sessions/rest02/events?from=5&to=7")).json()
    assert [(f["seq"], f["code"], f["data"]) for f in body["frames"]] == [
        (5, "o", "04........\r\n"), (6, "o", "05........\r\n"), (7, "o", "06........\r\n")]
    assert body["next"] is None
    assert (await client.get("/api/sessions/rest02/events?from=x")).status == 400
    await until_async(lambda: relay_of(client).hub.sessions["rest02"].keyframe is not None,
                      "keyframe")
    kf = await (await client.get("/api/sessions/rest02/keyframe")).json()
    assert kf["cols"] == 40 and kf["seq"] >= 1 and isinstance(kf["data"], str)
    early = await client.get("/api/sessions/rest02/keyframe", params={"t": "0"})
    assert early.status in (200, 404)


async def test_metrics_and_health(client):
    pub, _ = await publisher(client, "rest03")
    await send_output(pub, 1, ["x"])
    await acked(pub, 1)
    text = await (await client.get("/metrics")).text()
    for name in ("coterm_relay_frames_total 1", "coterm_relay_sessions 1",
                 "coterm_relay_viewers 0", "coterm_relay_resyncs_total 0",
                 "coterm_relay_acks_pending 0", "coterm_relay_bytes_total"):
        assert name in text
    assert (await (await client.get("/healthz")).json())["ok"] is True


async def test_token_admin_over_rest(client):
    resp = await client.post("/api/tokens", json={"scope": "view", "name": "carol"})
    assert resp.status == 201
    created = await resp.json()
    assert created["token"].startswith("cot_") and created["scope"] == "view"
    listed = await (await client.get("/api/tokens")).json()
    assert [t["name"] for t in listed] == ["carol"] and "token" not in listed[0]
    resp = await client.get("/api/tokens", headers={"Authorization": f"Bearer {created['token']}"})
    assert resp.status == 403
    await publisher(client, "revok1")
    watch = await viewer(client, "revok1", token=created["token"])
    assert isinstance(await recv(watch), wire.Init)
    resp = await client.delete(f"/api/tokens/{created['id']}")
    assert resp.status == 200 and (await resp.json())["connections_closed"] == 1
    assert (await closed_with(watch))[0] == 4401  # revoking cuts live connections too
    assert (await client.delete(f"/api/tokens/{created['id']}")).status == 404
    assert (await client.post("/api/tokens", json={"scope": "root"})).status == 400


async def test_download_as_v3_and_v2_plays_back_the_same_events(client, tmp_path):
    from coterm_tui.core import wire
    from coterm_tui.core.asciicast import open_cast
    from coterm_tui.core.events import Marker, Output, Resize

    pub, _ = await publisher(client, "down01")
    events = [Output(0.5, "hello \x1b[31mred\x1b[0m\r\n"), Resize(1.0, 100, 30),
              Marker(1.5, "chapter"), Output(2.25, "bye\r\n")]
    for seq, event in enumerate(events, start=1):
        await pub.send_bytes(wire.encode(wire.Frame(seq, event)))
    await acked(pub, len(events))
    for fmt in ("v3", "v2"):
        resp = await client.get("/api/sessions/down01/download", params={"format": fmt})
        assert resp.status == 200
        path = tmp_path / f"down.{fmt}.cast"
        path.write_bytes(await resp.read())
        with open_cast(path) as cast:
            assert cast.version == int(fmt[1])
            assert cast.header.cols == 40 and cast.header.title == "test"
            got = list(cast.events())
        assert [type(e) for e in got] == [type(e) for e in events]
        assert [round(e.t, 6) for e in got] == [e.t for e in events]
        assert "".join(e.data for e in got if isinstance(e, Output)) == (
            "hello \x1b[31mred\x1b[0m\r\nbye\r\n")
    assert (await client.get("/api/sessions/down01/download?format=v9")).status == 400
