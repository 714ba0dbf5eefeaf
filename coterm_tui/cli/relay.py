"""``coterm relay serve|status|stop``: run a shared relay, or manage the embedded one."""

from __future__ import annotations

import argparse

from coterm_tui.client import embedded


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "relay", help="run a relay, or show/stop the embedded one",
        description="Run a coterm relay (serve), or show or stop the embedded local relay "
        "that `coterm record` starts when no relay is configured.")
    sub = parser.add_subparsers(dest="relay_command", metavar="ACTION", required=True)
    serve = sub.add_parser("serve", help="run a relay in the foreground",
                           description="Run a relay in the foreground until interrupted. "
                           "It binds 127.0.0.1 unless --host says otherwise; off loopback "
                           "every connection needs a token (see `coterm token`).")
    from relay.serve import add_arguments

    add_arguments(serve)
    serve.set_defaults(func=run_serve)
    status = sub.add_parser("status", help="is the embedded relay running?",
                            description="Show the embedded relay's URL, pid and data "
                            "directory; exit status 1 if it is not running.")
    status.set_defaults(func=run_status)
    stop = sub.add_parser("stop", help="stop the embedded relay",
                          description="Stop the embedded local relay (sessions are kept).")
    stop.set_defaults(func=run_stop)


def run_serve(args: argparse.Namespace) -> int:
    from relay.serve import run

    return run(args)


def run_status(args: argparse.Namespace) -> int:
    found = embedded.status()
    if found is None:
        print(f"embedded relay: not running (data in {embedded.relay_dir()})")
        return 1
    print(f"embedded relay: {found.url} (pid {found.pid}, data in {embedded.relay_dir()})")
    return 0


def run_stop(args: argparse.Namespace) -> int:
    found = embedded.stop()
    print("embedded relay: not running" if found is None
          else f"embedded relay: stopped (pid {found.pid})")
    return 0
