"""``coterm watch``: live frames, scrub back and return, reconnect, resync, safety."""

from __future__ import annotations

from coterm_tui.app.live_engine import WatchStatus
from coterm_tui.app.watch_app import make_watch
from coterm_tui.app.widgets.live_badge import LiveBadge
from coterm_tui.app.widgets.session_bar import SessionBar
from coterm_tui.client import RelayTarget

from .livehelp import Broadcaster, RelayThread, until_async, view_text

SID = "k3x9m2ab"


def app_for(relay: RelayThread, sid: str = SID):  # type: ignore[no-untyped-def]
    return make_watch(RelayTarget(relay.url), sid, name="ana", freeze_lag=0.012,
                      clock=lambda: 1_700_000_065.0)


def shows(app, text: str) -> bool:  # type: ignore[no-untyped-def]
    return any(text in row for row in view_text(app))


async def test_live_frames_update_the_view(relay: RelayThread) -> None:
    b = Broadcaster(relay, SID).open()
    b.output("$ echo before\r\nbefore\r\n")
    b.wait_acked()
    app = app_for(relay)
    async with app.run_test(size=(80, 24)):
        # The late joiner sees what was on screen before it joined …
        await until_async(lambda: shows(app, "before"), "the screen before joining")
        badge = app.screen.query_one(LiveBadge)
        await until_async(lambda: badge.connection == "live", "the LIVE badge")
        # … then what comes after.
        b.output("$ echo after\r\nafter\r\n")
        await until_async(lambda: shows(app, "after"), "a live frame")
        bar = app.screen.query_one(SessionBar)
        await until_async(lambda: bar.viewers == 1 and bar.names == ("ana",), "presence")
        assert bar.title == "deploy api" and bar.who == "ana@box"
    b.close()
