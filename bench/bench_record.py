"""Recorder benchmarks: throughput, keystroke latency and memory of ``coterm record``.

Every program runs on a PTY of this script's own whose master is drained as fast as
possible (the "user's terminal" never slows anything down), and the time is taken from
start to the program's exit, so a recorder that finishes writing after the output
has gone by pays for it.

* throughput: ``cat`` of a file of coloured terminal text (default 200 MB), directly,
  under ``script -q -c``, under ``asciinema rec`` (2.4.0, from ``--asciinema``, a
  separate venv) and under ``coterm record`` with redaction on and off
  (``COTERM_BENCH_NO_REDACT=1``, a benchmark-only switch), writing the file only
  (``--no-relay``) and also streaming to the embedded relay (the default). Two times
  are taken: "passthrough", until the output's end reached the terminal (what the
  user waits for), and "finalised", until ``coterm record`` exited with the
  recording complete (the recording may lag the terminal; it spools meanwhile).
* latency: write one byte to the outer PTY, time until its echo comes back, for a
  program at a non-canonical, echoing prompt (``stty -icanon; cat >/dev/null``),
  directly and under ``coterm record``.
* memory: the recorder's own peak RSS and its capture process's (``COTERM_BENCH_STATS``).

Rerun: ``python bench/bench_record.py --mb 200 --asciinema /path/to/venv/bin/asciinema``
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coterm_tui.record.ptys import set_size  # noqa: E402

COTERM = [sys.executable, "-m", "coterm_tui", "record"]


def stop_embedded_relay(home: str | Path) -> None:
    """``coterm record`` streams to the embedded relay it starts under COTERM_HOME (as
    in real use, so the uplink is measured too); stop it so the bench leaves nothing."""
    subprocess.run([sys.executable, "-m", "coterm_tui", "relay", "stop"],
                   env={**os.environ, "COTERM_HOME": str(home)}, capture_output=True,
                   timeout=60)


def coloured_block() -> bytes:
    """1 MiB of coloured shell-like output: SGR colours, words, paths, a few non-ASCII
    characters (also what ``bench_redact.py`` times as coloured text)."""
    rng = random.Random(4)
    words = ["error", "info", "GET", "/api/v1/items", "200", "ok", "kube-system", "pod",
             "Running", "naïve", "→", "漢字", "0x7ffd", "ms", "user=ana", "retry"]
    lines = []
    size = 0
    while size < 1 << 20:
        colour = rng.choice([31, 32, 33, 34, 35, 36, 90])
        text = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14)))
        line = f"\x1b[{colour}m{rng.randint(0, 99999):05d}\x1b[0m {text} \x1b[1m{size}\x1b[0m\n"
        lines.append(line)
        size += len(line.encode())
    return "".join(lines).encode()


def make_text(path: Path, mb: int) -> None:
    """``mb`` MiB of :func:`coloured_block` in ``path``."""
    block = coloured_block()
    with open(path, "wb") as f:
        for _ in range(mb):
            f.write(block)


DONE = b"__bench_done__"


def _take_tty() -> None:
    """In the child: make the PTY its controlling terminal, as a terminal emulator does
    (asciinema writes to /dev/tty)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def run_on_pty(argv: list[str], env: dict[str, str] | None = None,
               cols: int = 200, rows: int = 50) -> tuple[float, float, float, bytes]:
    """Run ``argv`` on a fresh PTY and drain it. Returns (seconds until the output's
    end mark reached the terminal, seconds until the program exited, CPU seconds of
    the program and everything it ran, output tail)."""
    master, slave = os.openpty()
    set_size(slave, cols, rows)
    start = time.perf_counter()
    environ = {**os.environ, **(env or {})}
    if argv[0] != sys.executable:
        environ.pop("PYTHONPATH", None)  # other tools get their own Python untouched
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=environ,
                            start_new_session=True, preexec_fn=_take_tty)
    os.close(slave)
    passed = 0.0
    tail = b""
    while True:
        try:
            data = os.read(master, 1 << 20)
        except OSError:
            break
        if not data:
            break
        tail = (tail + data)[-4096:]
        if not passed and DONE in tail:
            passed = time.perf_counter() - start
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    os.close(master)
    cpu = usage.ru_utime + usage.ru_stime  # the whole process tree, cat included
    return passed or elapsed, elapsed, cpu, tail


def stats_from(tail: bytes) -> dict[str, int]:
    for line in tail.decode("utf-8", "replace").splitlines():
        if line.startswith("coterm: stats "):
            parsed: dict[str, int] = json.loads(line[len("coterm: stats "):])
            return parsed
    return {}


def throughput(args: argparse.Namespace, work: Path) -> list[dict[str, object]]:
    text = work / "colour.txt"
    make_text(text, args.mb)
    size = text.stat().st_size
    cat = f"cat {text}; echo {DONE.decode()}"
    runs: list[tuple[str, list[str], dict[str, str]]] = [
        ("cat (no recorder)", ["sh", "-c", cat], {}),
        ("script -q -c", ["script", "-q", "-c", cat, str(work / "typescript")], {}),
    ]
    if args.asciinema:
        runs.append(("asciinema rec 2.4.0", [args.asciinema, "rec", "-q", "--overwrite",
                                             "-c", cat, str(work / "asciinema.cast")], {}))
    stats_env = {"COTERM_BENCH_STATS": "1", "COTERM_HOME": str(work / "home")}
    off = {**stats_env, "COTERM_BENCH_NO_REDACT": "1"}
    for relay, flags in (("--no-relay", ["--no-relay"]), ("embedded relay", [])):
        runs += [
            (f"coterm record {relay}, redaction off",
             [*COTERM, *flags, "--file", str(work / "off.cast"), "--", "sh", "-c", cat], off),
            (f"coterm record {relay}, redaction on",
             [*COTERM, *flags, "--file", str(work / "on.cast"), "--", "sh", "-c", cat],
             stats_env),
        ]
    results = []
    for name, argv, env in runs:
        best = None
        for _ in range(args.repeat):
            for out in work.glob("*.cast"):
                out.unlink()
            passed, elapsed, cpu, tail = run_on_pty(argv, env)
            if DONE not in tail:
                raise SystemExit(f"{name} failed: {tail[-500:]!r}")
            if best is None or elapsed < best[1]:
                best = (passed, elapsed, cpu, tail)
        assert best is not None
        passed, elapsed, cpu, tail = best
        row: dict[str, object] = {
            "run": name, "passthrough_s": round(passed, 2),
            "passthrough_MB/s": round(size / passed / 1e6, 1),
            "finalised_s": round(elapsed, 2), "finalised_MB/s": round(size / elapsed / 1e6, 1),
            "cpu_s": round(cpu, 2)}
        row.update(stats_from(tail))
        results.append(row)
        print(json.dumps(row), flush=True)
    stop_embedded_relay(work / "home")
    return results


def latency(args: argparse.Namespace) -> list[dict[str, object]]:
    prog = ["sh", "-c", "stty -icanon; echo ready; exec cat >/dev/null"]
    out = []
    with tempfile.TemporaryDirectory() as home:
        for name, argv, env in [
            ("direct", prog, {}),
            ("coterm record", [*COTERM, "--file", f"{home}/lat.cast", "--", *prog],
             {"COTERM_HOME": home}),
        ]:
            master, slave = os.openpty()
            proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                    env={**os.environ, **env}, start_new_session=True,
                                    preexec_fn=_take_tty)
            os.close(slave)
            buf = b""
            deadline = time.monotonic() + 30
            while b"ready" not in buf and time.monotonic() < deadline:
                if select.select([master], [], [], 1)[0]:
                    buf += os.read(master, 65536)
            samples = []
            for i in range(args.keys):
                t = time.perf_counter()
                os.write(master, b"a")
                got = b""
                while b"a" not in got:
                    select.select([master], [], [], 5)
                    got += os.read(master, 65536)
                samples.append((time.perf_counter() - t) * 1000)
                if i % 50 == 0:
                    time.sleep(0.002)  # pace like a typist now and then (bench only)
            os.write(master, b"\x03")
            proc.terminate()
            proc.wait()
            os.close(master)
            samples.sort()
            row: dict[str, object] = {
                "run": name, "keys": len(samples),
                "p50_ms": round(statistics.median(samples), 3),
                "p99_ms": round(samples[int(len(samples) * 0.99) - 1], 3),
                "max_ms": round(samples[-1], 3)}
            print(json.dumps(row), flush=True)
            out.append(row)
        stop_embedded_relay(home)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    parser.add_argument("--keys", type=int, default=2000)
    parser.add_argument("--asciinema", default=shutil.which("asciinema"),
                        help="the asciinema 2.4.0 executable (a separate venv)")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coterm-bench-") as tmp:
        if not args.skip_throughput:
            throughput(args, Path(tmp))
        latency(args)


if __name__ == "__main__":
    main()
