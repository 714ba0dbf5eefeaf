"""A real relay on 127.0.0.1 in a background thread (its own event loop), for tests
whose clients block (CLI subprocesses, the TUI's REST calls), and a helper that
publishes a short recording to it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

from coterm_tui.core import wire
from coterm_tui.core.events import Header, Output
from relay.app import make_app
from relay.keys import RELAY
from relay.settings import Settings

T = TypeVar("T")
WAIT = 30.0


class RelayThread:
    def __init__(self, data_dir: Path) -> None:
        self.settings = Settings(data_dir=data_dir, port=0, fsync="off",
                                 keyframe_executor="thread", commit_interval=0.005,
                                 grace=3600.0)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="relay", daemon=True)
        self.thread.start()
        self.app = make_app(self.settings)
        self.runner = web.AppRunner(self.app)
        self.run(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.run(site.start())
        port = self.runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(WAIT)

    def token(self, name: str, scope: str = "view") -> str:
        return self.app[RELAY].store.create_token(name, scope, 0.0)[1]

    def publish(self, sid: str, texts: list[str], step: float = 1.0, *, end: bool = True,
                cols: int = 40, rows: int = 8) -> None:
        """A session of ``texts`` output ``step`` seconds apart (ended unless ``end``
        is False, then left live with its broadcaster connected until stop())."""
        self.run(self._publish(sid, texts, step, end, cols, rows))

    async def _publish(self, sid: str, texts: list[str], step: float, end: bool, cols: int,
                       rows: int) -> None:
        http = aiohttp.ClientSession()
        ws = await http.ws_connect(f"{self.url}/ws/publish")
        header = Header(cols=cols, rows=rows, timestamp=1_700_000_000, title=sid,
                        extra={"coterm": {"user": "ana", "host": "box", "session": sid}})
        await ws.send_bytes(wire.encode(wire.Hello("publish", sid, header=header)))
        for i, text in enumerate(texts, 1):
            await ws.send_bytes(wire.encode(wire.Frame(i, Output((i - 1) * step, text))))
        while True:
            msg = wire.decode((await ws.receive(timeout=WAIT)).data)
            if isinstance(msg, wire.Ack) and msg.seq >= len(texts):
                break
        if end:
            await ws.send_bytes(wire.encode(wire.Bye("exit")))
            await ws.receive(timeout=WAIT)
            await ws.close()
            await http.close()
        else:
            self._keep = (http, ws)

    def stop(self) -> None:
        async def down() -> None:
            keep = getattr(self, "_keep", None)
            if keep:
                await keep[1].close()
                await keep[0].close()
            await self.runner.cleanup()

        self.run(down())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(WAIT)
        self.loop.close()
