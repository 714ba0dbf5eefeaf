"""Notes of a local recording, kept in a sidecar beside it: ``FILE.notes.json``.

::

    {"version": 1, "session": "<relay session id or null>",
     "notes": [{"id": "…", "t": 12.5, "author": "ana@box", "text": "…",
                "created": 1700000000.0, "edited": null}]}

The same shape (with ``"session"`` set) is what ``coterm export`` writes beside
an export (``OUT.notes.json``). Writes are atomic (temporary file + rename), so
a crash never leaves half a sidecar; deleted notes are simply left out.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .atomic import atomic_write
from .errors import CotermError, EventError, UsageError
from .events import Note
from .notes import (
    NoteBook,
    check_text,
    check_time,
    clean_author,
    new_note_id,
    note_from_json,
    note_to_json,
)

__all__ = ["SIDECAR_SUFFIX", "SidecarNotes", "read_notes", "sidecar_path", "write_notes"]

SIDECAR_SUFFIX = ".notes.json"
#: A sidecar bigger than this is refused (thousands of full-length notes).
MAX_SIDECAR_BYTES = 32 << 20
VERSION = 1


def sidecar_path(recording: str | Path) -> Path:
    path = Path(recording)
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_notes(path: Path) -> tuple[list[Note], str | None]:
    """The notes in a sidecar and the relay session it belongs to; ``([], None)``
    when it does not exist. A malformed sidecar raises :class:`UsageError`."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_SIDECAR_BYTES + 1)
    except FileNotFoundError:
        return [], None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read notes: {exc.strerror}") from None
    if len(raw) > MAX_SIDECAR_BYTES:
        raise UsageError(f"{path}: notes file larger than {MAX_SIDECAR_BYTES >> 20} MB")
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("notes"), list):
            raise EventError('expected an object with a "notes" list')
        session = data.get("session")
        if session is not None and not isinstance(session, str):
            raise EventError('"session" must be a string or null')
        return [note_from_json(n) for n in data["notes"]], session
    except (ValueError, EventError) as exc:
        raise UsageError(f"{path}: malformed notes file: {exc}") from None


def notes_document(notes: Iterable[Note], session: str | None) -> dict[str, Any]:
    ordered = sorted((n for n in notes if not n.deleted), key=lambda n: (n.t, n.created, n.id))
    return {"version": VERSION, "session": session,
            "notes": [note_to_json(n) for n in ordered]}


def write_notes(path: Path, notes: Iterable[Note], session: str | None = None) -> None:
    """Replace ``path`` atomically with these notes."""
    text = json.dumps(notes_document(notes, session), indent=1, ensure_ascii=False) + "\n"
    try:
        with atomic_write(path, fsync=True) as f:
            f.write(text.encode("utf-8"))
    except OSError as exc:
        raise CotermError(f"{path}: cannot write notes: {exc.strerror}") from None


class SidecarNotes:
    """The notes of a local recording, read and rewritten whole on each change
    (sidecars are small; re-reading picks up changes made by another process)."""

    def __init__(self, recording: str | Path, author: str) -> None:
        self.path = sidecar_path(recording)
        self.author = clean_author(author)

    def load(self) -> list[Note]:
        return read_notes(self.path)[0]

    def _save(self, book: NoteBook) -> None:
        write_notes(self.path, book.notes(), read_notes(self.path)[1])

    def add(self, t: float, text: str, end: float | None = None) -> Note:
        note = Note(check_time(t, end), new_note_id(), self.author, check_text(text),
                    time.time())
        book = NoteBook(self.load())
        book.apply(note)
        self._save(book)
        return note

    def _own(self, book: NoteBook, note_id: str) -> Note:
        note = book.get(note_id)
        if note is None:
            raise UsageError(f"no note {note_id}")
        if note.author != self.author:
            raise UsageError(f"note {note_id} is {note.author}'s; only its author may change it")
        return note

    def edit(self, note_id: str, text: str) -> Note:
        book = NoteBook(self.load())
        note = replace(self._own(book, note_id), text=check_text(text), edited=time.time())
        book.apply(note)
        self._save(book)
        return note

    def delete(self, note_id: str) -> Note:
        book = NoteBook(self.load())
        note = replace(self._own(book, note_id), deleted=True, edited=time.time())
        book.apply(note)
        self._save(book)
        return note
