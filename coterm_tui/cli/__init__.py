"""The ``coterm`` command line: one module per subcommand, loaded on demand.

Each module in :data:`COMMANDS` defines ``register(subparsers)`` which adds its
parser and sets ``func`` (taking the parsed args, returning an exit status).
Errors derived from :class:`~coterm_tui.core.errors.CotermError` are printed as
one line on stderr with exit status 2 (or the error's own ``exit_code``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from coterm_tui import __version__
from coterm_tui.core.errors import CotermError

#: Subcommand modules under ``coterm_tui.cli``, in ``--help`` order.
COMMANDS: list[str] = [
    "record",
    "mark",
    "watch",
    "play",
    "snapshot",
    "cat",
    "export",
    "redact",
    "ls",
    "relay",
    "token",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coterm",
        description="Livestream, record, replay, search and audit terminal sessions.",
    )
    parser.add_argument("--version", action="version", version=f"coterm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"coterm_tui.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        status: int = args.func(args)
        return status
    except CotermError as exc:
        print(f"coterm: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 141
