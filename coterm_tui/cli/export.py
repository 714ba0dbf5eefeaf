"""``coterm export FILE --format v3|v2|txt [-o OUT]``: convert a recording.

Nothing is written unless the whole input reads: the result goes to a temporary
file beside OUT (or a spooled temporary file for stdout) and replaces OUT only
on success, so a bad line never leaves half a file (exporting a file onto
itself is therefore safe). A truncated last line is skipped with a warning.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from coterm_tui.core.asciicast import CastReader, CastWriter, Comment, open_cast
from coterm_tui.core.atomic import atomic_write
from coterm_tui.core.events import Note, Output
from coterm_tui.core.notes import with_note_markers
from coterm_tui.core.notes_file import read_notes, sidecar_path, write_notes
from coterm_tui.core.plaintext import PlainText

from ._relayargs import add_relay_options
from ._source import print_warnings, resolve_source

FORMATS = ("v3", "v2", "txt")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export",
        help="convert a recording to asciicast v3, v2 or a plain-text transcript",
        description=(
            "Convert a recording (asciicast v1, v2 or v3). v3 and v2 play in asciinema; "
            "coterm's own events (commands, notes…) are kept under codes asciinema "
            "ignores, comments only in v3. txt is a transcript of the output: escape "
            "sequences removed, carriage-return redraws resolved, full-screen programs "
            "omitted. Notes (FILE.notes.json) become markers 'note: AUTHOR: TEXT' "
            "(asciinema shows them as chapters) and are copied in full to OUT.notes.json. "
            "On a bad line: 'coterm: FILE:LINE: reason', exit status 2, and "
            "nothing written."
        ),
    )
    parser.add_argument("file", metavar="FILE",
                        help="the recording to convert (.cast, or a session id on the relay)")
    add_relay_options(parser)
    parser.add_argument("-f", "--format", choices=FORMATS, default="v3",
                        help="output format (default: v3)")
    parser.add_argument("-o", "--output", metavar="OUT", default="-",
                        help="where to write; '-' (the default) is stdout")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = resolve_source(args.file, args.relay, args.token)
    notes, session = read_notes(sidecar_path(path))
    with open_cast(path) as reader:
        if args.output == "-":
            with tempfile.TemporaryFile() as spool:
                convert(reader, spool, args.format, notes)
                spool.seek(0)
                shutil.copyfileobj(spool, sys.stdout.buffer)
                sys.stdout.buffer.flush()
        else:
            _export_to_file(reader, Path(args.output), args.format, notes)
            if notes:  # in full beside the export (the markers carry only author: text)
                session = session or reader.header.coterm.get("session")
                write_notes(sidecar_path(args.output), notes,
                            session if isinstance(session, str) else None)
        print_warnings(reader.warnings)
    return 0


def _export_to_file(reader: CastReader, out: Path, fmt: str, notes: list[Note]) -> None:
    with atomic_write(out) as f:
        convert(reader, f, fmt, notes)


def convert(reader: CastReader, target: IO[bytes], fmt: str,
            notes: Sequence[Note] = ()) -> None:
    """Write ``reader``'s recording to ``target`` in ``fmt`` (one of FORMATS), with a
    marker for each of ``notes``."""
    if fmt == "txt":
        text = PlainText()
        for event in reader.events():
            if type(event) is Output:
                target.write(text.feed(event.data).encode("utf-8", "replace"))
        target.write(text.finish().encode("utf-8", "replace"))
        return
    with CastWriter(target, reader.header, 3 if fmt == "v3" else 2) as writer:
        records = (item for _, item in reader.iter_records())
        for item in with_note_markers(records, notes):  # notes become asciicast markers
            if isinstance(item, Comment):
                writer.comment(item.text)
            else:
                writer.write(item)
