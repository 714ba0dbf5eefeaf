"""Secrets inside window titles never reach the recording: a program sets the title to
command lines holding tokens (as zsh themes do), in pieces, and the real
``coterm record`` masks them in the file while the sequences stay intact."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coterm_tui.core.asciicast import open_cast
from coterm_tui.core.events import Output

from .recorder import COTERM

pytestmark = pytest.mark.e2e

SECRETS = [
    "ghp_" + "Zq9Xv2Kp7Lm4Rt8Wn3Yb6Hc1Jd5Fg0QsT4uV7w",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Ta2Lk3v",
    "xoxb-1234567890-0987654321-Zq9Xv2Kp7Lm4Rt8Wn3Yb6Hc1",
    "S3cr3tPassw0rd-41",
]
TITLES = [
    f"\x1b]0;export GITHUB_TOKEN={SECRETS[0]}\x07",
    f"\x1b]2;alice@web: AWS_SECRET_ACCESS_KEY={SECRETS[1]} aws s3 ls\x1b\\",
    f"\x1b]0;curl -H 'Authorization: Bearer {SECRETS[2]}' https://slack.com/api\x07",
    f"\x1b]0;mysql -u root --password={SECRETS[3]} prod\x07",
    f"\x1b]8;;https://admin:{SECRETS[3]}@db.example.com/\x1b\\db\x1b]8;;\x1b\\",
]
#: Writes each title (one per line of the file) in three pieces, then a prompt.
PROGRAM = """
import os, sys
for title in open(sys.argv[1], encoding="utf-8").read().split("\\n"):
    n = len(title)
    for piece in (title[: n // 3], title[n // 3: 2 * n // 3], title[2 * n // 3:]):
        os.write(1, piece.encode())
    os.write(1, b"$ ok\\r\\n")
"""


def test_no_secret_in_a_title_reaches_the_file(tmp_path: Path, coterm_home: Path):
    local = tmp_path / "titles.cast"
    titles = tmp_path / "titles.txt"
    titles.write_text("\n".join(TITLES), encoding="utf-8")
    env = {**os.environ, "COTERM_HOME": str(coterm_home)}
    run = subprocess.run(
        [*COTERM, "record", "--no-relay", "-f", str(local), "--",
         sys.executable, "-c", PROGRAM, str(titles)],
        stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr.decode()
    assert all(s in run.stdout.decode() for s in SECRETS)  # the terminal saw them
    with open_cast(local) as cast:
        recorded = "".join(e.data for e in cast.events() if isinstance(e, Output))
    raw = local.read_bytes()
    for secret in SECRETS:
        for i in range(0, len(secret) - 8, 4):  # no piece of it either
            piece = secret[i + 4:i + 12]
            assert piece not in recorded, f"a secret in a title reached the recording: {piece}"
            assert piece.encode() not in raw
    # every title is still there, masked in place: introducers and terminators intact
    assert recorded.count("\x1b]0;") == 3 and recorded.count("\x1b]2;") == 1
    assert recorded.count("\x1b]8;;") == 2 and recorded.count("$ ok") == len(TITLES)
    assert "export GITHUB_TOKEN=" in recorded and "*" * 20 in recorded


def test_no_secret_in_the_recorded_command_line(tmp_path: Path, coterm_home: Path):
    local = tmp_path / "cmd.cast"
    env = {**os.environ, "COTERM_HOME": str(coterm_home)}
    run = subprocess.run(
        [*COTERM, "record", "--no-relay", "-f", str(local), "--title", f"deploy {SECRETS[0]}",
         "--", "true", f"--password={SECRETS[3]}", f"postgres://admin:{SECRETS[3]}@db/x"],
        stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr.decode()
    raw = local.read_bytes()
    assert SECRETS[3].encode() not in raw and SECRETS[0][4:].encode() not in raw
    with open_cast(local) as cast:
        assert cast.header.command.startswith("true --password=*")
