"""Process sampling from /proc, and the marker socket."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from coterm_tui.core.errors import UsageError
from coterm_tui.record.marks import MarkServer, clean_label, send_mark
from coterm_tui.record.procs import ProcSampler


@pytest.mark.parametrize("walk", [True, False])
def test_descendants_are_reported_once_with_argv_and_cwd(tmp_path, walk) -> None:
    shell = subprocess.Popen(["sh", "-c", "sleep 30 & wait"], cwd=tmp_path,
                             start_new_session=True)
    try:
        sampler = ProcSampler(shell.pid)
        sampler._children_file = walk and sampler._children_file
        seen = []
        deadline = time.monotonic() + 10
        while not any(p.argv[:1] == ("sleep",) for p in seen) and time.monotonic() < deadline:
            seen += sampler.sample(time.monotonic())
        sleep = [p for p in seen if p.argv == ("sleep", "30")]
        assert len(sleep) == 1
        assert sleep[0].ppid == shell.pid and sleep[0].cwd == str(tmp_path)
        assert sampler.sample(1.0) == []  # already reported
    finally:
        os.killpg(shell.pid, signal.SIGKILL)  # the shell and its sleep, nothing else
        shell.wait()


def test_marker_socket_round_trip(tmp_path) -> None:
    import threading

    server = MarkServer(str(tmp_path / "m.sock"))
    labels: list[str] = []

    def accept() -> None:
        import select

        deadline = time.monotonic() + 10
        while not labels and time.monotonic() < deadline:
            select.select([server], [], [], 0.5)
            labels.extend(server.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    send_mark("deploy \x1b[31mstarted\n", str(tmp_path / "m.sock"))
    thread.join(timeout=15)
    server.close()
    assert labels == ["deploy [31mstarted"]


def test_mark_outside_a_session_is_a_usage_error(monkeypatch) -> None:
    monkeypatch.delenv("COTERM_SESSION_SOCKET", raising=False)
    with pytest.raises(UsageError, match="not inside a coterm recording"):
        send_mark("x")
    with pytest.raises(UsageError, match="cannot reach"):
        send_mark("x", "/nonexistent/sock")


def test_clean_label() -> None:
    assert clean_label(b"a\tb\x00c" + b"\xff") == "abc\ufffd"
    assert len(clean_label(b"x" * 5000)) == 200
