"""Random values in realistic vendor formats for the redaction corpus (seeded)."""

from __future__ import annotations

import base64
import json
import random
import string

B62 = string.ascii_letters + string.digits
B64 = B62 + "+/"
URLSAFE = B62 + "_-"
HEX = "0123456789abcdef"
UPPER_NUM = string.ascii_uppercase + string.digits


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def s(self, chars: str, n: int) -> str:
        return "".join(self.r.choice(chars) for _ in range(n))

    def pick(self, seq):  # type: ignore[no-untyped-def]
        return self.r.choice(seq)

    def n(self, a: int, b: int) -> int:
        return self.r.randint(a, b)

    def hex(self, n: int) -> str:
        return self.s(HEX, n)

    def b64(self, nbytes: int) -> str:
        return base64.b64encode(self.r.randbytes(nbytes)).decode()

    def b64url(self, nbytes: int) -> str:
        return base64.urlsafe_b64encode(self.r.randbytes(nbytes)).decode().rstrip("=")

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def password(self) -> str:
        kind = self.n(0, 4)
        if kind == 0:
            return self.s(B62, self.n(10, 20))
        if kind == 1:
            word = self.pick(["hunter", "Summer", "Winter", "dragon", "Passw0rd", "letmein",
                              "Welcome", "monkey", "Spring", "qwerty", "Admin", "Tr0ub4dor"])
            return word + str(self.n(1, 9999)) + self.pick(["!", "#", "", "$", "@", "?"])
        if kind == 2:
            return self.s(B62 + "!@#%^*-_+=", self.n(12, 24))
        if kind == 3:
            return "-".join(self.pick(["correct", "horse", "battery", "staple", "purple",
                                       "monkey", "dish", "washer", "river", "stone"])
                            for _ in range(4))
        return self.s(string.ascii_lowercase + string.digits, self.n(8, 16))

    def user(self) -> str:
        return self.pick(["admin", "root", "deploy", "alice", "bob", "app_user", "ci-bot",
                          "postgres", "svc_backup", "jenkins", "grafana", "carol.ng"])

    def host(self) -> str:
        return self.pick(["db.internal", "10.0.3.17", "prod-db-1.example.com", "localhost",
                          "redis.svc.cluster.local", "mq.example.net", "cluster0.ab1cd.mongodb.net",
                          "api.example.com", "registry.example.io", "192.168.1.20"])

    def jwt(self) -> str:
        hdr = {"alg": self.pick(["HS256", "RS256", "ES256"]), "typ": "JWT"}
        if self.n(0, 1):
            hdr["kid"] = self.hex(16)
        body = {"sub": str(self.n(1000, 99999)), "iat": self.n(1_600_000_000, 1_750_000_000),
                "exp": self.n(1_750_000_000, 1_800_000_000)}
        if self.n(0, 1):
            body["email"] = f"{self.user()}@example.com"
        if self.n(0, 1):
            body["iss"] = "https://auth.example.com/"
        if self.n(0, 2) == 0:
            body["kubernetes.io"] = {"namespace": "default", "serviceaccount": {"name": "ci"}}

        def enc(o: object) -> str:
            return base64.urlsafe_b64encode(json.dumps(o, separators=(",", ":")).encode()
                                            ).decode().rstrip("=")
        sig = self.b64url(32 if hdr["alg"] == "HS256" else self.pick([64, 256]))
        return f"{enc(hdr)}.{enc(body)}.{sig}"

    def pem_body(self, nbytes: int, start: str = "") -> list[str]:
        data = base64.b64encode(self.r.randbytes(nbytes)).decode()
        data = start + data[len(start):]
        return [data[i:i + 64] for i in range(0, len(data), 64)]
