"""Relay ingest: 200 concurrent broadcasters at 5 KB/s each (relay CPU share), and a
50 MB `cat` in one session (time until its keyframes catch up; fan-out latency of
another session meanwhile).

    python bench/bench_relay_ingest.py [--seconds 5] [--only many|bulk]

The relay runs in its own process on 127.0.0.1 with its default settings (fsync
every group commit, keyframes in a child process); every run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import time

import aiohttp
from relayload import RelayProcess, broadcast, collect, header, metric, pct, start_viewers

from coterm_tui.core import wire
from coterm_tui.core.events import Output

SETTLE = 4.0


async def _many(url: str, first: int, n: int, w1: float) -> int:
    tasks = [broadcast(url, f"many{first + i:04d}", 10, w1 - time.time(), size=500)
             for i in range(n)]
    return sum(await asyncio.gather(*tasks))


def _many_proc(url: str, first: int, n: int, w1: float, out: mp.Queue) -> None:
    out.put(asyncio.run(_many(url, first, n, w1)))


def many(broadcasters: int, seconds: float) -> dict[str, float]:
    relay = RelayProcess()
    try:
        ctx = mp.get_context("spawn")
        q: mp.Queue = ctx.Queue()
        w0 = time.time() + SETTLE
        w1 = w0 + seconds
        half = broadcasters // 2
        procs = [ctx.Process(target=_many_proc, args=(relay.url, i * half, half, w1 + 0.5, q))
                 for i in range(2)]
        for p in procs:
            p.start()
        while time.time() < w0:
            time.sleep(0.05)
        cpu0, t0 = relay.cpu_seconds(), time.monotonic()
        time.sleep(seconds)
        cpu = (relay.cpu_seconds() - cpu0) / (time.monotonic() - t0)
        rss = relay.rss_mb(children=True)
        frames = sum(q.get(timeout=60) for _ in procs)
        for p in procs:
            p.join(10)
        return {"cpu": cpu * 100, "rss": rss, "frames": frames}
    finally:
        relay.stop()


async def _cat(url: str, sid: str, total: int, chunk: int) -> tuple[int, float]:
    """Publish ``total`` bytes of `cat`-like output in ``chunk``-sized frames as fast as
    the relay takes them; returns (last seq, time when the last frame was acked)."""
    line = "".join(f"{i:08d} the quick brown fox jumps over the lazy dog\r\n" for i in range(64))
    data = (line * (chunk // len(line) + 1))[:chunk]
    async with aiohttp.ClientSession() as http, http.ws_connect(f"{url}/ws/publish") as ws:
        await ws.send_bytes(wire.encode(wire.Hello("publish", sid, header=header())))
        await ws.receive()
        n = total // chunk
        for seq in range(1, n + 1):
            await ws.send_bytes(wire.encode(wire.Frame(seq, Output(seq * 0.001, data))))
        async for msg in ws:
            ack = wire.decode(msg.data)
            if isinstance(ack, wire.Ack) and ack.seq == n:
                return n, time.monotonic()
    raise RuntimeError("never acked")


def bulk_with_latency(megabytes: int) -> dict[str, float]:
    """A 50 MB cat in one session: ingest time, keyframe catch-up, and the latency of
    another session's viewers before and during it."""
    relay = RelayProcess()
    try:
        async def main() -> dict[str, float]:
            other = asyncio.ensure_future(broadcast(relay.url, "other1", 100, 120, size=200))
            async with aiohttp.ClientSession() as http:
                while (await http.get(f"{relay.url}/api/sessions/other1")).status != 200:
                    await asyncio.sleep(0.05)
                # measure the other session's latency from now until the cat is acked
                w0 = time.time() + SETTLE
                base_workers, base_q = start_viewers(relay.url, "other1", 10, w0, w0 + 3,
                                                     procs=1)
                base = await asyncio.to_thread(collect, base_workers, base_q)
                w0 = time.time() + SETTLE
                est = max(5.0, megabytes / 8)
                workers, q = start_viewers(relay.url, "other1", 10, w0, w0 + est, procs=1)
                while time.time() < w0:
                    await asyncio.sleep(0.05)
                t0 = time.monotonic()
                last, acked = await _cat(relay.url, "bulk01", megabytes << 20, 16 * 1024)
                ingest = acked - t0
                caught = None
                while time.monotonic() - acked < 300:
                    async with http.get(f"{relay.url}/api/sessions/bulk01/keyframe") as r:
                        if r.status == 200 and (await r.json())["seq"] == last:
                            caught = time.monotonic() - acked
                            break
                    await asyncio.sleep(0.05)
                during = await asyncio.to_thread(collect, workers, q)
                skipped = await metric(http, relay.url, "coterm_relay_keyframe_skipped_total")
            other.cancel()
            return {"ingest_s": ingest, "catch_up_s": caught if caught is not None else -1,
                    "base_p50": pct(base, 50), "base_p99": pct(base, 99),
                    "p50": pct(during, 50), "p99": pct(during, 99), "n": len(during),
                    "skipped_mb": skipped / 1e6, "window_s": est}

        return asyncio.run(main())
    finally:
        relay.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--only", choices=("many", "bulk"))
    args = parser.parse_args()
    if args.only in (None, "many"):
        r = many(200, args.seconds)
        print(f"200 broadcasters x 5 KB/s: relay CPU {r['cpu']:.0f} % of one core, "
              f"RSS {r['rss']:.1f} MB, {r['frames']} frames")
    if args.only in (None, "bulk"):
        r = bulk_with_latency(args.megabytes)
        print(f"{args.megabytes} MB cat: ingested+acked in {r['ingest_s']:.1f} s; keyframe "
              f"caught up {r['catch_up_s']:.2f} s after the last ack "
              f"({r['skipped_mb']:.1f} MB skipped by the emulator)")
        print(f"other session (100 frames/s, 10 viewers): p50/p99 {r['base_p50']:.2f}/"
              f"{r['base_p99']:.2f} ms before, {r['p50']:.2f}/{r['p99']:.2f} ms during the cat "
              f"(first {r['window_s']:.0f} s)")


if __name__ == "__main__":
    main()
