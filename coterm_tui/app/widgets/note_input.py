"""The note input: a one-line box pinned to a moment of the recording.

``n`` opens it at the current playback time (live: now). Enter saves, Escape
cancels; the text is plain (at most 2,000 characters, control characters are
removed before it is stored).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from coterm_tui.core.notes import MAX_NOTE
from coterm_tui.core.timeline import format_time

__all__ = ["NoteInput", "NoteInputScreen", "see_through"]


def see_through(screen: ModalScreen[Any]) -> None:
    """Let the recording show dimmed behind a modal (inline style: the app's CSS
    gives every Screen an opaque background)."""
    screen.styles.background = "rgba(0,0,0,0.45)"


class NoteInput(Input):
    """The text field (bounded to the longest note)."""

    def __init__(self, value: str = "") -> None:
        super().__init__(value=value, placeholder="what happened here?", max_length=MAX_NOTE,
                         id="note-text")


class NoteInputScreen(ModalScreen[str | None]):
    """Dismissed with the text (Enter) or None (Escape)."""

    DEFAULT_CSS = """
    NoteInputScreen {
        align: center bottom;
    }
    NoteInputScreen > Vertical {
        width: 80%;
        max-width: 100;
        height: auto;
        margin-bottom: 3;
        border: round $accent;
        border-title-align: left;
        border-subtitle-align: right;
        background: $surface;
        padding: 0 1;
    }
    NoteInputScreen Input, NoteInputScreen Input:focus {
        border: none;
        height: 1;
        padding: 0;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, t: float, *, value: str = "", editing: bool = False) -> None:
        super().__init__()
        self.t = t
        self.value = value
        self.editing = editing

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            what = "Edit note" if self.editing else "Note"
            box.border_title = f"✎ {what} at {format_time(self.t, True)}"
            box.border_subtitle = "Enter save · Esc cancel"
            yield NoteInput(self.value)

    def on_mount(self) -> None:
        see_through(self)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value if event.value.strip() else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
