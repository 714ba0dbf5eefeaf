"""Notes on the relay, from the client side: REST calls, sidecar sync, and the
live stream of changes (``/ws/notes``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp

from coterm_tui import __version__
from coterm_tui.core.errors import CotermError, EventError
from coterm_tui.core.events import Note
from coterm_tui.core.notes import PastEnd, note_from_json
from coterm_tui.core.notes_file import read_notes, sidecar_path, write_notes
from coterm_tui.core.wire import Error, Hello, Notes, decode, encode

from .api import RelayRefused, _sid, request_json
from .target import RelayTarget

__all__ = ["RelayNotes", "follow_notes", "sync_sidecar"]


def _path(sid: str, note_id: str | None = None) -> str:
    base = f"/api/sessions/{_sid(sid)}/notes"
    return base if note_id is None else f"{base}/{quote(note_id, safe='')}"


def _note(data: Any, target: RelayTarget) -> Note:
    try:
        return note_from_json(data)
    except EventError as exc:
        raise CotermError(f"the relay at {target.url} sent a malformed note: {exc}") from None


class RelayNotes:
    """One session's notes on a relay (blocking calls: run them off the UI loop).

    ``author`` is sent with new notes; the relay uses it only for a local caller
    without a token (otherwise the token's name is the author).
    """

    def __init__(self, target: RelayTarget, sid: str, author: str) -> None:
        self.target, self.sid, self.author = target, sid, author
        _path(sid)

    def whoami(self) -> str:
        """The name this client's notes are stored under."""
        who = request_json(self.target, "GET", "/api/whoami")
        return self.author if who.get("local") else str(who.get("name") or self.author)

    def load(self) -> list[Note]:
        data = request_json(self.target, "GET", _path(self.sid))
        return [_note(n, self.target) for n in data.get("notes", [])]

    def add(self, t: float | None, text: str, end: float | None = None, *,
            note: Note | None = None) -> Note:
        """Add a note at ``t`` (None: now/the end); ``note`` uploads a kept one."""
        del end  # the relay knows the recording's end
        body: dict[str, Any] = {"text": text, "author": self.author}
        if t is not None:
            body["t"] = t
        if note is not None:
            body.update(id=note.id, created=note.created, t=note.t)
        try:
            return _note(request_json(self.target, "POST", _path(self.sid), body), self.target)
        except RelayRefused as exc:
            if exc.status == 400 and "past the end" in exc.reason:
                raise PastEnd(exc.reason) from None
            raise

    def edit(self, note_id: str, text: str) -> Note:
        data = request_json(self.target, "PATCH", _path(self.sid, note_id), {"text": text})
        return _note(data, self.target)

    def delete(self, note_id: str) -> Note:
        request_json(self.target, "DELETE", _path(self.sid, note_id))
        return Note(0.0, note_id, "", "", deleted=True)


def save_notes_beside(target: RelayTarget, sid: str, recording: Path) -> None:
    """Write the session's notes into the recording's sidecar (none: no sidecar). A
    relay that cannot list notes leaves the recording without them."""
    try:
        notes = RelayNotes(target, sid, "").load()
    except CotermError:
        return
    path = sidecar_path(recording)
    if notes:
        write_notes(path, notes, sid)
    else:
        path.unlink(missing_ok=True)


def sync_sidecar(recording: Path, notes: RelayNotes) -> tuple[int, int]:
    """Upload the recording's sidecar notes to the relay session and bring the
    relay's notes into the sidecar; returns (uploaded, received). Notes already on
    the relay (same id) are not duplicated; local edits of uploaded notes are not
    sent again (edit those on the relay)."""
    path = sidecar_path(recording)
    local, _ = read_notes(path)
    remote = {n.id: n for n in notes.load()}
    uploaded = 0
    for note in local:
        if note.id not in remote:
            stored = notes.add(note.t, note.text, note=note)
            remote[stored.id] = stored
            uploaded += 1
    known = {n.id for n in local}
    received = sum(1 for nid in remote if nid not in known)
    write_notes(path, remote.values(), notes.sid)
    return uploaded, received


async def follow_notes(target: RelayTarget, sid: str) -> AsyncIterator[Notes]:
    """The session's notes (first message ``reset``), then every change, until the
    connection ends (the caller may reconnect)."""
    async with aiohttp.ClientSession() as http:
        try:
            ws = await http.ws_connect(f"{target.url}/ws/notes", headers=target.headers(),
                                       heartbeat=20)
        except (aiohttp.ClientError, OSError) as exc:
            raise CotermError(f"cannot reach the relay at {target.url}: {exc}") from None
        async with ws:
            await ws.send_bytes(encode(Hello("watch", sid, client=f"coterm/{__version__}")))
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.BINARY:
                    break
                message = decode(msg.data)
                if isinstance(message, Error):
                    raise CotermError(f"the relay refused: {message.message}")
                if isinstance(message, Notes):
                    yield message
