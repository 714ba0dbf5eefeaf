"""Notes in the SQLite store (the ``notes`` table of :data:`~.sqlite.SCHEMA`)."""

from __future__ import annotations

from typing import Any

from coterm_tui.core.events import Note


class SqliteNotes:
    """Mixed into :class:`~.sqlite.SqliteStore`, which provides ``_q``."""

    def _q(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError  # pragma: no cover - provided by the store

    _NOTE_COLS = "id, t, author, text, created, edited, deleted"

    @staticmethod
    def _note(row: tuple[Any, ...]) -> Note:
        nid, t, author, text, created, edited, deleted = row
        return Note(t, nid, author, text, created, edited, bool(deleted))

    def add_note(self, sid: str, note: Note) -> bool:
        if self._q("SELECT 1 FROM notes WHERE id=?", (note.id,)):
            return False
        self._q("INSERT OR IGNORE INTO notes(id, session, t, author, text, created, edited, "
                "deleted) VALUES(?,?,?,?,?,?,?,?)",
                (note.id, sid, note.t, note.author, note.text, note.created, note.edited,
                 int(note.deleted)))
        return self.get_note(sid, note.id) == note

    def update_note(self, sid: str, note: Note) -> bool:
        if self.get_note(sid, note.id) is None:
            return False
        self._q("UPDATE notes SET t=?, author=?, text=?, edited=?, deleted=? "
                "WHERE id=? AND session=?",
                (note.t, note.author, note.text, note.edited, int(note.deleted), note.id, sid))
        return True

    def get_note(self, sid: str, note_id: str) -> Note | None:
        rows = self._q(f"SELECT {self._NOTE_COLS} FROM notes WHERE session=? AND id=?",
                       (sid, note_id))
        return self._note(rows[0]) if rows else None

    def list_notes(self, sid: str) -> list[Note]:
        rows = self._q(f"SELECT {self._NOTE_COLS} FROM notes WHERE session=? AND deleted=0 "
                       "ORDER BY t, created, id", (sid,))
        return [self._note(r) for r in rows]
