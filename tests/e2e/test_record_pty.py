"""``coterm record`` end to end on a PTY: hidden input, pipes, signals, faults, markers."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from coterm_tui.core.events import Command, Exit, Input, Marker, Output, Redaction

from .recorder import COTERM, PtyRecorder, finished, read_cast

pytestmark = pytest.mark.e2e

Start = Callable[..., PtyRecorder]


@pytest.fixture
def pty_record() -> Iterator[Start]:
    """Starts recorders on PTYs; whatever a failing test leaves running is ended."""
    started: list[PtyRecorder] = []

    def start(*args: str, **kwargs: Any) -> PtyRecorder:
        started.append(PtyRecorder(*args, **kwargs))
        return started[-1]

    yield start
    for rec in started:
        rec.close()


def text_of(events, cls) -> str:
    return "".join(e.data for e in events if isinstance(e, cls))


def test_input_typed_with_echo_off_is_never_stored(pty_record: Start, tmp_path: Path) -> None:
    cast = tmp_path / "pw.cast"
    rec = pty_record("--file", str(cast), "--", "sh", "-c",
                      'stty -echo; printf "Pass""word: "; read x; stty echo; echo; '
                      'echo "got ${#x}"; read y; echo "then $y"')
    rec.read_until(b"Password: ")
    rec.type(b"hunter2\r")
    rec.read_until(b"got 7")
    rec.type(b"visible\r")
    rec.read_until(b"then visible")
    assert rec.wait() == 0
    header, events = read_cast(cast)
    assert "hunter2" not in text_of(events, Input) + text_of(events, Output)
    assert Redaction in {type(e) for e in events}
    hidden = [e for e in events if isinstance(e, Redaction) and e.rule == "hidden-input"]
    assert sum(e.length for e in hidden) == len(b"hunter2\r") and hidden[0].stream == "i"
    assert "visible" in text_of(events, Input)
    assert events[-1] == Exit(events[-1].t, 0)
    assert header.coterm["tty"] and header.command.startswith("sh -c ")


def test_without_a_terminal_output_is_still_recorded(tmp_path: Path) -> None:
    cast = tmp_path / "ci.cast"
    out = subprocess.run([*COTERM, "record", "--file", str(cast), "--no-input", "--",
                          "sh", "-c", "read line; echo \"read: $line\"; exit 5"],
                         input=b"hello\n", capture_output=True, timeout=60)
    assert out.returncode == 5
    assert b"read: hello" in out.stdout
    assert b"recording session" in out.stderr and str(cast).encode() in out.stderr
    _, events = read_cast(cast)
    assert "read: hello" in text_of(events, Output)
    assert text_of(events, Input) == ""
    assert events[-1].status == 5  # type: ignore[union-attr]


def test_a_program_killed_by_a_signal_exits_128_plus_signal(tmp_path: Path) -> None:
    out = subprocess.run([*COTERM, "record", "--file", str(tmp_path / "k.cast"), "--",
                          "sh", "-c", "kill -TERM $$"], stdin=subprocess.DEVNULL,
                         capture_output=True, timeout=60)
    assert out.returncode == 143


def test_hangup_ends_the_session_and_finalises_the_file(pty_record: Start, tmp_path: Path) -> None:
    cast = tmp_path / "hup.cast"
    rec = pty_record("--file", str(cast), "--", "sh", "-c", "echo ready; sleep 60")
    rec.read_until(b"ready")
    rec.hang_up()
    assert rec.wait() == 129
    _, events = read_cast(cast)
    assert isinstance(events[-1], Exit) and events[-1].status == 129
    assert "ready" in text_of(events, Output)


def test_closing_the_terminal_ends_the_session_and_finalises_the_file(
        pty_record: Start, tmp_path: Path) -> None:
    cast = tmp_path / "closed.cast"
    rec = pty_record("--file", str(cast), "--", "sh", "-c", "echo ready; sleep 60")
    rec.read_until(b"ready")
    rec.close_terminal()
    assert rec.wait() == 129
    _, events = read_cast(cast)
    assert isinstance(events[-1], Exit) and events[-1].status == 129


def test_markers_from_coterm_mark(tmp_path: Path) -> None:
    cast = tmp_path / "m.cast"
    mark = " ".join(COTERM) + " mark"
    out = subprocess.run([*COTERM, "record", "--file", str(cast), "--", "sh", "-c",
                          f"{mark} db is back && echo marked"],
                         stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    _, events = read_cast(cast)
    assert Marker in {type(e) for e in events}
    assert [e.label for e in events if isinstance(e, Marker)] == ["db is back"]


def test_nested_recording_is_refused_unless_forced(tmp_path: Path) -> None:
    env = {**os.environ, "COTERM_SESSION_ID": "abc123"}
    out = subprocess.run([*COTERM, "record", "--file", str(tmp_path / "n.cast"), "--", "true"],
                         env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.decode().startswith("coterm: already recording (session abc123)")
    assert "Traceback" not in out.stderr.decode()
    forced = subprocess.run([*COTERM, "record", "--force", "--file", str(tmp_path / "n.cast"),
                             "--", "true"], env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, timeout=60)
    assert forced.returncode == 0


def test_an_unwritable_recording_warns_or_with_strict_refuses(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    target = blocker / "x.cast"
    loose = subprocess.run([*COTERM, "record", "--file", str(target), "--", "sh", "-c",
                            "echo still works; exit 4"], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60)
    assert loose.returncode == 4 and b"still works" in loose.stdout
    assert b"cannot record" in loose.stderr and b"nothing was recorded" in loose.stderr
    strict = subprocess.run([*COTERM, "record", "--strict", "--file", str(target), "--",
                             "sh", "-c", "echo must not run"], stdin=subprocess.DEVNULL,
                            capture_output=True, timeout=60)
    assert strict.returncode == 2 and b"must not run" not in strict.stdout
    assert strict.stderr.decode().startswith("coterm: cannot write to")


def test_bad_usage_is_one_line_and_status_2(tmp_path: Path) -> None:
    out = subprocess.run([*COTERM, "record", "--file", str(tmp_path / "x.cast"), "--",
                          "no-such-command-here"], stdin=subprocess.DEVNULL,
                         capture_output=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.decode().strip() == "coterm: command not found: no-such-command-here"
    mark = subprocess.run([*COTERM, "mark", "x"], capture_output=True, timeout=60,
                          env={k: v for k, v in os.environ.items()
                               if k != "COTERM_SESSION_SOCKET"})
    assert mark.returncode == 2 and b"not inside a coterm recording" in mark.stderr


def test_fish_commands_become_events(pty_record: Start, tmp_path: Path) -> None:
    fish = shutil.which("fish")
    assert fish, "fish is required (.ci/run installs it)"
    cast = tmp_path / "fish.cast"
    rec = pty_record("--file", str(cast), env={
        "SHELL": fish, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "fish_greeting": ""})
    rec.read_until(b"\x1b]133;A")
    for line, done in [(b"echo hi", b"\x1b]133;D;0"), (b"false", b"\x1b]133;D;1"),
                       (b"cd /tmp", b"file://"), (b"echo here", b"here\r\n")]:
        rec.seen = b""
        rec.type(line + b"\r")
        rec.read_until(done)
        rec.read_until(b"\x1b]133;A")
    rec.type(b"exit 3\r")
    assert rec.wait() == 3
    _, events = read_cast(cast)
    ends = [(e.line, e.exit_code, e.cwd) for e in finished(events)]
    start = os.getcwd()
    assert ends == [("echo hi", 0, start), ("false", 1, start), ("cd /tmp", 0, start),
                    ("echo here", 0, "/tmp"), ("exit 3", 3, "/tmp")]


def test_bash_hooks_live_beside_the_users_debug_trap_and_prompt_command_array(
        pty_record: Start, tmp_path: Path) -> None:
    (tmp_path / ".bashrc").write_text(
        "PS1='b> '\n"
        "trap 'TRAPS=$((TRAPS+1))' DEBUG\n"
        "PROMPT_COMMAND=('ONE=$((ONE+1))' 'TWO=$((TWO+1))')\n")
    cast = tmp_path / "b.cast"
    rec = pty_record("--file", str(cast), env={"SHELL": "/bin/bash", "HOME": str(tmp_path)})
    rec.read_until(b"b> ")
    rec.type(b"echo one=$ONE two=$TWO; [ $TRAPS -gt 0 ] && echo traps-ok\r")
    rec.read_until(b"traps-ok")
    rec.type(b"  echo spaced | tr a-z A-Z\r")
    rec.read_until(b"SPACED")
    rec.type(b"exit\r")
    assert rec.wait() == 0
    assert b"one=1 two=1" in rec.seen
    _, events = read_cast(cast)
    ends = [(e.line, e.exit_code) for e in finished(events)]
    assert ends == [("echo one=$ONE two=$TWO; [ $TRAPS -gt 0 ] && echo traps-ok", 0),
                    ("echo spaced | tr a-z A-Z", 0), ("exit", 0)]


def test_secrets_are_masked_in_output_input_and_command_lines(pty_record: Start,
        tmp_path: Path, coterm_home: Path) -> None:
    (coterm_home / "config.toml").write_text(
        '[[redact.rules]]\nname = "acme-key"\npattern = "acme_[a-z0-9]{32}"\n'
        'keywords = ["acme_"]\n')
    secret = "acme_" + "k3x9m2" * 5 + "ab"
    (tmp_path / ".bashrc").write_text("PS1='s> '\n")
    cast = tmp_path / "s.cast"
    rec = pty_record("--file", str(cast), env={"SHELL": "/bin/bash", "HOME": str(tmp_path)})
    rec.read_until(b"s> ")
    rec.type(f"echo the key is {secret}\r".encode())
    rec.read_until(f"the key is {secret}".encode())  # the user's own screen is untouched
    rec.type(b"exit\r")
    assert rec.wait() == 0
    raw = cast.read_text(encoding="utf-8")
    assert secret not in raw and secret[5:20] not in raw
    _, events = read_cast(cast)
    found = {(e.rule, e.stream) for e in events if isinstance(e, Redaction)}
    assert {("acme-key", "o"), ("acme-key", "i")} <= found
    line = next(e.line for e in events if isinstance(e, Command))
    assert line.startswith("echo the key is ") and secret not in line
    assert len(line) == len(f"echo the key is {secret}")  # masks keep the length


def _pipeline_pid(recorder: int) -> int:
    """The capture process: the recorder's child running the same program as it."""
    me = Path(f"/proc/{recorder}/cmdline").read_bytes()
    kids = Path(f"/proc/{recorder}/task/{recorder}/children").read_text().split()
    return next(int(k) for k in kids if Path(f"/proc/{k}/cmdline").read_bytes() == me)


@pytest.mark.parametrize("strict", [False, True])
def test_if_the_recording_process_dies_the_user_is_told(
        pty_record: Start, tmp_path: Path, strict: bool) -> None:
    flags = ["--strict"] if strict else []
    rec = pty_record(*flags, "--file", str(tmp_path / "d.cast"), "--", "sh", "-c",
                      "echo ready; read x; echo after $x")
    rec.read_until(b"ready")
    os.kill(_pipeline_pid(rec.proc.pid), signal.SIGKILL)
    rec.read_until(b"the recording process ended unexpectedly")
    if strict:
        assert rec.wait() == 129  # the session was ended (SIGHUP to the program)
    else:
        rec.type(b"still\r")
        rec.read_until(b"after still")  # the session went on
        assert rec.wait() == 0


#: A stand-in for bash-preexec (same variables and hook arrays, much simplified).
BASH_PREEXEC = r"""
bash_preexec_imported=defined
preexec_functions=(); precmd_functions=()
__bp_ready=0
__bp_debug() {
  [ "$__bp_ready" = 1 ] || return 0; __bp_ready=0
  local line; line=$(HISTTIMEFORMAT= builtin history 1); line=${line#*[0-9]  }
  local f; for f in "${preexec_functions[@]}"; do "$f" "$line"; done
}
__bp_precmd() {
  local s=$? f
  for f in "${precmd_functions[@]}"; do (exit $s); "$f"; done
  __bp_ready=1
}
trap '__bp_debug' DEBUG
PROMPT_COMMAND='__bp_precmd'
"""


def test_bash_hooks_join_bash_preexec(pty_record: Start, tmp_path: Path) -> None:
    (tmp_path / ".bashrc").write_text(
        BASH_PREEXEC + "PS1='p> '\nmine() { MINE=$((MINE+1)); }\npreexec_functions+=(mine)\n")
    cast = tmp_path / "bp.cast"
    rec = pty_record("--file", str(cast), env={"SHELL": "/bin/bash", "HOME": str(tmp_path)})
    rec.read_until(b"p> ")
    rec.type(b"false\r")
    rec.read_until(b"\x1b]133;D;1")
    rec.type(b"echo mine=$MINE\r")
    rec.read_until(b"mine=2")
    rec.type(b"exit 4\r")
    assert rec.wait() == 4
    _, events = read_cast(cast)
    ends = [(e.line, e.exit_code) for e in finished(events)]
    assert ends == [("false", 1), ("echo mine=$MINE", 0), ("exit 4", 4)]


def test_the_file_is_flushed_while_the_session_runs(pty_record: Start, tmp_path: Path) -> None:
    import time

    cast = tmp_path / "live.cast"
    rec = pty_record("--file", str(cast), "--", "sh", "-c", "echo early bird; read x")
    rec.read_until(b"early bird")
    deadline = time.monotonic() + 10  # the recorder flushes every 0.5 s
    while b"early bird" not in (cast.read_bytes() if cast.exists() else b""):
        assert time.monotonic() < deadline, "the output never reached the file"
        time.sleep(0.05)  # polling the file, bounded by the deadline
    rec.type(b"\r")
    assert rec.wait() == 0
