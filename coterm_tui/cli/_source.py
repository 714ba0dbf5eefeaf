"""Where a command's recording comes from, and how reading problems are reported.

``resolve_source`` turns a command-line argument into the path of an asciicast
file. Today that is a file path; the relay client extends it to session IDs
(fetching the recording first), so every command that reads a recording goes
through this one function.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from coterm_tui.core.errors import UsageError


def resolve_source(arg: str) -> Path:
    """The asciicast file named by ``arg`` (a path); UsageError when there is none."""
    path = Path(arg).expanduser()
    if path.is_file():
        return path
    if path.exists():
        raise UsageError(f"{arg}: not a regular file")
    raise UsageError(f"{arg}: no such file")


def print_warnings(warnings: Iterable[str]) -> None:
    """Report non-fatal problems (a truncated last line…) on stderr."""
    for warning in warnings:
        print(f"coterm: warning: {warning}", file=sys.stderr)
