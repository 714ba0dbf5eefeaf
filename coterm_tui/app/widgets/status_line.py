"""One line of state: playing/paused, time, speed, idle limit, indexing, errors."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from coterm_tui.core.timeline import format_time

__all__ = ["StatusLine"]


def format_speed(speed: float) -> str:
    return f"{speed:g}×" if speed >= 1 else f"1/{round(1 / speed)}×"


class StatusLine(Widget):
    """``▶ playing  00:12.5 / 01:03.0  ! error  2×  idle ≤ 2s  indexing 40%``."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        & > .status-line--state { color: $success; text-style: bold; }
        & > .status-line--dim { color: $foreground 60%; }
        & > .status-line--error { color: $error; text-style: bold; }
    }
    """

    COMPONENT_CLASSES = {"status-line--state", "status-line--dim", "status-line--error"}

    t: reactive[float] = reactive(0.0)
    """Recorded seconds played."""
    duration: reactive[float | None] = reactive(None)
    """Length of the recording, None until indexed."""
    indexed_t: reactive[float] = reactive(0.0)
    """Time reached by the index (shown as a lower bound while indexing)."""
    playing: reactive[bool] = reactive(False)
    """Playing or paused."""
    following: reactive[bool] = reactive(False)
    """Following a live session at its head (``coterm watch``)."""
    ended: reactive[bool] = reactive(False)
    """At the end of the recording."""
    speed: reactive[float] = reactive(1.0)
    """Playback speed."""
    idle_limit: reactive[float | None] = reactive(None)
    """Idle-time limit in seconds, None for none."""
    indexing: reactive[float | None] = reactive(None)
    """Fraction indexed while indexing runs, None once done."""
    chapter: reactive[str] = reactive("")
    """The marker, command or note playback last passed (glyph and label)."""
    seeking: reactive[bool] = reactive(False)
    """A seek past the indexed part is replaying from the last keyframe."""
    error: reactive[str | None] = reactive(None)
    """Why the recording stops early (a bad line), or another problem."""

    def render(self) -> Text:
        state = self.get_component_rich_style("status-line--state")
        dim = self.get_component_rich_style("status-line--dim")
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.ended:
            text.append("■ end", state)
        elif self.following:
            text.append("● following live", state)
        else:
            text.append("▶ playing" if self.playing else "‖ paused", state)
        end = (format_time(self.duration, True) if self.duration is not None
               else f"≥{format_time(self.indexed_t, True)}")
        text.append(f"  {format_time(self.t, True)} / {end}")
        if self.error:  # before the rest: a narrow window must still show it
            text.append(f"  ! {self.error}", self.get_component_rich_style("status-line--error"))
        text.append(f"  {format_speed(self.speed)}")
        if self.idle_limit:
            text.append(f"  idle ≤ {self.idle_limit:g}s", dim)
        if self.chapter:
            text.append(f"  {self.chapter}", dim)
        if self.seeking:
            text.append("  seeking past the index…", state)
        if self.indexing is not None:
            text.append(f"  indexing {self.indexing * 100:.0f}%", dim)
        return text
