"""Messages from the player's background threads to its widgets.

Threads never touch widgets: they post these to the app. High-rate ones
coalesce (``can_replace``) so a busy replay cannot flood the UI's queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from .frame import PlayerStatus


class FrameReady(Message):
    """New screen content waits in the frame buffer (posted once until taken)."""


@dataclass
class StatusChanged(Message):
    """Position, speed, playing/paused, end or error changed."""

    status: PlayerStatus

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StatusChanged)


class IndexProgress(Message):
    """The seek index grew (read its state from the source's index)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)
