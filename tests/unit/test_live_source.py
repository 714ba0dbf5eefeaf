"""The live source (a growing, hole-tolerant event store) and the live replayer."""

from __future__ import annotations

from coterm_tui.core.events import Exit, Header, Marker, Output, Resize
from coterm_tui.core.live_replay import SKIP_CHARS, LiveReplayer
from coterm_tui.core.live_source import LiveSource
from coterm_tui.core.terminal import Terminal


def source(cols: int = 20, rows: int = 4) -> LiveSource:
    return LiveSource("abc12345", Header(cols=cols, rows=rows))


def test_events_stop_at_holes_and_holes_are_reported() -> None:
    src = source()
    src.add(1, Output(0.1, "a"))
    src.add(4, Output(0.4, "d"))
    src.add(5, Output(0.5, "e"))
    assert src.head == 5 and src.received == 3
    assert [e.data for _, e in src.events(None, 0.0)] == ["a"]  # type: ignore[attr-defined]
    assert src.holes() == [(2, 3)]
    assert [i for i, _ in src.events(3, 0.0)] == [3, 4]
    assert src.add(2, Output(0.2, "b")) and src.add(3, Output(0.3, "c"))
    assert not src.add(3, Output(0.3, "c"))  # duplicates are ignored
    assert src.holes() == []
    assert "".join(e.data for _, e in src.events(None, 0.0)) == "abcde"  # type: ignore[attr-defined]
    assert not src.add(0, Output(0.0, "x"))


def test_character_counts_follow_late_fills() -> None:
    src = source()
    src.add(1, Output(0.1, "aa"))
    src.add(3, Output(0.3, "cccc"))
    assert src.chars_between(0, 3) == 6
    src.add(2, Output(0.2, "bbb"))
    assert src.chars_between(0, 3) == 9 and src.chars_between(1, 2) == 3
    assert src.seq_with_tail(3, 4) == 2  # events 3..3 hold 4 characters
    assert src.seq_with_tail(3, 5) == 1
    assert src.seq_with_tail(3, 100) == 0


def test_marks_exit_status_and_end() -> None:
    src = source()
    src.add(1, Marker(1.0, "deploy"))
    src.add(2, Exit(2.0, 3))
    assert [m.label for m in src.index.marks] == ["deploy"]
    assert src.state.status == 3
    src.finish(None)
    assert src.state.connection == "ended" and src.index.duration == 2.0


def test_keyframes_may_arrive_out_of_order() -> None:
    src = source()
    src.add_keyframe(10, 1.0, 20, 4, "x")
    src.add_keyframe(5, 0.5, 20, 4, "y")
    src.add_keyframe(10, 1.0, 20, 4, "x")
    assert [k.seq for k in src.index.frames()] == [5, 10]


def test_replayer_follows_a_growing_source_and_learns_keyframes() -> None:
    src = source()
    rep = LiveReplayer(src)
    assert rep.peek() is None
    src.add(1, Output(0.1, "hello"))
    rep.follow(float("inf"))
    assert rep.term.text()[0] == "hello"
    for i in range(2, 40):  # ~40 KB of exactly emulated output: a keyframe is taken
        src.add(i, Output(i * 0.1, "y" * 1000 + "\r\n"))
    rep.follow(float("inf"))
    assert rep.seq == 39 and len(src.index) >= 1


def test_a_resync_keyframe_past_a_hole_is_jumped_to() -> None:
    src = source()
    src.add(1, Output(0.1, "old"))
    rep = LiveReplayer(src)
    rep.follow(float("inf"))
    shot = Terminal(20, 4)
    shot.feed("resynced")
    src.add_keyframe(50, 5.0, 20, 4, shot.dump())  # frames 2..50 were lost
    src.add(51, Output(5.1, "\r\nafter"))
    assert rep.catch_up()
    rep.follow(float("inf"))
    assert rep.term.text()[:2] == ["resynced", "after"]


def test_bulk_output_is_skipped_and_the_final_screen_is_right() -> None:
    src = source(30, 5)
    rep = LiveReplayer(src)
    line = "".join(f"{i:06d} {'z' * 20}\r\n" for i in range(1000))
    seq = 0
    for _ in range(40):  # ~1.1 MB, far more than the emulator should draw
        seq += 1
        src.add(seq, Output(seq * 0.001, line))
    src.add(seq + 1, Resize(0.5, 30, 6))
    src.add(seq + 2, Output(0.6, "$ done"))
    assert src.chars_between(0, src.head) > SKIP_CHARS
    assert rep.catch_up()
    rep.follow(float("inf"))
    assert rep.skipped > 0 and not rep.exact
    full = Terminal(30, 5)
    for _, event in src.events(None, 0.0):
        if isinstance(event, Output):
            full.feed(event.data)
        elif isinstance(event, Resize):
            full.resize(event.cols, event.rows)
    assert rep.term.text() == full.text()
    assert (rep.term.cols, rep.term.rows) == (30, 6)


def test_scrubbing_history_leaves_keyframes_behind() -> None:
    src = source()
    for i in range(1, 80):  # history fetched after joining: 80 KB
        src.add(i, Output(i * 0.1, "q" * 1000 + "\r\n"))
    rep = LiveReplayer(src)
    rep.seek(5.0)  # replays from the start (no keyframe yet) …
    kfs = src.index.frames()
    assert kfs and all(k.seq <= 50 for k in kfs)
    rep.seek(1.0)
    rep.seek(5.0)  # … and now restores the keyframe learned on the way
    assert rep.seq == 50 and rep.term.text() == expected_text(src, 50)


def expected_text(src: LiveSource, seq: int) -> list[str]:
    term = Terminal(src.header.cols, src.header.rows)
    for _, event in src.events(None, 0.0):
        if event.t > seq * 0.1 + 1e-9:
            break
        term.feed(event.data)  # type: ignore[attr-defined]
    return term.text()


def test_holes_reach_past_the_head_up_to_a_keyframe() -> None:
    src = source()
    assert src.holes(upto=3) == [(1, 3)]  # nothing yet, a keyframe at seq 3
    src.add(2, Output(0.2, "b"))
    assert src.holes(upto=5) == [(1, 1), (3, 5)]
    src.add(1, Output(0.1, "a"))
    assert src.holes(upto=4) == [(3, 4)] and src.holes() == []


def test_a_keyframe_beyond_every_frame_received_is_shown() -> None:
    src = source()
    rep = LiveReplayer(src)
    shot = Terminal(20, 4)
    shot.feed("ended screen")
    src.add_keyframe(2, 1.0, 20, 4, shot.dump())  # an ended session: Init, no frames
    assert rep.catch_up()
    assert rep.term.text()[0] == "ended screen"


def test_a_far_seek_asks_the_relay_for_a_keyframe_first() -> None:
    src = source()
    for i in range(1, 101):  # 100 s of history received from the relay, never emulated
        src.add(i, Output(float(i), f"\r\nline {i}"))
    asked: list[float | None] = []

    def relay_keyframe(t: float | None) -> object:
        asked.append(t)
        term = Terminal(20, 4)
        for _, event in src.events(None, 0.0):
            if event.t <= 80.0:
                term.feed(event.data)  # type: ignore[attr-defined]
        return src.add_keyframe(80, 80.0, 20, 4, term.dump())

    src.fetch_keyframe = relay_keyframe  # type: ignore[assignment]
    rep = LiveReplayer(src)
    rep.seek(85.0)
    assert asked == [85.0] and rep.seq == 85
    assert rep.term.text()[-1] == "line 85"
    rep.seek(88.0)  # near: replays on, no question
    assert asked == [85.0] and rep.term.text()[-1] == "line 88"
