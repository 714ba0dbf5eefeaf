"""Responders' notes: REST to add, list, edit and delete them, and their fan-out.

=======  ==================================  =========================================
method   path                                what
=======  ==================================  =========================================
GET      /api/sessions/{id}/notes            ``{"session", "notes": [note…]}`` by time
POST     /api/sessions/{id}/notes            add ``{"text", "t"?, "author"?, "id"?,
                                             "created"?}``; 201 with the note
PATCH    /api/sessions/{id}/notes/{nid}      edit ``{"text"}`` (author or admin)
DELETE   /api/sessions/{id}/notes/{nid}      delete (author or admin)
GET      /api/whoami                         ``{"name", "scope"}``: the caller
=======  ==================================  =========================================

A note is ``{"id", "t", "author", "text", "created", "edited"}``. Anyone who may
view the session may add one; its author is the token's name (a loopback caller
without a token — the local user — may name itself with ``"author"``). ``t``
omitted means *now*: the head of a live session, the end of an ended one; a time
past the end is refused (400) naming both times. ``id``/``created`` let a client
upload notes it kept locally (a sidecar) without duplicating them: an id the
session already has is answered 200 with the stored note.

Every change is pushed at once to the session's viewers as a
:class:`~coterm_tui.core.wire.Notes` message; a viewer joining the live stream
gets all notes first (:func:`snapshot`). ``/ws/notes`` is the same for clients
that want only the notes (a replay of an ended session, whose ``/ws/watch``
stream ends): send ``Hello(role="watch", session)``, get every note (``reset``)
then each change, until you close. Viewers add notes over REST, not over
their WebSocket (one authorisation path, and the answer carries the note or why
it was refused).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from aiohttp import web

from coterm_tui.core.errors import UsageError
from coterm_tui.core.events import Note
from coterm_tui.core.notes import (
    check_text,
    check_time,
    clean_author,
    is_note_id,
    new_note_id,
    note_to_json,
)
from coterm_tui.core.wire import MAX_NOTES_PER_MESSAGE, Hello, Notes, encode

from .auth import LOCAL, Principal
from .conn import serve_socket, serve_viewer, viewable_session
from .hub import LiveSession, Viewer, ws_frame
from .keys import RELAY
from .rest import _error, _json, caller, json_object, viewable
from .state import Relay
from .store import SessionInfo

routes = web.RouteTableDef()
#: Connections of ``/ws/notes``, by session id.
LISTENERS = web.AppKey("note_listeners", dict[str, set[Viewer]])
#: Most notes one session may hold (tombstones of deleted notes not counted).
MAX_NOTES = 1000
#: A live session's "now" may run ahead of its last frame (an idle shell) by this
#: much beyond the wall time since the relay first saw it.
LIVE_SLACK = 1.0


def recording_now(relay: Relay, info: SessionInfo) -> tuple[float, float | None, bool]:
    """(*now* in recording time, the latest time a note may have, live?). For an
    ended session both are its end; a live one's now runs on with the wall clock
    (an idle shell sends no frames) and a note may be a little ahead of it."""
    live = relay.hub.sessions.get(info.id)
    head = live.head_t if live else info.last_t
    is_live = live.live if live else info.live
    if not is_live:
        return head, head, False
    now = max(head, time.time() - info.started)
    return now, now + LIVE_SLACK, True


def snapshot(relay: Relay, sid: str) -> list[bytes]:
    """Every note of the session as Notes messages, the first with ``reset``."""
    notes = relay.store.list_notes(sid)
    step = MAX_NOTES_PER_MESSAGE
    chunks = [tuple(notes[i:i + step]) for i in range(0, len(notes), step)] or [()]
    return [encode(Notes(chunk, reset=i == 0, snapshot=True)) for i, chunk in enumerate(chunks)]


def join_live(relay: Relay, viewer: Viewer, sid: str) -> None:
    """Write all the session's notes to a viewer that just joined the live stream,
    synchronously (so no change can slip in between, and changes pushed after
    arrive after it). Not subject to the backlog limit: notes are bounded."""
    data = b"".join(ws_frame(raw) for raw in snapshot(relay, sid))
    t = viewer.transport
    if t is not None and not t.is_closing():
        t.write(data)


def broadcast(app: web.Application, sid: str, note: Note) -> None:
    """Push one change to the session's viewers and notes listeners."""
    relay = app[RELAY]
    s: LiveSession | None = relay.hub.sessions.get(sid)
    frame = ws_frame(encode(Notes((note,))))
    for v in (*(s.viewers if s else ()), *app[LISTENERS].get(sid, set())):
        v.push(frame, relay.settings.viewer_backlog_bytes, relay.metrics)


async def notes_ws(request: web.Request) -> web.WebSocketResponse:
    """``/ws/notes``: a session's notes, then every change, until the client closes."""
    return await serve_socket(request, "watch", _listen)


async def _listen(request: web.Request, relay: Relay, ws: web.WebSocketResponse,
                  principal: Principal, hello: Hello) -> None:
    sid = viewable_session(relay, principal, hello, "read the notes of").id
    listeners = request.app[LISTENERS]
    viewer = Viewer(ws, request.transport, "")
    listeners.setdefault(sid, set()).add(viewer)
    try:
        await serve_viewer(ws, relay, _send(relay, sid, viewer))
    finally:
        group = listeners.get(sid, set())
        group.discard(viewer)
        if not group:
            listeners.pop(sid, None)


async def _send(relay: Relay, sid: str, v: Viewer) -> None:
    """All notes, then (the hub writes) changes; a listener that fell too far behind
    is dropped by ``push`` and gets all notes again."""
    while True:
        if not v.live:
            v.live = True
            join_live(relay, v, sid)
        await v.wake.wait()
        v.wake.clear()


def setup(app: web.Application) -> None:
    """Register the notes routes and ``/ws/notes`` on the relay's app."""
    app[LISTENERS] = {}
    app.router.add_get("/ws/notes", notes_ws)
    app.add_routes(routes)


def _text(body: dict[str, Any]) -> str:
    try:
        return check_text(body.get("text"))
    except UsageError as exc:
        raise _error(400, str(exc)) from None


def _number(body: dict[str, Any], name: str) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            0 <= value < 1e12):
        raise _error(400, f"{name} must be a non-negative number")
    return float(value)


def author_of(principal: Principal, body: dict[str, Any]) -> str:
    claimed = body.get("author")
    if principal is LOCAL and isinstance(claimed, str) and claimed.strip():
        return clean_author(claimed)
    return clean_author(principal.name)


@routes.get("/api/whoami")
async def whoami(request: web.Request) -> web.Response:
    principal = caller(request)
    return _json({"name": clean_author(principal.name), "scope": principal.scope,
                  "local": principal is LOCAL})


@routes.get("/api/sessions/{id}/notes")
async def list_notes(request: web.Request) -> web.Response:
    info = viewable(request)
    notes = request.app[RELAY].store.list_notes(info.id)
    return _json({"session": info.id, "notes": [note_to_json(n) for n in notes]})


@routes.post("/api/sessions/{id}/notes")
async def add_note(request: web.Request) -> web.Response:
    info = viewable(request)
    relay = request.app[RELAY]
    body = await json_object(request)
    text = _text(body)
    now, end, live = recording_now(relay, info)
    at = _number(body, "t")
    try:
        t = check_time(now if at is None else at, end)
    except UsageError as exc:
        raise _error(400, f"session {info.id}: {exc}") from None
    nid = body.get("id")
    if nid is not None:
        if not is_note_id(nid):
            raise _error(400, "id must be 16 lowercase hex digits")
        existing = relay.store.get_note(info.id, nid)
        if existing is not None:
            return _json(note_to_json(existing))
    if len(relay.store.list_notes(info.id)) >= MAX_NOTES:
        raise _error(400, f"session {info.id} already has {MAX_NOTES} notes")
    now = time.time()
    created = _number(body, "created")
    note = Note(t, nid or new_note_id(), author_of(caller(request), body), text,
                min(created, now) if created else now)
    if not relay.store.add_note(info.id, note):  # an id taken elsewhere: a fresh one
        note = replace(note, id=new_note_id())
        if not relay.store.add_note(info.id, note):
            raise _error(400, "could not store the note")
    broadcast(request.app, info.id, note)
    return _json({**note_to_json(note), "live": live}, status=201)


def _owned(request: web.Request) -> tuple[SessionInfo, Note]:
    info = viewable(request)
    principal = caller(request)
    note = request.app[RELAY].store.get_note(info.id, request.match_info["nid"])
    if note is None or note.deleted:
        raise _error(404, f"no note {request.match_info['nid'][:40]} in session {info.id}")
    if not principal.is_admin and note.author != clean_author(principal.name):
        raise _error(403, f"note {note.id} is {note.author}'s: only its author or an admin "
                     "may change it")
    return info, note


@routes.patch("/api/sessions/{id}/notes/{nid}")
async def edit_note(request: web.Request) -> web.Response:
    info, note = _owned(request)
    text = _text(await json_object(request))
    note = replace(note, text=text, edited=time.time())
    relay = request.app[RELAY]
    relay.store.update_note(info.id, note)
    broadcast(request.app, info.id, note)
    return _json(note_to_json(note))


@routes.delete("/api/sessions/{id}/notes/{nid}")
async def delete_note(request: web.Request) -> web.Response:
    info, note = _owned(request)
    note = replace(note, deleted=True, edited=time.time())
    relay = request.app[RELAY]
    relay.store.update_note(info.id, note)
    broadcast(request.app, info.id, note)
    return _json({"deleted": note.id})
