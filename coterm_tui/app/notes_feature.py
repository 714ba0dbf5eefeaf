"""Notes in the player and the live viewer: ``n`` adds one at the current time,
``N`` lists them; every change — yours or another viewer's — shows at once as a
toast and as a ✎ mark on the timeline, and ``[``/``]`` step through notes too.

Where notes live is a :class:`NotesBackend`: the recording's sidecar file
(``coterm play FILE``) or the relay (``coterm play ID``, ``coterm watch``), whose
``/ws/notes`` stream brings other viewers' notes without reloading. Backend
calls block (file or HTTP), so they run in worker threads.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from textual import work
from textual.app import App
from textual.binding import Binding

from coterm_tui.core.errors import CotermError
from coterm_tui.core.events import Note
from coterm_tui.core.notes import NoteBook
from coterm_tui.core.timeline import Mark, format_time

from .screens.notes_panel import NotesPanel
from .widgets.note_input import NoteInputScreen
from .widgets.timeline_bar import TimelineBar

__all__ = ["NotesApp", "NotesBackend"]

#: Longest note text shown in a toast.
TOAST_CHARS = 200
#: Failed reconnections of the notes stream in a row before giving up, and the
#: longest wait between two.
FOLLOW_ATTEMPTS = 1000
FOLLOW_BACKOFF_MAX = 10.0


class NotesBackend(Protocol):
    """Where a recording's notes are kept (see :mod:`coterm_tui.core.notes_file` and
    :mod:`coterm_tui.client.notes`)."""

    author: str

    def load(self) -> list[Note]: ...

    def add(self, t: float, text: str, end: float | None = None) -> Note: ...

    def edit(self, note_id: str, text: str) -> Note: ...

    def delete(self, note_id: str) -> Note: ...


class NotesApp(App[None]):
    """Base of the player and watch apps: a :class:`TimelineBar` on the main screen,
    optionally a playback ``engine`` (for ``[``/``]``) and a ``source`` (its end)."""

    BINDINGS = [
        Binding("n", "add_note", "Note"),
        Binding("N", "notes_panel", "Notes"),
    ]

    notes_backend: NotesBackend | None = None
    #: The name this viewer's notes are stored under (only these may be changed).
    me: str = ""
    #: Say when the notes stream cannot reach the relay (an app that already shows
    #: its connection state turns this off).
    notes_report_network = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notebook = NoteBook()
        self._notes_ready = False

    # -- starting ---------------------------------------------------------------------
    def start_notes(self, backend: NotesBackend, *, follow: Any = None) -> None:
        """Use ``backend``; ``follow`` is an async iterator factory of
        :class:`~coterm_tui.core.wire.Notes` messages (live changes), or None."""
        self.notes_backend = backend
        self.notebook = NoteBook()
        self.me = backend.author
        self._notes_ready = False
        self._load_notes(quiet=follow is not None)
        if follow is not None:
            self._follow_notes(follow)

    @work(thread=True, group="notes", exit_on_error=False)
    def _load_notes(self, quiet: bool = False) -> None:
        """Who this viewer is and the notes so far (when following, a failure is left
        to the stream, which retries and loads again once connected)."""
        backend = self.notes_backend
        assert backend is not None
        try:
            whoami = getattr(backend, "whoami", None)
            me = whoami() if whoami else backend.author
            notes = backend.load()
        except CotermError as exc:
            if not quiet:
                self.call_from_thread(self._notes_error, str(exc))
            return
        self.call_from_thread(self._notes_loaded, me, notes)

    @work(group="notes-follow", exit_on_error=False)
    async def _follow_notes(self, follow: Any) -> None:
        """Apply others' changes as they come; reconnect (backing off) when the
        stream ends, e.g. across a relay restart. Only changes are announced, not
        the full list sent on (re)connecting."""
        failures = 0
        while failures < FOLLOW_ATTEMPTS:
            try:
                async for message in follow():
                    failures = 0
                    if message.reset:
                        self.notebook.reset()
                        if not self._notes_ready:
                            self._load_notes(quiet=True)
                    for note in message.notes:
                        self._note_changed(note, announce=not message.snapshot)
                    self._notes_redraw()
            except CotermError as exc:
                if failures == 0 and self.notes_report_network:
                    self._notes_error(f"notes: {exc}", "warning")
            failures += 1
            await asyncio.sleep(min(FOLLOW_BACKOFF_MAX, 0.25 * 2 ** min(failures, 6)))

    # -- helpers for the host app ------------------------------------------------------
    def _notes_error(self, message: str, severity: str = "error") -> None:
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def _notes_loaded(self, me: str, notes: list[Note]) -> None:
        self._notes_ready = True
        self.me = me
        for note in notes:
            self.notebook.apply(note)
        self._notes_redraw()

    def _note_changed(self, note: Note, announce: bool = True) -> None:
        """Apply one change; announce a note not seen before with a toast."""
        new = not note.deleted and self.notebook.get(note.id) is None
        if not self.notebook.apply(note):
            return
        if new and announce:
            text = note.text if len(note.text) <= TOAST_CHARS else note.text[:TOAST_CHARS] + "…"
            self.notify(text, title=f"✎ {note.author} at {format_time(note.t, True)}",
                        markup=False, timeout=6)
        self._notes_redraw()

    def _notes_redraw(self) -> None:
        marks = tuple(Mark(n.t, "note", f"{n.author}: {n.text}") for n in self.notebook.notes())
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.note_marks = marks
        for screen in self.screen_stack:
            for bar in screen.query(TimelineBar):
                bar.notes = marks
            if isinstance(screen, NotesPanel):
                screen.show(self.notebook.notes())
        self.notes_redrawn()

    def notes_redrawn(self) -> None:
        """Called after the notes changed on screen (a host app may show more)."""

    def note_time(self) -> float:
        """The current playback time (in live mode: now, the head of the stream): the
        playback thread's own, which the timeline shows a moment later."""
        status = getattr(getattr(self, "engine", None), "status", None)
        if status is not None:
            return float(status.t)
        for screen in reversed(self.screen_stack):
            for bar in screen.query(TimelineBar):
                return float(bar.position)
        return 0.0

    def note_end(self) -> float | None:
        source = getattr(self, "source", None)
        index = getattr(source, "index", None)
        return None if index is None or getattr(source, "live", False) else index.duration

    # -- actions ---------------------------------------------------------------------
    def action_add_note(self) -> None:
        if self.notes_backend is None:
            return
        t = self.note_time()

        def done(text: str | None) -> None:
            if text:
                self._save_note("add", t, text)

        self.push_screen(NoteInputScreen(t), done)

    def action_notes_panel(self) -> None:
        if self.notes_backend is None:
            return
        self.push_screen(NotesPanel(self.notebook.notes(), self.me))

    def send(self, kind: str, value: float = 0.0) -> None:
        """Hand an intent to the playback thread (the host app's)."""
        raise NotImplementedError

    def on_notes_panel_seek(self, message: NotesPanel.Seek) -> None:
        self.send("seek", message.t)

    def on_notes_panel_edit(self, message: NotesPanel.Edit) -> None:
        note = message.note

        def done(text: str | None) -> None:
            if text and text != note.text:
                self._save_note("edit", note.t, text, note.id)

        self.push_screen(NoteInputScreen(note.t, value=note.text, editing=True),
                         done)

    def on_notes_panel_delete(self, message: NotesPanel.Delete) -> None:
        self._save_note("delete", message.note.t, "", message.note.id)

    @work(thread=True, group="notes-save", exit_on_error=False)
    def _save_note(self, kind: str, t: float, text: str, note_id: str = "") -> None:
        backend = self.notes_backend
        assert backend is not None
        try:
            if kind == "add":
                note = backend.add(t, text, self.note_end())
            elif kind == "edit":
                note = backend.edit(note_id, text)
            else:
                note = backend.delete(note_id)
        except CotermError as exc:
            self.call_from_thread(self._notes_error, str(exc))
            return
        self.call_from_thread(self._note_changed, note)
