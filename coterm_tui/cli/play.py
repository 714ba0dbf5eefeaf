"""``coterm play FILE``: replay a recording in the terminal (Textual)."""

from __future__ import annotations

import argparse

from ._args import seconds_arg, speed_arg, time_arg
from ._relayargs import add_relay_options
from ._source import print_warnings, resolve_source

DESCRIPTION = """\
Replay an asciicast (v2 or v3, asciinema's or coterm's) in this terminal.
Seeking is instant once the file is indexed; a big file plays at once while it
is indexed in the background (the index is cached, so reopening is instant).

keys: space pause/resume · ←/→ ±5 s · shift+←/→ ±10 % · 0–9 jump to 0–90 %
      [ / ] previous/next marker, command or note · , / . one frame back/forward
      < > (- +) speed 1/16×…16× · g/G start/end · ctrl+arrows or hjkl pan · ? help · q quit
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("play", help="replay a recording in the terminal",
                       description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", metavar="FILE|ID",
                   help="an asciicast file, or a session id on the relay")
    add_relay_options(p)
    p.add_argument("--speed", type=speed_arg, default=1.0,
                   help="playback speed, 1/16 to 16 (default 1)")
    p.add_argument("--idle-limit", type=seconds_arg, default=None, metavar="SECONDS",
                   help="shorten pauses longer than this (default: the file's "
                        "idle_time_limit; 0 turns it off)")
    p.add_argument("--at", type=time_arg, default=None, metavar="T",
                   help="start at T: seconds or [h:]mm:ss")
    p.add_argument("--paused", action="store_true", help="open paused")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coterm_tui.app.player_app import make_player
    from coterm_tui.core.source import FileSource

    source = FileSource(resolve_source(args.source, args.relay, args.token))
    idle = args.idle_limit if args.idle_limit is not None else source.header.idle_time_limit
    app = make_player(source, speed=args.speed, idle_limit=idle or None, at=args.at,
                      paused=args.paused)
    app.run()
    print_warnings(source.warnings)
    return 0
