"""Fuzzing: no input makes the reader raise anything but CastError; writes round-trip."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coterm_tui.core.asciicast import open_cast
from coterm_tui.core.errors import CastError
from coterm_tui.core.events import Event, Header, Input, Marker, Output, Resize, Unknown

from .asciicast_helpers import write_events

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

VALID = (
    b'{"version": 3, "term": {"cols": 80, "rows": 24}}\n'
    b'# comment\n'
    b'[0.5, "o", "h\\u00e9llo \\u001b[1m\\u017c"]\n'
    b'[1, "r", "100x30"]\n'
    b'[0.25, "C", "{\\"id\\":1,\\"line\\":\\"ls\\"}"]\n'
    b'[0.1, "m", "mark"]\n'
    b'[0, "x", "0"]\n'
)
VALID_V2 = b'{"version": 2, "width": 80, "height": 24}\n[0.5, "o", "a"]\n[1.5, "i", "b"]\n'
VALID_V1 = b'{\n "version": 1, "width": 80, "height": 24,\n "stdout": [[0.5, "a"], [1, "b"]]\n}\n'


def _read_everything(path: Path) -> None:
    try:
        with open_cast(path) as reader:
            for _ in reader.iter_records():
                pass
    except CastError as exc:
        assert "\n" not in str(exc)
        assert exc.path == str(path)


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_cast_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.cast"
    path.write_bytes(data)
    _read_everything(path)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from([VALID, VALID_V2, VALID_V1])))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "dup"]))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.sampled_from(
                [b"[", b"]", b'"', b",", b"\n", b"-", b"1e999", b"NaN", b"\\u", b"\xff", b"#",
                 b"{}", b"null", b"100000x1"]))
        elif op == "delete":
            del data[i:i + draw(st.integers(1, 8))]
        elif op == "truncate":
            del data[i:]
        else:
            data[i:i] = data[i:i + draw(st.integers(1, 40))]
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_valid_files_raise_only_cast_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.cast"
    path.write_bytes(data)
    _read_everything(path)


def _events(steps: list[tuple[int, int, str]]) -> list[Event]:
    events: list[Event] = []
    us = 0
    for dt, kind, text in steps:
        us += dt
        t = us / 1_000_000
        events.append([Output(t, text), Input(t, text), Marker(t, text),
                       Resize(t, 1 + dt % 1000, 1 + dt % 500), Unknown(t, "q", text)][kind])
    return events


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 4), st.text(max_size=30)),
                max_size=30),
       st.sampled_from([2, 3]))
def test_written_events_read_back_identical(tmp_path: Path, steps: list[tuple[int, int, str]],
                                            version: int) -> None:
    events = _events(steps)
    path = tmp_path / "rt.cast"
    path.write_bytes(write_events(Header(cols=80, rows=24), events, version))
    with open_cast(path) as reader:
        got = list(reader.events())
    assert got == events  # st.text() holds no lone surrogates


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)
FIELDS = ["version", "width", "height", "term", "cols", "rows", "type", "theme", "env", "tags",
          "timestamp", "idle_time_limit", "command", "title", "duration", "stdout"]


@st.composite
def headers(draw: st.DrawFn) -> dict[str, object]:
    header: dict[str, object] = {"version": draw(st.sampled_from([1, 2, 3, 4, "3", None]))}
    for key in draw(st.lists(st.sampled_from(FIELDS), max_size=6)):
        header[key] = draw(JSON | st.integers(0, 2000))
    if draw(st.booleans()):
        header["term"] = {"cols": draw(st.integers(-1, 2000)), "rows": 24,
                          **draw(st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=3))}
    return header


@FUZZ
@given(headers())
def test_arbitrary_headers_raise_only_cast_errors(tmp_path: Path, header: dict[str, object]
                                                  ) -> None:
    path = tmp_path / "h.cast"
    path.write_text(json.dumps(header) + '\n[1, "o", "a"]\n')
    _read_everything(path)
