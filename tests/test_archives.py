"""Committed ZIP archives: their text members are read like files (``content.archives``), through the real
CLI on real git repositories, and hostile archives stay within the module's bounds.

Every key here is made at test time (an RSA key from ``cryptography`` when it is installed, else a
random PEM body), so this file holds no credential for ``credsweep scan .`` to find.
"""

from __future__ import annotations

import base64
import io
import os
import secrets
import zipfile
from pathlib import Path
from typing import Any

from conftest import commit_all, fake_github_token, git, run_cli, write
from credsweep.content import archives
from credsweep.content.archives import MAX_MEMBERS, MAX_RATIO, RATIO_FLOOR, members


def fake_rsa_key() -> str:
    """A PKCS#1 RSA private key made now (never committed anywhere)."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError:
        body = base64.b64encode(secrets.token_bytes(1190)).decode()
        lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
        return "-----BEGIN RSA" + f" PRIVATE KEY-----\n{lines}\n-----END RSA" + " PRIVATE KEY-----\n"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode()


def zip_bytes(entries: list[tuple[str, bytes | str]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def bundle(key: str, token: str) -> bytes:
    """A secure-connect-style bundle: a client key and certificate, a config, an env file with a token."""
    return zip_bytes([
        ("config.json", '{"host": "db-1234.apps.example.com", "port": 29042, "keyStoreLocation": "./identity.jks"}'),
        ("cert", "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEbWr8xzANBgkqhkiG9w0BAQsFADBs\n-----END CERTIFICATE-----\n"),
        ("key", key),
        ("identity.jks", b"\xfe\xed\xfe\xed\x00\x00\x00\x02" + secrets.token_bytes(600)),
        ("deploy/.env", f"# deployment\nREGION=eu-west-1\nGITHUB_TOKEN={token}\n"),
    ])


def put(repo: Path, rel: str, data: bytes) -> Path:
    target = repo / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def json_secrets(repo: Path, command: str, *extra: str) -> list[dict[str, Any]]:
    result = run_cli(command, "--format", "json", *extra, cwd=repo)
    assert result.code in (0, 1) and "Traceback" not in result.stderr, result
    return [f for f in result.json()["findings"] if f["kind"] == "secret"]


def test_scan_reads_a_committed_bundle_with_each_member_named(repo: Path) -> None:
    key, token = fake_rsa_key(), fake_github_token()
    put(repo, "secure-connect-prod.zip", bundle(key, token))
    write(repo, "README.md", "the bundle is in the root\n")
    commit_all(repo)
    found = json_secrets(repo, "scan", "--show-secrets")
    where = {(f["rule"], f["path"], f["cell"], f["line"]) for f in found}
    # by default, at the repository's root: the client key (PEM lines and all) and the env file's token
    assert ("private-key.rsa", "secure-connect-prod.zip", "archive member key", 1) in where, found
    assert ("github.pat.classic", "secure-connect-prod.zip", "archive member deploy/.env", 3) in where, found
    body = key.splitlines()[1]
    assert token in {f["secret"] for f in found} and any(body in f["secret"] for f in found), found
    assert all(f["confidence"] == "high" for f in found if f["rule"] == "private-key.rsa"), found
    text = run_cli("scan", cwd=repo)
    assert text.code == 1 and "secure-connect-prod.zip [archive member key]" in text.stdout, text
    assert token not in text.stdout and body not in text.stdout
    # the bundle itself is a credential file to untrack, beside the key found inside it
    files = [f for f in run_cli("scan", "--format", "json", cwd=repo).json()["findings"] if f["kind"] != "secret"]
    assert ("file.astra-secure-connect-bundle", "secure-connect-prod.zip") in {(f["rule"], f["path"]) for f in files}, files


def test_a_bundle_under_tests_is_judged_like_the_same_key_as_a_file(repo: Path) -> None:
    key = fake_rsa_key()
    put(repo, "tests/fixtures/bundle.zip", zip_bytes([("key", key)]))
    commit_all(repo)
    inside = json_secrets(repo, "scan", "--min-confidence", "low")
    put(repo, "tests/fixtures/bundle.zip", b"")
    write(repo, "tests/fixtures/key", key)
    commit_all(repo, "the key as a file")
    as_file = json_secrets(repo, "scan", "--min-confidence", "low")
    assert [f["cell"] for f in inside] == ["archive member key"] and [f["cell"] for f in as_file] == [None]
    judged = [(f["rule"], f["confidence"], f["reasons"], f["advice"]["urgency"]) for f in inside]
    assert judged == [(f["rule"], f["confidence"], f["reasons"], f["advice"]["urgency"]) for f in as_file]
    assert "test-location" in inside[0]["reasons"], inside


def test_history_finds_a_bundle_in_an_older_commit_and_drops_it_by_path(repo: Path) -> None:
    key, token = fake_rsa_key(), fake_github_token()
    write(repo, "README.md", "hi\n")
    commit_all(repo)
    put(repo, "langchain/secure-connect-vectordb.zip", bundle(key, token))
    introduced = commit_all(repo, "add the bundle")
    (repo / "langchain/secure-connect-vectordb.zip").unlink()
    commit_all(repo, "remove the bundle")
    assert json_secrets(repo, "scan") == []
    found = json_secrets(repo, "history")
    assert {(f["rule"], f["cell"]) for f in found} == {
        ("private-key.rsa", "archive member key"), ("github.pat.classic", "archive member deploy/.env")}, found
    assert all(f["path"] == "langchain/secure-connect-vectordb.zip" and f["provenance"]["commit"] == introduced
               and f["provenance"]["in_head"] is False for f in found), found
    text = run_cli("history", cwd=repo).stdout
    assert "langchain/secure-connect-vectordb.zip [archive member key]" in text
    # an archive's member is compressed: the file is dropped from history, never replaced by value
    assert "--invert-paths --path langchain/secure-connect-vectordb.zip" in text and "--replace-text" not in text


def test_the_hook_blocks_a_staged_bundle_naming_the_member(repo: Path) -> None:
    write(repo, "README.md", "hi\n")
    commit_all(repo)
    put(repo, "bundle.zip", bundle(fake_rsa_key(), fake_github_token()))
    git(repo, "add", "bundle.zip")
    result = run_cli("staged", cwd=repo)
    assert result.code == 1, result
    assert "bundle.zip [archive member key]" in result.stderr and "bundle.zip [archive member deploy/.env]" in result.stderr


def test_a_hostile_member_name_never_reaches_the_terminal_raw(repo: Path) -> None:
    name = "evil\x1b[2J\x1b]52;c;aGk=\x07\nFAKE LINE: all clear.env"
    put(repo, "cfg.zip", zip_bytes([(name, f"TOKEN={fake_github_token()}\n")]))
    commit_all(repo)
    for command in ("scan", "history"):
        result = run_cli(command, cwd=repo)
        assert result.code == 1, result
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "\nFAKE LINE" not in result.stdout and '"evil\\033[2J' in result.stdout, result.stdout
    cells = {f["cell"] for f in json_secrets(repo, "scan")}
    assert cells == {'archive member "evil\\033[2J\\033]52;c;aGk=\\a\\nFAKE LINE: all clear.env"'}, cells


def test_an_encrypted_member_is_skipped_without_error(repo: Path) -> None:
    plain, hidden = fake_github_token(), fake_github_token()
    data = bytearray(zip_bytes([("locked.env", f"TOKEN={hidden}\n"), ("open.env", f"TOKEN={plain}\n")]))
    # mark the first member encrypted (bit 0 of its flags) in its local header and its directory entry
    for at in (0, data.index(b"PK\x01\x02")):
        flags = at + (6 if at == 0 else 8)
        data[flags] |= 0x1
    put(repo, "secrets.zip", bytes(data))
    commit_all(repo)
    found = json_secrets(repo, "scan", "--show-secrets")
    assert [(f["cell"], f["secret"]) for f in found] == [("archive member open.env", plain)], found


def test_corrupt_and_truncated_archives_end_quietly(repo: Path) -> None:
    token = fake_github_token()
    whole = zip_bytes([("a.env", f"TOKEN={token}\n"), ("b.txt", "x" * 5000)])
    put(repo, "truncated.zip", whole[:len(whole) // 2])  # its central directory is gone: nothing to read
    put(repo, "not-a-zip.zip", b"PK\x03\x04" + secrets.token_bytes(300))
    commit_all(repo)
    alone = run_cli("scan", cwd=repo)  # nothing found, nothing wrong with the scan: exit 0, no message
    assert (alone.code, alone.stderr) == (0, ""), alone
    damaged = bytearray(zip_bytes([("first.env", f"TOKEN={fake_github_token()}\n"), ("second.txt", secrets.token_hex(4000))],
                                  zipfile.ZIP_DEFLATED))
    second = damaged.index(b"second.txt") + len(b"second.txt")
    damaged[second + 5:second + 40] = b"\xff" * 35  # the second member's deflate stream broken
    put(repo, "damaged.zip", bytes(damaged))
    commit_all(repo, "a damaged archive")
    result = run_cli("scan", "--format", "json", cwd=repo)
    assert "Traceback" not in result.stderr and result.stderr == "", result
    # the damaged archive's first member was read before the error: it stands (exit 1: a finding)
    assert result.code == 1
    assert [(f["path"], f["cell"]) for f in result.json()["findings"] if f["kind"] == "secret"] == [
        ("damaged.zip", "archive member first.env")]
    assert members(whole[:len(whole) // 2]) == (b"", ())
    history = run_cli("history", cwd=repo)
    assert history.code == 1 and "Traceback" not in history.stderr, history


def test_a_compression_bomb_is_inflated_no_further_than_its_ratio_allows() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("bomb.txt", "w") as member:  # 100 MB of text, some 200 KB compressed
            chunk = b"# filler line\n" * 80_000
            for _ in range(100 * 1024 * 1024 // len(chunk)):
                member.write(chunk)
        with archive.open("small-bomb.txt", "w") as member:  # 250 KB in some 500 bytes: read up to the floor
            member.write(b"# filler line\n" * (250 * 1024 // 14))
        archive.writestr("after.txt", "kept = 1\n")
    data = buffer.getvalue()
    listed = zipfile.ZipFile(io.BytesIO(data))
    bomb, small = listed.getinfo("bomb.txt"), listed.getinfo("small-bomb.txt")
    assert bomb.file_size > 400 * bomb.compress_size and small.compress_size * MAX_RATIO < RATIO_FLOOR
    document, found = members(data)
    sizes = {c.label: c.end - c.start for c in found}
    # the big bomb's first megabyte (a long member's bound), the small one's first 64 KiB (the ratio's floor)
    assert sizes == {"archive member bomb.txt": archives.MAX_MEMBER_BYTES, "archive member small-bomb.txt": RATIO_FLOOR,
                     "archive member after.txt": len("kept = 1\n")}, sizes
    assert len(document) == sum(sizes.values()) + 3


def test_a_long_member_is_read_up_to_its_bound() -> None:
    text = "".join(f"line_{i} = {secrets.token_hex(20)}\n" for i in range(40_000))  # 2 MB, 2:1 compressed
    document, found = members(zip_bytes([("big.txt", text)]))
    assert document == text.encode()[:archives.MAX_MEMBER_BYTES] + b"\n" and len(found) == 1


def test_thousands_of_members_are_read_up_to_the_bound(repo: Path) -> None:
    early, late = fake_github_token(), fake_github_token()
    entries: list[tuple[str, bytes | str]] = [(f"m/{i}.txt", f"value = {i}\n") for i in range(5_000)]
    entries[10] = ("m/early.env", f"TOKEN={early}\n")
    entries[4_990] = ("m/late.env", f"TOKEN={late}\n")
    data = zip_bytes(entries)
    document, found = members(data)
    assert len(found) == MAX_MEMBERS and found[-1].label == f"archive member m/{MAX_MEMBERS - 1}.txt"
    assert early.encode() in document and late.encode() not in document
    put(repo, "many.zip", data)
    commit_all(repo)
    shown = json_secrets(repo, "scan", "--show-secrets")
    assert [(f["cell"], f["secret"]) for f in shown] == [("archive member m/early.env", early)], shown


def test_binary_and_nested_members_are_not_read_and_office_files_are() -> None:
    token = fake_github_token()
    inner = zip_bytes([("inner.env", f"TOKEN={token}\n")])
    # by content (a nested archive or an image under any name, text that is not UTF-8) and by name (a jar's classes)
    data = zip_bytes([("nested.zip", inner), ("payload.dat", inner), ("logo.png", b"\x89PNG\r\n\x1a\n" + os.urandom(200)),
                      ("raw.bin", b"\x89PNG\r\n\x1a\n" + os.urandom(200)), ("App.class", f"TOKEN={token}\n"),
                      ("latin1.txt", "caf\xe9 = 1\n".encode("latin-1")), ("notes.txt", "hello\n")])
    document, found = members(data)
    assert document == b"hello\n\n" and [c.label for c in found] == ["archive member notes.txt"]
    # a .docx is a ZIP archive: its XML is text and is read, whatever the file's name
    docx = zip_bytes([("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
                      ("word/document.xml", f"<w:document><w:t>token {token}</w:t></w:document>")])
    document, found = members(docx)
    assert token.encode() in document and [c.label for c in found][-1] == "archive member word/document.xml"
    assert members(b"PK\x05\x06" + b"\x00" * 18) == (b"", ())  # an empty archive
    assert members(b"not a zip at all") == (b"", ())


def test_a_member_is_judged_where_it_sits_inside_the_archive_too(repo: Path) -> None:
    # a package's own test fixture zipped with its node_modules, and Yarn's zipped package cache: vendored
    # code, whatever folder the archive itself sits in; the same key in an archive's own config stays shown
    put(repo, "wwwroot/localcheckout.zip", zip_bytes([("localcheckout/node_modules/reusify/test/key.pem", fake_rsa_key())]))
    put(repo, ".yarn/cache/pkg-npm-1.0.0-abc.zip", zip_bytes([("node_modules/pkg/README.md", "x\n"),
                                                               ("node_modules/pkg/fixtures/server.key", fake_rsa_key())]))
    put(repo, "deploy/bundle.zip", zip_bytes([("key", fake_rsa_key())]))
    # a login typed into a factory call in a zipped project's tests: the member's folder counts there too
    put(repo, "uploads/branch.zip", zip_bytes([("branch/users/tests/test_models.py",
                                                'user = UserFactory(password="SuperSecretPass123!")\n')]))
    commit_all(repo)
    low = json_secrets(repo, "scan", "--min-confidence", "low")
    assert "test-location" in {r for f in low if f["path"] == "uploads/branch.zip" for r in f["reasons"]}, low
    by_path = {f["path"]: f for f in low}
    assert "vendored-location" in by_path["wwwroot/localcheckout.zip"]["reasons"], low
    assert "vendored-location" in by_path[".yarn/cache/pkg-npm-1.0.0-abc.zip"]["reasons"], low
    assert "vendored-location" not in by_path["deploy/bundle.zip"]["reasons"], low
    urgency = {f["path"]: f["advice"]["urgency"] for f in low}
    assert urgency["deploy/bundle.zip"] in ("critical", "high") and urgency["wwwroot/localcheckout.zip"] == "low", urgency
