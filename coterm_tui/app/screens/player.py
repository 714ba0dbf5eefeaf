"""The player screen: the recorded terminal, its timeline, status and keys.

=====================  ==============================================
key                    action
=====================  ==============================================
space                  pause / resume (at the end: play again)
← / →                  back / forward 5 s
shift+← / shift+→      back / forward 10 % of the recording
0 … 9                  jump to 0 % … 90 %
[ / ]                  previous / next marker, command or note
, / .                  one frame back / forward (pauses)
< / >, - / +           slower / faster (1/16× … 16×)
g / G                  start / end
ctrl+arrows, h j k l   pan a recording larger than the window
?                      this list
q                      quit
=====================  ==============================================
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer

from ..widgets.status_line import StatusLine
from ..widgets.terminal_view import TerminalView
from ..widgets.timeline_bar import TimelineBar
from .help import HelpScreen

__all__ = ["KEYS", "PlayerScreen"]

#: (keys, action, footer label or "" to hide, help text): the one table of keys.
KEYS: list[tuple[str, str, str, str]] = [
    ("space", "send('toggle')", "Pause", "pause / resume (at the end: play again)"),
    ("left", "send('seek_by', -5)", "-5s", "back 5 seconds"),
    ("right", "send('seek_by', 5)", "+5s", "forward 5 seconds"),
    ("shift+left", "send('seek_by_frac', -0.1)", "", "back 10 % of the recording"),
    ("shift+right", "send('seek_by_frac', 0.1)", "", "forward 10 % of the recording"),
    *[(str(n), f"send('seek_frac', {n / 10})", "", "") for n in range(10)],
    ("left_square_bracket", "send('mark', -1)", "◂Mark",
     "previous marker, command or note"),
    ("right_square_bracket", "send('mark', 1)", "Mark▸", "next marker, command or note"),
    ("comma", "send('step', -1)", "", "one frame back (pauses)"),
    ("full_stop", "send('step', 1)", "", "one frame forward (pauses)"),
    ("less_than_sign,minus", "send('slower')", "Slower", "slower (down to 1/16×)"),
    ("greater_than_sign,plus,equals_sign", "send('faster')", "Faster", "faster (up to 16×)"),
    ("g,home", "send('start')", "", "go to the start"),
    ("G,end", "send('end')", "", "go to the end"),
    ("ctrl+left,h", "pan(-8, 0)", "", "pan left (recording wider than the window)"),
    ("ctrl+right,l", "pan(8, 0)", "", "pan right"),
    ("ctrl+up,k", "pan(0, -4)", "", "pan up (recording taller than the window)"),
    ("ctrl+down,j", "pan(0, 4)", "", "pan down"),
    ("question_mark", "help", "Help", "this list of keys"),
    ("q", "app.quit", "Quit", "quit"),
]

#: How keys are shown in the help screen.
_KEY_NAMES = {"left_square_bracket": "[", "right_square_bracket": "]", "comma": ",",
              "full_stop": ".", "less_than_sign": "<", "greater_than_sign": ">",
              "minus": "-", "plus": "+", "equals_sign": "=", "question_mark": "?",
              "left": "←", "right": "→", "shift+left": "shift+←", "shift+right": "shift+→",
              "ctrl+left": "ctrl+←", "ctrl+right": "ctrl+→", "ctrl+up": "ctrl+↑",
              "ctrl+down": "ctrl+↓"}


def help_rows() -> list[tuple[str, str]]:
    rows = [(" ".join(_KEY_NAMES.get(k, k) for k in keys.split(",")), text)
            for keys, _action, _label, text in KEYS if text]
    rows.insert(5, ("0 … 9", "jump to 0 % … 90 %"))
    return rows


class PlayerScreen(Screen[None]):
    """Composes the view, the timeline bar, the status line and the footer.

    Keys become intents sent to the playback thread by the app; what the
    thread reports comes back through the app's message handlers.
    """

    DEFAULT_CSS = """
    PlayerScreen #stage {
        height: 1fr;
        align: center middle;
    }
    """

    BINDINGS = [
        Binding(keys, action, label or keys, show=bool(label),
                key_display=_KEY_NAMES.get(keys.split(",")[0]))
        for keys, action, label, _text in KEYS
    ]

    def __init__(self, cols: int, rows: int, label: str = "") -> None:
        super().__init__()
        self._cols, self._rows, self._label = cols, rows, label

    def compose(self) -> ComposeResult:
        with Container(id="stage"):
            yield TerminalView(self._cols, self._rows, self._label, id="view")
        yield TimelineBar(id="timeline")
        yield StatusLine(id="status")
        yield Footer()

    def action_send(self, kind: str, value: float = 0.0) -> None:
        self.app.send(kind, value)  # type: ignore[attr-defined]

    def action_pan(self, dx: int, dy: int) -> None:
        self.query_one(TerminalView).pan(dx, dy)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(help_rows()))

    def on_timeline_bar_seek(self, message: TimelineBar.Seek) -> None:
        self.action_send("seek_frac", message.fraction)
