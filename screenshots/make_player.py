"""Export SVG screenshots of ``coterm play`` into screenshots/ (headless, paused).

    python screenshots/make_player.py

Each scene opens a recording paused at a fixed time, presses a few keys and
saves what the player shows. Regenerate after UI changes and look at them.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.gen_cast import generate  # noqa: E402
from coterm_tui.app.player_app import make_player  # noqa: E402
from coterm_tui.core.asciicast import open_cast  # noqa: E402
from coterm_tui.core.index_builder import build_index  # noqa: E402
from coterm_tui.core.source import FileSource  # noqa: E402

CASTS = ROOT.parent / "shared" / "casts"


def incident_cast(path: Path) -> Path:
    """A short, made-up incident session with markers and commands on the timeline."""
    events: list[list[object]] = []
    t = 0.0

    def out(dt: float, text: str) -> None:
        nonlocal t
        t += dt
        events.append([round(t, 3), "o", text])

    def command(dt: float, cid: int, line: str) -> None:
        nonlocal t
        t += dt
        events.append([round(t, 3), "C", json.dumps({"id": cid, "line": line, "start": t})])

    prompt = "\x1b[1;32moncall@db-7\x1b[0m:\x1b[1;34m~\x1b[0m$ "
    out(0.5, prompt)
    command(0.5, 1, "systemctl status postgresql")
    out(0.1, "systemctl status postgresql\r\n\x1b[1;31m●\x1b[0m postgresql.service - "
        "PostgreSQL\r\n   Active: \x1b[1;31mfailed\x1b[0m (Result: exit-code) since 03:12\r\n")
    events.append([round(t + 1, 3), "m", "service down"])
    out(2.0, prompt)
    command(1.0, 2, "df -h /var/lib/postgresql")
    out(0.2, "df -h /var/lib/postgresql\r\nFilesystem  Size  Used Avail Use% Mounted on\r\n"
        "/dev/sdb1   200G  200G     0 \x1b[1;31m100%\x1b[0m /var/lib/postgresql\r\n")
    out(3.0, prompt)
    command(1.5, 3, "journalctl -u postgresql -n 5")
    out(0.2, "journalctl -u postgresql -n 5\r\n" + "".join(
        f"Jan 01 03:12:0{i} db-7 postgres[812]: \x1b[33mPANIC\x1b[0m:  could not write to "
        f"file \"pg_wal/xlogtemp.{812 + i}\": No space left on device\r\n" for i in range(5)))
    events.append([round(t + 2, 3), "m", "root cause: disk full"])
    out(4.0, prompt)
    header = {"version": 2, "width": 100, "height": 20, "title": "db-7 incident"}
    path.write_text("\n".join([json.dumps(header)] + [json.dumps(e) for e in events]) + "\n")
    return path


def wide_cast(path: Path) -> Path:
    rows = [f"{y:02d}|" + "".join(chr(65 + (x + y) % 26) for x in range(3, 180)) for y in range(60)]
    path.write_text(json.dumps({"version": 2, "width": 180, "height": 60}) + "\n"
                    + json.dumps([0.1, "o", "\r\n".join(rows)]) + "\n")
    return path


class HalfIndexed(FileSource):
    """A big file whose background index build is a third of the way through."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, cache=False)
        stop = threading.Event()
        size = path.stat().st_size

        def progress() -> None:
            if self.index.done_bytes > size / 3:
                stop.set()

        with open_cast(path) as reader:
            build_index(reader, self.index, stop=stop, on_progress=progress)

    def start(self, on_progress: Callable[[], None] | None = None) -> None:
        if on_progress:
            on_progress()


async def shoot(name: str, path: Path, at: float, keys: list[str],
                size: tuple[int, int] = (110, 32), source: FileSource | None = None,
                **kw: object) -> None:
    if source is None:
        source = FileSource(path, cache=False)
        source.build()
    app = make_player(source, at=at, paused=True, **kw)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        await asyncio.to_thread(app.engine.sync)
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await asyncio.to_thread(app.engine.sync)
            await pilot.pause()
        await pilot.pause()
        app.save_screenshot(f"player-{name}.svg", str(HERE))
    print(f"screenshots/player-{name}.svg")


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        incident = incident_cast(tmpdir / "incident.cast")
        await shoot("incident-timeline", incident, 0.0,
                    ["right_square_bracket"] * 4 + ["full_stop"])
        await shoot("vim-256-colours", CASTS / "asciinema" / "demo.cast", 5.0, [])
        await shoot("clipped-and-panned", wide_cast(tmpdir / "wide.cast"), 1.0,
                    ["ctrl+right", "ctrl+right", "ctrl+down"])
        await shoot("help", incident, 3.0, ["question_mark"], size=(110, 34))
        await shoot("speed-and-idle-limit", CASTS / "asciinema-player" / "long.cast", 6.0,
                    ["greater_than_sign", "greater_than_sign"], idle_limit=2.0)
        big = tmpdir / "big.cast"
        generate(big, 4, 0.3, seed=5)
        await shoot("indexing-a-big-file", big, 95.0, [], size=(130, 44),
                    source=HalfIndexed(big))


if __name__ == "__main__":
    asyncio.run(main())
