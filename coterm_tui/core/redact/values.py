"""What a secret-named key is, and whether a value is a real secret or a stand-in.

Shared by the assignment/flag rules and the stream's tail check. Pure functions
on short strings; nothing here scans whole texts.
"""

from __future__ import annotations

import re

__all__ = ["name_kind", "is_placeholder", "plausible", "strip_value"]

# Name components that make a key secret, by kind.
_PASSWORD = ("password", "passwd", "passphrase", "passwort", "pwd", "pass")
_EXACT_SECRET = {
    "auth", "_auth", "authtoken", "_authtoken", "auth_token", "sig", "signature",
    "x-amz-signature", "x-amz-security-token", "x-amz-credential", "pat", "apikey",
    "api_key", "api-key", "key", "secret", "token", "client_secret", "access_token",
    "refresh_token", "id_token", "session_token", "private_key", "accountkey",
    "sharedaccesskey", "sharedaccesssignature", "private-token", "x-api-key",
    "dd-api-key", "dd-application-key", "x-auth-token", "x-vault-token",
    "ocp-apim-subscription-key", "x-functions-key", "cookie", "set-cookie", "pw",
}
# Suffixes that say "this names something about a secret, not the secret itself".
_NOT_SECRET_SUFFIX = (
    "_url", "_uri", "_endpoint", "_type", "_file", "_path", "_name", "_names", "_dir",
    "_ttl", "_expiry", "_expires", "_expires_in", "_expiration", "_length", "_len",
    "_count", "_limit", "_size", "_env", "_header", "_field", "_prefix", "_enabled",
    "_version", "_mode", "_format", "_policy", "_id_file", "_ref", "_hash_algorithm",
    "_algorithm", "_alg", "_method", "_location", "_arn", "_rotation", "_min", "_max",
    "_required", "_hint", "_prompt", "_placeholder", "_label", "_regex", "_pattern",
    "-file", "-path", "-url", "-stdin", "-name", "-dir", "-env", "-ttl", "-type",
    "file", "path", "dir", "_id_url", "_secret_name", "_keyring", "_source", "_command",
    "_cmd", "helper", "askpass", "-hash", "_provider", "_store", "_manager", "_server",
    "_host", "_port", "_user",
    "_username", "_salt_rounds", "_strength", "_policy_arn", "_hash", "_digest", "_policy",
    "_hint", "_reset", "_changed", "_at", "_updated", "_version_id", "_rotation_days",
)
_NOT_SECRET_NAMES = {
    "pwd", "oldpwd", "keyboard", "keys", "keymap", "keyid", "key_id", "token_type",
    "tokens", "max_tokens", "num_tokens", "tokenizer", "keyname", "key_name", "secrets",
    "secretname", "secret_name", "secretref", "secretkeyref", "passwordless", "bypass",
    "compass", "passthrough", "pass_through", "passenger", "passive", "keyring",
    "monkey", "hotkey", "turnkey", "keystroke", "keyword", "keywords", "sortkey",
    "sort_key", "primary_key", "primarykey", "foreign_key", "partition_key", "hash_key",
    "range_key", "key_type", "keytype", "public_key", "publickey", "pubkey", "pub_key",
    "gpg_key", "gpgkey", "pgp_key", "ssh_key", "key_fingerprint", "fingerprint",
    "api_key_id", "authority", "author", "authors", "authorized", "authz", "oauth",
    "auth_type", "authtype", "auth_method", "authmethod", "authentication",
    "token_endpoint", "passes", "surpass", "passage", "idempotency-key",
    "cache_key", "cache-key", "x-amz-credential", "cachekey", "keyspace", "keyserver", "key_server",
    "key_vault", "keyvault", "key_usage", "keyusage", "keysize", "key_size", "apikey_id",
    "signature_version", "signaturemethod", "signature_method", "keyalg", "key_alg",
}


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def name_kind(name: str) -> str | None:
    """Classify a key name: ``"password"``, ``"secret"``, ``"key"`` or None (not secret)."""
    stripped = name.strip("\"'` -:")
    low = stripped.lower()
    if not low or len(low) > 80:
        return None
    snake = _CAMEL.sub("_", stripped).lower()  # passwordPolicy -> password_policy
    if (low in _NOT_SECRET_NAMES or low.endswith(_NOT_SECRET_SUFFIX)
            or snake.endswith(_NOT_SECRET_SUFFIX)):
        return None
    if low.startswith(("public", "pub_", "gpg_", "pgp_", "gpgkey", "ssh_key", "fingerprint",
                       "num_")):
        return None
    if low in _EXACT_SECRET:
        return "key" if low in ("key", "x-amz-credential", "cookie", "set-cookie") else "secret"
    if any(p in low for p in _PASSWORD[:5]) or low.endswith(("pass", "_pw")):
        return "password"  # …_PASSWORD, MYSQL_PWD, SSHPASS, -storepass, become_pass
    if "secret" in low or "token" in low or "credential" in low and "file" not in low:
        return "secret"
    if low.endswith(("_auth", "-auth", "authtoken", "auth_token", "auth-token")):
        return "secret"
    if low.endswith(("key-data", "key_data", "keydata")):
        return "key"  # kubeconfig client-key-data: a base64 private key
    if low in _SESSION or low.endswith(("_session", "sessionid", "session_id", "sessid")):
        return "key"
    if (
        low.endswith(("_key", "-key", ".key", "apikey", "accesskey", "privatekey",
                      "secretkey", "signingkey", "masterkey", "accountkey", "_key_id",
                      "key_id", "access_key_id"))
        or "api_key" in low or "apikey" in low or "access_key" in low
        or "private_key" in low or "signing_key" in low or "encryption_key" in low
    ):
        return "key"
    return None


_SESSION = {"session", "sessionid", "session_id", "sid", "connect.sid", "phpsessid",
            "jsessionid", "session-id", "session_key", "sessionkey", "sessiontoken"}
_PLACEHOLDER_WORDS = {
    "", "null", "nil", "none", "true", "false", "undefined", "redacted", "[redacted]",
    "<redacted>", "(redacted)", "[filtered]", "[hidden]", "hidden", "masked", "<hidden>",
    "required", "optional", "empty", "missing", "invalid", "incorrect", "expired",
    "changed", "updated", "reset", "set", "unset", "not", "is", "for", "yes", "no", "ok",
    "failed", "string", "str", "text", "example", "sample", "dummy", "placeholder",
    "your_password", "yourpassword", "your-password", "your_token", "your_api_key",
    "your-api-key", "<password>", "<token>", "xxx", "xxxx", "xxxxx", "tbd", "todo",
    "prompt", "secret_value", "...", "…", "n/a", "na", "-", "--", "stdin", "file", "env",
    "on", "off", "enabled", "disabled", "successfully", "authentication", "auth",
    "accepted", "rejected", "ignored", "omitted", "removed", "supplied", "provided",
    "needed", "changeit_please", "sensitive", "<sensitive>", "(sensitive)", "secret_ref",
    "revoked", "rotated", "created", "deleted", "saved", "stored", "valid", "verified",
    "unknown", "default", "none)", "bytes", "required)", "ignored)", "secret", "token",
    "password", "passwd", "key", "api_key", "apikey", "value", "here", "xxxxxxxx",
}
_REF = re.compile(
    r"""^(?:\$\{?[A-Za-z_]|\$\(|%[A-Za-z_][\w]*%|\{\{|<%|\{%
    |[!&*][A-Za-z_][A-Za-z_-]*(?:\s|$)|<[^>]*>$|\[[^\]]*\]$|\(.*\)$)""",
    re.X,
)
_MASKLIKE = re.compile(r"^[*•xX#.·_\-=~?]+$")


def strip_value(value: str) -> str:
    """Drop surrounding quotes and trailing punctuation from an unquoted value."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        value = value[1:-1]
    return value.rstrip(",;)}]>")


def is_placeholder(value: str) -> bool:
    """A variable reference, a mask, an empty or obviously fake value."""
    v = value.strip().strip("\"'`")
    if not v or v.lower() in _PLACEHOLDER_WORDS:
        return True
    if _MASKLIKE.match(v) or _REF.match(v) or v.strip("()[]<>{}").lower() in _PLACEHOLDER_WORDS:
        return True
    return v.lower().startswith(("your", "<your", "insert", "replace_", "changeme_"))


_WORDS = re.compile(r"[A-Za-z]+|[a-z]+(?:[-_.][a-z]+)+")
_CODE = re.compile(
    r"[A-Za-z_][\w.]*[(\[]|(?:self|this|args|opts|options|config|cfg|conf|settings|os|env"
    r"|process|request|req|params|ctx|context|app|secrets|vault|data|user|creds|credentials"
    r"|props|values|Values|form|body|payload|input|kwargs|event)\.[\w.]+$")
#: "Linux-pip-<sha256>", "node-modules-<hash>": a cache key or build id, not a secret.
NAME_WITH_HASH = re.compile(r"(?:[A-Za-z]+[-_.])+[0-9a-fA-F]{12,}$")
_PATHLIKE = re.compile(r"^(?:~?/|\./|\.\./|[A-Za-z]:\\|file:|arn:|projects/|[\w.-]+/[\w.-]+/)")


def _is_path(value: str) -> bool:
    """A file path or resource name (mostly lower case, no base64 ``+``), not base64
    that happens to hold slashes."""
    if not _PATHLIKE.match(value) or "+" in value:
        return False
    letters = [c for c in value if c.isalpha()]
    return not letters or sum(c.isupper() for c in letters) / len(letters) < 0.3


def plausible(value: str, kind: str, quoted: bool = False) -> bool:
    """Does ``value`` (already stripped) look like a real secret of this kind?"""
    if is_placeholder(value):
        return False
    if not quoted and _CODE.match(value):
        return False  # os.environ["X"], get_token(), config.api_key: code, not a value
    if kind == "password":
        return len(value) >= 3 or quoted
    if _is_path(value) or value.endswith((".json", ".pem", ".key", ".txt", ".p12",
                                                 ".yaml", ".yml", ".crt", ".env")):
        return False
    if kind == "secret":  # not a word or words ("insecure-dev-key-change-me")
        return len(value) >= 6 and not _WORDS.fullmatch(value)
    # kind == "key": must look random
    if len(value) < 12 or NAME_WITH_HASH.match(value):
        return False
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                   any(c.isdigit() for c in value)))
    return classes >= 2 and len(set(value)) >= 8
