"""Score a masker on the labelled corpus: leak-free recall, false positives, collateral.

A *masker* takes a text and returns it with secret characters replaced by ``*``
(same length). Definitions (line breaks never count, in secrets or outside):

* **leak-free recall**: share of secret lines where every character of every
  secret is masked, except a readable prefix of at most 4 characters per secret;
* **false-positive rate**: share of benign lines with any character masked;
* **collateral**: share of the non-secret characters of secret lines that are masked.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).with_name("corpus.jsonl")
PREFIX = 4

Masker = Callable[[str], str]


def load(path: Path = CORPUS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass
class Score:
    secret_lines: int = 0
    leak_free: int = 0
    benign_lines: int = 0
    false_positives: int = 0
    other_chars: int = 0
    collateral_chars: int = 0
    leaks_by_kind: Counter[str] = field(default_factory=Counter)
    fps_by_kind: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.leak_free / max(1, self.secret_lines)

    @property
    def fp_rate(self) -> float:
        return self.false_positives / max(1, self.benign_lines)

    @property
    def collateral(self) -> float:
        return self.collateral_chars / max(1, self.other_chars)

    def summary(self) -> str:
        return (f"leak-free recall {self.recall:.3f} ({self.leak_free}/{self.secret_lines}), "
                f"false positives {self.fp_rate:.3%} ({self.false_positives}/"
                f"{self.benign_lines}), collateral {self.collateral:.3%}")


def _masked(orig: str, out: str, i: int) -> bool:
    return out[i] == "*" and orig[i] != "*"


def _leak_free(text: str, out: str, spans: Iterable[list[int]]) -> bool:
    for s, e in spans:
        chars = [i for i in range(s, e) if text[i] not in "\r\n"]
        unmasked = [i for i in chars if out[i] != "*"]
        if not unmasked:
            continue
        # allowed: only a leading run of at most PREFIX characters left readable
        lead = 0
        while lead < len(chars) and out[chars[lead]] != "*":
            lead += 1
        if lead > PREFIX or len(unmasked) != lead:
            return False
    return True


def score(masker: Masker, rows: list[dict[str, Any]], keep_examples: int = 0) -> Score:
    sc = Score()
    for row in rows:
        text: str = row["text"]
        out = masker(text)
        if len(out) != len(text):
            raise AssertionError(f"masker changed the length of {text[:40]!r}")
        spans = row["secrets"]
        if spans:
            sc.secret_lines += 1
            if _leak_free(text, out, spans):
                sc.leak_free += 1
            else:
                sc.leaks_by_kind[row["kind"]] += 1
                if len(sc.examples) < keep_examples:
                    sc.examples.append(f"LEAK {row['kind']}: {out!r}")
            inside = {i for s, e in spans for i in range(s, e)}
            for i, c in enumerate(text):
                if i in inside or c in "\r\n":
                    continue
                sc.other_chars += 1
                if _masked(text, out, i):
                    sc.collateral_chars += 1
        else:
            sc.benign_lines += 1
            if any(_masked(text, out, i) for i in range(len(text))):
                sc.false_positives += 1
                sc.fps_by_kind[row["kind"]] += 1
                if len(sc.examples) < keep_examples:
                    sc.examples.append(f"FP {row['kind']}: {out!r}")
    return sc
