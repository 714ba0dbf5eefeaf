"""Compare coterm's Terminal with tmux's emulator on the same bytes (run by hand when
changing the emulator; not a test — it needs tmux and waits for it):

    python tests/unit/golden/oracle.py vim.out [CUT ...]     # cut points in bytes

For each cut, the prefix is printed into a detached 80×24 tmux pane (own server socket)
and ``capture-pane`` is compared row by row with ``Terminal.text()``. Known, accepted
differences: tmux ignores HPR (``CSI a``) and keeps the column on IL/DL (xterm homes it),
deletes the whole of a wide character that DCH splits, and hides the orphaned half of an
erased wide character in captures.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from coterm_tui.core.terminal import Terminal

HERE = Path(__file__).parent
_servers = itertools.count()


def tmux_rows(data: bytes, cols: int = 80, rows: int = 24) -> list[str]:
    socket = f"coterm-oracle-{os.getpid()}-{next(_servers)}"
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(data)
        f.flush()
        subprocess.run(
            ["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", str(cols),
             "-y", str(rows), f"stty raw -echo; cat {f.name}; sleep 30"],
            check=True,
        )  # fmt: skip
        try:
            previous, out = None, ""
            for _ in range(50):  # until the pane stops changing
                time.sleep(0.1)
                out = subprocess.run(
                    ["tmux", "-L", socket, "capture-pane", "-p"], capture_output=True, text=True
                ).stdout
                if out == previous:
                    break
                previous = out
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
    return [unicodedata.normalize("NFC", row.rstrip()) for row in out.split("\n")[:rows]]


def our_rows(data: bytes, cols: int = 80, rows: int = 24) -> list[str]:
    term = Terminal(cols, rows)
    term.feed(data.decode("utf-8", "replace"))
    return term.text()


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    data = (HERE / sys.argv[1]).read_bytes()
    differing = 0
    for cut in [int(c) for c in sys.argv[2:]] or [len(data)]:
        theirs, ours = tmux_rows(data[:cut]), our_rows(data[:cut])
        bad = [(y, a, b) for y, (a, b) in enumerate(zip(theirs, ours, strict=True)) if a != b]
        differing += len(bad)
        print(f"{sys.argv[1]}@{cut}: {len(bad)} differing rows")
        for y, a, b in bad[:8]:
            print(f"  {y:2d} tmux|{a}\n     ours|{b}")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
