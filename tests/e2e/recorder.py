"""Run ``coterm record`` on a PTY of the test's own (no tmux) and read what it wrote."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

from coterm_tui.core.asciicast import open_cast
from coterm_tui.core.events import Command, Event, Header

COTERM = [sys.executable, "-m", "coterm_tui"]


def _take_tty() -> None:
    """In the child: the PTY becomes its controlling terminal, as in a terminal window."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyRecorder:
    """``coterm record ARGS`` with a PTY as its terminal; polls the screen bytes."""

    def __init__(self, *args: str, env: dict[str, str] | None = None,
                 cols: int = 80, rows: int = 24) -> None:
        from coterm_tui.record.ptys import set_size

        self.master, slave = os.openpty()
        set_size(slave, cols, rows)
        self.proc = subprocess.Popen([*COTERM, "record", *args], stdin=slave, stdout=slave,
                                     stderr=slave, env={**os.environ, **(env or {})},
                                     start_new_session=True, preexec_fn=_take_tty)
        os.close(slave)
        self.seen = b""

    def read_until(self, needle: bytes, timeout: float = 20.0) -> bytes:
        deadline = time.monotonic() + timeout
        while needle not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {needle!r}; saw {self.seen!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError as exc:
                    if needle not in self.seen:
                        raise AssertionError(f"PTY closed before {needle!r}; "
                                             f"saw {self.seen!r}") from exc
        return self.seen

    def type(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait(self, timeout: float = 30.0) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.close()

    def hang_up(self) -> None:
        self.proc.send_signal(signal.SIGHUP)

    def close_terminal(self) -> None:
        """Close the terminal window: the kernel hangs up the recorder (SIGHUP)."""
        os.close(self.master)
        self.master = -1

    def close(self) -> None:
        """End the recorder if it still runs (SIGTERM: it hangs up its program and
        finalises), then the PTY. Safe to call twice."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.master < 0:
            return
        try:
            while os.read(self.master, 65536):
                pass
        except OSError:
            pass
        os.close(self.master)
        self.master = -1


def finished(events: list[Event]) -> list[Command]:
    """The command events that report an end (one per command that ran)."""
    return [e for e in events if isinstance(e, Command) and e.end is not None]


def read_cast(path: Path) -> tuple[Header, list[Event]]:
    with open_cast(path) as cast:
        return cast.header, list(cast.events())
