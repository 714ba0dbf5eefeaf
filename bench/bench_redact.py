"""Redaction throughput on ordinary terminal output (one core).

    python bench/bench_redact.py [--mb 8] [--chunk 4096] [--text mixed|coloured|both]

Two texts: *mixed*, a deterministic mix of what terminals print (ls -l, git log,
compiler and test output, ps, kubectl/docker tables, JSON logs, a Python traceback),
about a third of it with ANSI colour; *coloured*, the recorder benchmark's file
(``bench_record.coloured_block``: SGR colours on every line, words, numbers, some
non-ASCII); and with ``--text linked``, that text with an OSC 8 hyperlink on every
line and a window title every 20 (their payloads are scanned too). For each it times:

* ``Redactor.mask`` over 64 KB blocks, and
* ``StreamRedactor.push`` fed ``--chunk``-sized reads (what the recorder does).

Prints MB/s of input (UTF-8 bytes) for each, from CPU time (``time.process_time``,
so other load on a shared machine does not distort it) and from wall time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_record import coloured_block  # noqa: E402
from coterm_tui.core.redact import StreamRedactor, load_redactor  # noqa: E402

_WORDS = ("build error warning info debug compiling linking src main test ok passed failed "
         "user root total staff README.md setup.py import from return def class self none "
         "true false request response handler cache config server client timeout retry value "
         "index table column")
WORDS = _WORDS.split()


def ordinary_output(size: int, seed: int = 7) -> str:
    r = random.Random(seed)
    hexs = "0123456789abcdef"
    out: list[str] = []
    n = 0
    while n < size:
        k = r.randrange(10)
        i = r.randrange(100000)
        if k == 0:
            line = (f"-rw-r--r--  1 alice staff {r.randrange(99999):6d} Nov 29 12:{i % 60:02d} "
                    f"\x1b[01;34msrc/module_{i}.py\x1b[0m")
        elif k == 1:
            sha = "".join(r.choice(hexs) for _ in range(40))
            line = f"\x1b[33mcommit {sha}\x1b[0m\nAuthor: Alice <alice@example.com>"
        elif k == 2:
            line = " ".join(r.choice(WORDS) for _ in range(12))
        elif k == 3:
            line = (f"src/app/handlers/{r.choice(WORDS)}.py:{i % 900}:{i % 80}: "
                    f"\x1b[1;31merror:\x1b[0m '{r.choice(WORDS)}' is not defined")
        elif k == 4:
            line = (f"root     {i:5d}  0.0  0.1 123456  7890 pts/0    S+   12:00   0:00 "
                    "/usr/bin/python3 -m http.server 8000")
        elif k == 5:
            line = (f"web-{''.join(r.choice(hexs) for _ in range(10))}-x2x9k   1/1   Running   "
                    f"0   {i % 40}d")
        elif k == 6:
            line = (f'{{"ts":"2024-05-01T12:00:{i % 60:02d}Z","level":"info","msg":"request done",'
                    f'"path":"/api/v1/items/{i}","status":200,"ms":{i % 300}}}')
        elif k == 7:
            line = (f'  File "/usr/lib/python3.11/site-packages/{r.choice(WORDS)}/core.py", '
                    f"line {i % 900}, in {r.choice(WORDS)}")
        elif k == 8:
            line = f"test_{r.choice(WORDS)}_{i} \x1b[32mPASSED\x1b[0m [{i % 100:3d}%]"
        elif i % 50 == 0:  # the odd line that mentions a keyword
            line = f"{r.choice(WORDS)}: {r.choice(['key', 'token', 'password'])} {r.choice(WORDS)}"
        else:
            line = f"{r.choice(WORDS)}: {r.choice(WORDS)} {r.choice(WORDS)} at line {i}"
        out.append(line)
        n += len(line) + 2
    return "\r\n".join(out) + "\r\n"


def coloured_output(size: int) -> str:
    block = coloured_block().decode()
    return (block * (size // len(block) + 1))[:size]


def linked_output(size: int) -> str:
    """The coloured text with an OSC 8 hyperlink (a file:// URL) on every line and a
    window title every 20 lines, as ``ls --hyperlink`` and zsh themes print."""
    lines = coloured_output(size).split("\n")
    return "\n".join(
        ("\x1b]0;alice@web: ~/src/coterm\x07" if i % 20 == 0 else "")
        + f"\x1b]8;;file://web/home/alice/src/f{i}.py\x1b\\{line}\x1b]8;;\x1b\\"
        for i, line in enumerate(lines))[:size]


def bench(name: str, text: str, chunk: int) -> None:
    nbytes = len(text.encode())
    red = load_redactor()

    block = 65536
    c0, w0 = time.process_time(), time.perf_counter()
    masked = 0
    for i in range(0, len(text), block):
        masked += len(red.mask(text[i:i + block])[1])
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    print(f"{name:8} Redactor.mask (64 KB blocks):    {nbytes / cpu / 1e6:6.1f} MB/s CPU, "
          f"{nbytes / wall / 1e6:6.1f} MB/s wall  ({nbytes / 1e6:.1f} MB, {masked} findings)")

    stream = StreamRedactor(red)
    c0, w0 = time.process_time(), time.perf_counter()
    now = 0.0
    for i in range(0, len(text), chunk):
        now += 0.001
        stream.push(now, text[i:i + chunk])
    stream.flush(now)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    print(f"{name:8} StreamRedactor ({chunk} B reads): {nbytes / cpu / 1e6:6.1f} MB/s CPU, "
          f"{nbytes / wall / 1e6:6.1f} MB/s wall")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=8.0, help="MB of output to redact")
    ap.add_argument("--chunk", type=int, default=4096, help="stream read size (chars)")
    ap.add_argument("--text", choices=("mixed", "coloured", "linked", "both"), default="both",
                    help="which text (both: mixed and coloured)")
    args = ap.parse_args()
    size = int(args.mb * 1_000_000)
    if args.text in ("mixed", "both"):
        bench("mixed", ordinary_output(size), args.chunk)
    if args.text in ("coloured", "both"):
        bench("coloured", coloured_output(size), args.chunk)
    if args.text == "linked":
        bench("linked", linked_output(size), args.chunk)


if __name__ == "__main__":
    main()
