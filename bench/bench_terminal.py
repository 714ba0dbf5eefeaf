"""Terminal emulator throughput: feed MB/s for three kinds of output, coterm's Terminal
vs plain pyte (Screen + Stream), plus the cost of the one-cell-run fast path and of dump().

    python bench/bench_terminal.py [--mb 1.0] [--repeat 3]

Workloads are generated deterministically: (a) plain shell output (ls/compiler-like lines,
some colour), (b) vim-like full-screen redraws (cursor moves + syntax colours on every
line), (c) top-like refreshes (home, erase-to-end-of-line, reverse-video header, numbers).
Times are CPU time of this process (the machine is shared; wall time is noisier).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import time
from collections.abc import Callable

import pyte

from coterm_tui.core.terminal import Terminal
from coterm_tui.core.terminal.screen import Screen

COLS, ROWS = 120, 40
WORDS = ["src", "lib", "build", "main", "test", "util", "config", "parser", "screen"]


def shell(size: int, rng: random.Random) -> str:
    out, n = [], 0
    while n < size:
        if rng.random() < 0.15:
            line = f"\x1b[01;34m{rng.choice(WORDS)}\x1b[0m  " + " ".join(
                rng.choice(WORDS) for _ in range(rng.randint(3, 9))
            )
        else:
            line = f"{rng.choice(WORDS)}/{rng.choice(WORDS)}.py:{rng.randint(1, 999)}: " + " ".join(
                rng.choice(WORDS) for _ in range(rng.randint(4, 14))
            )
        out.append(line + "\r\n")
        n += len(line) + 2
    return "".join(out)


def vim(size: int, rng: random.Random) -> str:
    out, n = [], 0
    colours = ["\x1b[38;5;130m", "\x1b[36m", "\x1b[31m", "\x1b[34m", "\x1b[1m", "\x1b[35m"]
    while n < size:
        frame = ["\x1b[?25l\x1b[H"]
        for y in range(ROWS - 1):
            frame.append(f"\x1b[{y + 1};1H\x1b[94m{y + 1:4d} \x1b[m")
            for _ in range(rng.randint(2, 8)):
                frame.append(f"{rng.choice(colours)}{rng.choice(WORDS)}\x1b[m ")
                frame.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 2))) + " ")
            frame.append("\x1b[K")
        frame.append(f"\x1b[{ROWS};1H-- INSERT --\x1b[{ROWS};{COLS - 18}H")
        frame.append(f"{rng.randint(1, 99)},1  All")
        frame.append("\x1b[?25h")
        text = "".join(frame)
        out.append(text)
        n += len(text)
    return "".join(out)


def top(size: int, rng: random.Random) -> str:
    out, n = [], 0
    while n < size:
        clock = f"12:{rng.randint(0, 59):02d}:01"
        frame = [f"\x1b[Htop - {clock} up 3 days,  load: 0.{rng.randint(0, 99)}\x1b[K\r\n"]
        frame.append(f"Tasks: {rng.randint(100, 300)} total, 1 running\x1b[K\r\n\x1b[K\r\n")
        header = "    PID USER      PR  NI    VIRT    RES  %CPU  %MEM COMMAND"
        frame.append(f"\x1b[7m{header:{COLS}}\x1b[m\r\n")
        for _ in range(ROWS - 5):
            frame.append(
                f"{rng.randint(1, 99999):7d} root      20   0 {rng.randint(1000, 999999):7d} "
                f"{rng.randint(100, 99999):6d} {rng.random() * 100:5.1f} {rng.random() * 10:5.1f} "
                f"\x1b[1m{rng.choice(WORDS)}\x1b[m\x1b[K\r\n"
            )
        frame.append("\x1b[J")
        text = "".join(frame)
        out.append(text)
        n += len(text)
    return "".join(out)


def boxes(size: int, rng: random.Random) -> str:
    """htop/mc-like: box-drawing frames, accented text, some CJK, colours."""
    out, n = [], 0
    while n < size:
        frame = ["\x1b[H\x1b[44m┌" + "─" * (COLS - 2) + "┐\r\n"]
        for _ in range(ROWS - 2):
            words = " ".join(rng.choice(["café", "naïve", "Größe", "日本語", "→", "…"])
                             for _ in range(rng.randint(2, 10)))  # fmt: skip
            frame.append(f"│\x1b[37m {words}\x1b[K\x1b[{COLS}G\x1b[m\x1b[44m│\r\n")
        frame.append("└" + "─" * (COLS - 2) + "┘\x1b[m")
        text = "".join(frame)
        out.append(text)
        n += len(text.encode())
    return "".join(out)


def feed_terminal(data: str) -> None:
    term = Terminal(COLS, ROWS)
    for i in range(0, len(data), 4096):
        term.feed(data[i : i + 4096])


def feed_slow_path(data: str) -> None:
    original = Screen._draw_narrow
    Screen._draw_narrow = Screen._draw_any  # type: ignore[method-assign]
    try:
        feed_terminal(data)
    finally:
        Screen._draw_narrow = original  # type: ignore[method-assign]


def feed_pyte(data: str) -> None:
    screen = pyte.Screen(COLS, ROWS)
    stream = pyte.Stream(screen)
    for i in range(0, len(data), 4096):
        with contextlib.suppress(Exception):  # pyte loses the rest of the chunk here
            stream.feed(data[i : i + 4096])


def rate(fn: Callable[[str], None], data: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn(data)
        best = min(best, time.process_time() - start)
    return len(data.encode()) / best / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = int(args.mb * 1_000_000)
    print(f"screen {COLS}x{ROWS}, {args.mb} MB per workload, best of {args.repeat}")
    print(f"{'workload':10} {'coterm MB/s':>12} {'no fast path':>13} {'pyte MB/s':>10}")
    for name, make in (("shell", shell), ("vim", vim), ("top", top), ("unicode", boxes)):
        data = make(size, random.Random(7))
        ours = rate(feed_terminal, data, args.repeat)
        slow = rate(feed_slow_path, data, args.repeat)
        base = rate(feed_pyte, data, args.repeat)
        print(f"{name:10} {ours:12.2f} {slow:13.2f} {base:10.2f}")
    term = Terminal(200, 50)
    term.feed(vim(200_000, random.Random(1)))
    start = time.process_time()
    for _ in range(20):
        snap = term.dump()
    took = (time.process_time() - start) / 20
    fresh = Terminal(200, 50)
    start = time.process_time()
    for _ in range(20):
        fresh.feed(snap)
    back = (time.process_time() - start) / 20
    print(f"dump 200x50 vim screen: {len(snap.encode())} bytes, {took * 1e3:.2f} ms, "
          f"restore {back * 1e3:.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
