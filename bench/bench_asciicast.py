"""Throughput and memory of the asciicast reader and writer.

Generates a v3 recording of about ``--mb`` megabytes under ``bench/out/`` (a mix of
shell output, full-screen redraws with colours, input, resizes, markers and
coterm's own events), then, each in a fresh child process so peak RSS is the
reader's alone, measures:

* ``json-only``: bare ``json.loads`` of every line (the floor for any stdlib reader);
* ``iter_events``: coterm's reader, every event typed, offsets tracked;
* ``write-v3``: CastWriter re-encoding every event.

Run: ``python bench/bench_asciicast.py [--mb 200]`` (prints a Markdown table).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from coterm_tui.core.asciicast import CastWriter, open_cast
from coterm_tui.core.events import Command, Event, Header, Input, Marker, Output, Resize

OUT = Path(__file__).resolve().parent / "out"


def _shell_chunk(rnd: random.Random) -> str:
    words = ["total", "drwxr-xr-x", "root", "4096", "Nov", "src", "README.md", "ok", "ß", "→"]
    return " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 15))) + "\r\n"


def _redraw_chunk(rnd: random.Random) -> str:
    parts = []
    for row in range(1, rnd.randint(5, 40)):
        colour = rnd.randint(16, 231)
        parts.append(f"\x1b[{row};1H\x1b[38;5;{colour}m{'█▌ top  %CPU' * rnd.randint(1, 6)}\x1b[K")
    return "".join(parts) + "\x1b[0m"


def generate(path: Path, megabytes: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    target = megabytes << 20
    t = 0.0
    with CastWriter(path, Header(cols=120, rows=40, title="bench")) as writer:
        n = 0
        while True:
            n += 1
            t += rnd.random() * 0.05
            r = rnd.random()
            event: Event
            if r < 0.55:
                event = Output(t, _shell_chunk(rnd))
            elif r < 0.85:
                event = Output(t, _redraw_chunk(rnd))
            elif r < 0.97:
                event = Input(t, rnd.choice("abcdefgh\r"))
            elif r < 0.98:
                event = Resize(t, rnd.randint(80, 200), rnd.randint(24, 60))
            elif r < 0.99:
                event = Marker(t, f"mark {n}")
            else:
                event = Command(t, id=n, line="ls -l", cwd="/tmp", start=t)
            writer.write(event)
            if n % 4096 == 0 and path.stat().st_size >= target:
                break


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, path: Path) -> dict[str, float]:
    size = path.stat().st_size
    events = 0
    start = time.perf_counter()
    if mode == "json-only":
        with open(path, "rb") as f:
            f.readline()
            for line in f:
                json.loads(line.decode("utf-8"))
                events += 1
    elif mode == "iter_events":
        with open_cast(path) as reader:
            for _ in reader.iter_events():
                events += 1
    elif mode == "write-v3":
        with open_cast(path) as reader, open(os.devnull, "wb") as sink, \
                CastWriter(sink, reader.header) as writer:
            for event in reader.events():
                writer.write(event)
                events += 1
    else:
        raise SystemExit(f"unknown mode {mode}")
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "mb_s": size / elapsed / 1e6, "events": events,
            "events_s": events / elapsed, "rss_mb": _peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the generated file")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    OUT.mkdir(exist_ok=True)
    path = OUT / f"bench-{args.mb}mb.cast"
    if not path.exists():
        start = time.perf_counter()
        generate(path, args.mb)
        print(f"generated {path} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    size_mb = path.stat().st_size / 1e6
    print(f"file: {size_mb:.0f} MB, Python {sys.version.split()[0]}\n")
    print("| pass | seconds | MB/s | events | events/s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for mode in ("json-only", "iter_events", "write-v3"):
        out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)],
                             capture_output=True, text=True, check=True, timeout=3600)
        r = json.loads(out.stdout)
        print(f"| {mode} | {r['seconds']:.1f} | {r['mb_s']:.0f} | {r['events']:,.0f} | "
              f"{r['events_s']:,.0f} | {r['rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
