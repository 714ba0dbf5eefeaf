"""Notes without any UI or network: cleaning, validation, times, the note book,
sidecar files, wire messages, and exports with note markers."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from coterm_tui.core import wire
from coterm_tui.core.asciicast import CastWriter, open_cast
from coterm_tui.core.errors import EventError, UsageError, WireError
from coterm_tui.core.events import Header, Marker, Note, Output
from coterm_tui.core.notes import (
    MAX_NOTE,
    NoteBook,
    PastEnd,
    check_text,
    check_time,
    clean_author,
    clean_text,
    marker_for,
    new_note_id,
    note_from_json,
    note_to_json,
    parse_at,
    with_note_markers,
)
from coterm_tui.core.notes_file import SidecarNotes, read_notes, sidecar_path, write_notes

ESCAPES = ["\x1b[2J", "\x1b]0;x\x07", "\x1bP1$r\x1b\\", "\x9b31m", "\x9d8;;u\x9c", "\x07",
           "\x08", "\x7f", "\x00", "\u202e", "\u2066", "\u2028", "\ud800"]


@pytest.mark.parametrize("seq", ESCAPES)
def test_cleaning_removes_every_control_character(seq):
    cleaned = clean_text(f"a{seq}b")
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in cleaned)
    assert cleaned.startswith("a") and cleaned.endswith("b")
    assert "\x1b" not in clean_author(f"an{seq}a")


def test_text_rules():
    assert clean_text("  two\r\nlines\tand tab ") == "two lines and tab"
    assert check_text("é ✓ 日本") == "é ✓ 日本"
    assert len(check_text("x" * MAX_NOTE)) == MAX_NOTE
    for bad in ("", "  ", "\x1b\x07", "x" * (MAX_NOTE + 1), None, 5):
        with pytest.raises(UsageError):
            check_text(bad)
    assert clean_author("\x1b\x07 ") == "anonymous"
    assert clean_author("a" * 500) == "a" * 100


def test_times():
    assert parse_at("724.5") == 724.5
    assert parse_at("12:04") == 724.0
    assert parse_at("1:00:01") == 3601.0
    for bad in ("", "x", "1:60", "-3", "1:2:3:4"):
        with pytest.raises(UsageError):
            parse_at(bad)
    assert check_time(10.0005, 10.0) == 10.0
    with pytest.raises(PastEnd, match=r"^00:10\.5 is past the end of the recording \(00:10\.0\)$"):
        check_time(10.5, 10.0)
    assert PastEnd.exit_code == 1
    assert check_time(1e6, None) == 1e6


def test_json_round_trip_and_validation():
    note = Note(1.5, new_note_id(), "ana", "hi", 100.0, 200.0)
    assert note_from_json(note_to_json(note)) == note
    assert note_from_json({**note_to_json(note), "text": "\x1b[31mred"}).text == "[31mred"
    for bad in ({"id": "x"}, {**note_to_json(note), "t": -1}, {**note_to_json(note), "t": True},
                {**note_to_json(note), "text": ""}, {**note_to_json(note), "author": 3}, []):
        with pytest.raises(EventError):
            note_from_json(bad)


def test_note_book_applies_changes_in_time_order():
    a, b = Note(5.0, "a" * 16, "ana", "later", 1.0), Note(1.0, "b" * 16, "bo", "first", 2.0)
    book = NoteBook([a, b])
    assert [n.text for n in book.notes()] == ["first", "later"]
    assert book.apply(Note(5.0, "a" * 16, "ana", "edited", 1.0, 3.0))
    assert not book.apply(Note(5.0, "a" * 16, "ana", "edited", 1.0, 3.0))
    assert book.apply(Note(0, "b" * 16, "", "", deleted=True)) and len(book) == 1
    assert not book.apply(Note(0, "c" * 16, "", "", deleted=True))
    assert book.apply(Note(2.0, "d" * 16, "m\x1b[5mallory", "\x1b]2;pwned\x07", 4.0))
    assert book.get("d" * 16).author == "m[5mallory"


def test_sidecar_add_edit_delete_is_atomic_and_owned(tmp_path):
    cast = tmp_path / "x.cast"
    store = SidecarNotes(cast, "ana")
    note = store.add(3.0, "hello", end=10.0)
    with pytest.raises(PastEnd):
        store.add(11.0, "too late", end=10.0)
    assert read_notes(sidecar_path(cast))[0] == [note]
    other = SidecarNotes(cast, "bob")
    with pytest.raises(UsageError, match="ana's"):
        other.delete(note.id)
    edited = store.edit(note.id, "hello again")
    assert store.load() == [edited] and edited.edited is not None
    store.delete(note.id)
    assert store.load() == []
    assert [p.name for p in tmp_path.iterdir()] == ["x.cast.notes.json"]  # no temp files left
    assert read_notes(tmp_path / "absent.notes.json") == ([], None)


def test_sidecar_keeps_its_session(tmp_path):
    path = tmp_path / "a.cast.notes.json"
    write_notes(path, [Note(1.0, "a" * 16, "ana", "x", 1.0)], "k3x9m2")
    SidecarNotes(tmp_path / "a.cast", "ana").add(0.5, "y")
    notes, session = read_notes(path)
    assert session == "k3x9m2" and [n.text for n in notes] == ["y", "x"]


def test_notes_wire_message_validates():
    note = Note(2.0, "a" * 16, "ana", "x", 1.0)
    msg = wire.Notes((note,), True, True)
    assert wire.decode(wire.encode(msg)) == msg
    bad = [[9, [[1.0, {"id": "a", "author": "x", "text": "y"}]], "yes", False],
           [9, [[-1.0, {"id": "a", "author": "x", "text": "y"}]], False, False],
           [9, [[1.0, {"id": "a"}]], False, False], [9, [1.0], False, False],
           [9, [], False, 1], [9, [], False],
           [9, [[1.0, {"id": "a", "author": "x", "text": "y"}]] * 7, False, False]]
    import msgpack

    for body in bad:
        with pytest.raises(WireError):
            wire.decode(msgpack.packb(body))


def test_markers_interleave_by_time_and_are_not_repeated():
    n1, n2 = Note(1.0, "a" * 16, "ana", "disk full", 0.0), Note(9.0, "b" * 16, "bo", "end", 0.0)
    in_file = Note(2.0, "c" * 16, "cy", "from the file", 0.0)
    events = [Output(0.5, "a"), Output(1.0, "b"), in_file, Output(3.0, "c")]
    out = list(with_note_markers(events, [n2, n1]))
    assert out == [Output(0.5, "a"), Marker(1.0, "note: ana: disk full"), Output(1.0, "b"),
                   in_file, Marker(2.0, "note: cy: from the file"), Output(3.0, "c"),
                   Marker(9.0, "note: bo: end")]
    assert list(with_note_markers(out, [n1, n2])) == out  # an export of an export
    assert marker_for(n1).label == "note: ana: disk full"


def test_export_writes_note_markers_and_a_full_sidecar(tmp_path):
    src = tmp_path / "in.cast"
    with CastWriter(src, Header(cols=20, rows=5, extra={"coterm": {"session": "k3x9m2"}})) as w:
        w.write(Output(0.0, "a"))
        w.write(Output(4.0, "b"))
    SidecarNotes(src, "ana").add(2.0, "disk full")
    out = tmp_path / "out.cast"
    done = subprocess.run([sys.executable, "-m", "coterm_tui", "export", str(src), "-f", "v2",
                           "-o", str(out)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()[1:]]
    assert lines == [[0.0, "o", "a"], [2.0, "m", "note: ana: disk full"], [4.0, "o", "b"]]
    full = json.loads(sidecar_path(out).read_text())
    assert full["session"] == "k3x9m2"
    assert [(n["t"], n["author"], n["text"]) for n in full["notes"]] == [(2.0, "ana",
                                                                         "disk full")]
    with open_cast(out) as reader:
        assert Marker(2.0, "note: ana: disk full") in list(reader.events())
