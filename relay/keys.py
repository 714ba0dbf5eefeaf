"""Typed application keys."""

from __future__ import annotations

from aiohttp import web

from .state import Relay

RELAY = web.AppKey("relay", Relay)
