"""Finding 2: a repository's config turned the scan off without a trace (``paths = ["**"]``,
``values = [".*"]``, ``stopwords = [""]``, ``disable_rules = ["github.", "generic."]``: "No findings.",
exit 0, nothing in JSON). A pull request adding it passed CI.

Now every suppression is counted and attributed (text and JSON), such a config is itself a finding,
``--no-repo-config`` ignores it, and a commit or push that changes it says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import commit_all, fake_github_token, git, hook_env, make_repo, write
from hostile.common import run

BLINDING = {
    "paths": '[allowlist]\npaths = ["**"]\n',
    "values": '[allowlist]\nvalues = [".*"]\n',
    "stopwords": '[allowlist]\nstopwords = [""]\n',
    "rules": 'disable_rules = ["github.", "generic."]\n',
}
KINDS = {"paths": "allowlist.paths", "values": "allowlist.values", "stopwords": "allowlist.stopwords",
         "rules": "disable_rules"}


def _leaky(path: Path, config: str) -> tuple[Path, str]:
    repo = make_repo(path)
    token = fake_github_token()
    write(repo, "app.py", f'TOKEN = "{token}"\n')
    write(repo, "settings.py", 'DB_PASSWORD = "Xk9mP2vL8qR4wzTb"\n')
    write(repo, ".credsweep.toml", config)
    commit_all(repo, "add")
    return repo, token


@pytest.mark.parametrize("name", list(BLINDING))
def test_a_blinding_config_is_counted_attributed_and_reported(tmp_path: Path, name: str) -> None:
    repo, _ = _leaky(tmp_path / "repo", BLINDING[name])
    for command in ("scan", "history"):
        result = run(command, str(repo), "--format", "json")
        assert result.code == 1, result  # never "No findings." and exit 0
        data = result.json()
        assert [f["rule"] for f in data["findings"] if f["kind"] != "secret"] == ["config.weakens-detection"]
        assert not [f for f in data["findings"] if f["kind"] == "secret"]
        hidden = [s for s in data["summary"]["suppressed"] if s["kind"] == KINDS[name]]
        assert hidden and sum(s["count"] for s in hidden) >= 1, data["summary"]
        assert all(s["source"].endswith(".credsweep.toml") for s in hidden)
        text = run(command, str(repo))
        assert text.code == 1
        assert "Hidden:" in text.stdout and KINDS[name] in text.stdout and ".credsweep.toml" in text.stdout, text
        assert "weakens detection" in text.stdout
    ignored = run("scan", str(repo), "--format", "json", "--no-repo-config")
    assert {f["rule"] for f in ignored.json()["findings"] if f["kind"] == "secret"} >= {"github.pat.classic"}


def test_each_entry_is_attributed_with_its_own_count(tmp_path: Path) -> None:
    repo, _ = _leaky(tmp_path / "repo", '[allowlist]\npaths = ["settings.py", "app.py"]\n')
    data = run("scan", str(repo), "--format", "json").json()
    entries = {(s["kind"], s["entry"]): s["count"] for s in data["summary"]["suppressed"]}
    assert entries == {("allowlist.paths", "app.py"): 1, ("allowlist.paths", "settings.py"): 1}, entries
    # narrow entries are not a weakening: only counted
    assert not [f for f in data["findings"] if f["rule"] == "config.weakens-detection"]


def test_inline_comments_and_the_baseline_are_counted_too(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, "a.py", f'TOKEN = "{fake_github_token()}"  # credsweep:allow\nOTHER = "{fake_github_token()}"\n')
    assert run("baseline", "create", str(repo)).code == 0
    entry = run("baseline", "audit", str(repo), "--list").stdout.split()[0]
    assert run("baseline", "audit", str(repo), "--entry", entry, "--status", "accepted").code == 0
    data = run("scan", str(repo), "--format", "json").json()
    kinds = {s["kind"]: s for s in data["summary"]["suppressed"]}
    assert kinds["inline"]["count"] == 1 and kinds["baseline"]["count"] == 1, kinds
    assert kinds["baseline"]["source"] == ".credsweep-baseline.json"


def test_a_users_own_config_is_counted_but_not_reported(tmp_path: Path) -> None:
    repo, _ = _leaky(tmp_path / "repo", "")
    mine = tmp_path / "mine.toml"
    mine.write_text('[allowlist]\npaths = ["**"]\n')
    data = run("scan", str(repo), "--format", "json", "--config", str(mine)).json()
    assert data["findings"] == []
    assert data["summary"]["suppressed"][0]["source"] == str(mine)


def test_staged_and_pre_push_show_a_change_to_the_config(tmp_path: Path) -> None:
    repo, _ = _leaky(tmp_path / "repo", "")
    write(repo, ".credsweep.toml", '[allowlist]\npaths = ["docs/**"]\n')
    git(repo, "add", ".credsweep.toml")
    staged = run("staged", str(repo))
    assert staged.code == 0 and "changes .credsweep.toml" in staged.stderr, staged
    write(repo, ".credsweep.toml", BLINDING["paths"])
    git(repo, "add", ".credsweep.toml")
    blocked = run("staged", str(repo))
    assert blocked.code == 1 and "weakens detection" in blocked.stderr and "changes .credsweep.toml" in blocked.stderr
    git(repo, "commit", "-q", "--no-verify", "-m", "allow everything")
    remote = make_repo(tmp_path / "remote.git", bare=True)
    git(repo, "remote", "add", "origin", str(remote))
    pushed = run("pre-push", "origin", str(remote), "--path", str(repo), "--format", "json",
                 env=hook_env(tmp_path))
    data = pushed.json()
    assert pushed.code == 1 and any("changes .credsweep.toml" in note for note in data["summary"]["notes"]), data
    assert [f["rule"] for f in data["findings"]] == ["config.weakens-detection"]


def test_weakening_is_measured_on_probes() -> None:
    from credsweep.config import Allowlist, Config
    from credsweep.hygiene.repoconfig import weakening

    ids = ["generic.password", "generic.api-key", "github.pat.classic", "github.oauth", "aws.access-key-id"]
    assert weakening(Config(allowlist=Allowlist(paths=("vendor/**", "*.lock"))), ids) == []
    assert weakening(Config(allowlist=Allowlist(values=("EXAMPLE[0-9]+",), stopwords=("example",))), ids) == []
    assert weakening(Config(disable_rules=("github.oauth",)), ids) == []
    assert len(weakening(Config(allowlist=Allowlist(paths=("*",), values=(".+",), stopwords=("e",))), ids)) == 3
    assert weakening(Config(disable_rules=("github.",)), ids) == [
        "disable_rules 'github.' switches off a whole family of 2 rules"]


@pytest.mark.parametrize("setting", ['fail_on = "critical"', 'min_confidence = "high"', 'max_file_size = "1KB"'])
def test_settings_that_turn_the_scan_down_are_reported_and_still_fail(tmp_path: Path, setting: str) -> None:
    # a pull request adding ``fail_on = "critical"`` would otherwise make CI pass on a high-urgency
    # leak; the finding on the file counts whatever fail_on says, as the file may be what set it
    repo, _ = _leaky(tmp_path / "repo", setting + "\n")
    result = run("scan", str(repo), "--format", "json")
    assert result.code == 1, result
    weak = [f for f in result.json()["findings"] if f["rule"] == "config.weakens-detection"]
    assert len(weak) == 1 and setting.split()[0] in str(weak[0]), weak
    assert run("scan", str(repo), "--format", "json", "--fail-on", "critical").code == 1


def test_settings_at_or_above_the_defaults_are_not_a_weakening(tmp_path: Path) -> None:
    from credsweep.config import from_table

    source = tmp_path / ".credsweep.toml"
    assert from_table({"fail_on": "low", "min_confidence": "low", "hygiene": False, "max_file_size": "50MB",
                       "max_findings_per_rule": 1}, source, "repository").lowered == ()
    lowered = from_table({"fail_on": "high", "min_confidence": "high"}, source, "repository").lowered
    assert lowered == ("min_confidence 'high' hides every medium-confidence finding",
                       "fail_on 'high' lets every finding below high urgency pass")
