"""Each heuristic filter, on what it must drop and what it must keep."""

from __future__ import annotations

import pytest

from credsweep.content import filters as h
from credsweep.content.inline import is_inline_allowed
from credsweep.identity import redact
from credsweep.judgement import location as loc


@pytest.mark.parametrize("value", ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                   "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi"
                                   "aWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"])
def test_known_examples(value: str) -> None:
    assert h.is_known_example(value)


@pytest.mark.parametrize("value", ["your_api_key_here", "xxxxxxxxxxxxxxxx", "<token>", "changeme", "********",
                                   "sk_live_REDACTED", "INSERT_KEY",
                                   "myduosecretkey", "mysmtppassword", "thisisnotapropersecretkey", "not-a-valid-token"])
def test_placeholders_dropped(value: str) -> None:
    assert h.is_placeholder(value)


@pytest.mark.parametrize("value", ["9fK2mQ7xLw3vT8pZ", "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", "sk_test_7Hq2LmX9vRk3Tz8WpQ5nJd4c",
                                   # a key that starts with ``$`` (Asaas), letters and digits only: not a variable
                                   "$aact_prod_" + "Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2VbJf5Ge0Ua8Ri3OKd8VbN3qZ7rX2mLp9Tw"])
def test_real_looking_values_kept(value: str) -> None:
    assert h.reason_to_drop(value) is None


@pytest.mark.parametrize("value", ["${GITHUB_TOKEN}", "{{ secrets.TOKEN }}", "%(password)s", "$DB_PASSWORD",
                                   "os.environ['X']", "process.env.API_KEY"])
def test_templates_dropped(value: str) -> None:
    assert h.is_template(value)


@pytest.mark.parametrize("value", ["aaaaaaaaaaaa", "abababababab", "pass1234567890"])
def test_low_diversity_dropped(value: str) -> None:
    assert h.is_low_diversity(value)


def test_inline_allow_first_line_and_next_line() -> None:
    data = b"x = 1\n# credsweep:allow-next-line\nkey = SECRET\nother = SECRET # credsweep:allow\nlast = SECRET\n"
    first = data.index(b"SECRET")
    second = data.index(b"SECRET", first + 1)
    third = data.index(b"SECRET", second + 1)
    assert is_inline_allowed(data, first, first + 6)
    assert is_inline_allowed(data, second, second + 6)
    assert not is_inline_allowed(data, third, third + 6)


def test_redaction_never_reveals_short_secrets() -> None:
    assert "hunter2" not in redact("hunter2")
    token = "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"
    assert redact(token, "ghp_") == "ghp_********(40 chars)"  # the public prefix, nothing of the rest
    assert redact(token) == "********(40 chars)"  # no public prefix given: no character at all
    assert redact("wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLE12", "ghp_") == "********(38 chars)"  # not its prefix
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"
    assert "MIIEpAIBAAKCAQEA" not in redact(pem)


# contextual predicates: each on what it must drop and a close call it must keep
from credsweep.content.filters import Candidate  # noqa: E402


@pytest.mark.parametrize(("predicate", "drop", "keep"), [
    (h.is_lockfile_hash,
     Candidate("sha512-3q2+7wAAAAAAAAAAq2+7wP8AAAAA9f8e7d6c5b4a3928"),
     Candidate("Qm8zT3xL9kW2vP7rKd4N", path="config/app.yaml", key="client_secret: ")),
    (h.is_uuid,
     Candidate("3f2a9c1e-7b4d-4e2a-9c1f-0d8e6b5a4c3d", key="request_id: "),
     Candidate("3f2a9c1e-7b4d-4e2a-9c1f-0d8e6b5a4c3d", key="HEROKU_API_KEY=")),
    (h.is_git_sha,
     Candidate("51e61afee2c2667123fc9ed160a0a20b330c8f74", key="rev: "),
     Candidate("51e61afee2c2667123fc9ed160a0a20b330c8f74", key="GITHUB_TOKEN=")),
    (h.is_public_key_or_certificate,
     Candidate("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN dev@laptop", key="deploy_key: "),
     Candidate("Zx8Qm3Lk7Vw2Pt9Rq4Ns", key="private_key: ")),
    (h.is_base64_image,
     Candidate("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"),
     Candidate("aVZCT1J3MEtHZ29BQUFBTlNVaEVVZ0FBQUFFQUFB")),
    (h.is_minified_line,
     Candidate("Kq3zW8mLx5", line="function(a){" + "a.b(c,d);" * 150 + 'password:"Kq3zW8mLx5"}'),
     Candidate("Kq3zW8mLx5", line='const password = "Kq3zW8mLx5";')),
    (h.is_test_vector_line,
     Candidate("000102030405060708090a0b0c0d0e0f", line="expected = 000102030405060708090a0b0c0d0e0f"),
     Candidate("9f86d081884c7d659a2feaa0c55ad015", line="api_secret = 9f86d081884c7d659a2feaa0c55ad015")),
])
def test_context_predicates(predicate, drop: Candidate, keep: Candidate) -> None:  # type: ignore[no-untyped-def]
    assert predicate(drop)
    assert not predicate(keep)


def test_templates_need_their_syntax_not_a_stray_brace() -> None:
    assert h.is_template("{% if x %}") and h.is_template("<%= ENV['X'] %>")
    assert not h.is_template(":9URM*n56|I|Rf$|ud0cFJ<KAA<1h_w]A!/?])<q+!qK>+Lq&j9^-!{%%pW.")


def test_key_blocks_are_not_placeholders_because_of_their_comment() -> None:
    block = "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: dummy key\nPublic-Lines: 2\n"
    assert not h.is_placeholder(block)
    assert h.is_placeholder("dummy-pass")


@pytest.mark.parametrize(("predicate", "drop", "keep"), [
    (loc.is_lockfile, "web/package-lock.json", "web/package.json"),
    (loc.is_lockfile, "venv/Lib/site-packages/django_filter-24.2.dist-info/RECORD", "docs/RECORD"),
    (loc.is_minified_file, "static/app.min.js", "src/app.js"),
    (loc.is_test_vector_file, "tests/vectors/aes.txt", "config/app.ini"),
])
def test_path_predicates(predicate, drop: str, keep: str) -> None:  # type: ignore[no-untyped-def]
    assert predicate(drop)
    assert not predicate(keep)


def test_a_crypt_hash_field_is_no_shell_variable() -> None:
    # a SHA-512 crypt hash whose hash field starts with capitals and a slash (made at random for this test):
    # one such hash in fifty had been read as a template holding ``$QPSI``
    value = "$6$nNuHRrpecBUlX7CQ$QPSI/EbVOeJLfVkOkvGZUZuw4W6OEuiYveTHjDMJr1WCypxWhZ0vxXm0E4uqoid0NO6lMtLaZJ1Zex7riDT/wp"
    assert not h.is_template(value)
    assert h.is_template("s/SECRET=.*/SECRET=$COOKIE_SECRET/g") and h.is_template("${DB_PASS}")
