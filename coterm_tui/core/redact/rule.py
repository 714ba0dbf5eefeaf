"""One kind of secret: a regex, how the engine finds where to try it, and which part
of a match is the secret (see :mod:`.rules` for the table)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Extract", "Rule", "Span"]

Span = tuple[int, int]
Extract = Callable[["re.Match[str]"], "Span | None"]


@dataclass(frozen=True)
class Rule:
    """One kind of secret."""

    name: str
    pattern: re.Pattern[str]
    anchors: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    contains: str = ""  # token rules without a fixed start: a literal inside the token
    keep: int = 0
    extract: Extract | None = None
    keyed: bool = False  # the anchor lies in a key: match at the key's start only

    def span(self, m: re.Match[str]) -> Span | None:
        if self.extract is not None:
            return self.extract(m)
        if "s" in self.pattern.groupindex:
            if m.group("s") is None:
                return None
            return m.span("s")
        return m.span()
