"""Resuming at a yielded offset, and times that never drift on write."""

from __future__ import annotations

from pathlib import Path

import pytest

from coterm_tui.core.asciicast import CastWriter, open_cast
from coterm_tui.core.errors import CastError
from coterm_tui.core.events import Event, Header, Marker, Output, Resize
from tests.conftest import SHARED_CASTS

from .asciicast_helpers import V2_HEADER, V3_HEADER, read_all, write_lines

MIXED = [
    Output(0.1, "a"), Output(0.25, "b\r\n"), Marker(0.5, "m"), Resize(0.75, 100, 30),
    Output(1 / 3, "late (clamped on write)"), Output(2.0, "ü" * 100), Output(2.0, "same time"),
]


@pytest.mark.parametrize("version", [3, 2])
def test_resuming_at_any_offset_yields_the_rest(version: int, tmp_path: Path) -> None:
    path = tmp_path / "r.cast"
    with CastWriter(path, Header(cols=80, rows=24), version) as writer:
        for event in MIXED:
            writer.write(event)
    with open_cast(path) as reader:
        items = list(reader.iter_events())
        assert len(items) == len(MIXED)
        for i, (offset, _) in enumerate(items):
            t0 = items[i - 1][1].t if i else 0.0
            assert list(reader.iter_events(offset, t0)) == items[i:]


def test_offsets_are_line_starts(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "o.cast", V3_HEADER, "# c", '[1, "o", "a"]', '[1, "o", "ż"]')
    data = path.read_bytes()
    with open_cast(path) as reader:
        offsets = [offset for offset, _ in reader.iter_events()]
        assert reader.data_start == len(V3_HEADER) + 1
    assert [data[o:].split(b"\n")[0] for o in offsets] == [b'[1, "o", "a"]', '[1, "o", "ż"]'
                                                           .encode()]


def test_resume_works_on_real_casts() -> None:
    for path in sorted(SHARED_CASTS.rglob("*.cast")):
        with open_cast(path) as reader:
            items = list(reader.iter_events())
            mid = len(items) // 2
            t0 = items[mid - 1][1].t if mid else 0.0
            assert list(reader.iter_events(items[mid][0], t0)) == items[mid:], path


def test_an_offset_inside_a_line_is_refused(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "o.cast", V3_HEADER, '[1, "o", "a"]')
    with open_cast(path) as reader:
        with pytest.raises(ValueError, match="not the start of a line"):
            next(reader.iter_events(reader.data_start + 2))
        with pytest.raises(ValueError, match="inside the header"):
            next(reader.iter_events(3))


def test_an_error_after_resuming_names_the_true_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "e.cast", V2_HEADER, '[1, "o", "a"]', '[2, "o", "b"]', "oops")
    with open_cast(path) as reader:
        items = []
        with pytest.raises(CastError) as info:
            for item in reader.iter_events():
                items.append(item)
        assert str(info.value) == f"{path}:4: not valid JSON (Expecting value)"
        assert len(items) == 2  # what precedes the bad line was yielded
        with pytest.raises(CastError) as again:
            list(reader.iter_events(items[1][0], items[0][1].t))
        assert (again.value.path, again.value.line) == (str(path), 4)


def test_ten_thousand_thirds_of_a_second_do_not_drift(tmp_path: Path) -> None:
    path = tmp_path / "d.cast"
    n = 10_000
    with CastWriter(path, Header(cols=80, rows=24)) as writer:
        for k in range(1, n + 1):
            writer.write(Output(k / 3, "x"))
    events: list[Event] = read_all(path)
    assert len(events) == n
    assert abs(events[-1].t - n / 3) <= 1e-6
    assert all(abs(e.t - (k + 1) / 3) <= 1e-6 for k, e in enumerate(events))
    lines = path.read_text().splitlines()[1:4]
    assert lines == ['[0.333333, "o", "x"]', '[0.333334, "o", "x"]', '[0.333333, "o", "x"]']


def test_v2_times_going_backwards_are_clamped_with_a_warning(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "b.cast", V2_HEADER, '[2, "o", "a"]', '[1.5, "o", "b"]',
                       '[1, "o", "c"]')
    with open_cast(path) as reader:
        assert list(reader.events()) == [Output(2.0, "a"), Output(2.0, "b"), Output(2.0, "c")]
        list(reader.events())  # a second pass does not repeat the warning
        assert reader.warnings == [f"{path}:3: time goes backwards; clamped to the previous "
                                   "event's"]


def test_v3_writer_clamps_events_out_of_order(tmp_path: Path) -> None:
    path = tmp_path / "w.cast"
    with CastWriter(path, Header(cols=80, rows=24)) as writer:
        writer.write(Output(2.0, "a"))
        writer.write(Output(1.0, "b"))
    assert path.read_text().splitlines()[1:] == ['[2.0, "o", "a"]', '[0.0, "o", "b"]']


def test_writer_to_a_file_object_leaves_it_open(tmp_path: Path) -> None:
    with open(tmp_path / "f.cast", "wb") as f:
        with CastWriter(f, Header(cols=80, rows=24), 2) as writer:
            writer.write(Output(1.5, "a"))
            writer.comment("dropped in v2")
        assert not f.closed
    assert (tmp_path / "f.cast").read_text().splitlines() == [
        '{"version":2,"width":80,"height":24}', '[1.5, "o", "a"]']
