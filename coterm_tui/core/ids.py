"""Session ids: short, unambiguous, easy to read aloud on a call ("k3x9m2")."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i
SESSION_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{2,63}$")


def new_session_id(length: int = 6) -> str:
    """A random session id (31^6 ≈ 887 million of them)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def is_session_id(text: str) -> bool:
    """Whether ``text`` may name a session (also used to tell ids from file paths)."""
    return bool(SESSION_ID_RE.match(text))
