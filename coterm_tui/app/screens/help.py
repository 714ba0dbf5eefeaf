"""The help screen: every key of the player, read from its bindings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

__all__ = ["HelpScreen"]


def keys_text(rows: list[tuple[str, str]]) -> Text:
    """Two aligned columns: keys (bold) and what they do."""
    width = max(len(keys) for keys, _ in rows)
    text = Text()
    for i, (keys, what) in enumerate(rows):
        if i:
            text.append("\n")
        text.append(keys.ljust(width + 3), "bold")
        text.append(what)
    return text


class HelpScreen(ModalScreen[None]):
    """Lists ``(keys, description)`` rows; any of escape, q, ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > Vertical {
        width: auto;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        border: round $primary;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen Static { width: auto; }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str]], title: str = "coterm play — keys") -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(keys_text(self.rows))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
