"""Generate a realistic, big asciicast v3 recording for the player benchmarks.

A mix of what incident sessions contain: shell commands with scrolling output
(logs, listings, coloured prompts), a full-screen editor (alternate screen,
full redraws, typing), and a ``top``-like monitor refreshing in place (cursor
home + rewrite, now and then a full clear). Deterministic for a given seed.

    python bench/gen_cast.py OUT.cast --mb 50 --hours 1
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

COLS, ROWS = 120, 36
WORDS = ["error", "warn", "info", "debug", "request", "user", "session", "cache", "timeout",
         "retry", "upstream", "database", "latency", "socket", "handshake", "worker", "queue",
         "disk", "memory", "cpu"]


def _line(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def shell(rng: random.Random) -> list[str]:
    """A prompt, a command, and 10–400 lines of output (scrolls)."""
    out = ["\x1b[1;32muser@host\x1b[0m:\x1b[1;34m~/srv\x1b[0m$ ",
           f"grep -r {rng.choice(WORDS)} /var/log\r\n"]
    for i in range(rng.randint(10, 400)):
        colour = rng.choice(("", "\x1b[31m", "\x1b[33m", "\x1b[2m"))
        reset = "\x1b[0m" if colour else ""
        out.append(f"{colour}2024-05-0{i % 9 + 1}T12:{i % 60:02d}:{rng.randint(0, 59):02d} "
                   f"{_line(rng, rng.randint(3, 14))}{reset}\r\n")
    return out


def editor(rng: random.Random) -> list[str]:
    """Enter the alternate screen, redraw fully a few times, type, leave."""
    out = ["\x1b[?1049h\x1b[?1h\x1b="]
    for _ in range(rng.randint(3, 12)):
        frame = ["\x1b[H\x1b[2J"]
        for y in range(1, ROWS):
            frame.append(f"\x1b[{y};1H\x1b[38;5;{rng.randint(17, 230)}m{y:4d}\x1b[0m "
                         f"{_line(rng, rng.randint(1, 12))[:COLS - 6]}")
        frame.append(f"\x1b[{ROWS};1H\x1b[7m -- INSERT -- \x1b[0m\x1b[5;10H")
        out.append("".join(frame))
        for _ in range(rng.randint(5, 40)):  # typing
            out.append(rng.choice("abcdefghij ;(){}"))
    out.append("\x1b[?1049l\x1b[?1l\x1b>")
    return out


def top(rng: random.Random) -> list[str]:
    """A monitor: home + rewrite every row, sometimes a full clear first."""
    out = []
    for n in range(rng.randint(5, 30)):
        frame = ["\x1b[H\x1b[2J" if n % 7 == 0 else "\x1b[H"]
        frame.append(f"\x1b[1mtop - 12:00:{n % 60:02d} up 3 days, load average: "
                     f"{rng.random():.2f} {rng.random():.2f}\x1b[0m\x1b[K\r\n")
        for pid in range(ROWS - 2):
            frame.append(f"\x1b[{'7' if pid == 0 else '0'}m{1000 + pid:6d} root  20   0 "
                         f"{rng.randint(1000, 99999):8d} {rng.random() * 100:5.1f} "
                         f"{rng.choice(WORDS):<20}\x1b[0m\x1b[K\r\n")
        out.append("".join(frame))
    return out


def generate(path: Path, megabytes: float, hours: float, seed: int = 1) -> None:
    rng = random.Random(seed)
    target = int(megabytes * (1 << 20))
    header = {"version": 3, "term": {"cols": COLS, "rows": ROWS, "type": "xterm-256color"},
              "timestamp": 1700000000, "title": f"bench {megabytes:g} MB"}
    # mean pause between chunks so the whole lasts about ``hours``
    chunk_guess = 190  # measured mean line size of this mix
    mean_gap = hours * 3600 / (target / chunk_guess)
    written = 0
    n_marker = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(header) + "\n")
        while written < target:
            kind = rng.choices((shell, editor, top), (5, 2, 2))[0]
            if rng.random() < 0.05:
                n_marker += 1
                line = json.dumps([0.0, "m", f"step {n_marker}"]) + "\n"
                f.write(line)
                written += len(line)
            for chunk in kind(rng):
                gap = rng.expovariate(1 / mean_gap) if mean_gap > 0 else 0.0
                line = json.dumps([round(gap, 6), "o", chunk], ensure_ascii=False) + "\n"
                f.write(line)
                written += len(line.encode())
                if written >= target:
                    break


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--mb", type=float, default=50)
    p.add_argument("--hours", type=float, default=1)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    generate(a.out, a.mb, a.hours, a.seed)


if __name__ == "__main__":
    main()
