"""The passthrough: the user's terminal <-> a PTY running the recorded program.

One ``select`` loop moves bytes both ways at once and hands a copy of each
read to the capture pipeline through a :class:`~.channel.Feed`, which never
blocks. The loop does no decoding, redaction or disk writing of its own, so
the user's terminal never waits for the recording.

* The user's terminal is put in raw mode (when it is one) and restored on
  every way out: normal exit, exceptions, SIGHUP/SIGTERM/SIGQUIT.
* SIGWINCH resizes the PTY and records a resize.
* SIGHUP (the terminal went away) or SIGTERM hang up the program, which ends
  the session; the recording is still finalised.
* Input typed while the PTY has ECHO off and ICANON on (a password prompt:
  ``sudo``, ``ssh``, ``read -s``) is reported as hidden, never as bytes. Raw
  programs (readline, vim) also turn ECHO off but leave canonical mode, which is
  how the two are told apart.
* The exit status is the program's, or 128 + signal if it was killed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import signal
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import channel
from .ptys import get_size, input_hidden, set_size

READ_SIZE = 65536
#: Output for the recording is gathered up to this many bytes, or this many seconds
#: after its first read, and handed to the pipeline as one message: a flood arrives
#: in ~4 KiB reads, and one message per read would cost the loop (and the pipeline)
#: a system call each. The terminal still gets every read at once; a message is sent
#: as soon as the program goes quiet, and before any input, resize or exit.
FEED_BYTES = 256 << 10
FEED_DELAY = 0.005
#: Reads in a row from a busy program before the loop looks at the keyboard again.
RUN = 16
#: After a hang-up, the program gets this long to exit before SIGKILL.
HANGUP_GRACE = 3.0

Notice = Callable[[str, str], None]


@dataclass
class Loop:
    """One session's passthrough. ``feed`` is None when nothing is recorded."""

    pid: int
    master: int
    feed: channel.Feed | None
    t0: float
    stdin: int = 0
    stdout: int = 1
    record_input: bool = True
    back_fd: int | None = None
    #: Called when the pipeline reports: True ends the session, None says it has gone
    #: (which ends the session when ``strict``), False carries on.
    on_back: Callable[[], bool | None] | None = None
    strict: bool = False
    notice: Notice | None = None
    status: int | None = None
    _to_child: bytearray = field(default_factory=bytearray)
    _hangup: bool = False
    _stdout_ok: bool = True
    _hangup_at: float = 0.0
    _held: list[bytes] = field(default_factory=list)
    _held_size: int = 0
    _held_t: float = 0.0

    def now(self) -> float:
        return time.monotonic() - self.t0

    def send(self, kind: bytes, payload: bytes = b"") -> None:
        if self._held:
            self._send_held()
        self._send(kind, self.now(), payload)

    def _hold(self, data: bytes) -> None:
        """Output for the recording: gathered, sent by size, age or a quiet moment."""
        if self.feed is None:
            return
        if not self._held:
            self._held_t = self.now()
        self._held.append(data)
        self._held_size += len(data)
        if self._held_size >= FEED_BYTES:
            self._send_held()

    def _send_held(self) -> None:
        data = self._held[0] if len(self._held) == 1 else b"".join(self._held)
        self._held.clear()
        self._held_size = 0
        self._send(channel.OUTPUT, self._held_t, data)

    def _send(self, kind: bytes, t: float, payload: bytes) -> None:
        if self.feed is not None:
            dropped = self.feed.dropped
            self.feed.send(kind, t, payload)
            if not dropped and self.feed.dropped and self.notice is not None:
                behind = (f"{self.feed.spool_limit >> 20} MiB" if self.feed.spool is not None
                          else f"{self.feed.mem_limit >> 20} MiB (no spool file could be made)")
                self.notice("warn", f"the recording is more than {behind} behind: output is "
                            "left out of it until it catches up")

    def run(self) -> int:
        """Pass bytes through until the program exits; return its exit status."""
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        flags = {"winch": False, "hup": False, "int": False, "chld": True}
        handlers = {
            signal.SIGWINCH: lambda *_: flags.__setitem__("winch", True),
            signal.SIGHUP: lambda *_: flags.__setitem__("hup", True),
            signal.SIGTERM: lambda *_: flags.__setitem__("hup", True),
            signal.SIGQUIT: lambda *_: flags.__setitem__("hup", True),
            signal.SIGINT: lambda *_: flags.__setitem__("int", True),
            signal.SIGCHLD: lambda *_: flags.__setitem__("chld", True),
        }
        old = {sig: signal.signal(sig, h) for sig, h in handlers.items()}
        old_wake = signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
        try:
            self.send(channel.CHILD, struct.pack("<I", self.pid))
            self._loop(wake_r, flags)
        finally:
            signal.set_wakeup_fd(old_wake)
            for sig, h in old.items():
                signal.signal(sig, h)
            os.close(wake_r)
            os.close(wake_w)
            with contextlib.suppress(OSError):
                os.close(self.master)
        assert self.status is not None
        self.send(channel.EXIT, struct.pack("<i", self.status))
        return self.status

    def _loop(self, wake_r: int, flags: dict[str, bool]) -> None:
        stdin_open = True
        master_open = True
        stdin_tty = os.isatty(self.stdin)
        while master_open or self.status is None:
            self._signals(flags)
            if self.status is None and flags["chld"]:
                flags["chld"] = False
                self._reap()
                if self.status is not None and master_open:
                    master_open = self._drain()
                    continue
            if not master_open:
                self._wait_child()
                continue
            if self._hangup and self.now() - self._hangup_at > HANGUP_GRACE:
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGKILL)
            rfds = [self.master, wake_r]
            if stdin_open and not self._hangup:
                rfds.append(self.stdin)
            if self.back_fd is not None:
                rfds.append(self.back_fd)
            wfds = []
            if self._to_child:
                wfds.append(self.master)
            if self.feed is not None and self.feed.pending:
                wfds.append(self.feed.fd)
            timeout = 1.0
            if self._held:
                timeout = max(0.0, self._held_t + FEED_DELAY - self.now())
            try:
                r, w, _ = select.select(rfds, wfds, [], timeout)
            except InterruptedError:
                continue
            if self._held and (self.master not in r or timeout == 0.0):
                self._send_held()  # quiet, or held long enough
            if wake_r in r:
                with contextlib.suppress(OSError):
                    os.read(wake_r, 512)
                self._signals(flags)  # a resize is recorded before the keys typed after it
            if self.master in r and not self._from_child():
                master_open = False
            if self.stdin in r:
                stdin_open = self._from_user(stdin_tty)
            if self.master in w:
                self._write_child()
            if self.feed is not None and self.feed.fd in w:
                self.feed.pump()
            if self.back_fd is not None and self.back_fd in r and self.on_back is not None:
                verdict = self.on_back()
                if verdict is None:  # the pipeline has gone: stop watching its channel
                    self.back_fd = None
                if verdict is not False and not self._hangup and (verdict or self.strict):
                    self._hang_up(stdout_gone=False)

    def _signals(self, flags: dict[str, bool]) -> None:
        if flags["winch"]:
            flags["winch"] = False
            self._resize()
        if flags["int"]:
            flags["int"] = False
            self._to_child += b"\x03"  # not a terminal: pass Ctrl-C on as the key
        if flags["hup"] and not self._hangup:
            self._hang_up(stdout_gone=True)

    def _from_child(self) -> bool:
        """Pass on what the program wrote; under a flood, up to :data:`RUN` reads in a
        row without going back to ``select`` (each written out at once)."""
        for _ in range(RUN):
            try:
                data = os.read(self.master, READ_SIZE)
            except BlockingIOError:
                return True
            except OSError:  # EIO: every slave closed
                return False
            if not data:
                return False
            self._out(data)
            self._hold(data)
            if len(data) < 1024:  # a trickle (typing, a prompt): back to select at once
                return True
        return True

    def _out(self, data: bytes) -> None:
        if not self._stdout_ok:
            return
        view = memoryview(data)
        try:
            while view:
                try:
                    n = os.write(self.stdout, view)
                except BlockingIOError:
                    select.select([], [self.stdout], [], 1.0)
                    continue
                view = view[n:]
        except OSError:
            self._stdout_ok = False  # the terminal is gone; keep recording

    def _from_user(self, stdin_tty: bool) -> bool:
        try:
            data = os.read(self.stdin, READ_SIZE)
        except BlockingIOError:
            return True
        except OSError:
            data = b""
        if not data:
            if not stdin_tty:
                self._to_child += b"\x04"  # end of input: EOF to a canonical-mode reader
                self._write_child()
            return False
        hidden = input_hidden(self.master)
        self._to_child += data
        self._write_child()
        if self.record_input:
            if hidden:
                self.send(channel.HIDDEN, struct.pack("<I", len(data)))
            else:
                self.send(channel.INPUT, data)
        return True

    def _write_child(self) -> None:
        try:
            n = os.write(self.master, self._to_child)
        except BlockingIOError:
            return
        except OSError:
            self._to_child.clear()
            return
        del self._to_child[:n]

    def _resize(self) -> None:
        size = get_size(self.stdin) or get_size(self.stdout)
        if size is None:
            return
        with contextlib.suppress(OSError):
            set_size(self.master, *size)
        self.send(channel.RESIZE, struct.pack("<HH", *size))

    def _hang_up(self, stdout_gone: bool) -> None:
        self._hangup = True
        self._hangup_at = self.now()
        if stdout_gone:
            self._stdout_ok = False
        for sig in (signal.SIGHUP, signal.SIGCONT):
            with contextlib.suppress(OSError):
                os.kill(self.pid, sig)
        with contextlib.suppress(OSError):
            os.killpg(os.tcgetpgrp(self.master), signal.SIGHUP)

    def _reap(self) -> None:
        try:
            pid, wstatus = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            self.status = self.status if self.status is not None else 0
            return
        if pid:
            code = os.waitstatus_to_exitcode(wstatus)
            self.status = 128 - code if code < 0 else code

    def _wait_child(self) -> None:
        """The PTY closed: wait (bounded) for the program's status."""
        deadline = time.monotonic() + HANGUP_GRACE
        while self.status is None:
            self._reap()
            if self.status is None:
                if time.monotonic() > deadline:
                    with contextlib.suppress(OSError):
                        os.kill(self.pid, signal.SIGKILL)
                    deadline = time.monotonic() + 60
                select.select([], [], [], 0.02)  # a bounded wait for SIGCHLD

    def _drain(self) -> bool:
        """The program exited: pass on what it wrote last. False once the PTY is empty."""
        for _ in range(4096):
            try:
                data = os.read(self.master, READ_SIZE)
            except BlockingIOError:
                return False  # background jobs may still hold the PTY; stop here
            except OSError as exc:
                if exc.errno != errno.EIO:
                    raise
                return False
            if not data:
                return False
            self._out(data)
            self._hold(data)
        return False
