"""The relay end to end, in a real terminal: ``coterm record`` streams through a relay
that is killed (-9) and restarted mid-session, and nothing is lost; on a clean home
``coterm record`` starts the embedded relay by itself and ``coterm ls`` shows the
session."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import free_port, until

from .recorder import COTERM
from .tmux import COTERM as CMD
from .tmux import Tmux

pytestmark = pytest.mark.e2e

ID_RE = re.compile(r"watch with: coterm watch ([a-z0-9]+)")


def start_relay(port: int, data: Path) -> subprocess.Popen[bytes]:
    port_file = data / "port"
    port_file.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "relay", "--port", str(port), "--data-dir",
                             str(data), "--port-file", str(port_file), "--keyframes", "thread"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not port_file.exists():
        assert proc.poll() is None and time.monotonic() < deadline, "relay did not start"
        time.sleep(0.05)
    return proc


def coterm(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*COTERM, *args], capture_output=True, env=env, timeout=60)


def test_relay_killed_and_restarted_mid_session_loses_nothing(tmux: Tmux, tmp_path: Path,
                                                              coterm_home: Path) -> None:
    port = free_port()
    data = tmp_path / "relay-data"
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "COTERM_HOME": str(coterm_home), "COTERM_RELAY": url}
    relay = start_relay(port, data)
    try:
        local = tmp_path / "local.cast"
        tmux.send(f"COTERM_RELAY={url} {CMD} record -f {local} -- bash --norc --noprofile")
        screen = tmux.wait_for(lambda s: ID_RE.search(s) is not None)
        sid = ID_RE.search(screen).group(1)
        tmux.send("echo one-$((40+2))")
        tmux.wait_for("one-42")
        until(lambda: b"one-42" in coterm("cat", sid, env=env).stdout, "frames at the relay",
              timeout=30.0, interval=0.05)
        relay.send_signal(signal.SIGKILL)
        relay.wait(10)
        tmux.send("for i in $(seq 1 200); do echo while-down-$i; done")
        tmux.wait_for("while-down-200")
        relay = start_relay(port, data)
        tmux.send("echo three-$((1+2))")
        tmux.wait_for("three-3")
        tmux.send("exit")
        tmux.wait_for("recording saved to")
        assert "could not reach" not in tmux.screen() and "not acknowledged" not in tmux.screen()
        local_out = coterm("cat", str(local), env=env)
        relay_out = coterm("cat", sid, env=env)
        assert local_out.returncode == 0 and relay_out.returncode == 0, relay_out.stderr
        assert relay_out.stdout == local_out.stdout
        assert b"while-down-200" in relay_out.stdout
        exported = coterm("export", sid, "-o", str(tmp_path / "relay.cast"), env=env)
        assert exported.returncode == 0, exported.stderr
        assert coterm("cat", str(tmp_path / "relay.cast"), env=env).stdout == local_out.stdout
        assert not (coterm_home / "spool" / sid).exists()
    finally:
        relay.kill()
        relay.wait(10)


def test_fresh_home_record_then_ls_shows_the_session(tmux: Tmux, coterm_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COTERM_")}
    env.update(COTERM_HOME=str(coterm_home), COTERM_CONFIG=str(coterm_home / "config.toml"))
    try:
        tmux.send(f"{CMD} record -- echo hi")
        screen = tmux.wait_for("recording saved to")
        sid = ID_RE.search(screen).group(1)
        out = coterm("ls", "--json", env=env)
        assert out.returncode == 0, out.stderr
        sessions = {s["id"]: s for s in json.loads(out.stdout)}
        assert sid in sessions
        assert {"id", "user", "host", "title", "started", "live"} <= set(sessions[sid])
        assert b"hi" in coterm("cat", sid, env=env).stdout
    finally:
        coterm("relay", "stop", env=env)
