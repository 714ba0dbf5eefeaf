"""The REST API: sessions, events by sequence range, keyframes, downloads as
asciicast, tokens (admin), ``/healthz`` and Prometheus ``/metrics``."""

from __future__ import annotations

import asyncio
import io
import json
import time
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from coterm_tui import __version__
from coterm_tui.core.errors import WireError
from coterm_tui.core.wire import Frame, decode, event_to_wire

from .auth import UNAUTHORISED, AuthError, Principal, authenticate
from .keys import RELAY
from .store import SCOPES, SessionInfo, TokenInfo

MAX_EVENTS = 10_000
routes = web.RouteTableDef()


def iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda d: json.dumps(d, default=str))


def _error(status: int, message: str) -> web.HTTPException:
    cls = {400: web.HTTPBadRequest, 401: web.HTTPUnauthorized, 403: web.HTTPForbidden,
           404: web.HTTPNotFound}[status]
    return cls(text=json.dumps({"error": message}), content_type="application/json")


async def json_object(request: web.Request) -> dict[str, Any]:
    """The request's body, which must be a JSON object (else 400)."""
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise _error(400, "body must be JSON") from None
    if not isinstance(body, dict):
        raise _error(400, "body must be a JSON object")
    return body


def caller(request: web.Request) -> Principal:
    try:
        return authenticate(request, request.app[RELAY].settings, request.app[RELAY].store)
    except AuthError as exc:
        raise _error(401 if exc.status == UNAUTHORISED else 403, exc.message) from exc


def session_json(request: web.Request, info: SessionInfo) -> dict[str, Any]:
    relay = request.app[RELAY]
    live = relay.hub.sessions.get(info.id)
    meta = info.header.coterm
    return {
        "id": info.id,
        "user": str(meta.get("user") or ""),
        "host": str(meta.get("host") or ""),
        "title": info.header.title or info.header.command or "",
        "started": iso(float(info.header.timestamp or info.started)),
        "duration": round(live.head_t if live else info.last_t, 3),
        "live": live.live if live else info.live,
        "viewers": len(live.viewers) if live else 0,
        "last_seq": live.head_seq if live else info.last_seq,
        "cols": info.header.cols,
        "rows": info.header.rows,
        "ended": iso(info.ended),
        "status": live.status if live else info.status,
    }


def viewable(request: web.Request) -> SessionInfo:
    principal = caller(request)
    info = request.app[RELAY].store.get_session(request.match_info["id"])
    if info is None:
        raise _error(404, f"no session {request.match_info['id']}")
    if not principal.may_view(info.owner):
        raise _error(403, "not allowed to view this session")
    return info


def _number(request: web.Request, name: str, default: float | None) -> float | None:
    text = request.query.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        raise _error(400, f"{name} must be a number") from None
    if value != value or value < 0:
        raise _error(400, f"{name} must be a non-negative number")
    return value


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    relay = request.app[RELAY]
    return _json({"ok": True, "version": __version__, "sessions": len(relay.hub.sessions)})


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.Response:
    caller(request)
    relay = request.app[RELAY]
    gauges = {
        "sessions": len(relay.hub.sessions),
        "sessions_live": sum(1 for s in relay.hub.sessions.values() if s.live),
        "viewers": relay.hub.viewer_count(),
        "connections": len(relay.connections),
        "acks_pending": relay.acks_pending(),
    }
    return web.Response(text=relay.metrics.render(gauges), content_type="text/plain",
                        charset="utf-8")


@routes.get("/api/sessions")
async def list_sessions(request: web.Request) -> web.Response:
    principal = caller(request)
    infos = request.app[RELAY].store.list_sessions()
    return _json([session_json(request, i) for i in infos if principal.may_view(i.owner)])


@routes.get("/api/sessions/{id}")
async def get_session(request: web.Request) -> web.Response:
    return _json(session_json(request, viewable(request)))


@routes.get("/api/sessions/{id}/events")
async def events(request: web.Request) -> web.Response:
    """Frames ``from..to`` (inclusive) as ``{"frames": [{seq, code, t, data}], "next"}``."""
    info = viewable(request)
    first = int(_number(request, "from", 1) or 1)
    last = _number(request, "to", None)
    frames = await asyncio.to_thread(request.app[RELAY].store.read_frames, info.id, first,
                                     None if last is None else int(last), 4 << 20)
    out = []
    for seq, _, raw in frames[:MAX_EVENTS]:
        msg = decode(raw)
        if isinstance(msg, Frame):
            code, t, data = event_to_wire(msg.event)
            out.append({"seq": seq, "code": code, "t": t, "data": data})
    nxt = out[-1]["seq"] + 1 if out and (last is None or out[-1]["seq"] < last) else None
    return _json({"session": info.id, "frames": out, "next": nxt})


@routes.get("/api/sessions/{id}/keyframe")
async def keyframe(request: web.Request) -> web.Response:
    info = viewable(request)
    kf = await asyncio.to_thread(request.app[RELAY].store.keyframe_at, info.id,
                                 _number(request, "t", None))
    if kf is None:
        raise _error(404, "no keyframe at or before that time")
    return _json({"seq": kf.seq, "t": kf.t, "cols": kf.cols, "rows": kf.rows, "data": kf.data})


@routes.get("/api/sessions/{id}/download")
async def download(request: web.Request) -> web.StreamResponse:
    """The session as an asciicast file (v3 by default, or ``?format=v2``); its notes
    are markers ``note: AUTHOR: TEXT`` (in full: ``/api/sessions/{id}/notes``)."""
    from coterm_tui.core.asciicast import CastWriter
    from coterm_tui.core.notes import NoteMarkers

    info = viewable(request)
    fmt = request.query.get("format", "v3")
    if fmt not in ("v2", "v3"):
        raise _error(400, "format must be v3 or v2")
    store = request.app[RELAY].store
    resp = web.StreamResponse(headers={
        "Content-Type": "application/x-asciicast",
        "Content-Disposition": f'attachment; filename="{info.id}.cast"'})
    await resp.prepare(request)
    buf = io.BytesIO()
    writer = CastWriter(buf, info.header, version=int(fmt[1]))
    markers = NoteMarkers(store.list_notes(info.id))
    cursor = 1
    while True:
        chunk = await asyncio.to_thread(store.read_frames, info.id, cursor, None, 1 << 20)
        for seq, _, raw in chunk:
            cursor = seq + 1
            try:
                msg = decode(raw)
            except WireError:
                continue
            if isinstance(msg, Frame):
                for event in markers.around(msg.event):
                    writer.write(event)
        writer.flush()
        await resp.write(buf.getvalue())
        buf.seek(0)
        buf.truncate()
        if not chunk:
            break
    for marker in markers.rest():
        writer.write(marker)
    writer.close()
    if buf.getvalue():
        await resp.write(buf.getvalue())
    await resp.write_eof()
    return resp


# -- tokens (admin) -----------------------------------------------------------------


def token_json(t: TokenInfo) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "scope": t.scope, "created": iso(t.created),
            "revoked": iso(t.revoked)}


def admin(request: web.Request) -> None:
    if not caller(request).is_admin:
        raise _error(403, "admin scope required")


@routes.get("/api/tokens")
async def list_tokens(request: web.Request) -> web.Response:
    admin(request)
    return _json([token_json(t) for t in request.app[RELAY].store.list_tokens()])


@routes.post("/api/tokens")
async def create_token(request: web.Request) -> web.Response:
    admin(request)
    body = await json_object(request)
    scope, name = body.get("scope"), body.get("name", "")
    if scope not in SCOPES or not isinstance(name, str) or len(name) > 200:
        raise _error(400, f"scope must be one of {', '.join(SCOPES)}; name a short string")
    info, secret = request.app[RELAY].store.create_token(name, scope, time.time())
    return _json({**token_json(info), "token": secret}, status=201)


@routes.delete("/api/tokens/{tid}")
async def revoke_token(request: web.Request) -> web.Response:
    admin(request)
    tid = request.match_info["tid"]
    if not request.app[RELAY].store.revoke_token(tid, time.time()):
        raise _error(404, "no such live token")
    closed = await request.app[RELAY].revoked(tid)
    return _json({"revoked": tid, "connections_closed": closed})
