"""The recorded terminal's screen, drawn with Textual's line API."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from rich.cells import cell_len
from rich.color import Color, ColorParseError
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.markup import escape
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from ..frame import Frame, Row
from ..safe_text import printable

__all__ = ["TerminalView", "cell_style"]

_NAMES = {"brown": "yellow", "brightbrown": "bright_yellow"}
_STYLE_CACHE: dict[tuple[Any, ...], Style] = {}
_CURSOR = Style(reverse=True)


def _color(name: str) -> Color | None:
    if not name or name == "default":
        return None
    name = _NAMES.get(name, name)
    if name.startswith("bright") and not name.startswith("bright_"):
        name = "bright_" + name[6:]
    if len(name) == 6 and all(c in "0123456789abcdefABCDEF" for c in name):
        name = "#" + name
    try:
        return Color.parse(name)
    except ColorParseError:
        return None


def cell_style(cell: Any) -> Style:
    """The Rich style of a cell, cached by its attributes (a screen has few)."""
    key = (cell.fg, cell.bg, cell.bold, cell.italics, cell.underscore,
           cell.strikethrough, cell.reverse, cell.blink)
    style = _STYLE_CACHE.get(key)
    if style is None:
        if len(_STYLE_CACHE) > 4096:
            _STYLE_CACHE.clear()
        style = Style(color=_color(cell.fg), bgcolor=_color(cell.bg), bold=cell.bold or None,
                      italic=cell.italics or None, underline=cell.underscore or None,
                      strike=cell.strikethrough or None, reverse=cell.reverse or None,
                      blink=cell.blink or None)
        _STYLE_CACHE[key] = style
    return style


def row_strip(row: Row, cols: int, cursor_x: int | None) -> Strip:
    """One row as a strip exactly ``cols`` cells wide (wide characters kept whole)."""
    segments: list[Segment] = []
    text: list[str] = []
    style: Style | None = None
    x = 0
    n = len(row)
    while x < cols:
        cell = row[x] if x < n else None
        if cell is None:
            data, st, width = " ", Style.null(), 1
        else:
            data = cell.data
            width = 2 if x + 1 < n and row[x + 1].data == "" else 1
            if data == "":  # the right half of a wide character already drawn
                x += 1
                continue
            w = cell_len(data)
            if w != width or x + width > cols:  # never let a cell change the row's width
                data = "?" * min(width, cols - x) if w else " " * min(width, cols - x)
                width = min(width, cols - x)
            st = cell_style(cell)
        if x == cursor_x:
            st = st + _CURSOR
        if st is not style and text:
            segments.append(Segment("".join(text), style))
            text = []
        style = st
        text.append(data)
        x += width
    if text:
        segments.append(Segment("".join(text), style))
    return Strip(segments, cols)


class TerminalView(Widget):
    """The screen of the recording, clipped and pannable when larger than the window.

    Sized to the recorded terminal (plus its border) and centred by its parent;
    a recording larger than the room is clipped, the border subtitle says which
    part is shown, and :meth:`pan` moves the window over it. Only rows the
    playback thread reports as changed are re-rendered.
    """

    DEFAULT_CSS = """
    TerminalView {
        width: auto;
        height: auto;
        max-width: 100%;
        max-height: 100%;
        border: round $primary;
        border-title-align: left;
        border-subtitle-align: right;
        background: $background;
    }
    TerminalView.-clipped {
        border: round $warning;
    }
    """

    pan_x: reactive[int] = reactive(0, repaint=False)
    """First recorded column shown (when the recording is wider than the view)."""
    pan_y: reactive[int] = reactive(0, repaint=False)
    """First recorded row shown (when the recording is taller than the view)."""

    #: Rendered rows kept (a 500-row recording fits).
    CACHE_SIZE = 512

    def __init__(self, cols: int, rows: int, label: str = "", *, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: Shown on the border when the recording sets no terminal title.
        self.label = label
        self.cols = cols
        self.rows = rows
        self.screen_title = ""
        self._lines: list[Row] = [()] * rows
        self._cursor: tuple[int, int, bool] = (0, 0, False)
        self._strips: OrderedDict[int, Strip] = OrderedDict()

    # sizing ---------------------------------------------------------------

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.cols

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.rows

    def on_resize(self) -> None:
        self._clamp_pan()
        self._update_border()

    # updates from the playback thread ---------------------------------------

    def apply_frame(self, frame: Frame) -> None:
        """Take changed rows (all of them, and maybe a new size, when ``full``)."""
        old_cursor_row = self._cursor[1]
        if frame.full or (frame.cols, frame.rows) != (self.cols, self.rows):
            resized = (frame.cols, frame.rows) != (self.cols, self.rows)
            self.cols, self.rows = frame.cols, frame.rows
            self._lines = [()] * frame.rows
            self._strips.clear()
            for y, row in frame.lines.items():
                self._lines[y] = row
            self._cursor = frame.cursor
            self.screen_title = frame.title
            self._clamp_pan()
            self._update_border()
            if resized:
                self.refresh(layout=True)
            else:
                self.refresh()
            return
        for y, row in frame.lines.items():
            self._lines[y] = row
            self._strips.pop(y, None)
        changed = set(frame.lines)
        if frame.cursor != self._cursor:
            self._strips.pop(old_cursor_row, None)
            self._strips.pop(frame.cursor[1], None)
            changed.update((old_cursor_row, frame.cursor[1]))
            self._cursor = frame.cursor
        if frame.title != self.screen_title:
            self.screen_title = frame.title
            self._update_border()
        width = self.size.width
        for y in changed:
            vy = y - self.pan_y
            if 0 <= vy < self.size.height:
                self.refresh(Region(0, vy, width, 1))

    # panning --------------------------------------------------------------

    @property
    def clipped(self) -> bool:
        return self.cols > self.size.width or self.rows > self.size.height

    def pan(self, dx: int, dy: int) -> None:
        self.pan_x += dx
        self.pan_y += dy
        self._clamp_pan()
        self._update_border()
        self.refresh()

    def _clamp_pan(self) -> None:
        w, h = self.size.width, self.size.height
        self.pan_x = max(0, min(self.pan_x, self.cols - w)) if w else 0
        self.pan_y = max(0, min(self.pan_y, self.rows - h)) if h else 0

    def _update_border(self) -> None:
        size = f"{self.cols}×{self.rows}"
        # recorded text: no control characters, no markup
        title = escape(printable(self.screen_title or self.label))
        self.border_title = f"{title} · {size}" if title else size
        clipped = self.clipped and self.size.width > 0
        self.set_class(clipped, "-clipped")
        if clipped:
            w, h = self.size.width, self.size.height
            self.border_subtitle = (
                f"clipped: cols {self.pan_x + 1}–{min(self.cols, self.pan_x + w)}/{self.cols}"
                f" rows {self.pan_y + 1}–{min(self.rows, self.pan_y + h)}/{self.rows}"
                " · ctrl+arrows pan"
            )
        else:
            self.border_subtitle = ""

    # rendering ------------------------------------------------------------

    def _row_strip(self, y: int) -> Strip:
        strip = self._strips.get(y)
        if strip is None:
            cx, cy, visible = self._cursor
            strip = row_strip(self._lines[y], self.cols, cx if visible and cy == y else None)
            self._strips[y] = strip
            if len(self._strips) > self.CACHE_SIZE:
                self._strips.popitem(last=False)
        else:
            self._strips.move_to_end(y)
        return strip

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = y + self.pan_y
        if not 0 <= row < self.rows:
            return Strip.blank(width, self.rich_style)
        strip = self._row_strip(row)
        if self.pan_x or width < self.cols:
            strip = strip.crop(self.pan_x, self.pan_x + width)
        return strip.extend_cell_length(width).apply_style(self.rich_style)
