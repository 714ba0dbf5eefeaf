"""The session picker (``coterm watch`` with no id): live sessions first, then recent.

=========  ===========================================
key        action
=========  ===========================================
typing     filter (id, user@host, title)
↑ ↓        move
enter      open the session
r          refresh the list
escape, q  quit
=========  ===========================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from coterm_tui.core.timeline import format_time

from ..safe_text import printable

__all__ = ["PickerScreen", "session_rows"]

COLUMNS = ("", "ID", "USER@HOST", "TITLE", "STARTED", "DURATION", "VIEWERS")


def _started(value: Any) -> str:
    try:
        return datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ""


def session_rows(sessions: list[dict[str, Any]], query: str = "") -> list[tuple[str, ...]]:
    """Rows to show: live first, then the rest by start time, newest first; filtered."""
    rows: list[tuple[str, ...]] = []
    ordered = sorted(sessions, key=lambda s: str(s.get("started") or ""), reverse=True)
    ordered.sort(key=lambda s: not s.get("live"))
    q = query.lower().strip()
    for s in ordered:
        who = printable(f"{s.get('user', '')}@{s.get('host', '')}", 60)
        title = printable(str(s.get("title") or ""), 60)
        sid = printable(str(s.get("id", "")), 64)
        if q and q not in f"{sid} {who} {title}".lower():
            continue
        try:
            duration = format_time(float(s.get("duration") or 0))
        except (TypeError, ValueError):
            duration = ""
        rows.append(("● live" if s.get("live") else "", sid, who, title,
                     _started(s.get("started")), duration, str(s.get("viewers", 0))))
    return rows


class PickerScreen(Screen[None]):
    """Lists the relay's sessions; Enter posts :class:`Open`."""

    DEFAULT_CSS = """
    PickerScreen #filter { height: 3; border: round $primary; }
    PickerScreen #empty { padding: 1 2; color: $foreground 60%; }
    PickerScreen DataTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "app.quit", "Quit"),
        Binding("ctrl+r", "refresh", "Refresh"),
        Binding("down", "cursor(1)", show=False),
        Binding("up", "cursor(-1)", show=False),
    ]

    @dataclass
    class Open(Message):
        """The user chose a session."""

        session_id: str

    def __init__(self, sessions: list[dict[str, Any]], error: str = "") -> None:
        super().__init__()
        self.sessions = sessions
        self.error = error

    def compose(self) -> ComposeResult:
        field = Input(placeholder="type to filter: id, user@host, title", id="filter")
        field.border_title = "coterm watch — pick a session"
        field.cursor_blink = False
        yield field
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self.fill()
        self.query_one(Input).focus()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        chosen = self._chosen()
        table.clear()
        rows = session_rows(self.sessions, self.query_one(Input).value)
        for row in rows:
            table.add_row(*row, key=row[1])
        keys = [row[1] for row in rows]
        if chosen in keys:  # a refresh keeps the highlighted session
            table.move_cursor(row=keys.index(chosen))
        empty = self.query_one("#empty", Static)
        if self.error:
            empty.update(f"⚠ {printable(self.error)}")
        elif not rows:
            empty.update("no sessions" if not self.sessions else "nothing matches")
        else:
            empty.update("")
        empty.display = bool(self.error or not rows)

    def on_input_changed(self, _event: Input.Changed) -> None:
        self.fill()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self._open()

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self._open()

    def _chosen(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _open(self) -> None:
        key = self._chosen()
        if key:
            self.post_message(self.Open(key))

    def action_cursor(self, delta: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    def action_refresh(self) -> None:
        self.app.refresh_sessions()  # type: ignore[attr-defined]
