"""Generate a labelled accuracy corpus: credentials in realistic files, plus hard negatives.

    python benchmarks/accuracy/generate.py [--out benchmarks/work/accuracy] [--seed 1]

Positives: every rule's examples embedded in several file types, and generic credentials (passwords,
secrets, connection strings, basic auth, hashes) in the contexts real repositories use (.env, YAML,
JSON, INI/properties, XML, PHP, Python, JS, shell, docker-compose, notebooks, SQL dumps). Negatives:
placeholders, environment lookups, lockfile integrity hashes, UUIDs, git SHAs, public keys and
certificates, base64 images, minified code, test vectors and every rule's negative examples. Issue 16
cases: the kinds held-out leak corpora held and credsweep missed (.npmrc tokens, command-line
passwords, typed constants, AWS secrets in context, JDBC/ODBC, weak URL passwords, Heroku keys,
placeholder words inside random values, credential files recognised by path), each in several file
types with the negatives beside it. Contexts: every rule's secrets also written bare, as KEY=value, in JSON,
YAML, Python and a URL or header (``rule_contexts``; labels carry ``context``).
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

    def add(self, path: str, lines: list[str], positives: dict[int, str], context: str | None = None,
            shape: str | None = None) -> None:
        """Append ``lines`` to ``path``; ``positives`` maps an index in ``lines`` to its family (``context``:
        how the credential is written, ``shape``: how its rule recognises it, for recall per context and
        per format)."""
        body = self.files.setdefault(path, [])
        base = sum(chunk.count("\n") + 1 for chunk in body)
        for index, family in positives.items():
            offset = sum(lines[i].count("\n") + 1 for i in range(index))
            start = base + offset + 1
            label: dict[str, object] = {"path": path, "line": start, "end_line": start + lines[index].count("\n"),
                                        "family": family}
            if context is not None:
                label["context"] = context
            if shape is not None:
                label["format"] = shape
            self.labels.append(label)
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
        path, line = rng.choice(REAL_NEGATIVES)
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


def weak_password(rng: random.Random) -> str:
    """What people really type: a word with digits or a symbol (low entropy, still a live password)."""
    word = rng.choice(["hunter", "summer", "Winter", "admin", "pass", "welcome", "Dragon", "monkey", "Secret", "letmein"])
    return word + rng.choice(["", "!", "@", "#"]) + str(rng.randint(1, 2025)) + rng.choice(["", "!", "$"])


def _b64(n: int, rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits + "./") for _ in range(n))


def password_hash(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return f"$2y$10${_b64(53, rng)}"
    if kind < 0.7:
        return f"$6${_b64(8, rng)}${_b64(86, rng)}"
    return f"$apr1${_b64(8, rng)}${_b64(22, rng)}"


def realistic_files(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    """Whole files the way real repositories (and scanner test repositories) hold credentials: several
    in adjacent lines, weak human passwords, tool credential files, hashes in credential stores."""
    for r in range(max(1, rounds // 4)):
        pw = [weak_password(rng) if rng.random() < 0.5 else password(rng).replace("#", "x") for _ in range(4)]
        corpus.add(f"apps/app{r}/.env", [
            "APP_ENV=local", "APP_DEBUG=true", "DB_CONNECTION=mysql", "DB_HOST=127.0.0.1", "DB_PORT=3306",
            "DB_DATABASE=app", "DB_USERNAME=app", f"DB_PASSWORD={pw[0]}", f"REDIS_PASSWORD={pw[1]}",
            "MAIL_MAILER=smtp", "MAIL_USERNAME=noreply@corp.lan", f"MAIL_PASSWORD={pw[2]}",
            f"JWT_SECRET={token(rng, 40)}", "MAIL_ENCRYPTION=tls", "QUEUE_CONNECTION=sync"],
            {7: "generic.password", 8: "generic.password", 11: "generic.password", 12: "generic.secret"})
        corpus.add(f"apps/app{r}/.env.example", ["DB_PASSWORD=", "REDIS_PASSWORD=null", "MAIL_PASSWORD=secret",
                                                 "JWT_SECRET=", "APP_KEY=your-app-key"], {})
        corpus.add(f"deploy/compose{r}/docker-compose.yml", [
            "services:", "  db:", "    image: postgres:16", "    environment:", "      POSTGRES_USER: app",
            f"      POSTGRES_PASSWORD: {pw[3]}", "  cache:", "    image: redis:7",
            f"    command: redis-server --requirepass {weak_password(rng)}", "  web:", "    environment:",
            f"      - DATABASE_URL=postgres://app:{pw[3]}@db:5432/app", "      - SECRET_KEY_FILE=/run/secrets/key"],
            {5: "generic.password", 8: "generic.password", 11: "connection-string"})
        corpus.add(f"home/user{r}/.netrc", [f"machine ftp.corp{r}.lan login deploy password {weak_password(rng)}",
                                            f"machine api.corp{r}.lan login ops password {password(rng).replace('#', 'x')}"],
                   {0: "netrc", 1: "netrc"})
        corpus.add(f"home/user{r}/.pgpass", [f"db{r}.internal:5432:app:report:{weak_password(rng)}"], {0: "postgres"})
        corpus.add(f"home/user{r}/.git-credentials", [f"https://deploy:{password(rng).replace('#', 'x').replace('%', 'x')}@git.corp{r}.lan"],
                   {0: "url-credentials"})
        corpus.add(f"etc{r}/shadow", ["root:*:19000:0:99999:7:::", f"deploy:{password_hash(rng)}:19000:0:99999:7:::",
                                       "daemon:*:19000:0:99999:7:::"], {1: "password-hash"})
        corpus.add(f"web{r}/.htpasswd", [f"admin:{password_hash(rng)}"], {0: "password-hash"})
        corpus.add(f"db{r}/dump.sql", ["-- MySQL dump", "CREATE TABLE users (id int, email text, password_hash text);",
                                       f"INSERT INTO users VALUES (1,'a@corp.lan','{password_hash(rng)}');",
                                       f"CREATE USER 'report'@'%' IDENTIFIED BY '{weak_password(rng)}';"],
                   {2: "password-hash", 3: "generic.sql-password"})
        corpus.add(f"tools{r}/sftp-config.json", ["{", '    "type": "sftp",', '    "host": "files.corp.lan",',
                                                  '    "user": "deploy",', f'    "password": "{weak_password(rng)}",',
                                                  '    "remote_path": "/var/www"', "}"], {4: "generic.password"})
        corpus.add(f"tools{r}/filezilla.xml", ["<Server>", "  <Host>ftp.corp.lan</Host>", "  <User>deploy</User>",
                                               f"  <Pass>{weak_password(rng)}</Pass>", "</Server>"], {3: "generic.password"})
        corpus.add(f"src/main{r}/resources/application.yml", [
            "spring:", "  datasource:", f"    url: jdbc:mysql://db.internal:3306/app?user=app&password={weak_password(rng)}",
            "    username: app", f"    password: {password(rng).replace('#', 'x')}", "  mail:", "    password: ${MAIL_PASSWORD}"],
            {2: "connection-string", 4: "generic.password"})
        corpus.add(f"src/db{r}.py", ["import psycopg2", "", "def connect():",
                                     f"    return psycopg2.connect(host='db', user='app', password='{weak_password(rng)}')",
                                     "", "def login(client):", f"    client.login('ops@corp.lan', '{password(rng).replace(chr(92), 'x')}')"],
                   {3: "generic.password", 6: "generic.password"})
        corpus.add(f"home/user{r}/.msmtprc", ["account default", "host smtp.corp.lan", "auth on", "user ops",
                                              f"password {weak_password(rng)}"], {4: "generic.password"})


REAL_NEGATIVES = [
    # what real repositories hold around credentials and is not one
    ("docs/INSTALL.md", "Password reset links expire after 24 hours."),
    ("docs/INSTALL.md", "password required"),
    ("config/services.yaml", "    database_password: '%env(DB_PASSWORD)%'"),
    ("config/app.yaml", '  password: "{{ password }}"'),
    ("config/app.yaml", "  password: !Ref MasterUserPassword"),
    (".pre-commit-config.yaml", "    rev: 0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c"),
    ("go.sum", "github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4="),
    ("poetry.lock", 'hash = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"'),
    ("src/routes.js", "router.post('/password/reset', controller.resetPassword);"),
    ("src/models/user.rb", "  has_secure_password validations: false"),
    ("src/Login.vue", '<input v-model="password" type="password" autocomplete="current-password">'),
    ("Makefile", "git-credential-store: git-credential-store.o"),
    ("tests/test_auth.py", "    assert form.errors['password'] == ['This field is required.']"),
    ("config/keys.yaml", "  deploy_public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFh0dGVzdGtleWRhdGExMjM0NTY3 ci@build"),
]


# --- issue 16: the credential kinds held-out leak corpora held and credsweep missed -------------------
# Each kind is generated in several file types and contexts, with the negatives that sit beside it.
# {v} is the secret, {u} a user name, {h} a host; a template whose positive index is None is a negative.

HOSTS = ["npm.corp.lan", "nexus.internal.lan", "artifacts.acme.io", "registry.build.lan", "pkgs.ops.lan"]
USERS = ["deploy", "ci-bot", "svc_reports", "jenkins", "ops", "backup"]


def uuid4(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def registry_token(rng: random.Random) -> str:
    shape = rng.randrange(5)
    if shape == 0:
        return uuid4(rng)
    if shape == 1:
        return "NpmToken." + uuid4(rng)
    if shape == 2:
        return base64.b64encode(bytes(rng.getrandbits(8) for _ in range(rng.choice([24, 30, 45])))).decode().rstrip("=")
    if shape == 3:
        return "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice([32, 64])))
    return token(rng, rng.randint(24, 48))


def any_password(rng: random.Random) -> str:
    return weak_password(rng) if rng.random() < 0.4 else password(rng).replace("#", "x")


NPMRC_CASES = [
    (".npmrc", ["registry=https://{h}/repository/npm-group/", "//{h}/repository/npm-group/:_authToken={v}", "always-auth=true"], 1, "token"),
    ("home/{u}/.npmrc", ["//{h}/:_authToken={v}"], 0, "token"),
    ("frontend/.npmrc", ["@acme:registry=https://{h}/api/npm/npm-local/", "//{h}/api/npm/npm-local/:_authToken=\"{v}\""], 1, "token"),
    ("Dockerfile", ["FROM node:20-alpine", 'RUN echo "//{h}/:_authToken={v}" > /root/.npmrc && npm ci', "COPY . ."], 1, "token"),
    ("scripts/publish.sh", ["#!/bin/sh", "npm config set //{h}/:_authToken {v}", "npm publish"], 1, "token"),
    (".yarnrc.yml", ["npmRegistries:", '  "https://{h}":', "    npmAlwaysAuth: true", '    npmAuthToken: "{v}"'], 3, "token"),
    (".npmrc", ["registry=https://{h}/", "_auth={b}", "always-auth=true"], 1, "auth"),
    ("home/{u}/.npmrc", ["//{h}/repository/npm/:username={u}", "//{h}/repository/npm/:_password={p}", "//{h}/repository/npm/:email={u}@corp.lan"], 1, "password"),
    ("web/.yarnrc.yml", ["npmScopes:", "  acme:", "    npmRegistryServer: https://{h}", '    npmAuthIdent: "{u}:{w}"'], 3, "ident"),
]
NPMRC_NEGATIVES = [
    (".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"), (".npmrc", "//npm.pkg.github.com/:_authToken=$GITHUB_TOKEN"),
    (".npmrc", "//registry.npmjs.org/:_authToken=NPM_TOKEN"), (".npmrc", "always-auth=true"),
    (".yarnrc.yml", '    npmAuthToken: "${NPM_AUTH_TOKEN}"'), (".npmrc", "_auth=${NPM_AUTH}"),
    ("docs/registry.md", "Add `//registry.example.com/:_authToken=<token>` to your `.npmrc`."),
]


def npmrc_cases(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    for r in range(rounds):
        path, lines, index, what = NPMRC_CASES[r % len(NPMRC_CASES)]
        user, host, pw = rng.choice(USERS), rng.choice(HOSTS), any_password(rng)
        values = {"v": registry_token(rng), "u": user, "h": host, "w": pw,
                  "b": base64.b64encode(f"{user}:{pw}".encode()).decode(),
                  "p": base64.b64encode(pw.encode()).decode()}
        corpus.add(path.format(**values), [line.format(**values) for line in lines], {index: f"npmrc.{what}"})
        path, line = rng.choice(NPMRC_NEGATIVES)
        corpus.add(path, [line], {})


CMDLINE_CASES = [
    ("scripts/deploy.sh", ["curl -sf -u {u}:{v} https://{h}/api/v1/deploy"]),
    ("scripts/deploy.sh", ["curl -X POST \\", '  -H "Content-Type: application/json" \\', "  --user {u}:{v} \\",
                           "  https://{h}/api/v1/hooks"]),
    ("Makefile", ["upload:", "\tcurl --fail -U {u}:{v} -x http://proxy.corp.lan:3128 -T dist/app.tgz https://{h}/upload/"]),
    (".github/workflows/release.yml", ["      - run: |", "          curl --proxy-user '{u}:{v}' https://{h}/status"]),
    ("tools/fetch.py", ['subprocess.run(["curl", "-sf", "-u", "{u}:{v}", URL], check=True)']),
    ("scripts/srp.sh", ["curl --tlsauthtype SRP --tlsuser {u} --tlspassword {v} https://{h}/"]),
    ("Dockerfile", ["RUN wget -q --http-user={u} --http-password={v} https://{h}/dist/agent.tar.gz"]),
    ("scripts/mirror.sh", ["wget -r --ftp-user={u} --ftp-password='{v}' ftp://{h}/pub/"]),
    ("scripts/mirror.sh", ["wget --user={u} --password={v} https://{h}/iso/"]),
    ("ci/build.sh", ["wget -e use_proxy=yes \\", "  --proxy-user={u} --proxy-password={v} https://{h}/pkg.deb"]),
    ("scripts/backup.sh", ["mysqldump -h {h} -u{u} -p{v} --single-transaction app > app.sql"]),
    ("scripts/backup.sh", ["mysql --host={h} --user={u} --password={v} -e 'SHOW DATABASES'"]),
    ("provision/db.sh", ["mysqladmin -u root password '{v}'"]),
    ("provision/hosts.sh", ["sshpass -p '{v}' ssh -o StrictHostKeyChecking=no {u}@{h} uptime"]),
    ("provision/hosts.sh", ["sshpass -p {v} scp build.tgz {u}@{h}:/tmp/"]),
    ("Jenkinsfile", ['        sh "curl -u {u}:{v} https://{h}/job/x/build"']),
    ("src/Client.php", ['curl_setopt($ch, CURLOPT_USERPWD, "{u}:{v}");']),
    ("app/build.gradle", ["    signingConfigs {{", "        release {{", '            storeFile file("release.jks")',
                          '            storePassword "{v}"', '            keyAlias "upload"']),
    ("scripts/sign.sh", ["keytool -importkeystore -srckeystore in.p12 -srcstorepass {v} -destkeystore app.jks"]),
    ("scripts/tls.sh", ["openssl pkcs12 -export -in tls.crt -inkey tls.key -out tls.p12 -passout pass:{v}"]),
]
CMDLINE_NEGATIVES = [
    ("scripts/deploy.sh", 'curl -u "$API_USER:$API_PASS" https://api.corp.lan/'),
    ("scripts/deploy.sh", 'curl -u "${API_USER}:${API_PASS}" https://api.corp.lan/'),
    ("scripts/deploy.sh", "curl -u admin https://api.corp.lan/  # prompts"), ("scripts/ssh.sh", "ssh -p 2222 ops@bastion.corp.lan"),
    ("scripts/ssh.sh", "scp -P 2222 app.tgz ops@bastion.corp.lan:/tmp"), ("scripts/db.sh", "mysql -u root -p app"),
    ("scripts/db.sh", "mysql -h db.corp.lan -u root -p"), ("scripts/db.sh", "mysqldump -u backup -p$MYSQL_PWD app > app.sql"),
    ("scripts/git.sh", "git push -u origin main"), ("scripts/ssh.sh", "sshpass -f /run/secrets/ssh_pass ssh ops@host"),
    ("scripts/mirror.sh", "wget --user=mirror --ask-password https://mirror.corp.lan/"),
    ("scripts/sign.sh", "keytool -list -keystore app.jks -storepass:env STORE_PASS"),
    ("scripts/tls.sh", "openssl rsa -in server.key -passin env:KEY_PASS -out plain.key"),
    ("app/build.gradle", "            storePassword keystoreProperties['storePassword']"),
    ("src/Client.php", 'curl_setopt($ch, CURLOPT_USERPWD, $user . ":" . $pass);'),
    ("scripts/deploy.sh", "curl -u user:password https://api.example.com/"),
]


def cmdline_cases(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    for r in range(rounds):
        path, lines = CMDLINE_CASES[r % len(CMDLINE_CASES)]
        values = {"v": any_password(rng).replace("'", "x"), "u": rng.choice(USERS), "h": f"{rng.choice(['db', 'api', 'files'])}{r}.corp.lan"}
        # the line holding the secret is the labelled one (multi-line commands: the option's line)
        index = next(i for i, line in enumerate(lines) if "{v}" in line)
        corpus.add(path, [line.format(**values) for line in lines], {index: "cmdline"})
        path, line = rng.choice(CMDLINE_NEGATIVES)
        corpus.add(path, [line], {})


TYPED_CASES = [
    ("internal/config/config.go", 'const dbPassword string = "{p}"'), ("internal/config/config.go", 'var apiKey string = "{t}"'),
    ("src/config.ts", 'export const apiSecret: string = "{t}";'), ("src/services/db.ts", "  private readonly dbPassword: string = '{p}';"),
    ("app/src/main/kotlin/Config.kt", '    val apiSecret: String = "{t}"'), ("app/src/main/kotlin/Config.kt", '    const val ADMIN_PASSWORD: String = "{p}"'),
    ("src/main/java/com/acme/Config.java", '    private static final String PASSWORD = "{p}";'),
    ("src/main/java/com/acme/Config.java", '    public static final String API_TOKEN = "{t}";'),
    ("app/settings.py", 'DB_PASSWORD: str = "{p}"'), ("src/config.rs", 'const API_KEY: &str = "{t}";'),
    ("Sources/App/Config.swift", 'let apiKey: String = "{t}"'), ("src/Settings.scala", '  val smtpPassword: String = "{p}"'),
]
TYPED_NEGATIVES = [
    ("src/config.ts", 'const passwordLabel: string = "Password";'), ("internal/auth/auth.go", 'var tokenType string = "Bearer"'),
    ("app/src/main/kotlin/Config.kt", "    val passwordMinLength: Int = 12"), ("src/config.ts", 'const apiKey: string = process.env.API_KEY ?? "";'),
    ("src/main/java/com/acme/Form.java", '    private static final String PASSWORD_FIELD = "password";'),
    ("src/auth.ts", 'export const TOKEN_KEY: string = "auth_token";'), ("app/settings.py", 'DB_PASSWORD: str = os.environ["DB_PASSWORD"]'),
]


def typed_cases(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    for r in range(rounds):
        path, line = TYPED_CASES[r % len(TYPED_CASES)]
        corpus.add(path, [line.format(p=any_password(rng), t=token(rng, rng.randint(20, 40)))], {0: "typed"})
        path, line = rng.choice(TYPED_NEGATIVES)
        corpus.add(path, [line], {})


def aws_pair(rng: random.Random) -> tuple[str, str]:
    key_id = "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    return key_id, "".join(rng.choice(string.ascii_letters + string.digits + "/+") for _ in range(40))


AWS_CONTEXT_CASES = [
    ("config/deploy.json", ['{{"aws_key": "{i}", "aws_token": "{s}", "bucket": "assets"}}'], 0),
    ("config/storage.json", ["{{", '  "access_key": "{i}",', '  "secret": "{s}",', '  "region": "eu-west-1"', "}}"], 2),
    ("settings/prod.json", ['{{"key": "{i}", "secret_key": "{s}"}}'], 0),
    ("config/app.yml", ["aws:", "  region: us-east-1", "  bucket: uploads", "  secret: {s}"], 3),
    ("config/app.yml", ["storage:", "  aws_s3:", "    access_key_id: {i}", "    secret_access_key: {s}"], 3),
    ("config/services.json", ["{{", '  "aws": {{', '    "region": "us-east-1",', '    "secretAccessKey": "{s}"', "  }}", "}}"], 3),
    ("config/settings.toml", ["[aws]", 'region = "eu-central-1"', 'secret_key = "{s}"'], 2),
    ("src/upload.js", ["const s3 = new S3({{ accessKeyId: '{i}', secretAccessKey: '{s}' }});"], 0),
    ("app/storage.py", ['creds = Credentials(access_key="{i}", secret_key="{s}")'], 0),
]
AWS_CONTEXT_NEGATIVES = [
    ("config/app.yml", ["aws:", "  region: us-east-1", "  secret: ${{AWS_SECRET_ACCESS_KEY}}"]),
    ("config/app.yml", ["aws:", "  region: us-east-1", "  secret_name: prod/app/db-credentials-2024-rotation"]),
    ("config/deploy.json", ['{{"aws_key": "AKIAIOSFODNN7EXAMPLE", "aws_token": "${{AWS_TOKEN}}"}}']),
]


def aws_context_cases(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    for r in range(rounds):
        path, lines, index = AWS_CONTEXT_CASES[r % len(AWS_CONTEXT_CASES)]
        key_id, secret = aws_pair(rng)
        # a key id is reported with its secret as one credential: label the secret's line
        corpus.add(path, [line.format(i=key_id, s=secret) for line in lines], {index: "aws-context"})
        path, lines = rng.choice(AWS_CONTEXT_NEGATIVES)
        corpus.add("negatives/" + path, [line.format(i=aws_pair(rng)[0]) for line in lines], {})


DB_URL_CASES = [
    ("src/main/resources/application.properties", "spring.datasource.url=jdbc:db2://{h}:50000/SAMPLE:user=app;password={p};"),
    ("conf/h2.properties", "url=jdbc:h2:tcp://{h}/~/orders;USER=sa;PASSWORD={p}"),
    ("etl/load.py", 'conn = pyodbc.connect("DSN=reports;UID=analyst;PWD={p}")'),
    ("src/Db.php", '$conn = odbc_connect("Driver={{PostgreSQL Unicode}};Server={h};Database=crm;Uid=crm;Pwd={p};", "", "");'),
    ("config/sources.yml", "  url: jdbc:sqlserver://{h}:1433;databaseName=crm;user=crm;password={p}"),
    ("ci/mirror.sh", "git clone https://admin:{w}@{h}/platform/api.git"),
    ("docker-compose.override.yml", "      - BROKER_URL=amqp://guest:{w}@{h}:5672/"),
    ("config/jenkins.groovy", "def url = 'https://{u}:{w}@{h}/job/deploy/'"),
]
DB_URL_NEGATIVES = [
    ("docs/proxy.md", "export http_proxy=http://user:pass@proxy.corp.lan:3128"),
    ("docs/git.md", "git clone https://user:password@git.corp.lan/platform/api.git"),
    ("config/dev.yml", "  url: https://admin:admin@localhost:8080/"), ("README.md", "curl https://admin:admin@example.com/api"),
    ("etl/load.py", 'conn = pyodbc.connect(f"DSN=reports;UID={user};PWD={password}")'),
    ("conf/h2.properties", "url=jdbc:h2:mem:test;USER=sa;PASSWORD=${DB_PASSWORD}"),
    ("scripts/ftp.sh", "wget ftp://anonymous:anonymous@ftp.gnu.org/gnu/"),
]
DEFAULT_PASSWORDS = ["admin", "root", "guest", "letmein", "welcome", "jenkins", "tomcat", "postgres", "manager", "sunshine"]


def db_url_cases(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    for r in range(rounds):
        path, line = DB_URL_CASES[r % len(DB_URL_CASES)]
        host = f"{rng.choice(['db', 'git', 'ci', 'mq'])}{r}.{rng.choice(['corp.lan', 'internal.io', 'acme.net'])}"
        family = "url-weak" if "{w}" in line else "jdbc-odbc"
        corpus.add(path, [line.format(h=host, p=any_password(rng).replace(";", "x"), w=rng.choice(DEFAULT_PASSWORDS),
                                      u=rng.choice(USERS))], {0: family})
        path, line = rng.choice(DB_URL_NEGATIVES)
        corpus.add(path, [line], {})


HEROKU_CASES = [
    (".env", "HEROKU_API_KEY={v}"), (".travis.yml", '    api_key: "{v}"  # heroku'), ("deploy/heroku.yml", "heroku_auth_token: {v}"),
    ("package.json", '    "herokuApiKey": "{v}",'), ("scripts/release.sh", "export HEROKU_API_KEY='{v}'"),
]


def heroku_cases(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    for r in range(max(1, rounds // 2)):
        path, line = HEROKU_CASES[r % len(HEROKU_CASES)]
        if "# heroku" in line:
            continue  # a bare api_key UUID with Heroku named only in a comment: not claimed
        corpus.add(path, [line.format(v=uuid4(rng))], {0: "heroku"})
        corpus.add(path, [f"HEROKU_APP_ID={uuid4(rng)}"], {})


LARAVEL_CASES = [(".env", "APP_KEY=base64:{v}"), ("config/app.php", "    'key' => env('APP_KEY', 'base64:{v}'),"),
                 ("docker-compose.yml", '      APP_KEY: "base64:{v}"')]
WORD_IN_VALUE = ["FAKE", "fake", "test", "TEST", "Hardcoded", "Example", "dummy", "Sample"]


def marker_word_cases(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    """Random values with a placeholder-like word inside (leak corpora mark fakes that way; real keys
    contain such runs by chance) and Laravel keys written without their base64 padding."""
    for r in range(rounds):
        value = token(rng, rng.randint(10, 20)) + rng.choice(WORD_IN_VALUE) + token(rng, rng.randint(12, 20))
        path, template = rng.choice(GENERIC_CONTEXTS["secret"])
        corpus.add(path, ["# settings", template.format(v=value)], {1: "marker-word"})
        path, template = LARAVEL_CASES[r % len(LARAVEL_CASES)]
        key = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(32))).decode()
        corpus.add(path, [template.format(v=key.rstrip("=") if r % 2 else key)], {0: "laravel"})
        path, template = rng.choice(GENERIC_CONTEXTS["secret"])
        corpus.add(path, [template.format(v=rng.choice(["fake-api-key-for-tests", "dummy_secret_value", "sample-token-1234",
                                                         "EXAMPLE_KEY", "placeholder-secret-key"]))], {})


def credential_file_cases(corpus: Corpus, rng: random.Random, rounds: int) -> None:
    """Files that are credentials by what they are (Rails master.key, .pgpass, .git-credentials, saved
    logins of desktop tools, shell profiles), with weak passwords and the lines around them."""
    hexkey = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    corpus.add("apps/shop/config/master.key", [hexkey], {0: "rails-master-key"})
    corpus.add("apps/shop/config/credentials/production.key", ["".join(rng.choice("0123456789abcdef") for _ in range(32))],
               {0: "rails-master-key"})
    corpus.add("release/app.md5", [hexkey + "  app.tar.gz"], {})
    for r in range(max(1, rounds // 4)):
        user, host = rng.choice(USERS), f"db{r}.corp.lan"
        words = [weak_password(rng), rng.choice([*DEFAULT_PASSWORDS, "password", "secret"]), password(rng).replace("#", "x")]
        corpus.add(f"home/u{r}/.pgpass", ["# hostname:port:database:username:password",
                                          f"{host}:{rng.choice([15432, 5434, 25060])}:app:{user}:{words[0]}",
                                          f"*:*:*:replicator:{words[1]}"], {1: "pgpass", 2: "pgpass"})
        corpus.add(f"home/u{r}/.git-credentials", [f"https://{user}@corp.lan:{words[2]}@git{r}.corp.lan",
                                                   f"https://{user}:{rng.choice(DEFAULT_PASSWORDS)}@ci{r}.corp.lan"],
                   {0: "git-credentials", 1: "git-credentials"})
        corpus.add(f"home/u{r}/.config/filezilla/sitemanager.xml", [
            '<?xml version="1.0" encoding="UTF-8"?>', "<FileZilla3>", "<Servers>", "<Server>", f"<Host>ftp{r}.corp.lan</Host>",
            f"<User>{user}</User>", f'<Pass encoding="base64">{base64.b64encode(words[0].encode()).decode()}</Pass>',
            "</Server>", "</Servers>", "</FileZilla3>"], {6: "saved-logins"})
        corpus.add(f"home/u{r}/.local/share/DBeaverData/workspace6/General/.dbeaver/data-sources.json", [
            "{", '  "connections": {', '    "postgres-jdbc-1": {', '      "provider": "postgresql",', '      "configuration": {',
            f'        "host": "{host}",', f'        "user": "{user}",', f'        "password": "{words[1]}",', '        "auth-model": "native"',
            "      }", "    }", "  }", "}"], {7: "saved-logins"})
        corpus.add(f"home/u{r}/.esmtprc", [f"identity {user}@corp.lan", f"  hostname smtp{r}.corp.lan:587", f'  username "{user}"',
                                           f'  password "{words[rng.randrange(3)]}"', "  starttls required"], {3: "saved-logins"})
        blob = base64.b64encode(b"\x30\x42\x04\x10\xf8" + bytes(rng.getrandbits(8) for _ in range(60))).decode()
        corpus.add(f"home/u{r}/.mozilla/firefox/x{r}.default-release/logins.json", [json.dumps({"nextId": 2, "logins": [{
            "id": 1, "hostname": f"https://intranet{r}.corp.lan", "encryptedUsername": "MDoEEPgAAAAA" + token(rng, 40),
            "encryptedPassword": blob, "encType": 1}]})], {0: "saved-logins"})
        profile = rng.choice([".bashrc", ".zshrc", ".profile", ".bash_profile"])
        corpus.add(f"home/u{r}/{profile}", ["# aliases", "alias ll='ls -la'", 'export PATH="$HOME/bin:$PATH"',
                                            f"export DB_PASSWORD={weak_password(rng)}", f'export SMTP_PASS="{words[2]} {rng.choice(DEFAULT_PASSWORDS)}"',
                                            f"export GITHUB_TOKEN={token(rng, 36)}", 'export EDITOR="vim"'],
                   {3: "shell-profile", 4: "shell-profile", 5: "shell-profile"})
        corpus.add(f"home/u{r}/.config/fish/config.fish", ["set -gx EDITOR vim", f"set -gx VAULT_PASSWORD {password(rng).replace('#', 'x')}"],
                   {1: "shell-profile"})
        # the same shapes where they are not credentials
        corpus.add(f"docs/u{r}/pgpass.md", ["Each line of `.pgpass` is `hostname:port:database:username:password`."], {})
        corpus.add(f"src/u{r}/time.py", ['STAMP = "12:30:45:00:000"'], {})


def rule_examples(corpus: Corpus) -> None:
    wrappers = {"txt": "{e}", "py": "{e}", "yaml": "{e}"}
    for rule in load_rulesets().rules:
        for i, example in enumerate(rule.examples):
            if rule.paths:  # a credential-file format: the example in its own file (path::content)
                path, content = rule.split_example(example)
                lines = content.rstrip("\n").split("\n")
                # label every line holding a secret of the pattern (an example may hold several)
                starts = [m.span(rule.secret_group)[0] for m in rule.regex.finditer(content.encode())]
                corpus.add(f"providers/{rule.id}/{i}/{path}", lines,
                           {content.encode()[:start].count(b"\n"): rule.id for start in starts if start >= 0})
                continue
            ext = list(wrappers)[i % len(wrappers)]
            # an identifier (AWS key id) next to its secret is reported once, as the pair: keep them apart
            name = f"{rule.provider}-ids" if rule.identifies else rule.provider
            corpus.add(f"providers/{name}.{ext}", ["# --", example], {1: rule.id})
        for i, negative in enumerate(rule.negative_examples):
            if rule.paths:
                path, content = rule.split_example(negative)
                corpus.add(f"providers/{rule.id}/neg{i}/{path}", content.rstrip("\n").split("\n"), {})
                continue
            if _random_assignment(negative):
                # a near miss of this rule's shape (too short, a wrong prefix) that is still a random value
                # assigned to a credential-named key is neither a clean negative (the generic rule may
                # rightly report it: a truncated key is still a key) nor a labelled credential (a format
                # its provider's rule rejected is not handed to the generic rule): left out of the corpus;
                # `rules check` still holds the rule's own boundary with it
                continue
            corpus.add(f"providers/{rule.provider}-negatives.txt", [negative], {})


def rule_contexts(corpus: Corpus) -> None:
    """Every rule's secrets written again in the contexts `rules check` uses (``rules.check.CONTEXTS``): bare
    (distinctive formats only), ``KEY=value`` in .env, JSON, YAML, a string in Python, and a URL or header
    where the rule's own examples are one; each in its own file after a line of other content, under the first
    key built from the provider (``STRIPE_LIVE_SECRET_KEY``). Labelled with the context, so score.py reports
    recall per context for credsweep and the peers. Directories are numbered, not named after rules: a rule
    id such as ``stripe.test-secret-key`` in a path would read as test material."""
    from credsweep.rules.check import CONTEXTS, samples
    from credsweep.rules.document import rule_format

    for index, rule in enumerate(load_rulesets().rules):
        shape = format_class(rule_format(rule))
        for number, sample in enumerate(samples(rule)):
            for context in CONTEXTS:
                if rule.contexts is not None and context.name not in rule.contexts:
                    continue
                text = context.build(rule, sample, sample.keys[0] if context.keyed else "")
                if text is None:
                    continue
                lines = text.rstrip("\n").split("\n")
                first = sample.secret.split("\n", 1)[0].strip()
                at = next(i for i, line in enumerate(lines) if first in line)
                # a multi-line secret (a key in a YAML block) spans its lines: one label from its first
                span = sample.secret.strip().count("\n")
                held = ["\n".join(lines[at:at + span + 1])]
                name = context.path.rsplit("/", 1)[-1]
                corpus.add(f"contexts/{context.name}/r{index}s{number}/{name}", [*lines[:at], *held, *lines[at + span + 1:]],
                           {at: rule.id}, context=context.name, shape=shape)


def format_class(described: str) -> str:
    """The coverage page's format, as a class: prefix, URL, header, after a key, or structure/context."""
    for start, name in (("prefix", "prefix"), ("URL", "url"), ("after a key", "key")):
        if described.startswith(start):
            return name
    return "header" if " header" in described.split(",")[0] else "structure"


def _random_assignment(line: str) -> bool:
    """``NAME=value`` (or ``name: value``) where the name names a credential and the value looks like one
    to the generic rule (``validators.generic_value``: not a placeholder, template, word or pattern)."""
    from credsweep.content.keys import credential_key
    from credsweep.content.validators import generic_value

    name, sep, value = line.partition("=") if "=" in line else line.partition(":")
    value = value.strip().strip("'\"")
    return bool(sep) and name.strip().replace("_", "").isalnum() and credential_key(name.strip()) \
        and len(value) >= 8 and " " not in value and generic_value(value)


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
    rule_contexts(corpus)
    generic_positives(corpus, rng, args.rounds)
    realistic_files(corpus, rng, args.rounds)
    hard_negatives(corpus, rng, args.rounds)
    npmrc_cases(corpus, rng, args.rounds)
    cmdline_cases(corpus, rng, args.rounds)
    typed_cases(corpus, rng, args.rounds)
    aws_context_cases(corpus, rng, args.rounds)
    db_url_cases(corpus, rng, args.rounds)
    heroku_cases(corpus, rng, args.rounds)
    marker_word_cases(corpus, rng, args.rounds)
    credential_file_cases(corpus, rng, args.rounds)
    corpus.write()
    print(f"{args.out}: {len(corpus.files)} files, {len(corpus.labels)} labelled credentials")


if __name__ == "__main__":
    main()
