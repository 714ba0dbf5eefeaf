"""PTY helpers: window sizes, the echo state of a prompt, starting a program, raw mode."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import termios
import tty
from collections.abc import Iterator, Mapping, Sequence


def get_size(fd: int) -> tuple[int, int] | None:
    """(cols, rows) of the terminal on ``fd``, if it is one with a size."""
    try:
        rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    except OSError:
        return None
    return (cols, rows) if cols and rows else None


def set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def input_hidden(fd: int) -> bool:
    """Whether the PTY on ``fd`` is at a no-echo prompt (ECHO off, ICANON on)."""
    try:
        lflag = termios.tcgetattr(fd)[3]
    except termios.error:
        return False
    return not lflag & termios.ECHO and bool(lflag & termios.ICANON)


def spawn(argv: Sequence[str], env: Mapping[str, str], cols: int, rows: int,
          attrs: list | None = None) -> tuple[int, int]:  # type: ignore[type-arg]
    """Start ``argv`` on a new PTY; returns (pid, master fd)."""
    master, slave = os.openpty()
    if attrs is not None:
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
    set_size(slave, cols, rows)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.close(master)
            os.login_tty(slave)
            for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP,
                        signal.SIGWINCH, signal.SIGPIPE, signal.SIGCHLD):
                signal.signal(sig, signal.SIG_DFL)
            os.execvpe(argv[0], list(argv), dict(env))
        except OSError as exc:
            os.write(2, f"coterm: cannot run {argv[0]}: {exc.strerror}\r\n".encode())
        finally:
            os._exit(127)
    os.close(slave)
    os.set_blocking(master, False)
    return pid, master


@contextlib.contextmanager
def raw_mode(fd: int) -> Iterator[list | None]:  # type: ignore[type-arg]
    """Raw mode on ``fd`` if it is a terminal; the previous mode comes back on any exit."""
    if not os.isatty(fd):
        yield None
        return
    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd, termios.TCSADRAIN)
        yield saved
    finally:
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
