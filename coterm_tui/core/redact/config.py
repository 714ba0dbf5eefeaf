"""Build a :class:`Redactor` from the ``[redact]`` table of the user's config.

::

    [redact]
    allowlist = ["EXAMPLE[A-Z0-9]+"]       # secrets matching these are kept
    entropy = true                         # the unknown-token detector (default on)
    [[redact.rules]]
    name = "acme-key"
    pattern = "acme_[a-z0-9]{32}"          # group "s" (or group 1) = the secret
    keywords = ["acme_"]                   # literal words; without them the rule
                                           # runs on every text (slower)

A bad table or regex raises :class:`RedactConfigError` at start, never mid-session.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from coterm_tui.core.errors import RedactConfigError

from .allowlist import Allowlist, compile_pattern
from .engine import Redactor
from .rules import Rule, default_rules

__all__ = ["load_redactor", "user_rule"]

_KEYS = {"rules", "allowlist", "entropy"}
_RULE_KEYS = {"name", "pattern", "keywords"}
_MAX_RULES = 256


def _user_span(m: re.Match[str]) -> tuple[int, int] | None:
    if "s" in m.re.groupindex:
        span = m.span("s")
    elif m.re.groups:
        span = m.span(1)
    else:
        span = m.span()
    return None if span[0] < 0 else span


def user_rule(spec: Any, index: int) -> Rule:
    """One ``[[redact.rules]]`` entry as a :class:`Rule`."""
    where = f"redact.rules[{index}]"
    if not isinstance(spec, Mapping):
        raise RedactConfigError(f"{where}: must be a table with name and pattern")
    unknown = set(spec) - _RULE_KEYS
    if unknown:
        raise RedactConfigError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    name = spec.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 64:
        raise RedactConfigError(f"{where}: name must be a short non-empty string")
    pattern = compile_pattern(spec.get("pattern"), f"{where} ({name})")
    keywords = spec.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k for k in keywords):
        raise RedactConfigError(f"{where} ({name}): keywords must be a list of strings")
    return Rule(name, pattern, anchors=tuple(k.lower() for k in keywords), extract=_user_span)


def load_redactor(config: Mapping[str, Any] | None = None) -> Redactor:
    """The built-in rules plus the user's rules and allowlist from ``config``."""
    config = config or {}
    if not isinstance(config, Mapping):
        raise RedactConfigError("[redact] must be a table")
    unknown = set(config) - _KEYS
    if unknown:
        raise RedactConfigError(f"[redact]: unknown key {sorted(unknown)[0]!r}")
    specs = config.get("rules", [])
    if not isinstance(specs, list) or len(specs) > _MAX_RULES:
        raise RedactConfigError(f"redact.rules must be a list of at most {_MAX_RULES} tables")
    extra = [user_rule(spec, i) for i, spec in enumerate(specs)]
    allow = config.get("allowlist", [])
    if not isinstance(allow, list):
        raise RedactConfigError("redact.allowlist must be a list of regexes")
    allowlist = Allowlist(compile_pattern(p, f"redact.allowlist[{i}]")
                          for i, p in enumerate(allow))
    entropy = config.get("entropy", True)
    if not isinstance(entropy, bool):
        raise RedactConfigError("redact.entropy must be true or false")
    return Redactor(
        [*default_rules(), *(r for r in extra if r.anchors)],
        allowlist,
        entropy=entropy,
        full_scan=[r for r in extra if not r.anchors],
    )
