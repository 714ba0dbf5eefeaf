"""The LIVE badge: following live, scrubbing, reconnecting, or ended."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

__all__ = ["LiveBadge", "badge_text"]


def badge_text(connection: str, following: bool, status: int | None) -> tuple[str, str]:
    """The badge's label and its state class for a connection state."""
    if connection == "ended":
        return ("■ ENDED" + (f" · exit {status}" if status is not None else ""), "ended")
    if connection in ("reconnecting", "connecting", "error", "loading"):
        label = {"reconnecting": "◌ RECONNECTING", "connecting": "◌ CONNECTING",
                 "error": "✕ ERROR", "loading": "◌ LOADING"}[connection]
        return label, "trouble"
    return ("● LIVE", "live") if following else ("◀ REPLAY · L live", "replay")


class LiveBadge(Widget):
    """``● LIVE`` while following; ``◀ REPLAY`` while scrubbing; trouble in yellow/red.

    Its CSS class (``-live``, ``-replay``, ``-trouble``, ``-ended``) sets the colours.
    """

    DEFAULT_CSS = """
    LiveBadge {
        width: auto;
        height: 1;
        padding: 0 1;
        text-style: bold;
        background: $panel;
        &.-live { background: $error; color: $text; }
        &.-replay { background: $primary; color: $text; }
        &.-trouble { background: $warning; color: $background; }
        &.-ended { background: $panel-lighten-2; color: $text; }
    }
    """

    connection: reactive[str] = reactive("connecting", layout=True)
    """The stream's state: connecting, live, loading, reconnecting, ended, error."""
    following: reactive[bool] = reactive(True, layout=True)
    """Showing the live head (False: scrubbing back)."""
    status: reactive[int | None] = reactive(None, layout=True)
    """The broadcaster's exit status, once ended."""

    def on_mount(self) -> None:
        self._restyle()

    def watch_connection(self) -> None:
        self._restyle()

    def watch_following(self) -> None:
        self._restyle()

    def watch_status(self) -> None:
        self._restyle()

    def _restyle(self) -> None:
        """The state's CSS class (set here, not while rendering, so styles apply at once)."""
        _, kind = badge_text(self.connection, self.following, self.status)
        for k in ("live", "replay", "trouble", "ended"):
            self.set_class(k == kind, f"-{k}")

    def render(self) -> Text:
        label, _ = badge_text(self.connection, self.following, self.status)
        return Text(label, no_wrap=True)
