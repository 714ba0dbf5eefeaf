"""One recorded session, start to finish: pipeline, shell integration, passthrough.

The order matters: the pipeline process is forked first (so it holds no PTY
and the shell inherits none of its pipes), it builds the sinks and reports
``ready`` (or why it cannot record), only then is the program started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coterm_tui.core.errors import UsageError

from . import pipeline
from .marks import SESSION_ENV, SOCKET_ENV
from .pty_loop import Loop
from .ptys import raw_mode, spawn
from .shell import inject

if TYPE_CHECKING:
    from .sinks import Sink


@dataclass(frozen=True)
class Session:
    session_id: str
    argv: Sequence[str]
    cols: int
    rows: int
    make_sinks: Callable[[], list[Sink]]
    redactor: Any | None
    record_input: bool = True
    strict: bool = False
    env: Mapping[str, str] | None = None
    #: Sinks made after the program has started (the relay uplink).
    make_late_sinks: Callable[[], list[Sink]] | None = None


@dataclass
class Outcome:
    status: int
    warnings: list[str]
    stats: dict[str, int]


def say(text: str) -> None:
    """One line to the user's terminal, readable in raw mode too."""
    with contextlib.suppress(OSError):
        os.write(2, f"\r\ncoterm: {text}\r\n".encode("utf-8", "replace"))


def record(session: Session, announce: Callable[[], None],
           stdin: int = 0, stdout: int = 1) -> Outcome:
    """Run the session; returns the program's exit status and what went wrong, if anything."""
    env = dict(os.environ if session.env is None else session.env)
    workdir = Path(tempfile.mkdtemp(prefix=f"coterm-{session.session_id}-"))
    warnings: list[str] = []
    try:
        launch = inject(session.argv, env, workdir)
        sock = str(workdir / "mark.sock")
        env.update(launch.env)
        env[SESSION_ENV] = session.session_id
        env[SOCKET_ENV] = sock
        t0 = time.monotonic()
        pipe = pipeline.start(pipeline.Settings(
            t0=t0, make_sinks=session.make_sinks, make_late_sinks=session.make_late_sinks,
            redactor=session.redactor,
            record_input=session.record_input, strict=session.strict, mark_path=sock,
            backlog_dir=str(workdir),
        ), spool_dir=str(workdir))

        def notice(kind: str, text: str) -> None:
            warnings.append(text)
            say(text)

        for kind, text in pipe.wait_ready():
            if kind == "fatal":
                pipe.finish()
                raise UsageError(text)
            if kind == "warn":
                notice(kind, text)
        announce()

        gone: list[bool] = []

        def on_back() -> bool | None:
            end = False
            for kind, text in pipe.messages():
                if kind in ("warn", "fatal"):
                    notice(kind, text)
                    end = end or kind == "fatal"
            if pipe.closed:
                if not gone and not end:
                    gone.append(True)
                    notice("warn", "the recording process ended unexpectedly; "
                                   "nothing more is recorded")
                return None
            return end

        with raw_mode(stdin) as attrs:
            pid, master = spawn(launch.argv, env, session.cols, session.rows, attrs)
            loop = Loop(pid=pid, master=master, feed=pipe.feed, t0=t0, stdin=stdin, stdout=stdout,
                        record_input=session.record_input, back_fd=pipe.back_fd,
                        on_back=on_back, strict=session.strict, notice=notice)
            status = loop.run()
        loop_cpu = sum(os.times()[:2])
        if pipe.feed.pending:
            say("saving the rest of the recording…")
        stats: dict[str, int] = {}
        for kind, text in pipe.finish():
            if kind in ("warn", "fatal"):
                notice(kind, text)
            elif kind == "note":
                say(text)
            elif kind == "peak-rss-kb" and text.isdigit():
                stats["pipeline_peak_rss_kb"] = int(text)
            elif kind == "flood" and text.replace(" ", "").isdigit():
                floods, deferred = text.split()
                stats.update(floods_stood_aside=int(floods), flood_deferred_bytes=int(deferred))
        stats.update(feed_peak_bytes=pipe.feed.peak_mem, feed_spilled_bytes=pipe.feed.spilled,
                     loop_peak_rss_kb=pipeline.peak_rss_kb(),
                     loop_cpu_ms=int(loop_cpu * 1000), pipeline_cpu_ms=int(pipe.cpu * 1000))
        return Outcome(status, warnings, stats)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
