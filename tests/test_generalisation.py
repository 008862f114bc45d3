"""Generic detection that generalises (issue 22), through the real CLI on real git repositories.

The eight shapes of the issue: code taken for a secret (expression values, bare identifiers, self-named
field values, docstring samples) is lowered with a named reason and never shown by default; real secrets
that location or headers hid (a client secret beside its client id under ``examples/``, a private key
without its PEM lines, a JWT split across string literals, a token in a committed SQLite database) are
shown by default. And around them: value filters never delete, urgency follows confidence and place,
the context line shows a value's shape and nothing of the secret, the purge advice never replaces an
ordinary word by value.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from conftest import ALNUM, commit_all, rand, run_cli, write

PYTHON_HEAD = "import os\nfrom django.conf import settings\n\n\ndef helper(x):\n    return x\n\n\n"


def secrets_of(result_json: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in result_json["findings"] if f["kind"] == "secret"]


def scan(repo: Path, *extra: str, command: str = "scan") -> list[dict[str, Any]]:
    result = run_cli(command, "--format", "json", *extra, cwd=repo)
    assert result.code in (0, 1), result
    return secrets_of(result.json())


def strong(n: int = 24) -> str:
    """A generated-looking value (fake, made at test time)."""
    return rand(ALNUM, n - 4) + "7Qx9"


# --- code is not a secret: lowered with a named reason, shown only at --min-confidence low ----------


def test_expression_values_are_code(repo: Path) -> None:
    write(repo, "oauth/views.py", PYTHON_HEAD + (
        "def tokens(user):\n"
        "    access_tokens = access_token_model.objects.filter(\n"
        "        user=user)\n"
        "    token = token.get(self.OAUTH_TOKEN_PARAMETER_NAME)[0]\n"
        "    azure_token = azure_credentials.get_token(TOKEN_URL).token.encode(\n"
        "        'utf-8')\n"
        "    return access_tokens\n"))
    commit_all(repo)
    assert scan(repo) == [] and scan(repo, command="history") == []
    low = scan(repo, "--min-confidence", "low")
    assert low and all(f["confidence"] == "low" and "code-expression" in f["reasons"] for f in low), low
    contexts = {f["line"]: f["context"] for f in low}
    # the shape stays visible (a call is a call), the characters do not
    assert contexts[10].endswith(".*******.******(") and "objects" not in contexts[10]
    assert all(f["advice"]["urgency"] == "low" for f in low)


def test_bare_identifier_in_code_is_a_name_in_config_a_value(repo: Path) -> None:
    write(repo, "auth/hashers.py", PYTHON_HEAD + "UNUSABLE_PASSWORD = unusable\n")
    value = strong(16)
    write(repo, ".env", f"DB_HOST=db.corp.lan\nDB_PASSWORD={value}\n")
    commit_all(repo)
    shown = scan(repo)
    assert [f["path"] for f in shown] == [".env"], shown
    low = [f for f in scan(repo, "--min-confidence", "low") if f["path"] == "auth/hashers.py"]
    assert [f["reasons"] for f in low] == [["identifier-value"]]
    assert low[0]["context"] == "UNUSABLE_PASSWORD = ********"


def test_self_named_field_values_are_descriptions(repo: Path) -> None:
    write(repo, "forms.py", PYTHON_HEAD + 'CREDENTIAL_KEY = "credential"\nSESSION_TOKEN_KEY = "x-session-token"\n'
                                          'ADMIN_PASSWORD = "admin1234"\n')
    commit_all(repo)
    shown = scan(repo)
    # a weak human password in a real password field stays reported
    assert [f["line"] for f in shown] == [11], shown
    low = {f["line"]: f for f in scan(repo, "--min-confidence", "low")}
    assert "key-echo" in low[9]["reasons"] and low[9]["context"] == 'CREDENTIAL_KEY = "**********"'
    assert {"key-echo", "description-value"} & set(low[10]["reasons"])


def test_docstring_samples_are_not_values(repo: Path) -> None:
    write(repo, "introspect.py", PYTHON_HEAD + (
        "def introspect(token):\n"
        '    """Ask the server about a token.\n'
        "\n"
        "    Example response::\n"
        "\n"
        '        {"active": true, "access_token": "yetanothertoken",\n'
        f'         "refresh_token": "{strong()}"}}\n'
        '    """\n'
        "    return token\n"))
    commit_all(repo)
    assert scan(repo) == []
    low = scan(repo, "--min-confidence", "low")
    assert len(low) == 2 and all("docstring-sample" in f["reasons"] for f in low), low


def test_enum_cases_named_after_credentials_are_descriptions(repo: Path) -> None:
    # a generated SDK's enums: members named after scopes and screens, each value its own name re-spelled
    write(repo, "src/Types/OauthScope.php", "<?php\n\nnamespace Auth0\\Types;\n\nenum OauthScope: string\n{\n"
          '    case CreateClientCredentials = "create:client_credentials";\n'
          '    case ReadRefreshTokens = "read:refresh_tokens";\n'
          '    case LoginPasswordless = "login-passwordless";\n}\n')
    commit_all(repo)
    assert scan(repo) == []
    low = scan(repo, "--min-confidence", "low")
    assert len(low) == 3 and all("key-echo" in f["reasons"] and f["advice"]["urgency"] == "low" for f in low), low


# --- real secrets that location or missing headers hid: shown by default -------------------------


def test_client_secret_beside_its_client_id_under_examples(repo: Path) -> None:
    client_id = f"{rand('0123456789', 12)}-{rand('abcdefghijklmnopqrstuvwxyz0123456789', 32)}.apps.googleusercontent.com"
    secret = rand(ALNUM + "-_", 24)
    write(repo, "examples/oauth_client.py", PYTHON_HEAD + f"CLIENT_ID = '{client_id}'\nCLIENT_SECRET = '{secret}'\n")
    commit_all(repo)
    shown = scan(repo, command="history")
    assert len(shown) == 1, shown
    found = shown[0]
    assert found["rule"] == "generic.secret" and found["confidence"] == "high"
    assert "corroborated-by-identifier" in found["reasons"] and "example-location" in found["reasons"]
    # masked to its ends, the DNS suffix every client id shares kept whole (util.masking.masked_identifier)
    core = client_id.removesuffix(".apps.googleusercontent.com")
    assert found["identifier"] == f"{core[:4]}...{core[-4:]}.apps.googleusercontent.com"
    # the place still says why it is less urgent than the same pair in application code
    assert "only in examples" in found["advice"]["why"]


def _der(tag: int, body: bytes) -> bytes:
    size = len(body)
    head = bytes([size]) if size < 0x80 else bytes([0x80 | ((size.bit_length() + 7) // 8)]) + size.to_bytes(
        (size.bit_length() + 7) // 8, "big")
    return bytes([tag]) + head + body


def fake_rsa_der() -> bytes:
    """Random integers in the shape of an RSA private key (PKCS#1): not a key, made at test time."""
    def integer(size: int) -> bytes:
        raw = bytearray(os.urandom(size))
        raw[0] = (raw[0] & 0x7F) | 0x40
        return _der(0x02, bytes(raw))
    parts = [_der(0x02, b"\x00"), integer(128), _der(0x02, b"\x01\x00\x01"), integer(128),
             *(integer(64) for _ in range(5))]
    return _der(0x30, b"".join(parts))


def test_private_key_without_pem_lines(repo: Path) -> None:
    body = base64.b64encode(fake_rsa_der()).decode()
    lines = "\n".join("    " + body[i:i + 64] for i in range(0, len(body), 64))
    write(repo, "tests/keys.py", f'SIGNING_KEY = """\n{lines}\n"""\n')
    not_a_key = base64.b64encode(b"\x30\x82\x01\x00" + os.urandom(300)).decode()
    write(repo, "data/blob.py", f'BLOB = "{not_a_key}"\n')
    commit_all(repo)
    shown = [f for f in scan(repo) if f["rule"].startswith("private-key")]
    assert [(f["rule"], f["path"]) for f in shown] == [("private-key.der", "tests/keys.py")], shown
    assert shown[0]["confidence"] == "high" and "test-fixture" in shown[0]["reasons"]
    assert body[:8] not in json.dumps(shown[0]["context"])


def fake_jwt() -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    signature = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': rand(ALNUM, 12), 'iat': 1700000000})}.{signature}"


def test_jwt_split_across_string_literals(repo: Path) -> None:
    token = fake_jwt()
    third = len(token) // 3
    write(repo, "client.py", PYTHON_HEAD + (
        "SERVICE_JWT = (\n"
        f'    "{token[:third]}"\n'
        f'    "{token[third:2 * third]}"\n'
        f'    "{token[2 * third:]}"\n'
        ")\n"))
    write(repo, "client.js", f'const auth = "{token[:40]}" +\n    "{token[40:]}";\n')
    commit_all(repo)
    shown = [f for f in scan(repo, "--show-secrets") if f["rule"] == "jwt.token"]
    assert sorted(f["path"] for f in shown) == ["client.js", "client.py"], shown
    assert all(f["secret"] == token and "joined from string pieces" in f["name"] for f in shown)
    assert {f["line"] for f in shown if f["path"] == "client.py"} == {10}  # the first piece's line


def test_token_in_a_committed_sqlite_database(repo: Path) -> None:
    token = strong(32)
    database = repo / "instance" / "app.db"
    database.parent.mkdir()
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE oauth_token (id INTEGER PRIMARY KEY, user_id INTEGER, access_token TEXT)")
        conn.execute("INSERT INTO oauth_token VALUES (3, 7, ?)", (token,))
        conn.execute("CREATE TABLE page (id INTEGER PRIMARY KEY, title TEXT)")
        conn.execute("INSERT INTO page VALUES (1, 'Welcome')")
    conn.close()
    commit_all(repo)
    database.unlink()  # history reads the committed copy, not a working-tree file
    commit_all(repo, "drop the database")
    shown = [f for f in scan(repo, "--show-secrets", command="history") if f["kind"] == "secret"]
    assert [(f["path"], f["cell"], f["secret"]) for f in shown] == [
        ("instance/app.db", "oauth_token.access_token, rowid 3", token)], shown
    text = run_cli("history", cwd=repo).stdout
    assert "instance/app.db [oauth_token.access_token, rowid 3]" in text and token not in text
    # a secret inside a database file is removed with the file, never replaced by value
    assert "--invert-paths --path instance/app.db" in text and "--replace-text" not in text


# --- around the shapes ---------------------------------------------------------------------------


def test_value_filters_never_delete(repo: Path) -> None:
    # a provider token holding an alphabet run: the low-diversity filter lowers it, never drops it
    key = "sk_live_" + "abcdefghij" + rand(ALNUM, 14)
    write(repo, "billing.py", f'STRIPE_KEY = "{key}"\n')
    commit_all(repo)
    assert [f for f in scan(repo) if f["rule"] == "stripe.secret-key"] == []
    low = [f for f in scan(repo, "--min-confidence", "low") if f["rule"] == "stripe.secret-key"]
    assert [(f["confidence"], "low-diversity" in f["reasons"]) for f in low] == [("low", True)]


def test_demo_credentials_are_named(repo: Path) -> None:
    write(repo, "db.py", 'engine = create_engine("postgresql://scott:tiger@db.corp.lan/test")\n'
                         "AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'\n")
    commit_all(repo)
    assert scan(repo) == []
    low = scan(repo, "--min-confidence", "low")
    assert low and all("demo-credential" in f["reasons"] for f in low), low


def test_low_confidence_is_never_urgent_and_tests_lower_urgency(repo: Path) -> None:
    git_dir = repo / ".git"
    assert git_dir.is_dir()
    write(repo, "tests/test_pay.py", f'STRIPE = "sk_live_{rand(ALNUM, 24)}"\n')
    write(repo, "app/conf.py", PYTHON_HEAD + "API_TOKEN = self.settings.api_token_for(user)\n"
                                             f'REAL_TOKEN = "{strong()}"\n')
    commit_all(repo)
    low = scan(repo, "--min-confidence", "low", command="history")
    by_rule = {f["rule"]: f for f in low}
    for finding in low:
        if finding["confidence"] == "low":
            assert finding["advice"]["urgency"] == "low", finding
    # a provider's own format in a test keeps its confidence; the place lowers its urgency, and says so
    stripe = by_rule["stripe.secret-key"]
    assert stripe["confidence"] == "high" and "test-location" in stripe["reasons"]
    assert "only in test code" in stripe["advice"]["why"]
    levels = ("low", "medium", "high", "critical")
    real = next(f for f in low if f["path"] == "app/conf.py" and f["confidence"] != "low")
    assert levels.index(stripe["advice"]["urgency"]) < levels.index("critical")
    assert real["advice"]["urgency"] in ("medium", "high", "critical")


def test_another_providers_prefix_is_not_a_values_own_format(repo: Path) -> None:
    # a .netrc password that starts like a yescrypt hash ($y$) is in nobody's provider format: the test
    # folder lowers it like any typed password, while a Stripe key in the same folder keeps its confidence
    hashed = "$y$j9T$" + rand(ALNUM, 22) + "$" + rand(ALNUM, 43)
    write(repo, "tests/data/netrc-case", f"machine api.partner.lan login ops password {hashed}\n")
    write(repo, "tests/test_pay.py", f'STRIPE = "sk_live_{rand(ALNUM, 24)}"\n')
    commit_all(repo)
    assert [f["rule"] for f in scan(repo)] == ["stripe.secret-key"]
    netrc = [f for f in scan(repo, "--min-confidence", "low") if f["rule"] == "netrc.password"]
    assert [(f["confidence"], f["value_class"], f["advice"]["urgency"]) for f in netrc] == [("low", "random", "low")]
    assert "test-location" in netrc[0]["reasons"]


def test_context_line_never_shows_more_than_the_preview(repo: Path) -> None:
    value = strong(40)
    other = strong(32)
    write(repo, "settings.py", f'DATABASES = {{"password": "{value}", "note": "rotate"}}  # api_token={other}\n')
    commit_all(repo)
    shown = scan(repo, "--show-secrets")
    assert shown
    for finding in shown:
        context = finding["context"]
        secret = finding["secret"]
        shown_chars = finding["redacted"].split("*", 1)[0]
        assert secret[len(shown_chars):len(shown_chars) + 4] not in context
        assert other[6:] not in context and value[6:] not in context
        assert '"note": "rotate"' in context  # the shape around it stays


def test_purge_advice_replaces_only_what_cannot_be_ordinary_text(repo: Path) -> None:
    write(repo, "deploy.sh", "export DB_PASSWORD=Summer2024x\n")
    commit_all(repo)
    text = run_cli("history", cwd=repo).stdout
    assert "Summer2024x" not in text
    assert "not replaced by value" in text and "deploy.sh" in text
    assert "--replace-text" not in text


def test_token_in_a_staged_sqlite_database_blocks_the_commit(repo: Path) -> None:
    token = strong(32)
    write(repo, "README.md", "app\n")
    commit_all(repo)
    with sqlite3.connect(repo / "dev.sqlite3") as conn:
        conn.execute("CREATE TABLE api_keys (id INTEGER PRIMARY KEY, api_key TEXT)")
        conn.execute("INSERT INTO api_keys VALUES (1, ?)", (token,))
    conn.close()
    from conftest import git

    git(repo, "add", "dev.sqlite3")
    result = run_cli("staged", "--format", "json", "--no-hygiene", cwd=repo)
    assert result.code == 1, result
    found = secrets_of(result.json())
    assert [(f["path"], f["cell"]) for f in found] == [("dev.sqlite3", "api_keys.api_key, rowid 1")]
    assert token not in result.stdout
