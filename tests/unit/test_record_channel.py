"""The loop's side of the pipe to the pipeline never blocks and loses nothing."""

from __future__ import annotations

import fcntl
import os

import pytest

from coterm_tui.record import channel


def _small_pipe() -> tuple[int, int]:
    r, w = os.pipe()
    fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 4096)
    return r, w


def _drain(r: int) -> bytes:
    os.set_blocking(r, False)
    out = b""
    while True:
        try:
            piece = os.read(r, 65536)
        except BlockingIOError:
            return out
        if not piece:
            return out
        out += piece


def _take(reader: channel.Receiver, data: bytes) -> list[channel.Message]:
    reader.feed(data)
    return list(reader.drain())


def _pump_all(feed: channel.Feed, r: int, reader: channel.Receiver) -> list[channel.Message]:
    """Play the pipeline: read the pipe while the feed pumps, until nothing is pending."""
    got = _take(reader, _drain(r))
    for _ in range(1000):
        if not feed.pending:
            break
        feed.pump()
        got += _take(reader, _drain(r))
    return got


def test_frames_survive_any_cut() -> None:
    data = b"".join(channel.frame(channel.OUTPUT, i / 10, bytes([i]) * i) for i in range(50))
    reader = channel.FrameReader()
    got = []
    for i in range(0, len(data), 7):
        got += reader.feed(data[i:i + 7])
    assert [(k, t, p) for k, t, p in got] == [(b"o", i / 10, bytes([i]) * i) for i in range(50)]


def test_bad_frames_are_refused() -> None:
    with pytest.raises(ValueError):
        channel.FrameReader().feed(channel.HEAD.pack(b"?", 0.0, 0))


def test_send_never_blocks_and_spills_to_disk_in_order(tmp_path) -> None:
    r, w = _small_pipe()
    spool = channel.Spool.create(str(tmp_path))
    feed = channel.Feed(w, spool, mem_limit=20_000)
    payloads = [bytes([i % 256]) * 1000 for i in range(200)]
    for i, p in enumerate(payloads):
        feed.send(channel.OUTPUT, float(i), p)  # nobody reads: must still return at once
    assert feed.pending
    assert feed.peak_mem <= 20_000 + 1100
    assert feed.spilled > 100_000
    reader = channel.Receiver(spool)
    got = _pump_all(feed, r, reader)
    assert not feed.pending
    feed.close()
    got += _take(reader, _drain(r))
    assert [p for _, _, p in got] == payloads
    assert [t for _, t, _ in got] == [float(i) for i in range(200)]
    os.close(r)


def test_close_hands_over_the_rest(tmp_path) -> None:
    import threading

    r, w = _small_pipe()
    spool = channel.Spool.create(str(tmp_path))
    feed = channel.Feed(w, spool, mem_limit=10_000)
    for i in range(100):
        feed.send(channel.INPUT, float(i), b"x" * 500)
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(_read_all(r)))
    reader.start()
    feed.close()
    reader.join(timeout=30)
    frames = _take(channel.Receiver(spool), chunks[0])
    assert [p for _, _, p in frames] == [b"x" * 500] * 100


def _read_all(fd: int) -> bytes:
    out = b""
    while piece := os.read(fd, 65536):
        out += piece
    os.close(fd)
    return out


def test_a_dead_pipeline_does_not_stop_the_loop() -> None:
    r, w = os.pipe()
    os.close(r)
    feed = channel.Feed(w)
    feed.send(channel.OUTPUT, 0.0, b"hello")
    assert feed.broken and not feed.pending
    feed.close()


def test_a_full_spool_drops_output_and_says_how_much(tmp_path) -> None:
    r, w = _small_pipe()
    spool = channel.Spool.create(str(tmp_path))
    feed = channel.Feed(w, spool, mem_limit=10_000, spool_limit=50_000)
    for i in range(200):
        feed.send(channel.OUTPUT, float(i), b"x" * 1000)
    feed.send(channel.RESIZE, 200.0, b"\x50\x00\x18\x00")  # never dropped
    assert feed.dropped > 100_000
    reader = channel.Receiver(spool)
    got = _pump_all(feed, r, reader)
    feed.send(channel.OUTPUT, 201.0, b"after")
    got += _take(reader, _drain(r))
    feed.close()
    kinds = [k for k, _, _ in got]
    assert kinds[-3:] == [channel.GAP, channel.RESIZE, channel.OUTPUT]
    gap = got[-3][2]
    kept = sum(len(p) for k, _, p in got if k == channel.OUTPUT) - len(b"after")
    assert int.from_bytes(gap, "little") == feed.dropped == 200_000 - kept
    os.close(r)


def test_a_spool_the_disk_refuses_drops_data_but_keeps_control_frames(tmp_path) -> None:
    r, w = _small_pipe()
    feed = channel.Feed(w, channel.Spool.create(str(tmp_path / "missing")), mem_limit=10_000)
    for i in range(50):
        feed.send(channel.OUTPUT, float(i), b"x" * 1000)
    feed.send(channel.EXIT, 50.0, b"\x00\x00\x00\x00")
    assert feed.dropped > 0 and feed.spilled == 0
    reader = channel.Receiver(None)
    got = _pump_all(feed, r, reader)
    output = sum(len(p) for k, _, p in got if k == channel.OUTPUT)
    assert output + feed.dropped == 50_000
    assert got[-1][0] == channel.EXIT  # never lost, and the stream is still well framed
    feed.close()
    os.close(r)


def test_spans_are_resolved_in_order_and_the_spool_rewinds_once_taken(tmp_path) -> None:
    r, w = _small_pipe()
    spool = channel.Spool.create(str(tmp_path))
    assert spool is not None
    feed = channel.Feed(w, spool, mem_limit=5_000)
    reader = channel.Receiver(spool)
    sent: list[bytes] = []
    for round_ in range(3):  # each round spills, then the pipeline catches up
        for i in range(60):
            payload = bytes([round_ * 60 + i]) * 1000
            sent.append(payload)
            kind = channel.INPUT if i % 7 == 0 else channel.OUTPUT
            feed.send(kind, float(len(sent)), payload)
        assert feed.spilled > 0
        got = _pump_all(feed, r, reader)
        assert [p for _, _, p in got] == sent[-60:]
        assert not feed.pending and spool.taken == feed._announced
    # everything taken each time: the file never held more than one round
    assert os.fstat(spool.fd).st_size < 60 * 1100
    assert feed.spilled > 2 * 60 * 1000 - 3 * (5_000 + 4096)
    feed.close()
    spool.close()
    os.close(r)


def test_a_span_cut_inside_a_frame_is_refused(tmp_path) -> None:
    spool = channel.Spool.create(str(tmp_path))
    assert spool is not None
    data = channel.frame(channel.OUTPUT, 1.0, b"x" * 100)
    os.pwrite(spool.fd, data, 0)
    reader = channel.Receiver(spool)
    reader.feed(channel.frame(channel.SPAN, 0.0, channel._SPAN.pack(0, len(data) - 10)))
    with pytest.raises(ValueError):
        list(reader.drain())
    spool.close()


@pytest.mark.parametrize("seed", range(12))
def test_any_mix_of_sends_and_reads_arrives_whole_and_in_order(tmp_path, seed: int) -> None:
    """Random sends (all kinds, all sizes) against a pipeline that reads and pumps at
    random moments: everything arrives once, in order, whatever went by pipe, memory
    or spool, and the spool is rewound whenever it was taken."""
    import random

    rng = random.Random(seed)
    r, w = _small_pipe()
    spool = channel.Spool.create(str(tmp_path))
    feed = channel.Feed(w, spool, mem_limit=rng.choice([2_000, 20_000, 200_000]))
    reader = channel.Receiver(spool)
    kinds = [channel.OUTPUT, channel.OUTPUT, channel.INPUT, channel.RESIZE, channel.HIDDEN]
    sent: list[tuple[bytes, float, bytes]] = []
    got: list[tuple[bytes, float, bytes]] = []
    for i in range(400):
        kind = rng.choice(kinds)
        payload = bytes([i % 256]) * rng.choice([0, 1, 10, 500, 4000, 30_000])
        feed.send(kind, float(i), payload)
        sent.append((kind, float(i), payload))
        roll = rng.random()
        if roll < 0.2:
            reader.feed(_drain(r))
            got += reader.drain()
        elif roll < 0.5:
            feed.pump()
    got += _pump_all(feed, r, reader)
    feed.close()
    got += _take(reader, _drain(r))
    assert got == sent
    assert feed.dropped == 0 and not feed.pending and feed.spilled > 0
    assert spool.taken == feed._announced
    os.close(r)
    spool.close()
