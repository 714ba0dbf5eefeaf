"""``coterm play`` in a real terminal (tmux): keys in, screen read with capture-pane."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .tmux import COTERM, Tmux


@pytest.mark.e2e
def test_play_seeks_steps_and_quits(tmux: Tmux, shared_casts: Path) -> None:
    cast = shared_casts / "asciinema-player" / "markers.cast"
    tmux.send(f"{COTERM} play --paused {cast}; echo exit=$?")
    tmux.wait_for(lambda s: "80×24" in s and "paused" in s and "00:00.0 / 00:02.0" in s)
    tmux.key("]")  # next marker: 0.5 s, "start" printed at 0.2 s
    screen = tmux.wait_for("00:00.5 / 00:02.0")
    assert "start" in screen and "middle" not in screen
    tmux.key(".")  # one frame forward: "middle" at 0.6 s
    tmux.wait_for(lambda s: "middle" in s and "00:00.6" in s)
    tmux.key("G")  # the end
    tmux.wait_for(lambda s: "done" in s and "end" in s and "00:02.0 / 00:02.0" in s)
    tmux.key(">")
    tmux.wait_for("2×")
    tmux.key("?")
    tmux.wait_for("coterm play — keys")
    tmux.key("?")  # closes it too (Escape followed by q would read as alt+q)
    tmux.wait_for(lambda s: "coterm play — keys" not in s)
    tmux.key("q")
    tmux.wait_for(lambda s: re.search(r"exit=\d", s) is not None)
    assert "exit=0" in tmux.screen()


@pytest.mark.e2e
def test_play_reports_a_missing_file(tmux: Tmux, tmp_path: Path) -> None:
    tmux.send(f"{COTERM} play {tmp_path / 'nope.cast'}; echo exit=$?")
    screen = tmux.wait_for(lambda s: re.search(r"exit=\d", s) is not None)
    assert "coterm: " in screen and "no such file" in screen and "exit=2" in screen
