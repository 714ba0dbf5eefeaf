"""Replay timing without any UI: speed steps, idle limit, marks, time parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coterm_tui.core.events import Command, Marker, Note, Output
from coterm_tui.core.timeline import (
    SPEEDS,
    IdleMap,
    Mark,
    faster,
    format_time,
    limit_idle_time,
    mark_at,
    mark_of,
    merge_marks,
    next_mark,
    parse_time,
    playback_delay,
    prev_mark,
    slower,
)


def test_speed_steps_go_from_one_sixteenth_to_sixteen_and_stop_there() -> None:
    assert SPEEDS[0] == 1 / 16 and SPEEDS[-1] == 16
    assert faster(1.0) == 2.0 and slower(1.0) == 0.5
    assert faster(16.0) == 16.0 and slower(1 / 16) == 1 / 16
    assert faster(3.0) == 4.0 and slower(3.0) == 2.0  # an odd --speed joins the steps


def test_playback_delay_caps_gaps_and_divides_by_speed() -> None:
    assert playback_delay(10.0, 2.0, None) == 5.0
    assert playback_delay(10.0, 2.0, 1.0) == 0.5
    assert playback_delay(-1.0, 1.0, None) == 0.0
    assert playback_delay(3.0, 1.0, 0) == 3.0  # 0 means no limit


def test_limit_idle_time_matches_asciinema() -> None:
    assert list(limit_idle_time([0.5, 1.0, 11.0, 11.5], 2.0)) == [0.5, 1.0, 3.0, 3.5]
    assert list(limit_idle_time([1.0, 5.0], None)) == [1.0, 5.0]


times_st = st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=40).map(sorted)


@given(times_st, st.floats(0.1, 10))
def test_idle_map_agrees_with_limit_idle_time_and_inverts(times: list[float],
                                                         limit: float) -> None:
    m = IdleMap(limit)
    for t in times:
        m.add(t)
    for t, p in zip(times, limit_idle_time(times, limit), strict=True):
        assert m.to_playback(t) == pytest.approx(p, abs=1e-6)
        assert m.to_recorded(p) == pytest.approx(t, abs=1e-6)


def test_idle_map_inside_a_cut_gap() -> None:
    m = IdleMap(2.0)
    for t in (1.0, 11.0):
        m.add(t)
    assert m.to_playback(2.0) == 2.0  # the first 2 s of the pause play normally
    assert m.to_playback(5.0) == 3.0  # then the clock waits at the cut
    assert m.to_playback(11.0) == 3.0
    assert m.to_recorded(2.5) == 2.5
    assert m.to_recorded(3.0) == 11.0  # the cut point maps to the next event
    assert m.to_recorded(4.0) == 12.0


def test_marks_come_from_markers_command_starts_and_live_notes() -> None:
    assert mark_of(Marker(1.0, "intro")) == Mark(1.0, "marker", "intro")
    assert mark_of(Command(2.0, 1, "ls", start=2.0)) == Mark(2.0, "command", "ls")
    assert mark_of(Command(3.0, 1, "ls", start=2.0, end=3.0, exit_code=0)) is None
    assert mark_of(Note(4.0, "n1", "ana", "look")) == Mark(4.0, "note", "look")
    assert mark_of(Note(4.0, "n1", "ana", "look", deleted=True)) is None
    assert mark_of(Output(1.0, "x")) is None


def test_next_and_prev_mark_walk_the_timeline() -> None:
    marks = merge_marks((), [Mark(5.0, "marker"), Mark(1.0, "command"), Mark(5.0, "marker")])
    assert [m.t for m in marks] == [1.0, 5.0]
    assert next_mark(marks, 0.0) == marks[0]
    assert next_mark(marks, 1.0) == marks[1]  # strictly after
    assert next_mark(marks, 5.0) is None
    assert prev_mark(marks, 5.0) == marks[0]  # just landed on 5.0: go to the one before
    assert prev_mark(marks, 6.0) == marks[1]
    assert prev_mark(marks, 1.2) is None
    assert mark_at(marks, 0.5) is None and mark_at(marks, 1.0) == marks[0]
    assert mark_at(marks, 4.9) == marks[0] and mark_at(marks, 7.0) == marks[1]


@pytest.mark.parametrize(("text", "seconds"), [
    ("12.5", 12.5), ("0", 0.0), ("1:05", 65.0), ("01:02:03.5", 3723.5), ("90", 90.0),
])
def test_parse_time(text: str, seconds: float) -> None:
    assert parse_time(text) == seconds


@pytest.mark.parametrize("text", ["", "-1", "1:60", "1:60:00", "a", "1:2:3:4", "nan", "inf",
                                  "1::2", ":5"])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


def test_format_time() -> None:
    assert format_time(65.25) == "01:05"
    assert format_time(65.25, True) == "01:05.2"
    assert format_time(3723.5) == "1:02:03"
