"""Where coterm keeps its files (XDG base directories, overridable by COTERM_HOME)."""

from __future__ import annotations

import os
from pathlib import Path


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var, "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / fallback


def data_dir() -> Path:
    """Recordings, the embedded relay's store, caches: ``$COTERM_HOME`` or
    ``$XDG_DATA_HOME/coterm`` (``~/.local/share/coterm``)."""
    home = os.environ.get("COTERM_HOME")
    if home:
        return Path(home)
    return _xdg("XDG_DATA_HOME", ".local/share") / "coterm"


def config_dir() -> Path:
    """``$COTERM_HOME/config`` or ``$XDG_CONFIG_HOME/coterm`` (``~/.config/coterm``)."""
    home = os.environ.get("COTERM_HOME")
    if home:
        return Path(home) / "config"
    return _xdg("XDG_CONFIG_HOME", ".config") / "coterm"


def cache_dir() -> Path:
    """Seek indexes and downloaded sessions."""
    home = os.environ.get("COTERM_HOME")
    if home:
        return Path(home) / "cache"
    return _xdg("XDG_CACHE_HOME", ".cache") / "coterm"


def recordings_dir() -> Path:
    return data_dir() / "recordings"
