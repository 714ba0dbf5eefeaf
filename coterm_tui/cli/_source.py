"""Where a command's recording comes from, and how reading problems are reported.

``resolve_source`` turns a command-line argument into the path of an asciicast
file: an existing file is used as is; otherwise a session id is downloaded from
the relay (``--relay``/``COTERM_RELAY``/config, else the embedded relay) as
asciicast v3 into ``cache_dir()/sessions/<id>.cast``. Every command that reads a
recording goes through this one function.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from coterm_tui.core.errors import CotermError, UsageError
from coterm_tui.core.ids import is_session_id
from coterm_tui.core.paths import cache_dir


def resolve_source(arg: str, relay: str | None = None, token: str | None = None) -> Path:
    """The asciicast file named by ``arg`` (a path, or a session id on the relay);
    UsageError when there is none."""
    path = Path(arg).expanduser()
    if path.is_file():
        return path
    if path.exists():
        raise UsageError(f"{arg}: not a regular file")
    if is_session_id(arg):
        return fetch_session(arg, relay, token)
    raise UsageError(f"{arg}: no such file")


def fetch_session(sid: str, relay: str | None = None, token: str | None = None) -> Path:
    """Download session ``sid`` as asciicast v3 into the cache (a cached copy is used,
    with a warning, when the relay cannot be reached)."""
    from coterm_tui.client import api, resolve_relay

    dest = cache_dir() / "sessions" / f"{sid}.cast"
    try:
        return api.download(resolve_relay(relay, token), sid, dest)
    except UsageError:
        raise UsageError(f"{sid}: no such file or session") from None
    except CotermError as exc:
        if dest.is_file():
            print_warnings([f"{exc}; using the copy cached at {dest}"])
            return dest
        raise


def print_warnings(warnings: Iterable[str]) -> None:
    """Report non-fatal problems (a truncated last line…) on stderr."""
    for warning in warnings:
        print(f"coterm: warning: {warning}", file=sys.stderr)
