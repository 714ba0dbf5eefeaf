"""A one-line bar: position, duration, the indexed part, and marks."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from coterm_tui.core.timeline import Mark

__all__ = ["TimelineBar"]

#: Glyph of each kind of mark (coloured by the component class of that name).
MARK_GLYPH = {"marker": "◆", "command": "▸", "note": "✎"}


class TimelineBar(Widget):
    """Where playback is in the recording. Click to seek there.

    ``━`` is played, ``─`` to come, ``┄`` not yet indexed (seeks there replay from
    the last keyframe). ◆ markers, ▸ commands, ✎ notes.
    """

    DEFAULT_CSS = """
    TimelineBar {
        height: 1;
        width: 1fr;
        padding: 0 1;
        & > .timeline-bar--played { color: $primary; }
        & > .timeline-bar--rest { color: $foreground 50%; }
        & > .timeline-bar--unindexed { color: $foreground 25%; }
        & > .timeline-bar--marker { color: $warning; text-style: bold; }
        & > .timeline-bar--command { color: $success; text-style: bold; }
        & > .timeline-bar--note { color: $accent; text-style: bold; }
    }
    """

    COMPONENT_CLASSES = {
        "timeline-bar--played", "timeline-bar--rest", "timeline-bar--unindexed",
        "timeline-bar--marker", "timeline-bar--command", "timeline-bar--note",
    }

    position: reactive[float] = reactive(0.0)
    """Recorded seconds played."""
    duration: reactive[float | None] = reactive(None)
    """The recording's length; None while the index is still being built."""
    indexed: reactive[float] = reactive(1.0)
    """Fraction of the file indexed (0..1)."""
    indexed_t: reactive[float] = reactive(0.0)
    """Recorded time reached by the index."""
    marks: reactive[tuple[Mark, ...]] = reactive(())
    """Markers, commands and notes."""

    @dataclass
    class Seek(Message):
        """The user clicked at ``fraction`` of the bar."""

        fraction: float

    def _length(self) -> float:
        if self.duration is not None:
            return max(self.duration, 1e-9)
        # Unknown end: scale so the indexed part fills the indexed fraction.
        if self.indexed > 0:
            return max(self.indexed_t / self.indexed, self.position, 1e-9)
        return max(self.position, 1e-9)

    def render(self) -> Text:
        width = max(1, self.content_size.width)
        length = self._length()
        played = min(width, round(self.position / length * width))
        known = width if self.duration is not None else min(width, round(self.indexed * width))
        cells = (["━"] * played + ["─"] * max(0, known - played)
                 + ["┄"] * (width - max(known, played)))
        kinds = (["played"] * played + ["rest"] * max(0, known - played)
                 + ["unindexed"] * (width - max(known, played)))
        for mark in self.marks:
            x = min(width - 1, int(mark.t / length * width))
            cells[x], kinds[x] = MARK_GLYPH.get(mark.kind, "|"), mark.kind
        styles = {k: self.get_component_rich_style(f"timeline-bar--{k}")
                  for k in ("played", "rest", "unindexed", *MARK_GLYPH)}
        text = Text(no_wrap=True, overflow="crop")
        for glyph, kind in zip(cells, kinds, strict=True):
            text.append(glyph, styles.get(kind))
        return text

    def on_click(self, event: events.Click) -> None:
        width = max(1, self.content_size.width)
        x = event.x - self.styles.padding.left
        self.post_message(self.Seek(min(1.0, max(0.0, x / width))))
