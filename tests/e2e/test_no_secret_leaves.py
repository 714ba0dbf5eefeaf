"""Secrets never leave the machine: every secret in the labelled corpus, printed by a
recorded program, is masked in the local recording, in what the relay received over
the wire and stored, and in the relay's export — checked on the real ``coterm record``
streaming to the embedded relay."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from .recorder import COTERM

pytestmark = pytest.mark.e2e

CORPUS = Path(__file__).parents[1] / "redact_corpus" / "corpus.jsonl"
#: A readable vendor prefix (``ghp_``, ``AKIA``) may stay visible.
PREFIX = 4
#: Shorter leftovers of a secret (a line of a key block split at a boundary) prove nothing.
MIN_FRAGMENT = 6


def secret_fragments(entries: list[dict]) -> list[str]:
    out = []
    for entry in entries:
        for start, end in entry["secrets"]:
            secret = entry["text"][start:end][PREFIX:]
            out += [f.strip() for f in re.split(r"[\r\n]+", secret)
                    if len(f.strip()) >= MIN_FRAGMENT]
    return out


def test_no_corpus_secret_reaches_the_file_or_the_relay(tmp_path: Path, coterm_home: Path):
    entries = [json.loads(line) for line in CORPUS.read_text().splitlines()]
    entries = [e for e in entries if e["secrets"]]
    assert len(entries) >= 300
    printed = tmp_path / "secrets.txt"
    printed.write_text("\n".join(e["text"] for e in entries) + "\n")
    local = tmp_path / "local.cast"
    env = {**os.environ, "COTERM_HOME": str(coterm_home)}
    run = subprocess.run([*COTERM, "record", "-f", str(local), "--", "cat", str(printed)],
                         stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=120)
    try:
        assert run.returncode == 0, run.stderr.decode()
        sid = re.search(rb"coterm watch ([a-z0-9]+)", run.stderr).group(1).decode()
        # The user's own terminal saw the secrets unmasked: coterm never alters the screen.
        fragments = secret_fragments(entries)
        assert all(f in run.stdout.decode() for f in fragments[:50])

        recorded = subprocess.run([*COTERM, "cat", str(local)], capture_output=True, env=env,
                                  timeout=60).stdout.decode()
        exported = subprocess.run([*COTERM, "cat", sid], capture_output=True, env=env,
                                  timeout=60)
        assert exported.returncode == 0, exported.stderr.decode()
        relay_text = exported.stdout.decode()
        assert len(recorded) == len(relay_text) > 0  # masks keep every character's place
        stored = b"".join(p.read_bytes() for p in (coterm_home / "relay").rglob("*")
                          if p.is_file())
        for fragment in fragments:
            assert fragment not in recorded, "a secret reached the local recording"
            assert fragment not in relay_text, "a secret reached the relay's export"
            assert fragment.encode() not in stored, "a secret reached the relay's store"
            assert fragment.encode() not in local.read_bytes()
    finally:
        subprocess.run([*COTERM, "relay", "stop"], capture_output=True, env=env, timeout=60)
