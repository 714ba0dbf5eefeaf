"""The PTY loop alone: ``coterm record``'s passthrough with nothing recorded, or feeding a
pipeline that only reads and drops what it gets, against ``script -q -c``.

Separates the loop's own cost from the capture process's: each program runs on a PTY of
this script's own, drained as fast as possible (see ``bench_record.py``), and the time is
taken until the output's end mark reached the terminal.

Rerun: ``python bench/bench_record_loop.py --mb 200 --repeat 3``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_record import DONE, make_text, run_on_pty  # noqa: E402

from coterm_tui.record import channel  # noqa: E402
from coterm_tui.record.pty_loop import Loop  # noqa: E402
from coterm_tui.record.ptys import raw_mode, spawn  # noqa: E402


def child(mode: str, path: str) -> None:
    """Runs on the benchmark's PTY: the loop around ``cat``."""
    cmd = ["sh", "-c", f"cat {path}; echo {DONE.decode()}"]
    feed = None
    drainer = 0
    spool = None
    if mode == "discard":
        r, w = os.pipe()
        channel.widen_pipe(w)
        spool = channel.Spool.create(str(Path(path).parent))
        drainer = os.fork()
        if drainer == 0:  # the stand-in pipeline: read everything, keep nothing
            os.close(w)
            receiver = channel.Receiver(spool)
            while data := os.read(r, 1 << 20):
                receiver.feed(data)
                for _ in receiver.drain():
                    pass
            os._exit(0)
        os.close(r)
        feed = channel.Feed(w, spool)
    with raw_mode(0) as attrs:
        pid, master = spawn(cmd, os.environ, 200, 50, attrs)
        Loop(pid=pid, master=master, feed=feed, t0=time.monotonic()).run()
    if feed is not None:
        feed.close()
        os.waitpid(drainer, 0)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coterm-bench-") as tmp:
        text = Path(tmp) / "colour.txt"
        make_text(text, args.mb)
        size = text.stat().st_size
        runs = {
            "script -q -c": ["script", "-q", "-c", f"cat {text}; echo {DONE.decode()}",
                             str(Path(tmp) / "typescript")],
            "loop, nothing recorded": [sys.executable, __file__, "--child", "none", str(text)],
            "loop, feeding a pipeline that drops it":
                [sys.executable, __file__, "--child", "discard", str(text)],
        }
        for name, argv in runs.items():
            best = min(run_on_pty(argv)[0] for _ in range(args.repeat))
            print(f"{name:40s} {best:6.2f} s {size / best / 1e6:6.1f} MB/s", flush=True)


if __name__ == "__main__":
    main()
