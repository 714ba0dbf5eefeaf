"""Snapshots of notes in the player: the note input, the timeline with notes, the
notes panel. A local recording with a sidecar of fixed notes, opened paused, so
every run draws the same screen.

``python -m tests.tui.test_notes_snapshots`` writes the same screens to
``screenshots/notes-*.svg``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.widgets import Input

from coterm_tui.core.asciicast import CastWriter
from coterm_tui.core.events import Header, Note, Output
from coterm_tui.core.notes_file import SidecarNotes, write_notes

from .helpers import open_player, settle, wait_until

SIZE = (90, 22)
PROMPT = "\x1b[1;32mana@db1\x1b[0m:\x1b[1;34m/var/lib/pg\x1b[0m$ "
NOTES = [
    Note(14.0, "0000000000000001", "bo@web-3", "first 5xx alerts fire here", 1.0),
    Note(31.5, "0000000000000002", "ana@box", "disk full: /var/lib/pg at 100%", 2.0),
    Note(47.0, "0000000000000003", "cy", "log rotation freed 12 GB, writes resume", 3.0),
]


def incident(folder: Path) -> Path:
    """A 60 s recording of a disk filling up, with three notes in its sidecar."""
    path = folder / "incident-4711.cast"
    lines = [PROMPT + "df -h /var/lib/pg\r\n",
             "Filesystem      Size  Used Avail Use% Mounted on\r\n",
             "/dev/nvme1n1    200G  188G   12G  94% /var/lib/pg\r\n",
             PROMPT + "tail -f postgresql.log\r\n",
             "\x1b[33mWARNING\x1b[0m:  could not write to file: No space left on device\r\n",
             "\x1b[31mPANIC\x1b[0m:  could not write to log file\r\n"]
    with CastWriter(path, Header(cols=60, rows=8, title="incident 4711")) as w:
        for i, line in enumerate(lines):
            w.write(Output(i * 6.0, line))
        w.write(Output(60.0, ""))
    write_notes(path.with_name(path.name + ".notes.json"), NOTES)
    return path


def player(folder: Path) -> Any:
    path = incident(folder)
    return open_player(path, at=36.0, notes=SidecarNotes(path, "ana@box"))


async def loaded(pilot: Any) -> None:
    await settle(pilot)
    await wait_until(pilot, lambda: len(pilot.app.notebook) == len(NOTES))
    await pilot.pause()


async def timeline(pilot: Any) -> None:
    await loaded(pilot)


async def note_input(pilot: Any) -> None:
    await loaded(pilot)
    await pilot.press("n")
    await pilot.pause()
    pilot.app.screen.query_one(Input).value = "replica lag spikes to 40 s"
    await pilot.pause()


async def note_added(pilot: Any) -> None:
    await note_input(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: len(pilot.app.notebook) == len(NOTES) + 1)
    from textual.widgets._toast import Toast

    await wait_until(pilot, lambda: bool(pilot.app.screen.query(Toast)))
    await pilot.pause()


async def notes_panel(pilot: Any) -> None:
    await loaded(pilot)
    await pilot.press("N", "down")
    await pilot.pause()


def test_timeline_with_notes(snap_compare: Any, tmp_path: Path) -> None:
    """✎ marks at 14 s, 31.5 s and 47 s of 60 s on the timeline; paused at 36 s."""
    assert snap_compare(player(tmp_path), terminal_size=SIZE, run_before=timeline)


def test_note_input(snap_compare: Any, tmp_path: Path) -> None:
    """The input pinned to 00:36.0 above the timeline, with typed text."""
    assert snap_compare(player(tmp_path), terminal_size=SIZE, run_before=note_input)


def test_note_added_toast_and_mark(snap_compare: Any, tmp_path: Path) -> None:
    """After Enter: the toast (author, time, text) and a fourth ✎ mark at 36 s."""
    assert snap_compare(player(tmp_path), terminal_size=SIZE, run_before=note_added)


def test_notes_panel(snap_compare: Any, tmp_path: Path) -> None:
    """Time, author, text of the three notes; the second (ana's own) selected."""
    assert snap_compare(player(tmp_path), terminal_size=SIZE, run_before=notes_panel)


SCREENS: dict[str, Callable[[Any], Awaitable[None]]] = {
    "notes-timeline": timeline, "notes-input": note_input, "notes-added": note_added,
    "notes-panel": notes_panel}


async def save_screenshots(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, scenario in SCREENS.items():
        with tempfile.TemporaryDirectory() as tmp:
            app = player(Path(tmp))
            async with app.run_test(size=SIZE, notifications=True) as pilot:
                await scenario(pilot)
                app.save_screenshot(f"{name}.svg", str(out))


if __name__ == "__main__":
    asyncio.run(save_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
