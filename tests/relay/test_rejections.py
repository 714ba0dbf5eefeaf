"""Every class of bad input is refused with a close code, never a crash."""

from __future__ import annotations

import time

import msgpack
import pytest
from relayhelp import closed_with, header, publisher, recv, relay_of, send_output, viewer

from coterm_tui.core import wire


def make_token(client, scope: str, name: str = "") -> str:
    _, secret = relay_of(client).store.create_token(name or scope, scope, time.time())
    return secret


async def hello_and_close(client, path, hello_bytes, headers=None):
    ws = await client.ws_connect(path, headers=headers or {})
    await ws.send_bytes(hello_bytes)
    return await closed_with(ws)


PUBLISH = wire.encode(wire.Hello("publish", "sess01", header=header()))


@pytest.mark.parametrize("path", ["/ws/publish", "/ws/watch"])
@pytest.mark.parametrize(("raw", "code", "kind"), [
    (b"\xc1\xff not msgpack", 4400, "malformed"),
    (msgpack.packb([1, 1, "publish"]), 4400, "malformed"),  # wrong arity
    (wire.encode(wire.Ack(3)), 4400, "no-hello"),  # wrong first message
    (msgpack.packb([1, 99, "publish", "sess01", "", "", None]), 4400, "protocol"),
    (wire.encode(wire.Hello("publish", "../etc", header=header())), 4400, "session-id"),
])
async def test_bad_hello_is_refused(client, path, raw, code, kind):
    got_code, got = await hello_and_close(client, path, raw)
    assert got_code == code
    assert isinstance(got[-1], wire.Error) and got[-1].code in (kind, "role")
    assert relay_of(client).metrics.rejected == 1


async def test_text_messages_are_refused(client):
    ws = await client.ws_connect("/ws/publish")
    await ws.send_str("hello")
    code, got = await closed_with(ws)
    assert code == 4400 and got[-1].code == "malformed"


async def test_oversized_message_is_refused(client):
    pub, _ = await publisher(client, "big001")
    await pub.send_bytes(b"\x00" * (wire.MAX_MESSAGE_BYTES + 1))
    code, _ = await closed_with(pub)
    assert code == 1009
    assert relay_of(client).store.get_session("big001").last_seq == 0


async def test_malformed_frame_mid_stream_is_refused_without_partial_write(client):
    pub, _ = await publisher(client, "half01")
    await send_output(pub, 1, ["ok"])
    await pub.send_bytes(msgpack.packb([3, 2, "o", -1.0, "bad time"]))
    code, got = await closed_with(pub)
    assert code == 4400 and got[-1].code == "malformed"
    assert relay_of(client).hub.sessions["half01"].head_seq == 1


async def test_viewer_may_not_publish_frames(client):
    pub, _ = await publisher(client, "sess02")
    watch = await viewer(client, "sess02")
    await recv(watch)
    for _ in range(100):  # past the rate limit
        await watch.send_bytes(wire.encode(wire.Ack(1)))
    code, _ = await closed_with(watch)
    assert code == 4429


async def test_hello_timeout(start_relay):
    client = await start_relay(hello_timeout=0.05)
    ws = await client.ws_connect("/ws/watch")
    code, got = await closed_with(ws)
    assert code == 4408 and got[-1].code == "timeout"


async def test_watch_of_unknown_session(client):
    code, got = await hello_and_close(client, "/ws/watch",
                                      wire.encode(wire.Hello("watch", "nosuch")))
    assert code == 4404 and got[-1].code == "not-found"


async def test_new_session_needs_a_header(client):
    code, got = await hello_and_close(client, "/ws/publish",
                                      wire.encode(wire.Hello("publish", "nohead")))
    assert code == 4400 and got[-1].code == "no-header"


async def test_tokens_required_off_loopback_and_scoped(start_relay):
    client = await start_relay(require_token_on_loopback=True)
    code, got = await hello_and_close(client, "/ws/publish", PUBLISH)
    assert code == 4401 and got[-1].code == "unauthorised"
    code, _ = await hello_and_close(client, "/ws/publish", PUBLISH,
                                    {"Authorization": "Bearer cot_nope_nope"})
    assert code == 4401
    view = make_token(client, "view")
    code, got = await hello_and_close(client, "/ws/publish", PUBLISH,
                                      {"Authorization": f"Bearer {view}"})
    assert code == 4403 and got[-1].code == "forbidden"
    alice, bob = make_token(client, "broadcast", "alice"), make_token(client, "broadcast", "bob")
    pub, _ = await publisher(client, "sess01", token=alice)
    await send_output(pub, 1, ["mine"])
    # bob may neither take over alice's session nor watch it; a viewer may
    code, _ = await hello_and_close(client, "/ws/publish", PUBLISH,
                                    {"Authorization": f"Bearer {bob}"})
    assert code == 4403
    code, _ = await hello_and_close(client, "/ws/watch",
                                    wire.encode(wire.Hello("watch", "sess01")),
                                    {"Authorization": f"Bearer {bob}"})
    assert code == 4403
    watch = await viewer(client, "sess01", token=view)
    assert isinstance(await recv(watch), wire.Init)
    # a revoked token is refused; REST needs a token too
    tid = next(t.id for t in relay_of(client).store.list_tokens() if t.name == "view")
    relay_of(client).store.revoke_token(tid, time.time())
    code, _ = await hello_and_close(client, "/ws/watch",
                                    wire.encode(wire.Hello("watch", "sess01")),
                                    {"Authorization": f"Bearer {view}"})
    assert code == 4401
    assert (await client.get("/api/sessions")).status == 401
    resp = await client.get("/api/sessions", headers={"Authorization": f"Bearer {bob}"})
    assert resp.status == 200 and await resp.json() == []
    resp = await client.get("/api/sessions", params={"token": alice})
    assert [s["id"] for s in await resp.json()] == ["sess01"]


async def test_foreign_browser_origin_is_refused(client):
    ws = await client.ws_connect("/ws/watch", headers={"Origin": "https://evil.example"})
    await ws.send_bytes(wire.encode(wire.Hello("watch", "sess01")))
    code, got = await closed_with(ws)
    assert code == 4403 and got[-1].code == "forbidden"
    resp = await client.get("/api/sessions", headers={"Origin": "https://evil.example"})
    assert resp.status == 403
