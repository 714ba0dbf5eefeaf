"""Snapshot tests of the player at fixed points of real recordings.

Each opens the player paused at a time (no clock running, nothing blinking),
at a fixed terminal size, waits until the playback thread drew that screen,
and compares the picture with the approved SVG in ``__snapshots__/``.
Update after a deliberate change with ``pytest tests/tui --snapshot-update``
and look at the pictures.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot

from .helpers import open_player, press, settle

SIZE = (100, 32)


class TestScreens:
    """What the recorded screen looks like."""

    def test_vim_in_demo(self, snap_compare, shared_casts: Path) -> None:
        """asciinema's demo at 5 s: vim's intro screen, 256 colours, in a 75×18
        frame centred in the window, title and size on the border; timeline
        half-way, status "paused 00:05.0 / 00:11.8 1×"."""
        app = open_player(shared_casts / "asciinema" / "demo.cast", at=5.0)
        assert snap_compare(app, terminal_size=SIZE, run_before=settle)

    def test_true_colour_and_symbols(self, snap_compare, shared_casts: Path) -> None:
        """rgb.cast at its end: a diamond, a block and a powerline arrow in
        true colour on a true-colour background, in a small 10×4 frame."""
        app = open_player(shared_casts / "asciinema-player" / "rgb.cast", at=1.0)
        assert snap_compare(app, terminal_size=SIZE, run_before=settle)

    def test_bold_inverse_indexed(self, snap_compare, shared_casts: Path) -> None:
        """bold-inverse-indexed.cast: a bold, inverse, red-on-green diamond."""
        app = open_player(shared_casts / "asciinema-player" / "bold-inverse-indexed.cast",
                          at=1.0)
        assert snap_compare(app, terminal_size=SIZE, run_before=settle)

    def test_theme_256(self, snap_compare, shared_casts: Path) -> None:
        """theme-256.cast: the 256-colour palette blocks."""
        app = open_player(shared_casts / "asciinema-player" / "theme-256.cast", at=100.0)
        assert snap_compare(app, terminal_size=SIZE, run_before=settle)


class TestTimeline:
    """The timeline bar and the status line."""

    def test_markers_on_the_timeline(self, snap_compare, shared_casts: Path) -> None:
        """markers.cast after `]` (next marker): position 0.5 s on the first ◆, a
        second ◆ at 1.1 s further right; "start" on screen."""

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await press(pilot, "right_square_bracket")

        app = open_player(shared_casts / "asciinema-player" / "markers.cast")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_fast_speed_and_idle_limit(self, snap_compare, shared_casts: Path) -> None:
        """long.cast at 6 s, speed raised twice to 4×, idle limit 2 s shown."""

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await press(pilot, "greater_than_sign", "greater_than_sign")

        app = open_player(shared_casts / "asciinema-player" / "long.cast", at=6.0,
                          idle_limit=2.0)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_bad_line_error_in_status(self, snap_compare, tmp_path: Path) -> None:
        """A recording broken at line 3: "before" shown at the end, the status
        line reads "■ end  00:00.5 / 00:00.5  ! bad.cast:3: not valid JSON …"."""
        path = tmp_path / "bad.cast"
        path.write_text('{"version": 2, "width": 40, "height": 6}\n'
                        '[0.5, "o", "before"]\nnot json\n[2, "o", "after"]\n')
        app = open_player(path, at=5.0)
        assert snap_compare(app, terminal_size=SIZE, run_before=settle)


class TestLayout:
    """Clipping, panning, and the help screen."""

    @staticmethod
    def wide(tmp_path: Path) -> Path:
        path = tmp_path / "wide.cast"
        rows = [f"{y:02d}|" + "".join(chr(65 + (x + y) % 26) for x in range(3, 160))
                for y in range(50)]
        path.write_text(json.dumps({"version": 2, "width": 160, "height": 50}) + "\n"
                        + json.dumps([0.1, "o", "\r\n".join(rows)]) + "\n")
        return path

    def test_clipped_recording(self, snap_compare, tmp_path: Path) -> None:
        """A 160×50 recording in a 100×32 window: the frame fills the stage, its
        border turns to the warning colour and its subtitle reads "clipped: cols
        1–98/160 rows 1–27/50 · ctrl+arrows pan"."""
        app = open_player(self.wide(tmp_path), at=1.0)
        assert snap_compare(app, terminal_size=SIZE, run_before=settle)

    def test_panned_recording(self, snap_compare, tmp_path: Path) -> None:
        """The same after ctrl+→ ×3 and ctrl+↓ ×2 (8 columns and 4 rows a press):
        the subtitle reads "cols 25–122/160 rows 9–35/50" and the top row shows
        row 8 from its 25th column on (the "NN|" labels are panned off)."""

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await press(pilot, "ctrl+right", "ctrl+right", "ctrl+right", "ctrl+down",
                        "ctrl+down")

        app = open_player(self.wide(tmp_path), at=1.0)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_help_screen(self, snap_compare, shared_casts: Path) -> None:
        """`?` opens a centred box "coterm play — keys" listing every key."""

        async def run_before(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("question_mark")
            await pilot.pause()

        app = open_player(shared_casts / "asciinema-player" / "simple.cast", at=3.0)
        assert snap_compare(app, terminal_size=(100, 36), run_before=run_before)
