"""``coterm watch`` end to end in tmux: a shell broadcasting in one window, a
watcher joining late in another."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .tmux import COTERM, Tmux

REPO = Path(__file__).resolve().parents[2]
SID = "e2ewatch1"


@pytest.mark.e2e
def test_a_late_watcher_sees_the_screen_before_it_joined_then_what_follows(
        tmux: Tmux, coterm_home: Path) -> None:
    broadcaster = (f"cd {shlex.quote(str(REPO))} && {shlex.quote(sys.executable)} -m "
                   f"tests.e2e.minirec {SID} -- env PS1='rec$ ' bash --norc --noprofile")
    tmux.send(broadcaster)
    tmux.wait_for(lambda s: "rec$" in [line.strip() for line in s.splitlines()])
    tmux.send("echo before-$((6*7))")
    tmux.wait_for("before-42")
    try:
        watcher = tmux.new_window("watch")
        tmux.send(f"{COTERM} watch {SID}", target=watcher)
        # the screen as it was before the watcher joined …
        screen = tmux.wait_for(lambda s: "before-42" in s and "LIVE" in s, watcher)
        assert "e2e shell" in screen and "ana@box" in screen
        # … then what is typed after
        tmux.send("echo after-$((6*8))")
        tmux.wait_for("after-48", watcher)
        tmux.key("Left", target=watcher)  # scrub back: leaves live mode
        tmux.wait_for("REPLAY", watcher)
        tmux.send("echo while-scrubbing")
        tmux.key("L", target=watcher)  # and back to live
        tmux.wait_for(lambda s: "while-scrubbing" in s and "LIVE" in s, watcher)
        tmux.send("exit 5")
        tmux.wait_for("ENDED · exit 5", watcher)
        tmux.key("q", target=watcher)
        tmux.wait_for(lambda s: "ENDED" not in s, watcher)
    finally:
        subprocess.run([*shlex.split(COTERM), "relay", "stop"], env=tmux.env,
                       capture_output=True, timeout=30, check=False)
