"""The capture pipeline: a process beside the PTY loop.

The loop forks it before starting the shell and feeds it through a pipe
(:mod:`.channel`). Here, and only here, bytes are decoded, redacted, parsed for
shell marks, joined by process samples and markers from ``coterm mark``,
numbered from 1 and written to the sinks. Running in its own process it uses
the second core and cannot stall the user's terminal.

It reports back to the loop over a second pipe, one line per message:
``ready``, ``warn <text>`` (tell the user once, carry on), ``fatal <text>``
(``--strict``: end the session), ``note <text>`` (tell the user; the recording
itself is fine — the relay uplink's last word) and ``done``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import select
import signal
import struct
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coterm_tui.core.events import Event

from . import channel
from .capture import Capture
from .flood import Backlog, FloodGate
from .marks import MarkServer
from .procs import INTERVAL, ProcSampler

if TYPE_CHECKING:
    from .sinks import Sink

#: Sinks are flushed this often (a crash loses at most this much).
FLUSH_INTERVAL = 0.5
READ_SIZE = 1 << 20
#: Output pieces closer together than this become one event (see :func:`coalesce`).
COALESCE = 0.005
COALESCE_BYTES = 256 << 10

MakeSinks = Callable[[], "list[Sink]"]
Report = Callable[[str, str], None]


class Numberer:
    """Gives events their sequence numbers and hands them to every sink.

    Times never go backwards in the file (a marker stamped by this process can
    arrive while older output is still queued), and a sink that fails is
    dropped after one report (or ends the session, when ``strict``).
    """

    def __init__(self, sinks: list[Sink], report: Report, strict: bool = False) -> None:
        self.sinks = list(sinks)
        self.report = report
        self.strict = strict
        self.seq = 0
        self.last_t = 0.0

    def emit(self, events: Iterable[Event]) -> None:
        for event in events:
            if event.t < self.last_t:
                event = _retime(event, self.last_t)
            self.last_t = event.t
            self.seq += 1
            for sink in list(self.sinks):
                try:
                    sink.write(self.seq, event)
                except OSError as exc:
                    self._fail(sink, exc)

    def flush(self) -> None:
        for sink in list(self.sinks):
            try:
                sink.flush()
            except OSError as exc:
                self._fail(sink, exc)

    def close(self) -> None:
        for sink in self.sinks:
            try:
                sink.close()
            except OSError as exc:
                self._fail(sink, exc)
        self.sinks = []

    def _fail(self, sink: Sink, exc: OSError) -> None:
        if sink in self.sinks:
            self.sinks.remove(sink)
        with contextlib.suppress(OSError):
            sink.close()
        where = getattr(sink, "path", type(sink).__name__)
        kind = "fatal" if self.strict else "warn"
        tail = "" if self.strict else "; the session goes on unrecorded there"
        self.report(kind, f"cannot write the recording {where}: {exc.strerror or exc}{tail}")


def _retime(event: Event, t: float) -> Event:
    return dataclasses.replace(event, t=t)


@dataclass
class Settings:
    t0: float
    make_sinks: MakeSinks
    redactor: Any | None
    record_input: bool = True
    strict: bool = False
    mark_path: str | None = None
    sample_procs: bool = True
    #: Where a flood's backlog file goes (see :mod:`.flood`); the system's temp dir if None.
    backlog_dir: str | None = None
    #: Sinks made once ``ready`` is reported (the relay uplink: loading aiohttp and
    #: connecting need not delay the program's start). Failures are told, never fatal.
    make_late_sinks: MakeSinks | None = None


def serve(read_fd: int, report: Report, settings: Settings,
          spool: channel.Spool | None = None) -> None:
    """The pipeline's main loop: until the loop closes the pipe and all is written."""
    try:
        sinks = settings.make_sinks()
    except OSError as exc:
        report("fatal" if settings.strict else "warn", f"cannot record: {exc}")
        sinks = []
    marks = MarkServer(settings.mark_path) if settings.mark_path else None
    report("ready", "")
    early = len(sinks)
    if settings.make_late_sinks is not None:
        try:
            sinks += settings.make_late_sinks()
        except OSError as exc:
            report("warn", f"not streaming: {exc}")
    local_only = len(sinks) == early  # no uplink: the flood gate may be used
    for sink in sinks:  # sinks with something to tell the user (the uplink) say it here
        if hasattr(sink, "notify"):
            sink.notify = lambda text: report("note", text)
    out = Numberer(sinks, report, settings.strict)
    capture = Capture(settings.redactor, settings.record_input)
    receiver = channel.Receiver(spool)
    gate = FloodGate(Backlog(settings.backlog_dir), enabled=local_only)
    sampler: ProcSampler | None = None
    status = 0
    clock = time.monotonic
    next_sample = next_flush = 0.0
    fds: list[Any] = [read_fd] + ([marks] if marks else [])
    held_marks: list[tuple[float, str]] = []
    eof = False

    def read_pipe() -> bytes | None:
        """One read from the PTY loop's pipe; None at its end."""
        nonlocal eof
        data = os.read(read_fd, READ_SIZE)
        if not data:
            eof = True
            gate.stop()
            return None
        return data

    try:
        while not eof or receiver.busy or gate.pending:
            now = clock() - settings.t0
            listen = fds if not (eof or gate.full) else fds[1:]
            batch: list[channel.Message] = []
            if gate.deferring:  # a flood: only set aside what arrives (see .flood)
                ready = select.select(listen, [], [], gate.quiet)[0]
                data = read_pipe() if read_fd in ready else b""
                if data:
                    gate.arrived(data, clock())
                else:
                    gate.idle(clock())
            elif gate.pending:  # replay what was set aside, oldest first
                ready = select.select(listen, [], [], 0)[0]
                data = read_pipe() if read_fd in ready else None
                if data:
                    gate.arrived(data, clock())  # behind the backlog, in order
                if not receiver.busy:
                    receiver.feed(gate.take())
                batch = receiver.take()
            elif receiver.busy:  # work in hand (a spooled span): only look for markers
                ready = select.select(fds[1:], [], [], 0)[0] if marks else []
                batch = receiver.take()
            else:
                wait = max(0.0, min(next_flush, next_sample if sampler else next_flush) - now)
                ready = select.select(listen, [], [], min(wait, 0.25))[0]
                data = read_pipe() if read_fd in ready else None
                if data and not gate.arrived(data, clock()):
                    receiver.feed(data)
                    batch = receiver.take()
            began, work = clock(), 0
            for kind, t, payload in coalesce(batch):
                while held_marks and held_marks[0][0] <= t:  # a marker made during a flood
                    mt, label = held_marks.pop(0)
                    out.emit(capture.marker(mt, label))
                if kind == channel.OUTPUT:
                    work += len(payload)
                    out.emit(capture.output(t, payload))
                elif kind == channel.INPUT:
                    out.emit(capture.input(t, payload))
                elif kind == channel.HIDDEN:
                    out.emit(capture.hidden(t, struct.unpack("<I", payload)[0]))
                elif kind == channel.RESIZE:
                    out.emit(capture.resize(t, *struct.unpack("<HH", payload)))
                elif kind == channel.CHILD and settings.sample_procs:
                    sampler = ProcSampler(struct.unpack("<I", payload)[0])
                elif kind == channel.EXIT:
                    status = struct.unpack("<i", payload)[0]
                elif kind == channel.GAP:
                    out.emit(capture.gap(t, struct.unpack("<Q", payload)[0]))
            if work:
                gate.worked(work, clock() - began)
            now = clock() - settings.t0
            if marks is not None and marks in ready:
                held_marks += [(now, label) for label in marks.accept()]
            aside = gate.deferring or gate.pending  # events stamped now would come too early
            if not aside:
                for t, label in held_marks:
                    out.emit(capture.marker(t, label))
                held_marks.clear()
                out.emit(capture.poll(now))
            if sampler is not None and now >= next_sample and not aside:
                out.emit(sampler.sample(now))
                next_sample = now + INTERVAL
            if now >= next_flush:
                out.flush()
                next_flush = now + FLUSH_INTERVAL
        for t, label in held_marks:
            out.emit(capture.marker(t, label))
        report("flood", f"{gate.floods} {gate.deferred}")
        out.emit(capture.finish(max(clock() - settings.t0, out.last_t), status))
        out.flush()
    finally:
        out.close()
        gate.close()
        if marks is not None:
            marks.close()


def coalesce(messages: list[channel.Message]) -> Iterator[channel.Message]:
    """Join runs of output read together and less than :data:`COALESCE` seconds apart.

    A busy program's output arrives in PTY-sized (~4 KiB) pieces; fewer, larger
    events make redaction and encoding much cheaper, and no player can show the
    difference.
    """
    run: list[bytes] = []
    start = 0.0
    size = 0
    for kind, t, payload in messages:
        if kind == channel.OUTPUT and run and t - start < COALESCE and size < COALESCE_BYTES:
            run.append(payload)
            size += len(payload)
            continue
        if run:
            yield channel.OUTPUT, start, b"".join(run)
            run = []
        if kind == channel.OUTPUT:
            run, start, size = [payload], t, len(payload)
        else:
            yield kind, t, payload
    if run:
        yield channel.OUTPUT, start, b"".join(run)


class Pipeline:
    """The loop's handle on the pipeline process."""

    def __init__(self, pid: int, feed: channel.Feed, back_fd: int) -> None:
        self.pid = pid
        self.feed = feed
        self.back_fd = back_fd
        self._buf = b""
        self.closed = False
        self.cpu = 0.0  # the pipeline's CPU seconds, once finished

    def messages(self) -> list[tuple[str, str]]:
        """Messages waiting on the back channel (call when it is readable)."""
        try:
            data = os.read(self.back_fd, 65536)
        except OSError:
            data = b""
        if not data:
            self.closed = True
        self._buf += data
        *lines, self._buf = self._buf.split(b"\n")
        out = []
        for line in lines:
            kind, _, text = line.decode("utf-8", "replace").partition(" ")
            out.append((kind, text))
        return out

    def wait_ready(self, timeout: float = 15.0) -> list[tuple[str, str]]:
        """Messages up to ``ready`` (or the pipeline's death)."""
        got: list[tuple[str, str]] = []
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            ready, _, _ = select.select([self.back_fd], [], [], deadline - time.monotonic())
            if ready:
                got += self.messages()
                if any(kind in ("ready", "fatal") for kind, _ in got):
                    break
        return got

    def finish(self) -> list[tuple[str, str]]:
        """Hand over what is left, wait for the pipeline to write it, return its last words."""
        self.feed.close()
        got: list[tuple[str, str]] = []
        while not self.closed:
            got += self.messages()
        os.close(self.back_fd)
        with contextlib.suppress(ChildProcessError):
            _, _, usage = os.wait4(self.pid, 0)
            self.cpu = usage.ru_utime + usage.ru_stime
        if self.feed.spool is not None:
            self.feed.spool.close()
        return got


def peak_rss_kb() -> int:
    """This process's peak RSS since it started its program (VmHWM; unlike ``ru_maxrss``
    it does not carry over what the parent used before ``exec``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def start(settings: Settings, spool_dir: str | None = None) -> Pipeline:
    """Fork the pipeline process."""
    read_fd, write_fd = os.pipe()
    back_r, back_w = os.pipe()
    channel.widen_pipe(write_fd)
    spool = channel.Spool.create(spool_dir)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            os.close(write_fd)
            os.close(back_r)
            for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGTERM,
                        signal.SIGWINCH, signal.SIGTSTP, signal.SIGTTOU, signal.SIGTTIN):
                signal.signal(sig, signal.SIG_IGN)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)

            def report(kind: str, text: str) -> None:
                line = f"{kind} {text}".replace("\n", " ") + "\n"
                with contextlib.suppress(OSError):
                    os.write(back_w, line.encode("utf-8", "replace"))

            try:
                serve(read_fd, report, settings, spool)
            except Exception as exc:  # report any failure to the loop, then end
                report("fatal" if settings.strict else "warn",
                       f"the recording stopped: {type(exc).__name__}: {exc}")
                code = 1
            report("peak-rss-kb", str(peak_rss_kb()))
            report("done", "")
        finally:
            os._exit(code)
    os.close(read_fd)
    os.close(back_w)
    return Pipeline(pid, channel.Feed(write_fd, spool), back_r)
