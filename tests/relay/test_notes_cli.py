"""`coterm note` / `coterm notes` against a real relay process-side (a relay thread on
127.0.0.1, the CLI in subprocesses), and on a local recording's sidecar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coterm_tui.core.asciicast import CastWriter
from coterm_tui.core.events import Header, Output
from tests.tui.livehelp import Broadcaster, RelayThread, relay_state


def coterm(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coterm_tui", *args], capture_output=True,
                          text=True, env=env, timeout=60)


@pytest.fixture
def relay(tmp_path):
    r = RelayThread(tmp_path / "relay").start()
    yield r
    r.close()


def publish(relay: RelayThread, sid: str, times: list[float]) -> None:
    """An ended session with output at ``times`` (and its exit 0.5 s later)."""
    b = Broadcaster(relay, sid).open()
    b.send(*[Output(t, f"{t}\r\n") for t in times])
    b.finish()
    b.wait_acked()
    b.close()


def token(relay: RelayThread, name: str) -> str:
    return relay_state(relay).store.create_token(name, "view", 0.0)[1]


@pytest.fixture
def env(coterm_home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COTERM_")}
    env["COTERM_HOME"] = str(coterm_home)
    env["COTERM_NAME"] = "ana@box"
    return env


def test_note_and_notes_on_a_relay_session(relay, env):
    publish(relay, "cli001", [0.0, 300.0, 599.5])  # ends at 10:00
    env["COTERM_RELAY"] = relay.url
    out = coterm("note", "cli001", "--at", "2:04", "disk", "full", env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[1:] == ["02:04.0", "ana@box"]
    assert coterm("note", "cli001", "--at", "30.5", "earlier", env=env).returncode == 0
    assert coterm("note", "cli001", "the end", env=env).returncode == 0  # default: the end
    late = coterm("note", "cli001", "--at", "10:01", "too late", env=env)
    assert late.returncode == 1
    assert late.stderr == ("coterm: session cli001: 10:01.0 is past the end of the recording "
                           "(10:00.0)\n")
    bad = coterm("note", "cli001", "--at", "1:75", "x", env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    listed = json.loads(coterm("notes", "cli001", "--json", env=env).stdout)
    assert [(n["t"], n["author"], n["text"]) for n in listed] == [
        (30.5, "ana@box", "earlier"), (124.0, "ana@box", "disk full"),
        (600.0, "ana@box", "the end")]
    assert set(listed[0]) == {"id", "t", "author", "text", "created", "edited"}
    table = coterm("notes", "cli001", env=env).stdout.splitlines()
    assert table[1] == "  02:04.0  ana@box  disk full"
    # with a token, the author is the token's name whatever the config says
    env["COTERM_TOKEN"] = token(relay, "bob")
    out = coterm("note", "cli001", "--at", "1", "from bob", env=env)
    assert out.stdout.split()[2] == "bob"
    assert coterm("notes", "nosuch", env=env).returncode == 2


def make_cast(path: Path, seconds: float = 60.0, session: str | None = None) -> Path:
    extra = {"coterm": {"session": session}} if session else {}
    with CastWriter(path, Header(cols=40, rows=8, extra=extra)) as w:
        w.write(Output(0.0, "hello\r\n"))
        w.write(Output(seconds, "bye\r\n"))
    return path


def test_notes_of_a_local_file_live_in_a_sidecar_and_sync(relay, env, tmp_path):
    cast = make_cast(tmp_path / "demo.cast", 60.0, session="cli002")
    assert coterm("note", str(cast), "--at", "0:30", "half way", env=env).returncode == 0
    assert coterm("note", str(cast), "finished", env=env).returncode == 0
    late = coterm("note", str(cast), "--at", "61", "x", env=env)
    assert late.returncode == 1 and "past the end" in late.stderr
    sidecar = json.loads((tmp_path / "demo.cast.notes.json").read_text())
    assert [(n["t"], n["text"]) for n in sidecar["notes"]] == [(30.0, "half way"),
                                                               (60.0, "finished")]
    listed = json.loads(coterm("notes", str(cast), "--json", env=env).stdout)
    assert [n["text"] for n in listed] == ["half way", "finished"]
    # the recording is stored on the relay as session cli002: sync both ways, twice
    publish(relay, "cli002", [0.0, 59.5])
    env["COTERM_RELAY"] = relay.url
    assert coterm("note", "cli002", "--at", "10", "seen live", env=env).returncode == 0
    out = coterm("notes", str(cast), "--sync", env=env)
    assert out.returncode == 0, out.stderr
    assert "2 uploaded, 1 received" in out.stdout
    assert "0 uploaded, 0 received" in coterm("notes", str(cast), "--sync", env=env).stdout
    remote = json.loads(coterm("notes", "cli002", "--json", env=env).stdout)
    local = json.loads(coterm("notes", str(cast), "--json", env=env).stdout)
    assert [n["text"] for n in remote] == [n["text"] for n in local] == [
        "seen live", "half way", "finished"]
    assert json.loads((tmp_path / "demo.cast.notes.json").read_text())["session"] == "cli002"


def test_bad_targets_are_one_line_errors(env, tmp_path):
    out = coterm("note", str(tmp_path / "missing.cast"), "x", env=env)
    assert out.returncode == 2 and "neither a recording file nor a session id" in out.stderr
    cast = make_cast(tmp_path / "a.cast")
    (tmp_path / "a.cast.notes.json").write_text("{not json")
    out = coterm("notes", str(cast), env=env)
    assert out.returncode == 2 and "malformed notes file" in out.stderr
    out = coterm("note", str(cast), "x" * 2001, env=env)
    assert out.returncode == 2 and "at most 2000 characters" in out.stderr


def test_export_of_a_session_carries_its_notes_once(relay, env, tmp_path):
    publish(relay, "cli003", [0.0, 9.5])
    env["COTERM_RELAY"] = relay.url
    assert coterm("note", "cli003", "--at", "4", "look", env=env).returncode == 0
    out = tmp_path / "x.cast"
    for _ in range(2):  # the download has the markers and a sidecar: one marker each time
        done = coterm("export", "cli003", "-f", "v2", "-o", str(out), env=env)
        assert done.returncode == 0, done.stderr
        markers = [json.loads(line) for line in out.read_text().splitlines()[1:]
                   if json.loads(line)[1] == "m"]
        assert markers == [[4.0, "m", "note: ana@box: look"]]
    full = json.loads((tmp_path / "x.cast.notes.json").read_text())
    assert full["session"] == "cli003" and [n["text"] for n in full["notes"]] == ["look"]
