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
    "note",
    "notes",
]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or only the subcommand ``only`` (each subcommand's
    module imports what it needs, the relay and Textual among them: ``coterm record``
    starts the recorded program sooner without loading the others)."""
    parser = argparse.ArgumentParser(
        prog="coterm",
        description="Livestream, record, replay, search and audit terminal sessions.",
    )
    parser.add_argument("--version", action="version", version=f"coterm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if only is None else [only]:
        module = importlib.import_module(f"coterm_tui.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words[0] if words and words[0] in COMMANDS else None)
    args = parser.parse_args(words)
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
