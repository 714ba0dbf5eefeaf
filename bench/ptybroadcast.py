"""A PTY's output streamed through the recorder's relay uplink (shared by the live
viewer benchmark and the watch end-to-end test until ``coterm record`` streams)."""

from __future__ import annotations

import os
import time
from typing import Any

from coterm_tui.core.events import Output


def forward(fd: int, uplink: Any, t0: float, seq: int, echo: int | None = None) -> int | None:
    """Read once from the PTY master ``fd`` and stream it as frame ``seq + 1`` (copying
    it to ``echo`` too); returns the new seq, or None at the end."""
    try:
        data = os.read(fd, 1 << 16)
    except OSError:
        return None
    if not data:
        return None
    if echo is not None:
        os.write(echo, data)
    seq += 1
    uplink.write(seq, Output(time.monotonic() - t0, data.decode("utf-8", "replace")))
    return seq
