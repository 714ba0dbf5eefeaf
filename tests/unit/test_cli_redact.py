"""`coterm redact`: rewrite a recording, filter stdin, --check, config errors."""

from __future__ import annotations

import os
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest

from coterm_tui.cli import main
from coterm_tui.core.asciicast import CastWriter, open_cast
from coterm_tui.core.errors import RedactConfigError
from coterm_tui.core.events import Exit, Header, Input, Marker, Output, Redaction, Resize
from coterm_tui.core.redact import load_redactor

R = random.Random(11)
GH = "ghp_" + "".join(R.choice(string.ascii_letters + string.digits) for _ in range(36))
STRIPE = "sk_live_" + "".join(R.choice(string.ascii_letters + string.digits) for _ in range(24))


def _cast(path: Path) -> Path:
    with CastWriter(path, Header(cols=80, rows=24)) as w:
        w.write(Output(0.1, "$ "))
        w.write(Input(0.5, "export TOKEN=" + GH[:10]))
        w.write(Input(0.6, GH[10:] + "\r"))
        w.write(Output(0.7, "export TOKEN=" + GH[:9]))
        w.write(Output(0.8, GH[9:] + "\r\n$ "))
        w.write(Resize(1.0, 100, 30))
        w.write(Marker(1.5, "deploy"))
        w.write(Output(2.0, f"\x1b[32m{STRIPE}\x1b[0m\r\n"))
        w.write(Redaction(2.1, "hidden-input", 8, "i"))
        w.write(Exit(3.0, 0))
    return path


def _coterm(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "coterm_tui", "redact", *args], input=stdin,
                          capture_output=True, timeout=60, env=os.environ.copy(), check=False)


def test_rewrite_masks_output_and_input_and_keeps_the_rest(tmp_path: Path) -> None:
    src = _cast(tmp_path / "in.cast")
    out = tmp_path / "out.cast"
    assert main(["redact", str(src), "-o", str(out)]) == 0
    raw = out.read_text()
    assert GH[4:] not in raw and GH[12:] not in raw and STRIPE[8:] not in raw
    with open_cast(out) as reader:
        events = list(reader.events())
    kinds = [e.code for e in events]
    assert kinds.count("r") == 1 and kinds.count("m") == 1 and kinds[-1] == "x"
    output = "".join(e.data for e in events if isinstance(e, Output))
    assert output == ("$ export TOKEN=" + "*" * len(GH) + "\r\n$ \x1b[32msk_"
                      + "*" * (len(STRIPE) - 3) + "\x1b[0m\r\n")
    typed = "".join(e.data for e in events if isinstance(e, Input))
    assert len(typed) == len("export TOKEN=" + GH + "\r") and GH[6:] not in typed
    rules = [(e.rule, e.stream) for e in events if isinstance(e, Redaction)]
    assert ("hidden-input", "i") in rules and ("stripe-key", "o") in rules
    assert any(s == "i" and r != "hidden-input" for r, s in rules)
    times = [e.t for e in events]
    assert times == sorted(times)


def test_check_lists_findings_without_secrets(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    src = _cast(tmp_path / "in.cast")
    assert main(["redact", "--check", str(src)]) == 1
    out = capsys.readouterr()
    assert "stripe-key" in out.out and GH[4:12] not in out.out + out.err
    assert "findings" in out.err
    masked = tmp_path / "m.cast"
    assert main(["redact", str(src), "-o", str(masked)]) == 0
    assert main(["redact", "--check", str(masked)]) == 0


def test_stdin_filter_keeps_every_byte_but_secrets() -> None:
    data = (b"plain \xff\xfe bytes\nexport GITHUB_TOKEN=" + GH.encode() + b"\n"
            + "h\u00e9llo \u6f22\n".encode() + b"PGPASSWORD=hunter22 psql\nno newline at end")
    res = _coterm("-", stdin=data)
    assert res.returncode == 0, res.stderr
    assert len(res.stdout) == len(data)
    assert res.stdout.replace(b"*", b"") == data.replace(GH.encode(), b"").replace(
        b"hunter22", b"")
    assert b"\xff\xfe" in res.stdout


def test_stdin_filter_streams_large_input() -> None:
    line = b"build ok src/module.py:12 passed in 0.1s\n"
    data = line * 40000 + b"key=" + GH.encode() + b"\n"
    res = _coterm("-", stdin=data)
    assert res.returncode == 0
    assert res.stdout[:-len(GH) - 1] == data[:-len(GH) - 1]
    assert GH.encode() not in res.stdout


def test_check_on_stdin_exit_status() -> None:
    assert _coterm("--check", "-", stdin=b"nothing to see\n").returncode == 0
    res = _coterm("--check", "-", stdin=b"a\nb\ncurl -u bob:s3cretPw https://x\n")
    assert res.returncode == 1
    assert b"curl-user" in res.stdout and b"s3cretPw" not in res.stdout
    assert res.stdout.split(b"\n")[1].split()[0] == b"3"  # the line number


def test_bad_regex_in_config_is_one_line_error(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[redact]\nrules = [{name = "x", pattern = "a(b"}]\n')
    res = _coterm("--config", str(cfg), "-", stdin=b"x\n")
    assert res.returncode == 2
    err = res.stderr.decode().strip()
    assert err.startswith("coterm: ") and "bad regex" in err and "\n" not in err


def test_user_rules_from_config_file(tmp_path: Path, coterm_home: Path) -> None:
    (coterm_home / "config.toml").write_text(
        '[redact]\nallowlist = ["^hunter22$"]\n'
        '[[redact.rules]]\nname = "acme"\npattern = "acme_[a-z0-9]{16}"\nkeywords = ["acme_"]\n')
    res = _coterm("-", stdin=b"id acme_0123456789abcdef\nPGPASSWORD=hunter22\n")
    assert res.stdout == b"id " + b"*" * 21 + b"\nPGPASSWORD=hunter22\n"


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _cast(tmp_path / "in.cast")
    assert main(["redact", str(src)]) == 2
    assert main(["redact", str(src), "-o", str(src)]) == 2
    assert main(["redact", str(tmp_path / "missing.cast"), "-o", "x"]) == 2
    assert main(["redact", "-", "-o", "x.cast"]) == 2
    err = capsys.readouterr().err
    assert all(line.startswith("coterm: ") for line in err.strip().splitlines())


@pytest.mark.parametrize(("config", "message"), [
    ({"rules": [{"name": "x", "pattern": "("}]}, "bad regex"),
    ({"rules": [{"pattern": "x"}]}, "name"),
    ({"rules": [{"name": "x", "pattern": "x", "keywords": "x"}]}, "keywords"),
    ({"rules": "x"}, "list"),
    ({"allowlist": ["["]}, "bad regex"),
    ({"colour": True}, "unknown key"),
    ({"entropy": "yes"}, "entropy"),
])
def test_config_errors(config: dict[str, object], message: str) -> None:
    with pytest.raises(RedactConfigError, match=message):
        load_redactor(config)


def test_config_rule_without_keywords_scans_everything() -> None:
    red = load_redactor({"rules": [{"name": "emp", "pattern": r"EMP-(\d{6})"}],
                         "entropy": False})
    assert red.mask("badge EMP-123456 ok") == ("badge EMP-****** ok", red.find(
        "badge EMP-123456 ok"))
