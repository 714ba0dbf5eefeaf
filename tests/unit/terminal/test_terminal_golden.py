"""Golden tests: output captured from real programs (``tests/unit/golden/*.out``, made by
``capture.py`` in an 80×24 pty) gives the reviewed screens in ``*.txt`` (checked against
tmux's emulator), without emulator errors, stray sequence fragments, or a dump mismatch."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from coterm_tui.core.terminal import Terminal

GOLDEN = Path(__file__).parent.parent / "golden"
NAMES = sorted(p.stem for p in GOLDEN.glob("*.out"))
_spec = importlib.util.spec_from_file_location("golden_regen", GOLDEN / "regen.py")
assert _spec is not None and _spec.loader is not None
regen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regen)


def capture(name: str) -> str:
    return (GOLDEN / f"{name}.out").read_bytes().decode("utf-8", "replace")


def test_every_program_was_captured() -> None:
    programs = {"ls_color", "vim", "vim_scroll", "tmux_vim", "less", "htop", "top", "git_log"}
    assert programs <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_screens_match_the_reviewed_ones(name: str) -> None:
    expected = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    assert regen.expected(capture(name)) == expected


@pytest.mark.parametrize("name", NAMES)
def test_no_errors_no_stray_fragments_and_dump_matches_at_every_frame(name: str) -> None:
    data = capture(name)
    term = Terminal(80, 24)
    for start in range(0, len(data), 257):  # odd chunk size: splits sequences anywhere
        term.feed(data[start : start + 257])
        fresh = Terminal(80, 24)
        fresh.feed(term.dump())
        assert fresh.text() == term.text()
        assert [fresh.row(y) for y in range(24)] == [term.row(y) for y in range(24)]
        assert fresh.cursor == term.cursor
        screen = "\n".join(term.text())
        assert not re.search(r"\[[>?]?[0-9;]+[a-zA-Z]|4;2m|\x1b|\ufffd", screen), screen
    assert term.errors == 0


def test_vim_colours_and_modes() -> None:
    term = Terminal(80, 24)
    data = capture("vim")
    term.feed(data[: data.rfind("\x1b[?1006;1000l")])  # before vim starts quitting
    assert term.alt_screen
    row = term.row(6)  # "  7 def main(argv: list[str]) -> int:"
    assert "".join(c.data for c in row[4:7]) == "def"
    assert row[4].fg == "af5f00"  # CSI 38;5;130 m
    assert not any(c.underscore for y in range(24) for c in term.row(y))  # CSI > 4;2 m
    assert term.text()[0].endswith("中文 and emoji 😀")
    assert term.modes >= {2004 << 5, 1000 << 5, 1 << 5}  # bracketed paste, mouse, app cursor
    term.feed(data[data.rfind("\x1b[?1006;1000l") :])
    assert not term.alt_screen and 1 << 5 not in term.modes


def test_ls_colours() -> None:
    term = Terminal(80, 24)
    term.feed(capture("ls_color"))
    text = term.text()
    y = next(i for i, line in enumerate(text) if line.endswith("run.sh"))
    cell = term.row(y)[text[y].index("run.sh")]
    assert (cell.fg, cell.bold) == ("green", True)
