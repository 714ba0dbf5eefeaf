"""Relay test fixtures: a real relay app on 127.0.0.1 (aiohttp test server) and
helpers that speak the wire protocol over real WebSockets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from relay.app import make_app
from relay.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "relay", fsync="off", keyframe_executor="thread",
                    commit_interval=0.005, grace=3600.0)


@pytest.fixture
def start_relay(aiohttp_client: Any, settings: Settings) -> Callable[..., Any]:
    async def start(**overrides: Any) -> TestClient:
        return await aiohttp_client(make_app(replace(settings, **overrides)))
    return start


@pytest.fixture
async def client(start_relay: Callable[..., Any]) -> TestClient:
    return await start_relay()


