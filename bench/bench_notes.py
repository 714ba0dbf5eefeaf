"""Notes: how fast a note added over REST reaches every viewer, and how long a
viewer joining a session with 1,000 notes waits for the list.

    python bench/bench_notes.py [--notes 200] [--viewers 1,10,100]

The relay runs in its own process on 127.0.0.1 (fsync on, as deployed); viewers
are ``/ws/notes`` connections in this process. Notes are added one after another
(each POST waits for its answer); latency is from sending the POST to a viewer
decoding the note. Everything is bounded in time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import aiohttp
from relayload import RelayProcess, header, pct

from coterm_tui.core import wire
from coterm_tui.core.events import Output

WAIT = 30.0


async def publish_ended(http: aiohttp.ClientSession, url: str, sid: str) -> None:
    ws = await http.ws_connect(f"{url}/ws/publish")
    await ws.send_bytes(wire.encode(wire.Hello("publish", sid, header=header())))
    await ws.receive(timeout=WAIT)
    await ws.send_bytes(wire.encode(wire.Frame(1, Output(3600.0, "x"))))
    while not isinstance(m := wire.decode((await ws.receive(timeout=WAIT)).data), wire.Ack) \
            or m.seq < 1:
        pass
    await ws.send_bytes(wire.encode(wire.Bye("exit")))
    await ws.close()


async def listener(http: aiohttp.ClientSession, url: str, sid: str,
                   arrivals: dict[str, float], ready: asyncio.Event,
                   expect: int) -> None:
    ws = await http.ws_connect(f"{url}/ws/notes", max_msg_size=1 << 22)
    await ws.send_bytes(wire.encode(wire.Hello("watch", sid)))
    async for msg in ws:
        m = wire.decode(msg.data, limit=1 << 22)
        if isinstance(m, wire.Notes):
            if m.snapshot:
                ready.set()
                continue
            now = time.perf_counter()
            for n in m.notes:
                arrivals.setdefault(n.id, now)
            if len(arrivals) >= expect:
                break
    await ws.close()


async def fanout(url: str, viewers: int, notes: int) -> dict[str, float]:
    sid = f"bn{viewers:04d}"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        await publish_ended(http, url, sid)
        per_viewer: list[dict[str, float]] = [{} for _ in range(viewers)]
        ready = [asyncio.Event() for _ in range(viewers)]
        tasks = [asyncio.create_task(listener(http, url, sid, per_viewer[i], ready[i], notes))
                 for i in range(viewers)]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), WAIT)
        sent: dict[str, float] = {}
        rtt = []
        for i in range(notes):
            t0 = time.perf_counter()
            async with http.post(f"{url}/api/sessions/{sid}/notes",
                                 json={"t": i, "text": f"note {i} " + "x" * 80}) as resp:
                body = await resp.json()
            rtt.append(time.perf_counter() - t0)
            sent[body["id"]] = t0
        await asyncio.wait_for(asyncio.gather(*tasks), WAIT)
    lat = [arr[nid] - t0 for arr in per_viewer for nid, t0 in sent.items()]
    return {"viewers": viewers, "post_p50_ms": pct(rtt, 50) * 1e3,
            "deliver_p50_ms": pct(lat, 50) * 1e3, "deliver_p99_ms": pct(lat, 99) * 1e3}


async def join(url: str, count: int = 1000) -> dict[str, float]:
    sid = "bnjoin"
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        await publish_ended(http, url, sid)
        for i in range(count):
            async with http.post(f"{url}/api/sessions/{sid}/notes",
                                 json={"t": i, "text": "y" * 200}) as resp:
                await resp.read()
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            ws = await http.ws_connect(f"{url}/ws/notes", max_msg_size=1 << 22)
            await ws.send_bytes(wire.encode(wire.Hello("watch", sid)))
            got = 0
            while got < count:
                m = wire.decode((await ws.receive(timeout=WAIT)).data, limit=1 << 22)
                if isinstance(m, wire.Notes):
                    got += len(m.notes)
            best = min(best, time.perf_counter() - t0)
            await ws.close()
    return {"notes": count, "join_ms": best * 1e3}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=200)
    ap.add_argument("--viewers", default="1,10,100")
    args = ap.parse_args()
    relay = RelayProcess()
    try:
        for v in (int(x) for x in args.viewers.split(",")):
            r = asyncio.run(fanout(relay.url, v, args.notes))
            print(f"{r['viewers']:>4} viewers: POST p50 {r['post_p50_ms']:.2f} ms, delivery "
                  f"p50 {r['deliver_p50_ms']:.2f} ms, p99 {r['deliver_p99_ms']:.2f} ms")
        j = asyncio.run(join(relay.url))
        print(f"join with {j['notes']:.0f} notes: all received in {j['join_ms']:.1f} ms "
              "(best of 5)")
        print(f"relay RSS {relay.rss_mb():.0f} MB")
    finally:
        relay.stop()


if __name__ == "__main__":
    main()
