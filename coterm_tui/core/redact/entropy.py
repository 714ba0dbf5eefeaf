"""The entropy detector: unknown high-entropy tokens, minus what terminals are full of.

Terminals print lots of random-looking text that is not secret: git SHAs,
checksums and digests (hex), UUIDs, docker and k8s ids and pod names, ssh public
keys (``AAAA…``), certificate bodies, base64 of ordinary text, paths. A token is
flagged only when it looks random in a way those do not: long enough, mixed
character classes, high Shannon entropy, not hex, not base64 that decodes to
text. A secret-ish keyword just before the token lowers the bar.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter

from .values import NAME_WITH_HASH as _NAME_WITH_HASH

__all__ = ["shannon", "is_random_token", "KEYWORD_NEAR"]

_HEX = re.compile(r"(?:0x)?[0-9a-fA-F]+")
_UUIDISH = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_WORDISH = re.compile(r"[a-z]{2,}\d*|\d+")
_SEGMENTS = re.compile(r"[-_.~]+")
#: Context just before a token that marks a digest, fingerprint or public key.
_BENIGN_BEFORE = re.compile(
    r"""(?:sha-?(?:1|224|256|384|512)[:=-]|md5[:-]|h1:|sha256=|blake2b?[:-]|digest[:=]\s*
    |ssh-(?:rsa|dss|ed25519)\s|ecdsa-sha2-nistp\d+\s|sk-ssh-ed25519@openssh\.com\s
    |fingerprint[\s:=]*|integrity["']?\s*[:=]\s*["']?|etag:\s*["']?|\bnonce=|\bcommit\s
    |\bid:\s*|@sha256:|\bsha\w*\s*[:=(]\s*|signature["']?\s*[:=]\s*["']?
    |\$(?:2[abxy]?|[1356]|y|argon2\w*|scrypt|pbkdf2[-\w]*)\$\S*
    |x-amz-id-2:\s*|nonce-|;base64,|\bipfs/|"(?:kid|n|e|x|y|x5t|x5t\#S256|x5c)"\s*:\s*\[?\s*"
    |\bkid:\s*|\|1\|(?:[A-Za-z0-9+/=]+\|)?|version-?id["']?\s*[:=]\s*["']?
    |upload-?id["']?\s*[:=]\s*["']?|cf-id:\s*
    |(?:pub(?:lic)?|host|server|peer|signing[ _-]?cert)[ _-]?key["']?\s*[:=]\s*["']?
    |\bpeer:\s*)$""",
    re.I | re.X,
)
#: A secret-ish word shortly before a token.
KEYWORD_NEAR = re.compile(
    r"(?:secret|token|passw|pwd|api|key|auth|cred|bearer|sig|private|session|cookie)"
    r"[\w.\"' -]{0,12}[:=]",
    re.I,
)


def shannon(s: str) -> float:
    """Shannon entropy in bits per character."""
    n = len(s)
    if n == 0:
        return 0.0
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


#: Decoded base64 that holds credentials: a JSON key naming a secret, or a private key.
_SECRET_WORDS = re.compile(
    rb'(?i)"[\w-]*(?:pass|secret|token|auth|key|credential)[\w-]*"\s*:|PRIVATE KEY-----'
    rb"|(?:password|passwd|pwd|token|secret|api_key|apikey)\s*[=:]")
_OBJECT_ID = re.compile(
    r"(?:ch|cus|pi|pm|in|sub|evt|prod|price|txn|re|po|acct|seti|src|tok|card|ba|file|il|ii|cs|"
    r"req|si|py|tr|ipi|pyr|ic|mbur|bpc|ldr|tmr|aud|inv|prc)_[A-Za-z0-9]{14,32}"
)


def _decodes_to_text(tok: str) -> bool:
    t = tok.replace("-", "+").replace("_", "/")
    t += "=" * (-len(t) % 4)
    try:
        raw = base64.b64decode(t, validate=True)
    except (binascii.Error, ValueError):
        return False
    if not raw:
        return False
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in raw)
    # base64 of a credentials blob (docker config, ECR login, kubeconfig) is secret
    return printable / len(raw) >= 0.9 and not _SECRET_WORDS.search(raw)


def is_random_token(tok: str, before: str, line_is_token: bool) -> bool:
    """Is ``tok`` (a run of base64/base62 characters) an unknown secret?

    ``before`` is up to ~48 characters preceding it on its line; ``line_is_token``
    says the token is the whole line (certificate and key bodies look like that).
    """
    core = tok.rstrip("=")
    n = len(core)
    near = bool(KEYWORD_NEAR.search(before[-40:]))
    if n < (16 if near else 24) or n > 8192:
        return False
    if _HEX.fullmatch(core) or _UUIDISH.search(core) or core.isdigit() or (
            _OBJECT_ID.fullmatch(core)) or _NAME_WITH_HASH.match(core):
        return False
    if core.startswith(("AAAA", "nonce-", "sha256-", "sha384-", "sha512-")) or (
            core.startswith("Qm") and n == 46) or _BENIGN_BEFORE.search(before[-96:]):
        return False
    if line_is_token and 40 <= len(tok) <= 76 and not near:
        return False  # a PEM/certificate body line
    if core[0] == "/" or "//" in core:
        return False
    if "/" in core:
        pieces = core.split("/")
        if all(len(p) < 6 or _HEX.fullmatch(p) or _WORDISH.fullmatch(p) for p in pieces):
            return False
        if any(len(p) >= 3 and p.isalpha() and p.islower() for p in pieces) and len(pieces) > 2:
            return False
    longest = max(_SEGMENTS.split(core), key=len)
    if len(longest) < (12 if near else 20):
        return False  # pod names, dashed identifiers, dotted names
    lower = sum(c.islower() for c in core)
    upper = sum(c.isupper() for c in core)
    digit = sum(c.isdigit() for c in core)
    letters = lower + upper
    if near:
        if (lower > 0) + (upper > 0) + (digit > 0) < 2:
            return False
    else:
        if not (lower and upper and (digit >= 2 or n >= 32 and digit >= 1)):
            return False
        if letters and not 0.15 <= upper / letters <= 0.85:
            return False
    if _decodes_to_text(core):
        return False
    h = shannon(core)
    return h >= (0.72 if near else 0.8) * math.log2(min(n, 64))
