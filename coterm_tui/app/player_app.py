"""The player app: composes the player screen and wires the threads' messages.

:func:`make_player` is the one factory used by ``coterm play``, the tests and
the screenshot script; the :class:`FrameSource` is injected (a file today, a
live relay session for ``coterm watch``), so UI tests need neither network nor
timing luck.
"""

from __future__ import annotations

import time
from typing import Any

from coterm_tui.core.source import FrameSource
from coterm_tui.core.timeline import mark_at, merge_marks

from .frame import FrameBuffer, PlayerStatus
from .messages import FrameReady, IndexProgress, StatusChanged
from .notes_feature import NotesApp, NotesBackend
from .playback import PlaybackThread
from .screens.player import PlayerScreen
from .widgets.status_line import StatusLine
from .widgets.terminal_view import TerminalView
from .widgets.timeline_bar import MARK_GLYPH, TimelineBar

__all__ = ["PlayerApp", "make_player"]

#: Index progress is reported to the UI at most this often (seconds).
PROGRESS_EVERY = 0.2


class PlayerApp(NotesApp):
    """Plays one :class:`FrameSource`."""

    CSS_PATH = "player.tcss"
    TITLE = "coterm play"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, source: FrameSource, *, speed: float = 1.0,
                 idle_limit: float | None = None, at: float | None = None,
                 paused: bool = False, notes: NotesBackend | None = None,
                 follow_notes: Any = None) -> None:
        super().__init__()
        self.source = source
        self._notes = (notes, follow_notes)
        self.frames = FrameBuffer()
        self.idle_limit = idle_limit
        self.engine = PlaybackThread(
            source, self.frames, on_frame=lambda: self.post_message(FrameReady()),
            on_status=lambda status: self.post_message(StatusChanged(status)),
            speed=speed, idle_limit=idle_limit, at=at, playing=not paused)
        self._last_progress = 0.0
        header = source.header
        self.player = PlayerScreen(header.cols, header.rows, header.title or source.name)
        self.sub_title = source.name

    async def on_mount(self) -> None:
        await self.push_screen(self.player)
        self.player.query_one(StatusLine).idle_limit = self.idle_limit
        self.source.start(self._index_progress)
        self.engine.start()
        self._show_index()
        if self._notes[0] is not None:
            self.start_notes(self._notes[0], follow=self._notes[1])

    def _index_progress(self) -> None:
        """Called from the indexing thread; throttled, coalescing messages."""
        now = time.monotonic()
        if self.source.index.complete or now - self._last_progress >= PROGRESS_EVERY:
            self._last_progress = now
            self.post_message(IndexProgress())

    def send(self, kind: str, value: float = 0.0) -> None:
        """Hand an intent to the playback thread."""
        self.engine.send(kind, value)

    async def on_unmount(self) -> None:
        if self.engine.is_alive():
            self.engine.stop()
        self.source.close()

    # messages from the threads ----------------------------------------------

    def on_frame_ready(self, _message: FrameReady) -> None:
        frame = self.frames.take()
        if frame is not None:
            self.player.query_one(TerminalView).apply_frame(frame)

    def on_status_changed(self, message: StatusChanged) -> None:
        status: PlayerStatus = message.status
        line = self.player.query_one(StatusLine)
        line.t = status.t
        line.playing = status.playing
        line.ended = status.ended
        line.speed = status.speed
        line.seeking = status.seeking
        self._show_chapter(status.t)
        line.error = status.error or self.source.index.error
        self.player.query_one(TimelineBar).position = status.t

    def notes_redrawn(self) -> None:
        self._show_chapter(self.engine.status.t)

    def _show_chapter(self, t: float) -> None:
        mark = mark_at(merge_marks(self.source.index.marks, self.engine.note_marks), t)
        label = "" if mark is None else f"{MARK_GLYPH.get(mark.kind, '|')} {mark.label}"
        self.player.query_one(StatusLine).chapter = label[:48]

    def on_index_progress(self, _message: IndexProgress) -> None:
        self._show_index()

    def _show_index(self) -> None:
        index = self.source.index
        line = self.player.query_one(StatusLine)
        bar = self.player.query_one(TimelineBar)
        line.indexing = None if index.complete else index.fraction
        line.duration = bar.duration = index.duration
        line.indexed_t = bar.indexed_t = index.indexed_t
        bar.indexed = index.fraction
        bar.marks = index.marks
        if index.error and not line.error:
            line.error = index.error
        self._show_chapter(line.t)


def make_player(source: FrameSource, *, speed: float = 1.0, idle_limit: float | None = None,
                at: float | None = None, paused: bool = False,
                notes: NotesBackend | None = None, follow_notes: Any = None) -> PlayerApp:
    """The player app for ``source`` (file or live); shared by the CLI and the tests.
    ``notes`` keeps the recording's notes; ``follow_notes`` streams others' changes."""
    return PlayerApp(source, speed=speed, idle_limit=idle_limit, at=at, paused=paused,
                     notes=notes, follow_notes=follow_notes)
