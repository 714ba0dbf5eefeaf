"""The storage interface the relay talks to, so another backend can replace SQLite.

A store keeps sessions (header, owner, progress, liveness), each session's frames
as an append-only log addressed by sequence number, keyframes, notes and tokens.

Durability contract: :meth:`Store.append` makes a frame visible to readers at
once; it is *durable* only after a later :meth:`Store.commit` returns it in its
result. The relay acknowledges a frame to its broadcaster only then.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from coterm_tui.core.events import Header
from coterm_tui.core.wire import Keyframe

SCOPES = ("view", "broadcast", "admin")


@dataclass(frozen=True)
class SessionInfo:
    id: str
    header: Header
    owner: str
    started: float  # Unix time the relay first saw it
    last_seq: int
    last_t: float
    live: bool
    ended: float | None = None
    status: int | None = None  # the recorded program's exit status, once known


@dataclass(frozen=True)
class TokenInfo:
    id: str
    name: str
    scope: str
    created: float
    revoked: float | None = None


class Store(ABC):
    """Sessions, frame logs, keyframes, notes and tokens. Methods are thread-safe."""

    # -- sessions ----------------------------------------------------------------
    @abstractmethod
    def open_session(self, sid: str, header: Header | None, owner: str,
                     now: float) -> SessionInfo:
        """Create the session, or resume it (live again); ``header`` may be None
        only when it already exists."""

    @abstractmethod
    def get_session(self, sid: str) -> SessionInfo | None: ...

    @abstractmethod
    def list_sessions(self, limit: int = 1000) -> list[SessionInfo]: ...

    @abstractmethod
    def end_session(self, sid: str, now: float, status: int | None = None) -> None: ...

    # -- frames ------------------------------------------------------------------
    @abstractmethod
    def append(self, sid: str, seq: int, t: float, raw: bytes) -> None:
        """Append one encoded frame; ``seq`` must follow the session's last one."""

    @abstractmethod
    def commit(self) -> dict[str, int]:
        """Make everything appended so far durable; returns ``{session: last seq}``
        for the sessions that had something to commit."""

    @abstractmethod
    def read_frames(self, sid: str, first: int, last: int | None = None,
                    max_bytes: int = 1 << 20) -> list[tuple[int, float, bytes]]:
        """Frames ``first..last`` (inclusive) as ``(seq, t, raw)``, at least one
        if any exists, stopping after ``max_bytes``."""

    # -- keyframes -----------------------------------------------------------------
    @abstractmethod
    def save_keyframe(self, sid: str, keyframe: Keyframe) -> None: ...

    @abstractmethod
    def keyframe_at(self, sid: str, t: float | None = None) -> Keyframe | None:
        """The newest keyframe at or before time ``t`` (the newest of all if None)."""

    # -- tokens ----------------------------------------------------------------------
    @abstractmethod
    def create_token(self, name: str, scope: str, now: float) -> tuple[TokenInfo, str]:
        """A new token; returns its record and the secret (shown once, stored hashed)."""

    @abstractmethod
    def token_by_secret(self, secret: str) -> TokenInfo | None:
        """The live (unrevoked) token with this secret."""

    @abstractmethod
    def list_tokens(self) -> list[TokenInfo]: ...

    @abstractmethod
    def revoke_token(self, token_id: str, now: float) -> bool: ...

    @abstractmethod
    def close(self) -> None: ...
