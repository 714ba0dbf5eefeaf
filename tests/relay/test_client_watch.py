"""The client's watch() stream, as the live viewer will use it."""

from __future__ import annotations

import pytest
from relayhelp import publisher, send_output

from coterm_tui.client.target import RelayTarget
from coterm_tui.client.watch import watch
from coterm_tui.core import wire
from coterm_tui.core.errors import CotermError


async def test_watch_yields_init_frames_then_bye(client):
    pub, _ = await publisher(client, "cliw01")
    await send_output(pub, 1, ["one ", "two"])
    target = RelayTarget(str(client.make_url("")).rstrip("/"))
    got = []
    async for message in watch(target, "cliw01", name="eve"):
        got.append(message)
        if isinstance(message, wire.Frame) and message.seq == 2:
            await pub.send_bytes(wire.encode(wire.Bye()))
    assert isinstance(got[0], wire.Init)
    assert [m.seq for m in got if isinstance(m, wire.Frame)] == [1, 2]
    assert any(isinstance(m, wire.Presence) and m.names == ("eve",) for m in got)
    assert isinstance(got[-1], wire.Bye)


async def test_watch_raises_the_relays_refusal(client):
    target = RelayTarget(str(client.make_url("")).rstrip("/"))
    with pytest.raises(CotermError, match="no session"):
        async for _ in watch(target, "nosuch"):
            pass
