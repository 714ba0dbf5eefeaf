"""Which relay to talk to, and with which token.

Precedence: ``--relay``/``--token``, then ``COTERM_RELAY``/``COTERM_TOKEN``, then the
config file's ``[relay]`` table; with no relay configured, the embedded local relay
(started on demand).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from coterm_tui.config import load_config
from coterm_tui.core.errors import UsageError


@dataclass(frozen=True)
class RelayTarget:
    url: str  # http(s)://host:port, no trailing slash
    token: str | None = None
    embedded: bool = False

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"relay URL {url!r} must look like http://HOST:PORT or https://HOST")
    return url.rstrip("/")


def resolve_relay(relay: str | None = None, token: str | None = None, *,
                  start: bool = True) -> RelayTarget:
    """The relay to use; starts the embedded one if none is configured and ``start``."""
    config = load_config()
    url = relay or config.relay_url
    secret = token or config.token
    if url:
        return RelayTarget(check_url(url), secret)
    from . import embedded

    found = embedded.ensure_running() if start else embedded.running_url()
    if found is None:
        raise UsageError("no relay configured and the embedded relay is not running "
                         "(set --relay or COTERM_RELAY)")
    return RelayTarget(found, secret, embedded=True)
