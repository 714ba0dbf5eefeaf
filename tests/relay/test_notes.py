"""Notes on the relay, over real HTTP and WebSockets: add/list/edit/delete, live
fan-out to every viewer, scope and ownership, the past-end refusal, restarts and
escape-sequence injection."""

from __future__ import annotations

import json
import time
from dataclasses import replace

from relayhelp import acked, closed_with, publisher, recv_until, relay_of, send_output, viewer

from coterm_tui.core import wire
from coterm_tui.core.events import Note


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token(client, name: str, scope: str = "view") -> str:
    return relay_of(client).store.create_token(name, scope, time.time())[1]


def notes_in(messages: list[wire.Message]) -> list[Note]:
    return [n for m in messages if isinstance(m, wire.Notes) for n in m.notes]


async def ended_session(client, sid: str, seconds: int = 5) -> None:
    """A finished recording ``seconds`` long."""
    pub, _ = await publisher(client, sid)
    await pub.send_bytes(wire.encode(wire.Frame(1, wire.Output(0.0, "start\r\n"))))
    await pub.send_bytes(wire.encode(wire.Frame(2, wire.Output(float(seconds), "end\r\n"))))
    await acked(pub, 2)
    await pub.send_bytes(wire.encode(wire.Bye("exit")))
    await closed_with(pub)


async def test_add_list_edit_delete_and_survive_a_restart(start_relay, settings):
    client = await start_relay()
    await ended_session(client, "note01")
    ana = token(client, "ana")
    resp = await client.post("/api/sessions/note01/notes", headers=bearer(ana),
                             json={"t": 2.5, "text": "disk full here"})
    assert resp.status == 201
    note = await resp.json()
    assert (note["t"], note["author"], note["text"], note["edited"]) == (
        2.5, "ana", "disk full here", None)
    resp = await client.post("/api/sessions/note01/notes", headers=bearer(ana),
                             json={"text": "the end"})  # no t: the end of the recording
    assert (await resp.json())["t"] == 5.0
    resp = await client.patch(f"/api/sessions/note01/notes/{note['id']}", headers=bearer(ana),
                              json={"text": "disk 100% full"})
    assert resp.status == 200 and (await resp.json())["edited"] is not None
    listed = (await (await client.get("/api/sessions/note01/notes")).json())["notes"]
    assert [(n["t"], n["text"]) for n in listed] == [(2.5, "disk 100% full"), (5.0, "the end")]
    resp = await client.delete(f"/api/sessions/note01/notes/{listed[1]['id']}",
                               headers=bearer(ana))
    assert resp.status == 200
    await client.close()

    again = await start_relay()  # same data dir: a restarted relay
    listed = (await (await again.get("/api/sessions/note01/notes")).json())["notes"]
    assert [(n["id"], n["author"], n["text"]) for n in listed] == [
        (note["id"], "ana", "disk 100% full")]


async def test_a_note_past_the_end_is_refused(client):
    await ended_session(client, "note02", seconds=10)
    resp = await client.post("/api/sessions/note02/notes", json={"t": 10.5, "text": "late"})
    assert resp.status == 400
    assert (await resp.json())["error"] == (
        "session note02: 00:10.5 is past the end of the recording (00:10.0)")
    for bad in ({"t": -1, "text": "x"}, {"t": "1", "text": "x"}, {"text": ""},
                {"text": "x" * 2001}, {"t": 1}, {"text": "\x1b\x07"}):
        resp = await client.post("/api/sessions/note02/notes", json=bad)
        assert resp.status == 400, bad
    assert (await client.post("/api/sessions/nosuch/notes", json={"text": "x"})).status == 404
    assert (await (await client.get("/api/sessions/note02/notes")).json())["notes"] == []


async def test_scope_and_ownership(client):
    await ended_session(client, "note03")
    ana, bob = token(client, "ana"), token(client, "bob")
    root, caster = token(client, "root", "admin"), token(client, "caster", "broadcast")
    resp = await client.post("/api/sessions/note03/notes", headers=bearer(ana),
                             json={"t": 1, "text": "mine"})
    nid = (await resp.json())["id"]
    url = f"/api/sessions/note03/notes/{nid}"
    # another viewer may neither edit nor delete it
    resp = await client.patch(url, headers=bearer(bob), json={"text": "yours now"})
    assert resp.status == 403 and "ana's" in (await resp.json())["error"]
    assert (await client.delete(url, headers=bearer(bob))).status == 403
    # a broadcaster's token may not even see (so not annotate) someone else's session
    resp = await client.post("/api/sessions/note03/notes", headers=bearer(caster),
                             json={"text": "x"})
    assert resp.status == 403
    assert (await client.get("/api/sessions/note03/notes", headers=bearer("nope"))).status == 401
    # an author cannot be claimed with a token
    resp = await client.post("/api/sessions/note03/notes", headers=bearer(bob),
                             json={"t": 2, "text": "hi", "author": "ana"})
    assert (await resp.json())["author"] == "bob"
    # an admin may edit and delete anyone's
    resp = await client.patch(url, headers=bearer(root), json={"text": "moderated"})
    assert resp.status == 200 and (await resp.json())["author"] == "ana"
    assert (await client.delete(url, headers=bearer(root))).status == 200
    assert (await client.delete(url, headers=bearer(root))).status == 404
    who = await (await client.get("/api/whoami", headers=bearer(bob))).json()
    assert who == {"name": "bob", "scope": "view", "local": False}


async def test_notes_reach_every_viewer_at_once_and_late_joiners(client):
    pub, _ = await publisher(client, "note04")
    await send_output(pub, 1, ["a", "b"])
    await acked(pub, 2)
    first = await viewer(client, "note04")
    await recv_until(first, lambda m: isinstance(m, wire.Notes) and m.reset)
    second = await viewer(client, "note04")
    await recv_until(second, lambda m: isinstance(m, wire.Notes) and m.reset)
    resp = await client.post("/api/sessions/note04/notes", json={"text": "look", "author": "ana"})
    added = await resp.json()
    for ws in (first, second):
        got = notes_in(await recv_until(ws, lambda m: isinstance(m, wire.Notes)))
        assert [(n.id, n.author, n.text, n.deleted) for n in got] == [
            (added["id"], "ana", "look", False)]
    await client.delete(f"/api/sessions/note04/notes/{added['id']}")
    got = notes_in(await recv_until(first, lambda m: isinstance(m, wire.Notes)))
    assert [(n.id, n.deleted) for n in got] == [(added["id"], True)]
    await client.post("/api/sessions/note04/notes", json={"text": "kept", "author": "bo"})
    late = await viewer(client, "note04")
    got = await recv_until(late, lambda m: isinstance(m, wire.Notes))
    assert isinstance(got[0], wire.Init)  # screen state first, then the notes
    assert got[-1].reset and [n.text for n in got[-1].notes] == ["kept"]


async def test_notes_socket_follows_an_ended_session(client):
    await ended_session(client, "note05")
    for i in range(8):  # more than one Notes message holds
        await client.post("/api/sessions/note05/notes", json={"t": i / 2, "text": f"n{i}"})
    ws = await client.ws_connect("/ws/notes")
    await ws.send_bytes(wire.encode(wire.Hello("watch", "note05")))
    got = await recv_until(ws, lambda m: len(notes_in([m])) < wire.MAX_NOTES_PER_MESSAGE)
    assert got[0].reset and not any(m.reset for m in got[1:])
    assert [n.text for n in notes_in(got)] == [f"n{i}" for i in range(8)]
    await client.post("/api/sessions/note05/notes", json={"t": 1, "text": "new"})
    got = notes_in(await recv_until(ws, lambda m: isinstance(m, wire.Notes)))
    assert [n.text for n in got] == ["new"]
    bad = await client.ws_connect("/ws/notes")
    await bad.send_bytes(wire.encode(wire.Hello("watch", "nosuch")))
    code, _ = await closed_with(bad)
    assert code == 4404


async def test_escape_sequences_never_reach_other_viewers(client):
    await ended_session(client, "note06")
    evil = relay_of(client).store.create_token("mal\x1b[31mlory\x07", "view", time.time())[1]
    ws = await client.ws_connect("/ws/notes")
    await ws.send_bytes(wire.encode(wire.Hello("watch", "note06")))
    await recv_until(ws, lambda m: isinstance(m, wire.Notes) and m.reset)
    text = ("\x1b]0;owned\x07title \x1b[2J\x1b[Hcleared \x9b31m c1 \x1bPdcs\x1b\\ "
            "bidi\u202e \u0007bell\r\nnext\tline")
    resp = await client.post("/api/sessions/note06/notes", headers=bearer(evil),
                             json={"t": 1, "text": text})
    stored = await resp.json()
    got = notes_in(await recv_until(ws, lambda m: isinstance(m, wire.Notes)))
    for value in (stored["text"], stored["author"], got[0].text, got[0].author):
        assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in value), value
        assert "\u202e" not in value
    assert got[0].author == "mal[31mlory"
    assert got[0].text == "]0;ownedtitle [2J[Hcleared 31m c1 Pdcs\\ bidi bell next line"


async def test_uploaded_notes_keep_their_id_and_are_not_duplicated(client):
    await ended_session(client, "note07")
    body = {"id": "0123456789abcdef", "t": 1.0, "text": "from a sidecar", "created": 1000.0}
    first = await client.post("/api/sessions/note07/notes", json=body)
    again = await client.post("/api/sessions/note07/notes", json=body)
    assert first.status == 201 and again.status == 200
    assert (await first.json())["created"] == 1000.0
    listed = (await (await client.get("/api/sessions/note07/notes")).json())["notes"]
    assert [n["id"] for n in listed] == ["0123456789abcdef"]
    # the same id in another session gets a fresh one rather than moving the note
    await ended_session(client, "note08")
    moved = await (await client.post("/api/sessions/note08/notes", json=body)).json()
    assert moved["id"] != body["id"]
    assert (await client.post("/api/sessions/note08/notes", json={**body, "id": "X"})).status == 400


def test_store_keeps_tombstones_out_of_lists(tmp_path):
    from relay.store import SqliteStore

    store = SqliteStore(tmp_path, fsync=False)
    note = Note(1.0, "00000000000000aa", "ana", "x", 1.0)
    assert store.add_note("s1", note) and not store.add_note("s2", note)
    assert store.update_note("s1", replace(note, deleted=True))
    assert store.list_notes("s1") == [] and store.get_note("s1", note.id).deleted
    assert not store.update_note("s2", note)
    store.close()


async def test_download_carries_notes_as_markers(client):
    await ended_session(client, "note09", seconds=4)
    await client.post("/api/sessions/note09/notes", json={"t": 2, "text": "mid", "author": "ana"})
    await client.post("/api/sessions/note09/notes", json={"text": "last", "author": "bo"})
    body = await (await client.get("/api/sessions/note09/download?format=v2")).text()
    events = [json.loads(line) for line in body.splitlines()[1:]]
    assert [e for e in events if e[1] == "m"] == [[2.0, "m", "note: ana: mid"],
                                                  [4.0, "m", "note: bo: last"]]
    assert [e[1] for e in events] == ["o", "m", "m", "o"]  # a marker precedes its moment


async def test_live_session_now_and_its_limit(client):
    pub, _ = await publisher(client, "note10")
    await send_output(pub, 1, ["a", "b"], t0=2.0)
    await acked(pub, 2)
    note = await (await client.post("/api/sessions/note10/notes", json={"text": "now"})).json()
    assert note["live"] is True and note["t"] >= 2.01  # never before the last frame
    resp = await client.post("/api/sessions/note10/notes", json={"t": 3600, "text": "future"})
    assert resp.status == 400 and "past the end" in (await resp.json())["error"]
