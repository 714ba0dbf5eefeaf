"""Talking to a relay from the client side: where it is (flag, environment, config,
or the embedded local relay), REST helpers, and the live ``watch`` stream."""

from .target import RelayTarget, resolve_relay

__all__ = ["RelayTarget", "resolve_relay"]
