"""Running the relay as a server: arguments, settings, and the serve loop (with an
optional port file and pid file, which the embedded relay uses)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
from pathlib import Path

from aiohttp import web

from coterm_tui.core.atomic import atomic_write

from .app import make_app
from .settings import Settings

log = logging.getLogger("relay")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1; off loopback every "
                        "connection needs a token)")
    parser.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    parser.add_argument("--data-dir", type=Path, required=True,
                        help="where sessions, frame logs and tokens are stored")
    parser.add_argument("--require-token", action="store_true",
                        help="require tokens from loopback peers too (behind a reverse proxy)")
    parser.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                        help="a browser origin allowed besides the relay's own (repeatable)")
    parser.add_argument("--grace", type=float, default=120.0,
                        help="seconds before a session whose broadcaster vanished is ended")
    parser.add_argument("--fsync", choices=("batch", "off"), default="batch",
                        help="fsync frame logs every group commit (default) or never")
    parser.add_argument("--keyframes", choices=("process", "thread"), default="process",
                        help="run the keyframe emulator in a child process (default) or a thread")
    parser.add_argument("--port-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pid-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--log-level", default="info",
                        choices=("debug", "info", "warning", "error"))


def settings_from(args: argparse.Namespace) -> Settings:
    if not 0 <= args.port <= 65535:
        raise ValueError(f"port {args.port} is out of range")
    return Settings(data_dir=args.data_dir, host=args.host, port=args.port,
                    require_token_on_loopback=args.require_token,
                    allowed_origins=frozenset(args.allow_origin), grace=args.grace,
                    fsync=args.fsync, keyframe_executor=args.keyframes)


async def serve(settings: Settings, port_file: Path | None = None,
                pid_file: Path | None = None) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    runner = web.AppRunner(make_app(settings), handle_signals=False, access_log=None,
                           shutdown_timeout=5.0)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port, backlog=1024)
    await site.start()
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    port = int(sockets[0].getsockname()[1]) if sockets else settings.port
    log.info("relay: listening on http://%s:%d, data in %s", settings.host, port,
             settings.data_dir)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        if pid_file:
            _write_atomically(pid_file, f"{os.getpid()}\n")
        if port_file:
            _write_atomically(port_file, f"{port}\n")
        await stop.wait()
    finally:
        log.info("relay: shutting down")
        await runner.cleanup()
        for path in (port_file, pid_file):
            if path:
                with contextlib.suppress(OSError):
                    path.unlink()


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as f:
        f.write(text.encode("utf-8"))


def main(argv: list[str] | None = None, prog: str = "python -m relay") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Run a coterm relay.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args)


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(message)s")
    try:
        settings = settings_from(args)
    except ValueError as exc:
        print(f"relay: {exc}")
        return 2
    try:
        asyncio.run(serve(settings, args.port_file, args.pid_file))
    except OSError as exc:
        print(f"relay: cannot serve on {settings.host}:{settings.port}: {exc}")
        return 2
    return 0
