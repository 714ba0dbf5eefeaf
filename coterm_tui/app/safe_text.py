"""Text from the recorded side, made safe to put on the viewer's own terminal.

Screen cells go through the emulator, but titles, names and messages are shown
as they are: any C0/C1 control character (ESC, BEL, CSI …) is replaced so that a
recording cannot send queries, titles or other sequences to the watcher.
"""

from __future__ import annotations

import re

__all__ = ["printable"]

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str, limit: int = 200) -> str:
    """``text`` with control characters replaced by ``�`` and cut to ``limit``."""
    return _CONTROLS.sub("\ufffd", text[:limit])
