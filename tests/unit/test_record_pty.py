"""Echo-off detection and terminal-mode restoration, on real PTYs."""

from __future__ import annotations

import os
import termios

import pytest

from coterm_tui.record.ptys import get_size, input_hidden, raw_mode, set_size


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    yield master, slave
    os.close(master)
    os.close(slave)


def _set_lflag(fd: int, on: int, off: int) -> None:
    attrs = termios.tcgetattr(fd)
    attrs[3] = (attrs[3] | on) & ~off
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


def test_echo_off_in_canonical_mode_is_a_password_prompt(pty_pair) -> None:
    master, slave = pty_pair
    _set_lflag(slave, termios.ICANON | termios.ECHO, 0)
    assert not input_hidden(master)
    _set_lflag(slave, 0, termios.ECHO)  # stty -echo, as sudo/ssh/read -s do
    assert input_hidden(master)
    _set_lflag(slave, 0, termios.ICANON)  # raw, as readline and vim do: they echo themselves
    assert not input_hidden(master)


def test_a_closed_fd_is_not_hidden() -> None:
    r, w = os.pipe()
    assert not input_hidden(r)
    os.close(r)
    os.close(w)


def test_raw_mode_is_restored_even_after_an_exception(pty_pair) -> None:
    _, slave = pty_pair
    before = termios.tcgetattr(slave)
    with pytest.raises(RuntimeError), raw_mode(slave):
        assert not termios.tcgetattr(slave)[3] & termios.ICANON
        raise RuntimeError("boom")
    assert termios.tcgetattr(slave) == before


def test_raw_mode_on_a_pipe_does_nothing() -> None:
    r, w = os.pipe()
    with raw_mode(r) as saved:
        assert saved is None
    os.close(r)
    os.close(w)


def test_window_size(pty_pair) -> None:
    master, slave = pty_pair
    set_size(master, 132, 43)
    assert get_size(slave) == (132, 43)
