# ruff: noqa: E501  (templates read best as one line each)
"""Generate the labelled redaction corpus: ``python tests/redact_corpus/make_corpus.py``.

Writes ``corpus.jsonl``: one object per line, ``{"kind", "text", "secrets"}`` where
``secrets`` lists ``[start, end]`` character ranges of ``text`` that are secret.
Secret values are random in each vendor's real format, placed in the contexts a
terminal shows them in. Benign lines are the high-entropy text terminals are full
of. Templates mark secrets with ⟦ ⟧; the markers are removed and become spans.
Seeded, so the file is reproducible.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from urllib.parse import quote  # noqa: E402

from gen_values import B62, UPPER_NUM, URLSAFE, Gen  # noqa: E402

OUT = Path(__file__).with_name("corpus.jsonl")
PROMPTS = ["$ ", "alice@web-1:~/app$ ", "[root@db01 ~]# ", "❯ ", "bash-5.2$ ",
           "\x1b[01;32mbob@ci-runner\x1b[00m:\x1b[01;34m~/src\x1b[00m$ ", "(venv) dev@laptop % "]
G = "\x1b[32m"
R = "\x1b[0m"
Y = "\x1b[33m"
B = "\x1b[1;34m"


def unmark(s: str) -> tuple[str, list[list[int]]]:
    out, spans, pos = [], [], 0
    i = 0
    while i < len(s):
        c = s[i]
        if c == "⟦":
            start = pos
        elif c == "⟧":
            spans.append([start, pos])
        else:
            out.append(c)
            pos += 1
        i += 1
    return "".join(out), spans


def P(g: Gen) -> str:
    return g.pick(PROMPTS)


def aws_id(g: Gen, pre: str = "AKIA") -> str:
    return pre + g.s("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)


def aws_secret(g: Gen) -> str:
    return g.b64(30)


def aws_session(g: Gen) -> str:
    return g.pick(["FwoGZXIvYXdzE", "IQoJb3JpZ2luX2Vj"]) + g.s(B62 + "+/", g.n(300, 420)) + "="


def pem(g: Gen, label: str, nbytes: int, start: str = "", crlf: bool = False) -> str:
    nl = "\r\n" if crlf else "\n"
    body = nl.join(g.pem_body(nbytes, start))
    return f"-----BEGIN {label}-----{nl}⟦{body}⟧{nl}-----END {label}-----"


def gh(g: Gen) -> str:
    return g.pick(["ghp_", "gho_", "ghs_", "ghu_", "ghr_"]) + g.s(B62, 36)


SECRET: list[tuple[str, Callable[[Gen], str]]] = [
    ("github", lambda g: f"{P(g)}export GITHUB_TOKEN=⟦{gh(g)}⟧"),
    ("github", lambda g: f"{P(g)}git clone https://x-access-token:⟦{gh(g)}⟧@github.com/acme/api.git"),
    ("github", lambda g: f"  token: {G}⟦{gh(g)}⟧{R}"),
    ("github", lambda g: f"{P(g)}gh auth login --with-token <<< ⟦{gh(g)}⟧"),
    ("github", lambda g: f"GH_TOKEN=⟦github_pat_{g.s(B62, 22)}_{g.s(B62, 59)}⟧"),
    ("github", lambda g: f"\x1b[1mghp token:\x1b[0m \x1b[31m⟦{gh(g)}⟧\x1b[0m"),
    ("gitlab", lambda g: f"{P(g)}curl --header \"PRIVATE-TOKEN: ⟦glpat-{g.s(URLSAFE, 20)}⟧\" https://gitlab.example.com/api/v4/projects"),
    ("gitlab", lambda g: f"CI_JOB_TOKEN=⟦glpat-{g.s(B62, 20)}⟧"),
    ("gitlab", lambda g: f"gitlab-runner register --token ⟦glrt-{g.s(URLSAFE, 20)}⟧"),
    ("slack", lambda g: f"SLACK_BOT_TOKEN=⟦xoxb-{g.s('0123456789', 12)}-{g.s('0123456789', 13)}-{g.s(B62, 24)}⟧"),
    ("slack", lambda g: f'{{"ok":true,"access_token":"⟦xoxp-{g.s("0123456789", 12)}-{g.s("0123456789", 12)}-{g.s("0123456789", 13)}-{g.hex(32)}⟧","token_type":"user"}}'),
    ("slack", lambda g: f"{P(g)}curl -X POST -d '{{\"text\":\"deploy done\"}}' https://hooks.slack.com/services/⟦T{g.s(UPPER_NUM, 8)}/B{g.s(UPPER_NUM, 10)}/{g.s(B62, 24)}⟧"),
    ("slack", lambda g: f"app token: ⟦xapp-1-A{g.s(UPPER_NUM, 10)}-{g.s('0123456789', 13)}-{g.hex(64)}⟧"),
    ("discord", lambda g: f"WEBHOOK=https://discord.com/api/webhooks/⟦{g.s('0123456789', 18)}/{g.s(URLSAFE, 68)}⟧"),
    ("stripe", lambda g: f"{P(g)}export STRIPE_SECRET_KEY=⟦sk_live_{g.s(B62, g.n(24, 99))}⟧"),
    ("stripe", lambda g: f"{P(g)}curl https://api.stripe.com/v1/charges -u ⟦sk_test_{g.s(B62, 24)}⟧:"),
    ("stripe", lambda g: f"stripe listen: Ready! Your webhook signing secret is ⟦whsec_{g.s(B62, 32)}⟧ (^C to quit)"),
    ("stripe", lambda g: f"  \"restricted_key\": \"⟦rk_live_{g.s(B62, 40)}⟧\","),
    ("sendgrid", lambda g: f"SENDGRID_API_KEY=⟦SG.{g.s(URLSAFE, 22)}.{g.s(URLSAFE, 43)}⟧"),
    ("sendgrid", lambda g: f"INFO mailer: using key ⟦SG.{g.s(URLSAFE, 22)}.{g.s(URLSAFE, 43)}⟧ for outbound"),
    ("twilio", lambda g: f"TWILIO_API_KEY=⟦SK{g.hex(32)}⟧"),
    ("twilio", lambda g: f"TWILIO_AUTH_TOKEN=⟦{g.hex(32)}⟧"),
    ("twilio", lambda g: f"{P(g)}twilio api:core:messages:create --auth-token ⟦{g.hex(32)}⟧ --to +15558675310"),
    ("openai", lambda g: f"{P(g)}export OPENAI_API_KEY=⟦sk-proj-{g.s(URLSAFE, 64)}T3BlbkFJ{g.s(URLSAFE, 64)}⟧"),
    ("openai", lambda g: f"openai.api_key = \"⟦sk-{g.s(B62, 20)}T3BlbkFJ{g.s(B62, 20)}⟧\""),
    ("openai", lambda g: f"{P(g)}curl https://api.openai.com/v1/models -H \"Authorization: Bearer ⟦sk-proj-{g.s(URLSAFE, 120)}⟧\""),
    ("anthropic", lambda g: f"ANTHROPIC_API_KEY=⟦sk-ant-api03-{g.s(URLSAFE, 93)}AA⟧"),
    ("anthropic", lambda g: f"{P(g)}curl https://api.anthropic.com/v1/messages -H \"x-api-key: ⟦sk-ant-api03-{g.s(URLSAFE, 93)}AA⟧\""),
    ("npm", lambda g: f"//registry.npmjs.org/:_authToken=⟦npm_{g.s(B62, 36)}⟧"),
    ("npm", lambda g: f"{P(g)}NPM_TOKEN=⟦npm_{g.s(B62, 36)}⟧ npm publish"),
    ("pypi", lambda g: f"password = ⟦pypi-AgEIcHlwaS5vcmc{g.s(URLSAFE, g.n(60, 140))}⟧"),
    ("pypi", lambda g: f"{P(g)}twine upload -u __token__ -p ⟦pypi-AgEIcHlwaS5vcmc{g.s(URLSAFE, 80)}⟧ dist/*"),
    ("dockerhub", lambda g: f"{P(g)}docker login -u acmeci -p ⟦dckr_pat_{g.s(URLSAFE, 27)}⟧"),
    ("dockerhub", lambda g: f"{P(g)}docker login registry.example.io --username ci --password ⟦{g.password()}⟧"),
    ("dockerhub", lambda g: f'\t\t"auth": "⟦{g.b64(g.n(20, 40))}⟧"'),
    ("datadog", lambda g: f"DD_API_KEY=⟦{g.hex(32)}⟧"),
    ("datadog", lambda g: f"  api_key: ⟦{g.hex(32)}⟧"),
    ("datadog", lambda g: f"{P(g)}curl -X GET https://api.datadoghq.com/api/v1/validate -H \"DD-API-KEY: ⟦{g.hex(32)}⟧\" -H \"DD-APPLICATION-KEY: ⟦{g.hex(40)}⟧\""),
    ("datadog", lambda g: f"datadog_app_key = \"⟦{g.hex(40)}⟧\""),
    ("heroku", lambda g: f"HEROKU_API_KEY=⟦{g.uuid()}⟧"),
    ("heroku", lambda g: f"Token:      ⟦{g.uuid()}⟧"),
    ("heroku", lambda g: f"heroku_api_key: ⟦HRKU-{g.s(URLSAFE, 60)}⟧"),
    ("aws", lambda g: f"{P(g)}export AWS_ACCESS_KEY_ID=⟦{aws_id(g)}⟧"),
    ("aws", lambda g: f"{P(g)}export AWS_SECRET_ACCESS_KEY=⟦{aws_secret(g)}⟧"),
    ("aws", lambda g: f"aws_secret_access_key = ⟦{aws_secret(g)}⟧"),
    ("aws", lambda g: f"AWS Secret Access Key [****************{g.s(UPPER_NUM, 4)}]: ⟦{aws_secret(g)}⟧"),
    ("aws", lambda g: f"AWS Access Key ID [None]: ⟦{aws_id(g)}⟧"),
    ("aws", lambda g: f'        "AccessKeyId": "⟦{aws_id(g, "ASIA")}⟧",'),
    ("aws", lambda g: f'        "SecretAccessKey": "⟦{aws_secret(g)}⟧",'),
    ("aws", lambda g: f'        "SessionToken": "⟦{aws_session(g)}⟧",'),
    ("aws", lambda g: f"aws_session_token = ⟦{aws_session(g)}⟧"),
    ("aws", lambda g: f"AWS_ACCESS_KEY_ID=⟦{aws_id(g)}⟧ AWS_SECRET_ACCESS_KEY=⟦{aws_secret(g)}⟧ aws s3 ls"),
    ("aws", lambda g: f"https://bucket.s3.amazonaws.com/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=⟦{aws_id(g, 'ASIA')}⟧%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=⟦{g.hex(64)}⟧"),
    ("gcp", lambda g: '  "private_key": "' + pem(g, "PRIVATE KEY", 1216, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC").replace("\n", "\\n") + '\\n",'),
    ("gcp", lambda g: f'  "private_key_id": "⟦{g.hex(40)}⟧",'),
    ("gcp", lambda g: f"{P(g)}curl -H \"Authorization: Bearer ⟦ya29.{g.s(URLSAFE, g.n(120, 200))}⟧\" https://storage.googleapis.com/storage/v1/b"),
    ("gcp", lambda g: f"⟦ya29.a0{g.s(URLSAFE, 150)}⟧"),
    ("gcp", lambda g: f"GOOGLE_API_KEY=⟦AIza{g.s(URLSAFE, 35)}⟧"),
    ("gcp", lambda g: f"  key: ⟦AIza{g.s(URLSAFE, 35)}⟧"),
    ("gcp", lambda g: f"client_secret: ⟦GOCSPX-{g.s(URLSAFE, 28)}⟧"),
    ("azure", lambda g: f"AZURE_STORAGE_CONNECTION_STRING=\"DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=⟦{g.b64(64)}⟧;EndpointSuffix=core.windows.net\""),
    ("azure", lambda g: f"Endpoint=sb://acme-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=⟦{g.b64(32)}⟧"),
    ("azure", lambda g: f"https://acmeprod.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2025-06-01T00:00:00Z&spr=https&sig=⟦{g.b64(32).replace('+', '%2B').replace('/', '%2F').replace('=', '%3D')}⟧"),
    ("azure", lambda g: f"AZURE_CLIENT_SECRET=⟦{g.s(B62, 3)}8Q~{g.s(B62 + '_~.-', 31)}⟧"),
    ("azure", lambda g: f"  \"password\": \"⟦{g.s(B62, 3)}8Q~{g.s(B62 + '_-', 31)}⟧\","),
    ("jwt", lambda g: f"{P(g)}curl -H \"Authorization: Bearer ⟦{g.jwt()}⟧\" https://api.example.com/v1/me"),
    ("jwt", lambda g: f"    token: ⟦{g.jwt()}⟧"),
    ("jwt", lambda g: f"2024-05-01T12:00:03Z DEBUG auth: session cookie=⟦{g.jwt()}⟧ user={g.user()}"),
    ("jwt", lambda g: f"Set-Cookie: session=⟦{g.jwt()}⟧; Path=/; HttpOnly"),
    ("jwt", lambda g: f"id_token {Y}⟦{g.jwt()}⟧{R}"),
    ("private-key", lambda g: pem(g, "RSA PRIVATE KEY", 1190, "MIIEowIBAAKCAQEA")),
    ("private-key", lambda g: pem(g, "OPENSSH PRIVATE KEY", 400, "b3BlbnNzaC1rZXktdjEAAAAA", crlf=True)),
    ("private-key", lambda g: pem(g, "EC PRIVATE KEY", 121, "MHcCAQEEI")),
    ("private-key", lambda g: pem(g, "PRIVATE KEY", 1216, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")),
    ("private-key", lambda g: f"{P(g)}cat ~/.ssh/id_ed25519\n" + pem(g, "OPENSSH PRIVATE KEY", 300, "b3BlbnNzaC1rZXktdjEAAAAA")),
    ("private-key", lambda g: pem(g, "ENCRYPTED PRIVATE KEY", 1300, "MIIFHDBOBgkqhkiG9w0BBQ0w")),
    ("url-password", lambda g: f"DATABASE_URL=postgres://{g.user()}:⟦{quote(g.password(), safe='')}⟧@{g.host()}:5432/app"),
    ("url-password", lambda g: f"{P(g)}psql \"postgresql://{g.user()}:⟦{quote(g.password(), safe='')}⟧@{g.host()}/orders?sslmode=require\""),
    ("url-password", lambda g: f"{P(g)}mongosh \"mongodb+srv://{g.user()}:⟦{quote(g.password(), safe='')}⟧@cluster0.ab1cd.mongodb.net/test\""),
    ("url-password", lambda g: f"  url: redis://:⟦{quote(g.password(), safe='')}⟧@{g.host()}:6379/0"),
    ("url-password", lambda g: f"INFO  connecting to amqp://{g.user()}:⟦{quote(g.password(), safe='')}⟧@{g.host()}:5672/%2F"),
    ("url-password", lambda g: f"{P(g)}pip install --index-url https://{g.user()}:⟦{quote(g.password(), safe='')}⟧@pypi.example.com/simple pkg"),
    ("authorization", lambda g: f"> Authorization: Basic ⟦{g.b64(g.n(12, 30))}⟧"),
    ("authorization", lambda g: f"{P(g)}curl -H 'Authorization: token ⟦{gh(g)}⟧' https://api.github.com/user"),
    ("authorization", lambda g: f"authorization: Bearer ⟦{g.s(URLSAFE, g.n(32, 64))}⟧"),
    ("authorization", lambda g: f"{P(g)}http GET :8080/api Authorization:\"Bearer ⟦{g.s(B62, 40)}⟧\""),
    ("authorization", lambda g: f"[2024-05-01 12:00:01] request headers: {{'Authorization': 'Bearer ⟦{g.s(URLSAFE, 48)}⟧', 'Accept': '*/*'}}"),
    ("curl-user", lambda g: f"{P(g)}curl -u {g.user()}:⟦{g.password()}⟧ https://jenkins.example.com/api/json"),
    ("curl-user", lambda g: f"{P(g)}curl -s --user '{g.user()}:⟦{g.password()}⟧' -X POST https://api.example.com/deploy"),
    ("cli-password", lambda g: f"{P(g)}mysql -u root -p⟦{g.password().replace('!', '')}⟧ -h {g.host()} shop"),
    ("cli-password", lambda g: f"{P(g)}mysqldump -uadmin -p⟦{g.s(B62, 14)}⟧ --all-databases > dump.sql"),
    ("cli-password", lambda g: f"{P(g)}sshpass -p '⟦{g.password()}⟧' ssh deploy@{g.host()}"),
    ("cli-password", lambda g: f"{P(g)}sshpass -p ⟦{g.s(B62, 12)}⟧ scp build.tgz root@{g.host()}:/tmp"),
    ("cli-password", lambda g: f"{P(g)}PGPASSWORD=⟦{g.password()}⟧ psql -h {g.host()} -U postgres"),
    ("cli-password", lambda g: f"{P(g)}PGPASSWORD='⟦{g.password()}⟧' pg_dump -h {g.host()} app > app.sql"),
    ("cli-password", lambda g: f"{P(g)}docker login -u {g.user()} -p ⟦{g.password()}⟧ registry.example.io"),
    ("cli-password", lambda g: f"{P(g)}helm repo add internal https://charts.example.com --username ci --password ⟦{g.password()}⟧"),
    ("cli-password", lambda g: f"{P(g)}./manage.py createsuperuser --password=⟦{g.password()}⟧"),
    ("cli-password", lambda g: f"{P(g)}redis-cli -h {g.host()} -a ⟦{g.s(B62, 20)}⟧ ping"),
    ("cli-password", lambda g: f"{P(g)}openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.p12 -passout pass:⟦{g.password()}⟧"),
    ("cli-password", lambda g: f"{P(g)}vault login -method=userpass username={g.user()} password=⟦{g.password()}⟧"),
    ("cli-password", lambda g: f"{P(g)}keytool -importcert -file ca.crt -keystore trust.jks -storepass ⟦{g.password()}⟧ -noprompt"),
    ("assignment", lambda g: f"{P(g)}export DB_PASSWORD=⟦{g.password()}⟧"),
    ("assignment", lambda g: f"{P(g)}export DB_PASSWORD=\"⟦{g.password()}⟧\""),
    ("assignment", lambda g: f"API_TOKEN=⟦{g.s(B62, g.n(24, 48))}⟧"),
    ("assignment", lambda g: f"APP_SECRET=⟦{g.s(B62 + '-_', g.n(24, 64))}⟧"),
    ("assignment", lambda g: f"JWT_SECRET_KEY={G}⟦{g.hex(64)}⟧{R}"),
    ("assignment", lambda g: f"SECRET_KEY='⟦{g.s(B62 + '!@#%^&*(-_=+)', 50)}⟧'"),
    ("assignment", lambda g: f"ENCRYPTION_KEY=⟦{g.b64(32)}⟧"),
    ("assignment", lambda g: f"MAILGUN_API_KEY=⟦key-{g.hex(32)}⟧"),
    ("assignment", lambda g: f"  \"password\": \"⟦{g.password()}⟧\","),
    ("assignment", lambda g: f"{B}\"password\"{R}: {G}\"⟦{g.password()}⟧\"{R},"),
    ("assignment", lambda g: f"    password: ⟦{g.password()}⟧"),
    ("assignment", lambda g: f"      POSTGRES_PASSWORD: ⟦{g.password()}⟧"),
    ("assignment", lambda g: f"  client_secret: \"⟦{g.s(B62, 40)}⟧\""),
    ("assignment", lambda g: f"{{\"client_id\":\"{g.uuid()}\",\"client_secret\":\"⟦{g.s(URLSAFE, 40)}⟧\",\"grant_type\":\"client_credentials\"}}"),
    ("assignment", lambda g: f"  password: ⟦{g.b64(g.n(9, 24))}⟧"),
    ("assignment", lambda g: f"{P(g)}kubectl create secret generic db --from-literal=username={g.user()} --from-literal=password=⟦{g.password()}⟧"),
    ("assignment", lambda g: f"level=info msg=\"connecting\" user={g.user()} password=⟦{g.password()}⟧ host={g.host()}"),
    ("assignment", lambda g: f"db_config = {{'host': '{g.host()}', 'user': '{g.user()}', 'password': '⟦{g.password()}⟧'}}"),
    ("assignment", lambda g: f"spring.datasource.password=⟦{g.password()}⟧"),
    ("assignment", lambda g: f"Server={g.host()};Database=orders;User Id={g.user()};Password=⟦{g.password().replace(';', '')}⟧;"),
    ("assignment", lambda g: f"<password>⟦{g.password()}⟧</password>"),
    ("assignment", lambda g: f"REDIS_PASSWORD={g.pick([G, Y])}⟦{g.s(B62, 24)}⟧{R}"),
    ("assignment", lambda g: f"set -x; + export SERVICE_ACCOUNT_TOKEN=⟦{g.s(B62, 40)}⟧"),
    ("assignment", lambda g: f"machine api.example.com login {g.user()} password ⟦{g.password()}⟧"),
    ("assignment", lambda g: f"{P(g)}$env:API_KEY = \"⟦{g.s(B62, 32)}⟧\""),
    ("assignment", lambda g: f"  \"apiKey\": \"⟦{g.s(B62, 32)}⟧\","),
    ("assignment", lambda g: f"WEBHOOK_SECRET={g.hex(40)[:0]}⟦{g.s(B62, 32)}⟧"),
    ("vault", lambda g: f"token                  ⟦hvs.{g.s(URLSAFE, 24)}⟧"),
    ("vault", lambda g: f"{P(g)}export VAULT_TOKEN=⟦hvs.{g.s(URLSAFE, 90)}⟧"),
    ("saas", lambda g: f"SHOPIFY_ACCESS_TOKEN=⟦shpat_{g.hex(32)}⟧"),
    ("saas", lambda g: f"{P(g)}doctl auth init -t ⟦dop_v1_{g.hex(64)}⟧"),
    ("saas", lambda g: f"HF_TOKEN=⟦hf_{g.s(B62, 34)}⟧"),
    ("saas", lambda g: f"{P(g)}huggingface-cli login --token ⟦hf_{g.s(B62, 34)}⟧"),
    ("saas", lambda g: f"DATABRICKS_TOKEN=⟦dapi{g.hex(32)}⟧"),
    ("saas", lambda g: f"https://api.telegram.org/bot{g.s('0123456789', 10)}:⟦AA{g.s(URLSAFE, 33)}⟧/sendMessage"),
    ("saas", lambda g: f"sentry_dsn: https://⟦{g.hex(32)}⟧@o{g.n(100000, 999999)}.ingest.sentry.io/{g.n(1000000, 9999999)}"),
    ("saas", lambda g: f"NEW_RELIC_API_KEY=⟦NRAK-{g.s(UPPER_NUM, 27)}⟧"),
    ("saas", lambda g: f"x-api-key: ⟦{g.s(B62, 40)}⟧"),
    ("entropy", lambda g: f"api_secret = \"⟦{g.s(B62, 40)}⟧\""),
    ("entropy", lambda g: f"{P(g)}./deploy.sh --api-key ⟦{g.s(B62, 32)}⟧ --env prod"),
    ("entropy", lambda g: f"Your new API key: ⟦{g.s(B62, 40)}⟧"),
    ("entropy", lambda g: f"session_secret: ⟦{g.b64(32)}⟧"),
    ("entropy", lambda g: f"generated credential ⟦{g.s(B62, 44)}⟧ for service account ci"),
]


def b64text(g: Gen) -> str:
    import base64
    words = ["the", "deployment", "finished", "config", "server", "listen", "port", "8080",
             "user", "name", "enabled", "true", "log", "level", "debug", "timeout", "30s"]
    text = " ".join(g.pick(words) for _ in range(g.n(6, 30)))
    return base64.b64encode(text.encode()).decode()


def pod(g: Gen) -> str:
    app = g.pick(["web", "api", "worker", "nginx-deployment", "redis-cart", "checkout-svc",
                  "coredns", "kube-proxy", "prometheus-server", "grafana"])
    return f"{app}-{g.s('bcdfghjklmnpqrstvwxz2456789', 10)}-{g.s('bcdfghjklmnpqrstvwxz2456789', 5)}"


def sha(g: Gen) -> str:
    return g.hex(40)


BENIGN: list[tuple[str, Callable[[Gen], str]]] = [
    ("git", lambda g: f"commit {sha(g)}"),
    ("git", lambda g: f"{Y}commit {sha(g)}{R} ({B}HEAD -> {R}{G}main{R})"),
    ("git", lambda g: f"{Y}{g.hex(7)}{R} {g.pick(['Fix race in uploader', 'Bump deps', 'Add retry to token refresh', 'Rotate keys doc', 'Merge pull request #412 from acme/password-reset'])}"),
    ("git", lambda g: f"index {g.hex(7)}..{g.hex(7)} 100644"),
    ("git", lambda g: f"   {g.hex(7)}..{g.hex(7)}  main -> main"),
    ("git", lambda g: f"Merge: {g.hex(7)} {g.hex(7)}"),
    ("git", lambda g: f"{sha(g)}\trefs/heads/{g.pick(['main', 'release/1.4', 'feature/token-refresh'])}"),
    ("git", lambda g: f"{g.hex(7)} HEAD@{{{g.n(0, 30)}}}: checkout: moving from main to fix/secret-rotation"),
    ("git", lambda g: f"Change-Id: I{g.hex(40)}"),
    ("git", lambda g: f"gpg: Signature made Tue 01 May 2024 using RSA key {g.hex(40).upper()}"),
    ("checksum", lambda g: f"{g.hex(64)}  {g.pick(['coterm-0.1.0.tar.gz', 'go1.22.linux-amd64.tar.gz', 'kubectl', 'ubuntu-24.04.iso'])}"),
    ("checksum", lambda g: f"{g.hex(32)}  {g.pick(['backup.sql', 'id_rsa.pub', 'package.json'])}"),
    ("checksum", lambda g: f"SHA256 ({g.pick(['app.zip', 'release.tgz'])}) = {g.hex(64)}"),
    ("checksum", lambda g: f"sha512sum: {g.hex(128)}"),
    ("checksum", lambda g: f"  --hash=sha256:{g.hex(64)} \\"),
    ("checksum", lambda g: f"    \"integrity\": \"sha512-{g.b64(64)}\","),
    ("checksum", lambda g: f"github.com/spf13/cobra v1.8.0 h1:{g.b64(32)}"),
    ("checksum", lambda g: f"  resolved \"https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#{g.hex(40)}\""),
    ("digest", lambda g: f"Digest: sha256:{g.hex(64)}"),
    ("digest", lambda g: f"{g.hex(12)}: Pull complete"),
    ("digest", lambda g: f"image: ghcr.io/acme/api@sha256:{g.hex(64)}"),
    ("digest", lambda g: f"    Image ID:       docker.io/library/nginx@sha256:{g.hex(64)}"),
    ("digest", lambda g: f"    Container ID:   containerd://{g.hex(64)}"),
    ("docker", lambda g: f"{g.hex(12)}   nginx:1.25   \"/docker-entrypoint.…\"   {g.n(2, 50)} minutes ago   Up {g.n(2, 50)} minutes   0.0.0.0:8080->80/tcp   {g.pick(['web', 'hungry_einstein', 'api-1'])}"),
    ("docker", lambda g: f"{g.pick(['postgres', 'redis', 'acme/api'])}   {g.pick(['16', 'latest', '1.4.2'])}   {g.hex(12)}   {g.n(2, 9)} days ago   {g.n(50, 900)}MB"),
    ("docker", lambda g: f" ---> {g.hex(12)}"),
    ("docker", lambda g: f"Successfully built {g.hex(12)}"),
    ("docker", lambda g: f"#{g.n(3, 12)} writing image sha256:{g.hex(64)} done"),
    ("k8s", lambda g: f"{pod(g):<48}1/1     Running   {g.n(0, 3)}          {g.n(1, 40)}d"),
    ("k8s", lambda g: f"pod/{pod(g)} created"),
    ("k8s", lambda g: f"  uid: {g.uuid()}"),
    ("k8s", lambda g: f"  resourceVersion: \"{g.n(100000, 9999999)}\""),
    ("k8s", lambda g: f"default-token-{g.s('bcdfghjklmnpqrstvwxz2456789', 5)}   kubernetes.io/service-account-token   3      {g.n(1, 90)}d"),
    ("k8s", lambda g: f"Events:  Normal  Pulled  {g.n(1, 59)}s  kubelet  Successfully pulled image \"nginx\" in 1.2s. Image size: 70 bytes. pod={pod(g)}"),
    ("k8s", lambda g: "secret/db-credentials created"),
    ("uuid", lambda g: f"request_id={g.uuid()} status=200 duration_ms={g.n(1, 900)}"),
    ("uuid", lambda g: f"/dev/nvme0n1p2: UUID=\"{g.uuid()}\" TYPE=\"ext4\" PARTUUID=\"{g.uuid()}\""),
    ("uuid", lambda g: f"{g.uuid()}"),
    ("uuid", lambda g: f"Idempotency-Key: {g.uuid()}"),
    ("uuid", lambda g: f"trace_id={g.hex(32)} span_id={g.hex(16)} level=info msg=\"handled\""),
    ("hex", lambda g: f"#{g.n(0, 20)}  0x{g.hex(16)} in {g.pick(['main', 'do_work', 'pthread_create'])} () at src/{g.pick(['main.c', 'io.c'])}:{g.n(10, 900)}"),
    ("hex", lambda g: f"{g.hex(12)}-{g.hex(12)} r-xp 00000000 fd:01 {g.n(100000, 999999)} /usr/lib/x86_64-linux-gnu/libc.so.6"),
    ("hex", lambda g: f"{g.hex(8)}: {' '.join(g.hex(4) for _ in range(8))}  ................"),
    ("hex", lambda g: f"[{g.n(1, 99999)}.{g.n(100000, 999999)}] RIP: 0010:{g.pick(['__schedule', 'do_sys_poll'])}+0x{g.hex(3)}/0x{g.hex(3)}"),
    ("hex", lambda g: f"i-0{g.hex(16)}   t3.medium   running   ami-0{g.hex(16)}   vpc-0{g.hex(16)}"),
    ("base64", lambda g: f"{P(g)}echo {b64text(g)} | base64 -d"),
    ("base64", lambda g: f"  config.yaml: {b64text(g)}"),
    ("base64", lambda g: b64text(g)),
    ("pubkey", lambda g: f"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ{g.b64(372)} {g.user()}@{g.pick(['laptop', 'ci'])}"),
    ("pubkey", lambda g: f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{g.b64(32)[:43]} {g.user()}@host"),
    ("pubkey", lambda g: f"{g.host()} ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB{g.b64(64)}"),
    ("pubkey", lambda g: f"256 SHA256:{g.b64(32).rstrip('=')} {g.user()}@laptop (ED25519)"),
    ("pubkey", lambda g: f"ED25519 key fingerprint is SHA256:{g.b64(32).rstrip('=')}."),
    ("pubkey", lambda g: "-----BEGIN PUBLIC KEY-----\n" + "\n".join(g.pem_body(294, "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")) + "\n-----END PUBLIC KEY-----"),
    ("pubkey", lambda g: "-----BEGIN CERTIFICATE-----\n" + "\n".join(g.pem_body(g.n(600, 1200), "MIID")) + "\n-----END CERTIFICATE-----"),
    ("pubkey", lambda g: "\n".join(g.pem_body(48, "MII"))),
    ("pubkey", lambda g: f"pub   rsa4096/0x{g.hex(16).upper()} 2023-01-01 [SC]\n      Key fingerprint = {' '.join(g.hex(4).upper() for _ in range(10))}"),
    ("pubkey", lambda g: f"gpg: key {g.hex(16).upper()}: public key \"Release Signing <release@example.com>\" imported"),
    ("pubkey", lambda g: f"{P(g)}apt-key adv --keyserver keyserver.ubuntu.com --recv-keys {g.hex(40).upper()}"),
    ("pubkey", lambda g: f"ENV GPG_KEY {g.hex(40).upper()}"),
    ("mention", lambda g: "Password: "),
    ("mention", lambda g: f"[sudo] password for {g.user()}: "),
    ("mention", lambda g: "Enter password: "),
    ("mention", lambda g: f"Enter passphrase for key '/home/{g.user()}/.ssh/id_ed25519': "),
    ("mention", lambda g: f"{P(g)}echo \"$REGISTRY_PASSWORD\" | docker login -u {g.user()} --password-stdin registry.example.io"),
    ("mention", lambda g: f"{P(g)}export DB_PASSWORD="),
    ("mention", lambda g: f"{P(g)}export DB_PASSWORD=$(vault kv get -field=password secret/{g.pick(['db', 'app'])})"),
    ("mention", lambda g: f"{P(g)}export API_TOKEN=\"${{API_TOKEN:-}}\""),
    ("mention", lambda g: "  password: ${DB_PASSWORD}"),
    ("mention", lambda g: "    password: ********"),
    ("mention", lambda g: "  \"password\": \"<redacted>\","),
    ("mention", lambda g: f"psql: error: connection to server at \"{g.host()}\", port 5432 failed: FATAL:  password authentication failed for user \"{g.user()}\""),
    ("mention", lambda g: "passwd: password updated successfully"),
    ("mention", lambda g: f"Warning: your password will expire in {g.n(1, 14)} days"),
    ("mention", lambda g: "  password_file: /etc/app/db-password.txt"),
    ("mention", lambda g: f"{P(g)}mysql -u root -p -h {g.host()}"),
    ("mention", lambda g: f"{g.user()}@{g.host()}: Permission denied (publickey,password)."),
    ("mention", lambda g: "PasswordAuthentication no"),
    ("mention", lambda g: "      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}"),
    ("mention", lambda g: f"{P(g)}curl -H \"Authorization: Bearer $TOKEN\" https://api.example.com/v1/items"),
    ("mention", lambda g: f"{P(g)}kubectl get secret {g.pick(['db', 'app-creds'])} -o jsonpath='{{.data.password}}' | base64 -d"),
    ("mention", lambda g: "Tokens:              <none>"),
    ("mention", lambda g: f"error: token expired at 2024-05-0{g.n(1, 9)}T12:00:00Z, run `gh auth login`"),
    ("mention", lambda g: f"usage: {g.pick(['prompt', 'completion'])}_tokens={g.n(10, 4000)} total_tokens={g.n(4000, 9000)}"),
    ("mention", lambda g: "Press any key to continue..."),
    ("mention", lambda g: f"KeyError: '{g.pick(['password', 'token', 'api_key'])}'"),
    ("mention", lambda g: "  token_endpoint: https://auth.example.com/oauth2/token"),
    ("mention", lambda g: f"{P(g)}export AWS_SECRET_ACCESS_KEY=$AWS_SECRET"),
    ("mention", lambda g: "SECRET_KEY=changeme_in_production"[:0] + "SECRET_KEY="),
    ("mention", lambda g: f"{P(g)}read -s -p 'Password: ' PASS"),
    ("mention", lambda g: f"{P(g)}sshpass -f ~/.ssh/pass.txt ssh deploy@{g.host()}"),
    ("mention", lambda g: f"{P(g)}git config --global credential.helper 'cache --timeout=3600'"),
    ("mention", lambda g: "    --password-file=/run/secrets/db_password \\"),
    ("mention", lambda g: "Mountable secrets:   default-token-" + g.s("bcdfghjklmnpqrstvwxz2456789", 5)),
    ("mention", lambda g: f"[INFO] Using cached credentials from /home/{g.user()}/.aws/credentials"),
    ("mention", lambda g: "Authentication token: (hidden)"),
    ("url", lambda g: f"https://github.com/acme/api/commit/{sha(g)}"),
    ("url", lambda g: f"Cloning into 'api'...\nremote: Enumerating objects: {g.n(100, 9999)}, done."),
    ("url", lambda g: f"{P(g)}git clone git@github.com:acme/{g.pick(['api', 'infra', 'web'])}.git"),
    ("url", lambda g: f"  url: https://{g.user()}@bitbucket.org/acme/repo.git"),
    ("url", lambda g: f"registry.example.io:5000/team/{g.pick(['api', 'web'])}:{g.n(1, 9)}.{g.n(0, 20)}.{g.n(0, 9)}-{g.hex(7)}"),
    ("url", lambda g: f"GET /api/v1/orders?page={g.n(1, 20)}&sort=desc&cursor={g.b64(12).rstrip('=')} 200"),
    ("url", lambda g: f"https://s3.amazonaws.com/acme-artifacts/builds/{g.hex(40)}/app.tar.gz"),
    ("url", lambda g: f"https://www.youtube.com/watch?v={g.s(B62, 11)}"),
    ("arn", lambda g: f"arn:aws:iam::{g.s('0123456789', 12)}:role/{g.pick(['deploy', 'ci-runner', 'ReadOnly'])}"),
    ("arn", lambda g: f"    \"RequestId\": \"{g.uuid()}\","),
    ("build", lambda g: f"  dist/assets/index-{g.s(B62 + '_-', 8)}.js   {g.n(10, 900)}.{g.n(0, 99)} kB │ gzip: {g.n(10, 90)}.{g.n(0, 99)} kB"),
    ("build", lambda g: f"static/js/main.{g.hex(8)}.chunk.js"),
    ("build", lambda g: f"  File \"/usr/lib/python3.11/site-packages/{g.pick(['requests', 'urllib3', 'botocore'])}/{g.pick(['adapters', 'connectionpool', 'auth'])}.py\", line {g.n(10, 900)}, in send"),
    ("build", lambda g: f"\tat org.springframework.security.authentication.ProviderManager.authenticate(ProviderManager.java:{g.n(100, 300)})"),
    ("build", lambda g: f"src/components/PasswordResetForm.tsx:{g.n(1, 200)}:{g.n(1, 80)} - warning: 'tokenRefreshInterval' is assigned a value but never used"),
    ("build", lambda g: f"   Compiling {g.pick(['tokio', 'serde_json', 'ring'])} v1.{g.n(0, 40)}.{g.n(0, 9)}"),
    ("build", lambda g: f"Downloading {g.pick(['cryptography', 'PyJWT', 'keyring'])}-{g.n(1, 42)}.{g.n(0, 9)}.{g.n(0, 9)}-cp311-abi3-manylinux_2_28_x86_64.whl ({g.n(1, 9)}.{g.n(0, 9)} MB)"),
    ("build", lambda g: f"-rw-------  1 {g.user()} staff  {g.n(100, 4000)} May  1 12:00 id_ed25519"),
    ("build", lambda g: f"drwxr-xr-x  5 {g.user()} staff   160 May  1 12:00 {g.pick(['node_modules', '.git', 'secrets', 'tokens'])}"),
    ("build", lambda g: f"{g.user()}  {g.n(1000, 99999)}  0.{g.n(0, 9)}  1.{g.n(0, 9)} 123456 7890 pts/{g.n(0, 9)} S+ 12:00 0:00 python -m http.server 8000"),
    ("random-id", lambda g: f"Session ID: {g.s('0123456789', 10)}   Started: 2024-05-01 12:00:00"),
    ("random-id", lambda g: f"build #{g.n(100, 9999)} ({g.hex(7)}) by {g.user()} – {g.pick(['passed', 'failed'])}"),
    ("random-id", lambda g: f"Tailscale IP: 100.{g.n(64, 127)}.{g.n(0, 255)}.{g.n(0, 255)}   hostname: {g.pick(['web-1', 'db-2'])}"),
    ("random-id", lambda g: f"  \"etag\": \"\\\"{g.hex(32)}\\\"\","),
    ("random-id", lambda g: f"X-Request-Id: {g.hex(32)}"),
    ("random-id", lambda g: f"ami-0{g.hex(16)}"),
    ("random-id", lambda g: f"{g.pick(['org.apache.kafka.common.security.authenticator.SaslClientAuthenticator', 'io.netty.handler.ssl.SslHandler', 'com.amazonaws.auth.DefaultAWSCredentialsProviderChain'])}"),
    ("random-id", lambda g: f"CONTAINER_NAME={pod(g)}"),
    ("random-id", lambda g: f"  \"id\": \"{g.s('0123456789', 18)}\", \"node_id\": \"MDQ6VXNlcj{g.s('0123456789', 7)}=\""),
]


def _dockercfg(g: Gen) -> str:
    import base64
    return base64.b64encode(json.dumps({"auths": {"ghcr.io": {"auth": g.b64(20)}}}).encode()).decode()


def _ecr(g: Gen) -> str:
    import base64
    blob = {"payload": g.b64(60), "datakey": g.b64(40), "version": "2", "type": "DATA_KEY"}
    return base64.b64encode(json.dumps(blob).encode()).decode()


# More contexts: git remotes, kubeconfigs, docker/helm/k8s commands, HTTP headers,
# cookies, tables without an operator, credentials files, base64 credential blobs.
SECRET += [
    ("url-password", lambda g: f"origin\thttps://oauth2:⟦glpat-{g.s(B62, 20)}⟧@gitlab.com/acme/api.git (fetch)"),
    ("url-password", lambda g: f"https://{g.user()}:⟦{g.s(B62, 12)}⟧@github.com"),
    ("assignment", lambda g: f"machine github.com\nlogin {g.user()}\npassword ⟦{g.s(B62, 16)}⟧"),
    ("private-key", lambda g: f"  tls.key: ⟦{g.b64(120)}⟧"),
    ("private-key", lambda g: f"    client-key-data: ⟦{g.b64(200)}⟧"),
    ("dockerhub", lambda g: f"  .dockerconfigjson: ⟦{_dockercfg(g)}⟧"),
    ("aws", lambda g: f"⟦{_ecr(g)}⟧"),
    ("assignment", lambda g: f'            "POSTGRES_PASSWORD=⟦{g.password().replace(chr(34), "")}⟧",'),
    ("assignment", lambda g: f"db_password = \"⟦{g.s(B62, 18)}⟧\""),
    ("assignment", lambda g: f"  rootPassword: ⟦{g.s(B62, 16)}⟧"),
    ("url-password", lambda g: f"jdbc:mysql://db:3306/app?user=root&password=⟦{g.s(B62, 12)}⟧&useSSL=false"),
    ("cli-password", lambda g: f"{P(g)}mysql -h {g.host()} -u root --password=⟦{g.s(B62, 12)}⟧ app"),
    ("cli-password", lambda g: f"{P(g)}psql \"host={g.host()} user=app password=⟦{g.s(B62, 12)}⟧ dbname=app\""),
    ("assignment", lambda g: f"MYSQL_PWD=⟦{g.s(B62, 12)}⟧"),
    ("cli-password", lambda g: f"{P(g)}wget --user={g.user()} --password=⟦{g.s(B62, 10)}⟧ https://files.example.com/x.tgz"),
    ("authorization", lambda g: f"{P(g)}curl -H 'apikey: ⟦{g.s(B62, 40)}⟧' https://x.supabase.co/rest/v1/"),
    ("authorization", lambda g: f"Cookie: sessionid=⟦{g.s(B62, 32)}⟧; csrftoken=⟦{g.s(B62, 32)}⟧"),
    ("assignment", lambda g: f"{P(g)}curl -d 'client_id=abc&client_secret=⟦{g.s(B62, 32)}⟧&grant_type=client_credentials' https://auth.example.com/token"),
    ("authorization", lambda g: f"Proxy-Authorization: Basic ⟦{g.b64(18)}⟧"),
    ("authorization", lambda g: f"Authorization: SSWS ⟦{g.s(B62, 42)}⟧"),
    ("authorization", lambda g: f"authorization: ⟦{g.s(B62, 40)}⟧"),
    ("assignment", lambda g: f"Generated password: ⟦{g.s(B62, 8)}#{g.s(B62, 5)}⟧"),
    ("assignment", lambda g: f"password            ⟦{g.s(B62, 14)}⟧"),
    ("cli-password", lambda g: f"{P(g)}echo '⟦{g.s(B62, 12)}⟧' | sudo -S apt-get update"),
    ("cli-password", lambda g: f"{P(g)}docker run -e POSTGRES_PASSWORD=⟦{g.s(B62, 12)}⟧ -d postgres:16"),
    ("cli-password", lambda g: f"{P(g)}kubectl create secret docker-registry regcred --docker-username=bob --docker-password=⟦{g.s(B62, 16)}⟧"),
    ("cli-password", lambda g: f"{P(g)}helm install db bitnami/postgresql --set auth.postgresPassword=⟦{g.s(B62, 12)}⟧"),
    ("assignment", lambda g: f"  ansible_become_pass: ⟦{g.s(B62, 12)}⟧"),
    ("assignment", lambda g: f"TF_VAR_db_password=⟦{g.s(B62, 14)}⟧"),
    ("assignment", lambda g: f"CLOUDFLARE_API_TOKEN=⟦{g.s(URLSAFE, 40)}⟧"),
    ("assignment", lambda g: f"'api_token' => '⟦{g.s(B62, 32)}⟧',"),
    ("assignment", lambda g: f"accessToken=⟦{g.s(B62, 40)}⟧"),
    ("assignment", lambda g: f"PRIVATE_KEY=⟦0x{g.hex(64)}⟧"),
    ("assignment", lambda g: f"SECRET_KEY_BASE=⟦{g.hex(128)}⟧"),
    ("dockerhub", lambda g: f"    \"identitytoken\": \"⟦{g.s(B62, 60)}⟧\""),
    ("azure", lambda g: f"{P(g)}az login --service-principal -u {g.uuid()} -p ⟦{g.s(B62, 3)}8Q~{g.s(B62, 31)}⟧ --tenant t"),
    ("saas", lambda g: f"MAILCHIMP_KEY=⟦{g.hex(32)}-us{g.n(1, 21)}⟧"),
    ("authorization", lambda g: f"X-Auth-Token: ⟦{g.s(B62, 40)}⟧"),
    ("aws", lambda g: f"[default]\naws_access_key_id = ⟦{aws_id(g)}⟧\naws_secret_access_key = ⟦{aws_secret(g)}⟧"),
    ("private-key", lambda g: "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n⟦" + "\n".join(g.pem_body(240)) + "⟧\n-----END PGP PRIVATE KEY BLOCK-----"),
    ("entropy", lambda g: f"Your API key is ⟦{g.s(B62, 40)}⟧ - keep it safe"),
    ("gcp", lambda g: f"{{\"type\": \"service_account\", \"private_key_id\": \"⟦{g.hex(40)}⟧\", \"client_email\": \"ci@proj.iam.gserviceaccount.com\"}}"),
    ("entropy", lambda g: f"2024-05-01 12:00:00 INFO Using token=⟦{g.s(B62, 32)}⟧ for upload"),
    ("gcp", lambda g: f"  refresh_token: ⟦1//0{g.s(URLSAFE, 90)}⟧"),
]

BENIGN += [
    ("mention", lambda g: "Authorization: Bearer YOUR_TOKEN_HERE"),
    ("mention", lambda g: "export GITHUB_TOKEN=<your-token>"),
    ("mention", lambda g: '  password: "{{ vault_db_password }}"'),
    ("mention", lambda g: "  password: !vault |"),
    ("mention", lambda g: f"ERROR 1045 (28000): Access denied for user '{g.user()}'@'localhost' (using password: YES)"),
    ("mention", lambda g: "mysql: [Warning] Using a password on the command line interface can be insecure."),
    ("mention", lambda g: "remote: Invalid username or password."),
    ("mention", lambda g: f"Password for 'https://{g.user()}@github.com': "),
    ("mention", lambda g: "Enter PEM pass phrase:"),
    ("mention", lambda g: "token_type: Bearer"),
    ("mention", lambda g: "  secretName: db-creds"),
    ("mention", lambda g: "  - key: app.kubernetes.io/name"),
    ("mention", lambda g: "--token-file=/var/run/secrets/token"),
    ("mention", lambda g: "  ssh_private_key: /home/u/.ssh/id_rsa"),
    ("mention", lambda g: "  secret_access_key: null"),
    ("mention", lambda g: "Session token expired, please log in again"),
    ("mention", lambda g: 'mysql -u root -p"$DB_PASS" app'),
    ("mention", lambda g: "Password changed"),
    ("mention", lambda g: "token    <none>"),
    ("mention", lambda g: "kubectl describe secret db-creds\npassword:  16 bytes\nusername:  5 bytes"),
    ("mention", lambda g: f"  password_hash: $2b$12${g.s(B62 + './', 53)}"),
    ("mention", lambda g: "  passwordPolicy: strong"),
    ("mention", lambda g: "PASSWORD_MIN_LENGTH=12"),
    ("mention", lambda g: "SECRET_KEY_FILE=/run/secrets/django"),
    ("random-id", lambda g: f"gpg: using RSA key {g.hex(40).upper()}"),
    ("random-id", lambda g: f"go: downloading github.com/acme/lib v0.0.0-20240101120000-{g.hex(12)}"),
    ("random-id", lambda g: f"/nix/store/{g.s('abcdfghijklmnpqrsvwxyz0123456789', 32)}-python3-3.11.7"),
    ("random-id", lambda g: f'  "id": "ch_{g.s(B62, 24)}",'),
    ("pubkey", lambda g: f"  \"Signature\": \"{g.b64(70)}\","),
    ("digest", lambda g: f"Digest: SHA-256={g.b64(32)}"),
    ("git", lambda g: f"v1.2.3-{g.n(1, 99)}-g{g.hex(7)}"),
]


# Round two: table cells, SQL, redis, WireGuard/OpenVPN keys, credential helpers,
# kubeadm/k3s/vault bootstrap secrets, and look-alikes from env dumps and headers.
LOWER_NUM = "abcdefghijklmnopqrstuvwxyz0123456789"
SECRET += [
    ("openai", lambda g: f"\x1b[1;32m➜\x1b[0m  \x1b[36mapp\x1b[0m export OPENAI_API_KEY=⟦sk-proj-{g.s(B62, 60)}⟧"),
    ("url-password", lambda g: f'DEBUG:urllib3.connectionpool:https://api.github.com:443 "GET /user?access_token=⟦{g.s(B62, 40)}⟧ HTTP/1.1" 200'),
    ("assignment", lambda g: f"[INFO] Loaded config: {{'db': {{'password': '⟦{g.s(B62, 12)}⟧'}}}}"),
    ("url-password", lambda g: f"https://x-token-auth:⟦{g.s(B62, 30)}⟧@bitbucket.org/acme/repo.git"),
    ("url-password", lambda g: f"{P(g)}fly secrets set DATABASE_URL=postgres://app:⟦{g.s(B62, 16)}⟧@db.internal:5432/app"),
    ("assignment", lambda g: f"│ DB_PASSWORD        │ ⟦{g.s(B62, 14)}⟧ │"),
    ("stripe", lambda g: f"| STRIPE_SECRET_KEY | ⟦sk_live_{g.s(B62, 24)}⟧ |"),
    ("assignment", lambda g: f"  + administrator_login_password = \"⟦{g.s(B62, 14)}⟧\""),
    ("aws", lambda g: f'    "SecretString": "{{\\"username\\":\\"admin\\",\\"password\\":\\"⟦{g.s(B62, 16)}⟧\\"}}",'),
    ("assignment", lambda g: f"DB_PASS=⟦{g.s(B62, 12)}⟧"),
    ("cli-password", lambda g: f"127.0.0.1:6379> AUTH ⟦{g.s(B62, 16)}⟧"),
    ("cli-password", lambda g: f"mysql> CREATE USER 'app'@'%' IDENTIFIED BY '⟦{g.s(B62, 14)}⟧';"),
    ("cli-password", lambda g: f"postgres=# CREATE ROLE app WITH LOGIN PASSWORD '⟦{g.s(B62, 14)}⟧';"),
    ("cli-password", lambda g: f"{P(g)}htpasswd -nb admin ⟦{g.s(B62, 12)}⟧"),
    ("private-key", lambda g: f"⟦AGE-SECRET-KEY-1{g.s(UPPER_NUM, 58)}⟧"),
    ("private-key", lambda g: f"[Interface]\nPrivateKey = ⟦{g.b64(32)}⟧\nAddress = 10.0.0.2/24"),
    ("private-key", lambda g: "-----BEGIN OpenVPN Static key V1-----\n⟦" + "\n".join(g.hex(32) for _ in range(4)) + "⟧\n-----END OpenVPN Static key V1-----"),
    ("assignment", lambda g: f"protocol=https\nhost=github.com\nusername=bob\npassword=⟦{g.s(B62, 20)}⟧"),
    ("aws", lambda g: f"  {g.n(100, 999)}  export AWS_SECRET_ACCESS_KEY=⟦{aws_secret(g)}⟧"),
    ("assignment", lambda g: f"Jenkins initial admin password: ⟦{g.hex(32)}⟧"),
    ("cli-password", lambda g: f"{P(g)}kubeadm join 10.0.0.1:6443 --token ⟦{g.s(LOWER_NUM, 6)}.{g.s(LOWER_NUM, 16)}⟧ --discovery-token-ca-cert-hash sha256:{g.hex(64)}"),
    ("saas", lambda g: f"⟦K10{g.hex(64)}::server:{g.hex(32)}⟧"),
    ("vault", lambda g: f"SecretID:           ⟦{g.uuid()}⟧"),
    ("vault", lambda g: f"Unseal Key {g.n(1, 5)}: ⟦{g.b64(33)}⟧"),
    ("vault", lambda g: f"Initial Root Token: ⟦hvs.{g.s(B62, 24)}⟧"),
    ("aws", lambda g: f"{P(g)}s3cmd --access_key=⟦{aws_id(g)}⟧ --secret_key=⟦{aws_secret(g)}⟧ ls"),
    ("cli-password", lambda g: f"{P(g)}rclone copy x remote: --s3-secret-access-key ⟦{aws_secret(g)}⟧"),
    ("cli-password", lambda g: f"{P(g)}keytool -genkey -keystore ks.jks -storepass ⟦{g.s(B62, 12)}⟧ -keypass ⟦{g.s(B62, 12)}⟧"),
    ("cli-password", lambda g: f"{P(g)}mount -t cifs //nas/share /mnt -o username=bob,password=⟦{g.s(B62, 12)}⟧,uid=1000"),
    ("saas", lambda g: f"MAPBOX_SECRET=⟦sk.eyJ1Ijoi{g.s(B62, 30)}.{g.s(B62, 22)}⟧"),
    ("saas", lambda g: f"SUPABASE_ACCESS_TOKEN=⟦sbp_{g.hex(40)}⟧"),
    ("entropy", lambda g: f"\x1b[33mWARN\x1b[0m token=⟦{g.s(B62, 36)}⟧ is about to expire"),
    ("cli-password", lambda g: f"SSHPASS=⟦{g.s(B62, 12)}⟧ sshpass -e ssh host"),
    ("entropy", lambda g: f"Your access key: ⟦{g.s(B62, 32)}⟧"),
]
BENIGN += [
    ("mention", lambda g: "Tokenizer: loaded 50257 tokens"),
    ("mention", lambda g: f"keyspace_hits:{g.n(1, 99999)}"),
    ("mention", lambda g: f"pass_count={g.n(1, 99)} fail_count=0"),
    ("mention", lambda g: "Authentication: enabled"),
    ("mention", lambda g: "auth_method: password"),
    ("mention", lambda g: "password_authentication: false"),
    ("mention", lambda g: "GIT_ASKPASS=/usr/lib/git-core/git-gui--askpass"),
    ("mention", lambda g: f"PASSWORD_STORE_DIR=/home/{g.user()}/.password-store"),
    ("mention", lambda g: "TOKENIZERS_PARALLELISM=false"),
    ("mention", lambda g: "CACHE_KEY_PREFIX=v1"),
    ("random-id", lambda g: f"x-amz-id-2: {g.b64(57)}"),
    ("random-id", lambda g: f"Content-Security-Policy: script-src 'nonce-{g.b64(16)}'"),
    ("base64", lambda g: f"<img src=\"data:image/png;base64,{g.b64(60)}\">"),
    ("mention", lambda g: "$ docker build --secret id=npmrc,src=/home/bob/.npmrc ."),
    ("mention", lambda g: "  + password = (sensitive value)"),
    ("mention", lambda g: "pass = *** ENCRYPTED ***"),
    ("mention", lambda g: "  private key: (hidden)"),
    ("mention", lambda g: f"SSH_AUTH_SOCK=/tmp/ssh-{g.s(B62, 10)}/agent.{g.n(1000, 9999)}"),
    ("uuid", lambda g: f"AccessorID:         {g.uuid()}"),
    ("mention", lambda g: "$ mysql --password"),
    ("mention", lambda g: "--max-tokens 2048"),
    ("mention", lambda g: "│ username │ admin │"),
]


# Round three: shell traces, Windows/PowerShell, archive and database tools, diffs,
# grep hits, kubeconfig blobs, service-account JSON, and code that names secrets.
def _b64_pem(g: Gen, label: str, nbytes: int) -> str:
    import base64
    body = "\n".join(g.pem_body(nbytes))
    return base64.b64encode(f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n".encode()).decode()


SECRET += [
    ("curl-user", lambda g: f"+ curl -s -u admin:⟦{g.s(B62, 12)}⟧ https://ci.example.com/api"),
    ("assignment", lambda g: f"C:\\Users\\bob> set DB_PASSWORD=⟦{g.s(B62, 12)}⟧"),
    ("cli-password", lambda g: f"{P(g)}sqlcmd -S db -U sa -P ⟦{g.s(B62, 12)}⟧ -Q \"SELECT 1\""),
    ("cli-password", lambda g: f"{P(g)}mongosh --username admin --password ⟦{g.s(B62, 12)}⟧ --host db"),
    ("cli-password", lambda g: f"{P(g)}ssh-keygen -t ed25519 -N '⟦{g.s(B62, 14)}⟧' -f key"),
    ("cli-password", lambda g: f"{P(g)}gpg --batch --passphrase ⟦{g.s(B62, 14)}⟧ -d secrets.gpg"),
    ("cli-password", lambda g: f"{P(g)}zip -P ⟦{g.s(B62, 10)}⟧ backup.zip db.sql"),
    ("cli-password", lambda g: f"{P(g)}7z a -p⟦{g.s(B62, 10)}⟧ backup.7z db.sql"),
    ("assignment", lambda g: f"+API_KEY=⟦{g.s(B62, 32)}⟧"),
    ("assignment", lambda g: f"-DB_PASSWORD=⟦{g.s(B62, 12)}⟧"),
    ("assignment", lambda g: f"config/app.yml:{g.n(1, 99)}:  password: ⟦{g.s(B62, 12)}⟧"),
    ("private-key", lambda g: f"    client-key-data: ⟦{_b64_pem(g, 'RSA PRIVATE KEY', 300)}⟧"),
    ("assignment", lambda g: f"    token: ⟦{g.s(LOWER_NUM, 6)}.{g.s(LOWER_NUM, 16)}⟧"),
    ("aws", lambda g: f"Credentials(access_key='⟦{aws_id(g)}⟧', secret_key='⟦{aws_secret(g)}⟧', token=None)"),
    ("gcp", lambda g: f"{{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod\",\n  \"private_key_id\": \"⟦{g.hex(40)}⟧\",\n  \"client_email\": \"ci@acme-prod.iam.gserviceaccount.com\"\n}}"),
    ("authorization", lambda g: f"level=debug msg=\"request\" headers=\"map[Authorization:[Bearer ⟦{g.s(B62, 40)}⟧]]\""),
    ("npm", lambda g: f"{P(g)}npm config set //registry.npmjs.org/:_authToken=⟦{g.s(B62, 36)}⟧"),
    ("cli-password", lambda g: f"{P(g)}vercel --token ⟦{g.s(B62, 24)}⟧ deploy"),
    ("saas", lambda g: f"Token for app.terraform.io: ⟦{g.s(B62, 14)}.atlasv1.{g.s(B62, 67)}⟧"),
    ("datadog", lambda g: f"{P(g)}docker run -e DD_API_KEY=⟦{g.hex(32)}⟧ datadog/agent"),
    ("aws", lambda g: f"{P(g)}aws configure set aws_secret_access_key ⟦{aws_secret(g)}⟧"),
    ("azure", lambda g: f"{P(g)}az storage blob list --account-key ⟦{g.b64(64)}⟧ --account-name acme"),
    ("stripe", lambda g: f"{P(g)}heroku config:set STRIPE_KEY=⟦sk_live_{g.s(B62, 24)}⟧"),
    ("url-password", lambda g: f"GET /v1/data?api_key=⟦{g.s(B62, 40)}⟧&format=json"),
    ("aws", lambda g: f"\x1b[38;5;208mAWS_SESSION_TOKEN\x1b[0m=\x1b[38;5;34m⟦{aws_session(g)}⟧\x1b[0m"),
    ("slack", lambda g: f"SLACK_SIGNING_SECRET=⟦{g.hex(32)}⟧"),
    ("cli-password", lambda g: f"{P(g)}mysql -uadmin -p'⟦{g.s(B62, 8)}!{g.s(B62, 4)}⟧' -e 'show databases'"),
    ("assignment", lambda g: f"ENV POSTGRES_PASSWORD ⟦{g.s(B62, 12)}⟧"),
    ("assignment", lambda g: f"  Environment:\n    DB_PASSWORD:  ⟦{g.s(B62, 12)}⟧"),
    ("private-key", lambda g: "private_key = \"\"\"-----BEGIN EC PRIVATE KEY-----\n⟦" + "\n".join(g.pem_body(121)) + "⟧\n-----END EC PRIVATE KEY-----\"\"\""),
    ("assignment", lambda g: f"[2024-05-01T12:00:00Z] POST /login body={{\"username\":\"bob\",\"password\":\"⟦{g.s(B62, 12)}⟧\"}}"),
]
BENIGN += [
    ("mention", lambda g: 'src/db.py:14:    password = os.environ["DB_PASSWORD"]'),
    ("mention", lambda g: "    token = get_token()"),
    ("mention", lambda g: "    api_key = config.api_key"),
    ("mention", lambda g: "    secret = request.args.get('secret')"),
    ("mention", lambda g: "def login(user, password):"),
    ("mention", lambda g: '    if password == "":'),
    ("mention", lambda g: "  password: string;"),
    ("mention", lambda g: "    password=args.password,"),
    ("pubkey", lambda g: f"    client-certificate-data: {_b64_pem(g, 'CERTIFICATE', 600)}"),
    ("pubkey", lambda g: f"    certificate-authority-data: {_b64_pem(g, 'CERTIFICATE', 700)}"),
    ("hex", lambda g: f"Session-ID: {g.hex(64).upper()}"),
    ("pubkey", lambda g: f"debug1: Server host key: ssh-ed25519 SHA256:{g.b64(32).rstrip('=')}"),
    ("mention", lambda g: "$ ansible-playbook site.yml --vault-password-file ~/.vault_pass"),
    ("mention", lambda g: "$ docker secret create db_password ./db_password.txt"),
    ("checksum", lambda g: f"PYTHON_SHA256={g.hex(64)}"),
    ("mention", lambda g: "GITHUB_TOKEN=***"),
    ("mention", lambda g: "LS_COLORS=rs=0:di=01;34:ln=01;36:mh=00:pi=40;33:so=01;35:do=01;35:bd=40;33;01"),
    ("pubkey", lambda g: f"  \"kid\": \"{g.s(URLSAFE, 43)}\","),
    ("pubkey", lambda g: f"  \"n\": \"{g.s(URLSAFE, 342)}\","),
    ("mention", lambda g: "  passwordless: true"),
    ("mention", lambda g: "Token has been revoked"),
    ("checksum", lambda g: f"Restored cache from key: Linux-pip-{g.hex(64)}"),
    ("mention", lambda g: 'WWW-Authenticate: Bearer realm="https://auth.docker.io/token",service="registry.docker.io"'),
]


def _b64_env(g: Gen) -> str:
    import base64
    env = f"API_KEY={g.s(B62, 24)}\nDB_PASSWORD={g.password()}\nDEBUG=false\n"
    return base64.b64encode(env.encode()).decode()


# Round four: URLs with ports and scoped paths, escaped certificates, hashed
# known_hosts, object-store ids; tokens used as URL user names.
SECRET += [
    ("url-password", lambda g: f"postgres://{g.user()}:⟦{g.s(B62, 6)}/{g.s(B62, 6)}⟧@db:5432/app"),
    ("github", lambda g: f"{P(g)}git clone https://⟦{gh(g)}⟧@github.com/acme/infra.git"),
    ("gitlab", lambda g: f"{P(g)}git remote set-url origin https://oauth2:⟦glpat-{g.s(B62, 20)}⟧@gitlab.example.com/team/app.git"),
    ("entropy", lambda g: f"otpauth://totp/Acme:bob?secret=⟦{g.s('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 32)}⟧&issuer=Acme"),
    ("assignment", lambda g: f'<add key="ApiKey" value="⟦{g.s(B62, 24)}⟧"/>'),
    ("assignment", lambda g: f"2024/05/01 12:00:00 config: &{{Host:{g.host()} Password:⟦{g.s(B62, 12)}⟧ User:{g.user()}}}"),
    ("assignment", lambda g: f"  .env: ⟦{_b64_env(g)}⟧"),
]
BENIGN += [
    ("url", lambda g: "https://registry.npmjs.org:443/@babel/core"),
    ("pubkey", lambda g: '  "cert": "-----BEGIN CERTIFICATE-----\\n' + "\\n".join(g.pem_body(144, "MIIB")) + '\\n-----END CERTIFICATE-----\\n",'),
    ("pubkey", lambda g: f"|1|{g.b64(20)}|{g.b64(20)} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{g.b64(32)[:43]}"),
    ("random-id", lambda g: f'    "VersionId": "{g.s(B62, 32)}",'),
    ("random-id", lambda g: f"X-Amz-Cf-Id: {g.s(B62 + '_-', 56)}=="),
]


def build(n_secret: int = 3, n_benign: int = 6, seed: int = 20261129) -> list[dict[str, object]]:
    g = Gen(seed)
    rows: list[dict[str, object]] = []
    for kind, make in SECRET:
        for _ in range(n_secret):
            text, spans = unmark(make(g))
            assert spans, kind
            rows.append({"kind": kind, "text": text, "secrets": spans})
    for kind, make in BENIGN:
        for _ in range(n_benign):
            text, spans = unmark(make(g))
            assert not spans
            rows.append({"kind": "benign-" + kind, "text": text, "secrets": []})
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_sec = sum(1 for r in rows if r["secrets"])
    print(f"{OUT}: {n_sec} secret lines, {len(rows) - n_sec} benign lines")


if __name__ == "__main__":
    main()
