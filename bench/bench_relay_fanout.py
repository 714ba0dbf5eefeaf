"""Relay fan-out: 1 broadcaster at 1,000 frames/s to 1, 10 and 100 viewers (p50/p99
delivery latency, relay CPU and RSS); 1,000 idle viewers (RSS); one stalled viewer
among 100 (others' p99, relay memory over time).

    python bench/bench_relay_fanout.py [--seconds 5] [--only fanout|idle|stalled] [--repeat 3]

The relay runs in its own process on 127.0.0.1; viewers run in two worker
processes; every run is bounded in time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import aiohttp
from relayload import (
    RelayProcess,
    StalledViewer,
    broadcast,
    collect,
    header,
    metric,
    pct,
    start_viewers,
)

from coterm_tui.core import wire

SETTLE = 4.0  # seconds for viewer processes to start and connect


async def _wait_session(url: str, sid: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(400):
            async with http.get(f"{url}/api/sessions/{sid}") as resp:
                if resp.status == 200:
                    return
            await asyncio.sleep(0.025)
    raise RuntimeError("session never appeared")


def fanout(viewers: int, seconds: float, stalled: int = 0) -> dict[str, float]:
    relay = RelayProcess()
    try:
        sid = f"fan{viewers:03d}"
        w0 = time.time() + SETTLE + 1.0
        w1 = w0 + seconds

        async def main() -> dict[str, float]:
            pub = asyncio.ensure_future(broadcast(relay.url, sid, 1000, SETTLE + 1 + seconds + 1))
            await _wait_session(relay.url, sid)
            workers, q = start_viewers(relay.url, sid, viewers, w0, w1)
            stalls = [StalledViewer(relay.port, sid) for _ in range(stalled)]
            rss = []
            while time.time() < w0:
                await asyncio.sleep(0.05)
            cpu0, t0 = relay.cpu_seconds(), time.monotonic()
            while time.time() < w1:
                rss.append(relay.rss_mb())
                await asyncio.sleep(0.25)
            cpu = (relay.cpu_seconds() - cpu0) / (time.monotonic() - t0)
            await pub
            lat = await asyncio.to_thread(collect, workers, q)
            for s in stalls:
                s.close()
            return {"viewers": viewers, "frames": len(lat), "p50": pct(lat, 50),
                    "p99": pct(lat, 99), "cpu": cpu * 100, "rss": max(rss),
                    "rss_first": rss[0], "rss_last": rss[-1]}

        return asyncio.run(main())
    finally:
        relay.stop()


def idle(viewers: int) -> dict[str, float]:
    relay = RelayProcess()
    try:
        sid = "idle01"

        async def main() -> dict[str, float]:
            async with aiohttp.ClientSession() as http, http.ws_connect(
                    f"{relay.url}/ws/publish") as pub:
                await pub.send_bytes(wire.encode(wire.Hello("publish", sid, header=header())))
                await pub.receive()
                base = relay.rss_mb()
                w0 = time.time() + SETTLE
                workers, q = start_viewers(relay.url, sid, viewers, w0, w0 + 120)
                seen, peak = 0, base
                deadline = time.monotonic() + 120
                while seen < viewers and time.monotonic() < deadline:
                    await asyncio.sleep(0.25)
                    peak = max(peak, relay.rss_mb())
                    seen = int(await metric(http, relay.url, "coterm_relay_viewers"))
                for _ in range(8):  # all connected: let it settle, keep the peak
                    await asyncio.sleep(0.25)
                    peak = max(peak, relay.rss_mb())
                for p in workers:
                    p.terminate()
                return {"viewers": seen, "rss_base": base, "rss": peak}

        return asyncio.run(main())
    finally:
        relay.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--only", choices=("fanout", "idle", "stalled"))
    parser.add_argument("--repeat", type=int, default=3, help="stalled-viewer run pairs")
    args = parser.parse_args()
    if args.only in (None, "fanout"):
        print("viewers  frames   p50 ms  p99 ms  relay CPU %  relay RSS MB")
        for n in (1, 10, 100):
            r = fanout(n, args.seconds)
            print(f"{n:7d}  {r['frames']:6d}  {r['p50']:7.2f} {r['p99']:7.2f}  "
                  f"{r['cpu']:11.0f}  {r['rss']:12.1f}")
    if args.only in (None, "idle"):
        r = idle(1000)
        print(f"1000 idle viewers ({r['viewers']} connected): relay RSS {r['rss']:.1f} MB "
              f"(before: {r['rss_base']:.1f} MB)")
    if args.only in (None, "stalled"):
        # alternate runs without and with the stalled viewer; medians resist the noise
        # of a shared machine
        bases, stalls = [], []
        for _ in range(args.repeat):
            bases.append(fanout(100, args.seconds))
            stalls.append(fanout(100, args.seconds, stalled=1))
        base_p99 = statistics.median(r["p99"] for r in bases)
        stalled_p99 = statistics.median(r["p99"] for r in stalls)
        change = (stalled_p99 - base_p99) / base_p99 * 100
        print(f"100 viewers p99 (median of {args.repeat}) {base_p99:.2f} ms; with 1 stalled "
              f"viewer {stalled_p99:.2f} ms ({change:+.0f} %); relay RSS during the stalled "
              "runs: " + ", ".join(f"{r['rss_first']:.1f} -> {r['rss_last']:.1f} MB"
                                   for r in stalls))


if __name__ == "__main__":
    main()
