"""`coterm cat` and `coterm export`: raw output, conversions, one-line errors, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coterm_tui.cli import main
from coterm_tui.core.asciicast import open_cast
from tests.conftest import SHARED_CASTS

from .asciicast_helpers import V2_HEADER, V3_HEADER, read_all, write_lines

DEMO = SHARED_CASTS / "asciinema" / "demo.cast"


def test_cat_writes_the_output_bytes(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
                                     ) -> None:
    path = write_lines(tmp_path / "a.cast", V3_HEADER, '[1, "o", "h\\u00e9"]', '[1, "i", "x"]',
                       '[1, "r", "90x30"]', '[0, "o", "\\u001b[0m\\r\\n"]')
    assert main(["cat", str(path)]) == 0
    assert capsysbinary.readouterr().out == "hé\x1b[0m\r\n".encode()


def test_cat_of_a_real_cast(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["cat", str(DEMO)]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"\x1b]0;fish  /Users/sickill/code/asciinema/asciinema\x07")
    with open_cast(DEMO) as reader:
        expected = "".join(e.data for e in reader.events() if e.code == "o")
    assert out == expected.encode()


def test_cat_bad_line_is_one_line_error_after_the_good_output(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = write_lines(tmp_path / "b.cast", V2_HEADER, '[1, "o", "ok "]', "garbage")
    assert main(["cat", str(path)]) == 2
    captured = capsysbinary.readouterr()
    assert captured.out == b"ok "
    assert captured.err.decode() == f"coterm: {path}:3: not valid JSON (Expecting value)\n"


def test_cat_truncated_last_line_warns_and_succeeds(
        tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = write_lines(tmp_path / "t.cast", V3_HEADER, '[1, "o", "ok"]', '[1, "o", "cu',
                       newline_at_end=False)
    assert main(["cat", str(path)]) == 0
    captured = capsysbinary.readouterr()
    assert captured.out == b"ok"
    assert captured.err.decode().startswith(f"coterm: warning: {path}:3: the last line is")


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cat", "/no/such.cast"]) == 2
    assert capsys.readouterr().err == "coterm: /no/such.cast: no such file\n"
    assert main(["export", "/no/such.cast"]) == 2


@pytest.mark.parametrize("fmt,version", [("v3", 3), ("v2", 2)])
def test_export_converts_and_keeps_events(fmt: str, version: int, tmp_path: Path) -> None:
    out = tmp_path / "out.cast"
    assert main(["export", str(DEMO), "--format", fmt, "-o", str(out)]) == 0
    with open_cast(out) as reader:
        assert reader.version == version
        assert list(reader.events()) == read_all(DEMO)


def test_export_keeps_comments_in_v3(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.cast", V3_HEADER, "# why", '[1, "o", "a"]')
    out = tmp_path / "out.cast"
    assert main(["export", str(path), "-o", str(out)]) == 0
    assert out.read_text().splitlines()[1:] == ["# why", '[1.0, "o", "a"]']


def test_export_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", str(SHARED_CASTS / "asciinema" / "minimal-v1.json"), "-f", "v3"]) == 0
    assert capsysbinary.readouterr().out == (
        b'{"version":3,"term":{"cols":100,"rows":50}}\n[1.23, "o", "hello"]\n')


def test_export_txt_is_a_readable_transcript(tmp_path: Path,
                                            capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = write_lines(
        tmp_path / "t.cast", V3_HEADER,
        '[0.1, "o", "\\u001b]0;title\\u0007\\u001b[1;32m$\\u001b[0m ls\\r\\n"]',
        '[0.1, "o", "a  b\\r\\n10%\\r50%"]', '[0.1, "o", "\\r100%\\u001b["]',
        '[0.1, "o", "K\\r\\n\\u001b[?1049hvim\\u001b[?1049l$ "]',
    )
    assert main(["export", str(path), "-f", "txt"]) == 0
    assert capsysbinary.readouterr().out.decode() == (
        "$ ls\na  b\n100%\n[full-screen output omitted]\n$\n")


def test_export_bad_input_writes_nothing(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = write_lines(tmp_path / "b.cast", V3_HEADER, '[1, "o", "a"]', '[1, "r", "100000x2"]')
    out = tmp_path / "out.cast"
    out.write_text("previous")
    assert main(["export", str(path), "-o", str(out)]) == 2
    assert capsys.readouterr() == ("", f"coterm: {path}:3: cols 100000 is out of range 1..1000\n")
    assert out.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.cast", "out.cast"]
    assert main(["export", str(path)]) == 2
    assert capsys.readouterr().out == ""


def test_export_onto_itself_is_safe(tmp_path: Path) -> None:
    path = tmp_path / "self.cast"
    path.write_bytes(DEMO.read_bytes())
    assert main(["export", str(path), "-f", "v3", "-o", str(path)]) == 0
    assert read_all(path) == read_all(DEMO)


def test_real_command_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "r.cast"
    path.write_bytes(b"\x00\xff random \x80 bytes")
    for cmd in (["cat", str(path)], ["export", str(path), "-f", "txt"]):
        done = subprocess.run([sys.executable, "-m", "coterm_tui", *cmd], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 2
        assert done.stderr == f"coterm: {path}:1: not an asciicast file: invalid UTF-8 in " \
            "the header\n"
