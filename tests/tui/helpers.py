"""Driving the player in tests: open a file paused, settle after keys, read the view."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from coterm_tui.app.player_app import PlayerApp, make_player
from coterm_tui.app.widgets.status_line import StatusLine
from coterm_tui.app.widgets.terminal_view import TerminalView
from coterm_tui.core.source import FileSource
from tests.support import until_async


def open_player(path: Path, *, at: float = 0.0, paused: bool = True, **kw: object) -> PlayerApp:
    """A player on ``path``, indexed before it starts (so seeks are deterministic)."""
    source = FileSource(path, cache=False)
    source.build()
    return make_player(source, at=at, paused=paused, **kw)  # type: ignore[arg-type]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the playback thread handled every key and the UI drew what it sent."""
    app = pilot.app
    assert isinstance(app, PlayerApp)
    await asyncio.to_thread(app.engine.sync)
    await pilot.pause()
    await pilot.pause()


async def press(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def wait_until(pilot: Pilot[None], check: Callable[[], bool], timeout: float = 20) -> None:
    """Poll ``check`` with a deadline (playing in real time takes real time)."""
    await until_async(check, "the condition", timeout, pause=pilot.pause)


def view(pilot: Pilot[None]) -> TerminalView:
    return pilot.app.player.query_one(TerminalView)  # type: ignore[attr-defined]


def status(pilot: Pilot[None]) -> StatusLine:
    return pilot.app.player.query_one(StatusLine)  # type: ignore[attr-defined]


def view_text(pilot: Pilot[None]) -> list[str]:
    """The recorded screen as the view holds it, rows trimmed."""
    v = view(pilot)
    return ["".join(c.data for c in row).rstrip() for row in v._lines]


def shown_text(pilot: Pilot[None]) -> list[str]:
    """What the view draws (after clipping and panning), rows trimmed."""
    v = view(pilot)
    return [v.render_line(y).text.rstrip() for y in range(v.size.height)]
