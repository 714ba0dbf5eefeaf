"""Context rules: secrets recognised by the words around them — assignments to
secret-named keys, command-line flags and tools, URLs with credentials, headers,
tables. Each rule names lower-case anchors; ``keyed`` rules are matched only at the
start of the key that holds an anchor hit, the others on the line around it."""

from __future__ import annotations

import re

from .rule import Extract, Rule, Span
from .values import is_placeholder, name_kind, plausible, strip_value

__all__ = ["CONTEXT_RULES"]

_VAR = re.compile(r"\$[A-Za-z_{(]")  # a shell variable reference, not a literal

# A value after a key or flag: double-quoted, single-quoted or bare.
_VAL = (r"""(?:\\?"(?P<dq>[^"\n]{0,4096}?)\\?"|'(?P<sq>[^'\n]{0,4096})'"""
        r"""|(?P<uq>(?:[^\s'"`;&|<>,]|[&,](?![\w.-]+=)){1,1024}))""")
_ASSIGN = re.compile(
    r"""(?<![\w.-])(?P<k>["'`]?[\w.-]*(?:pass|pwd|secret|token|key|auth|cred|sig|pw|cookie)
    [\w.-]*\\?["'`]?)[ \t]*(?P<op>=>|:=|=|:|[ \t](?=["']))[ \t]*""" + _VAL,
    re.I | re.X,
)
#: What may follow a bare ``key: value``: the end of the line or entry, a comment, or the
#: next ``field:`` (Go's ``&{Password:x User:bob}``, log lines).
_AFTER_COLON_VALUE = re.compile(r"[ \t]*(?:$|[,}\]\r)]|#|//|[A-Za-z_][\w.-]*:)", re.M)


def _value_span(m: re.Match[str]) -> tuple[Span | None, bool]:
    for g, quoted in (("dq", True), ("sq", True), ("uq", False)):
        if m.group(g) is not None:
            s, e = m.span(g)
            if not quoted:
                raw = m.group(g)
                e = s + len(raw.rstrip(",;)}]>\\"))
            return (s, e), quoted
    return None, False


_PUBLIC_BEFORE = re.compile(r"(?i)\b(?:public|pub|host|server|peer|signing|verify)[ \t]+\Z")


def _assignment(m: re.Match[str]) -> Span | None:
    if _PUBLIC_BEFORE.search(m.string, max(0, m.start() - 12), m.start()):
        return None  # "public key: …", "host key = …"
    kind = name_kind(m.group("k"))
    if kind is None or m.group("k").strip("\"'`").lower() in ("signature", "sig"):
        return None  # a signature outside a URL query is public (cosign, JWS…)
    span, quoted = _value_span(m)
    if span is None or span[0] == span[1]:
        return None
    value = m.string[span[0]:span[1]]
    if not quoted and m.string[m.start("k") - 1:m.start("k")] == "$":
        return None  # $pw = Get-Secret …: a variable set from code, not a literal
    if m.group("op") == ":" and m.string.endswith("://", 0, m.start("k")):
        return None  # URL user info: the url rules handle it
    if m.group("op") == ":" and not quoted:
        # YAML/log style: a bare value must end the line (or the mapping entry)
        if not _AFTER_COLON_VALUE.match(m.string, m.end()):
            return None
        if kind == "password" and value.isalpha() and value.islower() and len(value) > 12:
            return None
    if m.group("op").isspace() and (not quoted or kind != "password"):
        return None
    if kind != "password" and " " in value.strip():
        return None
    if value.startswith("-----BEGIN"):
        return None  # a private key: the PEM rule masks its body
    return span if plausible(value, kind, quoted) else None


def _unquoted(span: Span, value: str) -> Span:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return span[0] + 1, span[1] - 1
    return span


_ROW_PREFIX = re.compile(
    r"""(?:.*?[$#>❯%][ \t]+)?[ \t]*(?:(?:ENV|ARG|export|set|setenv|aws[ \t]+configure[ \t]+set
    |(?:npm|yarn|pnpm)[ \t]+config[ \t]+set|git[ \t]+config(?:[ \t]+--[\w-]+)*)[ \t]+)?\Z""",
    re.X)


def _table_row(m: re.Match[str]) -> Span | None:
    """``password  s3cr3t`` alone on a line (vault kv get, netrc, key/value tables,
    ``ENV NAME value`` in a Dockerfile, ``setenv NAME value``)."""
    line_start = m.string.rfind("\n", 0, m.start()) + 1
    if not _ROW_PREFIX.match(m.string, line_start, m.start()):
        return None
    return _named_value(m)


def _named_value(m: re.Match[str]) -> Span | None:
    """Group ``s`` when key ``k`` names a secret and the value is not a plain word."""
    kind = name_kind(m.group("k"))
    value = m.group("s")
    if kind is None or _is_word(value):
        return None
    return m.span("s") if plausible(value, kind) else None


def _named_flag(m: re.Match[str]) -> Span | None:
    """``--db-password X``, ``--api-key X``, ``-storepass X``: the flag names a secret."""
    name = m.group("k").lstrip("-")
    if not name.islower() or ("-" not in name and "_" not in name
                              and any(c.isdigit() for c in name[:3])):
        return None  # flags are lower-case words; "-p7zSecret9" is a value glued to -p
    kind = name_kind(name)
    span, quoted = _value_span(m)
    if kind is None or span is None or span[0] == span[1]:
        return None
    value = strip_value(m.string[span[0]:span[1]])
    if value.startswith("-") or (kind != "password" and (
            "=" in value.rstrip("=") or " " in value)):
        return None
    return span if plausible(value, kind, quoted) else None


def _table_cell(m: re.Match[str]) -> Span | None:
    """``│ DB_PASSWORD │ s3cr3t │``: a secret-named key in one cell, its value in the next."""
    line_start = m.string.rfind("\n", 0, m.start()) + 1
    if m.string[line_start:m.start()].strip(" \t│|┃"):
        return None
    return _named_value(m)


def _sql_value(m: re.Match[str]) -> Span | None:
    g = "s" if m.group("s") is not None else "s2"
    return m.span(g) if plausible(m.group(g), "password", True) else None


def _is_word(value: str) -> bool:
    """``changed``, ``Expired``, ``NONE``: a word in a sentence, not a secret."""
    return value.isalpha() and (value.islower() or value.istitle() or value.isupper())


def _flag_value(m: re.Match[str]) -> Span | None:
    span, quoted = _value_span(m)
    if span is None or span[0] == span[1]:
        return None
    value = strip_value(m.string[span[0]:span[1]])
    return span if plausible(value, "password", quoted) else None


def _ctx(name: str, anchors: str | tuple[str, ...], pattern: str, flags: int = re.I,
         extract: Extract | None = None, keyed: bool = False) -> Rule:
    """A context rule; ``anchors`` is space-separated, or a tuple when one holds a space."""
    words = tuple(anchors.split()) if isinstance(anchors, str) else anchors
    return Rule(name, re.compile(pattern, flags | re.X), anchors=words, extract=extract,
                keyed=keyed)


_URL_CRED = (r"\b[a-z][a-z0-9+.-]{1,20}://[^\s:/@?#\"'<>]{0,128}:(?P<s>[^\s\"'<>]{1,256}?)@"
             r"(?=[A-Za-z0-9.-]+(?::\d+)?(?:[/?#\s\"'<>;,)\]]|$))")


def _url_password(m: re.Match[str]) -> Span | None:
    value = m.group("s")
    if "/" in value and (value.split("/")[0].isdigit() or "//" in value):
        return None  # host:port/path@x — a port and a path, not a password
    return m.span("s") if plausible(value, "password") else None

CONTEXT_RULES: tuple[Rule, ...] = (
    _ctx("secret-assignment", "pass pw secret token key auth sig",
         _ASSIGN.pattern, re.I, _assignment, keyed=True),
    _ctx("cli-password-flag", "pass pw token secret key auth bearer",
         r"""(?<![\w-])(?P<k>--?[\w-]*(?:pass|pw|token|secret|key|auth|bearer)[\w-]*)[ \t]+"""
         + _VAL, re.I, _named_flag, keyed=True),
    _ctx("url-password", "://", _URL_CRED, re.I, _url_password),
    _ctx("url-token", "://",
         r"""\b[a-z][a-z0-9+.-]{1,20}://(?P<s>[A-Za-z0-9_-]{20,128})@""", re.I),
    _ctx("url-query-secret", "sig token key secret pass auth",
         r"""(?<=[?&;])(?P<k>[\w.-]*(?:sig|signature|token|key|secret|password|credential|auth)
         [\w.-]*)=(?P<s>[^\s&#;"'<>]{6,2048})""", re.I,
         lambda m: m.span("s") if name_kind(m.group("k")) and not
         m.group("s").startswith(("$", "{")) else None, keyed=True),
    _ctx("authorization-header", "auth",
         r"""["'`]?(?<![\w.-])(?:(?:proxy-)?authorization|auth)["']?\s*[:=]\s*["']?\s*(?:bearer|basic|token
         |digest|bot|apikey|api-key|sso-key|negotiate|ntlm|hmac|aws4-hmac-sha256|key|ssws
         |token\s+token=|gitlab-token|klaviyo-api-key|dsn)\s*
         (?P<s>[A-Za-z0-9._~+/=:,-]{6,4096})""", re.I,
         lambda m: None if is_placeholder(m.group("s")) or m.string[m.end():m.end() + 1] == '"'
         else m.span("s"), keyed=True),
    _ctx("bearer-token", "bearer",
         r"""\bbearer\s+(?P<s>[A-Za-z0-9._~+/-]{16,4096}=*)""", re.I,
         lambda m: None if is_placeholder(m.group("s")) else m.span("s")),
    _ctx("curl-user", "curl",
         r"""\bcurl\b[^\n|;&]{0,256}?\s(?:-u|--user|--proxy-user|-U)\s*["']?
         (?P<s>[^\s:"'$]+:[^\s"']+)""", re.I,
         lambda m: None if _VAR.search(m.group("s")) or m.group("s").endswith(":")
         else m.span("s")),
    _ctx("mysql-password", (" -p",),
         r"""\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlsh|mariadb|mariadb-dump)\b
         [^\n|;&]{0,256}?\s-p(?P<s>[^\s'"]{1,256}|'[^'\n]{0,256}'|"[^"\n]{0,256}")""", 0,
         lambda m: None if m.group("s").strip("'\"").startswith("$")
         else _unquoted(m.span("s"), m.group("s"))),
    _ctx("sshpass-password", "sshpass",
         r"""\bsshpass\s+(?:-[a-oq-zA-Z]\s+\S+\s+)*-p\s*""" + _VAL, 0, _flag_value),
    _ctx("login-password", (" -p",),
         r"""\b(?:docker|podman|nerdctl|buildah|skopeo|helm(?:\s+registry)?|oras|crane
         |cf|argocd|az\s+acr|vault|npm|oc)\s+(?:auth\s+)?login\b[^\n|;&]{0,256}?\s
         (?:-p|--password)(?:[ \t]+|=)""" + _VAL, re.I, _flag_value),
    _ctx("cli-short-password", "redis htpasswd pass:",
         r"""(?:\bredis-cli\b[^\n|;&]{0,256}?\s-a\s+
         |\bhtpasswd\s+(?:-\w+\s+)*(?:-[a-mo-z]*b[a-mo-z]*\s+\S+|-\w*n\w*)\s+\S+\s+
         |\bpass:(?=\S))""" + _VAL,
         0, _flag_value),
    _ctx("azure-connection-string", "key sig",
         r"""\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)=(?P<s>[^;\s"'<>]{8,})""",
         re.I),
    _ctx("connection-string-password", "pass pwd",
         r"""(?<![^;\s"'])(?:password|pwd)=(?P<s>[^;\s"']{1,256})""", re.I,
         lambda m: m.span("s") if plausible(m.group("s"), "password") and (
             m.string[m.start() - 1:m.start()] == ";" or m.string[m.end():m.end() + 1] == ";")
         else None, keyed=True),
    _ctx("aws-secret-access-key", "secret",
         r"""secret[ _-]?access[ _-]?key[^\n:=]{0,24}[:=]\s*["']?
         (?P<s>[A-Za-z0-9/+]{40,})(?![A-Za-z0-9/+])""", re.I),
    _ctx("datadog-key", "key",
         r"""\b(?:dd|datadog)[_-]?(?:api|app|application|client)[_-]?key["']?\s*[:=]\s*["']?
         (?P<s>[a-f0-9]{32,40})\b""", re.I),
    _ctx("heroku-key", "key token",
         r"""heroku[\w.-]{0,24}["']?\s*[:=]\s*["']?
         (?P<s>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})""", re.I),
    _ctx("twilio-auth-token", "token",
         r"""twilio[\w.-]{0,24}["']?\s*[:=,]\s*["']?(?P<s>[0-9a-f]{32})\b""", re.I),
    _ctx("slack-webhook", "://",
         r"""hooks\.slack\.com/(?:services|workflows|triggers)/(?P<s>[A-Za-z0-9/_-]{20,})""",
         re.I),
    _ctx("discord-webhook", "://",
         r"""discord(?:app)?\.com/api/webhooks/(?P<s>\d+/[A-Za-z0-9_-]{30,})""", re.I),
    _ctx("xml-password", "pass secret token key",
         r"""(?<=<)(?P<k>[\w:.-]*(?:password|passwd|secret|token|apikey|api_key)[\w.-]*)>
         (?P<s>[^<\s][^<\n]{0,1024})</""", re.I,
         lambda m: m.span("s") if name_kind(m.group("k").split(":")[-1])
         and plausible(m.group("s"), "password") else None, keyed=True),
    _ctx("secret-table-row", "pass pw secret token key auth",
         r"""(?P<k>[\w.-]*(?:pass|pwd|secret|token|key|auth|cred|sess)[\w.-]*)[ \t]+
         (?P<s>[^\s"'`]{1,1024})[ \t]*\r?$""", re.I | re.M, _table_row, keyed=True),
    _ctx("sudo-password", "sudo",
         r"""\becho\s+(?:-n\s+)?(?P<s>'[^'\n]+'|"[^"\n]+"|[^\s|'"]+)\s*\|\s*sudo\s+(?:-\w+\s+)*-S""",
         0, lambda m: _unquoted(m.span("s"), m.group("s"))
         if plausible(strip_value(m.group("s")), "password", True) else None),
    _ctx("secret-table-cell", "pass pw secret token key auth",
         r"""(?P<k>[\w.-]*(?:pass|pwd|secret|token|key|auth|cred)[\w.-]*)[ \t]*[│|┃][ \t]*
         (?P<s>[^\s"'`│|┃]{1,1024})[ \t]*[│|┃]?[ \t]*\r?$""", re.I | re.M, _table_cell, keyed=True),
    _ctx("redis-auth", "auth",
         r"""(?<=>[ ])AUTH[ \t]+(?:\S+[ \t]+)?(?P<s>\S+)[ \t]*\r?$""", re.M, keyed=True),
    _ctx("sql-password", "identified",
         r"""\bidentified\s+(?:with\s+\w+\s+)?by\s+(?:password\s+)?(?:'(?P<s>[^'\n]+)'
         |"(?P<s2>[^"\n]+)")""", re.I, _sql_value),
    _ctx("vault-unseal-key", "key",
         r"""\b(?:unseal|recovery)\s+key\s*\d*:\s*(?P<s>\S+)""", re.I),
    _ctx("archive-db-password", (" -p",),
         r"""\b(?:zip|7z|7za|sqlcmd|bcp|mongo|mongosh|mongodump|mongorestore|mongoexport
         |mongoimport|unzip|rar|unrar)\b[^\n|;&]{0,256}?\s-[pP][ \t]*""" + _VAL, 0, _flag_value),
    _ctx("ssh-keygen-passphrase", "keygen",
         r"""\bssh-keygen\b[^\n|;&]{0,256}?\s-[NP][ \t]*""" + _VAL, 0, _flag_value),
    _ctx("config-key-value", "key",
         r"""\bkey\s*=\s*["'](?P<k>[^"'\n]{1,64})["']\s+value\s*=\s*["'](?P<s>[^"'\n]{1,1024})["']""",
         re.I, lambda m: m.span("s") if (kind := name_kind(m.group("k"))) is not None
         and plausible(m.group("s"), kind, True) else None),
    _ctx("netrc-password", "pass",
         r"""\bmachine\s+\S+\s+login\s+\S+\s+password\s+(?P<s>\S+)""", re.I),
    _ctx("sentry-dsn", "://",
         r"""https?://(?P<s>[0-9a-f]{32})(?::[0-9a-f]{32})?@[\w.-]*sentry""", re.I),
)
