"""Processes run beneath the recorded shell, sampled from ``/proc`` without root.

Every :data:`INTERVAL` seconds the sampler walks the shell's descendants
(``/proc/<pid>/task/<tid>/children``, or a full ``/proc`` scan where the kernel
lacks that file) and reports each process it has not seen before, and each
one whose argv changed (a fork that then exec'd). What sampling misses:
processes that start and exit between two samples (most of a shell script's
``grep``/``sed``), and the argv of processes whose ``/proc`` entries the user
may not read (their cwd is then left empty).
"""

from __future__ import annotations

import os
from pathlib import Path

from coterm_tui.core.events import Process

#: Seconds between two samples.
INTERVAL = 0.1
#: At most this many processes are tracked (a fork bomb must not grow memory).
MAX_TRACKED = 4096
MAX_ARG = 4096


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _stat(proc: Path, pid: int) -> tuple[int, str] | None:
    """(ppid, starttime) from /proc/<pid>/stat."""
    raw = _read(proc / str(pid) / "stat")
    if raw is None:
        return None
    fields = raw[raw.rfind(b")") + 2:].split()
    if len(fields) < 20:
        return None
    return int(fields[1]), fields[19].decode()


class ProcSampler:
    """Reports new descendants of ``root`` as :class:`Process` events."""

    def __init__(self, root: int, proc: str | Path = "/proc") -> None:
        self.root = root
        self.proc = Path(proc)
        self._seen: dict[int, tuple[str, tuple[str, ...]]] = {}
        self._children_file = (self.proc / str(os.getpid()) / "task" / str(os.getpid())
                               / "children").exists()

    def descendants(self) -> list[int]:
        if self._children_file:
            return self._walk()
        return self._scan()

    def _walk(self) -> list[int]:
        out: list[int] = []
        todo = [self.root]
        while todo and len(out) < MAX_TRACKED:
            pid = todo.pop()
            try:
                tids = os.listdir(self.proc / str(pid) / "task")
            except OSError:
                continue
            for tid in tids:
                raw = _read(self.proc / str(pid) / "task" / tid / "children") or b""
                for child in raw.split():
                    out.append(int(child))
                    todo.append(int(child))
        return out

    def _scan(self) -> list[int]:
        parents: dict[int, list[int]] = {}
        for name in os.listdir(self.proc):
            if name.isdigit():
                st = _stat(self.proc, int(name))
                if st is not None:
                    parents.setdefault(st[0], []).append(int(name))
        out: list[int] = []
        todo = [self.root]
        while todo and len(out) < MAX_TRACKED:
            kids = parents.get(todo.pop(), [])
            out.extend(kids)
            todo.extend(kids)
        return out

    def sample(self, t: float) -> list[Process]:
        events: list[Process] = []
        alive: set[int] = set()
        for pid in self.descendants():
            st = _stat(self.proc, pid)
            raw = _read(self.proc / str(pid) / "cmdline")
            if st is None or not raw:
                continue  # gone, or a zombie
            alive.add(pid)
            argv = tuple(a.decode("utf-8", "replace")[:MAX_ARG]
                         for a in raw.rstrip(b"\0").split(b"\0"))[:256]
            key = (st[1], argv)
            if self._seen.get(pid) == key:
                continue
            self._seen[pid] = key
            try:
                cwd = os.readlink(self.proc / str(pid) / "cwd")
            except OSError:
                cwd = ""
            events.append(Process(t=t, pid=pid, ppid=st[0], argv=argv, cwd=cwd))
        for pid in set(self._seen) - alive:
            del self._seen[pid]
        return events
