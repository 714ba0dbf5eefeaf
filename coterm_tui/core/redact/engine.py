"""The redaction engine: find secrets in a text and mask them, same length.

Speed comes from not running regexes where they cannot match:

1. escape sequences are stripped (matches are mapped back to the original);
2. one translate + literal regex over bytes finds every long token; a token rule
   is tried only where a token starts with one of its prefixes, and the entropy
   detector looks only at those tokens;
3. each context rule runs only on the lines around a hit of one of its literal
   anchors in the lower-cased text (one ``str.find`` scan per anchor);
4. before all that, :mod:`.prefilter` looks at the text with its SGR sequences still in
   (coloured output): which anchors may occur, and whether a long token may. Most texts
   hold neither and are done without stripping anything.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .allowlist import Allowlist
from .anchors import COMMON_KEYS, GATE, SKIP, Entry, key_start, minimal_anchors
from .ansi import strip, strip_sgr
from .entropy import is_random_token
from .prefilter import LONG_TOKEN, TOKEN_START, Hint, Prefilter, token_table
from .rules import PEM_RULE, Rule

__all__ = ["Finding", "Redactor", "MASK", "mask_text"]

MASK = "*"
_KEEP_NEWLINES = re.compile(r"[^\r\n]")
#: Characters of a "token" in the fast scan (bytes: 'a' for token chars, ' ' otherwise).
_TOKEN_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.~-"
)
_TABLE = token_table(_TOKEN_CHARS)
_B64_REGION = re.compile(r"[A-Za-z0-9+/=_.~-]+")
_B64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_PEM_LINE = re.compile(r"[A-Za-z0-9+/]{60,76}")
_BACK = 512
#: What ends a URL, and the words that make a URL carry credentials (webhooks, signed
#: links, token parameters).
_URL_BREAK = re.compile(r"[\s\"'<>`]")
_SECRET_URL = re.compile(
    r"(?i)(?:^|[/?&#._=-])(?:(?:web)?hooks?|tokens?|keys?|apikey|secrets?|auth|sig|signature"
    r"|pass(?:word)?|cred(?:ential)?s?|session)(?=$|[/?&#=._-])|@")
_URL_PIECE = re.compile(r"[A-Za-z0-9+_-]{16,}={0,2}")
#: Tokens the entropy detector always rejects, when not part of a longer base64 run.
_PLAIN_TOKEN = re.compile(r"[0-9a-fA-F]+|[a-z0-9._~-]*[a-z][a-z0-9._~-]*|[A-Z0-9._~-]+")
_B64_EDGE = frozenset("+/=")
_FORWARD = 4096
_FILTER_ANCHORS = 4096
#: An anchor to scan for: (base, keyed entries, window entries, base in ASCII or None).
_Anchor = tuple[str, list[Entry], list[Entry], bytes | None]
#: Rule name of the entropy detector.
ENTROPY = "high-entropy"


@dataclass(frozen=True, slots=True)
class Finding:
    """Characters ``start:end`` of the scanned text were masked by ``rule``."""

    rule: str
    start: int
    end: int


def mask_text(text: str) -> str:
    """Every character but line breaks replaced by the mask character."""
    return _KEEP_NEWLINES.sub(MASK, text)


class Redactor:
    """Finds and masks secrets in one text at a time (thread-safe, stateless)."""

    def __init__(self, rules: Iterable[Rule], allowlist: Allowlist | None = None,
                 entropy: bool = True, full_scan: Iterable[Rule] = ()) -> None:
        self.rules = tuple(rules)
        self.allowlist = allowlist or Allowlist()
        self.entropy = entropy
        self.full_scan = tuple(full_scan)
        self._by_prefix: dict[str, list[tuple[str, Rule]]] = defaultdict(list)
        self._contains: list[Rule] = []
        self._anchors: dict[str, list[Rule]] = defaultdict(list)
        for rule in self.rules:
            for p in rule.prefixes:
                self._by_prefix[p[:2]].append((p, rule))
            if rule.contains:
                self._contains.append(rule)
            for a in rule.anchors:
                self._anchors[a].append(rule)
        self._anchors[PEM_RULE.anchors[0]].append(PEM_RULE)
        self._anchor_list = [(base, keyed, window, base.encode() if base.isascii() else None)
                             for base, keyed, window in minimal_anchors(self._anchors)]
        self._prefilter = Prefilter(self._anchor_list, [a[3] for a in self._anchor_list],
                                    _TOKEN_CHARS)
        self._by_id = {id(r): r for r in (*self.rules, PEM_RULE)}
        self._contains_re = (re.compile("|".join(re.escape(r.contains) for r in self._contains))
                             if self._contains else None)

    # ------------------------------------------------------------------ public
    def mask(self, text: str) -> tuple[str, list[Finding]]:
        """``text`` with every secret character masked, and what was masked."""
        findings = self.find(text)
        if not findings:
            return text, []
        return self.apply(text, findings), findings

    @staticmethod
    def apply(text: str, findings: Iterable[Finding]) -> str:
        """Mask the characters of ``findings`` (sorted, disjoint) in ``text``."""
        out: list[str] = []
        pos = 0
        for f in findings:
            out.append(text[pos:f.start])
            out.append(mask_text(text[f.start:f.end]))
            pos = f.end
        out.append(text[pos:])
        return "".join(out)

    def find(self, text: str, entropy: bool | None = None) -> list[Finding]:
        """Masked ranges of ``text`` (sorted, disjoint; escape sequences inside kept).
        ``entropy=False`` leaves out the entropy detector (rules only)."""
        raw = text.encode("latin-1", "replace")  # one byte per character: same positions
        hint = None if self.full_scan else self._prefilter.screen(text, raw)
        data: bytes | None = raw
        if hint is None:
            plain = strip(text)
            if plain.text is not text:
                data = None
        elif hint.plain is None:
            return []  # nothing could match
        else:
            plain, data = strip_sgr(text, hint.plain), hint.plain
        spans = self._spans(plain.text, self.entropy if entropy is None else entropy, data, hint)
        if not spans:
            return []
        out: list[Finding] = []
        for rule, s, e in spans:
            for os_, oe in plain.to_original(s, e):
                if out and out[-1].end >= os_ and out[-1].rule == rule:
                    out[-1] = Finding(rule, out[-1].start, max(oe, out[-1].end))
                else:
                    out.append(Finding(rule, os_, oe))
        return out

    def token_rule_for(self, tok: str) -> Rule | None:
        """The token rule ``tok`` may be the start of: it begins with the rule's prefix
        (3+ characters), or is a 4+ character start of a longer one (``AGE-SECRET-KE``)."""
        for prefix, rule in self._by_prefix.get(tok[:2], ()):
            if len(prefix) >= 3 and len(tok) > len(prefix) and tok.startswith(prefix):
                return rule
            if len(tok) >= 4 and len(prefix) > len(tok) and prefix.startswith(tok):
                return rule
        return None

    # ------------------------------------------------------------------ scanning
    def _spans(self, text: str, entropy: bool, data: bytes | None = None,
               hint: Hint[_Anchor] | None = None) -> list[tuple[str, int, int]]:
        """Masked ranges of the plain ``text`` (``data``: its latin-1 bytes if known;
        ``hint``: what the prefilter found)."""
        raw: list[tuple[int, int, str]] = []
        if data is None:
            data = text.encode("latin-1", "replace")  # one byte per character
        self._scan_tokens(text, data, raw, entropy)
        self._scan_anchors(text, data, raw, None if hint is None else hint.anchors)
        for rule in self.full_scan:
            for m in rule.pattern.finditer(text):
                self._add(rule, m, raw)
        if not raw:
            return []
        raw.sort()
        merged: list[tuple[str, int, int]] = []
        for s, e, name in raw:
            if merged and s <= merged[-1][2]:
                if e > merged[-1][2]:
                    r, ms, _ = merged[-1]
                    merged[-1] = (r, ms, e)
            else:
                merged.append((name, s, e))
        return merged

    def _add(self, rule: Rule, m: re.Match[str], raw: list[tuple[int, int, str]]) -> None:
        span = rule.span(m)
        if span is None:
            return
        s, e = span
        if e - s > rule.keep + 4:
            s += rule.keep
        if s < e and not (self.allowlist and self.allowlist.allows(m.string[s:e])):
            raw.append((s, e, rule.name))

    def _scan_tokens(self, text: str, data: bytes, raw: list[tuple[int, int, str]],
                     entropy: bool) -> None:
        data = data.translate(_TABLE)
        first = data.find(TOKEN_START)  # Horspool skips 16 at a time; the regex cannot
        if first < 0:
            return
        by_prefix = self._by_prefix
        contains = self._contains_re
        done_until = -1
        for m in LONG_TOKEN.finditer(data, first):
            s, e = m.span()
            tok = text[s:e]
            cands = by_prefix.get(tok[:2])
            if cands and self._try_prefixes(text, tok, s, cands, raw):
                continue
            if contains is not None and contains.search(tok):
                before = len(raw)
                for rule in self._contains:
                    i = tok.find(rule.contains)
                    if i >= 0:
                        rm = rule.pattern.search(text, max(s, s + i - 40), e)
                        if rm is not None:
                            self._add(rule, rm, raw)
                if len(raw) > before:
                    continue
            if not entropy or s < done_until:
                continue
            if tok.islower() and text[s - 1:s] not in _B64_EDGE and text[e:e + 1] not in _B64_EDGE:
                continue  # no capital letter, not part of a longer base64 run: not random
            if _PLAIN_TOKEN.fullmatch(tok) and text[s - 1:s] not in _B64_EDGE and (
                    text[e:e + 1] not in _B64_EDGE):
                continue  # hex, dashed/dotted names: never random enough
            done_until = self._entropy(text, s, e, raw)

    def _try_prefixes(self, text: str, tok: str, s: int, cands: list[tuple[str, Rule]],
                      raw: list[tuple[int, int, str]]) -> bool:
        """Try the token rules whose prefix starts ``tok``; True when one matched."""
        for prefix, rule in cands:
            if tok.startswith(prefix):
                rm = rule.pattern.match(text, s)
                if rm is not None:
                    self._add(rule, rm, raw)
                    return True
        return False

    def _entropy(self, text: str, s: int, e: int, raw: list[tuple[int, int, str]]) -> int:
        region = _B64_REGION.match(text, s)
        rs = s
        while rs > 0 and text[rs - 1] in "+/=":
            rs -= 1
            while rs > 0 and text[rs - 1] in _TOKEN_CHARS:
                rs -= 1
        re_ = region.end() if region else e
        line_start = text.rfind("\n", 0, rs) + 1
        line_end = text.find("\n", re_)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        if "-----BEGIN" in line and "PRIVATE" not in line:
            return re_  # an escaped certificate or public key in JSON (private: PEM rule)
        scheme = text.rfind("://", max(line_start, rs - 2048), re_)
        in_url = scheme >= 0 and not _URL_BREAK.search(text, scheme, max(scheme, rs))
        if in_url and not _SECRET_URL.search(text, scheme, re_):
            return re_  # a path segment or parameter of an ordinary URL (Drive ids, …)
        line_is_token = not text[line_start:rs].strip() and not text[re_:line_end].strip()
        if line_is_token and line_start > 0:
            prev = text[text.rfind("\n", 0, line_start - 1) + 1:line_start - 1].strip()
            if _PEM_LINE.fullmatch(prev) or prev.startswith("-----BEGIN"):
                return re_  # inside a certificate/public key body (private ones: PEM rule)
        runs = _URL_PIECE if in_url else _B64_RUN  # webhook URLs: judge each path piece
        for m in runs.finditer(text, rs, re_):
            tok = m.group()
            before = text[max(line_start, m.start() - 96):m.start()]
            if is_random_token(tok, before, line_is_token) and not (
                self.allowlist and self.allowlist.allows(tok)
            ):
                raw.append((m.start(), m.end(), ENTROPY))
        return re_

    def _scan_anchors(self, text: str, data: bytes, raw: list[tuple[int, int, str]],
                      anchors: list[_Anchor] | None = None) -> None:
        # In a long text, find which anchors occur at all on the bytes first (ASCII
        # lower-casing of one byte per character is far cheaper than str.lower of a text
        # holding any wide character); the only characters whose str.lower holds an
        # ASCII letter are checked apart. Short texts skip this: it costs more than it saves.
        # ``anchors``: those the prefilter found may occur (the others do not).
        if anchors is not None:
            if not anchors:
                return
        elif len(text) >= _FILTER_ANCHORS and (
                text.isascii() or not ("\u212a" in text or "\u0130" in text)):
            low_data = data.lower()
            anchors = [a for a in self._anchor_list if a[3] is None or a[3] in low_data]
            if not anchors:
                return
        else:
            anchors = self._anchor_list
        low = text.lower()
        if len(low) != len(text):
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        n = len(text)
        windows: dict[int, list[tuple[int, int]]] = {}
        keyed: set[tuple[int, int]] = set()
        skip = SKIP.match
        for base, keyed_entries, window_entries, _ in anchors:
            pos = low.find(base)
            win_end = -1
            while pos >= 0:
                if skip(low, pos):  # "PASSED", "Author:": the commonest hits, never keys
                    pos = low.find(base, pos + 1)
                    continue
                if keyed_entries:
                    ks = key_start(low, pos)
                    gate = GATE.match(low, ks)
                    if low[ks] == "-" or gate and gate.group(1) not in COMMON_KEYS:
                        for rid, full, off in keyed_entries:
                            if off < 0 or low.startswith(full, pos - off):
                                keyed.add((rid, ks))
                if window_entries and pos >= win_end:
                    hit = [rid for rid, full, off in window_entries
                           if off < 0 or low.startswith(full, pos - off)]
                    if hit:
                        ls = low.rfind("\n", max(0, pos - _BACK), pos) + 1 or max(0, pos - _BACK)
                        le = low.find("\n", pos, pos + _FORWARD)
                        le = min(n, pos + _FORWARD) if le < 0 else le
                        for rid in hit:
                            wins = windows.setdefault(rid, [])
                            if not wins or wins[-1] != (ls, le):
                                wins.append((ls, le))
                        if len(hit) == len(window_entries):
                            win_end = le  # every rule has this line: skip its other hits
                pos = low.find(base, pos + 1)
        by_id = self._by_id
        for rid, ks in keyed:
            rule = by_id[rid]
            m = rule.pattern.match(text, ks)
            if m is not None:
                self._add(rule, m, raw)
        for rid, wins in windows.items():
            rule = by_id[rid]
            wins.sort()
            merged = [wins[0]]
            for s, e in wins[1:]:
                if s <= merged[-1][1]:
                    if e > merged[-1][1]:
                        merged[-1] = (merged[-1][0], e)
                else:
                    merged.append((s, e))
            if rule is PEM_RULE:
                self._pem(text, merged, raw)
                continue
            for s, e in merged:
                for m in rule.pattern.finditer(text, s, e):
                    self._add(rule, m, raw)

    @staticmethod
    def _pem(text: str, windows: list[tuple[int, int]], raw: list[tuple[int, int, str]]) -> None:
        for s, e in windows:
            for m in PEM_RULE.pattern.finditer(text, s, e):
                end = text.find("-----END", m.end())
                if end < 0:  # unterminated: mask to the end (covers any later header)
                    if m.end() < len(text):
                        raw.append((m.end(), len(text), PEM_RULE.name))
                    return
                start, end = m.end(), len(text) if end < 0 else end
                if text.startswith("\\n", start):
                    start += 2
                if text.endswith("\\n", start, end):
                    end -= 2
                if start < end:
                    raw.append((start, end, PEM_RULE.name))
