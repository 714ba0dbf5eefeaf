"""The client commands against a real relay process: the embedded relay starts on
demand, `coterm ls` lists, `coterm token` manages tokens, `coterm relay stop` stops it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from coterm_tui.cli.ls import table


def coterm(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coterm_tui", *args], capture_output=True,
                          text=True, env=env, timeout=60)


@pytest.fixture
def env(coterm_home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COTERM_")}
    env["COTERM_HOME"] = str(coterm_home)
    yield env
    coterm("relay", "stop", env=env)


def test_embedded_relay_starts_on_demand_and_stops(env, coterm_home):
    assert coterm("relay", "status", env=env).returncode == 1
    out = coterm("ls", "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
    status = coterm("relay", "status", env=env)
    assert status.returncode == 0 and "http://127.0.0.1:" in status.stdout
    made = coterm("token", "create", "--scope", "view", "--name", "dana", env=env)
    assert made.returncode == 0 and made.stdout.startswith("cot_")
    listed = coterm("token", "list", env=env).stdout
    assert "view" in listed and "dana" in listed
    tid = listed.split()[0]
    assert coterm("token", "revoke", tid, env=env).returncode == 0
    assert "revoked" in coterm("token", "list", env=env).stdout
    assert "stopped" in coterm("relay", "stop", env=env).stdout
    assert coterm("relay", "status", env=env).returncode == 1
    # with the relay stopped, tokens are managed in its store directly
    local = coterm("token", "list", "--data-dir", str(coterm_home / "relay"), env=env)
    assert local.returncode == 0 and "dana" in local.stdout


def test_bad_relay_url_and_unreachable_relay_are_one_line_errors(env):
    out = coterm("ls", "--relay", "ftp://x", env=env)
    assert out.returncode == 2 and out.stderr.startswith("coterm: relay URL")
    out = coterm("ls", "--relay", "http://127.0.0.1:9", env=env)
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "cannot reach the relay" in out.stderr


def test_ls_table():
    text = table([{"id": "k3x9m2", "user": "ana", "host": "box", "title": "deploy",
                   "started": "2026-01-01T10:00:00+00:00", "duration": 3725.0, "live": True,
                   "viewers": 2}])
    lines = text.splitlines()
    assert lines[0].split() == ["ID", "USER@HOST", "TITLE", "STARTED", "DURATION", "LIVE",
                                "VIEWERS"]
    assert lines[1].split() == ["k3x9m2", "ana@box", "deploy", "2026-01-01T10:00:00+00:00",
                                "1:02:05", "live", "2"]


def test_export_of_a_relay_session_matches_the_local_file(env, coterm_home, tmp_path,
                                                           monkeypatch):
    """The recorder's local file and `coterm export ID` from the relay agree byte for byte."""
    from coterm_tui.client import embedded
    from coterm_tui.core.asciicast import CastWriter
    from coterm_tui.core.events import Exit, Header, Output
    from coterm_tui.record.uplink import Uplink

    monkeypatch.setenv("COTERM_HOME", str(coterm_home))
    url = embedded.ensure_running()
    hdr = Header(cols=80, rows=24, timestamp=1_700_000_000, extra={"coterm": {"user": "u"}})
    events = [Output(i * 0.137, f"line {i} \u00e9\u4e16\r\n") for i in range(200)]
    events.append(Exit(30.0, 0))
    up = Uplink(url, "exprt1", hdr)
    local = tmp_path / "local.cast"
    with CastWriter(local, hdr) as writer:
        for seq, event in enumerate(events, start=1):
            writer.write(event)
            up.write(seq, event)
    up.close()
    assert up.pending == 0
    out = coterm("export", "exprt1", "-o", str(tmp_path / "relay.cast"), env=env)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "relay.cast").read_bytes() == local.read_bytes()
    cat = coterm("cat", "exprt1", env=env)
    assert cat.returncode == 0 and "line 199" in cat.stdout
    snap = coterm("snapshot", "exprt1", "--at", "30", "--relay", url, env=env)
    assert snap.returncode == 0 and "line 199" in snap.stdout, snap.stderr
    missing = coterm("snapshot", "nosuch", "--at", "0", env=env)
    assert missing.returncode == 2 and "nosuch: no such file or session" in missing.stderr
