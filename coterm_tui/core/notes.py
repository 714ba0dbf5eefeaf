"""Responders' notes, independent of where they are kept (relay, sidecar file).

A note is a :class:`~.events.Note`: recording time ``t``, an id, the author, plain
text, Unix times ``created``/``edited``. Everything that crosses a boundary — a
REST body, a wire message, a sidecar file, a token name — goes through
:func:`clean_text`/:func:`clean_author`, so a note can never carry an escape
sequence into another viewer's terminal: C0 and C1 control characters (ESC, CSI,
OSC's introducers, BEL…), DEL and bidirectional overrides are removed, newlines
and tabs become spaces.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from .errors import EventError, UsageError
from .events import Marker, Note
from .timeline import format_time, parse_time

__all__ = [
    "MAX_AUTHOR",
    "MAX_NOTE",
    "NoteBook",
    "NoteMarkers",
    "PastEnd",
    "clean_author",
    "clean_text",
    "is_note_id",
    "marker_for",
    "new_note_id",
    "note_from_json",
    "note_to_json",
    "parse_at",
    "with_note_markers",
]

#: Longest note text, in characters (after cleaning).
MAX_NOTE = 2000
#: Longest author name, in characters.
MAX_AUTHOR = 100

_T = TypeVar("_T")

# C0 (incl. ESC), DEL, C1 (incl. the 8-bit CSI/OSC/ST), line/paragraph separators,
# bidirectional embeddings/overrides/isolates, and lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069\ud800-\udfff]")
_SPACE = re.compile("[\t\n]")
_ID = re.compile(r"^[0-9a-f]{16}$")


def clean_text(text: str) -> str:
    """``text`` as plain, single-line-safe text: controls removed, tabs and newlines
    turned into spaces, outer whitespace trimmed."""
    return _CONTROL.sub("", _SPACE.sub(" ", text.replace("\r\n", "\n"))).strip()


def clean_author(name: str) -> str:
    """An author name with controls removed, bounded to :data:`MAX_AUTHOR`."""
    return (" ".join(clean_text(name).split()))[:MAX_AUTHOR] or "anonymous"


def check_text(text: Any) -> str:
    """Cleaned note text, or :class:`UsageError` when empty or too long."""
    if not isinstance(text, str):
        raise UsageError("a note's text must be a string")
    cleaned = clean_text(text)
    if not cleaned:
        raise UsageError("a note needs some text")
    if len(cleaned) > MAX_NOTE:
        raise UsageError(f"a note is at most {MAX_NOTE} characters (this one has "
                         f"{len(cleaned)})")
    return cleaned


def new_note_id() -> str:
    return secrets.token_hex(8)


def is_note_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_ID.match(value))


def parse_at(text: str) -> float:
    """``--at`` as seconds: ``724.5`` or ``[h:]mm:ss``; UsageError when malformed."""
    try:
        return parse_time(text)
    except ValueError as exc:
        raise UsageError(f"{exc} (use seconds or [h:]mm:ss)") from None


class PastEnd(UsageError):
    """A note's time lies past the end of the recording (exit status 1)."""

    exit_code = 1


def check_time(t: float, end: float | None, slack: float = 1e-3) -> float:
    """``t`` if it lies within the recording (``end`` None: no known end)."""
    if t < 0:
        raise UsageError("a note's time cannot be negative")
    if end is not None and t > end + slack:
        raise PastEnd(f"{format_time(t, True)} is past the end of the recording "
                         f"({format_time(end, True)})")
    return min(t, end) if end is not None else t


# -- JSON form (REST, sidecar, exports) ----------------------------------------------


def note_to_json(note: Note) -> dict[str, Any]:
    return {"id": note.id, "t": round(note.t, 6), "author": note.author, "text": note.text,
            "created": note.created, "edited": note.edited}


def note_from_json(data: Any) -> Note:
    """A validated, cleaned note from its JSON object (EventError when malformed)."""
    if not isinstance(data, Mapping):
        raise EventError("a note must be a JSON object")
    nid, author, text = data.get("id"), data.get("author"), data.get("text")
    t: Any = data.get("t")
    created: Any = data.get("created", 0.0)
    edited: Any = data.get("edited")
    if not is_note_id(nid):
        raise EventError(f"bad note id {str(nid)[:40]!r}")
    for name, value in (("t", t), ("created", created), ("edited", edited)):
        if value is None and name == "edited":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                0 <= value < 1e12):
            raise EventError(f"note {nid}: {name} must be a non-negative number")
    if not isinstance(author, str) or not isinstance(text, str):
        raise EventError(f"note {nid}: author and text must be strings")
    try:
        body = check_text(text)
    except UsageError as exc:
        raise EventError(f"note {nid}: {exc}") from None
    return Note(float(t), str(nid), clean_author(author), body, float(created),
                None if edited is None else float(edited))


def sanitized(note: Note) -> Note:
    """The note with its text and author cleaned (for events from any source)."""
    return replace(note, author=clean_author(note.author), text=clean_text(note.text)[:MAX_NOTE])


# -- a session's notes -------------------------------------------------------------


class NoteBook:
    """The current notes of one recording: apply changes, list by time."""

    def __init__(self, notes: Iterable[Note] = ()) -> None:
        self._notes: dict[str, Note] = {}
        self.reset(notes)

    def reset(self, notes: Iterable[Note] = ()) -> None:
        self._notes.clear()
        for note in notes:
            self.apply(note)

    def apply(self, note: Note) -> bool:
        """Add, replace or (``deleted``) remove a note; True if anything changed."""
        note = sanitized(note)
        old = self._notes.get(note.id)
        if note.deleted:
            return self._notes.pop(note.id, None) is not None
        self._notes[note.id] = note
        return old != note

    def get(self, note_id: str) -> Note | None:
        return self._notes.get(note_id)

    def notes(self) -> list[Note]:
        return sorted(self._notes.values(), key=lambda n: (n.t, n.created, n.id))

    def __len__(self) -> int:
        return len(self._notes)


# -- exports -------------------------------------------------------------------------


def marker_for(note: Note) -> Marker:
    """The asciicast marker a note exports as (asciinema shows markers as chapters)."""
    return Marker(note.t, f"note: {note.author}: {note.text}")


class NoteMarkers:
    """Interleaves a marker for each note into a time-ordered stream of events.

    A note event met in the stream gets its marker right after it (unless the note
    is listed already); a marker already in the stream that a note produced (an
    export of an export) is not repeated. Items without a time (comments) pass.
    """

    def __init__(self, notes: Iterable[Note]) -> None:
        self._pending = sorted(notes, key=lambda n: n.t)
        self._known = {n.id for n in self._pending}
        self._emitted: set[tuple[float, str]] = set()
        self._i = 0

    def _emit(self, note: Note) -> Marker:
        marker = marker_for(note)
        self._emitted.add((round(marker.t, 3), marker.label))
        return marker

    def around(self, item: _T) -> Iterator[_T | Marker]:
        """The markers due before ``item``, ``item`` itself, and its own marker."""
        t = getattr(item, "t", None)
        if t is None:
            yield item
            return
        while self._i < len(self._pending) and self._pending[self._i].t <= t:
            yield self._emit(self._pending[self._i])
            self._i += 1
        if isinstance(item, Marker) and (round(item.t, 3), item.label) in self._emitted:
            return
        yield item
        if isinstance(item, Note) and not item.deleted and item.id not in self._known:
            self._known.add(item.id)
            yield self._emit(sanitized(item))

    def rest(self) -> Iterator[Marker]:
        """Markers of notes after the last event (at the very end)."""
        while self._i < len(self._pending):
            yield self._emit(self._pending[self._i])
            self._i += 1


def with_note_markers(events: Iterable[_T], notes: Iterable[Note]) -> Iterator[_T | Marker]:
    """``events`` with note markers interleaved (see :class:`NoteMarkers`)."""
    markers = NoteMarkers(notes)
    for item in events:
        yield from markers.around(item)
    yield from markers.rest()
