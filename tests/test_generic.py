"""Generic credentials in configuration and code, and the hard negatives around them."""

from __future__ import annotations

import pytest

from credsweep.config import Config
from credsweep.content.keys import credential_key
from credsweep.content.validators import generic_value
from credsweep.models import ContentItem as Item
from credsweep.pipeline import Pipeline as Scanner
from credsweep.rules.loader import load_rulesets


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(Config(), load_rulesets(), engine="keywords", salt=b"test-salt")


def _rules(scanner: Scanner, path: str, text: str) -> list[str]:
    return [f.rule for f in scanner.scan_item(Item(path=path, data=text.encode()))]


@pytest.mark.parametrize(("path", "text"), [
    (".env", "DB_PASSWORD=Tq8#zLm2Wx9\n"),
    ("config.yaml", "database:\n  password: Hq7zM2pWx9\n"),
    ("settings.json", '{"smtp": {"password": "vT8qLm2Wz4"}}\n'),
    ("app.ini", "[db]\npassword = Rz5kT8mQx2\n"),
    ("application.properties", "ldap.password=I!B#V8ERwx5_th\n"),
    ("web.config", '<add key="MailPassword" value="Kx7qT2mLz9" />\n'),
    ("pom.xml", "<password>Wq8zK3mLp7</password>\n"),
    ("wp-config.php", "$db_pass = 'h7Gt2kLm9Qx';\n"),
    ("settings.py", 'SECRET_KEY = "k3Jx9vLq2Wm8Tz5RpN7d"\n'),
    ("deploy.sh", "export SERVICE_TOKEN=Zx8Qm3Lk7Vw2Pt9Rq4Ns\n"),
    ("dump.sql", "CREATE USER 'r'@'%' IDENTIFIED BY 'Vx7kQ2mLz9';\n"),
    ("nb.ipynb", '{"source": ["password = \\"Mx9#kQ2wLz\\"\\n"]}\n'),
])
def test_generic_credentials_found(scanner: Scanner, path: str, text: str) -> None:
    assert _rules(scanner, path, text), text  # a generic rule, or a more specific provider rule


@pytest.mark.parametrize(("path", "text"), [
    ("config.yaml", "password: changeme\n"),
    ("config.yaml", "password: ${DB_PASSWORD}\n"),
    ("settings.py", 'SECRET_KEY = os.environ["SECRET_KEY"]\n'),
    ("app.js", "const password = process.env.DB_PASSWORD;\n"),
    ("login.html", '<input type="password" name="password" placeholder="Password">\n'),
    ("en.json", '{"password": "Password", "forgot_password": "Forgot your password?"}\n'),
    ("forms.py", "password = forms.CharField(widget=forms.PasswordInput)\n"),
    ("config.yaml", "password_min_length: 12\ntoken_type: Bearer\n"),
    ("settings.py", "AUTH_PASSWORD_VALIDATORS = []\nPASSWORD_HASHERS = ['x.Argon2PasswordHasher']\n"),
    ("app.py", "password = self.password\napi_key = settings.API_KEY\n"),
    ("ci.yml", "token: ${{ secrets.GITHUB_TOKEN }}\n"),
    ("config.yaml", "private_key: /etc/ssl/private/server.key\n"),
    (".env", "GITHUB_TOKEN=ghp_2A4MLgXvD8SrfvRsGeF6PaZn8ygjno3qFNv3\n"),  # checksum fails: not live
    ("package-lock.json", '"integrity": "sha512-9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa99887766554433221100aa=="\n'),
])
def test_hard_negatives_not_reported(scanner: Scanner, path: str, text: str) -> None:
    assert _rules(scanner, path, text) == []


@pytest.mark.parametrize(("key", "expected"), [
    ("DB_PASSWORD", True), ("apiKey", True), ("client_secret", True), ("tokenType", False),
    ("password_hash_algorithm", False), ("forgot_password", False), ("password_file", False), ("access_key_id", False),
])
def test_credential_key(key: str, expected: bool) -> None:
    assert credential_key(key) is expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Tq8#zLm2Wx9", True), ("self.password", False), ("DB_PASSWORD_VALUE", False), ("/etc/secret.pem", False),
    ("password", False), ("12345", False), ("get_password", False),
    # a keyboard run is the value filters' business: matched, then lowered with a reason (below)
    ("abcdefghijkl", True),
])
def test_generic_value(value: str, expected: bool) -> None:
    assert generic_value(value) is expected


@pytest.mark.parametrize(("text", "reason"), [
    ("SERVICE_TOKEN=abcdefghijklmnop\n", "low-diversity"),
    ("password: changeme-please-now\n", "placeholder"),
    ("api_token: vault:secret/data/payments-api\n", "template-reference"),
])
def test_value_filters_lower_never_drop(text: str, reason: str) -> None:
    from dataclasses import replace

    low = Scanner(replace(Config(), min_confidence="low"), load_rulesets(), engine="keywords", salt=b"test-salt")
    found = low.scan_item(Item(path="settings.yml", data=text.encode()))
    assert [(f.confidence, reason in f.reasons) for f in found] == [("low", True)], found


def test_decoded_secrets(scanner: Scanner) -> None:
    import base64
    from urllib.parse import quote

    from conftest import fake_github_token

    token = fake_github_token()
    hidden = base64.b64encode(f"export GH_TOKEN={token}\n".encode()).decode()
    findings = scanner.scan_item(Item(path="ci.yaml", data=f"env:\n  BLOB: {hidden}\n".encode()))
    assert [(f.rule, f.line) for f in findings] == [("github.pat.classic", 2)]
    assert "base64-encoded" in findings[0].name
    url = "https://example.invalid/cb?redirect=" + quote("postgres://app:Xk9mPq2vLr7w@db.internal/orders", safe="")
    rules = [f.rule for f in scanner.scan_item(Item(path="links.txt", data=url.encode()))]
    assert "database.postgres-url" in rules


def test_private_key_in_json_string(scanner: Scanner) -> None:
    import base64
    import json
    import secrets

    body = base64.b64encode(secrets.token_bytes(600)).decode()
    pem = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(body[i:i + 64] for i in range(0, len(body), 64)) + "\n-----END PRIVATE KEY-----\n"
    doc = json.dumps({"type": "service_account", "private_key": pem})
    rules = [f.rule for f in scanner.scan_item(Item(path="sa.json", data=doc.encode()))]
    assert "private-key.pkcs8" in rules


@pytest.mark.parametrize(("path", "text"), [
    # adjacent credential lines: each is found, not only the first
    (".env", "AWS_ACCESS_KEY_ID=x\naws_secret_access_key = nAH2VzKrMrRjySLlt8HCdFU3tM2TUuUZgh39NX\n"),
    # weak but real passwords in credential formats
    (".netrc", "machine imap.corp.lan login ops password pass123\n"),
    ("config.yaml", "  password: hunter22\n"),
    ("pip.conf", "index-url = https://ci:Summer2024@pypi.corp.lan/simple\n"),
    # generated secrets full of punctuation
    ("settings.py", "SECRET_KEY = 'zh!=!gq(w^_t[sBR29954x)HI+$ehwss*xYNQeu([xcWMhdzzr'\n"),
    # tool files
    ("filezilla.xml", '<Pass encoding="base64">SHg1dE0ycUx6OXdLM21M</Pass>\n'),
    ("sf.js", "conn.login('ops@corp.lan', 'Vq7kT2xLm9', cb);\n"),
    (".msmtprc", "account work\npassword Kq7#zLm2Wx\n"),
    (".npmrc", "_auth = ZGVwbG95OlF6OGtXM21MeDc=\n"),
])
def test_real_world_credentials_found(scanner: Scanner, path: str, text: str) -> None:
    found = list(scanner.scan_item(Item(path=path, data=text.encode())))
    assert found, text
    assert found[-1].line == text.rstrip("\n").count("\n") + 1


@pytest.mark.parametrize(("path", "text"), [
    ("ftp-transcript", "USER user2\nPASS passwd2\n"),
    ("t/lib-credential.sh", "check \"host=db user=ci password=store-pass\"\n"),
    ("Documentation/git-rebase.adoc", 'those identified by "squash" commands\n'),
    ("Makefile", "git-credential-libsecret: git-credential-libsecret.o\n"),
    ("config.yaml", "password: irc_pass\n"),
    ("dist/app.min.js", 'var a={password:"Kq3zW8mLx5",b:1};\n'),
    ("yarn.lock", '  integrity sha512-Zx8Qm3Lk7Vw2Pt9Rq4NsKq3zW8mLx5Hn4zQ8wLx2==\n'),
    ("config.yaml", "deploy_public_key: AAAAC3NzaC1lZDI1NTE5AAAAIK0wmNq8zT3xL9kW2v\n"),
])
def test_real_world_negatives_not_reported(scanner: Scanner, path: str, text: str) -> None:
    assert _rules(scanner, path, text) == []


def test_same_encoded_secret_in_two_places_is_two_findings(scanner: Scanner) -> None:
    import base64

    run = base64.b64encode(b"password = 'Vx7kQ2mLz9Tr4'\n").decode()
    text = f"first: {run}\nsecond: {run}\n"
    lines = sorted(f.line for f in scanner.scan_item(Item(path="blob.txt", data=text.encode())))
    assert lines == [1, 2]
