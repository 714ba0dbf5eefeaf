"""Counters exposed at ``/metrics`` in the Prometheus text format."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass
class Metrics:
    frames: int = 0  # frames ingested
    bytes: int = 0  # bytes ingested (encoded frames)
    duplicates: int = 0  # frames ignored because already stored
    fanout_frames: int = 0  # frames written to viewers
    resyncs: int = 0  # viewers dropped from the live stream and resynced
    keyframes: int = 0
    keyframes_oversized: int = 0  # screens whose dump no viewer would accept (not sent)
    keyframe_skipped: int = 0  # output chars the emulator skipped under bulk output
    rejected: int = 0  # connections closed for bad input or authorisation
    commits: int = 0

    def render(self, gauges: Mapping[str, float]) -> str:
        lines = []
        for name, value in vars(self).items():
            lines.append(f"# TYPE coterm_relay_{name}_total counter")
            lines.append(f"coterm_relay_{name}_total {value}")
        for name, value in gauges.items():
            lines.append(f"# TYPE coterm_relay_{name} gauge")
            lines.append(f"coterm_relay_{name} {value:g}")
        return "\n".join(lines) + "\n"
