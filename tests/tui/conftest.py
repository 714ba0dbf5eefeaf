"""TUI fixtures: a relay on 127.0.0.1 in a thread, and broadcasters for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .livehelp import RelayThread


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[RelayThread]:
    r = RelayThread(tmp_path / "relay").start()
    try:
        yield r
    finally:
        r.close()
