"""Finding 4: raw ESC and BEL bytes reached the terminal: author names and commit subjects (``history``),
paths inside advice (``scan``), fleet text and Markdown, ``fix`` notes, ``baseline audit --list``
(rule, paths and reason of a committed baseline), ``baseline import`` lines, rule names and playbooks
of a ruleset the repository adds, including an OSC 52 clipboard write.

Now every text that reaches a person goes through one sanitiser (``util.sanitize``)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import commit_all, fake_github_token, make_repo, write
from credsweep.util import sanitize
from hostile.common import ESCAPES, assert_no_raw_escapes, hostile_history, run


def test_history_scan_and_markdown_print_no_raw_escape(tmp_path: Path) -> None:
    repo, _ = hostile_history(tmp_path / "repo")
    for args in (["history", str(repo)], ["history", str(repo), "-v"], ["scan", str(repo)],
                 ["scan", str(repo), "--format", "markdown"], ["history", str(repo), "--format", "markdown"],
                 ["history", str(repo), "--format", "json"], ["scan", str(repo), "--format", "sarif"]):
        result = run(*args)
        assert result.code == 1, result
        assert_no_raw_escapes(result.stdout, result.stderr)
    text = run("history", str(repo)).stdout
    assert "Eve\\x1b]52;c;" in text and "\\x07" in text  # shown escaped, not dropped
    data = json.loads(run("history", str(repo), "--format", "json").stdout)
    authors = {f["provenance"]["author"] for f in data["findings"] if f.get("provenance")}
    assert f"Eve{ESCAPES}" in authors  # JSON keeps the exact data (escaped as \\u001b by the encoder)


def test_fix_notes_print_no_raw_escape(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, f"tests/fixtures/id_rsa{ESCAPES}", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n"
                                                  "-----END OPENSSH PRIVATE KEY-----\n")
    write(repo, f"deploy{ESCAPES}.env", "DB_PASSWORD=Xk9mP2vL8qR4wz\n")
    commit_all(repo)
    for args in (["fix", str(repo)], ["fix", str(repo), "--apply"]):
        result = run(*args)
        assert result.code in (0, 1), result
        assert_no_raw_escapes(result.stdout, result.stderr)
        assert "\\x1b" in result.stdout or "\\033" in result.stdout  # shown escaped (shell or git quoting)


def _hostile_baseline(repo: Path) -> None:
    entry = {"id": "ab" * 32, "kind": "secret", "rule": f"rule{ESCAPES}", "prefix": f"p{ESCAPES}",
             "status": "accepted", "reason": f"ok{ESCAPES}\nforged line", "rotated_on": None,
             "paths": [f"src/x{ESCAPES}.py"], "added": "2026-01-01"}
    (repo / ".credsweep-baseline.json").write_text(json.dumps(
        {"version": 2, "salt": "00" * 16, "kdf": {"name": "scrypt", "n": 16, "r": 1, "p": 1, "dklen": 32},
         "entries": [entry]}))


def test_baseline_audit_list_prints_no_raw_escape(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    _hostile_baseline(repo)
    result = run("baseline", "audit", str(repo), "--list")
    assert result.code == 0, result
    assert_no_raw_escapes(result.stdout, result.stderr)
    assert "forged line" in result.stdout and "\nforged line" not in result.stdout  # one line per entry
    assert len(result.stdout.strip().splitlines()) == 2


def test_baseline_import_prints_no_raw_escape(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, "a.py", f'TOKEN = "{fake_github_token()}"\n')
    ignore = tmp_path / ".gitleaksignore"
    ignore.write_text(f"src/evil{ESCAPES}.py:rule{ESCAPES}:3\n{ESCAPES}\n")
    result = run("baseline", "import", str(ignore), str(repo))
    assert result.code == 0, result
    assert_no_raw_escapes(result.stdout, result.stderr)
    assert "not mapped" in result.stdout


_RULESET = f'''[provider]
id = "evil"
name = "Evil{ESCAPES}"
console_url = "https://example.com/{ESCAPES}"
docs_url = "https://example.com"
[provider.playbook]
summary = "Rotate it{ESCAPES}"
revoke = ["Revoke it{ESCAPES}"]
commands = ["echo {ESCAPES}"]

[[rules]]
id = "evil.token"
name = "Evil token{ESCAPES}"
pattern = '(?P<secret>evil_[a-z]{{8}})'
keywords = ["evil_"]
severity = "high"
confidence = "high"
reference = "https://example.com"
examples = ["evil_abcdefgh", "evil_qwertyui"]
negative_examples = ["x", "y"]
'''.replace("\x1b", "\\u001b").replace("\x07", "\\u0007").replace("\x9b", "\\u009b")


def test_a_repository_rulesets_names_and_playbooks_print_no_raw_escape(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, "rules/evil.toml", _RULESET)
    write(repo, ".credsweep.toml", 'rulesets = ["rules/evil.toml"]\n')
    write(repo, "a.txt", "evil_zxcvbnmq\n")
    commit_all(repo)
    for args in (["scan", str(repo)], ["history", str(repo)], ["scan", str(repo), "--format", "markdown"],
                 ["rules", "list", "--config", str(repo / ".credsweep.toml")]):
        result = run(*args)
        assert result.code in (0, 1), result
        assert_no_raw_escapes(result.stdout, result.stderr)
    assert "Evil token\\x1b" in run("scan", str(repo)).stdout


def test_fleet_text_and_markdown_print_no_raw_escape(tmp_path: Path) -> None:
    repo, _ = hostile_history(tmp_path / "repo")  # escapes in its file names, author and subject
    store = f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    # and a location holding escapes: refused, and named in the failure
    scanned = run("fleet", "scan", str(repo), str(tmp_path / f"other{ESCAPES}"), "--store", store)
    assert scanned.code == 4 and "1 failed" in scanned.stdout and "1 new secret" in scanned.stdout, scanned
    assert_no_raw_escapes(scanned.stdout, scanned.stderr)
    for fmt in ("text", "markdown", "json"):
        report = run("fleet", "report", "--store", store, "--format", fmt)
        assert report.code == 0, report
        assert_no_raw_escapes(report.stdout, report.stderr)


def test_the_sanitiser() -> None:
    assert sanitize.terminal("a\x1b[2Jb\x07\nc") == "a\\x1b[2Jb\\x07\nc"
    assert sanitize.line("a\nb\u202ec") == "a\\nb\\u202ec"
    assert sanitize.report("\x1b[31mHIGH\x1b[0m \x1b]52;c;x\x07", colour=True) == "\x1b[31mHIGH\x1b[0m \\x1b]52;c;x\\x07"
    assert sanitize.report("\x1b[31mHIGH\x1b[0m", colour=False) == "\\x1b[31mHIGH\\x1b[0m"
    assert sanitize.slack("<!channel> <mailto:a@b|team> & more") == "&lt;!channel&gt; &lt;mailto:a@b|team&gt; &amp; more"
    assert sanitize.markdown_code("a`b") == "``a`b``" and sanitize.markdown_code("`x") == "`` `x ``"
    assert sanitize.markdown_text("<img src=x> [a](javascript:x)") == "\\<img src=x\\> \\[a\\](javascript:x)"
    assert json.loads(sanitize.json_text(json.dumps("a\x9b\u202eb", ensure_ascii=False))) == "a\x9b\u202eb"
