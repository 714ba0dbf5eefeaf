"""``coterm snapshot FILE --at T``: the screen at one moment, as text, ANSI or SVG.

A time past the end of the recording is an error (exit 2, naming the
duration) rather than a silent final screen: use ``--at end`` for that. A bad
line is an error too when the screen at T could depend on it (T is at or after
the last good event before it); earlier times still work.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coterm_tui.core.errors import UsageError
from coterm_tui.core.timeline import format_time

from ._args import time_arg
from ._relayargs import add_relay_options
from ._source import print_warnings, resolve_source

FORMATS = ("txt", "ansi", "svg")


def _at(text: str) -> float | None:
    return None if text == "end" else time_arg(text)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "snapshot", help="print the screen of a recording at a given time",
        description="Print the terminal screen of a recording as it was at time T: plain "
                    "rows (txt), with colours (ansi), or a picture (svg) for write-ups.")
    p.add_argument("source", metavar="FILE|ID",
                   help="an asciicast file, or a session id on the relay")
    add_relay_options(p)
    p.add_argument("--at", type=_at, required=True, metavar="T",
                   help="seconds, [h:]mm:ss, or 'end' for the final screen")
    p.add_argument("--format", choices=FORMATS, default="txt", help="output format (txt)")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="OUT",
                   help="write to OUT instead of stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coterm_tui.core.replay import Replayer
    from coterm_tui.core.source import FileSource
    from coterm_tui.core.terminal.render import render_ansi, render_svg, render_text

    source = FileSource(resolve_source(args.source, args.relay, args.token))
    try:
        rep = Replayer(source)
        target = float("inf") if args.at is None else args.at
        rep.seek(target)
        if rep.ended and target > rep.t:
            if rep.cast_error is not None:
                raise rep.cast_error
            if args.at is not None:
                raise UsageError(f"{args.source}: --at {format_time(args.at, True)} is past "
                                 f"the end of the recording ({format_time(rep.t, True)}); "
                                 "use --at end for the final screen")
        term = rep.term
        if args.format == "txt":
            out = render_text(term)
        elif args.format == "ansi":
            out = render_ansi(term)
        else:
            out = render_svg(term, title=source.header.title or source.name)
    finally:
        source.close()
    if args.output is not None:
        try:
            args.output.write_text(out, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{args.output}: {exc.strerror}") from None
    else:
        sys.stdout.write(out)
        if out and not out.endswith("\n"):
            sys.stdout.write("\n")
    print_warnings(source.warnings)
    return 0
