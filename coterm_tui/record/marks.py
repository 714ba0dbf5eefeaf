"""``coterm mark [LABEL]``: a local socket through which a recorded session takes markers.

The recorder listens on a unix socket in a private (0700) directory and puts
its path in ``COTERM_SESSION_SOCKET`` for everything run inside the session.
A client connects, sends the label (UTF-8, at most :data:`MAX_LABEL` bytes),
shuts its side down and reads ``ok``.
"""

from __future__ import annotations

import contextlib
import os
import socket

from coterm_tui.core.errors import UsageError

MAX_LABEL = 1024
SOCKET_ENV = "COTERM_SESSION_SOCKET"
SESSION_ENV = "COTERM_SESSION_ID"


def clean_label(raw: bytes) -> str:
    """A label without control characters, at most 200 characters."""
    text = raw[:MAX_LABEL].decode("utf-8", "replace")
    return "".join(ch for ch in text if ch.isprintable())[:200].strip()


class MarkServer:
    """The listening side, polled by the capture pipeline (never blocks for long)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        os.chmod(path, 0o600)
        self.sock.listen(16)
        self.sock.setblocking(False)

    def fileno(self) -> int:
        return self.sock.fileno()

    def accept(self) -> list[str]:
        """Labels from every client waiting now."""
        labels: list[str] = []
        while True:
            try:
                conn, _ = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return labels
            with conn:
                conn.settimeout(0.5)
                data = b""
                try:
                    while len(data) <= MAX_LABEL:
                        piece = conn.recv(MAX_LABEL + 1 - len(data))
                        if not piece:
                            break
                        data += piece
                    labels.append(clean_label(data))
                    conn.sendall(b"ok\n")
                except OSError:
                    continue

    def close(self) -> None:
        self.sock.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)


def send_mark(label: str, path: str | None = None, timeout: float = 3.0) -> None:
    """Ask the recording this process runs in to add a marker."""
    path = path or os.environ.get(SOCKET_ENV)
    if not path:
        raise UsageError("not inside a coterm recording (COTERM_SESSION_SOCKET is not set)")
    data = label.encode("utf-8")
    if len(data) > MAX_LABEL:
        raise UsageError(f"the label is longer than {MAX_LABEL} bytes")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(path)
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            reply = sock.recv(16)
    except OSError as exc:
        raise UsageError(f"cannot reach the recording at {path}: {exc.strerror or exc}") from exc
    if not reply.startswith(b"ok"):
        raise UsageError("the recording did not accept the marker")
