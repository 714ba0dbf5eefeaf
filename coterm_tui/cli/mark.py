"""``coterm mark [LABEL]``: add a marker to the recording this shell runs in."""

from __future__ import annotations

import argparse
from typing import Any

from coterm_tui.record.marks import send_mark


def register(sub: Any) -> None:
    p = sub.add_parser(
        "mark", help="add a marker to the current recording",
        description="Inside a `coterm record` session, add a labelled marker at this moment "
                    "(players show markers as chapters).")
    p.add_argument("label", nargs="*", help="the marker's label (words are joined)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    send_mark(" ".join(args.label))
    return 0
