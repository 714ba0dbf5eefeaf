"""Loop messages become typed events: decoding, commands from shell marks, hidden input."""

from __future__ import annotations

from coterm_tui.core.events import Command, Exit, Input, Marker, Output, Redaction, Resize
from coterm_tui.record.capture import Capture


def osc(body: str) -> bytes:
    return f"\x1b]{body}\x07".encode()


def test_utf8_cut_between_reads_is_joined_and_bad_bytes_replaced() -> None:
    cap = Capture(None)
    data = "é漢x".encode()
    events = cap.output(0.0, data[:1]) + cap.output(0.1, data[1:4]) + cap.output(0.2, data[4:])
    events += cap.output(0.3, b"\xff!")
    assert "".join(e.data for e in events if isinstance(e, Output)) == "é漢x\ufffd!"


def test_commands_with_exit_codes_cwd_and_chapters() -> None:
    cap = Capture(None)
    events = cap.output(0.0, osc("7;file://h/home/ana") + osc("133;A") + b"$ " + osc("133;B"))
    events += cap.output(1.0, osc("133;E;false") + osc("133;C"))
    events += cap.output(1.5, osc("133;D;1") + osc("7;file://h/tmp") + osc("133;A"))
    events += cap.output(2.0, osc("133;E;echo hi") + osc("133;C") + b"hi\r\n")
    events += cap.output(2.5, osc("133;D;0"))
    cmds = [e for e in events if isinstance(e, Command)]
    assert cmds == [
        Command(1.0, 1, "false", "/home/ana", start=1.0),
        Command(1.5, 1, "false", "/home/ana", start=1.0, end=1.5, exit_code=1),
        Command(2.0, 2, "echo hi", "/tmp", start=2.0),
        Command(2.5, 2, "echo hi", "/tmp", start=2.0, end=2.5, exit_code=0),
    ]
    assert cmds[1].duration == 0.5
    assert [e.label for e in events if isinstance(e, Marker)] == ["false", "echo hi"]
    # the marks stay in the recorded output, but for the command line (in the events)
    recorded = "".join(e.data for e in events if isinstance(e, Output))
    assert "\x1b]133;C\x07" in recorded and "133;E" not in recorded


def test_finish_ends_an_open_command_with_the_exit_status() -> None:
    cap = Capture(None)
    cap.output(0.0, osc("133;E;exit 3") + osc("133;C"))
    events = cap.finish(1.0, 3)
    assert events[-2] == Command(1.0, 1, "exit 3", "", start=0.0, end=1.0, exit_code=3)
    assert events[-1] == Exit(1.0, 3)


def test_hidden_input_is_a_redaction_not_data() -> None:
    cap = Capture(None)
    events = cap.input(0.0, b"ls\r") + cap.hidden(1.0, 8) + cap.resize(2.0, 90, 20)
    assert events == [Input(0.0, "ls\r"), Redaction(1.0, "hidden-input", 8, "i"),
                      Resize(2.0, 90, 20)]


def test_no_input_records_no_keys_at_all() -> None:
    cap = Capture(None, record_input=False)
    assert cap.input(0.0, b"ls\r") == [] and cap.hidden(1.0, 3) == []


def test_markers_from_coterm_mark() -> None:
    assert Capture(None).marker(3.0, "db is back") == [Marker(3.0, "db is back")]


def test_the_redaction_engine_masks_output_input_and_command_lines() -> None:
    from coterm_tui.core.redact import MASK, load_redactor

    secret = "acme_" + "k3x9m2" * 5 + "ab"
    cap = Capture(load_redactor({"rules": [
        {"name": "acme-key", "pattern": "acme_[a-z0-9]{32}", "keywords": ["acme_"]}]}))
    line = f"export KEY={secret}"
    data = (f"\x1b]133;E;{line}\x07\x1b]133;C\x07key: {secret}\r\n").encode()
    events = cap.output(0.0, data[:30]) + cap.output(0.1, data[30:])
    events += cap.input(0.2, secret[:10].encode()) + cap.input(0.3, secret[10:].encode() + b"\r")
    events += cap.finish(1.0, 0)
    text = "".join(e.data for e in events if isinstance(e, (Output, Input)))
    assert secret not in text and "key: " in text
    masked = MASK * len(secret)
    assert text == f"\x1b]133;C\x07key: {masked}\r\n{masked}\r"  # lengths kept
    assert {(e.rule, e.stream) for e in events if isinstance(e, Redaction)} == {
        ("acme-key", "o"), ("acme-key", "i")}
    command = next(e for e in events if isinstance(e, Command))
    assert secret not in command.line and len(command.line) == len(line)


def test_a_gap_is_a_marker_saying_how_much_is_missing() -> None:
    (marker,) = Capture(None).gap(5.0, 123456)
    assert isinstance(marker, Marker) and "123456 bytes not recorded" in marker.label
