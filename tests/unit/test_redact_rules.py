# ruff: noqa: E501  (one case per line reads best)
"""Table-driven tests: each kind of secret is masked (true cases) and the look-alikes
terminals are full of are not (false cases)."""

from __future__ import annotations

import random
import string

import pytest

from coterm_tui.core.redact import load_redactor

R = random.Random(3)
B62 = string.ascii_letters + string.digits


def rnd(n: int, chars: str = B62) -> str:
    return "".join(R.choice(chars) for _ in range(n))


def hexs(n: int) -> str:
    return rnd(n, "0123456789abcdef")


JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSJ9."
       + rnd(43, B62 + "_-"))
GH = "ghp_" + rnd(36)
AKIA = "AKIA" + rnd(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
AWS_SECRET = rnd(40, B62 + "/+")

# (rule family, text with the secret, the secret)
TRUE_CASES: list[tuple[str, str, str]] = [
    ("github", f"export GITHUB_TOKEN={GH}", GH),
    ("github", f"\x1b[32m{GH}\x1b[0m", GH),
    ("github-fine", f"token: github_pat_{rnd(22)}_{rnd(59)}", None),
    ("gitlab", f"PRIVATE-TOKEN: glpat-{rnd(20)}", None),
    ("slack", f"SLACK=xoxb-{rnd(12, string.digits)}-{rnd(13, string.digits)}-{rnd(24)}", None),
    ("slack-webhook", f"https://hooks.slack.com/services/T{rnd(8).upper()}/B{rnd(10).upper()}/{rnd(24)}", None),
    ("discord-webhook", f"https://discord.com/api/webhooks/{rnd(18, string.digits)}/{rnd(68, B62 + '_-')}", None),
    ("stripe", f"key sk_live_{rnd(32)} used", None),
    ("stripe-webhook", f"secret is whsec_{rnd(32)}", None),
    ("sendgrid", f"SG.{rnd(22, B62 + '_-')}.{rnd(43, B62 + '_-')}", None),
    ("twilio", f"TWILIO_API_KEY=SK{hexs(32)}", None),
    ("openai", f"OPENAI_API_KEY=sk-proj-{rnd(64, B62 + '_-')}T3BlbkFJ{rnd(64)}", None),
    ("anthropic", f"x-api-key: sk-ant-api03-{rnd(93, B62 + '_-')}AA", None),
    ("npm", f"//registry.npmjs.org/:_authToken=npm_{rnd(36)}", None),
    ("pypi", f"password = pypi-AgEIcHlwaS5vcmc{rnd(70, B62 + '_-')}", None),
    ("dockerhub", f"docker login -u ci -p dckr_pat_{rnd(27)}", None),
    ("datadog", f"DD_API_KEY={hexs(32)}", None),
    ("datadog-header", f'-H "DD-APPLICATION-KEY: {hexs(40)}"', None),
    ("heroku", f"HEROKU_API_KEY={hexs(8)}-{hexs(4)}-{hexs(4)}-{hexs(4)}-{hexs(12)}", None),
    ("aws-id", f"aws_access_key_id = {AKIA}", AKIA),
    ("aws-secret", f"aws_secret_access_key = {AWS_SECRET}", AWS_SECRET),
    ("aws-secret-json", f'"SecretAccessKey": "{AWS_SECRET}",', AWS_SECRET),
    ("aws-session", f'"SessionToken": "IQoJb3JpZ2luX2Vj{rnd(300, B62 + "/+")}=",', None),
    ("gcp-oauth", f"Authorization: Bearer ya29.{rnd(150, B62 + '_-')}", None),
    ("gcp-api-key", f"key=AIza{rnd(35, B62 + '_-')}", None),
    ("azure-storage", f"DefaultEndpointsProtocol=https;AccountName=a;AccountKey={rnd(86, B62 + '+/')}==;"
                      "EndpointSuffix=core.windows.net", None),
    ("azure-sas", f"https://a.blob.core.windows.net/c/f?sv=2022-11-02&sp=r&sig={rnd(44, B62 + '%')}", None),
    ("azure-client-secret", f"secret {rnd(3)}8Q~{rnd(31, B62 + '_-')}", None),
    ("jwt", f"cookie={JWT}; Path=/", JWT),
    ("url-password", "postgres://app:S3cretPassw0rd@db.internal:5432/app", "S3cretPassw0rd"),
    ("url-password-encoded", "amqp://bob:p%40ss%21w0rd@mq:5672/", "p%40ss%21w0rd"),
    ("authorization-basic", "Authorization: Basic YWRtaW46aHVudGVyMg==", "YWRtaW46aHVudGVyMg=="),
    ("authorization-token", f"Authorization: token {GH}", GH),
    ("bearer", f"authorization: Bearer {rnd(40)}", None),
    ("curl-user", "curl -u admin:hunter2pass https://x", "admin:hunter2pass"),
    ("mysql", "mysql -u root -pS3cr3tPw db", "S3cr3tPw"),
    ("sshpass", "sshpass -p 'my pass 99' ssh host", "my pass 99"),
    ("pgpassword", "PGPASSWORD=Tr0ub4dor psql -h db", "Tr0ub4dor"),
    ("docker-login", "docker login -u bob -p Passw0rd!23 registry.io", "Passw0rd!23"),
    ("password-flag", "helm repo add x https://c --password hunter2", "hunter2"),
    ("password-flag-eq", "./manage.py --password=hunter2", "hunter2"),
    ("export-password", 'export DB_PASSWORD="correct horse"', "correct horse"),
    ("token-assign", f"API_TOKEN={rnd(32)}", None),
    ("secret-assign", f"CLIENT_SECRET={rnd(40)}", None),
    ("key-assign", f"ENCRYPTION_KEY={rnd(44, B62 + '+/')}", None),
    ("json-password", '{"user": "bob", "password": "hunter2"}', "hunter2"),
    ("yaml-password", "    password: hunter2", "hunter2"),
    ("yaml-json-coloured", '\x1b[1;34m"password"\x1b[0m: \x1b[32m"s3cr3t!"\x1b[0m', "s3cr3t!"),
    ("conn-string", "Server=db;User Id=sa;Password=Pa55word;", "Pa55word"),
    ("xml", "<password>hunter2</password>", "hunter2"),
    ("vault", f"VAULT_TOKEN=hvs.{rnd(24)}", None),
    ("openssl-pass", "openssl rsa -in k.pem -passin pass:hunter22", "hunter22"),
    ("table-row", "password            Xk9mP2qL7w", "Xk9mP2qL7w"),
    ("netrc-lines", "machine github.com\nlogin bob\npassword s3cr3tPw9", "s3cr3tPw9"),
    ("dockerfile-env", "ENV POSTGRES_PASSWORD Pg5ecretPw", "Pg5ecretPw"),
    ("table-cell", "│ DB_PASSWORD        │ qh20xlReGsaL1d │", "qh20xlReGsaL1d"),
    ("redis-auth", "127.0.0.1:6379> AUTH r3disPassw0rd", "r3disPassw0rd"),
    ("sql", "mysql> CREATE USER 'app'@'%' IDENTIFIED BY 'Sql5ecret!';", "Sql5ecret!"),
    ("sql-postgres", "CREATE ROLE app WITH LOGIN PASSWORD 'Pg5ecret';", "Pg5ecret"),
    ("ssh-keygen", "ssh-keygen -t ed25519 -N 'my phrase 1' -f k", "my phrase 1"),
    ("zip", "zip -P Zip5ecret backup.zip db.sql", "Zip5ecret"),
    ("7z", "7z a -p7zSecret9 backup.7z db.sql", "7zSecret9"),
    ("sqlcmd", "sqlcmd -S db -U sa -P Sa5ecretPw -Q x", "Sa5ecretPw"),
    ("sudo-S", "echo 'sud0Pass!' | sudo -S apt-get update", "sud0Pass!"),
    ("named-flag", f"rclone copy x r: --s3-secret-access-key {AWS_SECRET}", AWS_SECRET),
    ("keytool", "keytool -genkey -keystore ks.jks -storepass St0rePass1", "St0rePass1"),
    ("mount-options", "mount -o username=bob,password=M0untPw,uid=1000 x y", "M0untPw"),
    ("vault-unseal", f"Unseal Key 1: {rnd(44, B62 + '+/')}", None),
    ("kubeconfig-key", f"    client-key-data: {rnd(200, B62 + '+/')}", None),
    ("wireguard", f"PrivateKey = {rnd(43, B62 + '+/')}=", None),
    ("age", f"AGE-SECRET-KEY-1{rnd(58, string.ascii_uppercase + string.digits)}", None),
    ("mailchimp", f"key {hexs(32)}-us21", None),
    ("escaped-json", '"SecretString": "{\\"password\\":\\"Esc4ped!\\"}"', "Esc4ped!"),
    ("cookie", f"Cookie: sessionid={rnd(32)}; theme=dark", None),
    ("swarm-token", f"docker swarm join --token SWMTKN-1-{rnd(50, '0123456789abcdefghijklmnopqrstuvwxyz')}-{rnd(25, '0123456789abcdefghijklmnopqrstuvwxyz')} 10.0.0.1:2377", None),
    ("webhook-path", f"https://hooks.zapier.com/hooks/catch/123456/{rnd(32)}/", None),
    ("go-struct", "config: &{Host:localhost Password:Go5truct9 User:bob}", "Go5truct9"),
    ("entropy", f"generated {rnd(40)} for you", None),
    ("entropy-keyword", f"api secret: {rnd(24)}", None),
]


def _secret_of(text: str, secret: str | None) -> tuple[int, int]:
    if secret is None:  # the longest whitespace-free run after a separator
        import re

        m = max(re.finditer(r"[^\s=:\"'/]+(?:/[^\s/]*)*", text), key=lambda m: len(m.group()))
        return m.span()
    i = text.index(secret)
    return i, i + len(secret)


@pytest.mark.parametrize(("family", "text", "secret"), TRUE_CASES,
                         ids=[c[0] for c in TRUE_CASES])
def test_secret_is_masked(family: str, text: str, secret: str | None) -> None:
    masked, findings = load_redactor().mask(text)
    assert len(masked) == len(text)
    assert findings, f"{family}: nothing found in {text!r}"
    if secret is not None:
        s, e = _secret_of(text, secret)
        unmasked = [i for i in range(s, e) if masked[i] != "*"]
        assert not unmasked or (unmasked == list(range(s, s + len(unmasked)))
                                and len(unmasked) <= 4), masked
        if "\x1b" not in text:
            assert masked[:s] == text[:s] and masked[e:] == text[e:], masked


def test_private_key_body_masked_headers_kept() -> None:
    body = "\n".join(rnd(64, B62 + "+/") for _ in range(5))
    text = f"$ cat id_rsa\n-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n$ "
    masked, findings = load_redactor().mask(text)
    assert [f.rule for f in findings] == ["private-key"]
    assert "-----BEGIN RSA PRIVATE KEY-----" in masked and "-----END RSA PRIVATE KEY-----" in masked
    assert masked.count("\n") == text.count("\n")
    assert set(masked[masked.index("KEY-----\n") + 9:masked.index("\n-----END")]) <= {"*", "\n"}


def test_escaped_json_private_key() -> None:
    body = "\\n".join(rnd(64, B62 + "+/") for _ in range(3))
    text = f'"private_key": "-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n",'
    masked, _ = load_redactor().mask(text)
    assert body not in masked and "-----END PRIVATE KEY-----" in masked


FALSE_CASES: list[tuple[str, str]] = [
    ("git-sha", f"commit {hexs(40)}"),
    ("git-oneline", f"{hexs(7)} Fix token refresh"),
    ("uuid", f"request_id={hexs(8)}-{hexs(4)}-4{hexs(3)}-a{hexs(3)}-{hexs(12)}"),
    ("sha256-digest", f"Digest: sha256:{hexs(64)}"),
    ("sha256sum", f"{hexs(64)}  release.tar.gz"),
    ("md5sum", f"{hexs(32)}  backup.sql"),
    ("base64-text", "echo VGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZw== | base64 -d"),
    ("docker-id", f"{hexs(12)}   nginx:1.25   Up 3 minutes"),
    ("container-id", f"    Container ID:   containerd://{hexs(64)}"),
    ("pod", "web-7d4b9c8f6d-x2x9k   1/1   Running   0   3d"),
    ("hex-address", "#3  0x00007ffd5f3a2b10 in main () at main.c:12"),
    ("ssh-pubkey", f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{rnd(43, B62 + '+/')} bob@laptop"),
    ("ssh-fingerprint", f"256 SHA256:{rnd(43, B62 + '+/')} bob@laptop (ED25519)"),
    ("public-key-block", "-----BEGIN PUBLIC KEY-----\n" + "\n".join(rnd(64, B62 + "+/") for _ in range(4))
     + "\n" + rnd(24) + "\n-----END PUBLIC KEY-----"),
    ("certificate", "-----BEGIN CERTIFICATE-----\nMIID" + rnd(60, B62 + "+/") + "\n"
     + rnd(64, B62 + "+/") + "\n" + rnd(20) + "==\n-----END CERTIFICATE-----"),
    ("password-prompt", "Password: "),
    ("sudo-prompt", "[sudo] password for alice: "),
    ("enter-password", "Enter password: "),
    ("password-stdin", 'echo "$PW" | docker login -u bob --password-stdin registry.io'),
    ("empty-assignment", "export DB_PASSWORD="),
    ("variable-reference", "export DB_PASSWORD=$DB_PASSWORD"),
    ("braced-reference", "  password: ${DB_PASSWORD}"),
    ("command-substitution", "export TOKEN=$(vault read -field=token secret/x)"),
    ("masked", "    password: ********"),
    ("redacted", '  "password": "<redacted>",'),
    ("auth-failed", 'FATAL:  password authentication failed for user "postgres"'),
    ("passwd", "passwd: password updated successfully"),
    ("mysql-prompting", "mysql -u root -p -h db"),
    ("gha-secret", "      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}"),
    ("bearer-variable", 'curl -H "Authorization: Bearer $TOKEN" https://x'),
    ("password-file", "  password_file: /etc/app/pass.txt"),
    ("credentials-path", "GOOGLE_APPLICATION_CREDENTIALS=/home/bob/key.json"),
    ("pwd-env", "PWD=/home/bob/src/app"),
    ("npm-integrity", f'"integrity": "sha512-{rnd(86, B62 + "+/")}=="'),
    ("go-sum", f"golang.org/x/net v0.20.0 h1:{rnd(43, B62 + '+/')}="),
    ("gpg-key", f"gpg: key {hexs(16).upper()}: public key \"Release <r@example.com>\" imported"),
    ("tokens-usage", "usage: prompt_tokens=1532 total_tokens=2048"),
    ("pytest-passed", "tests/test_auth.py::test_login PASSED [ 10%]"),
    ("author", "Author: Alice Example <alice@example.com>"),
    ("url-no-password", "https://bob@bitbucket.org/acme/repo.git"),
    ("aws-arn", "arn:aws:iam::123456789012:role/deploy"),
    ("ec2-ids", f"i-0{hexs(16)}   t3.medium   ami-0{hexs(16)}"),
    ("code-index", 'src/db.py:14:    password = os.environ["DB_PASSWORD"]'),
    ("code-call", "    token = get_token()"),
    ("code-attr", "    api_key = config.api_key"),
    ("typescript", "  password: string;"),
    ("cache-key", f"Restored cache from key: Linux-pip-{hexs(64)}"),
    ("password-hash", f"  password_hash: $2b$12${rnd(53, B62 + './')}"),
    ("camel-policy", "  passwordPolicy: strong"),
    ("askpass", "GIT_ASKPASS=/usr/lib/git-core/git-gui--askpass"),
    ("jwk-public", f'  "n": "{rnd(342, B62 + "-_")}",'),
    ("cosign-signature", f'  "Signature": "{rnd(96, B62 + "+/")}",'),
    ("csp-nonce", f"script-src 'nonce-{rnd(22, B62 + '+/')}=='"),
    ("placeholder-bearer", "Authorization: Bearer YOUR_TOKEN_HERE"),
    ("table-words", "Password changed"),
    ("sensitive", "  + password = (sensitive value)"),
    ("drive-url", f"https://drive.google.com/file/d/1{rnd(43)}/view"),
    ("figma-url", f"https://www.figma.com/file/{rnd(22)}/Design?node-id=1"),
    ("wireguard-peer", f"peer: {rnd(43, B62 + '+/')}="),
    ("public-key-line", f"  public key: {rnd(43, B62 + '+/')}="),
    ("wireguard-public", f"PublicKey = {rnd(43, B62 + '+/')}="),
    ("dev-secret-words", "SECRET_KEY=insecure-dev-key-change-me"),
    ("www-authenticate", 'Authorization: Basic realm="Restricted"'),
    ("passphrase-prompt", "Enter passphrase (empty for no passphrase):"),
    ("gh-secret-ref", "  password: ${{ secrets.DB_PASSWORD }}"),
    ("env-passthrough", "docker run -e PASSWORD -e TOKEN app"),
    ("java-class", "\tat com.amazonaws.auth.DefaultAWSCredentialsProviderChain.getCredentials(X.java:1)"),
]


@pytest.mark.parametrize(("family", "text"), FALSE_CASES, ids=[c[0] for c in FALSE_CASES])
def test_look_alike_is_not_masked(family: str, text: str) -> None:
    masked, findings = load_redactor().mask(text)
    assert masked == text, f"{family}: {findings}"
