"""Fixtures shared by every test: an isolated coterm home, the shared casts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: Real recordings written by other tools; CI places shared/ beside the clone.
SHARED_CASTS = REPO.parent / "shared" / "casts"


@pytest.fixture(autouse=True)
def coterm_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own COTERM_HOME so nothing touches the user's files; an
    embedded relay that ``coterm record`` started there is stopped afterwards, so no
    test leaves a process behind."""
    home = tmp_path_factory.mktemp("coterm-home")
    monkeypatch.setenv("COTERM_HOME", str(home))
    monkeypatch.setenv("COTERM_CONFIG", str(home / "config.toml"))
    for var in ("COTERM_RELAY", "COTERM_TOKEN", "COTERM_SESSION_ID", "COTERM_SESSION_SOCKET"):
        monkeypatch.delenv(var, raising=False)
    yield home
    if (home / "relay").exists():
        from coterm_tui.client import embedded

        embedded.stop()


@pytest.fixture(scope="session")
def shared_casts() -> Path:
    """The directory of real asciicast files; absent means a broken checkout."""
    assert SHARED_CASTS.is_dir(), f"missing {SHARED_CASTS}: shared/ must sit beside the repo"
    return SHARED_CASTS
