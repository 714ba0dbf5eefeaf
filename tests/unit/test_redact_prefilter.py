"""The prefilter (``core/redact/prefilter.py``) only saves work: with it, ``Redactor.find``
gives exactly what the slow path (the same redactor with the prefilter off) gives — on
texts full of SGR sequences, anchors and tokens split by them, other escape sequences,
non-ASCII and the two characters whose ``str.lower`` is ASCII (K, İ)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.bench_record import coloured_block
from coterm_tui.core.redact import Redactor, StreamRedactor, load_redactor
from tests.redact_corpus.scoring import load

FAST = load_redactor()
SLOW = load_redactor()
SLOW._prefilter.enabled = False

SGRS = ["\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[01;34m", "\x1b[38;5;208m", "\x1b[m", "\x1b[;1m"]
OTHER_ESCAPES = ["\x1b[2M", "\x1b[K", "\x1b[?25h", "\x1b]0;password=hunter22\x07", "\x1b(B",
                 "\x1b5[m", "\x1b[3→m", "\x1b[3", "\x1b", "\x1b\x1b[0m", "\x1bP1$r0m\x1b\\"]
PIECES = st.sampled_from([
    *SGRS, *SGRS, *OTHER_ESCAPES, "ghp_", "glpat-", "xoxb-", "AKIA", "eyJ", "password", "pw",
    "PASS", "key", "token", "secret", "auth", "sig", "://", " -p", "curl -u ", "mysql -p",
    "sshpass -p ", "Bearer ", "-----BEGIN RSA PRIVATE KEY-----", "identified by ", "=", ":",
    " ", "\n", "\r\n", '"', "'", ";", "[", "m", "M", "0", "7", "?", "é", "漢", "→", "\u212a",
    "\u0130", "ı", "ſ", "Zq9Xv2Kp7Lm4Rt8Wn3Yb6Hc1", "a3f09c" * 4, "0123456789abcdef",
])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)


def _same(text: str) -> None:
    assert FAST.find(text) == SLOW.find(text), repr(text)
    assert FAST.find(text, entropy=False) == SLOW.find(text, entropy=False), repr(text)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_same_findings_as_the_slow_path(text: str) -> None:
    _same(text)


def test_every_escape_at_every_place_in_secret_lines() -> None:
    rnd = random.Random(1)
    lines = rnd.sample([r["text"] for r in load() if r["secrets"] and len(r["text"]) < 90], 12)
    lines += ["pass=hunter22x", "curl -u bob:s3cr3t-pw https://h/", "ghp_" + "Zq9Xv2Kp7L" * 4]
    for line in lines:
        for esc in (*SGRS, *OTHER_ESCAPES):
            for i in range(len(line) + 1):
                _same(line[:i] + esc + line[i:])


def _sgr_everywhere(text: str, rnd: random.Random, rate: float) -> str:
    """``text`` with SGR sequences inserted between random characters (inside words,
    secrets and anchors too)."""
    out = []
    for c in text:
        if rnd.random() < rate:
            out.append(rnd.choice(SGRS))
        out.append(c)
    return "".join(out)


def test_corpus_with_colours_inserted_anywhere() -> None:
    rnd = random.Random(3)
    lines = [r["text"] for r in load()]
    for line in lines:
        _same(_sgr_everywhere(line, rnd, 0.1))
    # long texts (the per-byte anchor check runs from 4,096 characters)
    for start in range(0, len(lines), 40):
        block = "\n".join(lines[start:start + 40])
        _same(_sgr_everywhere(block, rnd, 0.05))
        _same(block)


def test_long_coloured_text_with_secrets_spliced_in() -> None:
    rnd = random.Random(5)
    coloured = coloured_block().decode()[:40_000]
    secrets = [r["text"] for r in load() if r["secrets"]]
    hits = 0
    for _ in range(40):
        pos = coloured.index("\n", rnd.randrange(len(coloured) - 200)) + 1
        secret = _sgr_everywhere(rnd.choice(secrets), rnd, 0.05)
        text = coloured[:pos] + secret + "\n" + coloured[pos:]
        found = FAST.find(text)
        assert found == SLOW.find(text)
        hits += bool(found)
    assert hits >= 36


def test_plain_coloured_text_takes_the_fast_way() -> None:
    text = coloured_block().decode()[:65536]
    hint = FAST._prefilter.screen(text, text.encode("latin-1", "replace"))
    assert hint is not None and not hint.anchors and hint.plain is None
    assert FAST.find(text) == SLOW.find(text) == []


def test_coloured_long_words_are_checked_exactly() -> None:
    # runs of token characters made 16+ long only by the SGR sequences around them
    words = "\x1b[01;34mdirectory\x1b[0m  \x1b[01;32mexecutable\x1b[0m  "
    text = words * 500
    hint = FAST._prefilter.screen(text, text.encode("latin-1", "replace"))
    assert hint is not None and hint.plain is None
    for sep in ("", "\x1b[0m", "\x1b[1;31m"):
        text = words * 20 + "ghp_" + sep + "Zq9Xv2Kp7Lm4Rt8Wn3Yb6Hc1Jd5Fg0Qs" + words * 20
        assert FAST.find(text) == SLOW.find(text) != []


def test_stream_output_unchanged() -> None:
    rnd = random.Random(8)
    lines = [_sgr_everywhere(r["text"], rnd, 0.05) for r in load()]
    text = "\r\n".join(lines)

    def run(red: Redactor) -> list[object]:
        s = StreamRedactor(red)
        out: list[object] = []
        pos = 0
        for n in (1, 7, 64, 300, 4096, 512, 9000) * 30:
            out += s.push(pos * 1e-6, text[pos:pos + n])
            pos += n
        return out + s.flush(1e9)

    assert run(FAST) == run(SLOW)


def test_user_anchors_holding_sgr_bytes() -> None:
    """An anchor holding a byte of SGR sequences turns the prefilter off (unless it
    contains a shorter anchor, which is what gets searched: ``key;`` -> ``key``)."""
    for word, on in (("m3sh_", False), ("[x", False), ("key;", True)):
        config = {"rules": [{"name": "r", "pattern": word.replace("[", r"\[") + "[a-z]{8}",
                             "keywords": [word]}]}
        fast, slow = load_redactor(config), load_redactor(config)
        slow._prefilter.enabled = False
        assert fast._prefilter.enabled is on
        for sgr in ("", "\x1b[1m", "\x1b[0m\x1b[31m"):
            text = "x " * 3000 + sgr + word[:2] + sgr + word[2:] + sgr + "abcdefgh\n"
            assert fast.find(text) == slow.find(text)
            assert fast.find(text[-40:]) == slow.find(text[-40:])
