"""The relay's app factory, shared by ``python -m relay``, ``coterm relay serve``,
the embedded relay and the tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from . import rest
from .conn import GOING_AWAY
from .keys import RELAY
from .settings import Settings
from .state import Relay
from .store import Store
from .ws_publish import publish_handler
from .ws_watch import watch_handler


def make_app(settings: Settings, store: Store | None = None) -> web.Application:
    app = web.Application(client_max_size=1 << 20)

    async def relay_ctx(app: web.Application) -> AsyncIterator[None]:
        relay = Relay(settings, store)
        app[RELAY] = relay
        loop = asyncio.get_running_loop()
        tasks = [loop.create_task(relay.commit_loop()),
                 loop.create_task(relay.housekeeping_loop())]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await relay.close()

    async def close_sockets(app: web.Application) -> None:
        relay = app[RELAY]
        for ws in list(relay.connections):
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.close(code=GOING_AWAY, message=b"relay shutting down")

    app.cleanup_ctx.append(relay_ctx)
    app.on_shutdown.append(close_sockets)
    app.router.add_get("/ws/publish", publish_handler)
    app.router.add_get("/ws/watch", watch_handler)
    app.add_routes(rest.routes)
    return app
