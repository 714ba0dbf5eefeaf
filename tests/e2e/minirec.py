"""A stand-in broadcaster for the watch end-to-end test: a shell in a PTY whose
output is passed through to this terminal and streamed to the relay by the
recorder's own :class:`~coterm_tui.record.uplink.Uplink` sink.

``coterm record`` does not stream to the relay yet on this branch; once it does,
the e2e test should run it instead of this script.

    python -m tests.e2e.minirec SESSION_ID -- bash --norc
"""

from __future__ import annotations

import os
import pty
import select
import sys
import termios
import time
import tty

from bench.ptybroadcast import forward
from coterm_tui.client import resolve_relay
from coterm_tui.core.events import Exit, Header
from coterm_tui.record.uplink import Uplink


def main() -> int:
    sid, command = sys.argv[1], sys.argv[3:]
    cols, rows = os.get_terminal_size()
    target = resolve_relay()
    header = Header(cols=cols, rows=rows, timestamp=int(time.time()), title="e2e shell",
                    extra={"coterm": {"user": "ana", "host": "box"}})
    uplink = Uplink(target.url, sid, header, token=target.token)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    import fcntl
    import struct
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    saved = termios.tcgetattr(0)
    tty.setraw(0)
    t0 = time.monotonic()
    seq = 0
    try:
        while True:
            ready, _, _ = select.select([0, fd], [], [], 1.0)
            if 0 in ready:
                os.write(fd, os.read(0, 1024))
            if fd in ready:
                got = forward(fd, uplink, t0, seq, echo=1)
                if got is None:
                    break
                seq = got
    finally:
        termios.tcsetattr(0, termios.TCSADRAIN, saved)
        _, status = os.waitpid(pid, 0)
        seq += 1
        uplink.write(seq, Exit(time.monotonic() - t0, os.waitstatus_to_exitcode(status)))
        uplink.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
