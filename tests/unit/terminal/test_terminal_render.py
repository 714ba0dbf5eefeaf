"""Renderers: plain text, ANSI and SVG pictures of a screen."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from coterm_tui.core.terminal import Terminal
from coterm_tui.core.terminal.render import colour_hex, render_ansi, render_svg, render_text

SVG = "{http://www.w3.org/2000/svg}"


def screen() -> Terminal:
    term = Terminal(20, 6)
    term.feed("plain   \r\n\x1b[1;31mred\x1b[0m and \x1b[44mblue bg\x1b[m\r\n")
    term.feed("中文 \x1b[7mrev\x1b[m <&>\r\n\x1b[38;2;1;2;3mtrue\x1b[m")
    return term


def test_text_trims_trailing_spaces_and_empty_rows() -> None:
    assert render_text(screen()) == "plain\nred and blue bg\n中文 rev <&>\ntrue\n"
    assert render_text(Terminal(5, 2)) == ""


def test_ansi_has_colours_and_resets_at_every_line_end() -> None:
    out = render_ansi(screen())
    lines = out.split("\n")
    assert lines[0] == "plain"
    assert lines[1] == "\x1b[0;1;31mred\x1b[0m and \x1b[0;44mblue bg\x1b[0m"
    assert "\x1b[0;7mrev\x1b[0m" in lines[2]
    assert lines[3] == "\x1b[0;38;2;1;2;3mtrue\x1b[0m"
    again = Terminal(20, 6)
    again.feed(out.replace("\n", "\r\n"))
    assert [again.row(y) for y in range(4)] == [screen().row(y) for y in range(4)]


def test_svg_is_well_formed_with_palette_colours_and_escaped_text() -> None:
    svg = render_svg(screen(), title="incident <42>")
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    assert texts[0] == "incident <42>"
    assert any("<&>" in t for t in texts)
    spans = {s.text: s.attrib for s in root.iter(SVG + "tspan")}
    assert spans["red"]["fill"] == colour_hex("red", "") == "#cd3131"
    assert spans["red"]["font-weight"] == "bold"
    assert spans["true"]["fill"] == "#010203"
    fills = {r.attrib["fill"] for r in root.iter(SVG + "rect")}
    assert "#2472c8" in fills  # blue background run
    assert spans["中"]["x"] == "0.0" and spans["文"]["x"] == "16.8"  # wide cells stay aligned


def test_svg_without_title_and_hidden_cursor() -> None:
    term = Terminal(4, 2)
    term.feed("\x1b[?25lab")
    root = ET.fromstring(render_svg(term))
    assert not [t for t in root.iter(SVG + "circle")]
    assert len(list(root.iter(SVG + "rect"))) == 1  # only the background


def test_colour_hex() -> None:
    assert colour_hex("default", "#fff") == "#fff"
    assert colour_hex("brightbrown", "") == "#f5f543"
    assert colour_hex("AF5F00", "") == "#af5f00"
    assert colour_hex("nonsense", "#000") == "#000"
