"""Shared pieces of the relay benchmarks: a relay in its own process (so its CPU and
RSS can be read from /proc), paced broadcasters, measuring viewers in worker
processes, and a raw WebSocket client that stalls (aiohttp's client keeps reading
into memory even when nobody calls receive(), so it cannot stall a socket).

Everything binds 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import asyncio
import base64
import multiprocessing as mp
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import msgpack

from coterm_tui.core import wire
from coterm_tui.core.events import Header, Output

CLK = os.sysconf("SC_CLK_TCK")
#: Viewers per worker process that parse frames and measure latency.
PROBES = 10


class RelayProcess:
    def __init__(self, *extra: str) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="coterm-bench-relay-"))
        port_file = self.dir / "port"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "relay", "--port", "0", "--data-dir", str(self.dir / "data"),
             "--port-file", str(port_file), "--log-level", "error", *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not port_file.exists():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("relay did not start")
            time.sleep(0.05)
        self.port = int(port_file.read_text())
        self.url = f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        """The relay and its children (the keyframe emulator)."""
        out = [self.proc.pid]
        try:
            kids = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            out += [int(p) for p in kids.split()]
        except OSError:
            pass
        return out

    def cpu_seconds(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
            except (OSError, IndexError):
                pass
        return total / CLK

    def rss_mb(self, children: bool = False) -> float:
        total = 0
        for pid in self.pids() if children else [self.proc.pid]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def metric(http: aiohttp.ClientSession, url: str, name: str) -> float:
    """One value from the relay's Prometheus ``/metrics``."""
    async with http.get(f"{url}/metrics") as resp:
        text = await resp.text()
    return float(next(line.split()[1] for line in text.splitlines()
                      if line.startswith(name + " ")))


def header() -> Header:
    return Header(cols=80, rows=24, timestamp=int(time.time()), title="bench",
                  extra={"coterm": {"user": "bench", "host": "localhost"}})


async def broadcast(url: str, sid: str, rate: float, seconds: float, size: int = 100,
                    stop_at: float | None = None) -> int:
    """Send ``rate`` frames/s for ``seconds``; each frame's data starts with its send
    time in ns. Returns the frames sent."""
    async with aiohttp.ClientSession() as http, http.ws_connect(
            f"{url}/ws/publish", max_msg_size=1 << 22) as ws:
        await ws.send_bytes(wire.encode(wire.Hello("publish", sid, header=header())))
        await ws.receive()
        reader = asyncio.ensure_future(_drain(ws))
        seq = 0
        start = time.monotonic()
        pad = "x" * max(0, size - 40)
        while True:
            now = time.monotonic()
            if now - start >= seconds or (stop_at is not None and time.time() >= stop_at):
                break
            due = int((now - start) * rate)
            while seq < due:
                seq += 1
                data = f"{time.time_ns()} {pad}\r\n"
                await ws.send_bytes(wire.encode(wire.Frame(seq, Output(now - start, data))))
            await asyncio.sleep(0.001)
        reader.cancel()
        await ws.send_bytes(wire.encode(wire.Bye()))
        return seq


async def _drain(ws: aiohttp.ClientWebSocketResponse) -> None:
    async for _ in ws:
        pass


def _client_frame(payload: bytes) -> bytes:
    """A masked binary WebSocket frame (client to server)."""
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    n = len(payload)
    head = struct.pack("!BB", 0x82, 0x80 | n) if n < 126 else struct.pack("!BBH", 0x82, 0xFE, n)
    return head + mask + masked


def _upgrade(port: int) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET /ws/watch HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n").encode()


class _RawViewer(asyncio.Protocol):
    """A minimal WebSocket viewer: parses frames straight from the socket (the bench
    client must be much cheaper than the relay it measures)."""

    def __init__(self, port: int, sid: str, lat: list[float], w0: float, w1: float) -> None:
        self.port, self.sid, self.lat, self.w0, self.w1 = port, sid, lat, w0 * 1e9, w1 * 1e9
        self.buf = b""
        self.upgraded = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(_upgrade(self.port))

    def data_received(self, data: bytes) -> None:
        now = time.time_ns()
        buf = self.buf + data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                self.buf = buf
                return
            buf = buf[end + 4:]
            self.upgraded = True
            self.transport.write(_client_frame(wire.encode(wire.Hello("watch", self.sid))))
        pos = 0
        while len(buf) - pos >= 2:
            op, n = buf[pos] & 0x0F, buf[pos + 1] & 0x7F
            head = 2
            if n == 126:
                if len(buf) - pos < 4:
                    break
                n, head = struct.unpack_from("!H", buf, pos + 2)[0], 4
            elif n == 127:
                if len(buf) - pos < 10:
                    break
                n, head = struct.unpack_from("!Q", buf, pos + 2)[0], 10
            if len(buf) - pos < head + n:
                break
            if op == 2 and self.w0 <= now <= self.w1:
                items = msgpack.unpackb(buf[pos + head:pos + head + n])
                if items[0] == 3 and items[2] == "o":
                    self.lat.append((now - int(items[4].split(" ", 1)[0])) / 1e6)
            pos += head + n
        self.buf = buf[pos:]


async def _viewers(url: str, sid: str, n: int, w0: float, w1: float) -> list[float]:
    """``n`` viewers; up to ``PROBES`` of them record the delivery latency (ms) of frames
    received in [w0, w1], the others drain their sockets every 10 ms (so the bench
    client, not the relay, is never what runs out of CPU)."""
    lat: list[float] = []
    port = int(url.rsplit(":", 1)[1])
    loop = asyncio.get_running_loop()
    conns = [await loop.create_connection(
        lambda: _RawViewer(port, sid, lat, w0, w1), "127.0.0.1", port)
        for _ in range(min(n, PROBES))]
    with ThreadPoolExecutor(16) as pool:  # handshakes in parallel
        drainers = list(pool.map(lambda _: StalledViewer(port, sid, small_buffer=False),
                                 range(n - len(conns))))
    for d in drainers:
        d.sock.setblocking(False)
    while time.time() < w1 + 0.2:
        for d in drainers:
            d.drain()
        await asyncio.sleep(0.01)
    for transport, _ in conns:
        transport.close()
    for d in drainers:
        d.close()
    return lat


def _viewer_proc(url: str, sid: str, n: int, w0: float, w1: float, out: mp.Queue) -> None:
    out.put(asyncio.run(_viewers(url, sid, n, w0, w1)))


def start_viewers(url: str, sid: str, n: int, w0: float, w1: float,
                  procs: int = 2) -> tuple[list[mp.Process], mp.Queue]:
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    workers = []
    procs = max(1, min(procs, n))
    for i in range(procs):
        count = n // procs + (1 if i < n % procs else 0)
        p = ctx.Process(target=_viewer_proc, args=(url, sid, count, w0, w1, q))
        p.start()
        workers.append(p)
    return workers, q


def collect(workers: list[mp.Process], q: mp.Queue) -> list[float]:
    lat: list[float] = []
    for _ in workers:
        lat += q.get(timeout=120)
    for p in workers:
        p.join(10)
    return lat


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100))]


class StalledViewer:
    """A raw WebSocket viewer that sends Hello and then reads only when told to."""

    def __init__(self, port: int, sid: str, small_buffer: bool = True) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        if small_buffer:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.sendall(_upgrade(port))
        buf = b""
        while b"\r\n\r\n" not in buf:  # the 101 response (what follows is not needed)
            buf += self.sock.recv(4096)
        self.sock.sendall(_client_frame(wire.encode(wire.Hello("watch", sid))))

    def drain(self) -> None:
        try:
            while self.sock.recv(1 << 20):
                pass
        except BlockingIOError:
            pass

    def close(self) -> None:
        self.sock.close()
