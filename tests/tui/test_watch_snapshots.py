"""Snapshots of ``coterm watch``: live view, scrub-back mode, the picker.

Clocks are frozen (elapsed time from a fixed clock, lag fixed at 12 ms) and the
broadcaster's frames carry explicit times, so every run draws the same screen.
"""

from __future__ import annotations

from typing import Any

from coterm_tui.app.watch_app import make_watch
from coterm_tui.app.widgets.live_badge import LiveBadge
from coterm_tui.app.widgets.session_bar import SessionBar
from coterm_tui.client import RelayTarget
from tests.support import until_async

from .livehelp import Broadcaster, RelayThread, view_text

SID = "k3x9m2ab"
PROMPT = "\x1b[1;32mana@box\x1b[0m:\x1b[1;34m~/api\x1b[0m$ "
LINES = [
    PROMPT + "kubectl rollout status deploy/api\r\n",
    "Waiting for deployment \"api\" rollout to finish: 1 of 3 updated replicas...\r\n",
    "Waiting for deployment \"api\" rollout to finish: 2 of 3 updated replicas...\r\n",
    "\x1b[32mdeployment \"api\" successfully rolled out\x1b[0m\r\n",
    PROMPT + "\x1b]0;deploy api\x07",
]


def watch_app(relay: RelayThread) -> Any:
    return make_watch(RelayTarget(relay.url), SID, name="ana", freeze_lag=0.012,
                      clock=lambda: 1_700_000_065.0)


def broadcast(relay: RelayThread) -> Broadcaster:
    b = Broadcaster(relay, SID).open()  # 40×10, "deploy api", ana@box
    b.output(*LINES, dt=2.0)
    b.wait_acked()
    return b


async def settled(pilot: Any, following: bool = True) -> None:
    """Wait until the view, badge, viewers and history are all in place."""
    app = pilot.app
    await until_async(lambda: app.source is not None and not app.source.holes()
                      and app.screen.query_one(LiveBadge).connection == "live"
                      and app.screen.query_one(SessionBar).viewers == 1, "the live session")
    await until_async(lambda: app.engine.status.following == following, "the mode")
    app.engine.sync()
    await pilot.pause()  # what the engine posted is handled …
    await until_async(lambda: app.up_to_date, "the header and status to catch up")  # … and shown


def test_live_view(snap_compare: Any, relay: RelayThread) -> None:
    """LIVE badge, title, ana@box, 01:05 elapsed, 1 viewer (ana), lag 12 ms; the
    40×10 remote screen centred with its title; the timeline full."""
    b = broadcast(relay)

    async def run_before(pilot: Any) -> None:
        await until_async(lambda: any("rolled out" in r for r in view_text(pilot.app)),
                          "the screen")
        await settled(pilot)
        await pilot.pause()

    assert snap_compare(watch_app(relay), terminal_size=(90, 20), run_before=run_before)
    b.close()


def test_scrub_back_mode(snap_compare: Any, relay: RelayThread) -> None:
    """After ``5`` (50 %): REPLAY badge, paused, the screen as it was at 5 s of
    10 s (two lines), the timeline half played; a frame arriving meanwhile grows it."""
    b = broadcast(relay)

    async def run_before(pilot: Any) -> None:
        await until_async(lambda: any("rolled out" in r for r in view_text(pilot.app)),
                          "the screen")
        await settled(pilot)
        await pilot.press("5")  # leave live: jump to 50 %
        await settled(pilot, following=False)
        await until_async(lambda: not any("rolled out" in r for r in view_text(pilot.app)),
                          "the scrubbed screen")
        await pilot.pause()

    assert snap_compare(watch_app(relay), terminal_size=(90, 20), run_before=run_before)
    b.close()


SESSIONS = [
    {"id": "k3x9m2ab", "user": "ana", "host": "box", "title": "deploy api",
     "started": "2026-11-29T17:02:00+00:00", "duration": 312.5, "live": True, "viewers": 2},
    {"id": "p7q2r9st", "user": "bo", "host": "db1", "title": "pg_dump nightly",
     "started": "2026-11-29T03:00:00+00:00", "duration": 1843, "live": False, "viewers": 0},
    {"id": "z1y2x3wv", "user": "cy", "host": "web-3", "title": "tail -f access.log",
     "started": "2026-11-29T16:40:00+00:00", "duration": 4210, "live": True, "viewers": 1},
    {"id": "m4n5b6vc", "user": "ana", "host": "box", "title": "incident 4711",
     "started": "2026-11-28T22:15:00+00:00", "duration": 2710, "live": False, "viewers": 0},
]


def test_picker(snap_compare: Any) -> None:
    """Live sessions first (newest first), then recent ones; columns user@host,
    title, started, duration, viewers; the filter field focused."""
    app = make_watch(RelayTarget("http://127.0.0.1:9"), None, list_sessions=lambda: SESSIONS)

    async def run_before(pilot: Any) -> None:
        from textual.widgets import DataTable

        table = pilot.app.screen.query_one(DataTable)
        await until_async(lambda: table.row_count == 4, "the list")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 14), run_before=run_before)


def test_connection_trouble(snap_compare: Any) -> None:
    """Nothing listens at the relay's address: the RECONNECTING badge and the reason,
    while the viewer keeps retrying with backoff."""
    app = make_watch(RelayTarget("http://127.0.0.1:9"), SID, name="ana", freeze_lag=0.012,
                     clock=lambda: 1_700_000_065.0)

    async def run_before(pilot: Any) -> None:
        from coterm_tui.app.widgets.status_line import StatusLine

        line = pilot.app.screen.query_one(StatusLine)
        await until_async(lambda: pilot.app.screen.query_one(LiveBadge).connection
                          == "reconnecting" and line.error, "the trouble badge")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 16), run_before=run_before)
