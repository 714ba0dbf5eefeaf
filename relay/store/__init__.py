"""Storage behind one interface: :class:`Store`; the embedded :class:`SqliteStore`."""

from .base import SCOPES, SessionInfo, Store, TokenInfo
from .sqlite import SqliteStore

__all__ = ["SCOPES", "SessionInfo", "SqliteStore", "Store", "TokenInfo"]
