"""REST helpers (synchronous, standard library only: the CLI calls them once)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from coterm_tui.core.atomic import atomic_write
from coterm_tui.core.errors import CotermError, UsageError
from coterm_tui.core.ids import is_session_id

from .target import RelayTarget

TIMEOUT = 30.0


class RelayRefused(CotermError):
    """The relay answered with an error status (``status``; its ``reason``)."""

    def __init__(self, message: str, status: int, reason: str) -> None:
        super().__init__(message)
        self.status, self.reason = status, reason


def _open(target: RelayTarget, method: str, path: str, body: Any = None,
          query: dict[str, str] | None = None) -> Any:
    url = target.url + path + (f"?{urlencode(query)}" if query else "")
    data = None if body is None else json.dumps(body).encode()
    headers = {**target.headers(), "Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        return urllib.request.urlopen(req, timeout=TIMEOUT)  # noqa: S310 - http(s) checked
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read() or b"{}").get("error") or exc.reason
        except (ValueError, AttributeError):
            message = exc.reason
        if exc.code == 404:
            raise UsageError(str(message)) from None
        raise RelayRefused(f"the relay at {target.url} said {exc.code}: {message}",
                           exc.code, str(message)) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CotermError(f"cannot reach the relay at {target.url}: {reason}") from None


def request_json(target: RelayTarget, method: str, path: str, body: Any = None,
                 query: dict[str, str] | None = None) -> Any:
    with _open(target, method, path, body, query) as resp:
        try:
            return json.loads(resp.read())
        except ValueError:
            raise CotermError(f"the relay at {target.url} sent a malformed answer") from None


def _sid(sid: str) -> str:
    if not is_session_id(sid):
        raise UsageError(f"{sid!r} is not a session id")
    return quote(sid)


def list_sessions(target: RelayTarget) -> list[dict[str, Any]]:
    data = request_json(target, "GET", "/api/sessions")
    if not isinstance(data, list):
        raise CotermError(f"the relay at {target.url} sent a malformed session list")
    return data


def get_session(target: RelayTarget, sid: str) -> dict[str, Any]:
    data: dict[str, Any] = request_json(target, "GET", f"/api/sessions/{_sid(sid)}")
    return data


def download(target: RelayTarget, sid: str, dest: Path, fmt: str = "v3") -> Path:
    """Save the session as an asciicast file at ``dest`` (atomically), its notes as
    markers in it and in full in the sidecar ``dest.notes.json``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _open(target, "GET", f"/api/sessions/{_sid(sid)}/download", query={"format": fmt}
               ) as resp, atomic_write(dest) as out:
        while chunk := resp.read(1 << 16):
            out.write(chunk)
    from .notes import save_notes_beside

    save_notes_beside(target, sid, dest)
    return dest


def create_token(target: RelayTarget, scope: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = request_json(target, "POST", "/api/tokens",
                                        {"scope": scope, "name": name})
    return data


def list_tokens(target: RelayTarget) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = request_json(target, "GET", "/api/tokens")
    return data


def revoke_token(target: RelayTarget, token_id: str) -> None:
    request_json(target, "DELETE", f"/api/tokens/{quote(token_id, safe='')}")
