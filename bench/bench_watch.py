"""Live viewer benchmarks: glass-to-glass latency, bulk output, watcher CPU.

Processes as in real use: the relay (``python -m relay``, fsync on), the
broadcaster (``coterm record --relay URL -- CMD`` in a PTY this script types
into, as a user would) and the watcher: this process (the live source, the
follower and the emulation thread of ``coterm watch``, without Textual), or with
``--tui`` the real ``coterm watch`` in a tmux pane read back with capture-pane.
Times come from CLOCK_MONOTONIC, which all processes share.

    python bench/bench_watch.py latency [--n 300] [--tui]  # keystroke -> watcher's screen
    python bench/bench_watch.py bulk [--mb 50] [--tui]     # cat 50 MB: lag, final screen
    python bench/bench_watch.py cpu [--seconds 10]         # watcher CPU idle / htop

Headless, "screen updated" is the moment the watcher's emulation thread
publishes a screen containing the typed marker; with ``--tui`` it is the moment
tmux's copy of the pane shows it.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coterm_tui.app.frame import FrameBuffer  # noqa: E402
from coterm_tui.app.live_engine import LiveThread  # noqa: E402
from coterm_tui.client import RelayTarget  # noqa: E402
from coterm_tui.client.follow import Follower  # noqa: E402
from coterm_tui.core.events import Output  # noqa: E402
from coterm_tui.core.live_replay import LiveReplayer  # noqa: E402
from coterm_tui.core.live_source import LiveSource  # noqa: E402

COLS, ROWS = 100, 30


# -- the relay --------------------------------------------------------------------

def start_relay(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port_file = folder / "port"
    proc = subprocess.Popen([sys.executable, "-m", "relay", "--port", "0", "--data-dir",
                             str(folder / "data"), "--port-file", str(port_file),
                             "--log-level", "warning"], cwd=ROOT)
    deadline = time.monotonic() + 20
    while not port_file.exists():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit("the relay did not start")
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port_file.read_text().strip()}"


# -- the broadcaster (a child process) ----------------------------------------------

def broadcast(url: str, command: list[str]) -> None:
    """Run ``coterm record --relay URL -- command`` in a PTY as a user would; print the
    session id, then follow stdin: ``type TEXT`` (types it, prints the write time),
    ``wait`` (until the recording ends), ``quit``."""
    home = tempfile.mkdtemp(prefix="bench-watch-home-")
    pid, fd = pty.fork()
    if pid == 0:
        import fcntl
        import struct
        import termios
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        os.environ.update(TERM="xterm-256color", COTERM_HOME=home,
                          COTERM_CONFIG=f"{home}/config.toml")
        os.execv(sys.executable, [sys.executable, "-m", "coterm_tui", "record", "--relay", url,
                                  "--title", "bench", "--force", "--", *command])
    seen = b""
    deadline = time.monotonic() + 30
    while (found := re.search(rb"recording session (\w+)", seen)) is None:
        if time.monotonic() > deadline:
            raise SystemExit(f"coterm record did not start: {seen[-500:]!r}")
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            seen += os.read(fd, 1 << 16)
    print(f"sid {found.group(1).decode()}", flush=True)
    done = threading.Event()

    def drain() -> None:  # the user's terminal: read and discard what record shows
        while True:
            try:
                if not os.read(fd, 1 << 16):
                    break
            except OSError:
                break
        done.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    for line in sys.stdin:
        cmd, _, arg = line.rstrip("\n").partition(" ")
        if cmd == "type":
            os.write(fd, arg.encode() + b"\r")
            print(f"{time.monotonic()}", flush=True)
        elif cmd == "wait":
            done.wait(300)
            print("exited", flush=True)
        elif cmd == "quit":
            break
    if not done.is_set():
        os.write(fd, b"\x04")  # EOF to cat
        done.wait(5)
    if not done.is_set():
        os.write(fd, b"q")  # htop
        done.wait(5)
    if not done.is_set():
        os.kill(pid, signal.SIGTERM)
        done.wait(10)
    os.waitpid(pid, 0)


class Broadcaster:
    """``coterm record`` of ``command``, driven from this process."""

    def __init__(self, url: str, command: list[str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "_broadcast", url, "--", *command],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert self.proc.stdout
        self.sid = self.proc.stdout.readline().split()[1]

    def say(self, line: str) -> str:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip() if line.split()[0] in ("type", "wait") else ""

    def close(self) -> None:
        if self.proc.poll() is None:
            self.say("quit")
            self.proc.wait(20)


# -- the watcher (this process) -----------------------------------------------------

class Watcher:
    """The live source, follower and emulation thread of ``coterm watch``, headless."""

    def __init__(self, url: str, sid: str, on_shown=None) -> None:  # type: ignore[no-untyped-def]
        self.source = LiveSource(sid)
        self.frames = FrameBuffer()
        self.engine = LiveThread(self.source, self.frames, on_frame=lambda: self.frames.take(),
                                 on_status=lambda s: None, on_shown=on_shown)
        self.follower = Follower(RelayTarget(url), self.source, name="bench")
        self.source.on_change = self.engine.notify

    def start(self) -> Watcher:
        self.engine.start()
        self.follower.start()
        return self

    @property
    def rep(self) -> LiveReplayer:
        assert isinstance(self.engine.replayer, LiveReplayer)
        return self.engine.replayer

    def stop(self) -> None:
        self.follower.stop()
        self.engine.stop()


def wait_for(pred, what: str, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.005)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


# -- benchmarks ---------------------------------------------------------------------

def bench_latency_tui(n: int) -> None:
    """Keystroke into the recorded PTY -> the real ``coterm watch`` in tmux shows it
    (polled with capture-pane, ~2-5 ms per poll)."""
    with tempfile.TemporaryDirectory() as tmp:
        relay, url = start_relay(Path(tmp))
        b = Broadcaster(url, ["cat"])
        sid = b.sid
        b.say("type warmup")
        wait_for(lambda: _exists(url, sid), "the session")
        pane = TuiPane(url, sid)
        wait_for(lambda: "warmup" in pane.text(), "the first screen")
        lat = []
        for i in range(n):
            marker = f"t{i:05d}"
            sent = float(b.say(f"type {marker}"))
            wait_for(lambda m=marker: m in pane.text(),  # type: ignore[misc]
                     f"marker {marker}")
            lat.append(time.monotonic() - sent)
            time.sleep(0.05)  # typing pace
        pane.close()
        b.close()
        relay.terminate()
        relay.wait(20)
    ms = [x * 1000 for x in lat]
    print(f"glass-to-glass, full TUI in tmux, {n} keystrokes: p50 {statistics.median(ms):.1f} "
          f"ms, p90 {pct(ms, 90):.1f} ms, p99 {pct(ms, 99):.1f} ms, max {max(ms):.1f} ms")


def bench_latency(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        relay, url = start_relay(Path(tmp))
        b = Broadcaster(url, ["cat"])
        sid = b.sid
        seen: dict[str, float] = {}
        pending: list[str] = []

        def on_shown(seq: int, t: float) -> None:
            if pending and any(pending[0] in row for row in watcher.rep.term.text()):
                seen[pending.pop(0)] = time.monotonic()

        b.say("type warmup")
        wait_for(lambda: _exists(url, sid), "the session")
        watcher = Watcher(url, sid, on_shown).start()
        wait_for(lambda: "warmup" in "".join(watcher.rep.term.text()), "the first screen")
        lat = []
        for i in range(n):
            marker = f"m{i:05d}"
            pending.append(marker)
            sent = float(b.say(f"type {marker}"))
            wait_for(lambda m=marker: m in seen, f"marker {marker}")  # type: ignore[misc]
            lat.append(seen[marker] - sent)
            time.sleep(0.02)  # typing pace, not synchronisation: the wait above is
        watcher.stop()
        b.close()
        relay.terminate()
        relay.wait(20)
    ms = [x * 1000 for x in lat]
    print(f"glass-to-glass over {n} keystrokes: p50 {statistics.median(ms):.1f} ms, "
          f"p90 {pct(ms, 90):.1f} ms, p99 {pct(ms, 99):.1f} ms, max {max(ms):.1f} ms")


def _exists(url: str, sid: str) -> bool:
    from coterm_tui.client import api
    from coterm_tui.core.errors import CotermError
    try:
        api.get_session(RelayTarget(url), sid)
        return True
    except CotermError:
        return False


class TuiPane:
    """A real ``coterm watch`` in a tmux pane, read back with capture-pane."""

    def __init__(self, url: str, sid: str, cols: int = COLS + 10, rows: int = ROWS + 10) -> None:
        self.tmux = ["tmux", "-L", f"benchwatch{os.getpid()}"]
        cmd = f"{sys.executable} -m coterm_tui watch --relay {url} {sid}"
        subprocess.run([*self.tmux, "new-session", "-d", "-x", str(cols), "-y", str(rows), cmd],
                       check=True, cwd=ROOT)

    def text(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p"], capture_output=True,
                              text=True, check=False).stdout

    def pid(self) -> int:
        return int(subprocess.run([*self.tmux, "display", "-p", "#{pane_pid}"], check=True,
                                  capture_output=True, text=True).stdout)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], check=False)


_NUMBERED = re.compile(r"(\d{10}) abcdefghij")


def _last_line_number(text: str) -> int:
    found = _NUMBERED.findall(text)
    return int(found[-1]) if found else -1


def bench_bulk(mb: int, tui: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        line_len = 60
        lines = mb * (1 << 20) // line_len
        with open(big, "w") as fh:
            for i in range(lines):
                fh.write(f"{i:010d} {'abcdefghij' * 4}{'x' * (line_len - 52)}\n")
        expected = [f"{i:010d} {'abcdefghij' * 4}{'x' * (line_len - 52)}"
                    for i in range(lines - (ROWS - 2), lines)]
        relay, url = start_relay(Path(tmp))
        b = Broadcaster(url, ["sh", "-c", f"sleep 2; cat {big}; echo END-OF-BULK; sleep 5"])
        sid = b.sid
        wait_for(lambda: _exists(url, sid), "the session")
        lags: list[float] = []
        watcher = Watcher(url, sid).start()
        pane = TuiPane(url, sid) if tui else None
        wait_for(lambda: watcher.source.head > 0, "the first frame", 30)
        t_start = time.monotonic()
        end_seen = end_arrived = tui_end = None
        received_at: list[tuple[int, float]] = []  # (last line number received, when)
        tui_lags: list[float] = []
        n = 0
        local_lags: list[float] = []
        while time.monotonic() - t_start < 300:
            now = time.monotonic()
            head = watcher.source.head
            recent = [watcher.source.get(i) for i in range(max(1, head - 8), head + 1)]
            for event in recent:
                if isinstance(event, Output):
                    number = _last_line_number(event.data[-200:])
                    if number >= 0 and (not received_at or number > received_at[-1][0]):
                        received_at.append((number, now))
                    if end_arrived is None and "END-OF-BULK" in event.data:
                        end_arrived = now
            lag = getattr(watcher.engine.status, "lag", None)
            if lag is not None and end_seen is None:
                lags.append(lag)
            shown_text = watcher.rep.term.text()
            if end_seen is None:
                number = _last_line_number("\n".join(shown_text))
                got = next((t for k, t in received_at if k >= number), None)
                if number >= 0 and got is not None:
                    local_lags.append(now - got)
            if end_seen is None and any("END-OF-BULK" in r for r in shown_text):
                end_seen = now
            n += 1
            if pane is not None and n % 5 == 0 and tui_end is None:
                shown = pane.text()
                if "END-OF-BULK" in shown:
                    tui_end = time.monotonic()
                else:
                    number = _last_line_number(shown)
                    got = next((t for k, t in received_at if k >= number), None)
                    if number >= 0 and got is not None:
                        tui_lags.append(time.monotonic() - got)
            if end_seen is not None and (pane is None or tui_end is not None):
                break
            time.sleep(0.02)
        b.say("wait")
        watcher.engine.sync()
        final = [r for r in watcher.rep.term.text()]
        tui_final = pane.text() if pane is not None else ""
        received = watcher.source.chars_between(0, watcher.source.head)
        skipped = watcher.rep.skipped
        jumps = (watcher.rep.keyframe_jumps, watcher.rep.tail_skips)
        watcher.stop()
        if pane is not None:
            pane.close()
        b.close()
        relay.terminate()
        relay.wait(20)
    ok = final[:ROWS - 2] == expected and "END-OF-BULK" in final[ROWS - 2]
    print(f"bulk {mb} MB: received {received / 1e6:.1f} MB, skipped {skipped / 1e6:.1f} MB "
          f"of emulation ({jumps[0]} jumps to relay keyframes, {jumps[1]} tail skips); "
          f"worst lag behind the broadcaster {max(lags or [0]):.2f} s "
          f"(p50 {statistics.median(lags or [0]):.3f} s; recorder and relay ingest included); "
          f"worst lag behind what it received {max(local_lags or [0]):.2f} s "
          f"(p50 {statistics.median(local_lags or [0]):.2f} s); end marker shown "
          f"{((end_seen or 0) - (end_arrived or end_seen or 0)) * 1000:.0f} ms after it arrived; "
          f"final screen {'correct' if ok else 'WRONG'}")
    if not ok:
        print("\n".join(final[-5:]))
    if tui:
        rows = [r.strip("│ ") for r in tui_final.splitlines()]
        tui_ok = all(e in rows for e in expected) and any("END-OF-BULK" in r for r in rows)
        print(f"full TUI (tmux capture-pane every ~0.1 s): worst lag behind what it received "
              f"{max(tui_lags or [0]):.2f} s "
              f"(p50 {statistics.median(tui_lags or [0]):.2f} s, {len(tui_lags)} samples); "
              f"end marker on screen {((tui_end or 0) - (end_arrived or 0)) * 1000:.0f} ms after "
              f"it arrived; final screen {'correct' if tui_ok else 'WRONG'}")


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tui_cpu(url: str, sid: str, seconds: float) -> float:
    """CPU share of a real ``coterm watch`` (Textual included) in a 120×40 tmux pane."""
    sock = f"benchwatch{os.getpid()}"
    tmux = ["tmux", "-L", sock]
    cmd = f"{sys.executable} -m coterm_tui watch --relay {url} {sid}"
    subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "40", cmd], check=True,
                   cwd=ROOT)
    try:
        pid = int(subprocess.run([*tmux, "display", "-p", "#{pane_pid}"], check=True,
                                 capture_output=True, text=True).stdout)
        time.sleep(3)  # start-up and history, outside the window
        c0, t0 = cpu_of(pid), time.monotonic()
        time.sleep(seconds)
        return (cpu_of(pid) - c0) / (time.monotonic() - t0)
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)


def bench_cpu(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        relay, url = start_relay(Path(tmp))
        for label, cmd in (("idle (cat waiting)", ["cat"]),
                           ("following htop -d 5", ["htop", "-d", "5"]),
                           ("following htop -d 1", ["htop", "-d", "1"])):
            b = Broadcaster(url, cmd)
            sid = b.sid
            wait_for(lambda s=sid: _exists(url, s), "the session")  # type: ignore[misc]
            watcher = Watcher(url, sid).start()
            time.sleep(2)  # let it settle (a measurement window, not synchronisation)
            c0, t0 = time.process_time(), time.monotonic()
            time.sleep(seconds)
            used = (time.process_time() - c0) / (time.monotonic() - t0)
            frames = watcher.source.head
            watcher.stop()
            tui = tui_cpu(url, sid, seconds)
            b.close()
            print(f"watcher CPU {label}: headless {used * 100:.1f} % of one core "
                  f"({frames} frames received); the full TUI in tmux {tui * 100:.1f} %")
        relay.terminate()
        relay.wait(20)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_broadcast":
        broadcast(sys.argv[2], sys.argv[4:])
        return
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    latency = sub.add_parser("latency")
    latency.add_argument("--n", type=int, default=300)
    latency.add_argument("--tui", action="store_true",
                         help="measure the real coterm watch in tmux (capture-pane polling)")
    bulk = sub.add_parser("bulk")
    bulk.add_argument("--mb", type=int, default=50)
    bulk.add_argument("--tui", action="store_true",
                      help="also run the real coterm watch in tmux and read its screen")
    sub.add_parser("cpu").add_argument("--seconds", type=float, default=10.0)
    args = p.parse_args()
    if args.what == "latency":
        bench_latency_tui(args.n) if args.tui else bench_latency(args.n)
    elif args.what == "bulk":
        bench_bulk(args.mb, args.tui)
    else:
        bench_cpu(args.seconds)


if __name__ == "__main__":
    main()
