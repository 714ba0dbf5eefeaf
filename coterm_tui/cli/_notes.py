"""Where ``coterm note``/``coterm notes`` keep a recording's notes: the sidecar of
a local FILE, or the relay for a session ID."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coterm_tui.config import load_config
from coterm_tui.core.asciicast import open_cast
from coterm_tui.core.errors import UsageError
from coterm_tui.core.ids import is_session_id
from coterm_tui.core.notes_file import SidecarNotes

from ._relayargs import target_from

if TYPE_CHECKING:
    from coterm_tui.client.notes import RelayNotes


def recording_end(path: Path) -> float:
    """The time of a recording's last event (reads the whole file)."""
    end = 0.0
    with open_cast(path) as reader:
        for event in reader.events():
            end = max(end, event.t)
    return end


def is_file_target(arg: str) -> bool:
    path = Path(arg).expanduser()
    if path.is_file():
        return True
    if is_session_id(arg) and not path.exists():
        return False
    raise UsageError(f"{arg}: neither a recording file nor a session id")


def sidecar_store(arg: str) -> SidecarNotes:
    return SidecarNotes(Path(arg).expanduser(), load_config().name)


def relay_store(arg: str, args: argparse.Namespace) -> RelayNotes:
    from coterm_tui.client.notes import RelayNotes

    return RelayNotes(target_from(args), arg, load_config().name)


def player_notes(arg: str, path: Path, args: argparse.Namespace) -> tuple[Any, Any]:
    """The notes backend of ``coterm play ARG`` and how to follow others' changes:
    the sidecar for a file, the relay for a session id (followed over /ws/notes)."""
    if Path(arg).expanduser().is_file():
        return SidecarNotes(path, load_config().name), None
    from coterm_tui.client.notes import follow_notes

    store = relay_store(arg, args)
    return store, lambda: follow_notes(store.target, arg)
