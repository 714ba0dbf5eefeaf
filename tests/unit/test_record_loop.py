"""The passthrough loop: never stalls on a stuck pipeline, resizes the PTY, hands on input."""

from __future__ import annotations

import os
import signal
import struct
import threading
import time

from coterm_tui.record import channel
from coterm_tui.record.pty_loop import Loop
from coterm_tui.record.ptys import set_size, spawn


def _frames(fd: int) -> list[channel.Message]:
    os.set_blocking(fd, False)
    reader = channel.FrameReader()
    out: list[channel.Message] = []
    while True:
        try:
            data = os.read(fd, 1 << 20)
        except BlockingIOError:
            return out
        if not data:
            return out
        out += reader.feed(data)


def test_a_stuck_pipeline_never_stops_the_output(tmp_path) -> None:
    """Nobody reads the pipe: 8 MB still reach the terminal, the rest waits on disk."""
    r, w = os.pipe()
    spool = channel.Spool.create(str(tmp_path))
    feed = channel.Feed(w, spool, mem_limit=1 << 20)
    sink = os.open(tmp_path / "terminal", os.O_WRONLY | os.O_CREAT)
    stdin_r, stdin_w = os.pipe()
    os.close(stdin_w)
    pid, master = spawn(["sh", "-c", "head -c 8000000 /dev/zero | tr '\\0' x"],
                        os.environ, 80, 24)
    loop = Loop(pid=pid, master=master, feed=feed, t0=time.monotonic(), stdin=stdin_r,
                stdout=sink)
    assert loop.run() == 0
    os.close(sink)
    os.close(stdin_r)
    assert (tmp_path / "terminal").stat().st_size == 8_000_000
    assert feed.spilled > 4_000_000 and feed.peak_mem <= (1 << 20) + 70_000
    frames: list[channel.Message] = []
    reader = threading.Thread(target=lambda: frames.extend(_read_all(r, spool)))
    reader.start()
    feed.close()
    reader.join(timeout=60)
    output = sum(len(p) for k, _, p in frames if k == channel.OUTPUT)
    assert output == 8_000_000
    assert frames[0][0] == channel.CHILD and frames[-1] == (channel.EXIT, frames[-1][1],
                                                             struct.pack("<i", 0))


def _read_all(fd: int, spool: channel.Spool | None) -> list[channel.Message]:
    reader = channel.Receiver(spool)
    out: list[channel.Message] = []
    while data := os.read(fd, 1 << 20):
        reader.feed(data)
        out += reader.drain()
    os.close(fd)
    return out


def test_resize_and_input_reach_the_program() -> None:
    outer_master, outer_slave = os.openpty()
    set_size(outer_master, 100, 30)
    out_r, out_w = os.pipe()
    feed_r, feed_w = os.pipe()
    pid, master = spawn(["sh", "-c", "echo ready; read x; echo got $x; stty size"],
                        os.environ, 100, 30)
    loop = Loop(pid=pid, master=master, feed=channel.Feed(feed_w), t0=time.monotonic(),
                stdin=outer_slave, stdout=out_w)
    seen = bytearray()
    main = threading.get_ident()

    def user() -> None:
        deadline = time.monotonic() + 20
        while b"ready" not in seen and time.monotonic() < deadline:
            seen.extend(os.read(out_r, 4096))
        set_size(outer_master, 90, 20)
        signal.pthread_kill(main, signal.SIGWINCH)  # to the loop's thread, as a terminal does
        os.write(outer_master, b"go\n")
        while b"20 90" not in seen and time.monotonic() < deadline:
            seen.extend(os.read(out_r, 4096))

    thread = threading.Thread(target=user)
    thread.start()
    status = loop.run()
    thread.join(timeout=30)
    assert status == 0
    assert b"got go" in seen and b"20 90" in seen
    frames = _frames(feed_r)
    assert (channel.RESIZE, struct.pack("<HH", 90, 20)) in [(k, p) for k, _, p in frames]
    assert b"go\n" in b"".join(p for k, _, p in frames if k == channel.INPUT)
    for fd in (outer_master, outer_slave, out_r, out_w, feed_r):
        os.close(fd)


def test_gathered_output_keeps_its_place_before_input_and_exit(tmp_path) -> None:
    """Output for the recording is gathered (fewer, bigger messages), but never
    reordered: what the program wrote before a key was typed comes before the key."""
    outer_master, outer_slave = os.openpty()
    out_r, out_w = os.pipe()
    feed_r, feed_w = os.pipe()
    channel.widen_pipe(feed_w)
    pid, master = spawn(["sh", "-c", "seq 1 20000; echo ready; read x; echo got-$x"],
                        os.environ, 80, 24)
    feed = channel.Feed(feed_w)
    loop = Loop(pid=pid, master=master, feed=feed, t0=time.monotonic(),
                stdin=outer_slave, stdout=out_w)
    seen = bytearray()

    def user() -> None:
        deadline = time.monotonic() + 20
        while b"ready" not in seen and time.monotonic() < deadline:
            seen.extend(os.read(out_r, 65536))
        os.write(outer_master, b"go\n")
        while b"got-go" not in seen and time.monotonic() < deadline:
            seen.extend(os.read(out_r, 65536))

    thread = threading.Thread(target=user)
    thread.start()
    assert loop.run() == 0
    thread.join(timeout=30)
    feed.close()  # everything fits in the pipe: this does not wait
    frames = _read_all(feed_r, None)
    kinds = [k for k, _, _ in frames]
    outputs = [p for k, _, p in frames if k == channel.OUTPUT]
    text = b"".join(outputs)
    assert text.index(b"ready") < text.index(b"got-go")
    assert b"20000\r\nready" in text
    reads = len(seen) // 4096  # the PTY hands over at most ~4 KiB per read
    assert len(outputs) < max(2, reads)  # gathered, not one message per read
    key = kinds.index(channel.INPUT)
    before = b"".join(p for k, _, p in frames[:key] if k == channel.OUTPUT)
    assert b"ready" in before and b"got-go" not in before
    assert kinds[-1] == channel.EXIT
    for fd in (outer_master, outer_slave, out_r, out_w):
        os.close(fd)
