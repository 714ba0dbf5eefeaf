"""``coterm watch [ID]``: follow a session live, scrub back through it."""

from __future__ import annotations

import argparse

from coterm_tui.config import load_config
from coterm_tui.core.errors import UsageError
from coterm_tui.core.ids import is_session_id

from ._relayargs import add_relay_options, target_from

DESCRIPTION = """\
Follow a terminal session live, in this terminal: the remote screen at the
remote size (centred, or clipped and pannable with ctrl+arrows), a LIVE badge,
the lag behind the broadcaster, who else is watching, title, user@host and
elapsed time. With no ID, pick a session from the relay's list (live first).

Any replay key leaves live mode and scrubs everything received so far while the
stream keeps arriving; L (or G) returns to live.

keys: L/G live · space pause · ←/→ ±5 s · shift+←/→ ±10 % · 0–9 jump to 0–90 %
      [ / ] previous/next marker, command or note · , / . one frame back/forward
      < > speed · g start · ctrl+arrows or hjkl pan · ? help · q quit
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("watch", help="follow a live session (or pick one)",
                       description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("session", metavar="ID", nargs="?",
                   help="the session id (as printed by coterm record or coterm ls); "
                   "omit it to pick from a list")
    p.add_argument("--name", default=None,
                   help="how other viewers see you and your notes (default: [user] name "
                   "in the config, else user@host; a relay token's name wins)")
    add_relay_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coterm_tui.app.watch_app import make_watch
    from coterm_tui.client import api

    if args.session is not None and not is_session_id(args.session):
        raise UsageError(f"{args.session!r} is not a session id (see coterm ls)")
    target = target_from(args)
    if args.session is not None:
        api.get_session(target, args.session)  # one-line error if unknown or forbidden
    name = args.name if args.name is not None else load_config().name
    make_watch(target, args.session, name=name[:60]).run()
    return 0

