"""asciicast v1/v2/v3 reading and v2/v3 writing.

* :func:`open_cast` / :class:`CastReader`: streaming reader (``reader``);
* :class:`CastWriter`: writer (``writer``);
* ``codec``: one event line <-> one typed event, shared by the versions;
* ``header``: the header object <-> :class:`~coterm_tui.core.events.Header`;
* ``v1``: the old single-document format, read whole (capped).
"""

from .header import header_from_json, header_to_json
from .reader import CastReader, Comment, open_cast, read_header
from .writer import CastWriter

__all__ = [
    "CastReader",
    "CastWriter",
    "Comment",
    "header_from_json",
    "header_to_json",
    "open_cast",
    "read_header",
]
