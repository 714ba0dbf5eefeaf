"""The user's allowlist: regexes for values that must never be masked."""

from __future__ import annotations

import re
from collections.abc import Iterable

from coterm_tui.core.errors import RedactConfigError

__all__ = ["Allowlist", "compile_pattern"]


def compile_pattern(pattern: object, where: str) -> re.Pattern[str]:
    """Compile a user regex, or raise :class:`RedactConfigError` naming ``where``."""
    if not isinstance(pattern, str) or not pattern:
        raise RedactConfigError(f"{where}: pattern must be a non-empty string")
    if len(pattern) > 4096:
        raise RedactConfigError(f"{where}: pattern is longer than 4096 characters")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RedactConfigError(f"{where}: bad regex {pattern!r}: {exc}") from None


class Allowlist:
    """Secrets matching any of these patterns (searched in the secret) are kept."""

    def __init__(self, patterns: Iterable[re.Pattern[str]] = ()) -> None:
        self.patterns = tuple(patterns)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def allows(self, secret: str) -> bool:
        return any(p.search(secret) for p in self.patterns)
