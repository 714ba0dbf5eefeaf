"""``coterm ls``: the sessions a relay holds."""

from __future__ import annotations

import argparse
import json
from typing import Any

from coterm_tui.client import api

from ._relayargs import add_relay_options, target_from


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ls", help="list sessions (live and recorded) on the relay",
        description="List the relay's sessions, newest first: id, user@host, title, start "
        "time, duration, whether it is live, and how many are watching.")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list of objects (id, user, host, title, started, "
                        "duration, live, viewers, …)")
    add_relay_options(parser)
    parser.set_defaults(func=run)


def duration(seconds: float) -> str:
    s = int(seconds)
    if s >= 3600:
        return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def table(sessions: list[dict[str, Any]]) -> str:
    rows = [("ID", "USER@HOST", "TITLE", "STARTED", "DURATION", "LIVE", "VIEWERS")]
    for s in sessions:
        rows.append((str(s.get("id", "")), f"{s.get('user', '')}@{s.get('host', '')}",
                     str(s.get("title") or "")[:40], str(s.get("started") or ""),
                     duration(float(s.get("duration") or 0)), "live" if s.get("live") else "-",
                     str(s.get("viewers", 0))))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def run(args: argparse.Namespace) -> int:
    sessions = api.list_sessions(target_from(args))
    if args.json:
        print(json.dumps(sessions, indent=2))
    elif sessions:
        print(table(sessions))
    else:
        print("no sessions")
    return 0
