"""Small generated recordings for the player's tests: every feature seeking must get
right (scrolling, colours, wide characters, resizes, alternate screen, full clears,
escape sequences split across events, markers, commands, notes)."""

from __future__ import annotations

import json
import random
from pathlib import Path

PIECES = [
    "plain line\r\n",
    "\x1b[31mred\x1b[0m and \x1b[1;4mbold underlined\x1b[m\r\n",
    "wide: 日本語テキスト 🙂\r\n",
    "\x1b[H\x1b[2J\x1b[7mtop\x1b[0m refreshed\r\n",
    "\x1b[?1049h\x1b[H\x1b[2Jeditor\x1b[5;3Hx",
    "\x1b[?1049l",
    "\x1b[3;3H\x1b[K\x1b[38;5;208morange\x1b[0m",
    "\x1b[2;5r\x1b[5;1H\n\n\x1b[r",
    "\x1b]0;a title\x07",
    "\x1b7saved\x1b8",
    "tab\tstop\x08\x08BS\r\n",
    "\x1b[38;2;1;2;3;48;5;17mtruecolour\x1b[0m",
    "\x1b[?25l", "\x1b[?25h",
    "\x1bcreset\r\n",
    "".join(f"log {i} \x1b[33mwarn\x1b[0m\r\n" for i in range(40)),
    "".join(f"\x1b[{y};1H\x1b[7mrow {y}\x1b[0m\x1b[K" for y in range(1, 12)),
]


def write_cast(path: Path, seed: int, events: int = 300, version: int = 3) -> Path:
    """A deterministic random recording of ``events`` lines."""
    rng = random.Random(seed)
    cols, rows = 40, 12
    if version == 3:
        header: dict[str, object] = {"version": 3, "term": {"cols": cols, "rows": rows}}
    else:
        header = {"version": 2, "width": cols, "height": rows}
    lines = [json.dumps(header)]
    t = 0.0
    carry = ""
    for i in range(events):
        gap = rng.choice((0.0, 0.01, 0.2, 1.0, 7.0))
        t += gap
        tt = round(gap if version == 3 else t, 6)
        roll = rng.random()
        if roll < 0.04:
            lines.append(json.dumps([tt, "r", f"{rng.randint(10, 60)}x{rng.randint(4, 20)}"]))
        elif roll < 0.08:
            lines.append(json.dumps([tt, "m", f"marker {i}"]))
        elif roll < 0.10:
            lines.append(json.dumps([tt, "C", json.dumps({"id": i, "line": f"cmd {i}",
                                                          "start": t})]))
        elif roll < 0.12:
            lines.append(json.dumps([tt, "i", "k"]))
        else:
            text = carry + "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))
            cut = rng.randint(0, len(text)) if rng.random() < 0.2 else len(text)
            text, carry = text[:cut], text[cut:]  # split sequences across events
            lines.append(json.dumps([tt, "o", text], ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
