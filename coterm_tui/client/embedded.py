"""The embedded relay: a local relay on 127.0.0.1, started on demand as a detached
background process, data under ``data_dir()/relay``.

Files there: ``relay.pid`` and ``relay.port`` (written by the relay once it
listens, removed when it stops), ``relay.log`` (its output) and ``relay.lock``
(held while starting, so two recorders starting at once share one relay).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coterm_tui.core.errors import CotermError
from coterm_tui.core.paths import data_dir

START_TIMEOUT = 20.0
POLL = 0.05


def relay_dir() -> Path:
    return data_dir() / "relay"


@dataclass(frozen=True)
class Embedded:
    pid: int
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as resp:  # noqa: S310
            return bool(resp.status == 200)
    except OSError:
        return False


def status() -> Embedded | None:
    """The running embedded relay, if it answers."""
    pid = _read_int(relay_dir() / "relay.pid")
    port = _read_int(relay_dir() / "relay.port")
    if pid is None or port is None or not _alive(pid):
        return None
    found = Embedded(pid, port)
    return found if _healthy(found.url) else None


def running_url() -> str | None:
    found = status()
    return None if found is None else found.url


@contextlib.contextmanager
def _lock() -> Iterator[None]:
    relay_dir().mkdir(parents=True, exist_ok=True)
    with open(relay_dir() / "relay.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_running() -> str:
    """The embedded relay's URL, starting it if needed."""
    with _lock():
        found = status()
        if found is not None:
            return found.url
        folder = relay_dir()
        for name in ("relay.port", "relay.pid"):
            with contextlib.suppress(OSError):
                (folder / name).unlink()
        with open(folder / "relay.log", "ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", "0",
                 "--data-dir", str(folder), "--port-file", str(folder / "relay.port"),
                 "--pid-file", str(folder / "relay.pid")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                close_fds=True, cwd="/")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            found = status()
            if found is not None:
                return found.url
            time.sleep(POLL)
        tail = (folder / "relay.log").read_text(errors="replace").strip().splitlines()[-1:]
        if proc.poll() is None:
            proc.terminate()
        raise CotermError("the embedded relay did not start"
                          + (f": {tail[0]}" if tail else "") + f" (log: {folder / 'relay.log'})")


def stop(timeout: float = 10.0) -> Embedded | None:
    """Stop the embedded relay; returns what was stopped (None if it was not running)."""
    found = status()
    if found is None:
        return None
    os.kill(found.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(found.pid) and time.monotonic() < deadline:
        time.sleep(POLL)
    if _alive(found.pid):
        raise CotermError(f"the embedded relay (pid {found.pid}) did not stop")
    return found
