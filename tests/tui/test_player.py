"""The player driven with Pilot: seeking, speed, markers, pause and step, panning,
recorded resizes, help, and a recording with a bad line."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from coterm_tui.app.player_app import make_player
from coterm_tui.app.screens.help import HelpScreen
from coterm_tui.app.widgets.timeline_bar import TimelineBar
from coterm_tui.core.asciicast import open_cast
from coterm_tui.core.index_builder import build_index
from coterm_tui.core.replay import Replayer
from coterm_tui.core.source import FileSource

from ..unit.castgen import write_cast
from .helpers import open_player, press, settle, shown_text, status, view, view_text, wait_until


def expected_text(path: Path, t: float) -> list[str]:
    source = FileSource(path, cache=False)
    rep = Replayer(source)
    rep.seek(t)
    text = rep.term.text()
    source.close()
    return text


async def test_arrows_digits_and_g_seek(shared_casts: Path) -> None:
    path = shared_casts / "asciinema-player" / "simple.cast"  # "hello" lines, 2 s … 12 s
    app = open_player(path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await press(pilot, "right")  # +5 s
        assert status(pilot).t == 5.0
        assert view_text(pilot) == expected_text(path, 5.0)
        await press(pilot, "right", "right", "left")  # 15 → clamped to 12, then 7
        assert status(pilot).t == 7.0
        await press(pilot, "5")  # 50 %
        assert status(pilot).t == 6.0
        assert view_text(pilot) == expected_text(path, 6.0)
        await press(pilot, "shift+right")  # +10 %
        assert abs(status(pilot).t - 7.2) < 1e-9
        await press(pilot, "G")
        assert status(pilot).t == 12.0 and status(pilot).ended
        assert view_text(pilot) == expected_text(path, 12.0)
        await press(pilot, "g")
        assert status(pilot).t == 0.0 and view_text(pilot) == expected_text(path, 0.0)
        await press(pilot, "left")  # never before the start
        assert status(pilot).t == 0.0


async def test_speed_keys_step_through_sixteenths_to_sixteen(shared_casts: Path) -> None:
    app = open_player(shared_casts / "asciinema-player" / "long.cast")
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await press(pilot, "greater_than_sign", "plus")
        assert status(pilot).speed == 4.0
        await press(pilot, *["greater_than_sign"] * 5)
        assert status(pilot).speed == 16.0
        await press(pilot, *["less_than_sign"] * 4, "minus")
        assert status(pilot).speed == 0.5
        await press(pilot, *["minus"] * 10)
        assert status(pilot).speed == 1 / 16
        assert "1/16×" in str(status(pilot).render())


async def test_playing_runs_the_clock_to_the_end(shared_casts: Path) -> None:
    path = shared_casts / "asciinema-player" / "long.cast"  # 12 s; at 16× under a second
    app = open_player(path, speed=16.0)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert not status(pilot).playing
        await press(pilot, "space")
        assert status(pilot).playing
        await wait_until(pilot, lambda: status(pilot).ended)
        await settle(pilot)
        assert not status(pilot).playing and status(pilot).t == 12.0
        assert view_text(pilot)[:4] == ["start", "one", "six", "twelve"]
        await press(pilot, "space")  # at the end, space plays again from the start
        assert status(pilot).playing and status(pilot).t < 12.0


async def test_playing_on_under_the_help_screen(shared_casts: Path) -> None:
    app = open_player(shared_casts / "asciinema-player" / "long.cast", speed=16.0)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await press(pilot, "space", "question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        await wait_until(pilot, lambda: status(pilot).ended)  # updates reach the player
        await pilot.press("question_mark")
        await pilot.pause()
        assert view_text(pilot)[3] == "twelve"


async def test_idle_limit_shortens_pauses(shared_casts: Path) -> None:
    app = open_player(shared_casts / "asciinema-player" / "long.cast", idle_limit=0.1,
                      speed=16.0)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await press(pilot, "space")
        await wait_until(pilot, lambda: status(pilot).ended)
        assert "idle ≤ 0.1s" in str(status(pilot).render())


async def test_brackets_jump_between_markers(shared_casts: Path) -> None:
    app = open_player(shared_casts / "asciinema-player" / "markers.cast")
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        bar = pilot.app.screen.query_one(TimelineBar)
        assert [m.t for m in bar.marks] == [0.5, 1.1]
        await press(pilot, "right_square_bracket")
        assert status(pilot).t == 0.5 and view_text(pilot)[:2] == ["start", ""]
        assert "◆ first" in str(status(pilot).render())
        await press(pilot, "right_square_bracket")
        assert status(pilot).t == 1.1 and view_text(pilot)[:2] == ["start", "middle"]
        assert "◆ second" in str(status(pilot).render())
        await press(pilot, "right_square_bracket")  # no marker after: stays
        assert status(pilot).t == 1.1
        await press(pilot, "left_square_bracket")
        assert status(pilot).t == 0.5


async def test_comma_and_full_stop_step_one_frame(shared_casts: Path) -> None:
    app = open_player(shared_casts / "asciinema-player" / "markers.cast")
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await press(pilot, "full_stop")
        assert status(pilot).t == 0.2 and view_text(pilot)[0] == "start"
        await press(pilot, "full_stop")  # skips the marker: the next *frame* is at 0.6
        assert status(pilot).t == 0.6 and view_text(pilot)[1] == "middle"
        await press(pilot, "comma")
        assert view_text(pilot)[:2] == ["start", ""] and not status(pilot).playing
        await press(pilot, "comma")
        assert view_text(pilot)[0] == ""


async def test_big_recording_is_clipped_and_pans(tmp_path: Path) -> None:
    path = tmp_path / "wide.cast"
    rows = [f"{y:02d}" + "".join(chr(65 + (x + y) % 26) for x in range(2, 200))
            for y in range(60)]
    import json
    path.write_text(json.dumps({"version": 2, "width": 200, "height": 60}) + "\n"
                    + json.dumps([0.1, "o", "\r\n".join(rows)]) + "\n")
    app = open_player(path, at=1.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        v = view(pilot)
        assert v.clipped and "clipped" in str(v.border_subtitle)
        first = shown_text(pilot)
        assert first[0] == rows[0][: v.size.width]
        await press(pilot, "ctrl+right", "l")
        assert v.pan_x == 16
        assert shown_text(pilot)[0] == rows[0][16:16 + v.size.width]
        await press(pilot, "ctrl+down", "j", "k")
        assert shown_text(pilot)[0] == rows[4][16:16 + v.size.width]
        await press(pilot, *["ctrl+right"] * 40)  # clamped at the right edge
        assert v.pan_x == 200 - v.size.width
        assert shown_text(pilot)[0] == rows[4][-v.size.width:]
        await press(pilot, *["h"] * 40)
        assert v.pan_x == 0


async def test_recorded_resizes_are_followed(shared_casts: Path) -> None:
    app = open_player(shared_casts / "asciinema-player" / "resizing.cast")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert (view(pilot).cols, view(pilot).rows) == (80, 24)
        await press(pilot, "G")
        assert (view(pilot).cols, view(pilot).rows) == (50, 10)
        assert view(pilot).size.width == 50 and view(pilot).size.height == 10


async def test_help_lists_every_key(shared_casts: Path) -> None:
    app = open_player(shared_casts / "asciinema-player" / "simple.cast")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        keys = {k for k, _ in pilot.app.screen.rows}
        for key in ("space", "← ", "shift+←", "0 … 9", "[", "]", ",", ".", "<", ">", "g",
                    "G", "?", "q"):
            assert any(key.strip() in k.split() or key == k for k in keys), key
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_bad_line_keeps_what_precedes_and_shows_the_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.cast"
    path.write_text('{"version": 2, "width": 30, "height": 5}\n[0.5, "o", "before the bad line"]\n'
                    '[1.0, "o", "still fine\\r\\n"]\n{oops\n[2.0, "o", "never shown"]\n')
    app = open_player(path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await press(pilot, "G")
        assert view_text(pilot)[0] == "before the bad linestill fine"
        line = str(status(pilot).render())
        assert "! bad.cast:4:" in line
        await press(pilot, "g", "right")
        assert "never shown" not in "\n".join(view_text(pilot))


async def test_quit_key_exits(shared_casts: Path) -> None:
    app = open_player(shared_casts / "asciinema-player" / "simple.cast")
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark", "question_mark")  # help opened and closed
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert not app.engine.is_alive()


class HalfIndexed(FileSource):
    """A file whose background indexing stopped early (a huge file, still indexing)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, cache=False, keyframe_bytes=500)
        stop = threading.Event()
        with open_cast(path) as reader:
            build_index(reader, self.index, stop=stop, on_progress=stop.set,
                        keyframe_bytes=500)

    def start(self, on_progress: Callable[[], None] | None = None) -> None:
        if on_progress:
            on_progress()  # nothing more gets indexed during the test


async def test_unindexed_part_shows_progress_and_still_seeks(tmp_path: Path) -> None:
    path = write_cast(tmp_path / "big.cast", 5, events=3000)
    source = HalfIndexed(path)
    assert 0 < source.index.fraction < 1
    app = make_player(source, paused=True)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        line = str(status(pilot).render())
        assert "indexing" in line and "≥" in line  # the duration is not known yet
        bar = pilot.app.player.query_one(TimelineBar)  # type: ignore[attr-defined]
        assert "┄" in str(bar.render())
        await press(pilot, "G")  # the end of what is known
        assert status(pilot).t == source.index.indexed_t
        await press(pilot, "right", "right", "right")  # past the last keyframe
        t = status(pilot).t
        assert t > source.index.indexed_t
        assert view_text(pilot) == expected_text(path, t)
        await press(pilot, "9")  # 90 % of the length extrapolated from the indexed fraction
        estimate = source.index.indexed_t / source.index.fraction
        assert abs(status(pilot).t - 0.9 * estimate) < 1e-6 or status(pilot).ended
        assert view_text(pilot) == expected_text(path, status(pilot).t)


async def test_clicking_the_timeline_seeks_there(shared_casts: Path) -> None:
    app = open_player(shared_casts / "asciinema-player" / "simple.cast")  # 12 s
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        bar = pilot.app.player.query_one(TimelineBar)  # type: ignore[attr-defined]
        width = bar.content_size.width
        await pilot.click(TimelineBar, offset=(1 + width // 2, 0))  # padding 1, half-way
        await settle(pilot)
        assert abs(status(pilot).t - 6.0) < 12 / width + 1e-9
        assert view_text(pilot) == expected_text(shared_casts / "asciinema-player" /
                                                 "simple.cast", status(pilot).t)
