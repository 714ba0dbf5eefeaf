"""Bad input: one CastError naming file and line; a cut-off last line only warns."""

from __future__ import annotations

from pathlib import Path

import pytest

from coterm_tui.core.asciicast import open_cast
from coterm_tui.core.asciicast.reader import MAX_LINE_BYTES
from coterm_tui.core.errors import CastError
from coterm_tui.core.events import Output

from .asciicast_helpers import V2_HEADER, V3_HEADER, read_all, write_lines

GOOD = '[0.5, "o", "fine"]'

BAD_EVENT_LINES = {
    "not-json": ("hello there", "not valid JSON"),
    "half-json": ('[1, "o", "abc', "not valid JSON"),
    "extra-data": ('[1, "o", "a"] [2]', "not valid JSON"),
    "object": ('{"t": 1}', "must be a [time, code, data] array"),
    "two-items": ('[1, "o"]', "must be a [time, code, data] array"),
    "four-items": ('[1, "o", "a", 4]', "must be a [time, code, data] array"),
    "negative-time": ('[-1, "o", "a"]', "negative or out of range"),
    "string-time": ('["1.0", "o", "a"]', "time must be a number"),
    "bool-time": ('[true, "o", "a"]', "time must be a number"),
    "nan-time": ('[NaN, "o", "a"]', "NaN is not valid JSON"),
    "infinite-time": ('[Infinity, "o", "a"]', "Infinity is not valid JSON"),
    "huge-time": ('[1e300, "o", "a"]', "negative or out of range"),
    "output-not-string": ('[1, "o", 5]', "output data must be a string"),
    "input-not-string": ('[1, "i", null]', "input data must be a string"),
    "marker-not-string": ('[1, "m", []]', "marker label must be a string"),
    "code-not-string": ('[1, 7, "a"]', "event code must be"),
    "empty-code": ('[1, "", "a"]', "event code must be"),
    "absurd-cols": ('[1, "r", "100000x24"]', "cols 100000 is out of range"),
    "absurd-rows": ('[1, "r", "80x0"]', "rows 0 is out of range"),
    "bad-resize": ('[1, "r", "80 by 24"]', "is not like '80x24'"),
    "bad-exit": ('[1, "x", "zero"]', "is not an integer"),
    "deep-nesting": ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
}


@pytest.mark.parametrize("version_header", [V3_HEADER, V2_HEADER], ids=["v3", "v2"])
@pytest.mark.parametrize("line,reason", BAD_EVENT_LINES.values(), ids=BAD_EVENT_LINES.keys())
def test_bad_event_line_mid_file(version_header: str, line: str, reason: str,
                                 tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.cast", version_header, GOOD, line, GOOD)
    with open_cast(path) as reader:
        events = reader.iter_events()
        assert next(events)[1] == Output(0.5, "fine")  # what precedes the bad line is read
        with pytest.raises(CastError) as info:
            next(events)
    err = info.value
    assert (err.path, err.line) == (str(path), 3)
    assert reason in str(err)
    assert str(err).startswith(f"{path}:3: ")
    assert "\n" not in str(err)


BAD_HEADERS = {
    "unknown-version": ('{"version": 4, "term": {"cols": 80, "rows": 24}}', "version 4"),
    "no-version": ('{"width": 80, "height": 24}', "version None"),
    "absurd-width": ('{"version": 2, "width": 100000, "height": 24}', "cols 100000"),
    "absurd-cols": ('{"version": 3, "term": {"cols": 100000, "rows": 24}}', "cols 100000"),
    "no-term": ('{"version": 3}', "lacks the 'term' object"),
    "not-json": ("hello", "the first line is not JSON"),
    "array": ('[1, "o", "a"]', "not a JSON object"),
    "comment-first": ("# comment", "the first line is not JSON"),
    "string-width": ('{"version": 2, "width": "80", "height": 24}', "cols must be an integer"),
}


@pytest.mark.parametrize("header,reason", BAD_HEADERS.values(), ids=BAD_HEADERS.keys())
def test_bad_header(header: str, reason: str, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.cast", header, GOOD)
    with pytest.raises(CastError) as info:
        open_cast(path)
    assert info.value.line == 1
    assert reason in str(info.value)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "u.cast"
    path.write_bytes(f"{V3_HEADER}\n{GOOD}\n".encode() + b'[1, "o", "\xff\xfe"]\n' + b"[1]\n")
    with pytest.raises(CastError, match=r"u\.cast:3: invalid UTF-8 at byte 11 of the line"):
        read_all(path)


def test_invalid_utf8_header(tmp_path: Path) -> None:
    path = tmp_path / "u.cast"
    path.write_bytes(b'{"version": 2, "width": 80, "height": 24, "title": "\xc3"}\n')
    with pytest.raises(CastError, match=r"u\.cast:1: not an asciicast file: invalid UTF-8"):
        open_cast(path)


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "r.cast"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CastError, match=r"r\.cast:1: "):
        open_cast(path)


def test_overlong_line(tmp_path: Path) -> None:
    path = tmp_path / "long.cast"
    with open(path, "wb") as f:
        f.write(f"{V3_HEADER}\n{GOOD}\n".encode())
        f.write(b'[1, "o", "' + b"a" * MAX_LINE_BYTES + b'"]\n')
    with pytest.raises(CastError, match=r"long\.cast:3: line is longer than 16 MiB"):
        read_all(path)


def test_truncated_last_line_is_skipped_with_a_warning(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "t.cast", V3_HEADER, GOOD, '[0.25, "o", "cut sh',
                       newline_at_end=False)
    with open_cast(path) as reader:
        assert list(reader.events()) == [Output(0.5, "fine")]
        assert reader.warnings == [
            f"{path}:3: the last line is incomplete (recording cut short?); skipped"]


def test_truncated_inside_a_utf8_character(tmp_path: Path) -> None:
    path = tmp_path / "t.cast"
    path.write_bytes(f"{V3_HEADER}\n{GOOD}\n".encode() + '[0.25, "o", "ż'.encode()[:-1])
    with open_cast(path) as reader:
        assert list(reader.events()) == [Output(0.5, "fine")]
        assert len(reader.warnings) == 1


def test_complete_last_line_without_newline_is_read(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "n.cast", V3_HEADER, GOOD, newline_at_end=False)
    with open_cast(path) as reader:
        assert list(reader.events()) == [Output(0.5, "fine")]
        assert reader.warnings == []


def test_valid_json_but_bad_event_on_the_last_line_is_an_error(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "n.cast", V3_HEADER, '[-1, "o", "a"]', newline_at_end=False)
    with pytest.raises(CastError, match="n.cast:2: "):
        read_all(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "e.cast"
    path.write_bytes(b"")
    with pytest.raises(CastError, match=r"e\.cast:1: empty file"):
        open_cast(path)


def test_header_only(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "h.cast", V2_HEADER)
    assert read_all(path) == []
    path = write_lines(tmp_path / "h.cast", V3_HEADER, newline_at_end=False)
    assert read_all(path) == []


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CastError, match="nope.cast: No such file"):
        open_cast(tmp_path / "nope.cast")


def test_blank_lines_and_crlf_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "crlf.cast"
    path.write_bytes(f"\ufeff{V2_HEADER}\r\n\r\n{GOOD}\r\n".encode())
    assert read_all(path) == [Output(0.5, "fine")]


BAD_V1 = {
    "not-a-list": ('{"version": 1, "width": 80, "height": 24, "stdout": 3}', "must be a list"),
    "bad-frame": ('{"version": 1, "width": 80, "height": 24, "stdout": [[1]]}',
                  "stdout frame 1: a frame must be"),
    "negative": ('{"version": 1, "width": 80, "height": 24, "stdout": [[-1, "a"]]}',
                 "stdout frame 1: time -1"),
    "absurd": ('{"version": 1, "width": 80000, "height": 24, "stdout": []}', "cols 80000"),
    "broken-json": ('{\n"version": 1,\n"width": 80,\n"height": 24\n"stdout": []}',
                    ":5: not valid JSON"),
    "not-v1": ('{\n"version": 7\n}', "not an asciicast v1/v2/v3 object"),
}


@pytest.mark.parametrize("doc,reason", BAD_V1.values(), ids=BAD_V1.keys())
def test_bad_v1_document(doc: str, reason: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(doc)
    with pytest.raises(CastError) as info:
        open_cast(path)
    assert reason in str(info.value)


def test_oversized_v1_document_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coterm_tui.core.asciicast import v1

    monkeypatch.setattr(v1, "MAX_V1_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text('{\n"version": 1, "width": 80, "height": 24,\n"stdout": [' +
                    ", ".join(['[0.1, "aaaa"]'] * 20) + "]}")
    with pytest.raises(CastError, match="too large"):
        open_cast(path)
