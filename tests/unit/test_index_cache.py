"""The seek index cache: reopening is instant, an interrupted build resumes, junk is ignored."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from coterm_tui.core import source as source_mod
from coterm_tui.core.index_builder import build_index
from coterm_tui.core.index_cache import IndexCache, cache_file_for
from coterm_tui.core.replay import Replayer
from coterm_tui.core.seek_index import SeekIndex
from coterm_tui.core.source import FileSource

from .castgen import write_cast


@pytest.fixture(autouse=True)
def cache_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_mod, "CACHE_MIN_BYTES", 0)


def frames_of(src: FileSource) -> list[tuple[int, float, int | None, str]]:
    return [(kf.seq, kf.t, kf.offset, src.index.dump_of(kf)) for kf in src.index.frames()]


def test_reopening_loads_the_complete_index(tmp_path: Path, coterm_home: Path) -> None:
    path = write_cast(tmp_path / "a.cast", 1, events=400)
    first = FileSource(path, keyframe_bytes=300)
    first.build()
    expected = frames_of(first), first.index.marks, first.index.duration
    first.close()
    assert cache_file_for(path).is_relative_to(coterm_home)
    again = FileSource(path, keyframe_bytes=300)
    assert again.index.complete  # nothing to build
    assert (frames_of(again), again.index.marks, again.index.duration) == expected
    rep = Replayer(again)
    rep.seek(expected[2] or 0)  # dumps are read back from the file
    again.close()


def test_an_interrupted_build_resumes_where_it_stopped(tmp_path: Path) -> None:
    path = write_cast(tmp_path / "b.cast", 2, events=3000)
    reference = FileSource(path, cache=False, keyframe_bytes=300)
    reference.build()
    index = SeekIndex(path.stat().st_size)
    cache = IndexCache(cache_file_for(path), index)
    stop = threading.Event()
    src = FileSource(path, cache=False)
    build_index(src._reader, index, store=cache.store, stop=stop, on_progress=stop.set,
                keyframe_bytes=300)
    cache.close()
    assert not index.complete and 1 < len(index) < len(reference.index)
    resumed = FileSource(path, keyframe_bytes=300)
    assert not resumed.index.complete and len(resumed.index) == len(index)
    resumed.build()
    assert frames_of(resumed) == frames_of(reference)
    for s in (reference, resumed, src):
        s.close()


def test_a_torn_or_foreign_cache_file_is_rebuilt(tmp_path: Path) -> None:
    path = write_cast(tmp_path / "c.cast", 3, events=200)
    cache_file = cache_file_for(path)
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(b"garbage that is not an index")
    src = FileSource(path, keyframe_bytes=300)
    assert len(src.index) == 0
    src.build()
    src.close()
    with open(cache_file, "ab") as f:
        f.write(b"K\x00\x01")  # a torn record after the end
    again = FileSource(path, keyframe_bytes=300)
    assert again.index.complete
    again.close()


def test_a_second_player_on_the_same_file_indexes_in_memory(tmp_path: Path) -> None:
    path = write_cast(tmp_path / "d.cast", 4, events=100)
    first = FileSource(path)
    second = FileSource(path)  # the cache is locked by the first
    second.build()
    assert second.index.complete
    first.close()
    second.close()


def test_implausible_keyframes_in_a_cache_are_dropped(tmp_path: Path) -> None:
    import struct

    from coterm_tui.core.index_cache import MAGIC

    path = write_cast(tmp_path / "e.cast", 5, events=200)
    cache_file = cache_file_for(path)
    cache_file.parent.mkdir(parents=True)
    bogus = struct.pack("<dqdqHHI", 1.0, 10**12, 1.0, 5, 80, 24, 3) + b"xyz"
    cache_file.write_bytes(MAGIC + b"K" + bogus)  # an offset far past the file's end
    src = FileSource(path, keyframe_bytes=300)
    assert len(src.index) == 0 and not src.index.complete
    src.build()
    rep = Replayer(src)
    rep.seek(src.index.duration or 0)
    src.close()
