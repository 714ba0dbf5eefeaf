"""``coterm play`` argument handling and ``coterm snapshot`` end to end (no TUI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coterm_tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exc:  # argparse: --help, usage errors
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_play_help_lists_the_keys(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "play", "--help")
    assert status == 0
    for text in ("--speed", "--idle-limit", "--at", "space pause/resume", "[ / ]", "? help"):
        assert text in out


@pytest.mark.parametrize("args", [["--speed", "0"], ["--speed", "fast"], ["--at", "1:75"],
                                  ["--idle-limit", "-1"]])
def test_play_rejects_bad_options(capsys: pytest.CaptureFixture[str], shared_casts: Path,
                                  args: list[str]) -> None:
    status, _, err = run(capsys, "play", str(shared_casts / "asciinema" / "demo.cast"), *args)
    assert status == 2 and "error" in err and "Traceback" not in err


def test_play_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "play", str(tmp_path / "nope.cast"))
    assert status == 2 and err.startswith("coterm: ") and "no such file" in err


def test_snapshot_text_at_a_time(capsys: pytest.CaptureFixture[str], shared_casts: Path) -> None:
    status, out, _ = run(capsys, "snapshot", str(shared_casts / "asciinema" / "demo.cast"),
                         "--at", "0:05")
    assert status == 0
    assert "VIM - Vi IMproved" in out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_snapshot_ansi_and_svg(capsys: pytest.CaptureFixture[str], shared_casts: Path,
                               tmp_path: Path) -> None:
    cast = str(shared_casts / "asciinema-player" / "rgb.cast")
    status, out, _ = run(capsys, "snapshot", cast, "--at", "end", "--format", "ansi")
    assert status == 0 and "\x1b[" in out
    svg = tmp_path / "screen.svg"
    status, out, _ = run(capsys, "snapshot", cast, "--at", "end", "--format", "svg",
                         "-o", str(svg))
    assert status == 0 and out == "" and svg.read_text().lstrip().startswith("<")


def test_snapshot_past_the_end_is_an_error(capsys: pytest.CaptureFixture[str],
                                           shared_casts: Path) -> None:
    status, _, err = run(capsys, "snapshot", str(shared_casts / "asciinema" / "demo.cast"),
                         "--at", "1:00")
    assert status == 2 and "past the end" in err and "--at end" in err


def test_snapshot_bad_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.cast"
    path.write_text('{"version": 2, "width": 20, "height": 3}\n[0.5, "o", "fine"]\n'
                    'garbage\n[2.0, "o", "x"]\n')
    status, out, _ = run(capsys, "snapshot", str(path), "--at", "0.4")
    assert status == 0 and out.strip() == ""  # the next good event is after T
    for at in ("1", "end"):  # the screen at T may depend on the bad line: refuse
        status, _, err = run(capsys, "snapshot", str(path), "--at", at)
        assert status == 2 and f"{path}:3:" in err and "Traceback" not in err


def test_snapshot_bad_time(capsys: pytest.CaptureFixture[str], shared_casts: Path) -> None:
    status, _, err = run(capsys, "snapshot", str(shared_casts / "asciinema" / "demo.cast"),
                         "--at", "soon")
    assert status == 2 and "soon" in err
