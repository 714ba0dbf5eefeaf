"""User configuration: ``config.toml`` in :func:`~coterm_tui.core.paths.config_dir`.

::

    [relay]
    url = "http://127.0.0.1:8765"   # or COTERM_RELAY; unset = the embedded local relay
    token = "…"                     # or COTERM_TOKEN

    [user]
    name = "ana"                    # shown with notes; default user@host

    [redact]
    allowlist = ["EXAMPLE[A-Z0-9]+"]
    [[redact.rules]]
    name = "acme-key"
    pattern = "acme_[a-z0-9]{32}"
    keywords = ["acme_"]

Precedence for every value: command-line flag, then environment, then this file.
"""

from __future__ import annotations

import getpass
import os
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coterm_tui.core.errors import UsageError
from coterm_tui.core.paths import config_dir


@dataclass(frozen=True)
class Config:
    relay_url: str | None = None
    token: str | None = None
    name: str = ""
    redact: Mapping[str, Any] = field(default_factory=dict)
    path: Path | None = None


def default_name() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    return f"{user}@{socket.gethostname()}"


def config_path() -> Path:
    return Path(os.environ.get("COTERM_CONFIG") or config_dir() / "config.toml")


def load_config(path: Path | None = None) -> Config:
    """Read the config file (absent is fine) and apply the environment over it."""
    path = path or config_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"{path}: cannot read config: {exc}") from exc
    relay = data.get("relay", {})
    user = data.get("user", {})
    redact = data.get("redact", {})
    for section, value in (("relay", relay), ("user", user), ("redact", redact)):
        if not isinstance(value, Mapping):
            raise UsageError(f"{path}: [{section}] must be a table")
    return Config(
        relay_url=os.environ.get("COTERM_RELAY") or relay.get("url") or None,
        token=os.environ.get("COTERM_TOKEN") or relay.get("token") or None,
        name=os.environ.get("COTERM_NAME") or user.get("name") or default_name(),
        redact=redact,
        path=path,
    )
