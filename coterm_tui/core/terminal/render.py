"""Pictures of a screen: plain text, ANSI-coloured text, and a self-contained SVG.

Used by ``coterm snapshot --format txt|ansi|svg``. All three read the screen through
``Terminal.row`` only. ``PALETTE``/``colour_hex`` map pyte colours to the dark theme
used in the SVG (and are there for any other renderer that wants the same colours).
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from pyte.screens import Char

from .cells import BLANK, is_wide
from .dump import sgr_params
from .terminal import Terminal

BACKGROUND = "#1e1e1e"
FOREGROUND = "#cccccc"
PALETTE: dict[str, str] = {
    "black": "#000000", "red": "#cd3131", "green": "#0dbc79", "brown": "#e5e510",
    "blue": "#2472c8", "magenta": "#bc3fbc", "cyan": "#11a8cd", "white": "#e5e5e5",
    "brightblack": "#666666", "brightred": "#f14c4c", "brightgreen": "#23d18b",
    "brightbrown": "#f5f543", "brightblue": "#3b8eea", "brightmagenta": "#d670d6",
    "brightcyan": "#29b8db", "brightwhite": "#ffffff",
}  # fmt: skip
FONT = (
    "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', "
    "'Noto Sans Mono CJK SC', 'Noto Color Emoji', monospace"
)
FONT_SIZE = 14
CELL_W = 8.4  # 0.6 em: the advance of common monospace fonts
CELL_H = 18
PAD = 12
BAR = 28


def colour_hex(colour: str, default: str) -> str:
    """``"#rrggbb"`` for a pyte colour (``"default"`` gives ``default``)."""
    if colour == "default":
        return default
    named = PALETTE.get(colour)
    if named is not None:
        return named
    if len(colour) == 6 and all(c in "0123456789abcdef" for c in colour.lower()):
        return "#" + colour.lower()
    return default


def runs(row: list[Char]) -> Iterator[tuple[int, str, int, Char]]:
    """(column, text, width in cells, attributes) for runs of equally styled cells;
    a wide character is a run of its own (width 2), so pictures stay aligned."""
    start, text, attrs = 0, "", BLANK
    x = 0
    while x < len(row):
        cell = row[x]
        wide = is_wide(cell.data)
        if cell.data == "" and x > 0:  # stub of a wide character already emitted
            x += 1
            continue
        if text and (wide or cell[1:] != attrs[1:]):
            yield start, text, x - start, attrs
            text = ""
        if not text:
            start, attrs = x, cell
        text += cell.data or " "
        if wide:
            yield start, text, 2, attrs
            text = ""
            x += 2
            continue
        x += 1
    if text:
        yield start, text, len(row) - start, attrs


def _visible_rows(term: Terminal) -> int:
    text = term.text()
    while text and not text[-1] and all(c == BLANK for c in term.row(len(text) - 1)):
        text.pop()
    return len(text)


def render_text(term: Terminal) -> str:
    """The rows, trailing spaces and trailing empty rows trimmed."""
    rows = term.text()
    while rows and not rows[-1]:
        rows.pop()
    return "".join(row + "\n" for row in rows)


def render_ansi(term: Terminal) -> str:
    """The rows with SGR colours and attributes, reset at every line end."""
    lines = []
    for y in range(_visible_rows(term)):
        row = list(term.row(y))
        while row and row[-1] == BLANK:
            row.pop()
        parts = []
        for _x, text, _w, attrs in runs(row):
            params = sgr_params(attrs)
            parts.append(text if params == "0" else f"\x1b[{params}m{text}\x1b[0m")
        lines.append("".join(parts) + "\n")
    return "".join(lines)


def _xml(text: str) -> str:
    clean = "".join(c if c.isprintable() or c == " " else "\ufffd" for c in text)
    return escape(clean, quote=True)


def render_svg(term: Terminal, title: str | None = None) -> str:
    """A self-contained SVG picture of the screen: dark theme, 16-colour palette."""
    width = round(term.cols * CELL_W + 2 * PAD)
    top = BAR if title is not None else 0
    height = round(term.rows * CELL_H + 2 * PAD + top)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f'<rect width="100%" height="100%" rx="6" fill="{BACKGROUND}"/>',
    ]
    if title is not None:
        out.append(f'<rect width="100%" height="{BAR}" rx="6" fill="#2d2d2d"/>')
        for i, dot in enumerate(("#ff5f56", "#ffbd2e", "#27c93f")):
            out.append(f'<circle cx="{PAD + 6 + i * 18}" cy="{BAR / 2}" r="6" fill="{dot}"/>')
        out.append(
            f'<text x="{width / 2}" y="{BAR / 2 + 5}" fill="#a0a0a0" text-anchor="middle" '
            f'font-family="{FONT}" font-size="13">{_xml(title)}</text>'
        )
    out.append(
        f'<g font-family="{FONT}" font-size="{FONT_SIZE}" xml:space="preserve" '
        f'transform="translate({PAD} {PAD + top})">'
    )
    cursor_x, cursor_y, visible = term.cursor
    for y in range(term.rows):
        spans, rects = [], []
        baseline = y * CELL_H + CELL_H * 0.75
        for x, text, cells, attrs in runs(list(term.row(y))):
            fg = colour_hex(attrs.fg, FOREGROUND)
            bg = colour_hex(attrs.bg, BACKGROUND)
            if attrs.reverse:
                fg, bg = bg, fg
            if bg != BACKGROUND:
                rects.append(
                    f'<rect x="{x * CELL_W:.1f}" y="{y * CELL_H}" width="{cells * CELL_W:.1f}" '
                    f'height="{CELL_H}" fill="{bg}"/>'
                )
            if not text.strip() and not (attrs.underscore or attrs.strikethrough):
                continue
            style = [f'fill="{fg}"']
            if attrs.bold:
                style.append('font-weight="bold"')
            if attrs.italics:
                style.append('font-style="italic"')
            lines = [d for on, d in ((attrs.underscore, "underline"),
                                     (attrs.strikethrough, "line-through")) if on]  # fmt: skip
            if lines:
                style.append(f'text-decoration="{" ".join(lines)}"')
            spans.append(f'<tspan x="{x * CELL_W:.1f}" {" ".join(style)}>{_xml(text)}</tspan>')
        out.extend(rects)
        if visible and y == cursor_y:
            out.append(
                f'<rect x="{cursor_x * CELL_W:.1f}" y="{y * CELL_H}" width="{CELL_W}" '
                f'height="{CELL_H}" fill="{FOREGROUND}" fill-opacity="0.5"/>'
            )
        if spans:
            out.append(f'<text y="{baseline:.1f}">{"".join(spans)}</text>')
    out.append("</g></svg>\n")
    return "\n".join(out)
