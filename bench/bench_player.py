"""Player benchmarks: first screen, index build, random seeks, memory; vs naive replay.

    python bench/bench_player.py 50m            # ~50 MB, ~1 h recording (generated once)
    python bench/bench_player.py 1g --budget 600  # ~1 GB; indexes for at most 600 s

Recordings are generated under bench/out/ (gitignored) by bench/gen_cast.py.
Everything runs with pyte (coterm's Terminal), in one process per size so the
peak RSS printed belongs to that size. Results go to stdout as Markdown rows.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.gen_cast import generate  # noqa: E402
from coterm_tui.core.events import Output, Resize  # noqa: E402
from coterm_tui.core.replay import Replayer  # noqa: E402
from coterm_tui.core.source import FileSource  # noqa: E402
from coterm_tui.core.terminal import Terminal  # noqa: E402

SIZES = {"50m": (50, 1.0), "1g": (1024, 8.0)}


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def first_screen(path: Path) -> float:
    """Open the file and show its first screen (header read, first output applied)."""
    start = time.perf_counter()
    source = FileSource(path, cache=False)
    rep = Replayer(source)
    rep.step()
    rep.term.take_dirty()
    elapsed = time.perf_counter() - start
    source.close()
    return elapsed


def build(path: Path, skim: bool) -> tuple[FileSource, float, float]:
    """Index in memory: (source, wall seconds, CPU seconds)."""
    source = FileSource(path, cache=False, skim=skim)
    start, cpu = time.perf_counter(), time.process_time()
    source.build()
    return source, time.perf_counter() - start, time.process_time() - cpu


def app_first_screen(path: Path) -> float:
    """Headless player: from opening the file to the first screen drawn by the view."""
    import asyncio

    from coterm_tui.app.player_app import make_player
    from coterm_tui.app.widgets.terminal_view import TerminalView

    async def run() -> float:
        start = time.perf_counter()
        app = make_player(FileSource(path), paused=True, at=0.001)
        async with app.run_test(size=(140, 45)) as pilot:
            while True:
                view = app.screen.query_one(TerminalView)
                if any(any(c.data.strip() for c in row) for row in view._lines):
                    return time.perf_counter() - start
                await pilot.pause(0.005)

    return asyncio.run(run())


def naive_timeline(path: Path) -> list[tuple[float, float]]:
    """One replay from the start with no index: (recorded t, seconds elapsed) samples;
    a naive seek to T costs the elapsed time at which the replay reached T."""
    from coterm_tui.core.asciicast import open_cast

    samples: list[tuple[float, float]] = []
    start = time.perf_counter()
    with open_cast(path) as reader:
        term = Terminal(reader.header.cols, reader.header.rows)
        for i, event in enumerate(reader.events()):
            if isinstance(event, Output):
                term.feed(event.data)
            elif isinstance(event, Resize):
                term.resize(event.cols, event.rows)
            if i % 64 == 0:
                samples.append((event.t, time.perf_counter() - start))
    return samples


def naive_cost(samples: list[tuple[float, float]], target: float) -> float:
    import bisect

    i = bisect.bisect_left([t for t, _ in samples], target)
    return samples[min(i, len(samples) - 1)][1]


def seeks(source: FileSource, horizon: float, n: int, seed: int = 7
          ) -> tuple[list[float], list[float], list[float], list[float]]:
    """Random seeks within [0, horizon]: forward and backward wall latencies, all CPU
    times (the box is shared, so CPU time says what a quiet machine would see), targets."""
    rng = random.Random(seed)
    rep = Replayer(source)
    fwd: list[float] = []
    back: list[float] = []
    cpu: list[float] = []
    targets: list[float] = []
    pos = 0.0
    for _ in range(n):
        target = rng.uniform(0, horizon)
        start, c0 = time.perf_counter(), time.thread_time()
        rep.seek(target)
        rep.term.take_dirty()
        (fwd if target >= pos else back).append(time.perf_counter() - start)
        cpu.append(time.thread_time() - c0)
        targets.append(target)
        pos = target
    return fwd, back, cpu, targets


def same_keyframes(a: FileSource, b: FileSource) -> tuple[int, int]:
    fa, fb = a.index.frames(), b.index.frames()
    equal = sum(1 for x, y in zip(fa, fb, strict=False)
                if x.seq == y.seq and a.index.dump_of(x) == b.index.dump_of(y))
    return equal, max(len(fa), len(fb))


def run_50m(path: Path, n_seeks: int) -> None:
    size_mb = path.stat().st_size / 1e6
    fs = first_screen(path)
    # The box is shared: alternate the two builds twice and keep the best of each.
    runs = [build(path, skim) for skim in (True, False, True, False)]
    skimmed, t_skim, c_skim = min(runs[0::2], key=lambda r: r[1])
    exact, t_exact, c_exact = min(runs[1::2], key=lambda r: r[1])
    equal, total = same_keyframes(skimmed, exact)
    duration = skimmed.index.duration or 0.0
    fwd, back, cpu, targets = seeks(skimmed, duration, n_seeks)
    naive = naive_timeline(path)
    with tempfile.TemporaryDirectory() as home:
        os.environ["COTERM_HOME"] = home
        app_fs = app_first_screen(path)
    naive_lat = [naive_cost(naive, t) for t in targets]
    with tempfile.TemporaryDirectory() as home:
        os.environ["COTERM_HOME"] = home
        cached = FileSource(path)
        t0 = time.perf_counter()
        cached.build()
        t_cached_build = time.perf_counter() - t0
        cached.close()
        t0 = time.perf_counter()
        reopened = FileSource(path)
        t_reopen = time.perf_counter() - t0
        rfwd, rback, rcpu, _ = seeks(reopened, duration, max(20, n_seeks // 4))
        reopened.close()
    print(f"| file | {size_mb:.1f} MB, {duration / 3600:.2f} h, "
          f"{skimmed.index.events} events, {len(skimmed.index)} keyframes |")
    print(f"| time to first screen (core: open, first frame) | {ms(fs)} |")
    print(f"| time to first screen (headless player app, cache cold) | {ms(app_fs)} |")
    print(f"| index build, skimming (default), best of 2 | {t_skim:.1f} s = "
          f"{size_mb / t_skim:.2f} MB/s (CPU {c_skim:.1f} s) |")
    print(f"| index build, full emulation, best of 2 | {t_exact:.1f} s = "
          f"{size_mb / t_exact:.2f} MB/s (CPU {c_exact:.1f} s) |")
    print(f"| skimmed keyframes identical to fully emulated | {equal}/{total} |")
    print(f"| index build with on-disk cache | {t_cached_build:.1f} s |")
    print(f"| reopen with cached index | {ms(t_reopen)} |")
    print(f"| seek forward p50 / p95 (n={len(fwd)}) | {ms(pct(fwd, .5))} / {ms(pct(fwd, .95))} |")
    print(f"| seek backward p50 / p95 (n={len(back)}) | "
          f"{ms(pct(back, .5))} / {ms(pct(back, .95))} |")
    print(f"| seek CPU time p50 / p95 (all) | {ms(pct(cpu, .5))} / {ms(pct(cpu, .95))} |")
    allr = rfwd + rback
    print(f"| seek p50 / p95 after reopen (dumps read from cache) | "
          f"{ms(pct(allr, .5))} / {ms(pct(allr, .95))} (CPU {ms(pct(rcpu, .5))} / "
          f"{ms(pct(rcpu, .95))}) |")
    print(f"| naive replay-from-start seek p50 / p95 (same targets) | "
          f"{ms(pct(naive_lat, .5))} / {ms(pct(naive_lat, .95))} "
          f"(full replay {naive[-1][1]:.1f} s = {size_mb / naive[-1][1]:.2f} MB/s) |")
    print(f"| peak RSS | {rss_mb():.0f} MB |")
    print(f"| mean seek | {ms(statistics.mean(fwd + back))} |")


def run_1g(path: Path, n_seeks: int, budget: float) -> None:
    size = path.stat().st_size
    fs = first_screen(path)
    with tempfile.TemporaryDirectory() as home:
        os.environ["COTERM_HOME"] = home
        app_fs = app_first_screen(path)
    with tempfile.TemporaryDirectory() as home:
        os.environ["COTERM_HOME"] = home
        t0 = time.perf_counter()
        source = FileSource(path)
        progress: list[tuple[float, float]] = []
        done = threading.Event()

        def on_progress() -> None:
            progress.append((time.perf_counter() - t0, source.index.fraction))
            if source.index.complete:
                done.set()

        # Playback starts at once: first screen while the index is being built.
        source.start(on_progress)
        rep = Replayer(source)
        rep.step()
        t_first = time.perf_counter() - t0
        # Seek into the indexed part while indexing goes on (shares the GIL).
        lat: list[float] = []
        lat_cpu: list[float] = []
        rng = random.Random(3)
        seek_deadline = t0 + budget / 2
        while time.perf_counter() < seek_deadline and len(lat) < n_seeks and not done.is_set():
            time.sleep(1.0)
            horizon = source.index.indexed_t
            for _ in range(5):
                target = rng.uniform(0, horizon)
                s, c = time.perf_counter(), time.thread_time()
                rep.seek(target)
                lat.append(time.perf_counter() - s)
                lat_cpu.append(time.thread_time() - c)
        done.wait(max(0.0, budget - (time.perf_counter() - t0)))
        elapsed = time.perf_counter() - t0
        fraction = source.index.fraction
        complete = source.index.complete
        keyframes = len(source.index)
        source.close()
    mb = size / 1e6
    rate = mb * fraction / elapsed
    print(f"| file | {mb:.0f} MB |")
    print(f"| time to first screen (core, no index) | {ms(fs)} |")
    print(f"| time to first screen (headless player app, indexing starts) | {ms(app_fs)} |")
    print(f"| first screen while the index builds in the background | {ms(t_first)} |")
    if complete:
        print(f"| index build (background, skimming) | {elapsed:.0f} s = {rate:.2f} MB/s, "
              f"{keyframes} keyframes |")
    else:
        print(f"| index build (background, skimming) | {fraction * 100:.1f} % in {elapsed:.0f} s"
              f" = {rate:.2f} MB/s ⇒ full file ≈ {mb / rate / 60:.0f} min (extrapolated); "
              f"{keyframes} keyframes |")
    if lat:
        print(f"| seek into the indexed part while indexing p50 / p95 (n={len(lat)}) | "
              f"{ms(pct(lat, .5))} / {ms(pct(lat, .95))} (CPU {ms(pct(lat_cpu, .5))} / "
              f"{ms(pct(lat_cpu, .95))}) |")
    print(f"| peak RSS | {rss_mb():.0f} MB |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("size", choices=sorted(SIZES))
    p.add_argument("--seeks", type=int, default=200)
    p.add_argument("--budget", type=float, default=600, help="1g: seconds of indexing at most")
    a = p.parse_args()
    print(f"(load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    mb, hours = SIZES[a.size]
    path = HERE / "out" / f"play-{a.size}.cast"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        t0 = time.perf_counter()
        generate(path, mb, hours)
        print(f"(generated {path.name} in {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    if a.size == "50m":
        run_50m(path, a.seeks)
    else:
        run_1g(path, a.seeks, a.budget)


if __name__ == "__main__":
    main()
