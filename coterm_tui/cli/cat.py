"""``coterm cat FILE``: the recording's output, raw, on stdout."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from coterm_tui.core.asciicast import open_cast
from coterm_tui.core.events import Output

from ._relayargs import add_relay_options
from ._source import print_warnings, resolve_source

_CHUNK = 1 << 16


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "cat",
        help="write a recording's output to stdout",
        description=(
            "Write the concatenated output of a recording (asciicast v1, v2 or v3) to "
            "stdout, byte for byte as the program wrote it, escape sequences included: "
            "in a terminal this replays the session at full speed. A bad line stops "
            "with 'coterm: FILE:LINE: reason' and exit status 2, after the output "
            "that precedes it; a truncated last line is skipped with a warning."
        ),
    )
    parser.add_argument("file", metavar="FILE",
                        help="the recording (.cast) or a session id on the relay")
    add_relay_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = resolve_source(args.file, args.relay, args.token)
    out = sys.stdout.buffer
    with open_cast(path) as reader:
        chunk: list[bytes] = []
        size = 0
        try:
            for event in reader.events():
                if type(event) is Output:
                    data = event.data.encode("utf-8", "replace")
                    chunk.append(data)
                    size += len(data)
                    if size >= _CHUNK:
                        out.write(b"".join(chunk))
                        chunk, size = [], 0
        finally:
            try:
                out.write(b"".join(chunk))
                out.flush()
            except BrokenPipeError:
                _silence_stdout()
                raise
        print_warnings(reader.warnings)
    return 0


def _silence_stdout() -> None:
    """After the reader of a pipe went away (``coterm cat x | head``), point stdout
    at /dev/null so Python's exit-time flush does not complain."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
