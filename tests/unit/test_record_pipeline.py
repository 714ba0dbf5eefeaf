"""The pipeline numbers events, keeps time monotonic, and survives failing sinks."""

from __future__ import annotations

import os
import struct
import threading
import time

from coterm_tui.core.events import Command, Event, Exit, Marker, Output, Resize
from coterm_tui.record import channel
from coterm_tui.record.marks import send_mark
from coterm_tui.record.pipeline import Numberer, Settings, serve
from tests.support import until


class ListSink:
    def __init__(self) -> None:
        self.events: list[tuple[int, Event]] = []
        self.flushed = 0
        self.closed = False

    def write(self, seq: int, event: Event) -> None:
        self.events.append((seq, event))

    def flush(self) -> None:
        self.flushed += 1

    def close(self) -> None:
        self.closed = True


class FullDisk(ListSink):
    path = "/full/x.cast"

    def write(self, seq: int, event: Event) -> None:
        if seq > 1:
            raise OSError(28, "No space left on device")
        super().write(seq, event)


def test_numbers_from_one_and_never_goes_back_in_time() -> None:
    sink = ListSink()
    out = Numberer([sink], lambda k, t: None)
    out.emit([Output(1.0, "a"), Marker(0.5, "late"), Output(2.0, "b")])
    assert sink.events == [(1, Output(1.0, "a")), (2, Marker(1.0, "late")),
                           (3, Output(2.0, "b"))]


def test_a_full_disk_is_reported_once_and_the_others_carry_on() -> None:
    reports: list[tuple[str, str]] = []
    good, bad = ListSink(), FullDisk()
    out = Numberer([bad, good], lambda k, t: reports.append((k, t)))
    out.emit([Output(float(i), "x") for i in range(5)])
    assert len(good.events) == 5 and len(bad.events) == 1 and bad.closed
    assert len(reports) == 1 and reports[0][0] == "warn"
    assert "No space left" in reports[0][1] and "/full/x.cast" in reports[0][1]


def test_strict_makes_a_failure_fatal() -> None:
    reports: list[tuple[str, str]] = []
    Numberer([FullDisk()], lambda k, t: reports.append((k, t)), strict=True).emit(
        [Output(0.0, "a"), Output(1.0, "b")])
    assert [k for k, _ in reports] == ["fatal"]


def start_serve(read_fd: int, settings: Settings
                ) -> tuple[threading.Thread, list[tuple[str, str]]]:
    """``serve`` in a thread, once its marker socket is listening; and its reports."""
    reports: list[tuple[str, str]] = []
    thread = threading.Thread(target=serve, args=(read_fd, lambda k, t: reports.append((k, t)),
                                                  settings))
    thread.start()
    sock = settings.mark_path
    assert sock is not None
    until(lambda: os.path.exists(sock), "the marker socket")
    return thread, reports


def test_serve_turns_frames_and_markers_into_a_recording(tmp_path) -> None:
    sink = ListSink()
    r, w = os.pipe()
    sock = str(tmp_path / "mark.sock")
    settings = Settings(t0=time.monotonic(), make_sinks=lambda: [sink], redactor=None,
                        mark_path=sock, sample_procs=False)
    thread, reports = start_serve(r, settings)
    os.write(w, channel.frame(channel.OUTPUT, 0.1, b"\x1b]133;E;make\x07\x1b]133;C\x07ok\r\n"))
    os.write(w, channel.frame(channel.RESIZE, 0.2, struct.pack("<HH", 100, 30)))
    send_mark("checkpoint", sock)
    os.write(w, channel.frame(channel.OUTPUT, 0.3, b"\x1b]133;D;0\x07"))
    os.write(w, channel.frame(channel.EXIT, 0.4, struct.pack("<i", 0)))
    os.close(w)
    thread.join(timeout=30)
    os.close(r)
    assert reports[0] == ("ready", "")
    events = [e for _, e in sink.events]
    assert [seq for seq, _ in sink.events] == list(range(1, len(events) + 1))
    assert Resize(0.2, 100, 30) in events
    assert Marker(events[[isinstance(e, Marker) and e.label == "checkpoint"
                          for e in events].index(True)].t, "checkpoint") in events
    ends = [e for e in events if isinstance(e, Command) and e.end is not None]
    assert [(c.line, c.exit_code) for c in ends] == [("make", 0)]
    assert isinstance(events[-1], Exit) and sink.closed and sink.flushed
    assert not os.path.exists(sock)


def _serve_two_outputs(settings: Settings) -> list[tuple[str, str]]:
    reports: list[tuple[str, str]] = []
    r, w = os.pipe()
    os.write(w, channel.frame(channel.OUTPUT, 0.1, b"one\r\n"))
    os.write(w, channel.frame(channel.OUTPUT, 0.2, b"two\r\n"))
    os.write(w, channel.frame(channel.EXIT, 0.3, struct.pack("<i", 0)))
    os.close(w)
    serve(r, lambda k, t: reports.append((k, t)), settings)
    os.close(r)
    return reports


def test_late_sinks_are_made_after_ready_and_get_every_event() -> None:
    early, late = ListSink(), ListSink()
    made: list[int] = []

    def make_late() -> list[ListSink]:
        made.append(len(early.events))
        return [late]

    reports = _serve_two_outputs(Settings(t0=time.monotonic(), make_sinks=lambda: [early],
                                          make_late_sinks=make_late, redactor=None,
                                          sample_procs=False))
    assert reports[0] == ("ready", "") and made == [0]
    assert late.events == early.events and len(early.events) >= 3
    assert late.closed


def test_a_late_sink_that_cannot_be_made_is_told_and_the_file_goes_on() -> None:
    early = ListSink()

    def broken() -> list[ListSink]:
        raise OSError(13, "Permission denied")

    reports = _serve_two_outputs(Settings(t0=time.monotonic(), make_sinks=lambda: [early],
                                          make_late_sinks=broken, redactor=None,
                                          sample_procs=False, strict=True))
    assert reports[0] == ("ready", "")
    assert ("warn", "not streaming: [Errno 13] Permission denied") in reports
    assert "".join(e.data for _, e in early.events if isinstance(e, Output)) == "one\r\ntwo\r\n"
