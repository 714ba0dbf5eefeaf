"""SGR (Select Graphic Rendition, ``CSI … m``) parsing into pyte's ``Char`` attributes.

pyte's own SGR handler raises on private forms (``CSI > 4;2 m``), misreads the colon
forms (``38:2::r:g:b``, ``4:3``), lets ``58;5;n`` (underline colour) leak its arguments
into other attributes and writes a typo (``bfightmagenta``) for SGR 105. This one is total:
any parameter list gives an attribute change, never an exception.

Colours follow pyte's conventions so every consumer of pyte cells keeps working:
``"default"``, the 16 names below (pyte calls yellow ``"brown"``), or six lowercase hex
digits for 256-colour and truecolour values.
"""

from __future__ import annotations

from typing import Any

from pyte.graphics import FG_BG_256
from pyte.screens import Char

#: The 16 named colours, indexed as in SGR 30–37 / 90–97.
NAMES: tuple[str, ...] = (
    "black", "red", "green", "brown", "blue", "magenta", "cyan", "white",
    "brightblack", "brightred", "brightgreen", "brightbrown",
    "brightblue", "brightmagenta", "brightcyan", "brightwhite",
)  # fmt: skip
NAME_INDEX: dict[str, int] = {name: i for i, name in enumerate(NAMES)}

_FLAGS: dict[int, tuple[str, bool]] = {
    1: ("bold", True),
    3: ("italics", True),
    4: ("underscore", True),
    5: ("blink", True),
    6: ("blink", True),
    7: ("reverse", True),
    9: ("strikethrough", True),
    21: ("underscore", True),
    22: ("bold", False),
    23: ("italics", False),
    24: ("underscore", False),
    25: ("blink", False),
    27: ("reverse", False),
    29: ("strikethrough", False),
}

Param = list[int | None]
"""One SGR parameter with its colon sub-parameters (``None`` where empty)."""


def split_params(text: str) -> list[Param]:
    """``"38:2::1:2:3;1"`` -> ``[[38, 2, None, 1, 2, 3], [1]]``; values clamped to 65535."""
    out: list[Param] = []
    for group in text.split(";"):
        out.append([min(int(p), 65535) if p else None for p in group.split(":")])
    return out


def _extended(params: list[Param], i: int) -> tuple[str | None, int]:
    """Read an extended colour (38/48/58) starting at ``params[i]``.

    Returns (colour or None when malformed, index of the next parameter to read)."""
    head = params[i]
    if len(head) > 1:  # colon form: 38:5:n or 38:2[:cs]:r:g:b
        sub = head[1:]
        kind = sub[0]
        if kind == 5 and len(sub) >= 2:
            return _indexed(sub[1]), i + 1
        if kind == 2 and len(sub) >= 4:
            rgb = sub[-3:]
            return _rgb(rgb[0], rgb[1], rgb[2]), i + 1
        return None, i + 1
    # semicolon form: 38;5;n or 38;2;r;g;b
    rest = [p[0] for p in params[i + 1 : i + 5]]
    if rest and rest[0] == 5:
        if len(rest) >= 2:
            return _indexed(rest[1]), i + 3
        return None, len(params)
    if rest and rest[0] == 2:
        if len(rest) >= 4:
            return _rgb(rest[1], rest[2], rest[3]), i + 5
        return None, len(params)
    return None, i + 2 if rest else i + 1


def _indexed(n: int | None) -> str | None:
    if n is None or n > 255:
        return None
    return FG_BG_256[n]


def _rgb(r: int | None, g: int | None, b: int | None) -> str:
    return f"{min(r or 0, 255):02x}{min(g or 0, 255):02x}{min(b or 0, 255):02x}"


def apply_sgr(attrs: Char, text: str, default: Char) -> Char:
    """The cursor attributes after ``CSI <text> m`` (text without private markers)."""
    if not text or text == "0":
        return default
    params = split_params(text)
    change: dict[str, Any] = {}
    i = 0
    while i < len(params):
        head = params[i]
        code = head[0] or 0
        if code == 0:
            change = dict(default._asdict())
        elif 30 <= code <= 37:
            change["fg"] = NAMES[code - 30]
        elif 40 <= code <= 47:
            change["bg"] = NAMES[code - 40]
        elif 90 <= code <= 97:
            change["fg"] = NAMES[code - 90 + 8]
        elif 100 <= code <= 107:
            change["bg"] = NAMES[code - 100 + 8]
        elif code == 39:
            change["fg"] = "default"
        elif code == 49:
            change["bg"] = "default"
        elif code in (38, 48, 58):
            colour, i = _extended(params, i)
            if colour is not None and code != 58:
                change["fg" if code == 38 else "bg"] = colour
            continue
        elif code == 4 and len(head) > 1:  # 4:0 no underline, 4:1..5 styles
            change["underscore"] = bool(head[1])
        elif code in _FLAGS:
            name, value = _FLAGS[code]
            change[name] = value
        i += 1
    return attrs._replace(**change) if change else attrs
