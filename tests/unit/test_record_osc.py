"""OSC 133 / OSC 7 marks are found however the output stream is cut."""

from __future__ import annotations

from coterm_tui.record.osc import MAX_OSC, Mark, OscScanner, escape_line, parse_body, unescape_line

STREAM = (
    "\x1b]7;file://host/home/ana%20b\x07\x1b]133;A\x07\x1b[1;32m$ \x1b[0m\x1b]133;B\x1b\\"
    "ls -l\r\n\x1b]133;E;ls -l \\\\x\\n2\x07\x1b]133;C\x07total 0\r\n"
    "\x1b]0;a title\x07é漢\x1b]133;D;2\x1b\\\x1b]133;A;aid=1\x07"
)
EXPECTED = [
    Mark("cwd", "/home/ana b"), Mark("A"), Mark("B"), Mark("E", "ls -l \\x\n2"), Mark("C"),
    Mark("D", "2"), Mark("A"),
]


#: What is recorded: everything but the command-line mark.
RECORDED = STREAM.replace("\x1b]133;E;ls -l \\\\x\\n2\x07", "")


def scan_both(pieces: list[str]) -> tuple[str, list[Mark]]:
    scanner = OscScanner()
    text: list[str] = []
    marks: list[Mark] = []
    for piece in pieces:
        kept, found = scanner.feed(piece)
        text.append(kept)
        marks += found
    text.append(scanner.flush())
    return "".join(text), marks


def scan(pieces: list[str]) -> list[Mark]:
    text, marks = scan_both(pieces)
    assert text == RECORDED
    return marks


def test_whole_stream() -> None:
    assert scan([STREAM]) == EXPECTED


def test_split_in_two_at_every_boundary() -> None:
    for i in range(len(STREAM) + 1):
        assert scan([STREAM[:i], STREAM[i:]]) == EXPECTED, i


def test_split_in_three_at_every_pair_of_boundaries() -> None:
    n = len(STREAM)
    for i in range(0, n + 1, 3):
        for j in range(i, n + 1):
            assert scan([STREAM[:i], STREAM[i:j], STREAM[j:]]) == EXPECTED, (i, j)


def test_one_character_at_a_time() -> None:
    assert scan(list(STREAM)) == EXPECTED


def test_escape_that_is_not_st_aborts_the_sequence() -> None:
    stream = "\x1b]133;C\x1b[0m\x1b]133;D;0\x07"
    for i in range(len(stream) + 1):
        assert scan_both([stream[:i], stream[i:]]) == (stream, [Mark("D", "0")]), i


def test_overlong_bodies_pass_through_and_scanning_goes_on() -> None:
    for end in ("\x07", "\x1b\\", "\x1b[m"):
        image = "\x1b]1337;File=" + "A" * (MAX_OSC + 10) + end
        stream = image + "x\x1b]133;C\x07"
        for cut in (5000, len(image) - 2, len(image) - 1, len(image)):
            assert scan_both([stream[:cut], stream[cut:]]) == (stream, [Mark("C")]), (end, cut)


def test_an_unfinished_mark_is_released_at_the_end() -> None:
    assert scan_both(["ok \x1b]133;E;echo hal"]) == ("ok \x1b]133;E;echo hal", [])


def test_bodies_that_are_not_marks() -> None:
    assert parse_body("0;title") is None
    assert parse_body("133;Z") is None
    assert parse_body("133;D") == Mark("D", "")
    assert parse_body("133;E") == Mark("E", "")
    assert parse_body("7;/plain/path") == Mark("cwd", "/plain/path")


def test_escape_round_trip() -> None:
    for line in ["echo hi", "a\\b", "x\ny\r\tz", "\x1b]0;evil\x07", "é\x01\x7f"]:
        escaped = escape_line(line)
        assert "\x1b" not in escaped and "\x07" not in escaped and "\n" not in escaped
        assert unescape_line(escaped) == line
