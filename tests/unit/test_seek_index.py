"""Seeking = nearest keyframe + replay gives exactly the screen of a straight replay."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from coterm_tui.core.asciicast import open_cast
from coterm_tui.core.events import Output, Resize
from coterm_tui.core.index_builder import build_index
from coterm_tui.core.replay import Replayer
from coterm_tui.core.seek_index import SeekIndex
from coterm_tui.core.source import FileSource
from coterm_tui.core.terminal import Terminal

from .castgen import write_cast

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "casts"


def straight(path: Path, target: float) -> Terminal:
    """The reference: replay from the start, no index."""
    with open_cast(path) as reader:
        term = Terminal(reader.header.cols, reader.header.rows)
        for event in reader.events():
            if event.t > target:
                break
            if isinstance(event, Output):
                term.feed(event.data)
            elif isinstance(event, Resize):
                term.resize(event.cols, event.rows)
    return term


def state(term: Terminal) -> tuple[object, ...]:
    return (term.cols, term.rows, term.cursor, term.alt_screen,
            tuple(tuple(term.row(y)) for y in range(term.rows)))


def check_random_seeks(path: Path, seed: int, n: int = 25, **every: float) -> None:
    source = FileSource(path, cache=False, **every)  # type: ignore[arg-type]
    source.build()
    duration = source.index.duration or 0.0
    rng = random.Random(seed)
    rep = Replayer(source)
    targets = [rng.uniform(0, duration * 1.1) for _ in range(n)] + [0.0, duration]
    for target in targets:
        rep.seek(target)
        assert state(rep.term) == state(straight(path, target)), f"{path.name} at {target}"
    source.close()


def shared_casts() -> list[Path]:
    return sorted(p for p in SHARED.rglob("*") if p.suffix in (".cast", ".json"))


@pytest.mark.parametrize("path", shared_casts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_seek_equals_straight_replay_on_shared_casts(path: Path) -> None:
    check_random_seeks(path, seed=1, keyframe_bytes=16, keyframe_seconds=0.5)


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("seed", range(4))
def test_seek_equals_straight_replay_on_generated_casts(tmp_path: Path, seed: int,
                                                        version: int) -> None:
    path = write_cast(tmp_path / "gen.cast", seed, version=version)
    check_random_seeks(path, seed, keyframe_bytes=200, keyframe_seconds=3)


@pytest.mark.parametrize("seed", range(10))
def test_skimmed_keyframes_equal_fully_emulated_ones(tmp_path: Path, seed: int) -> None:
    path = write_cast(tmp_path / "gen.cast", seed, events=600)
    dumps = []
    skimmed = 0
    for skim in (True, False):
        index = SeekIndex()
        with open_cast(path) as reader:
            stats = build_index(reader, index, skim=skim, keyframe_bytes=3000)
        skimmed += stats.skimmed
        dumps.append([(kf.seq, index.dump_of(kf)) for kf in index.frames()])
    assert len(dumps[0]) > 3 and skimmed > 0  # the rules did fire
    assert dumps[0] == dumps[1]


def test_step_forward_and_back_walk_frames(tmp_path: Path) -> None:
    path = write_cast(tmp_path / "gen.cast", 7, events=120)
    source = FileSource(path, cache=False, keyframe_bytes=100)
    source.build()
    rep = Replayer(source)
    states = [state(rep.term)]
    seqs = [rep.seq]
    while rep.step():
        states.append(state(rep.term))
        seqs.append(rep.seq)
    assert len(states) > 50
    for expected in reversed(states[:-1]):
        assert rep.step_back()
        assert state(rep.term) == expected
    assert not rep.step_back() or rep.seq == 0
    source.close()


def test_bad_line_mid_file_keeps_what_precedes(tmp_path: Path) -> None:
    path = tmp_path / "bad.cast"
    path.write_text('{"version": 2, "width": 20, "height": 3}\n[0.5, "o", "before"]\n'
                    'not json\n[2.0, "o", "after"]\n')
    source = FileSource(path, cache=False)
    source.build()
    assert source.index.complete and source.index.error and ":3:" in source.index.error
    rep = Replayer(source)
    rep.seek(10)
    assert rep.term.text()[0] == "before" and rep.ended and rep.error
    source.close()
