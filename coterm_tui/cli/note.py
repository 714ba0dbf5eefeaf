"""``coterm note FILE|ID [--at T] TEXT``: leave a timestamped note."""

from __future__ import annotations

import argparse
from pathlib import Path

from coterm_tui.core.notes import check_text, parse_at
from coterm_tui.core.timeline import format_time

from ._notes import is_file_target, recording_end, relay_store, sidecar_store
from ._relayargs import add_relay_options


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "note", help="leave a timestamped note on a session or recording",
        description="Pin a note to a moment of a session on the relay (ID) or of a local "
        "recording (FILE: kept in FILE.notes.json beside it). Every viewer of the session "
        "sees it at once, as a mark on the timeline. The author is your token's name, or "
        "[user] name in the config (default user@host). Text is plain (control characters "
        "are removed), at most 2,000 characters. A time past the end of the recording is "
        "refused with exit status 1.")
    parser.add_argument("target", metavar="FILE|ID", help="a recording file or a session id")
    parser.add_argument("text", nargs="+", help="the note (several words are joined)")
    parser.add_argument("--at", metavar="T",
                        help="when: seconds (724.5) or [h:]mm:ss (12:04); default: now for a "
                        "live session, the end for a finished one")
    add_relay_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = check_text(" ".join(args.text))
    at = None if args.at is None else parse_at(args.at)
    if is_file_target(args.target):
        end = recording_end(Path(args.target).expanduser())
        note = sidecar_store(args.target).add(end if at is None else at, text, end)
    else:
        note = relay_store(args.target, args).add(at, text)
    print(f"{note.id}  {format_time(note.t, True)}  {note.author}")
    return 0
