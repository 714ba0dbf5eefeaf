"""The live stream of one session, as decoded wire messages (for the viewer)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp

from coterm_tui import __version__
from coterm_tui.core.errors import CotermError
from coterm_tui.core.wire import MAX_KEYFRAME_BYTES, Error, Hello, Message, decode, encode

from .target import RelayTarget

#: An Init carries a keyframe, so viewers accept bigger messages than the relay does.
MAX_INCOMING = MAX_KEYFRAME_BYTES + 64 * 1024


async def watch(target: RelayTarget, session_id: str, *, name: str = "",
                http: aiohttp.ClientSession | None = None) -> AsyncIterator[Message]:
    """Yield Init, then frames, Presence, further Inits (resyncs: reset the screen
    to their keyframe) and finally Bye, until the relay closes the stream.

    An :class:`~coterm_tui.core.wire.Error` from the relay is raised as
    :class:`~coterm_tui.core.errors.CotermError`; a dropped connection just ends
    the iteration (the caller decides whether to reconnect).
    """
    own = http is None
    session = http or aiohttp.ClientSession()
    try:
        try:
            ws = await session.ws_connect(f"{target.url}/ws/watch", headers=target.headers(),
                                          heartbeat=20, max_msg_size=MAX_INCOMING)
        except (aiohttp.ClientError, OSError) as exc:
            raise CotermError(f"cannot reach the relay at {target.url}: {exc}") from None
        async with ws:
            await ws.send_bytes(encode(Hello("watch", session_id, client=f"coterm/{__version__}",
                                             name=name)))
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.BINARY:
                    break
                message = decode(msg.data, limit=MAX_INCOMING)
                if isinstance(message, Error):
                    raise CotermError(f"the relay refused: {message.message}")
                yield message
    finally:
        if own:
            await session.close()
