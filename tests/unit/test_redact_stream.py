"""StreamRedactor: secrets split across reads, escape sequences, CRLF, key blocks,
bounded holding, and the hidden-input marker."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coterm_tui.core.events import Event, Input, Output, Redaction
from coterm_tui.core.redact import StreamRedactor, hidden_input_event, load_redactor
from tests.redact_corpus.scoring import load

RED = load_redactor()
R = random.Random(5)
GH = "ghp_" + "".join(R.choice(string.ascii_letters + string.digits) for _ in range(36))


def text_of(events: list[Event]) -> str:
    return "".join(e.data for e in events if isinstance(e, (Output, Input)))


def run(chunks: list[str], stream: str = "o", polls: bool = False) -> list[Event]:
    s = StreamRedactor(RED, stream)
    out: list[Event] = []
    t = 0.0
    for chunk in chunks:
        t += 0.5 if polls else 0.01
        if polls:
            out += s.poll(t)
        out += s.push(t, chunk)
    return out + s.flush(t + 1)


def _sample_text(seed: int) -> str:
    rows = load()
    rnd = random.Random(seed)
    picked = rnd.sample(rows, 12)
    sep = rnd.choice(["\n", "\r\n"])
    return sep.join(r["text"].replace("\n", sep) for r in picked) + sep


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), cuts=st.lists(st.integers(0, 20_000), max_size=12))
def test_any_split_masks_like_the_whole_text(seed: int, cuts: list[int]) -> None:
    text = _sample_text(seed)
    points = sorted({c % (len(text) + 1) for c in cuts})
    chunks = [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]
    out = text_of(run([c for c in chunks if c]))
    assert out == RED.mask(text)[0]


def test_secret_split_across_reads() -> None:
    events = run(["export GITHUB_TOKEN=gh", GH[2:20], GH[20:] + "\r\n"])
    assert GH[4:] not in text_of(events)
    assert text_of(events) == "export GITHUB_TOKEN=" + "*" * len(GH) + "\r\n"
    assert [e.rule for e in events if isinstance(e, Redaction)] == ["secret-assignment"]


def test_colour_codes_around_and_inside_the_secret_are_kept() -> None:
    text = f"token \x1b[32m{GH[:10]}\x1b[1m{GH[10:]}\x1b[0m done\r\n"
    for cut in range(1, len(text)):
        out = text_of(run([text[:cut], text[cut:]]))
        assert out.count("\x1b[32m") == 1 and out.count("\x1b[1m") == 1
        assert "\x1b[0m done\r\n" in out
        assert GH[5:] not in out.replace("\x1b[1m", "")
        assert len(out) == len(text)


def test_partial_line_is_held_then_released_by_poll() -> None:
    s = StreamRedactor(RED, hold=0.3)
    assert s.push(1.0, "$ ") == []
    assert s.held == 2
    assert s.deadline == 1.3
    assert s.poll(1.2) == []
    assert s.poll(1.35) == [Output(1.35, "$ ")]
    assert s.held == 0 and s.deadline is None


def test_released_tail_that_starts_a_secret_is_masked() -> None:
    s = StreamRedactor(RED, hold=0.3)
    out = s.push(0.0, "$ export API_TOKEN=" + GH[:12])
    out += s.poll(0.5)
    first = text_of(out)
    assert GH[:12] not in first and first.startswith("$ export API_TOKEN=")
    out += s.push(1.0, GH[12:] + "\r\n")
    out += s.flush(2.0)
    assert GH[4:] not in text_of(out) and GH[20:] not in text_of(out)
    assert len(text_of(out)) == len("$ export API_TOKEN=" + GH + "\r\n")


def test_typed_input_char_by_char_with_polls() -> None:
    typed = f"export GITHUB_TOKEN={GH}\r"
    s = StreamRedactor(RED, "i", hold=0.3)
    out: list[Event] = []
    t = 0.0
    for ch in typed:
        t += 0.4  # slow typist: every poll releases
        out += s.poll(t)
        out += s.push(t, ch)
    out += s.flush(t + 1)
    got = text_of(out)
    assert all(isinstance(e, (Input, Redaction)) for e in out)
    assert len(got) == len(typed) and GH[5:] not in got
    assert got.startswith("export ")


def test_private_key_across_pushes_and_polls() -> None:
    body = [("".join(R.choice(string.ascii_letters + "+/") for _ in range(64))) for _ in range(8)]
    text = ("$ cat key\r\n-----BEGIN OPENSSH PRIVATE KEY-----\r\n" + "\r\n".join(body)
            + "\r\n-----END OPENSSH PRIVATE KEY-----\r\n$ ")
    for step in (7, 50, 200):
        chunks = [text[i:i + step] for i in range(0, len(text), step)]
        out = text_of(run(chunks, polls=True))
        assert len(out) == len(text)
        assert "-----BEGIN OPENSSH PRIVATE KEY-----" in out
        assert "-----END OPENSSH PRIVATE KEY-----" in out or step == 7
        assert not any(line[8:] in out for line in body)
        assert out.count("\r\n") == text.count("\r\n")


def test_holding_is_bounded_in_size() -> None:
    s = StreamRedactor(RED, max_hold=1024)
    out = s.push(0.0, "x" * 5000)
    assert text_of(out) == "x" * 5000 and s.held == 0


def test_partial_escape_is_never_split() -> None:
    s = StreamRedactor(RED, hold=0.3)
    s.push(0.0, "abc \x1b[3")
    out = s.poll(1.0)
    assert text_of(out) == "abc "
    assert s.held == 3


def test_redaction_lengths_count_masked_characters() -> None:
    text = f"a={GH}\r\nPGPASSWORD=hunter22 psql\r\n"
    events = run([text])
    masked = text_of(events).count("*")
    assert sum(e.length for e in events if isinstance(e, Redaction)) == masked
    assert all(e.stream == "o" for e in events if isinstance(e, Redaction))


def test_hidden_input_event() -> None:
    assert hidden_input_event(2.5, 8) == Redaction(2.5, "hidden-input", 8, "i")


DO = "dop_v1_" + "2c0c15a54d" * 6 + "2c0c"
AWS = "+5ghx6c/D0w43jEyNT322kL+31ur0bQ9xZ2LmAbc"


@pytest.mark.parametrize(("line", "secret"), [
    ("$ mysql -uadmin -p'Zs1Xkgx3!sLdp' -e 'show databases'\r\n", "Zs1Xkgx3!sLdp"),
    ("postgres://jenkins:Ahu0JJ/MXjcle@db:5432/app\r\n", "Ahu0JJ/MXjcle"),
    ("$ doctl auth init -t " + DO + "\r\n", DO),
    ("AWS Secret Access Key [None]: " + AWS + "\r\n", AWS),
    ("key AGE-SECRET-KEY-1" + "QX7" * 20 + "\r\n", "AGE-SECRET-KEY-1" + "QX7" * 20),
    ("Your API key is 5fBdludP0L7AmmXBQYl0DiDYI7ZgZR\r\n", "5fBdludP0L7AmmXBQYl0DiDYI7ZgZR"),
])
def test_line_paused_inside_a_secret_is_still_masked(line: str, secret: str) -> None:
    start = line.index(secret)
    for cut in range(start + 1, start + len(secret), 3):
        s = StreamRedactor(RED, hold=0.3)
        out = s.push(0.0, line[:cut]) + s.poll(1.0) + s.push(2.0, line[cut:]) + s.flush(3.0)
        got = text_of(out)
        assert len(got) == len(line)
        readable = [i for i in range(start, start + len(secret)) if got[i] != "*"]
        assert readable == list(range(start, start + len(readable))) and len(readable) <= 4, got
