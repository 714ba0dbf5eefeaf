"""``coterm record``'s side of the relay: choosing it, the uplink sink, the watch line.

With ``--no-relay`` nothing leaves the machine. Otherwise the relay comes from
``--relay``/``COTERM_RELAY``/the config file, or is the embedded local relay
(started or reused here). A relay that cannot be resolved never stops a
recording: it is reported once and the session is recorded locally only.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from coterm_tui.client import RelayTarget
from coterm_tui.config import load_config
from coterm_tui.core.errors import CotermError
from coterm_tui.core.events import Header

from ._relayargs import target_from

if TYPE_CHECKING:
    from coterm_tui.record.uplink import Uplink


def prepare_uplink(args: argparse.Namespace) -> None:
    """Resolve the relay before recording starts (in the recorder's own process, where
    errors reach the user), starting the embedded relay if none is configured; sets
    ``args.relay_target`` (None: record locally only)."""
    args.relay_target = None
    if getattr(args, "no_relay", False):
        return
    try:
        args.relay_target = target_from(args)
        args.relay_name = load_config().name
    except CotermError as exc:
        print(f"coterm: {exc}; recording locally only", file=sys.stderr)


def uplink_sinks(args: argparse.Namespace, header: Header, session_id: str) -> list[Uplink]:
    """The relay uplink for this session (none with ``--no-relay`` or no relay)."""
    target: RelayTarget | None = getattr(args, "relay_target", None)
    if target is None:
        return []
    from coterm_tui.record.uplink import Uplink  # aiohttp: only where it streams

    try:
        return [Uplink(target.url, session_id, header, token=target.token,
                       name=getattr(args, "relay_name", ""))]
    except OSError:  # no spool, no streaming; the local recording goes on
        return []


def watch_line(args: argparse.Namespace, session_id: str) -> list[str]:
    if getattr(args, "relay_target", None) is None:
        return []
    return [f"coterm: session {session_id} — watch with: coterm watch {session_id}"]
