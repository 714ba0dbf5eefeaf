"""``coterm record`` in a real terminal (tmux): what the user sees, and what is written.

A recorded shell and a plain shell get the same keystrokes; their screens must
match (but for coterm's start line), and the recording must hold the output,
the resize, each command with its exit code and cwd, and the exit status.
"""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from coterm_tui.core.events import Exit, Marker, Output, Resize

from .recorder import COTERM, finished, read_cast
from .tmux import Tmux

pytestmark = pytest.mark.e2e

RECORD = " ".join(shlex.quote(a) for a in COTERM) + " record"


def lines(screen: str) -> list[str]:
    return [line.rstrip() for line in screen.rstrip("\n").split("\n")]


def at_prompt(prompt: str, after: str | None = None) -> Callable[[str], bool]:
    """The screen ends with an empty prompt (after the line ``after``, when given)."""

    def check(screen: str) -> bool:
        rows = [r for r in lines(screen) if r]
        if not rows or rows[-1] != prompt.rstrip():
            return False
        return after is None or after in rows[:-1]

    return check


class Both:
    """Types the same keys into the recorded and the plain shell, waiting on each."""

    def __init__(self, tmux: Tmux, targets: list[str], prompt: Callable[[str], str]) -> None:
        self.tmux, self.targets, self.prompt = tmux, targets, prompt
        self.cwd = "~"

    def run(self, command: str, new_cwd: str | None = None) -> None:
        before = self.prompt(self.cwd) + command
        self.cwd = new_cwd or self.cwd
        for target in self.targets:
            self.tmux.send(command, target)
        for target in self.targets:
            self.tmux.wait_for(at_prompt(self.prompt(self.cwd), before), target)

    def vim_and_quit(self) -> None:
        for target in self.targets:
            self.tmux.send("vim", target)
        for target in self.targets:
            self.tmux.wait_for(lambda s: s.count("\n~") >= 10, target)  # vim's empty buffer
            self.tmux.send(":q", target)
        for target in self.targets:
            self.tmux.wait_for(at_prompt(self.prompt(self.cwd), self.prompt(self.cwd) + "vim"),
                               target)


def start(tmux: Tmux, name: str, command: str, env: str = "") -> str:
    target = tmux.new_window(name)
    tmux.send(f"clear; env {env} {command}; echo status=$?", target)
    return target


def screens_match(tmux: Tmux, rec: str, plain: str) -> None:
    recorded, expected = lines(tmux.screen(rec)), lines(tmux.screen(plain))
    top = recorded.index(expected[0])  # below coterm's start line (which may wrap)
    assert "".join(recorded[:top]).startswith("coterm: recording session ")
    assert recorded[top:] == expected[: len(recorded) - top]


def finish(tmux: Tmux, rec: str) -> int:
    tmux.send("exit 3", rec)
    screen = tmux.wait_for(lambda s: "status=" in s and "recording saved to" in s, rec)
    return int(screen.split("status=")[1].split()[0])


def ends(events: list) -> list[tuple[str, int | None, str]]:
    return [(e.line, e.exit_code, e.cwd) for e in finished(events)]


def test_bash_session_is_recorded_and_looks_like_a_plain_shell(tmux: Tmux, tmp_path: Path) -> None:
    assert shutil.which("vim"), "vim is required (.ci/run installs it)"
    (tmp_path / ".bashrc").write_text(
        "PS1='rec:\\w> '\nPROMPT_COMMAND='USERPC=$((USERPC+1))'\n")
    cast = tmp_path / "bash.cast"
    rec = start(tmux, "rec", f"{RECORD} --file {cast} --title demo --tag e2e", "SHELL=/bin/bash")
    plain = start(tmux, "plain", "bash -i", "SHELL=/bin/bash")
    for target in (rec, plain):
        tmux.wait_for(at_prompt("rec:~> "), target)
    both = Both(tmux, [rec, plain], lambda cwd: f"rec:{cwd}> ")
    both.run("echo hi")
    both.run("false")
    both.run("echo pc=$USERPC")  # the user's own PROMPT_COMMAND still runs
    both.run("cd /tmp", "/tmp")
    both.vim_and_quit()
    for target in (rec, plain):
        tmux.resize(90, 25, target)
    both.run("stty size")
    screens_match(tmux, rec, plain)
    assert "pc=3" in tmux.screen(rec) and "25 90" in tmux.screen(rec)
    assert finish(tmux, rec) == 3

    header, events = read_cast(cast)
    assert (header.cols, header.rows) == (100, 30)
    assert header.title == "demo" and header.tags == ("e2e",)
    output = "".join(e.data for e in events if isinstance(e, Output))
    assert "hi\r\n" in output and "\x1b[?1049h" in output  # vim's alternate screen
    assert Resize(next(e.t for e in events if isinstance(e, Resize)), 90, 25) in events
    home = str(tmp_path)
    assert ends(events) == [
        ("echo hi", 0, home), ("false", 1, home), ("echo pc=$USERPC", 0, home),
        ("cd /tmp", 0, home), ("vim", 0, "/tmp"), ("stty size", 0, "/tmp"),
        ("exit 3", 3, "/tmp"),
    ]
    assert [e.label for e in events if isinstance(e, Marker)][:2] == ["echo hi", "false"]
    assert events[-1] == Exit(events[-1].t, 3)


def test_zsh_session_keeps_the_users_hooks(tmux: Tmux, tmp_path: Path) -> None:
    assert shutil.which("zsh"), "zsh is required (.ci/run installs it)"
    zdot = tmp_path / "zdot"
    zdot.mkdir()
    (zdot / ".zshenv").write_text("export FROM_ZSHENV=yes\n")
    (zdot / ".zshrc").write_text("PROMPT='zrec:%~> '\nprecmd() { USERHOOK=$((USERHOOK+1)) }\n")
    cast = tmp_path / "zsh.cast"
    env = f"SHELL=/usr/bin/zsh ZDOTDIR={zdot}"
    rec = start(tmux, "rec", f"{RECORD} --file {cast}", env)
    plain = start(tmux, "plain", "zsh -i", env)
    for target in (rec, plain):
        tmux.wait_for(at_prompt("zrec:~> "), target)
    both = Both(tmux, [rec, plain], lambda cwd: f"zrec:{cwd}> ")
    both.run("echo hi $FROM_ZSHENV $ZDOTDIR")
    both.run("false")
    both.run("cd /tmp", "/tmp")
    both.run("echo hooks=$USERHOOK")
    screens_match(tmux, rec, plain)
    assert f"hi yes {zdot}" in tmux.screen(rec) and "hooks=4" in tmux.screen(rec)
    assert finish(tmux, rec) == 3
    _, events = read_cast(cast)
    home = str(tmp_path)
    assert ends(events) == [
        ("echo hi $FROM_ZSHENV $ZDOTDIR", 0, home), ("false", 1, home), ("cd /tmp", 0, home),
        ("echo hooks=$USERHOOK", 0, "/tmp"), ("exit 3", 3, "/tmp"),
    ]
