"""``coterm record``: record a shell (or one command) into an asciicast v3 file."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

from coterm_tui.config import load_config
from coterm_tui.core.errors import UsageError
from coterm_tui.core.events import Header
from coterm_tui.core.ids import new_session_id
from coterm_tui.core.paths import recordings_dir
from coterm_tui.record.marks import SESSION_ENV
from coterm_tui.record.meta import current_tty, session_header
from coterm_tui.record.procs import INTERVAL
from coterm_tui.record.ptys import get_size
from coterm_tui.record.session import Session, record
from coterm_tui.record.sinks import FileSink, Sink

from ._relayargs import add_relay_options
from ._uplink import prepare_uplink, uplink_sinks, watch_line

EPILOG = f"""\
Command events (command line, cwd, start, end, exit code) come from shell
integration that coterm injects into bash, zsh and fish without touching your
dotfiles; other shells, login shells and shells started with arguments are
recorded fully, but without command events.

Processes run beneath the shell are sampled from /proc every {int(INTERVAL * 1000)} ms:
a process that starts and exits between two samples is missed, and so is the
cwd of one you may not inspect.

Input typed while the terminal shows no echo (password prompts) is never
stored: a hidden-input marker is. Secrets are masked before anything is
written. Inside a session, `coterm mark LABEL` adds a marker.
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "record", help="record a shell or a command into an asciicast file",
        description="Record a shell (default: $SHELL) or one command in a PTY. The terminal\n"
                    "behaves as usual; output, input, resizes, commands and processes are\n"
                    "captured, secrets masked, and written to an asciicast v3 file.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--file", "-f", type=Path,
                   help="where to write the recording (default: "
                        "<data dir>/recordings/<session id>.cast)")
    p.add_argument("--title", help="a title for the recording")
    p.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    p.add_argument("--no-input", action="store_true", help="do not record keystrokes")
    p.add_argument("--no-relay", action="store_true", help="do not stream to a relay")
    add_relay_options(p)
    p.add_argument("--strict", action="store_true",
                   help="refuse to start if the recording cannot be written, and end the "
                        "session if writing fails (default: carry on and warn)")
    p.add_argument("--force", action="store_true",
                   help="record even inside another coterm recording")
    p.add_argument("--idle-time-limit", type=float, metavar="SECONDS",
                   help="players compress pauses longer than this (a header field)")
    p.add_argument("command", nargs=argparse.REMAINDER, metavar="-- CMD ARGS",
                   help="the command to record (default: your shell)")
    p.set_defaults(func=run)


def build_sinks(args: argparse.Namespace, header: Header, session_id: str) -> list[Sink]:
    """The session's file (made in the capture process before the program starts; the
    relay uplink, unless ``--no-relay``, follows once it has: see ``uplink_sinks``)."""
    return [FileSink(recording_path(args, session_id), header)]


def recording_path(args: argparse.Namespace, session_id: str) -> Path:
    return args.file if args.file is not None else recordings_dir() / f"{session_id}.cast"


def start_lines(args: argparse.Namespace, session_id: str) -> list[str]:
    """What the user sees when the session starts (stderr)."""
    return [f"coterm: recording session {session_id} → {recording_path(args, session_id)}",
            *watch_line(args, session_id)]


def _command(args: argparse.Namespace) -> list[str]:
    cmd = list(args.command)
    if cmd and cmd[0] == "--":
        cmd = cmd[1:]
    if not cmd:
        cmd = [os.environ.get("SHELL") or "/bin/sh"]
    if shutil.which(cmd[0]) is None:
        raise UsageError(f"command not found: {cmd[0]}")
    return cmd


def run(args: argparse.Namespace) -> int:
    nested = os.environ.get(SESSION_ENV)
    if nested and not args.force:
        raise UsageError(f"already recording (session {nested}); "
                         "exit that session first, or use --force to record inside it")
    if args.idle_time_limit is not None and not args.idle_time_limit > 0:
        raise UsageError("--idle-time-limit must be a positive number of seconds")
    argv = _command(args)
    prepare_uplink(args)
    session_id = new_session_id()
    path = recording_path(args, session_id)
    if path.exists():
        raise UsageError(f"{path} exists; choose another --file")
    if args.strict and not _writable(path.parent):
        raise UsageError(f"cannot write to {path.parent} (--strict)")
    redactor = _redactor()
    cols, rows = get_size(0) or get_size(1) or (80, 24)
    mask = (lambda text: redactor.mask(text)[0]) if redactor is not None else str
    header = session_header(  # ``coterm record -- psql postgres://u:pw@db``: mask the header too
        session_id=session_id, cols=cols, rows=rows, command=mask(shlex.join(argv)),
        title=args.title and mask(args.title), tags=args.tag, idle_time_limit=args.idle_time_limit,
        tty=current_tty(0))
    session = Session(
        session_id=session_id, argv=argv, cols=cols, rows=rows,
        make_sinks=lambda: build_sinks(args, header, session_id), redactor=redactor,
        make_late_sinks=lambda: list(uplink_sinks(args, header, session_id)),
        record_input=not args.no_input, strict=args.strict)

    def announce() -> None:
        for line in start_lines(args, session_id):
            print(line, file=sys.stderr, flush=True)

    outcome = record(session, announce)
    if os.environ.get("COTERM_BENCH_STATS"):
        _tell(f"coterm: stats {json.dumps(outcome.stats)}")
    if path.exists() and not outcome.warnings:
        _tell(f"coterm: recording saved to {path}")
    elif path.exists():
        _tell(f"coterm: recording (incomplete) in {path}")
    else:
        _tell("coterm: nothing was recorded")
    return outcome.status


def _tell(line: str) -> None:
    """A last word on stderr, which may be a terminal that has gone (SIGHUP)."""
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr, flush=True)


def _writable(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(directory, os.W_OK | os.X_OK)


def _redactor() -> Any | None:
    """The configured redactor; None only for the benchmark's redaction-off run."""
    if os.environ.get("COTERM_BENCH_NO_REDACT") == "1":
        return None
    from coterm_tui.core.redact import load_redactor

    return load_redactor(load_config().redact)
