"""The live viewer app (``coterm watch``): picker, live follow and scrub-back.

:func:`make_watch` is the one factory used by the CLI, the tests and the
screenshot script. Three threads cooperate and never touch widgets: the
:class:`~coterm_tui.client.follow.Follower` fills a
:class:`~coterm_tui.core.live_source.LiveSource` from the relay, the
:class:`~.live_engine.LiveThread` emulates it, and both report through
coalescing messages handled here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import work
from textual.message import Message
from textual.timer import Timer

from coterm_tui.client import RelayTarget
from coterm_tui.client.follow import Follower
from coterm_tui.core.errors import CotermError
from coterm_tui.core.live_source import LiveSource

from .frame import FrameBuffer
from .live_engine import LiveThread, WatchStatus
from .messages import FrameReady, StatusChanged
from .notes_feature import NotesApp
from .safe_text import printable
from .screens.picker import PickerScreen
from .screens.watch import WatchScreen
from .widgets.live_badge import LiveBadge
from .widgets.session_bar import SessionBar
from .widgets.status_line import StatusLine
from .widgets.terminal_view import TerminalView
from .widgets.timeline_bar import TimelineBar

__all__ = ["LiveChanged", "WatchApp", "make_watch"]

#: The header, timeline and status are updated from the stream at most this often.
LIVE_EVERY = 0.1
#: The picker's list is refreshed this often (seconds), for live states and viewers.
PICKER_REFRESH = 5.0


class LiveChanged(Message):
    """The stream's state or length changed (read them from the source)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LiveChanged)


class WatchApp(NotesApp):
    """Follows one session live (or first lets the user pick one)."""

    CSS_PATH = "player.tcss"
    TITLE = "coterm watch"

    def __init__(self, target: RelayTarget, session_id: str | None = None, *,
                 name: str = "", clock: Callable[[], float] = time.time,
                 freeze_lag: float | None = None,
                 list_sessions: Callable[[], list[dict[str, Any]]] | None = None) -> None:
        super().__init__()
        self.target = target
        self.session_id = session_id
        self.viewer_name = name
        self.clock = clock
        self.freeze_lag = freeze_lag
        self._list_sessions = list_sessions
        self.source: LiveSource | None = None
        self.engine: LiveThread | None = None
        self.follower: Follower | None = None
        self.frames = FrameBuffer()
        self._live_pending = False
        self._live_posted = 0.0
        self._status_shown: WatchStatus | None = None
        self._status_pending: WatchStatus | None = None
        self._status_at = 0.0
        self._picker_timer: Timer | None = None

    def on_mount(self) -> None:
        if self.session_id:
            self.open_session(self.session_id)
        else:
            self.push_screen(PickerScreen([]))
            self.refresh_sessions()
            self._picker_timer = self.set_interval(PICKER_REFRESH, self._refresh_picker)

    def _refresh_picker(self) -> None:
        if isinstance(self.screen, PickerScreen):
            self.refresh_sessions()

    # the picker -------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False)
    def refresh_sessions(self) -> None:
        from coterm_tui.client import api

        try:
            loader = self._list_sessions or (lambda: api.list_sessions(self.target))
            sessions, error = loader(), ""
        except CotermError as exc:
            sessions, error = [], str(exc)
        self.call_from_thread(self._show_sessions, sessions, error)

    def _show_sessions(self, sessions: list[dict[str, Any]], error: str) -> None:
        if isinstance(self.screen, PickerScreen):
            self.screen.sessions, self.screen.error = sessions, error
            self.screen.fill()

    def on_picker_screen_open(self, message: PickerScreen.Open) -> None:
        self.open_session(message.session_id)

    # the session ------------------------------------------------------------------

    def open_session(self, session_id: str) -> None:
        """Start following ``session_id`` and show it."""
        self.session_id = session_id
        self.sub_title = session_id
        if self._picker_timer is not None:
            self._picker_timer.stop()
        source = self.source = LiveSource(session_id)
        self.engine = LiveThread(
            source, self.frames, on_frame=lambda: self.post_message(FrameReady()),
            on_status=lambda status: self.post_message(StatusChanged(status)))
        self.follower = Follower(self.target, source, name=self.viewer_name)
        source.on_change = self._source_changed
        self.push_screen(WatchScreen(source.header.cols, source.header.rows))
        self.engine.start()
        self.follower.start()
        self._start_relay_notes(session_id)
        self.set_interval(1.0, self._tick_clock)
        self.set_interval(LIVE_EVERY, self._live_timer)

    def _start_relay_notes(self, session_id: str) -> None:
        """Notes of this session on the relay, followed live over ``/ws/notes``."""
        from coterm_tui.client.notes import RelayNotes, follow_notes
        from coterm_tui.config import load_config

        author = self.viewer_name or load_config().name
        self.notes_report_network = False  # the badge and status line say it already
        self.start_notes(RelayNotes(self.target, session_id, author),
                         follow=lambda: follow_notes(self.target, session_id))

    def _source_changed(self) -> None:
        """Called from the network thread on every change: wake the engine now; the
        header and timeline catch up at most :data:`LIVE_EVERY` later (a busy stream
        must not make the UI redraw them for every frame)."""
        if self.engine is not None:
            self.engine.notify()
        if not self._live_pending:
            self._live_pending = True
            now = time.monotonic()
            if now - self._live_posted >= LIVE_EVERY:
                self._live_posted = now
                self.post_message(LiveChanged())

    def _live_timer(self) -> None:
        if self._status_pending is not None:
            self._show_status(self._status_pending)
        if self._live_pending:
            self._live_posted = time.monotonic()
            self.post_message(LiveChanged())

    @property
    def up_to_date(self) -> bool:
        """True when no stream or status update waits to be shown (tests, snapshots)."""
        return self._status_pending is None and not self._live_pending

    def send(self, kind: str, value: float = 0.0) -> None:
        """Hand an intent to the emulation thread."""
        if self.engine is not None:
            self.engine.send(kind, value)

    async def on_unmount(self) -> None:
        if self.follower is not None:
            self.follower.stop()
        if self.engine is not None and self.engine.is_alive():
            self.engine.stop()

    # messages from the threads ----------------------------------------------------

    def _watch_screen(self) -> WatchScreen | None:
        """The watch screen while its widgets exist (messages may come before they
        are mounted, and timers may fire while the app shuts down)."""
        screen = self.screen if self.is_running else None
        if not isinstance(screen, WatchScreen) or not screen.is_attached:
            return None
        if not screen.query(SessionBar) or not screen.query(StatusLine):
            return None
        return screen

    def on_frame_ready(self, _message: FrameReady) -> None:
        screen = self._watch_screen()
        frame = self.frames.take()
        if screen is not None and frame is not None:
            screen.query_one(TerminalView).apply_frame(frame)

    def on_status_changed(self, message: StatusChanged) -> None:
        status = message.status
        if not isinstance(status, WatchStatus):
            return
        # While following, every frame brings a status; redrawing the status line,
        # timeline and lag for each would cost more than the frame itself, so they
        # follow at most every LIVE_EVERY (mode changes show at once).
        now = time.monotonic()
        shown = self._status_shown
        if (status.following and shown is not None and shown.following
                and now - self._status_at < LIVE_EVERY):
            self._status_pending = status
            return
        self._show_status(status)

    def _show_status(self, status: WatchStatus) -> None:
        self._status_pending = None
        self._status_shown, self._status_at = status, time.monotonic()
        screen = self._watch_screen()
        if screen is None:
            return
        line = screen.query_one(StatusLine)
        line.t = status.t
        line.playing = status.playing or status.following
        line.following = status.following
        line.ended = status.ended and not status.following and self._ended()
        line.speed = status.speed
        line.error = status.error or self._trouble()
        screen.query_one(TimelineBar).position = status.t
        screen.query_one(LiveBadge).following = status.following
        bar = screen.query_one(SessionBar)
        lag = self.freeze_lag if self.freeze_lag is not None else status.lag
        live = self.source is not None and self.source.state.connection == "live"
        bar.lag = lag if status.following and live else None

    def on_live_changed(self, _message: LiveChanged) -> None:
        self._live_pending = False
        screen, source = self._watch_screen(), self.source
        if screen is None or source is None:
            return
        state = source.state
        header = source.header
        meta = header.coterm
        badge = screen.query_one(LiveBadge)
        badge.connection, badge.status = state.connection, state.status
        bar = screen.query_one(SessionBar)
        bar.title = header.title or header.command or source.session_id
        bar.who = f"{meta.get('user') or ''}@{meta.get('host') or ''}"
        bar.viewers, bar.names = state.viewers, state.names
        if state.connection != "live":
            bar.lag = None
        line = screen.query_one(StatusLine)
        line.error = self._trouble()
        head_t = source.head_t
        timeline = screen.query_one(TimelineBar)
        timeline.indexed = 1.0
        timeline.indexed_t = head_t
        timeline.duration = head_t if self._ended() else None
        timeline.marks = source.index.marks
        line.duration = head_t
        self._tick_clock()

    def _trouble(self) -> str | None:
        """What is wrong with the connection, if anything (shown in the status line)."""
        state = None if self.source is None else self.source.state
        if state is None or state.connection in ("live", "ended") or not state.message:
            return None
        return printable(state.message, 300)

    def _ended(self) -> bool:
        return self.source is not None and self.source.state.connection == "ended"

    def _tick_clock(self) -> None:
        screen, source = self._watch_screen(), self.source
        if screen is None or source is None:
            return
        started = source.header.timestamp
        elapsed = source.head_t
        if started and not self._ended() and source.state.connection != "loading":
            elapsed = max(elapsed, self.clock() - float(started))
        screen.query_one(SessionBar).elapsed = elapsed


def make_watch(target: RelayTarget, session_id: str | None = None, *, name: str = "",
               clock: Callable[[], float] = time.time, freeze_lag: float | None = None,
               list_sessions: Callable[[], list[dict[str, Any]]] | None = None) -> WatchApp:
    """The watch app (one session, or the picker when ``session_id`` is None)."""
    return WatchApp(target, session_id, name=name, clock=clock, freeze_lag=freeze_lag,
                    list_sessions=list_sessions)
