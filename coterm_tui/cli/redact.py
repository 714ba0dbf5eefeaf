"""``coterm redact``: mask secrets in a recording or in raw terminal text.

* ``coterm redact FILE.cast -o OUT.cast`` rewrites a recording: output and input
  events are masked (per stream, secrets split across events included), a
  redaction event is added for each masking, everything else is kept.
* ``coterm redact -`` filters stdin to stdout, streaming, same number of
  characters; bytes that are not UTF-8 pass through unchanged.
* ``coterm redact --check FILE|-`` lists findings (time or line, rule, length —
  never the secret): exit status 1 if any, 0 if none, 2 on error.
"""

from __future__ import annotations

import argparse
import codecs
import os
import select
import sys
import time
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from coterm_tui.core.asciicast import CastWriter, open_cast
from coterm_tui.core.atomic import atomic_write
from coterm_tui.core.errors import UsageError
from coterm_tui.core.events import Event, Input, Output, Redaction
from coterm_tui.core.redact import Redactor, StreamRedactor, load_redactor

from ._source import print_warnings, resolve_source

_CHUNK = 1 << 16


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "redact",
        help="mask secrets in a recording or in text",
        description=(
            "Mask secrets (tokens, keys, passwords, private keys, high-entropy strings) "
            "with '*', keeping every other character and the length unchanged. "
            "'coterm redact FILE.cast -o OUT.cast' rewrites a recording; 'coterm redact -' "
            "filters stdin to stdout; '--check' only lists findings (time, rule, length; "
            "never the secret) and exits 1 if there are any. Extra rules and an allowlist "
            "come from the [redact] table of the config file, or of --config PATH."
        ),
    )
    parser.add_argument("file", metavar="FILE",
                        help="a recording (.cast), a text file, or '-' for stdin")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="where to write the masked recording (FILE mode)")
    parser.add_argument("--check", action="store_true",
                        help="list findings instead of writing; exit 1 if any")
    parser.add_argument("--config", metavar="PATH",
                        help="TOML file with [redact] rules/allowlist (default: config.toml)")
    parser.set_defaults(func=run)


def _config(path: str | None) -> Mapping[str, Any]:
    if path is None:
        from coterm_tui.config import load_config

        return load_config().redact
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read config: {exc}") from None
    table = data.get("redact", data)
    if not isinstance(table, Mapping):
        raise UsageError(f"{path}: [redact] must be a table")
    return table


def run(args: argparse.Namespace) -> int:
    redactor = load_redactor(_config(args.config))
    if args.file == "-":
        if args.output:
            raise UsageError("-o is for recordings; 'coterm redact -' writes to stdout")
        if args.check:
            return _report(_text_findings(redactor, _stdin_chunks()), "line")
        _filter(redactor, _stdin_chunks(), sys.stdout.buffer)
        return 0
    path = resolve_source(args.file)
    if not _is_cast(path):
        if args.output and not args.check:
            raise UsageError(f"{args.file}: not an asciicast recording; "
                             f"use 'coterm redact - < {args.file}' for text")
        if not args.check:
            with path.open("rb") as f:
                _filter(redactor, _file_chunks(f), sys.stdout.buffer)
            return 0
        with path.open("rb") as f:
            return _report(_text_findings(redactor, _file_chunks(f)), "line")
    if args.check:
        return _report(_cast_findings(redactor, path), "time")
    if not args.output:
        raise UsageError("give -o OUT.cast for the masked recording (or --check)")
    out = Path(args.output)
    if out.exists() and out.resolve() == path.resolve():
        raise UsageError("-o must not be the input file")
    _rewrite(redactor, path, out)
    return 0


# ---------------------------------------------------------------- recordings
def _is_cast(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(1024).lstrip()
    return head.startswith(b"{")


def _masked_events(redactor: Redactor, path: Path) -> Iterator[tuple[Event, bool]]:
    """``(event, added)`` for every event of the recording, output and input masked;
    ``added`` marks the redaction events made here (not ones already in the file)."""
    streams = {"o": StreamRedactor(redactor, "o"), "i": StreamRedactor(redactor, "i")}

    def release(events: list[Event]) -> Iterator[tuple[Event, bool]]:
        for e in sorted(events, key=lambda e: e.t):
            yield e, isinstance(e, Redaction)

    with open_cast(path) as reader:
        t = 0.0
        for event in reader.events():
            t = max(t, event.t)
            held: list[Event] = []
            for s in streams.values():
                deadline = s.deadline
                if deadline is not None and deadline <= t:
                    held += s.poll(deadline)  # stamped when it was due, as live
            if isinstance(event, (Output, Input)):
                yield from release(held)
                yield from release(streams[event.code].push(event.t, event.data))
                continue
            for s in streams.values():  # keep order: release what precedes this event
                held += s.flush(t)
            yield from release(held)
            yield event, False
        tail: list[Event] = []
        for s in streams.values():
            tail += s.flush(t)
        yield from release(tail)
        print_warnings(reader.warnings)


def _rewrite(redactor: Redactor, path: Path, out: Path) -> None:
    with open_cast(path) as reader:
        header, version = reader.header, reader.version if reader.version in (2, 3) else 3
    with atomic_write(out) as f, CastWriter(f, header, version) as writer:
        for event, _ in _masked_events(redactor, path):
            writer.write(event)


def _cast_findings(redactor: Redactor, path: Path) -> Iterator[tuple[str, str, int, str]]:
    for event, added in _masked_events(redactor, path):
        if added and isinstance(event, Redaction):
            yield f"{event.t:.3f}", event.rule, event.length, event.stream


# ---------------------------------------------------------------- raw text
def _stdin_chunks() -> Iterator[tuple[float, bytes | None]]:
    """(time, bytes) as they arrive; (time, None) when input paused (time to poll)."""
    fd = sys.stdin.fileno()
    while True:
        try:
            ready, _, _ = select.select([fd], [], [], 0.3)
        except (OSError, ValueError):
            ready = [fd]
        if not ready:
            yield time.monotonic(), None
            continue
        data = os.read(fd, _CHUNK)
        if not data:
            return
        yield time.monotonic(), data


def _file_chunks(f: BinaryIO) -> Iterator[tuple[float, bytes | None]]:
    while data := f.read(_CHUNK):
        yield 0.0, data


def _decoded(chunks: Iterator[tuple[float, bytes | None]]) -> Iterator[tuple[float, str | None]]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    t = 0.0
    for t, data in chunks:
        yield t, None if data is None else decoder.decode(data)
    yield t, decoder.decode(b"", final=True)


def _filter(redactor: Redactor, chunks: Iterator[tuple[float, bytes | None]],
            out: BinaryIO) -> None:
    stream = StreamRedactor(redactor, "o")
    t = 0.0
    for t, text in _decoded(chunks):
        events = stream.poll(t) if text is None else stream.push(t, text)
        _write(out, events)
    _write(out, stream.flush(t))


def _write(out: BinaryIO, events: list[Event]) -> None:
    data = b"".join(e.data.encode("utf-8", "surrogateescape")
                    for e in events if isinstance(e, Output))
    if data:
        out.write(data)
        out.flush()


def _text_findings(redactor: Redactor, chunks: Iterator[tuple[float, bytes | None]],
                   ) -> Iterator[tuple[str, str, int, str]]:
    """Findings in complete lines, scanned in blocks of whole lines."""
    line = 1
    pending = ""
    for _, text in _decoded(chunks):
        if text is None:
            continue
        pending += text
        cut = pending.rfind("\n") + 1
        if cut == 0 and len(pending) < 4 * _CHUNK:
            continue
        block, pending = (pending[:cut], pending[cut:]) if cut else (pending, "")
        yield from _block_findings(redactor, block, line)
        line += block.count("\n")
    yield from _block_findings(redactor, pending, line)


def _block_findings(redactor: Redactor, block: str,
                    line: int) -> Iterator[tuple[str, str, int, str]]:
    for f in redactor.find(block):
        n = sum(1 for c in block[f.start:f.end] if c not in "\r\n")
        yield str(line + block.count("\n", 0, f.start)), f.rule, n, "o"


def _report(findings: Iterator[tuple[str, str, int, str]], where: str) -> int:
    n = 0
    for at, rule, length, stream in findings:
        if n == 0:
            print(f"{where:>10}  stream  {'rule':<28}  length")
        print(f"{at:>10}  {stream:^6}  {rule:<28}  {length}")
        n += 1
    print(f"coterm: {n} finding{'s' if n != 1 else ''}", file=sys.stderr)
    return 1 if n else 0
