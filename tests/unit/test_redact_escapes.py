"""Secrets inside escape sequences' text (window titles, cwd and hyperlink URLs,
DCS/APC/PM payloads) are masked; the sequences themselves stay intact."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coterm_tui.core.events import Output, Redaction
from coterm_tui.core.redact import MASK, StreamRedactor, load_redactor
from coterm_tui.core.redact.ansi import ESCAPE, strip

RED = load_redactor()
GHP = "ghp_" + "aB3dEfGh1jkLmNoPqRsTuVwXyZ0123456789"  # 40 characters
AWS = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Ta2Lk3v"
BEL, ST = "\x07", "\x1b\\"

# (text, secret that must disappear)
LEAKS = [
    (f"\x1b]0;export GITHUB_TOKEN={GHP}{BEL}$ ", GHP[4:]),
    (f"\x1b]2;export GITHUB_TOKEN={GHP}{ST}", GHP[4:]),
    (f"\x1b]1;{GHP}{BEL}", GHP[4:]),
    (f"\x1b]0;alice@web: AWS_SECRET_ACCESS_KEY={AWS} aws s3 ls{BEL}", AWS),
    (f"\x1b]7;file://host/tmp/{GHP}{BEL}", GHP[4:]),
    (f"\x1b]8;;https://alice:S3cr3tPassw0rd@db.example.com/{ST}db{ST[0]}]8;;{ST}",
     "S3cr3tPassw0rd"),
    (f"\x1b]8;;https://hooks.slack.com/services/T0123ABCD/B0123ABCD/"
     f"Zq9Xv2Kp7Lm4Rt8Wn3Yb6Hc1{BEL}hook\x1b]8;;{BEL}", "Zq9Xv2Kp7Lm4Rt8Wn3Yb6Hc1"),
    (f"\x1bPtmux;\x1b\x1b]0;export GITHUB_TOKEN={GHP}\x07{ST}", GHP[4:]),
    (f"\x1b_export DB_PASSWORD=hunter2hunter2{ST}", "hunter2hunter2"),
    (f"\x1b^Authorization: Bearer {GHP}{ST}", GHP[4:]),
    (f"\x1b[1m\x1b]0;{GHP}{BEL}\x1b[0m", GHP[4:]),
]


@pytest.mark.parametrize(("text", "secret"), LEAKS)
def test_secret_inside_a_string_sequence_is_masked(text: str, secret: str) -> None:
    out, findings = RED.mask(text)
    assert findings
    assert secret not in out and len(out) == len(text)
    # every escape sequence is still there, at the same place, with the same ends
    got = [(m.span(), m.group()[:2], m.group()[-1]) for m in ESCAPE.finditer(out)]
    want = [(m.span(), m.group()[:2], m.group()[-1]) for m in ESCAPE.finditer(text)]
    assert got == want
    for a, b in zip(text, out, strict=True):
        assert a == b or (b == MASK and a not in "\x1b\x07")


@pytest.mark.parametrize("text", [
    f"\x1b]0;alice@web: ~/src/coterm{BEL}",
    f"\x1b]7;file://web/home/alice/src{BEL}",
    f"\x1b]8;;https://github.com/acme/coterm/commit/3f2a9c0d1e{ST}3f2a9c0{ST[0]}]8;;{ST}",
    f"\x1b]133;A{BEL}$ \x1b]0;vim README.md{ST}",
    # images are binary data, not text: never masked (nor scanned)
    "\x1b_Gf=100,a=T;iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGA"
    f"Wjr7QxQz9Lm3Vb{ST}",
    f"\x1b]1337;File=inline=1:Zq9Xv2Kp7Lm4Rt8Wn3Yb6Hc1Jd5Fg0QsT4uV7wX2yA8bC5dE1f{BEL}",
    f"\x1bP0;0;8q\"1;1;2;2#0;2;0;0;0#0!2~{ST}",
])
def test_ordinary_sequences_are_untouched(text: str) -> None:
    assert RED.mask(text) == (text, [])


def test_payload_is_its_own_line_in_the_plain_text() -> None:
    text = f"before\x1b]0;title{BEL}after\x1b[1mbold\x1b[0m"
    plain = strip(text)
    assert plain.text == "before\n0;title\nafterbold"
    assert plain.to_original(0, len(plain.text)) == [(0, 6), (8, 15), (16, 21), (25, 29)]
    assert plain.to_original(6, 7) == []  # a separator has no original character


def _stream(text: str, cuts: list[int], pauses: list[bool]) -> tuple[str, list[Redaction]]:
    s = StreamRedactor(RED)
    events = []
    t, pos = 0.0, 0
    for i, cut in enumerate([*sorted(set(cuts)), len(text)]):
        t += 0.5 if i < len(pauses) and pauses[i] else 0.01
        events += s.poll(t) + s.push(t, text[pos:cut])
        pos = cut
    events += s.flush(t + 1)
    out = "".join(e.data for e in events if isinstance(e, Output))
    return out, [e for e in events if isinstance(e, Redaction)]


TITLES = st.sampled_from([
    f"\x1b]0;export GITHUB_TOKEN={GHP}{BEL}",
    f"\x1b]2;alice@web: export GITHUB_TOKEN={GHP}{ST}",
    f"\x1b]0;{GHP}{BEL}",
    f"\x1b]0;AWS_SECRET_ACCESS_KEY={AWS}{ST}",
])


@settings(max_examples=200, deadline=None)
@given(TITLES, st.sampled_from(["", "$ ", "\r\n", "\x1b[32mok\x1b[0m\r\n"]),
       st.sampled_from(["", "\x1b[1m", "done\r\n"]),
       st.lists(st.integers(0, 120), max_size=6), st.lists(st.booleans(), max_size=7))
def test_secret_in_a_title_split_anywhere_is_masked(title: str, before: str, after: str,
                                                   cuts: list[int], pauses: list[bool]) -> None:
    text = before + title + after
    out, redactions = _stream(text, [c for c in cuts if c < len(text)], pauses)
    assert len(out) == len(text)
    secret = GHP[4:] if GHP in title else AWS
    assert secret not in out
    for i in range(len(secret) - 5):  # not even a piece of it
        assert secret[i:i + 6] not in out
    assert redactions
    assert [m.span() for m in ESCAPE.finditer(out)] == [m.span() for m in ESCAPE.finditer(text)]


def test_an_endless_sequence_is_not_held_forever() -> None:
    s = StreamRedactor(RED, max_hold=256)
    events = s.push(0.0, "\x1b]0;" + "x" * 300) + s.poll(1.0)
    assert "".join(e.data for e in events if isinstance(e, Output)) == "\x1b]0;" + "x" * 300
    assert s.held == 0
    out = s.push(1.1, f" export GITHUB_TOKEN={GHP}{BEL}\r\n") + s.flush(2.0)
    text = "".join(e.data for e in out if isinstance(e, Output))
    assert GHP[4:] not in text and text.endswith(BEL + "\r\n")


ESC_PIECES = st.sampled_from([
    "\x1b", "\x1b[", "\x1b[1;31m", "\x1b[0m", "\x1b]", "\x1b]0;", "\x1b]8;;", "\x1bP", "\x1b_",
    "\x1b^", "\x1bX", "\x1b\\", "\x07", "\x1b(B", "1337;File=", "Ga=", "0;0q", "\n", "ghp_",
    "key=", "a", "漢", ";", "[",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(ESC_PIECES, st.text(max_size=6)), max_size=24).map("".join))
def test_plain_text_and_its_map_agree(text: str) -> None:
    """The fast substitutions give the text the map describes, character for character."""
    plain = strip(text)
    if "\x1b" in text:
        from coterm_tui.core.redact.ansi import Plain

        assert plain.text == Plain("", text)._build()
    for i, c in enumerate(plain.text):
        spans = plain.to_original(i, i + 1)
        if spans:
            assert len(spans) == 1 and spans[0][1] - spans[0][0] == 1
            assert text[spans[0][0]] == c
        else:
            assert c == "\n"
