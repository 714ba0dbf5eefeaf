"""asciicast headers (v2 and v3) to and from :class:`~coterm_tui.core.events.Header`.

Unknown header fields are kept in ``Header.extra`` and written back unchanged,
so a file read and re-written by coterm loses nothing another tool put there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..errors import EventError
from ..events import Header

V2_KNOWN = frozenset(
    {"version", "width", "height", "timestamp", "duration", "idle_time_limit", "command",
     "title", "env", "theme"}
)
V3_KNOWN = frozenset(
    {"version", "term", "timestamp", "idle_time_limit", "command", "title", "env", "tags"}
)


def _opt(d: Mapping[str, Any], key: str, types: tuple[type, ...]) -> Any:
    value = d.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, types):
        raise EventError(f"header field {key!r} has the wrong type")
    if isinstance(value, float) and not math.isfinite(value):
        raise EventError(f"header field {key!r} is not finite")
    return value


def _env(d: Mapping[str, Any]) -> dict[str, str | None]:
    env = d.get("env")
    if env is None:
        return {}
    if not isinstance(env, Mapping) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in env.items()
    ):
        raise EventError("header field 'env' must map names to strings")
    return dict(env)


def _theme(value: Any) -> Mapping[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise EventError("header field 'theme' must be an object")
    return dict(value)


def _timestamp(d: Mapping[str, Any]) -> int | None:
    ts = _opt(d, "timestamp", (int, float))
    if ts is not None and ts < 0:
        raise EventError("header field 'timestamp' is negative")
    return None if ts is None else int(ts)


def _idle(d: Mapping[str, Any]) -> float | None:
    idle = _opt(d, "idle_time_limit", (int, float))
    if idle is not None and idle <= 0:
        raise EventError("header field 'idle_time_limit' must be positive")
    return None if idle is None else float(idle)


def header_from_json(d: Any) -> Header:
    """Build a Header from a parsed v2 or v3 header object."""
    if not isinstance(d, Mapping):
        raise EventError("the header is not a JSON object")
    version = d.get("version")
    if version == 2:
        return Header(
            cols=d.get("width"),  # type: ignore[arg-type]  # validated by Header
            rows=d.get("height"),  # type: ignore[arg-type]
            version=2,
            term_type=(_env(d).get("TERM") or None),
            theme=_theme(d.get("theme")),
            timestamp=_timestamp(d),
            idle_time_limit=_idle(d),
            command=_opt(d, "command", (str,)),
            title=_opt(d, "title", (str,)),
            env=_env(d),
            extra={k: v for k, v in d.items() if k not in V2_KNOWN},
        )
    if version == 3:
        term = d.get("term")
        if not isinstance(term, Mapping):
            raise EventError("v3 header lacks the 'term' object")
        tags = d.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise EventError("header field 'tags' must be a list of strings")
        term_extra = {k: v for k, v in term.items()
                      if k not in {"cols", "rows", "type", "version", "theme"}}
        extra = {k: v for k, v in d.items() if k not in V3_KNOWN}
        if term_extra:
            extra["__term_extra__"] = term_extra
        return Header(
            cols=term.get("cols"),  # type: ignore[arg-type]
            rows=term.get("rows"),  # type: ignore[arg-type]
            version=3,
            term_type=_opt(term, "type", (str,)),
            term_version=_opt(term, "version", (str,)),
            theme=_theme(term.get("theme")),
            timestamp=_timestamp(d),
            idle_time_limit=_idle(d),
            command=_opt(d, "command", (str,)),
            title=_opt(d, "title", (str,)),
            env=_env(d),
            tags=tuple(tags),
            extra=extra,
        )
    raise EventError(f"unsupported asciicast version {version!r}")


def header_to_json(h: Header, version: int = 3) -> dict[str, Any]:
    """The header object of an asciicast v3 (default) or v2 file."""
    extra = {k: v for k, v in h.extra.items() if k != "__term_extra__"}
    out: dict[str, Any]
    if version == 2:
        out = {"version": 2, "width": h.cols, "height": h.rows}
        if h.theme is not None:
            out["theme"] = dict(h.theme)
    elif version == 3:
        term: dict[str, Any] = {"cols": h.cols, "rows": h.rows}
        if h.term_type is not None:
            term["type"] = h.term_type
        if h.term_version is not None:
            term["version"] = h.term_version
        if h.theme is not None:
            term["theme"] = dict(h.theme)
        term_extra = h.extra.get("__term_extra__")
        if isinstance(term_extra, Mapping):
            term.update(term_extra)
        out = {"version": 3, "term": term}
    else:
        raise EventError(f"cannot write asciicast version {version!r}")
    for key, value in (("timestamp", h.timestamp), ("idle_time_limit", h.idle_time_limit),
                       ("command", h.command), ("title", h.title)):
        if value is not None:
            out[key] = value
    env = dict(h.env)
    if version == 2 and h.term_type and "TERM" not in env:
        env["TERM"] = h.term_type  # v2 has no term.type: asciinema reads TERM from env
    if env:
        out["env"] = env
    if h.tags and version == 3:
        out["tags"] = list(h.tags)
    for key, value in extra.items():
        out.setdefault(key, value)
    return out
