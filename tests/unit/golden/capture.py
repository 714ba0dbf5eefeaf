"""Capture a real program's terminal output for the golden tests (run by hand, not by
pytest): ``python tests/unit/golden/capture.py NAME -- CMD...`` runs CMD in an 80×24
pseudo-terminal with TERM=xterm-256color, types the keys given with ``--keys`` (``\\r`` and
``\\x1b`` escapes allowed; ``|`` pauses 0.5 s) and writes every output byte to NAME.out.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time
from pathlib import Path

HERE = Path(__file__).parent


def capture(argv: list[str], keys: str, cols: int, rows: int, timeout: float) -> bytes:
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
                          COLUMNS=str(cols), LINES=str(rows))  # fmt: skip
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    out = bytearray()
    steps = keys.split("|") if keys else []
    deadline = time.monotonic() + timeout
    next_step = time.monotonic() + 0.8
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        if steps and time.monotonic() >= next_step:
            os.write(fd, steps.pop(0).replace("\\r", "\r").replace("\\x1b", "\x1b").encode())
            next_step = time.monotonic() + 0.5
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, 9)
    os.waitpid(pid, 0)
    return bytes(out)


def main() -> int:
    argv = sys.argv[1:]
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[argv.index("--") + 1 :]
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("name")
    parser.add_argument("--keys", default="")
    parser.add_argument("--timeout", type=float, default=6.0)
    args = parser.parse_args(argv[: argv.index("--")])
    data = capture(cmd, args.keys, 80, 24, args.timeout)
    (HERE / f"{args.name}.out").write_bytes(data)
    print(f"{args.name}.out: {len(data)} bytes", file=sys.stderr)
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
