"""The writer's fast JSON string path writes exactly what ``json`` writes."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from coterm_tui.core.asciicast import CastWriter
from coterm_tui.core.asciicast.writer import json_string
from coterm_tui.core.events import Header, Input, Output

TERMINALISH = st.text(alphabet=st.sampled_from(
    ["a", "Z", " ", "\x1b", "[", "m", "\n", "\r", "\t", "\x08", "\\", '"', "\x07", "\x0c",
     "\x00", "\x7f", "é", "漢", "\u2028", "\U0001f600", "\ud800"]), max_size=200)


@given(st.one_of(st.text(), TERMINALISH))
def test_json_string_matches_the_json_module(text: str) -> None:
    try:
        expected = json.dumps(text, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: \\ud800 escapes, as json's ASCII mode
        expected = json.dumps(text).encode("ascii")
    assert json_string(text) == expected


@given(TERMINALISH)
def test_event_lines_read_back_as_written(text: str) -> None:
    buf = io.BytesIO()
    with CastWriter(buf, Header(80, 24), version=3) as writer:
        writer.write(Output(0.5, text))
        writer.write(Input(1.0, text))
    header, out, inp, end = buf.getvalue().decode("utf-8").split("\n")
    assert json.loads(out) == [0.5, "o", text]
    assert json.loads(inp) == [0.5, "i", text]
    assert end == ""
    assert out.startswith('[0.5, "o", "')
