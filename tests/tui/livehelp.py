"""A real relay on 127.0.0.1 in its own thread, and a scripted broadcaster.

The relay runs on a private event loop thread so the Textual app under test
(with its own loop) talks to it over real sockets, exactly as ``coterm watch``
does. Everything waits on conditions with a bound, never on fixed sleeps.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

from coterm_tui.core import wire
from coterm_tui.core.events import Event, Exit, Header, Output, Resize
from relay.app import make_app
from relay.settings import Settings
from tests.support import WAIT, until

T = TypeVar("T")


def header(cols: int = 40, rows: int = 10, title: str = "deploy api") -> Header:
    return Header(cols=cols, rows=rows, timestamp=1_700_000_000, title=title,
                  extra={"coterm": {"user": "ana", "host": "box"}})


class RelayThread:
    """Runs the relay app on a fixed loopback port; can stop and start it again."""

    def __init__(self, data_dir: Path, **overrides: Any) -> None:
        self.settings = replace(
            Settings(data_dir=data_dir, port=0, fsync="off", keyframe_executor="thread",
                     commit_interval=0.005, grace=3600.0), **overrides)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="test relay",
                                       daemon=True)
        self.thread.start()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self.http: aiohttp.ClientSession = self.call(self._session())

    async def _session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = WAIT) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RelayThread:
        self.call(self._start())
        return self

    async def _start(self) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        runner = web.AppRunner(make_app(self.settings), access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        server = site._server  # noqa: SLF001 - the port the OS picked
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._runner = runner

    def stop(self) -> None:
        if self._runner is not None:
            self.call(self._runner.cleanup())
            self._runner = None

    def close(self) -> None:
        self.stop()
        self.call(self.http.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


class Broadcaster:
    """Publishes a session to the relay, frame by frame, with explicit times."""

    def __init__(self, relay: RelayThread, sid: str, hdr: Header | None = None) -> None:
        self.relay = relay
        self.sid = sid
        self.header = hdr or header()
        self.seq = 0
        self.acked = 0
        self.t = 0.0
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None

    def open(self) -> Broadcaster:
        self.relay.call(self._open())
        return self

    async def _open(self) -> None:
        ws = await self.relay.http.ws_connect(f"{self.relay.url}/ws/publish")
        await ws.send_bytes(wire.encode(wire.Hello("publish", self.sid, header=self.header)))
        msg = await ws.receive(timeout=WAIT)
        ack = wire.decode(msg.data)
        assert isinstance(ack, wire.Ack), ack
        self.seq = self.acked = ack.seq
        self.ws = ws
        self._reader = asyncio.get_running_loop().create_task(self._read(ws))

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for msg in ws:
            if msg.type == aiohttp.WSMsgType.BINARY:
                m = wire.decode(msg.data, limit=wire.MAX_KEYFRAME_BYTES + 4096)
                if isinstance(m, wire.Ack):
                    self.acked = max(self.acked, m.seq)

    def send(self, *events: Event) -> int:
        self.relay.call(self._send(events))
        return self.seq

    async def _send(self, events: tuple[Event, ...]) -> None:
        assert self.ws is not None
        for event in events:
            self.seq += 1
            self.t = max(self.t, event.t)
            await self.ws.send_bytes(wire.encode(wire.Frame(self.seq, event)))

    def output(self, *texts: str, dt: float = 0.5) -> int:
        events = []
        for text in texts:
            self.t += dt
            events.append(Output(round(self.t, 3), text))
        return self.send(*events)

    def resize(self, cols: int, rows: int, dt: float = 0.5) -> int:
        self.t += dt
        return self.send(Resize(round(self.t, 3), cols, rows))

    def wait_acked(self) -> None:
        until(lambda: self.acked >= self.seq, "the relay to store every frame")

    def finish(self, status: int = 0) -> None:
        self.t += 0.5
        self.send(Exit(round(self.t, 3), status))
        self.relay.call(self._bye())

    async def _bye(self) -> None:
        assert self.ws is not None
        await self.ws.send_bytes(wire.encode(wire.Bye("exit")))

    def close(self) -> None:
        if self.ws is not None:
            self.relay.call(self.ws.close())


def view_text(app: Any) -> list[str]:
    """The rows the watch app's terminal view holds (trailing spaces trimmed)."""
    from coterm_tui.app.widgets.terminal_view import TerminalView

    view = app.screen.query_one(TerminalView)
    return ["".join(c.data for c in row).rstrip() for row in view._lines]  # noqa: SLF001


def relay_state(relay: RelayThread) -> Any:
    """The relay's in-memory state (hub, metrics) of the running app."""
    from relay.keys import RELAY

    assert relay._runner is not None  # noqa: SLF001
    return relay._runner.app[RELAY]  # noqa: SLF001
