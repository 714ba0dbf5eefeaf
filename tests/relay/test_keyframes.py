"""Keyframes: made in a child process by default; bulk output is skipped ahead."""

from __future__ import annotations

from relayhelp import acked, publisher, relay_of, send_output

from coterm_tui.core import wire
from coterm_tui.core.terminal import Terminal
from relay.keyframes import skip_ahead
from tests.support import until_async


def test_skip_ahead_keeps_the_tail_and_the_last_resize():
    ops = ["a" * 100, (100, 30), "b" * 100, (120, 40), "c" * 50 + "\n" + "d" * 50]
    kept, skipped = skip_ahead(ops, 300, limit=150, keep=80)
    # the last 80 chars of output (the newest piece cut at a line start), in order,
    # preceded by the last resize among what was skipped
    assert kept == [(100, 30), "b" * 30, (120, 40), "d" * 50]
    assert skipped == 220
    assert skip_ahead(ops, 300, limit=400, keep=80) == (ops, 0)


async def test_keyframes_from_the_child_process_reproduce_the_screen(start_relay):
    client = await start_relay(keyframe_executor="process", keyframe_bytes=100)
    pub, _ = await publisher(client, "kfproc")
    lines = [f"\x1b[32m{i:03d}\x1b[0m some text\r\n" for i in range(30)]
    await send_output(pub, 1, lines)
    await acked(pub, 30)
    relay = relay_of(client)
    await until_async(lambda: (kf := relay.hub.sessions["kfproc"].keyframe) is not None
                      and kf.seq == 30, "a keyframe of the whole session")
    kf = relay.hub.sessions["kfproc"].keyframe
    reference = Terminal(40, 10)
    reference.feed("".join(lines))
    rebuilt = Terminal(kf.cols, kf.rows)
    rebuilt.feed(kf.data)
    assert rebuilt.text() == reference.text()
    assert relay.store.keyframe_at("kfproc").seq == kf.seq


async def test_a_screen_too_big_for_viewers_keeps_the_previous_keyframe(start_relay,
                                                                        monkeypatch):
    """A dump past the wire's keyframe limit would make every viewer refuse its Init;
    the relay keeps the previous keyframe instead (viewers replay the frames since)."""
    from relay import keyframes

    client = await start_relay(keyframe_executor="thread", keyframe_bytes=100)
    pub, _ = await publisher(client, "kfbig")
    await send_output(pub, 1, ["small\r\n" * 20])
    await acked(pub, 1)
    relay = relay_of(client)
    await until_async(lambda: (kf := relay.hub.sessions["kfbig"].keyframe) is not None
                and kf.seq == 1, "a keyframe of the small screen")
    monkeypatch.setattr(keyframes, "MAX_KEYFRAME_BYTES", 300)
    colourful = "".join(f"\x1b[38;5;{i % 256}m#" for i in range(300)) + "\r\n"
    await send_output(pub, 2, [colourful])
    await acked(pub, 2)
    await until_async(lambda: relay.metrics.keyframes_oversized >= 1, "the oversized screen")
    assert relay.hub.sessions["kfbig"].keyframe.seq == 1


async def test_a_flood_while_the_emulator_rests_stays_bounded_and_ends_exact(start_relay,
                                                                              monkeypatch):
    """The emulator works at most DUTY of the time; output that arrives while it rests
    is trimmed to the tail, and the session's last keyframe is still the true screen."""
    from relay import keyframes

    monkeypatch.setattr(keyframes, "DUTY", 0.01)  # rest 99× each job: the flood piles up
    client = await start_relay(keyframe_executor="thread", keyframe_bytes=1000,
                               keyframe_skip_bytes=3000)
    pub, _ = await publisher(client, "kfflood")
    relay = relay_of(client)
    lines = [f"{i:05d} " + "x" * 93 + "\r\n" for i in range(400)]
    peak = 0
    for i in range(0, 400, 20):
        await send_output(pub, i + 1, lines[i:i + 20], t0=i * 0.01)
        await acked(pub, i + 20)
        feed = relay.keyframer._feeds.get("kfflood")
        peak = max(peak, feed.pending if feed is not None else 0)
    assert peak <= 4 * 3000 + 20 * 100
    assert relay.metrics.keyframe_skipped > 0
    await pub.send_bytes(wire.encode(wire.Bye()))
    await until_async(lambda: (kf := relay.hub.sessions["kfflood"].keyframe) is not None
                      and kf.seq == 400, "the last keyframe, made without waiting")
    reference = Terminal(40, 10)
    reference.feed("".join(lines))
    rebuilt = Terminal(40, 10)
    rebuilt.feed(relay.hub.sessions["kfflood"].keyframe.data)
    assert rebuilt.text() == reference.text()
