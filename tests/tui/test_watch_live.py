"""``coterm watch``: live frames, scrub back and return, reconnect, resync, safety."""

from __future__ import annotations

from coterm_tui.app.live_engine import WatchStatus
from coterm_tui.app.watch_app import make_watch
from coterm_tui.app.widgets.live_badge import LiveBadge
from coterm_tui.app.widgets.session_bar import SessionBar
from coterm_tui.app.widgets.status_line import StatusLine
from coterm_tui.client import RelayTarget
from tests.support import until, until_async

from .livehelp import Broadcaster, RelayThread, view_text

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


def status_of(app) -> WatchStatus:  # type: ignore[no-untyped-def]
    return app.engine.status


async def test_scrub_back_while_the_stream_arrives_then_return_to_live(relay: RelayThread
                                                                        ) -> None:
    b = Broadcaster(relay, SID).open()
    b.output(*[f"line {i}\r\n" for i in range(1, 6)], dt=1.0)  # t = 1 … 5
    b.wait_acked()
    app = app_for(relay)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_async(lambda: shows(app, "line 5"), "the live screen")
        await until_async(lambda: not app.source.holes(), "the history before joining")
        await pilot.press("left")  # leaves live mode: back 5 s, to t = 0
        await until_async(lambda: not status_of(app).following and status_of(app).t == 0.0,
                          "scrub mode")
        assert not shows(app, "line 1")
        assert app.screen.query_one(LiveBadge).following is False
        await pilot.press("3")  # 30 % of 5 s = 1.5 s: line 1 only
        await until_async(lambda: shows(app, "line 1") and not shows(app, "line 2"), "seek")
        b.output("line 6\r\n", dt=1.0)  # the stream keeps arriving while scrubbing
        await until_async(lambda: app.source.head_t == 6.0, "the new frame")
        assert not shows(app, "line 6")
        from coterm_tui.app.widgets.timeline_bar import TimelineBar
        await until_async(lambda: app.screen.query_one(TimelineBar).indexed_t == 6.0,
                          "the timeline to grow")
        await pilot.press("L")  # back to live
        await until_async(lambda: shows(app, "line 6") and status_of(app).following, "live")
        assert app.screen.query_one(LiveBadge).following is True
        await pilot.press("space")  # space in live mode pauses where it is
        await until_async(lambda: not status_of(app).following, "paused")
        assert shows(app, "line 6") and not status_of(app).playing
        await pilot.press("G")  # G returns to live too
        await until_async(lambda: status_of(app).following, "live again")
    b.close()


async def test_reconnects_after_the_relay_restarts(relay: RelayThread) -> None:
    b = Broadcaster(relay, SID).open()
    b.output("first\r\n")
    b.wait_acked()
    app = app_for(relay)
    async with app.run_test(size=(80, 24)):
        badge = app.screen.query_one(LiveBadge)
        await until_async(lambda: shows(app, "first") and badge.connection == "live", "live")
        b.close()
        relay.stop()
        await until_async(lambda: badge.connection == "reconnecting", "the trouble badge")
        assert "reconnecting" in str(app.screen.query_one(StatusLine).error)  # says why
        relay.start()  # same port, same data
        b.open()  # the broadcaster resumes from the relay's ack
        b.output("second\r\n")
        await until_async(lambda: shows(app, "second") and badge.connection == "live",
                          "the stream after reconnecting")
        assert shows(app, "first")
        assert app.screen.query_one(StatusLine).error is None
    b.close()


async def test_a_lagging_viewer_is_resynced_and_ends_on_the_right_screen(tmp_path) -> None:
    from .livehelp import relay_state

    relay = RelayThread(tmp_path / "laggy", viewer_backlog_bytes=8 * 1024,
                        keyframe_bytes=8 * 1024).start()
    try:
        b = Broadcaster(relay, SID, ).open()
        b.output("start\r\n")
        b.wait_acked()
        app = app_for(relay)
        async with app.run_test(size=(80, 24)):
            await until_async(lambda: shows(app, "start"), "the first screen")
            chunk = "".join(f"{i:05d} {'x' * 60}\r\n" for i in range(400))
            for _ in range(200):  # flood until the relay drops the viewer to a resync
                b.output(*[chunk] * 10, dt=0.001)
                if relay_state(relay).metrics.resyncs:
                    break
            assert relay_state(relay).metrics.resyncs >= 1
            b.output("\x1b[2J\x1b[Hthe end")
            b.wait_acked()
            await until_async(lambda: view_text(app)[0] == "the end", "the final screen")
            assert app.follower.inits >= 2  # joined, then resynced at least once
            await until_async(lambda: not app.source.holes(), "the gap to be fetched")
            assert app.source.received == b.seq
        b.close()
    finally:
        relay.close()


async def test_an_ended_session_shows_its_exit_status_and_stays_scrubbable(
        relay: RelayThread) -> None:
    b = Broadcaster(relay, SID).open()
    b.output("one\r\n", "two\r\n", dt=1.0)
    app = app_for(relay)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_async(lambda: shows(app, "two"), "live")
        b.finish(3)
        badge = app.screen.query_one(LiveBadge)
        await until_async(lambda: badge.connection == "ended" and badge.status == 3, "ended")
        await pilot.press("1")  # scrub: 10 % of 2.5 s
        await until_async(lambda: not shows(app, "one"), "scrubbed back")
        await pilot.press("full_stop")  # one frame forward
        await until_async(lambda: shows(app, "one") and not shows(app, "two"), "stepped")
        await pilot.press("q")
        await until_async(lambda: not app.is_running, "quit")
    assert not app.engine.is_alive()


async def test_recorded_bytes_never_reach_the_watchers_terminal(relay: RelayThread) -> None:
    """Title changes, queries and clipboard writes stay inside the emulator: what
    the app draws holds no control character, and the title is plain text."""
    hostile = ("\x1b]0;[b]pwned\x7f\x07"  # a title carrying markup and a control
               "\x1b[c\x1b[6n\x1b]52;c;ZXZpbA==\x07"  # device attributes, cursor, clipboard
               "\x9b31mC1\x07 bell\x1bP+q544e\x1b\\ok\r\n")
    b = Broadcaster(relay, SID).open()
    b.output(hostile)
    app = app_for(relay)
    async with app.run_test(size=(80, 24)):
        await until_async(lambda: shows(app, "ok"), "the screen")
        from coterm_tui.app.widgets.terminal_view import TerminalView
        view = app.screen.query_one(TerminalView)
        for y in range(view.size.height):
            for seg in view.render_line(y):
                assert not any(ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f for ch in seg.text)
        title = str(view.border_title)
        assert "[b]pwned" in title and not any(ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f
                                               for ch in title)
    b.close()


async def test_the_view_follows_remote_resizes_centred_or_clipped(relay: RelayThread) -> None:
    from coterm_tui.app.widgets.terminal_view import TerminalView

    b = Broadcaster(relay, SID).open()  # 40×10
    b.output("small\r\n")
    app = app_for(relay)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.query_one(TerminalView)
        await until_async(lambda: shows(app, "small"), "the screen")
        await pilot.pause()
        assert (view.cols, view.rows) == (40, 10) and not view.clipped
        assert view.region.x > 0  # centred in the stage
        b.resize(120, 40)  # larger than the window: clipped, pannable
        b.output("\x1b[40;1Hbottom-left")
        await until_async(lambda: (view.cols, view.rows) == (120, 40) and shows(app, "bottom"),
                          "the remote resize")
        await pilot.pause()
        assert view.clipped and "clipped" in str(view.border_subtitle)
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down", "ctrl+down", "ctrl+down")
        assert view.pan_y > 0
        assert app.engine.status.following  # panning does not leave live mode
    b.close()


def test_cli_rejects_bad_and_unknown_ids(relay: RelayThread,
                                         capsys) -> None:  # type: ignore[no-untyped-def]
    from coterm_tui.cli import main

    assert main(["watch", "--relay", relay.url, "not an id!"]) == 2
    assert "is not a session id" in capsys.readouterr().err
    assert main(["watch", "--relay", relay.url, "nosuch123"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coterm: ") and "nosuch123" in err and len(err.splitlines()) == 1


async def test_joining_a_session_that_already_ended(relay: RelayThread) -> None:
    b = Broadcaster(relay, SID).open()
    b.output("one\r\n", "two\r\n", dt=1.0)
    b.finish(0)
    b.wait_acked()
    # The relay's newest keyframe is the final screen: Init carries it and no frame follows.
    until(lambda: newest_keyframe_seq(relay) == b.seq, "the final keyframe")
    app = app_for(relay)
    async with app.run_test(size=(80, 24)) as pilot:
        badge = app.screen.query_one(LiveBadge)
        await until_async(lambda: badge.connection == "ended" and shows(app, "two"), "ended")
        await until_async(lambda: not app.source.holes(), "the history")
        assert badge.status == 0
        await pilot.press("0")  # scrubbable from the start
        await until_async(lambda: not shows(app, "one"), "the start")


def newest_keyframe_seq(relay: RelayThread) -> int:
    import json
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{relay.url}/api/sessions/{SID}/keyframe") as resp:
            return int(json.load(resp)["seq"])
    except urllib.error.HTTPError:
        return -1


def test_a_keyframe_message_resyncs_the_screen() -> None:
    """The relay may send a lagging viewer a bare Keyframe: the screen jumps to it and
    the frames it skipped become a hole that the follower fetches."""
    from coterm_tui.client.follow import Follower
    from coterm_tui.core.events import Output
    from coterm_tui.core.live_replay import LiveReplayer
    from coterm_tui.core.live_source import LiveSource
    from coterm_tui.core.terminal import Terminal
    from coterm_tui.core.wire import Frame, Keyframe

    source = LiveSource(SID)
    follower = Follower(RelayTarget("http://127.0.0.1:9"), source)
    rep = LiveReplayer(source)
    follower._handle(Frame(1, Output(0.1, "old")), None)  # type: ignore[arg-type]
    rep.follow(float("inf"))
    shot = Terminal(80, 24)
    shot.feed("newer screen")
    follower._handle(Keyframe(40, 4.0, 80, 24, shot.dump()), None)  # type: ignore[arg-type]
    follower._handle(Frame(41, Output(4.1, "\r\nand on")), None)  # type: ignore[arg-type]
    assert rep.catch_up()
    rep.follow(float("inf"))
    assert rep.term.text()[:2] == ["newer screen", "and on"]
    assert source.holes() == [(2, 40)]


async def test_help_lists_the_live_key(relay: RelayThread) -> None:
    from coterm_tui.app.screens.help import HelpScreen

    b = Broadcaster(relay, SID).open()
    b.output("x\r\n")
    app = app_for(relay)
    async with app.run_test(size=(100, 40)) as pilot:
        await until_async(lambda: shows(app, "x"), "the screen")
        await pilot.press("question_mark")
        await until_async(lambda: isinstance(app.screen, HelpScreen), "the help")
        assert app.screen.rows[0][0].startswith("L")  # type: ignore[attr-defined]
        await pilot.press("escape")
        await until_async(lambda: not isinstance(app.screen, HelpScreen), "closed")
        assert app.engine.status.following  # help and back never leave live mode
    b.close()
