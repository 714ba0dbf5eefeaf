"""The pipeline stands aside during a flood and replays it whole, in order."""

from __future__ import annotations

import os
import struct
import time

from coterm_tui.core.events import Marker, Output
from coterm_tui.record import channel
from coterm_tui.record.flood import Backlog, FloodGate
from coterm_tui.record.marks import send_mark
from coterm_tui.record.pipeline import Settings
from tests.unit.test_record_pipeline import ListSink, start_serve

MB = 1 << 20


def _gate(tmp_path, **kw) -> FloodGate:
    gate = FloodGate(Backlog(str(tmp_path)), quiet=0.1, **kw)
    gate.worked(MB, 0.001)  # a pipeline that processes 1 GB/s: fast enough for any flood
    return gate


def test_a_flood_is_set_aside_and_replayed_in_order(tmp_path) -> None:
    gate = _gate(tmp_path)
    pieces = [bytes([i]) * (256 << 10) for i in range(12)]
    kept_now = [p for i, p in enumerate(pieces) if not gate.arrived(p, 1.0 + i * 0.01)]
    assert kept_now == pieces[:3]  # until the burst reaches a flood (1 MiB)
    assert gate.deferring and gate.pending and gate.floods == 1
    gate.idle(1.0 + 11 * 0.01 + 0.05)
    assert gate.deferring  # not quiet long enough yet
    gate.idle(1.0 + 11 * 0.01 + 0.2)
    assert not gate.deferring
    replayed = b""
    while gate.pending:
        replayed += gate.take()
    assert replayed == b"".join(pieces[3:])
    assert os.fstat(gate.backlog._fd).st_size == 0  # emptied once taken
    gate.close()


def test_what_arrives_while_replaying_waits_behind_the_backlog(tmp_path) -> None:
    gate = _gate(tmp_path)
    for i in range(12):  # 2.25 MiB set aside: more than one replay chunk
        gate.arrived(b"a" * (256 << 10), 1.0 + i * 0.001)
    gate.stop()
    first = gate.take()
    assert gate.arrived(b"late", 5.0)  # set aside too: older bytes are still waiting
    rest = b""
    while gate.pending:
        rest += gate.take()
    assert (first + rest).endswith(b"late") and not gate.deferring
    gate.close()


def test_a_slow_pipeline_or_a_relay_never_stands_aside(tmp_path) -> None:
    slow = FloodGate(Backlog(str(tmp_path)), quiet=0.1)
    slow.worked(MB, 1.0)  # 1 MB/s: could never catch up with this flood
    local = FloodGate(Backlog(str(tmp_path)), quiet=0.1, enabled=False)
    local.worked(MB, 0.001)
    for gate in (slow, local):
        assert not any(gate.arrived(b"x" * (256 << 10), 1.0 + i * 0.001) for i in range(20))
        assert not gate.pending and gate.floods == 0
        gate.close()


def test_a_flood_ends_after_defer_max_and_when_the_disk_refuses(tmp_path) -> None:
    gate = _gate(tmp_path, defer_max=0.5)
    t = 1.0
    while not gate.deferring:
        gate.arrived(b"x" * (256 << 10), t)
        t += 0.001
    while gate.deferring:
        t += 0.05
        gate.arrived(b"y" * 1000, t)
    assert t < 1.7 and gate.pending  # stopped standing aside, still in order
    refused = FloodGate(Backlog(str(tmp_path / "missing")), quiet=0.1)
    refused.worked(MB, 0.001)
    arrived = [refused.arrived(bytes([i]) * (256 << 10), 1.0 + i * 0.001) for i in range(6)]
    assert not refused.deferring and refused.full  # the caller stops reading the pipe
    out = b""
    while refused.pending:
        out += refused.take()
    assert out == b"".join(bytes([i]) * (256 << 10) for i in range(6) if arrived[i])
    gate.close()
    refused.close()


def test_serve_records_a_flood_whole_with_markers_after_the_output_before_them(
        tmp_path, monkeypatch) -> None:
    from coterm_tui.record import flood

    monkeypatch.setattr(flood, "SPEED_MARGIN", 0.0)  # this test writes faster than any PTY
    sink = ListSink()
    sock = str(tmp_path / "mark.sock")
    r, w = os.pipe()
    channel.widen_pipe(w)
    settings = Settings(t0=time.monotonic(), make_sinks=lambda: [sink], redactor=None,
                        mark_path=sock, sample_procs=False, backlog_dir=str(tmp_path))
    thread, reports = start_serve(r, settings)
    lines = [f"{i:07d} some output of a flood\r\n".encode() for i in range(200_000)]
    chunk = 8000
    for n, i in enumerate(range(0, len(lines), chunk)):
        os.write(w, channel.frame(channel.OUTPUT, 0.001 * n, b"".join(lines[i:i + chunk])))
        if n == 10:
            send_mark("mid-flood", sock)
    os.write(w, channel.frame(channel.EXIT, 1.0, struct.pack("<i", 0)))
    os.close(w)
    thread.join(timeout=60)
    os.close(r)
    events = [e for _, e in sink.events]
    text = "".join(e.data for e in events if isinstance(e, Output))
    assert text == b"".join(lines).decode()
    times = [e.t for e in events]
    assert times == sorted(times)
    mark = next(i for i, e in enumerate(events) if isinstance(e, Marker)
                and e.label == "mid-flood")
    before = "".join(e.data for e in events[:mark] if isinstance(e, Output))
    assert before.startswith("0000000") and len(before) > 0
    assert [seq for seq, _ in sink.events] == list(range(1, len(events) + 1))
    floods, deferred = next(t for k, t in reports if k == "flood").split()
    assert int(floods) >= 1 and int(deferred) > 1 << 20  # it did stand aside
