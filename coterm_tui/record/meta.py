"""The session header: who recorded what, where, at which size.

Only ``SHELL`` and ``TERM`` are taken from the environment, never the rest of
it (environments hold tokens). coterm's own metadata goes in
``Header.extra["coterm"]``.
"""

from __future__ import annotations

import getpass
import os
import socket
import time
from collections.abc import Mapping, Sequence

from coterm_tui import __version__
from coterm_tui.core.events import Header

#: The only environment variables a recording keeps.
ENV_KEPT = ("SHELL", "TERM")


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def current_tty(fd: int = 0) -> str | None:
    try:
        return os.ttyname(fd)
    except OSError:
        return None


def ssh_client(env: Mapping[str, str]) -> str | None:
    """The client address from ``SSH_CONNECTION`` ("client port server port")."""
    parts = env.get("SSH_CONNECTION", "").split()
    return parts[0] if parts else None


def session_header(
    *,
    session_id: str,
    cols: int,
    rows: int,
    command: str | None,
    title: str | None = None,
    tags: Sequence[str] = (),
    idle_time_limit: float | None = None,
    env: Mapping[str, str] | None = None,
    tty: str | None = None,
    now: float | None = None,
) -> Header:
    """The header of a new recording."""
    env = os.environ if env is None else env
    kept = {k: env[k] for k in ENV_KEPT if k in env}
    coterm = {
        "session": session_id,
        "user": current_user(),
        "host": socket.gethostname(),
        "tty": tty,
        "ssh_client": ssh_client(env),
        "version": __version__,
    }
    return Header(
        cols=cols,
        rows=rows,
        term_type=env.get("TERM") or None,
        timestamp=int(time.time() if now is None else now),
        idle_time_limit=idle_time_limit,
        command=command,
        title=title,
        env=kept,
        tags=tuple(tags),
        extra={"coterm": coterm},
    )
