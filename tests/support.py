"""Helpers every test directory shares: a free local port and deadline-bound polling.

Import as ``from tests.support import ...`` (``tests`` is a package; its conftest puts
the repository root on ``sys.path`` even for the directories that are not packages).
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any

#: Generous bound on any single wait; tests never depend on timing, only on events.
WAIT = 20.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def until(pred: Callable[[], bool], what: str, timeout: float = WAIT,
          interval: float = 0.01) -> None:
    """Block until ``pred()`` holds; fail once ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)  # polling interval; the deadline decides


async def until_async(pred: Callable[[], bool], what: str, timeout: float = WAIT,
                      interval: float = 0.02,
                      pause: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
    """``until`` for coroutines: ``pause`` yields between polls (a Textual pilot passes
    ``pilot.pause`` so the app processes its messages)."""
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pause(interval)
