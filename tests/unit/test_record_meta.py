"""The session header keeps what identifies a session and nothing of the environment."""

from __future__ import annotations

from coterm_tui import __version__
from coterm_tui.core.asciicast import header_from_json, header_to_json
from coterm_tui.record.meta import session_header


def test_header_metadata() -> None:
    env = {"SHELL": "/bin/zsh", "TERM": "xterm-256color", "AWS_SECRET_ACCESS_KEY": "abc",
           "SSH_CONNECTION": "10.1.2.3 52311 10.0.0.5 22", "HOME": "/home/ana"}
    h = session_header(session_id="k3x9m2", cols=120, rows=40, command="bash",
                       title="INC-4211 db failover", tags=["incident", "db"],
                       idle_time_limit=2.0, env=env, tty="/dev/pts/3", now=1_700_000_000.5)
    assert (h.cols, h.rows, h.term_type) == (120, 40, "xterm-256color")
    assert h.env == {"SHELL": "/bin/zsh", "TERM": "xterm-256color"}
    assert h.timestamp == 1_700_000_000
    assert h.title == "INC-4211 db failover" and h.tags == ("incident", "db")
    assert h.command == "bash" and h.idle_time_limit == 2.0
    meta = h.coterm
    assert meta["session"] == "k3x9m2"
    assert meta["tty"] == "/dev/pts/3"
    assert meta["ssh_client"] == "10.1.2.3"
    assert meta["version"] == __version__
    assert meta["user"] and meta["host"]
    again = header_from_json(header_to_json(h))
    assert again.coterm == meta and again.env == h.env and again.tags == h.tags
    assert "abc" not in repr(header_to_json(h))


def test_no_ssh_no_tty() -> None:
    h = session_header(session_id="abc", cols=80, rows=24, command=None, env={})
    assert h.coterm["ssh_client"] is None and h.coterm["tty"] is None
    assert h.env == {} and h.term_type is None
