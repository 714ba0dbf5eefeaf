"""``coterm token create|list|revoke``: access tokens for a relay."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from coterm_tui.client import api
from coterm_tui.core.errors import UsageError

from ._relayargs import add_relay_options, target_from

SCOPES = ("view", "broadcast", "admin")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "token", help="create, list or revoke relay access tokens",
        description="Manage a relay's access tokens. Scopes: view (watch and read), "
        "broadcast (publish sessions; watch its own), admin (everything). Tokens are "
        "stored hashed; the secret is printed once. Runs against the relay's store "
        "directly with --data-dir (on the relay host), else via the relay's admin API.")
    sub = parser.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="create a token and print its secret once")
    create.add_argument("--scope", choices=SCOPES, required=True, help="what it may do")
    create.add_argument("--name", default="", help="shown to others (presence, notes)")
    listing = sub.add_parser("list", help="list tokens (never their secrets)")
    revoke = sub.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("id", help="the token id (see `coterm token list`)")
    for p in (create, listing, revoke):
        p.add_argument("--data-dir", type=Path, help="the relay's data directory")
        add_relay_options(p)
        p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.data_dir is not None:
        return _local(args)
    target = target_from(args)
    if args.token_command == "create":
        made = api.create_token(target, args.scope, args.name)
        print(f"{made['token']}\n(id {made['id']}, scope {made['scope']}; "
              "this secret is shown once)")
    elif args.token_command == "list":
        for t in api.list_tokens(target):
            print(_line(t["id"], t["scope"], t["name"], t["created"], t["revoked"]))
    else:
        api.revoke_token(target, args.id)
        print(f"revoked {args.id}")
    return 0


def _line(tid: str, scope: str, name: str, created: object, revoked: object) -> str:
    state = f"revoked {revoked}" if revoked else "active"
    return f"{tid}  {scope:<9}  {name or '-':<16}  created {created}  {state}"


def _local(args: argparse.Namespace) -> int:
    from relay.store import SqliteStore

    if not (args.data_dir / "relay.sqlite3").exists():
        raise UsageError(f"{args.data_dir} holds no relay store")
    store = SqliteStore(args.data_dir)
    try:
        if args.token_command == "create":
            info, secret = store.create_token(args.name, args.scope, time.time())
            print(f"{secret}\n(id {info.id}, scope {info.scope}; this secret is shown once)")
        elif args.token_command == "list":
            for t in store.list_tokens():
                print(_line(t.id, t.scope, t.name, time.strftime(
                    "%Y-%m-%dT%H:%M:%S", time.gmtime(t.created)), t.revoked))
        elif not store.revoke_token(args.id, time.time()):
            raise UsageError(f"no active token {args.id}")
        else:
            print(f"revoked {args.id}")
    finally:
        store.close()
    return 0
