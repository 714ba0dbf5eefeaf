"""Who is connecting, and what they may do.

Tokens are scoped — ``view`` (watch and read), ``broadcast`` (publish sessions,
and watch its own), ``admin`` (everything, including tokens) — stored as SHA-256
hashes and revocable; each carries a name shown in presence lists. A token is
given as ``Authorization: Bearer <token>`` or, for browsers, ``?token=``.

Loopback peers need no token (they act as the local admin) unless the relay is
configured with ``require_token_on_loopback`` — set it behind a reverse proxy.
Every other peer needs a token. Browsers (requests carrying ``Origin``) must come
from the relay's own origin or one explicitly allowed.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from aiohttp import web

from .settings import Settings
from .store import Store

#: Close codes and HTTP statuses used when a request is refused.
UNAUTHORISED = 4401
FORBIDDEN = 4403


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. ``owner`` is what sessions it creates are owned by."""

    name: str
    scope: str
    owner: str

    @property
    def is_admin(self) -> bool:
        return self.scope == "admin"

    def may_view(self, session_owner: str) -> bool:
        return self.scope in ("admin", "view") or self.owner == session_owner

    def may_publish(self, session_owner: str | None) -> bool:
        if self.scope == "admin":
            return True
        return self.scope == "broadcast" and session_owner in (None, self.owner)


LOCAL = Principal(name="local", scope="admin", owner="local")


class AuthError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def is_loopback(peer: str | None) -> bool:
    if not peer:
        return False
    try:
        return ipaddress.ip_address(peer.split("%")[0]).is_loopback
    except ValueError:
        return False


def token_from(request: web.Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.query.get("token") or None


def check_origin(request: web.Request, settings: Settings) -> None:
    origin = request.headers.get("Origin")
    if origin is None:
        return
    own = {f"{request.scheme}://{request.host}", settings.origin}
    if origin not in own and origin not in settings.allowed_origins:
        raise AuthError(FORBIDDEN, f"origin {origin[:100]!r} is not allowed")


def authenticate(request: web.Request, settings: Settings, store: Store) -> Principal:
    """The caller's principal, or :class:`AuthError`."""
    check_origin(request, settings)
    secret = token_from(request)
    if secret is None:
        if is_loopback(request.remote) and not settings.require_token_on_loopback:
            return LOCAL
        raise AuthError(UNAUTHORISED, "a token is required")
    token = store.token_by_secret(secret[:200])
    if token is None:
        raise AuthError(UNAUTHORISED, "unknown or revoked token")
    return Principal(name=token.name or token.id, scope=token.scope, owner=f"token:{token.id}")
