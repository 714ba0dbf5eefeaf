"""Every real recording in shared/casts reads, and survives a v3 and a v2 rewrite."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coterm_tui.core.asciicast import Comment, open_cast, read_header
from coterm_tui.core.events import (
    Alert,
    Command,
    Exit,
    Header,
    Input,
    Marker,
    Note,
    Output,
    Pause,
    Process,
    Redaction,
    Resize,
    Unknown,
)
from tests.conftest import SHARED_CASTS

from .asciicast_helpers import V3_HEADER, read_all, write_events, write_lines


def _cast_files() -> list[Path]:
    if not SHARED_CASTS.is_dir():
        return [SHARED_CASTS / "MISSING"]  # collected, then fails loudly below
    return sorted(p for p in SHARED_CASTS.rglob("*") if p.suffix in {".cast", ".json"})


CASTS = _cast_files()


def test_the_shared_casts_are_present() -> None:
    assert SHARED_CASTS.is_dir(), f"missing {SHARED_CASTS}: shared/ must sit beside the repo"
    assert len(CASTS) >= 20


@pytest.mark.parametrize("path", CASTS, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("version", [3, 2])
def test_real_cast_survives_a_rewrite(path: Path, version: int, tmp_path: Path) -> None:
    assert path.is_file(), f"missing {path}: shared/ must sit beside the repo"
    with open_cast(path) as reader:
        events = list(reader.events())
        header = reader.header
        assert reader.warnings == []
    assert events, "every shared cast has events"
    out = tmp_path / "out.cast"
    out.write_bytes(write_events(header, events, version))
    with open_cast(out) as again:
        assert again.version == version
        assert list(again.events()) == events
        assert (again.header.cols, again.header.rows) == (header.cols, header.rows)
        if version == header.version:
            assert again.header == header


def test_v3_intervals_are_summed_exactly(shared_casts: Path) -> None:
    v2 = read_all(shared_casts / "asciinema" / "full-v2.cast")
    v3 = read_all(shared_casts / "asciinema" / "full-v3.cast")
    assert [type(e) for e in v2] == [type(e) for e in v3]
    assert v2[3] == Resize(5.600001, 80, 40)
    assert v3 == [
        Output(0.000001, "ż"),
        Output(1.000001, "ółć"),
        Input(1.300001, "\n"),
        Resize(2.900002, 80, 40),
        Output(13.400002, "\r\n"),
    ]


def test_v1_document_is_read(shared_casts: Path) -> None:
    with open_cast(shared_casts / "asciinema" / "full-v1.json") as reader:
        assert reader.version == 1
        assert (reader.header.cols, reader.header.rows) == (100, 50)
        assert [e.t for e in reader.events()] == [0.000001, 10.000001, 10.500001]


def test_exit_status_and_header_fields(shared_casts: Path) -> None:
    events = read_all(shared_casts / "asciinema-player" / "resizing.cast")
    assert events[-1] == Exit(2.1, 0)
    header = read_header(shared_casts / "asciinema" / "full-v3.cast")
    assert header.timestamp == 1509091818
    assert header.env["SHELL"] == "/bin/bash"
    assert header.theme is not None and header.theme["fg"] == "#000000"


COTERM_EVENTS = [
    Output(0.5, "héllo\x1b[0m\r\n"),
    Command(1.0, id=1, line="ls -l", cwd="/tmp", start=1.0),
    Process(1.1, pid=42, ppid=1, argv=("ls", "-l"), cwd="/tmp"),
    Command(1.5, id=1, line="ls -l", cwd="/tmp", start=1.0, end=1.5, exit_code=0),
    Note(2.0, id="n1", author="ana", text="look → here", created=1700000000.5),
    Alert(2.5, rule="rm-rf", message="rm -rf /", severity="critical"),
    Redaction(3.0, rule="aws-key", length=20, stream="o"),
    Pause(3.5, paused=True),
    Pause(4.0, paused=False),
    Marker(4.5, "chapter"),
    Unknown(5.0, "q", {"any": ["json", 1]}),
    Exit(6.0, 130),
]


@pytest.mark.parametrize("version", [3, 2])
def test_coterm_kinds_round_trip(version: int, tmp_path: Path) -> None:
    out = tmp_path / "c.cast"
    out.write_bytes(write_events(Header(cols=80, rows=24), COTERM_EVENTS, version))
    assert read_all(out) == COTERM_EVENTS


def test_coterm_kinds_are_single_letter_codes_with_string_data(tmp_path: Path) -> None:
    data = write_events(Header(cols=80, rows=24), COTERM_EVENTS).decode()
    lines = data.splitlines()
    assert lines[0] == '{"version":3,"term":{"cols":80,"rows":24}}'
    assert lines[1] == '[0.5, "o", "héllo\\u001b[0m\\r\\n"]'
    assert lines[2] == '[0.5, "C", "{\\"id\\":1,\\"line\\":\\"ls -l\\",\\"cwd\\":\\"/tmp\\",' \
        '\\"start\\":1.0,\\"end\\":null,\\"exit_code\\":null}"]'
    assert lines[-1] == '[1.0, "x", "130"]'


def test_malformed_coterm_data_is_kept_as_unknown(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "m.cast", V3_HEADER,
        '[1, "C", "not json"]', '[1, "N", "{\\"id\\": 3}"]', '[1, "S", 17]',
    )
    assert read_all(path) == [
        Unknown(1.0, "C", "not json"), Unknown(2.0, "N", '{"id": 3}'), Unknown(3.0, "S", 17),
    ]
    rewritten = tmp_path / "r.cast"
    rewritten.write_bytes(write_events(read_header(path), read_all(path)))
    assert rewritten.read_text().splitlines()[1:] == [
        '[1.0, "C", "not json"]', '[1.0, "N", "{\\"id\\": 3}"]', '[1.0, "S", 17]',
    ]


def test_comments_are_skipped_by_events_and_kept_by_records(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.cast", V3_HEADER, "# hello", '[1, "o", "a"]',
                       "", "#second", '[1, "o", "b"]')
    assert read_all(path) == [Output(1.0, "a"), Output(2.0, "b")]
    with open_cast(path) as reader:
        records = [item for _, item in reader.iter_records()]
    assert records == [Comment(" hello"), Output(1.0, "a"), Comment("second"), Output(2.0, "b")]


def test_unknown_header_fields_pass_through(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "h.cast",
        '{"version": 3, "term": {"cols": 80, "rows": 24, "font": "x"}, "zzz": [1, 2]}',
        '[1, "o", "a"]',
    )
    header = read_header(path)
    out = tmp_path / "o.cast"
    out.write_bytes(write_events(header, read_all(path)))
    assert out.read_text().splitlines()[0] == (
        '{"version":3,"term":{"cols":80,"rows":24,"font":"x"},"zzz":[1,2]}'
    )


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "s.cast", V3_HEADER, '[1, "o", "a\\ud800b\\ud83e\\udf00"]')
    assert read_all(path) == [Output(1.0, "a\ufffdb\U0001fb00")]


def test_v2_export_keeps_the_terminal_type_in_env(tmp_path: Path) -> None:
    header = Header(cols=80, rows=24, term_type="xterm-256color", env={"SHELL": "/bin/sh"})
    path = tmp_path / "t.cast"
    path.write_bytes(write_events(header, [], 2))
    again = read_header(path)
    assert again.term_type == "xterm-256color"
    assert dict(again.env) == {"SHELL": "/bin/sh", "TERM": "xterm-256color"}


SPEC_TIME = re.compile(r"\[(0|[1-9][0-9]*)\.[0-9]{1,6}, ")


@pytest.mark.parametrize("version", [3, 2])
def test_written_files_conform_to_the_asciicast_spec(version: int) -> None:
    """docs.asciinema.org/manual/asciicast/v3 (and v2): a JSON header object, then
    [time, code, data] arrays; asciinema 3 requires a one-character code and string
    data, and parses times as decimal seconds (we never write exponents)."""
    events = [e for e in COTERM_EVENTS if not isinstance(e, Unknown)]
    header = Header(cols=80, rows=24, term_type="xterm", title="t", extra={"coterm": {"u": 1}})
    lines = write_events(header, [*events, Output(1e-7, "tiny"), Output(86400.5, "day")],
                         version).decode("utf-8").splitlines()
    head = json.loads(lines[0])
    assert head["version"] == version
    if version == 3:
        assert head["term"] == {"cols": 80, "rows": 24, "type": "xterm"}
    else:
        assert (head["width"], head["height"]) == (80, 24)
    for line in lines[1:]:
        assert SPEC_TIME.match(line), line
        time, code, data = json.loads(line)
        assert isinstance(time, float) and time >= 0
        assert isinstance(code, str) and len(code) == 1
        assert isinstance(data, str)
