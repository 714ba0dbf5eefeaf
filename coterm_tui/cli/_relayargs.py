"""The ``--relay``/``--token`` options every client command shares."""

from __future__ import annotations

import argparse

from coterm_tui.client import RelayTarget, resolve_relay


def add_relay_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("relay")
    group.add_argument("--relay", metavar="URL",
                       help="relay URL, http://HOST:PORT or https://HOST (default: "
                       "$COTERM_RELAY, the config file, else the embedded local relay)")
    group.add_argument("--token", metavar="TOKEN",
                       help="access token (default: $COTERM_TOKEN or the config file)")


def target_from(args: argparse.Namespace, start: bool = True) -> RelayTarget:
    return resolve_relay(getattr(args, "relay", None), getattr(args, "token", None),
                         start=start)
