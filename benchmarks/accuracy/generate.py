"""Generate a labelled accuracy corpus: credentials in realistic files, plus hard negatives.

    python benchmarks/accuracy/generate.py [--out benchmarks/work/accuracy] [--seed 1]

Positives: every rule's examples embedded in several file types, and generic credentials (passwords,
secrets, connection strings, basic auth, hashes) in the contexts real repositories use (.env, YAML,
JSON, INI/properties, XML, PHP, Python, JS, shell, docker-compose, notebooks, SQL dumps). Negatives:
placeholders, environment lookups, lockfile integrity hashes, UUIDs, git SHAs, public keys and
certificates, base64 images, minified code, test vectors and every rule's negative examples.
`labels.json` lists each positive as {path, line, family}; every other line is a negative.
All values are generated fakes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import string
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from credsweep.rules.loader import load_rulesets  # noqa: E402


class Corpus:
    def __init__(self, out: Path, rng: random.Random) -> None:
        self.out, self.rng = out, rng
        self.labels: list[dict[str, object]] = []
        self.files: dict[str, list[str]] = {}

    def add(self, path: str, lines: list[str], positives: dict[int, str]) -> None:
        """Append ``lines`` to ``path``; ``positives`` maps an index in ``lines`` to its family."""
        body = self.files.setdefault(path, [])
        base = sum(chunk.count("\n") + 1 for chunk in body)
        for index, family in positives.items():
            offset = sum(lines[i].count("\n") + 1 for i in range(index))
            start = base + offset + 1
            self.labels.append({"path": path, "line": start, "end_line": start + lines[index].count("\n"),
                                "family": family})
        body.extend(lines)

    def write(self) -> None:
        for rel, lines in self.files.items():
            target = self.out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(lines) + "\n")
        (self.out / "labels.json").write_text(json.dumps(self.labels, indent=1))


def password(rng: random.Random) -> str:
    style = rng.random()
    if style < 0.5:
        alphabet = string.ascii_letters + string.digits + "!#%^*-_+"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(10, 20)))
    words = ["river", "Falcon", "copper", "Maple", "orbit", "Tundra", "velvet", "Quartz", "ember", "Harbor"]
    return rng.choice(words) + rng.choice(words).capitalize() + str(rng.randint(10, 9999)) + rng.choice("!#$%&*")


def token(rng: random.Random, n: int = 32) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))


GENERIC_CONTEXTS = {
    # family → (file, line template); {v} is the value
    "password": [
        (".env", "DB_PASSWORD={v}"), ("config/app.yaml", "  password: {v}"), ("config/settings.json", '  "password": "{v}",'),
        ("conf/db.ini", "password = {v}"), ("src/main/resources/application.properties", "spring.mail.password={v}"),
        ("web.config", '    <add key="SmtpPassword" value="{v}" />'), ("wp-settings.php", "$db_pass = '{v}';"),
        ("app/settings.py", 'DATABASE_PASSWORD = "{v}"'), ("src/db.js", "const dbPassword = '{v}';"),
        ("deploy.sh", "export REDIS_PASSWORD={v}"), ("docker-compose.yml", "      POSTGRES_PASSWORD: {v}"),
        ("pom.xml", "        <password>{v}</password>"), ("dump.sql", "CREATE USER 'report'@'%' IDENTIFIED BY '{v}';"),
        ("src/Config.java", '    private static final String PASSWORD = "{v}";'), ("conf/ldap.conf", "bind_password: {v}"),
    ],
    "secret": [
        (".env", "JWT_SECRET={v}"), ("config/app.yaml", "  client_secret: {v}"), ("app/settings.py", 'SECRET_KEY = "{v}"'),
        ("src/api.ts", 'const apiKey = "{v}";'), ("config/services.json", '  "api_key": "{v}",'),
        ("config/secrets.toml", 'signing_key = "{v}"'), ("deploy.sh", "export SERVICE_TOKEN={v}"),
    ],
}


def generic_positives(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    for _ in range(rounds):
        for family, contexts in GENERIC_CONTEXTS.items():
            path, template = rng.choice(contexts)
            value = password(rng) if family == "password" else token(rng, rng.randint(20, 40))
            corpus.add(path, ["# settings", template.format(v=value)], {1: f"generic.{family}"})
        pw = password(rng).replace("#", "x").replace("%", "x")
        scheme = rng.choice(["postgresql", "mysql", "mongodb+srv", "redis", "amqp"])
        corpus.add("config/database.yml", [f"url: {scheme}://svc_user:{pw}@db{rng.randint(1, 9)}.internal:5432/app"],
                   {0: "connection-string"})
        creds = base64.b64encode(f"deploy:{password(rng)}".encode()).decode()
        corpus.add("scripts/call.sh", [f'curl -H "Authorization: Basic {creds}" https://api.internal/v1'], {0: "basic-auth"})
        cell = json.dumps({"cell_type": "code", "source": [f'password = "{password(rng).replace(chr(92), "")}"\n']})
        corpus.add("notebooks/explore.ipynb", [cell], {0: "generic.password"})


NEGATIVES = [
    ("config/app.yaml", "  password: changeme"), ("config/app.yaml", "  password: ${DB_PASSWORD}"),
    (".env.example", "API_KEY=your-api-key-here"), ("app/settings.py", 'SECRET_KEY = os.environ["SECRET_KEY"]'),
    ("src/db.js", "const password = process.env.DB_PASSWORD;"), ("docs/setup.md", "Set `password: <your password>` in config."),
    (".github/workflows/ci.yml", "          token: ${{ secrets.GITHUB_TOKEN }}"),
    ("src/forms.py", 'password = forms.CharField(widget=forms.PasswordInput)'),
    ("templates/login.html", '<input type="password" name="password" placeholder="Password">'),
    ("src/auth.py", "if user.password == password_hash(password):"), ("config/app.yaml", "  password_min_length: 12"),
    ("src/i18n/en.json", '  "password": "Password",'), ("src/i18n/en.json", '  "forgot_password": "Forgot your password?",'),
    ("conf/db.ini", "password ="), ("app/settings.py", "PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']"),
    ("src/Config.java", '    String token = request.getHeader("X-Token");'),
]


def hard_negatives(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    for _ in range(rounds):
        path, line = rng.choice(NEGATIVES)
        corpus.add(path, [line], {})
        digest = base64.b64encode(hashlib.sha512(token(rng).encode()).digest()).decode()
        corpus.add("package-lock.json", [f'      "integrity": "sha512-{digest}",', f'      "resolved": "https://registry.npmjs.org/x/-/x-1.{rng.randint(0, 9)}.0.tgz",'], {})
        corpus.add("data/ids.yaml", [f"request_id: {uuid.UUID(int=rng.getrandbits(128))}",
                                     f"commit: {hashlib.sha1(token(rng).encode()).hexdigest()}"], {})
        corpus.add("keys/id_ed25519.pub", [f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{token(rng, 43)} dev@laptop"], {})
        cert = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(600))).decode()
        corpus.add("certs/ca.pem", ["-----BEGIN CERTIFICATE-----", *[cert[i:i + 64] for i in range(0, len(cert), 64)],
                                    "-----END CERTIFICATE-----"], {})
        image = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(rng.getrandbits(8) for _ in range(300))).decode()
        corpus.add("web/style.css", [f".logo {{ background: url(data:image/png;base64,{image}); }}"], {})
        corpus.add("web/vendor.min.js", ["!function(e,t){var n=" + ",".join(f"a{i}=\"{token(rng, 12)}\"" for i in range(8)) + "}();"], {})
        corpus.add("tests/vectors.txt", [f"sha256({token(rng, 6)}) = {hashlib.sha256(token(rng).encode()).hexdigest()}"], {})


def rule_examples(corpus: Corpus) -> None:
    wrappers = {"txt": "{e}", "py": "{e}", "yaml": "{e}"}
    for rule in load_rulesets().rules:
        for i, example in enumerate(rule.examples):
            ext = list(wrappers)[i % len(wrappers)]
            # an identifier (AWS key id) next to its secret is reported once, as the pair: keep them apart
            name = f"{rule.provider}-ids" if rule.identifies else rule.provider
            corpus.add(f"providers/{name}.{ext}", ["# --", example], {1: rule.id})
        for negative in rule.negative_examples:
            corpus.add(f"providers/{rule.provider}-negatives.txt", [negative], {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "work" / "accuracy")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.out.exists():
        import shutil

        shutil.rmtree(args.out)
    corpus = Corpus(args.out, rng)
    rule_examples(corpus)
    generic_positives(corpus, rng, args.rounds)
    hard_negatives(corpus, rng, args.rounds)
    corpus.write()
    print(f"{args.out}: {len(corpus.files)} files, {len(corpus.labels)} labelled credentials")


if __name__ == "__main__":
    main()
