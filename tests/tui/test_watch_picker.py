"""``coterm watch`` with no id: the session picker, from the relay's REST list."""

from __future__ import annotations

from textual.widgets import DataTable

from coterm_tui.app.screens.picker import PickerScreen, session_rows
from coterm_tui.app.screens.watch import WatchScreen
from coterm_tui.app.watch_app import make_watch
from coterm_tui.client import RelayTarget
from tests.support import until_async

from .livehelp import Broadcaster, RelayThread, header, view_text


def test_rows_put_live_sessions_first_then_newest_and_filter() -> None:
    sessions = [
        {"id": "old00001", "user": "bo", "host": "db1", "title": "backup",
         "started": "2026-11-28T10:00:00+00:00", "duration": 30, "live": False, "viewers": 0},
        {"id": "new00002", "user": "cy", "host": "web", "title": "logs",
         "started": "2026-11-29T09:00:00+00:00", "duration": 75, "live": False, "viewers": 0},
        {"id": "live0003", "user": "ana", "host": "box", "title": "deploy\x1b[2J",
         "started": "2026-11-27T08:00:00+00:00", "duration": 3700, "live": True, "viewers": 2},
    ]
    rows = session_rows(sessions)
    assert [r[1] for r in rows] == ["live0003", "new00002", "old00001"]
    assert rows[0][0] == "● live" and rows[0][3] == "deploy\ufffd[2J"  # no escape reaches us
    assert rows[0][5] == "1:01:40" and rows[0][6] == "2"
    assert [r[1] for r in session_rows(sessions, "DB1")] == ["old00001"]
    assert session_rows(sessions, "nothing") == []


async def test_picker_lists_the_relays_sessions_and_opens_one(relay: RelayThread) -> None:
    ended = Broadcaster(relay, "ended001", header(title="old job")).open()
    ended.output("done\r\n")
    ended.finish(0)
    live = Broadcaster(relay, "live0001", header(title="deploy api")).open()
    live.output("hello from live\r\n")
    live.wait_acked()
    app = make_watch(RelayTarget(relay.url), None, name="ana")
    async with app.run_test(size=(100, 24)) as pilot:
        assert isinstance(app.screen, PickerScreen)
        table = app.screen.query_one(DataTable)
        await until_async(lambda: table.row_count == 2, "the session list")
        assert table.get_row_at(0)[1] == "live0001"  # live first
        await pilot.press("o", "l", "d")  # type to filter
        await until_async(lambda: table.row_count == 1, "the filter")
        assert table.get_row_at(0)[1] == "ended001"
        for _ in "old":
            await pilot.press("backspace")
        await until_async(lambda: table.row_count == 2, "the filter cleared")
        assert table.cursor_row == 1  # the highlight stays on the session it was on
        await pilot.press("up", "enter")  # opens the live session
        await until_async(lambda: isinstance(app.screen, WatchScreen), "the watch screen")
        await until_async(lambda: any("hello from live" in r for r in view_text(app)),
                          "the live screen")
    live.close()
