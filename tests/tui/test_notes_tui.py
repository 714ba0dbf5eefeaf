"""Notes in the TUI, driven with Pilot: the input (n), the panel (N: seek, edit,
delete own), the timeline marks and ]/[ — on a local file's sidecar, and between
two viewers of one relay session (a note added in one appears in the other,
without reload), with escape sequences stripped on the way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input

from coterm_tui.app.player_app import PlayerApp
from coterm_tui.app.screens.notes_panel import NotesPanel
from coterm_tui.app.watch_app import make_watch
from coterm_tui.app.widgets.note_input import NoteInputScreen
from coterm_tui.app.widgets.timeline_bar import TimelineBar
from coterm_tui.client import RelayTarget
from coterm_tui.client.notes import RelayNotes, follow_notes
from coterm_tui.core.asciicast import CastWriter
from coterm_tui.core.events import Header, Output
from coterm_tui.core.notes_file import SidecarNotes, read_notes, sidecar_path
from tests.support import until_async

from .helpers import open_player, press, settle, status, wait_until
from .livehelp import Broadcaster, RelayThread

SIZE = (80, 24)


def make_cast(path: Path, seconds: int = 20) -> Path:
    with CastWriter(path, Header(cols=40, rows=8, extra={"coterm": {"session": "abc123"}})) as w:
        for i in range(seconds + 1):
            w.write(Output(float(i), f"line {i}\r\n"))
    return path


def note_marks(app: Any) -> list[tuple[float, str]]:
    bar = app.screen_stack[-1].query(TimelineBar) or app.screen_stack[1].query(TimelineBar)
    return [(m.t, m.label) for m in bar.first().notes]


def toasts(app: Any) -> list[str]:
    return [f"{n.title} | {n.message}" for n in app._notifications]  # noqa: SLF001


async def type_note(pilot: Any, text: str) -> None:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteInputScreen)
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_note_on_a_file_goes_to_its_sidecar(tmp_path: Path) -> None:
    cast = make_cast(tmp_path / "x.cast")
    app = open_player(cast, at=7.0, notes=SidecarNotes(cast, "ana@box"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "disk \x1b[31mfull\x07")
        await wait_until(pilot, lambda: len(app.notebook) == 1)
        notes, _ = read_notes(sidecar_path(cast))
        assert [(n.t, n.author, n.text) for n in notes] == [(7.0, "ana@box", "disk [31mfull")]
        assert note_marks(app) == [(7.0, "ana@box: disk [31mfull")]
        assert toasts(app) == ["✎ ana@box at 00:07.0 | disk [31mfull"]
        # Escape cancels
        await pilot.press("n")
        await pilot.press("x", "escape")
        await pilot.pause()
        assert len(read_notes(sidecar_path(cast))[0]) == 1
        # ] steps to the note, [ back to the start
        await press(pilot, "g")
        await press(pilot, "right_square_bracket")
        assert status(pilot).t == 7.0


async def test_panel_seeks_edits_and_deletes_own_notes(tmp_path: Path) -> None:
    cast = make_cast(tmp_path / "x.cast")
    SidecarNotes(cast, "bob").add(3.0, "bob's note")
    SidecarNotes(cast, "ana").add(12.5, "mine")
    app = open_player(cast, notes=SidecarNotes(cast, "ana"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: len(app.notebook) == 2)
        await pilot.press("N")
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, NotesPanel)
        table = panel.query_one(DataTable)
        assert [[str(c) for c in table.get_row_at(i)] for i in range(2)] == [
            ["00:03.0", "bob", "bob's note"], ["00:12.5", "ana", "mine"]]
        await pilot.press("d")  # bob's: refused
        await pilot.pause()
        assert len(app.notebook) == 2 and "only its author" in toasts(app)[-1]
        await pilot.press("down", "e")
        await pilot.pause()
        assert isinstance(app.screen, NoteInputScreen)
        app.screen.query_one(Input).value = "mine, edited"
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(n.text == "mine, edited"
                                            for n in app.notebook.notes()))
        assert [str(c) for c in table.get_row_at(1)][2] == "mine, edited"
        await pilot.press("enter")  # seek to it; the panel closes
        await pilot.pause()
        await settle(pilot)
        assert status(pilot).t == 12.5 and not isinstance(app.screen, NotesPanel)
        await pilot.press("N", "down", "d")
        await wait_until(pilot, lambda: len(app.notebook) == 1)
        assert [n.text for n in read_notes(sidecar_path(cast))[0]] == ["bob's note"]


def relay_player(relay: RelayThread, sid: str, path: Path, name: str) -> PlayerApp:
    target = RelayTarget(relay.url)
    return open_player(path, notes=RelayNotes(target, sid, name),
                       follow_notes=lambda: follow_notes(target, sid))


async def test_two_viewers_see_each_others_notes_live(relay: RelayThread,
                                                     tmp_path: Path) -> None:
    from coterm_tui.client import api

    b = Broadcaster(relay, "two01").open()
    b.output(*[f"line {i}\r\n" for i in range(10)], dt=1.0)
    b.wait_acked()
    b.finish()
    await until_async(lambda: api.get_session(RelayTarget(relay.url), "two01")["live"] is False,
                      "the session to end")
    path = api.download(RelayTarget(relay.url), "two01", tmp_path / "two01.cast")
    ana = relay_player(relay, "two01", path, "ana")
    watcher = make_watch(RelayTarget(relay.url), "two01", name="bob")
    async with ana.run_test(size=SIZE) as pa, watcher.run_test(size=SIZE) as pb:
        await settle(pa)
        await until_async(lambda: watcher.notes_backend is not None, "the watcher's notes")
        await press(pa, "right")  # 5 s
        await type_note(pa, "here \x1b]0;pwned\x07it broke")
        for app, pilot in ((ana, pa), (watcher, pb)):
            await wait_until(pilot, lambda app=app: len(app.notebook) == 1)
            assert note_marks(app) == [(5.0, "ana: here ]0;pwnedit broke")]
            assert toasts(app)[-1] == "✎ ana at 00:05.0 | here ]0;pwnedit broke"
        # bob's note comes back the other way, into ana's open panel
        await pa.press("N")
        await pa.pause()
        await pb.press("n")
        await pb.pause()
        watcher.screen.query_one(Input).value = "agreed"
        await pb.press("enter")
        await wait_until(pa, lambda: len(ana.notebook) == 2)
        table = ana.screen.query_one(DataTable)
        await wait_until(pa, lambda: table.row_count == 2)
        rows = [[str(c) for c in table.get_row_at(i)][1:] for i in range(2)]
        assert ["bob", "agreed"] in rows and ["ana", "here ]0;pwnedit broke"] in rows
        # ana deletes hers from the panel: gone for bob too
        ids = [n.id for n in ana.notebook.notes()]
        table.move_cursor(row=[n.author for n in ana.notebook.notes()].index("ana"))
        await pa.press("d")
        await wait_until(pb, lambda: [n.author for n in watcher.notebook.notes()] == ["bob"])
        assert len(ids) == 2


async def test_note_in_live_watch_is_pinned_to_now(relay: RelayThread) -> None:
    b = Broadcaster(relay, "live01").open()
    b.output("deploying\r\n", "step 1\r\n", dt=2.0)  # head at 4 s
    b.wait_acked()
    watcher = make_watch(RelayTarget(relay.url), "live01", name="cy")
    async with watcher.run_test(size=SIZE) as pilot:
        await until_async(lambda: watcher.engine is not None
                          and watcher.engine.status.following
                          and watcher.engine.status.t == 4.0, "following the head")
        await until_async(lambda: watcher.notes_backend is not None, "notes")
        await type_note(pilot, "it's stuck")
        await wait_until(pilot, lambda: len(watcher.notebook) == 1)
        assert [(n.t, n.author) for n in watcher.notebook.notes()] == [(4.0, "cy")]
        assert toasts(watcher)[-1] == "✎ cy at 00:04.0 | it's stuck"
    b.close()


async def test_known_notes_are_not_announced_and_a_relay_restart_is_survived(
        relay: RelayThread, tmp_path: Path) -> None:
    from coterm_tui.client import api
    from relay.notes import LISTENERS

    b = Broadcaster(relay, "rst01").open()
    b.output(*[f"line {i}\r\n" for i in range(6)], dt=1.0)
    b.wait_acked()
    b.finish()
    b.close()
    target = RelayTarget(relay.url)
    await until_async(lambda: api.get_session(target, "rst01")["live"] is False, "the end")
    RelayNotes(target, "rst01", "bo").add(2.0, "before")
    path = api.download(target, "rst01", tmp_path / "rst01.cast")
    app = relay_player(relay, "rst01", path, "ana")

    def listening() -> bool:
        runner = relay._runner  # noqa: SLF001
        return runner is not None and bool(runner.app[LISTENERS].get("rst01"))

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: len(app.notebook) == 1)
        await until_async(listening, "the notes stream")
        assert toasts(app) == []  # notes already there are listed, not announced
        relay.stop()
        relay.start()  # same port, same data
        await until_async(listening, "the notes stream to reconnect")
        RelayNotes(target, "rst01", "bo").add(3.0, "after the restart")
        await wait_until(pilot, lambda: len(app.notebook) == 2)
        assert toasts(app)[-1] == "✎ bo at 00:03.0 | after the restart"
