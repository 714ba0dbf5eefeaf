"""The watch screen: the player screen with the live session's header and badge.

=====================  ==============================================
key                    action
=====================  ==============================================
L, G, end              back to live (follow the session's head)
any replay key         leave live and scrub (see ``coterm play``'s keys):
space, ←/→, shift+←/→, pause, seek, jump, marks, step, speed …
0–9, [ ], , . < > g
=====================  ==============================================

The stream keeps arriving while scrubbing; the timeline grows with it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.widgets import Footer

from ..widgets.live_badge import LiveBadge
from ..widgets.session_bar import SessionBar
from ..widgets.status_line import StatusLine
from ..widgets.terminal_view import TerminalView
from ..widgets.timeline_bar import TimelineBar
from .help import HelpScreen
from .player import PlayerScreen, help_rows

__all__ = ["WatchScreen"]


class WatchScreen(PlayerScreen):
    """Header line (badge + session bar), the remote screen, timeline, status, keys."""

    DEFAULT_CSS = """
    WatchScreen #top {
        height: 1;
        width: 1fr;
    }
    WatchScreen #stage {
        height: 1fr;
        align: center middle;
    }
    """

    BINDINGS = [
        Binding("L,G,end", "live", "Live", key_display="L"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield LiveBadge(id="badge")
            yield SessionBar(id="session")
        with Container(id="stage"):
            yield TerminalView(self._cols, self._rows, id="view")
        yield TimelineBar(id="timeline")
        yield StatusLine(id="status")
        yield Footer()

    async def action_quit(self) -> None:
        await self.app.action_quit()

    def action_live(self) -> None:
        self.app.send("live")  # type: ignore[attr-defined]

    def action_help(self) -> None:
        rows = [("L G end", "back to live (any replay key leaves live mode)"), *help_rows()]
        rows = [r for r in rows if not r[0].startswith("G")]
        self.app.push_screen(HelpScreen(rows, "coterm watch — keys"))
