"""``coterm watch`` end to end in tmux: ``coterm record`` in one window, a watcher
joining late in another (both on the embedded local relay)."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from .tmux import COTERM, Tmux


@pytest.mark.e2e
def test_a_late_watcher_sees_the_screen_before_it_joined_then_what_follows(
        tmux: Tmux, coterm_home: Path) -> None:
    tmux.send(f"PS1='rec$ ' {COTERM} record --title 'e2e shell' -- bash --norc --noprofile")
    screen = tmux.wait_for(lambda s: "watch with: coterm watch" in s
                           and "rec$" in [line.strip() for line in s.splitlines()])
    found = re.search(r"coterm watch (\w+)", screen)
    assert found, screen
    sid = found.group(1)
    tmux.send("echo before-$((6*7))")
    tmux.wait_for("before-42")
    try:
        watcher = tmux.new_window("watch")
        tmux.send(f"{COTERM} watch {sid}", target=watcher)
        # the screen as it was before the watcher joined …
        screen = tmux.wait_for(lambda s: "before-42" in s and "LIVE" in s, watcher)
        assert "e2e shell" in screen
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
