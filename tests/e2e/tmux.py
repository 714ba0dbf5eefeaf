"""A tmux driver for end-to-end tests: real commands in a real terminal.

Each :class:`Tmux` runs its own server (``tmux -L <unique>``) so tests never
touch the user's sessions and can run in parallel. Waiting is always polling
with a deadline on what the screen shows, never a fixed sleep.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from .recorder import COTERM as COTERM_ARGV

BIN = Path(sys.executable).parent
#: The command line that runs coterm, quoted for the shell (recorder.COTERM is the argv).
COTERM = shlex.join(COTERM_ARGV)


class Tmux:
    """One private tmux server with one session; panes addressed as ``session:window.pane``."""

    def __init__(self, cols: int = 100, rows: int = 30, env: Mapping[str, str] | None = None,
                 cwd: Path | None = None) -> None:
        assert shutil.which("tmux"), "tmux is required (.ci/run installs it)"
        self.socket = f"coterm-test-{uuid.uuid4().hex[:10]}"
        self.session = "t"
        self.env = {**os.environ, **(env or {})}
        self.env.pop("TMUX", None)
        self.cwd = cwd
        self._run("-f", "/dev/null", "new-session", "-d", "-s", self.session,
                  "-x", str(cols), "-y", str(rows), "-c", str(cwd or Path.cwd()),
                  "env", "PS1=$ ", "bash", "--norc", "--noprofile")
        self._run("set-option", "-g", "remain-on-exit", "on")

    def _run(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], env=self.env,
                             capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout

    def new_window(self, name: str) -> str:
        self._run("new-window", "-d", "-t", f"{self.session}:", "-n", name, "-c",
                  str(self.cwd or Path.cwd()), "env", "PS1=$ ", "bash", "--norc", "--noprofile")
        return f"{self.session}:{name}"

    def send(self, keys: str, target: str | None = None, *, enter: bool = True) -> None:
        """Type ``keys`` literally (then Enter)."""
        t = target or self.session
        self._run("send-keys", "-t", t, "-l", keys)
        if enter:
            self._run("send-keys", "-t", t, "Enter")

    def key(self, *names: str, target: str | None = None) -> None:
        """Press named keys (``Left``, ``C-c``, ``Space``…)."""
        self._run("send-keys", "-t", target or self.session, *names)

    def screen(self, target: str | None = None) -> str:
        return self._run("capture-pane", "-p", "-t", target or self.session)

    def resize(self, cols: int, rows: int, target: str | None = None) -> None:
        self._run("resize-window", "-t", target or self.session, "-x", str(cols), "-y", str(rows))

    def wait_for(self, predicate: Callable[[str], bool] | str, target: str | None = None,
                 timeout: float = 20.0) -> str:
        """Poll the screen until ``predicate`` (or the substring) holds; fail with the screen."""
        check = (lambda s: predicate in s) if isinstance(predicate, str) else predicate
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen(target)
            if check(screen):
                return screen
            time.sleep(0.05)  # polling interval, not synchronisation: the deadline decides
        raise AssertionError(f"timed out waiting for {predicate!r}; screen was:\n{screen}")

    def pane_dead_status(self, target: str | None = None) -> int | None:
        """The exit status of the pane's process once it exited, else None."""
        out = self._run("display-message", "-p", "-t", target or self.session,
                        "#{pane_dead} #{pane_dead_status}").split()
        return int(out[1]) if out and out[0] == "1" and len(out) > 1 else None

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], env=self.env,
                       capture_output=True, timeout=30)
