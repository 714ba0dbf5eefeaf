"""The notes panel (``N``): every note of the recording by time — time, author,
text. Enter seeks there; ``e`` edits and ``d`` deletes one of your own notes;
Escape (or ``N``) closes. It follows changes made by other viewers while open."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from coterm_tui.core.events import Note
from coterm_tui.core.timeline import format_time

from ..widgets.note_input import see_through

__all__ = ["NotesPanel"]


class NotesPanel(ModalScreen[None]):
    """Lists notes; posts :class:`Seek`, :class:`Edit` and :class:`Delete` to the app."""

    DEFAULT_CSS = """
    NotesPanel {
        align: center middle;
    }
    NotesPanel > Vertical {
        width: 90%;
        max-width: 120;
        height: auto;
        max-height: 80%;
        border: round $accent;
        border-title-align: center;
        border-subtitle-align: center;
        background: $surface;
    }
    NotesPanel DataTable { height: auto; max-height: 30; }
    NotesPanel #empty { padding: 1 2; color: $foreground 60%; }
    """

    BINDINGS = [
        Binding("escape,N,q", "close", "Close", show=False),
        Binding("enter", "seek", "Seek", show=False),
        Binding("e", "edit", "Edit", show=False),
        Binding("d", "delete", "Delete", show=False),
    ]

    @dataclass
    class Seek(Message):
        t: float

    @dataclass
    class Edit(Message):
        note: Note

    @dataclass
    class Delete(Message):
        note: Note

    def __init__(self, notes: list[Note], me: str) -> None:
        super().__init__()
        self.notes = notes
        self.me = me

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "✎ Notes"
            box.border_subtitle = "Enter seek · e edit · d delete (your own) · Esc close"
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_column("time", key="time")
            table.add_column("author", key="author")
            table.add_column("note", key="text")
            yield table
            yield Static("No notes yet — press n to add one.", id="empty")

    def on_mount(self) -> None:
        see_through(self)
        self.show(self.notes)

    def show(self, notes: list[Note]) -> None:
        """Replace the rows (keeping the cursor on the same note when it still exists)."""
        table = self.query_one(DataTable)
        current = self.selected()
        self.notes = notes
        table.clear()
        for note in notes:
            mine = note.author == self.me
            table.add_row(Text(format_time(note.t, True)),
                          Text(note.author, style="bold" if mine else ""),
                          Text(note.text, overflow="ellipsis", no_wrap=True), key=note.id)
        self.query_one("#empty").display = not notes
        table.display = bool(notes)
        if current is not None:
            ids = [n.id for n in notes]
            if current.id in ids:
                table.move_cursor(row=ids.index(current.id))
        table.focus()

    def selected(self) -> Note | None:
        table = self.query_one(DataTable)
        if not self.notes or table.cursor_row < 0 or table.cursor_row >= len(self.notes):
            return None
        return self.notes[table.cursor_row]

    def _own(self) -> Note | None:
        note = self.selected()
        if note is None:
            return None
        if note.author != self.me:
            self.app.notify(f"that note is {note.author}'s: only its author may change it",
                            severity="warning", markup=False)
            return None
        return note

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_seek()

    def action_seek(self) -> None:
        note = self.selected()
        if note is not None:
            self.dismiss(None)
            self.app.post_message(self.Seek(note.t))

    def action_edit(self) -> None:
        note = self._own()
        if note is not None:
            self.app.post_message(self.Edit(note))

    def action_delete(self) -> None:
        note = self._own()
        if note is not None:
            self.app.post_message(self.Delete(note))

    def action_close(self) -> None:
        self.dismiss(None)
