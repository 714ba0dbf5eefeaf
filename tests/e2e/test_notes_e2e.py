"""End to end in tmux: add a note with the keyboard in `coterm play`, read it back
with `coterm notes --json` — on a relay session and on a local file's sidecar."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coterm_tui.core.asciicast import CastWriter
from coterm_tui.core.events import Header, Output
from tests.tui.livehelp import Broadcaster, RelayThread

from .tmux import COTERM, Tmux


def notes_json(target: str, env: dict[str, str]) -> list[dict[str, object]]:
    out = subprocess.run([sys.executable, "-m", "coterm_tui", "notes", target, "--json"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    data: list[dict[str, object]] = json.loads(out.stdout)
    return data


def add_note_with_keys(tmux: Tmux, command: str, text: str, author: str) -> None:
    tmux.send(command)
    tmux.wait_for("paused")
    tmux.key("Right")  # +5 s
    tmux.wait_for("00:05.0 /")
    tmux.key("n")
    tmux.wait_for("Note at 00:05.0")
    tmux.send(text, enter=False)
    tmux.key("Enter")
    tmux.wait_for(f"{author} at 00:05.0")  # the toast, once the note is stored
    tmux.key("q")
    tmux.wait_for(lambda s: s.rstrip().endswith("$"))


@pytest.mark.e2e
def test_keyboard_note_on_a_relay_session(tmux: Tmux, tmp_path: Path) -> None:
    relay = RelayThread(tmp_path / "relay").start()
    try:
        b = Broadcaster(relay, "e2e001").open()
        b.output(*[f"line {i}\r\n" for i in range(12)], dt=1.0)
        b.wait_acked()
        b.finish()
        b.close()
        add_note_with_keys(tmux, f"COTERM_RELAY={relay.url} COTERM_NAME=ana {COTERM} play "
                           "e2e001 --paused", "disk full here", "ana")
        env = {**tmux.env, "COTERM_RELAY": relay.url}
        notes = notes_json("e2e001", env)
        assert [(n["t"], n["author"], n["text"]) for n in notes] == [(5.0, "ana",
                                                                     "disk full here")]
    finally:
        relay.close()


@pytest.mark.e2e
def test_keyboard_note_on_a_local_file(tmux: Tmux, tmp_path: Path) -> None:
    cast = tmp_path / "local.cast"
    with CastWriter(cast, Header(cols=40, rows=8)) as w:
        for i in range(12):
            w.write(Output(float(i), f"line {i}\r\n"))
    add_note_with_keys(tmux, f"COTERM_NAME=bo {COTERM} play {cast} --paused", "rollback", "bo")
    notes = notes_json(str(cast), tmux.env)
    assert [(n["t"], n["author"], n["text"]) for n in notes] == [(5.0, "bo", "rollback")]
    assert (tmp_path / "local.cast.notes.json").is_file()
