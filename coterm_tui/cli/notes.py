"""``coterm notes FILE|ID [--json] [--sync ID]``: list a recording's notes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from coterm_tui.core.errors import UsageError
from coterm_tui.core.events import Note
from coterm_tui.core.notes import note_to_json
from coterm_tui.core.notes_file import read_notes, sidecar_path
from coterm_tui.core.timeline import format_time

from ._notes import is_file_target, relay_store, sidecar_store
from ._relayargs import add_relay_options


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "notes", help="list the notes of a session or recording",
        description="List the notes of a session on the relay (ID) or of a local recording "
        "(FILE, from FILE.notes.json), by time: time, author, text. With --sync, a local "
        "recording's notes are uploaded to its session on the relay (not duplicated when "
        "synced again) and the relay's notes are written back into the sidecar.")
    parser.add_argument("target", metavar="FILE|ID", help="a recording file or a session id")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list of objects: id, t, author, text, created, "
                        "edited")
    parser.add_argument("--sync", metavar="ID", nargs="?", const="",
                        help="FILE only: sync its notes with session ID on the relay "
                        "(default: the session the file was recorded as, or synced with)")
    add_relay_options(parser)
    parser.set_defaults(func=run)


def table(notes: list[Note]) -> str:
    rows = [(format_time(n.t, True), n.author, n.text) for n in notes]
    width = max((len(r[1]) for r in rows), default=0)
    return "\n".join(f"{t:>9}  {a.ljust(width)}  {text}" for t, a, text in rows)


def _sync(args: argparse.Namespace) -> None:
    from coterm_tui.client.notes import sync_sidecar
    from coterm_tui.core.asciicast import read_header

    path = Path(args.target).expanduser()
    sid = args.sync or read_notes(sidecar_path(path))[1] or str(
        read_header(path).coterm.get("session") or "")
    if not sid:
        raise UsageError(f"{args.target}: which session? (--sync ID)")
    up, down = sync_sidecar(path, relay_store(sid, args))
    print(f"synced with session {sid}: {up} uploaded, {down} received")


def run(args: argparse.Namespace) -> int:
    if is_file_target(args.target):
        if args.sync is not None:
            _sync(args)
        notes = sidecar_store(args.target).load()
    else:
        if args.sync is not None:
            raise UsageError("--sync takes a recording FILE (its notes go to session ID)")
        notes = relay_store(args.target, args).load()
    notes.sort(key=lambda n: (n.t, n.created, n.id))
    if args.json:
        print(json.dumps([note_to_json(n) for n in notes], indent=2, ensure_ascii=False))
    elif notes:
        print(table(notes))
    else:
        print("no notes")
    return 0
