"""The relay's settings: one frozen value built by the CLI or by tests.

Every limit the relay enforces lives here, so a deployment can tune them and
tests can shrink them (a tiny viewer backlog makes lag reproducible).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8765

    # -- security ------------------------------------------------------------------
    #: Loopback peers may connect without a token (as admin) unless this is set.
    require_token_on_loopback: bool = False
    #: Extra browser origins allowed besides the relay's own (``http://host:port``).
    allowed_origins: frozenset[str] = field(default_factory=frozenset)

    # -- durability ----------------------------------------------------------------
    #: Group commit: frames are fsynced at most this often (seconds), acks follow.
    commit_interval: float = 0.02
    #: ``"batch"`` fsyncs every group commit; ``"off"`` never (tests, benchmarks of
    #: a tmpfs); acks are still sent only after the commit.
    fsync: str = "batch"

    # -- fan-out -------------------------------------------------------------------
    #: Bytes a viewer's socket may hold unsent before it is dropped from the live stream and
    #: resynced from the newest keyframe.
    viewer_backlog_bytes: int = 1 << 20
    #: Largest chunk read from the frame log per catch-up step.
    catchup_chunk_bytes: int = 256 * 1024

    # -- keyframes -----------------------------------------------------------------
    #: A keyframe after this much output …
    keyframe_bytes: int = 32 * 1024
    #: … or this many seconds after the last one, if anything changed.
    keyframe_seconds: float = 3.0
    #: When more than this much output waits for the emulator, only the tail is fed.
    keyframe_skip_bytes: int = 256 * 1024
    #: ``"process"`` (default: emulation never competes with fan-out for the GIL)
    #: or ``"thread"``.
    keyframe_executor: str = "process"

    # -- timeouts and rates ----------------------------------------------------------
    hello_timeout: float = 10.0
    heartbeat: float = 30.0
    #: A publisher silent this long (no frame, no pong) is closed.
    idle_timeout: float = 3600.0
    #: A session whose broadcaster vanished is marked ended after this many seconds.
    grace: float = 120.0
    #: Publishers are throttled (reads paused) above this rate.
    publish_bytes_per_s: int = 32 << 20
    #: Viewers may send this many messages per second (burst: twice that).
    viewer_msgs_per_s: float = 20.0

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"
