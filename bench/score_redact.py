"""Accuracy of coterm's redaction vs detect-secrets on the labelled corpus.

    /work/venvs/bench-ds/bin/python bench/score_redact.py      # both engines
    python bench/score_redact.py                                # coterm only

Corpus: ``tests/redact_corpus/corpus.jsonl`` (see ``make_corpus.py``). Metrics
(``tests/redact_corpus/scoring.py``): leak-free recall, false-positive rate,
collateral. detect-secrets is installed only in the benchmark venv, never as a
coterm dependency.

How detect-secrets findings become masks (see ``_spans_of``): each corpus entry is
scanned on its own, either as ``detect-secrets scan`` does (``scan_file`` on a
``.log`` file, ``default_settings()``: all plugins, default entropy limits and
filters; one file per entry because it reports a value once per file) or as
``detect-secrets scan --string`` does (``scan_line`` per line, which also looks at
unquoted high-entropy strings). Every occurrence of a reported value on its line is
masked; for regex plugins, which report only a first group for some patterns
(``ghp`` for a GitHub token), the whole regex match holding the value is masked.
Each mode runs on the raw terminal text (escape sequences included, as a recorder
sees it) and on the text with escape sequences removed (its best case).
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coterm_tui.core.redact import load_redactor  # noqa: E402
from coterm_tui.core.redact.ansi import ESCAPE, strip  # noqa: E402
from tests.redact_corpus.scoring import Score, load, score  # noqa: E402


def _spans_of(line: str, secret_type: str, value: str) -> list[tuple[int, int]]:
    """Where to mask a detect-secrets finding on its line. Regex plugins report only
    their first group for some patterns (``ghp`` for a GitHub token), so for them the
    whole match of the plugin's regex containing the value is masked; for the
    others (entropy, keyword) every occurrence of the reported value."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    cls = get_mapping_from_secret_type_to_class().get(secret_type)
    spans: list[tuple[int, int]] = []
    for rx in getattr(cls, "denylist", ()) or ():
        for m in rx.finditer(line):
            if value in m.group(0):
                spans.append(m.span())
    start = line.find(value)
    while start >= 0 and value:
        spans.append((start, start + len(value)))
        start = line.find(value, start + 1)
    return spans


def _mask(line: str, spans: list[tuple[int, int]]) -> str:
    chars = list(line)
    for s, e in spans:
        chars[s:e] = "*" * (e - s)
    return "".join(chars)


def detect_secrets_masks(texts: list[str], adhoc: bool = False) -> dict[str, str]:
    """Masked version of each text according to detect-secrets: ``scan_file`` on each
    text as its own file, or (``adhoc``) ``scan_line`` on each line (``--string`` mode,
    which also searches unquoted strings for high-entropy values)."""
    from detect_secrets import SecretsCollection
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import default_settings

    lines: list[str] = []
    where: list[int] = []  # index of the text each line belongs to
    for i, text in enumerate(texts):
        for line in text.split("\n"):
            lines.append(line)
            where.append(i)
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    with default_settings():
        if adhoc:
            for n, line in enumerate(lines):
                for secret in scan_line(line):
                    if secret.secret_value:
                        found[n].append((secret.type, secret.secret_value))
        else:
            # one file per text: detect-secrets reports a value once per file
            first = {i: where.index(i) for i in set(where)}
            with tempfile.TemporaryDirectory() as tmp:
                for i, text in enumerate(texts):
                    path = Path(tmp) / f"terminal-{i}.log"
                    path.write_text(text + "\n", encoding="utf-8", errors="surrogateescape")
                    collection = SecretsCollection()
                    collection.scan_file(str(path))
                    for _, secret in collection:
                        if secret.secret_value:
                            n = first[i] + secret.line_number - 1
                            found[n].append((secret.type, secret.secret_value))
    out_lines = [
        _mask(line, [sp for t, v in found.get(n, []) for sp in _spans_of(line, t, v)])
        for n, line in enumerate(lines)
    ]
    masked: dict[int, list[str]] = defaultdict(list)
    for n, i in enumerate(where):
        if i >= 0:
            masked[i].append(out_lines[n])
    return {texts[i]: "\n".join(parts) for i, parts in masked.items()}


def _back(text: str, masked: dict[str, str]) -> str:
    """detect-secrets' mask of the escape-free text, mapped back onto ``text``."""
    plain = strip(text)
    m = masked[plain.text]
    out = list(text)
    for k, c in enumerate(m):
        if c == "*" and plain.text[k] != "*":
            for s, e in plain.to_original(k, k + 1):
                out[s:e] = "*" * (e - s)
    return "".join(out)


def _row(name: str, sc: Score) -> str:
    return (f"| {name:<42} | {sc.recall:6.3f} | {sc.fp_rate:7.2%} | {sc.collateral:7.2%} |")


def main() -> None:
    rows = load()
    red = load_redactor()
    results = [("coterm", score(lambda t: red.mask(t)[0], rows, keep_examples=20))]
    try:
        import detect_secrets  # noqa: F401
    except ImportError:
        print("(detect-secrets not installed here: run with the bench venv for the baseline)")
    else:
        texts = [r["text"] for r in rows]
        for name, adhoc in (("scan", False), ("scan --string, per line", True)):
            raw = detect_secrets_masks(texts, adhoc)
            results.append((f"detect-secrets 1.5 {name}", score(lambda t, m=raw: m[t], rows)))
            stripped = detect_secrets_masks([ESCAPE.sub("", t) for t in texts], adhoc)
            results.append(("  same, escapes removed first",
                            score(lambda t, m=stripped: _back(t, m), rows)))
    n_secret = sum(1 for r in rows if r["secrets"])
    print(f"corpus: {n_secret} secret lines, {len(rows) - n_secret} benign lines")
    print(f"| {'engine':<42} | recall | FP rate | collat. |")
    print(f"|{'-' * 44}|--------|---------|---------|")
    for name, sc in results:
        print(_row(name, sc))
    for name, sc in results:
        if sc.leaks_by_kind or sc.fps_by_kind:
            print(f"\n{name}: leaks by kind {dict(sc.leaks_by_kind)}; "
                  f"false positives by kind {dict(sc.fps_by_kind)}")


if __name__ == "__main__":
    main()
