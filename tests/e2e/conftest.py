"""End-to-end fixtures: a private tmux server per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .tmux import Tmux


@pytest.fixture
def tmux(coterm_home, tmp_path) -> Iterator[Tmux]:
    t = Tmux(env={"COTERM_HOME": str(coterm_home), "HOME": str(tmp_path),
                  "COTERM_CONFIG": str(coterm_home / "config.toml"), "TERM": "xterm-256color"},
             cwd=tmp_path)
    try:
        yield t
    finally:
        t.kill()

