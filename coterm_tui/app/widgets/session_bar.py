"""One line about the watched session: title, user@host, elapsed, viewers, lag."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from coterm_tui.core.timeline import format_time

from ..safe_text import printable

__all__ = ["SessionBar", "format_lag"]


def format_lag(lag: float | None) -> str:
    if lag is None:
        return "lag –"
    return f"lag {lag * 1000:.0f} ms" if lag < 1 else f"lag {lag:.1f} s"


class SessionBar(Widget):
    """``title  ana@box  03:12  2 watching (ana, bo)  lag 12 ms``.

    Everything here comes from the recorded side, so it is stripped of control
    characters and rendered as plain text (never markup).
    """

    DEFAULT_CSS = """
    SessionBar {
        width: 1fr;
        height: 1;
        padding: 0 1;
        background: $panel;
        & > .session-bar--title { text-style: bold; }
        & > .session-bar--dim { color: $foreground 60%; }
    }
    """

    COMPONENT_CLASSES = {"session-bar--title", "session-bar--dim"}

    title: reactive[str] = reactive("")
    """The session's title (or command)."""
    who: reactive[str] = reactive("")
    """user@host of the broadcaster."""
    elapsed: reactive[float] = reactive(0.0)
    """Seconds since the session started."""
    viewers: reactive[int] = reactive(0)
    """How many are watching (this viewer included)."""
    names: reactive[tuple[str, ...]] = reactive(())
    """Who is watching, when tokens carry names."""
    lag: reactive[float | None] = reactive(None)
    """Seconds the screen lags behind the broadcaster (None: not following)."""

    def render(self) -> Text:
        dim = self.get_component_rich_style("session-bar--dim")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(printable(self.title) or "(untitled)",
                    self.get_component_rich_style("session-bar--title"))
        if self.who.strip("@"):
            text.append(f"  {printable(self.who)}", dim)
        text.append(f"  {format_time(self.elapsed)}")
        names = ", ".join(printable(n) for n in self.names[:5])
        more = f" +{len(self.names) - 5}" if len(self.names) > 5 else ""
        text.append(f"  {self.viewers} watching" + (f" ({names}{more})" if names else ""))
        if self.lag is not None:
            text.append(f"  {format_lag(self.lag)}", dim)
        return text
