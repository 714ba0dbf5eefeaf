"""Regenerate the expected screens ``NAME.txt`` from ``NAME.out`` (run by hand after a
reviewed change; then look at the diff!). The expected screens were checked against
tmux's emulator fed the same bytes (identical text in every row)."""

from __future__ import annotations

from pathlib import Path

from coterm_tui.core.terminal import Terminal

HERE = Path(__file__).parent


def frames(data: str) -> dict[str, str]:
    """The named points of a capture: halfway, the last full-screen frame, the end."""
    points = {"end": len(data), "middle": len(data) // 2}
    leave = data.rfind("\x1b[?1049l")
    if leave > 0:
        points["last frame"] = leave
    return {name: data[:cut] for name, cut in sorted(points.items())}


def screen(text: str) -> str:
    term = Terminal(80, 24)
    term.feed(text)
    x, y, visible = term.cursor
    head = f"# cursor {x},{y} {'visible' if visible else 'hidden'}"
    return "\n".join([head, *(f"|{row}" for row in term.text())])


def expected(data: str) -> str:
    return "".join(f"## {name}\n{screen(text)}\n" for name, text in frames(data).items())


def main() -> None:
    for out in sorted(HERE.glob("*.out")):
        data = out.read_bytes().decode("utf-8", "replace")
        out.with_suffix(".txt").write_text(expected(data), encoding="utf-8")


if __name__ == "__main__":
    main()
