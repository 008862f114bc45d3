"""`credsweep history` on real repositories: every blob once, provenance, scopes, exposure advice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import commit_all, fake_aws_pair, fake_github_token, git, make_repo, run_cli, write


def _by_secret_path(findings: list[dict]) -> dict[tuple[str, str], dict]:
    return {(f["redacted"], f["path"]): f for f in findings}


@pytest.fixture
def story(repo: Path) -> dict[str, object]:
    """A history where secrets were deleted, replaced, branched, renamed, and one is still in HEAD."""
    deleted, replaced, branched, renamed, kept = (fake_github_token() for _ in range(5))
    write(repo, "README.md", "# demo\n")
    base = commit_all(repo, "init")
    write(repo, "config.py", f"DEBUG = True\nTOKEN = '{deleted}'\n")
    write(repo, "settings.py", f"import os\n\nAPI = '{replaced}'\n")
    write(repo, "old/name.yaml", f"ci:\n  token: {renamed}\n")
    c_add = commit_all(repo, "add config")
    (repo / "config.py").unlink()
    write(repo, "settings.py", "import os\n\nAPI = os.environ['API']\n")
    commit_all(repo, "remove secrets")
    (repo / "new").mkdir()
    git(repo, "mv", "old/name.yaml", "new/name.yaml")
    write(repo, "app.py", f"\n\nKEEP = '{kept}'\n")
    c_keep = commit_all(repo, "rename and keep")
    git(repo, "checkout", "-q", "-b", "feature/unmerged", base)
    write(repo, "feature.txt", f"token={branched}\n")
    c_branch = commit_all(repo, "wip on branch")
    git(repo, "checkout", "-q", "main")
    return {"repo": repo, "deleted": deleted, "replaced": replaced, "branched": branched, "renamed": renamed,
            "kept": kept, "c_add": c_add, "c_keep": c_keep, "c_branch": c_branch}


def test_history_reports_provenance(story: dict) -> None:
    repo = story["repo"]
    result = run_cli("history", "--format", "json", cwd=repo)
    assert result.code == 1, result
    findings = result.json()["findings"]
    by_path = {}
    for f in findings:
        by_path.setdefault(f["path"], []).append(f)
    deleted = by_path["config.py"][0]
    assert deleted["commit"] == story["c_add"] and deleted["author"] == "Test Author"
    assert deleted["line"] == 2 and deleted["in_head"] is False and deleted["message"] == "add config"
    assert deleted["commits"] == 1 and deleted["first_seen"] and deleted["last_seen"] >= deleted["first_seen"]
    replaced = by_path["settings.py"][0]
    assert replaced["line"] == 3 and replaced["in_head"] is False and replaced["commit"] == story["c_add"]
    branched = by_path["feature.txt"][0]
    assert branched["commit"] == story["c_branch"] and "feature/unmerged" in branched["refs"]
    assert "main" not in branched["refs"] and branched["in_head"] is False
    kept = by_path["app.py"][0]
    assert kept["in_head"] is True and kept["line"] == 3 and kept["commit"] == story["c_keep"]
    assert kept["commits"] == 1 and "main" in kept["refs"]
    assert by_path["old/name.yaml"][0]["commits"] == 2  # "add config" and "remove secrets" carry it
    # carried through a rename: introduced at the old path, still found (in HEAD) at the new one
    old, new = by_path["old/name.yaml"][0], by_path["new/name.yaml"][0]
    assert old["commit"] == story["c_add"] and old["line"] == 2
    assert new["commit"] == story["c_keep"] and new["in_head"] is True
    assert old["secret_id"] == new["secret_id"]
    assert new["renamed_from"] == "old/name.yaml" and old["renamed_from"] is None
    assert new["first_seen"] == old["first_seen"]  # followed through the move to where it first appeared
    assert all(f["commits"] is not None for f in findings)  # every placement gets its carrier count
    for f in findings:
        assert f["source"] == "history" and f["pushed"] is False
    for value in ("deleted", "replaced", "branched", "renamed", "kept"):
        assert story[value] not in result.stdout


def test_each_blob_scanned_once_and_scopes(story: dict) -> None:
    repo = story["repo"]
    data = run_cli("history", "--format", "json", "--workers", "2", cwd=repo).json()
    blob_count = len(git(repo, "rev-list", "--objects", "--all").split("\n")) - 1
    assert 0 < data["summary"]["files_scanned"] <= blob_count
    only_branch = run_cli("history", "--format", "json", "--branch", "feature/unmerged", cwd=repo).json()
    assert {f["path"] for f in only_branch["findings"]} == {"feature.txt"}
    since = run_cli("history", "--format", "json", "--since-commit", story["c_add"], cwd=repo).json()
    # the renamed file's blob is reachable from c_add, so it is out of scope: scopes are about objects
    assert {f["path"] for f in since["findings"]} == {"app.py", "feature.txt"}
    ranged = run_cli("history", "--format", "json", "--range", f"{story['c_add']}..main", cwd=repo).json()
    assert {f["path"] for f in ranged["findings"]} == {"app.py"}
    bad = run_cli("history", "--branch", "--output=/tmp/pwned", cwd=repo)
    assert bad.code == 2 and not Path("/tmp/pwned").exists()
    assert run_cli("history", "--branch", "no-such-branch", cwd=repo).code == 2


def test_history_finds_what_scan_finds(story: dict) -> None:
    repo = story["repo"]
    scan = {(f["rule"], f["secret_id"]) for f in run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo).json()["findings"]}
    hist = {(f["rule"], f["secret_id"]) for f in run_cli("history", "--format", "json", cwd=repo).json()["findings"]}
    assert scan and scan <= hist


def test_unreachable_blobs_only_on_request(repo: Path) -> None:
    write(repo, "a.txt", "hello\n")
    commit_all(repo)
    dangling = fake_github_token()
    (repo / "loose.txt").write_text(f"{dangling}\n")
    git(repo, "hash-object", "-w", "loose.txt")
    (repo / "loose.txt").unlink()
    assert run_cli("history", cwd=repo).code == 0
    result = run_cli("history", "--format", "json", "--include-unreachable", cwd=repo)
    assert result.code == 1 and result.json()["findings"][0]["provenance"]["reachable"] is False


def test_bare_and_shallow_repositories(story: dict, tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(story["repo"]), str(bare))
    findings = run_cli("history", str(bare), "--format", "json").json()["findings"]
    assert {"config.py", "app.py"} <= {f["path"] for f in findings}
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{story['repo']}", str(shallow))
    result = run_cli("history", str(shallow), "--format", "json")
    assert "app.py" in {f["path"] for f in result.json()["findings"]}


def test_pushed_secret_is_one_group_with_highest_urgency(tmp_path: Path) -> None:
    remote = make_repo(tmp_path / "remote.git", bare=True)
    repo = make_repo(tmp_path / "work")
    git(repo, "remote", "add", "origin", str(remote))
    key_id, key_secret = fake_aws_pair()
    pair = f"aws_access_key_id = {key_id}\naws_secret_access_key = {key_secret}\n"
    write(repo, "deploy/prod.ini", "[default]\n" + pair)
    write(repo, "scripts/env.sh", "export REGION=eu-west-1\n" + pair.replace(" = ", "=").upper().replace(key_id.upper(), key_id).replace(key_secret.upper(), key_secret))
    commit_all(repo, "first")
    write(repo, "docker/.aws/credentials", "[ci]\n" + pair)
    commit_all(repo, "second")
    git(repo, "push", "-q", "origin", "main")
    local_only = fake_github_token()
    write(repo, "local.py", f"T = '{local_only}'\n")
    commit_all(repo, "local work")
    data = run_cli("history", "--format", "json", cwd=repo).json()
    aws_groups = [g for g in data["groups"] if g["provider"] == "aws"]
    assert len(aws_groups) == 1
    group = aws_groups[0]
    assert {loc["path"] for loc in group["locations"]} == {"deploy/prod.ini", "scripts/env.sh", "docker/.aws/credentials"}
    assert group["urgency"] == "critical"
    aws_findings = [f for f in data["findings"] if f["provider"] == "aws"]
    assert all(f["pushed"] for f in aws_findings) and len({f["secret_id"] for f in aws_findings}) == 1
    advice = group["advice"]
    assert any("aws iam" in c for c in advice["commands"])
    assert any("git filter-repo" in c for c in advice["commands"])
    assert any("deploy/prod.ini" in c and "docker/.aws/credentials" in c for c in advice["commands"])
    local = next(g for g in data["groups"] if g["provider"] == "github")
    assert ["low", "medium", "high", "critical"].index(local["urgency"]) < 3
    assert any("Not pushed yet" in s for s in local["advice"]["steps"])
    assert key_secret not in str(data) and local_only not in str(data)


def test_remotes_are_read_for_a_history_with_findings(tmp_path: Path) -> None:
    """The remotes' config is read only when there is something to rate (a clean history never loads
    GitPython), and then it is read: a local-only secret's advice says whether a remote exists."""
    for remote in (None, "https://ci:hunter2@git.example.com/org/app.git"):
        repo = make_repo(tmp_path / ("with-remote" if remote else "no-remote"))
        if remote:
            git(repo, "remote", "add", "origin", remote)
        write(repo, "local.py", f"T = '{fake_github_token()}'\n")
        commit_all(repo, "local work")
        [group] = run_cli("history", "--format", "json", cwd=repo).json()["groups"]
        expected = "only in local commits so far" if remote else "no remote is configured"
        assert expected in group["why"], group["why"]
        assert "hunter2" not in str(group)


def _fake_openssh_key() -> str:
    import base64
    import secrets

    body = base64.b64encode(secrets.token_bytes(600)).decode()
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN OPENSSH PRIVATE KEY-----\n{lines}\n-----END OPENSSH PRIVATE KEY-----\n"


def test_history_reports_credential_files_ever_committed(repo: Path) -> None:
    write(repo, ".env", "DEBUG=1\n")
    write(repo, "deploy/id_rsa", _fake_openssh_key())
    write(repo, "config.toml", '[db]\npassword = ""\n')
    commit_all(repo, "oops")
    write(repo, ".gitignore", ".env\ndeploy/id_rsa\n")
    git(repo, "rm", "-q", "--cached", ".env", "deploy/id_rsa")
    commit_all(repo, "untrack")
    data = run_cli("history", "--format", "json", cwd=repo).json()
    files = {(f["rule"], f["path"]) for f in data["findings"] if f["kind"] == "sensitive-file"}
    assert files == {("file.env", ".env"), ("file.private-key", "deploy/id_rsa")}
    assert data["root"] == "."  # the scanned repository, not the last credential file found
    env = next(f for f in data["findings"] if f["path"] == ".env")
    assert env["in_head"] is False and env["message"] == "oops"
    # nothing secret in that .env: low, no rotation, no history rewrite
    assert env["severity"] == "low" and "nothing secret" in env["name"]
    assert not any("filter-repo" in c for c in env["advice"]["commands"])
    assert "rotate every credential" not in str(env["advice"]).lower()
    key_file = next(f for f in data["findings"] if f["path"] == "deploy/id_rsa" and f["kind"] == "sensitive-file")
    assert key_file["severity"] == "critical"
    assert any("--invert-paths --path deploy/id_rsa" in c for c in key_file["advice"]["commands"])


def test_recurse_submodules(tmp_path: Path) -> None:
    lib = make_repo(tmp_path / "lib")
    write(lib, "conf.py", f"T = '{fake_github_token()}'\n")
    commit_all(lib, "lib secret")
    app = make_repo(tmp_path / "app")
    write(app, "README.md", "app\n")
    commit_all(app, "init")
    git(app, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib), "vendor/lib")
    commit_all(app, "add submodule")
    assert run_cli("history", cwd=app).code == 0
    data = run_cli("history", "--recurse-submodules", "--format", "json", cwd=app).json()
    assert [f["path"] for f in data["findings"]] == ["vendor/lib/conf.py"]


def test_secret_introduced_by_a_merge_has_its_commit(repo: Path) -> None:
    """A conflict resolution that brings a secret in: no ordinary diff carries it, the merge does."""
    token = fake_github_token()
    write(repo, "conf.ini", "key = base\n")
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "side")
    write(repo, "conf.ini", "key = side\n")
    commit_all(repo, "side")
    git(repo, "checkout", "-q", "main")
    write(repo, "conf.ini", "key = main\n")
    commit_all(repo, "main")
    proc = subprocess.run(["git", "merge", "-q", "side"], cwd=repo, capture_output=True, text=True, check=False)
    assert proc.returncode != 0  # the conflict we want
    write(repo, "conf.ini", f"key = {token}\n")
    merge = commit_all(repo, "resolve with the real key")
    findings = run_cli("history", "--format", "json", cwd=repo).json()["findings"]
    assert len(findings) == 1
    assert findings[0]["commit"] == merge and findings[0]["message"] == "resolve with the real key"
    assert findings[0]["in_head"] is True and findings[0]["path"] == "conf.ini"


def test_blob_behind_a_tag_is_reachable(repo: Path) -> None:
    """A tag may point straight at a blob (git.git publishes a key that way): reachable, no commit."""
    write(repo, "a.txt", "hello\n")
    commit_all(repo)
    (repo / "loose.txt").write_text(f"{fake_github_token()}\n")
    oid = git(repo, "hash-object", "-w", "loose.txt").strip()
    (repo / "loose.txt").unlink()
    git(repo, "tag", "published-blob", oid)
    findings = run_cli("history", "--format", "json", cwd=repo).json()["findings"]
    assert [f["path"] for f in findings] == ["refs/tags/published-blob"]
    assert findings[0]["provenance"]["reachable"] is True


def test_scan_streams_many_chunks_through_one_reader_per_worker(story: dict) -> None:
    """Tiny chunks force many chunks per worker: each blob still scanned exactly once."""
    from credsweep.config import load_config
    from credsweep.executors.pool import BlobPool
    from credsweep.pipeline import build_pipeline
    from credsweep.sources import blobs as hist

    repo = story["repo"]
    config = load_config(repo)
    listing = hist.BlobListing(blobs=[])
    seen: list[tuple[int, int, int, int]] = []
    with BlobPool(repo, build_pipeline(config), workers=2) as pool:
        scan = pool.scan(hist.iter_blobs(repo, config.max_file_size, None, listing),
                         progress=lambda *a: seen.append(a), listing=listing, chunk_bytes=64)
    blobs = {line.split()[0] for line in git(repo, "cat-file", "--batch-all-objects", "--batch-check").splitlines()
             if line.split()[1] == "blob"}
    assert scan.scanned + scan.binary == len(blobs) == listing.count
    assert len(seen) > 2 and seen[-1][0] == seen[-1][1] == len(blobs)
    secrets = {m.secret for ms in scan.matches.values() for m in ms}
    assert secrets == {story[k] for k in ("deleted", "replaced", "branched", "renamed", "kept")}


def test_a_small_repository_is_scanned_in_one_process_unless_workers_are_named(
        story: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No worker count given: a small repository's history is scanned in this process (a worker per core,
    each with its own `git cat-file`, cost it more than its content stage), with the same findings as a pool
    of workers; one reading objects from elsewhere too (alternates) gets a worker per core."""
    import os

    from credsweep.config import load_config
    from credsweep.executors import pool as pool_module
    from credsweep.scans.history import HistoryOptions, scan_history

    repo = story["repo"]
    cores = os.cpu_count() or 1
    assert pool_module.default_workers(repo) == 1
    forks: list[int] = []
    real = pool_module.forked_pool
    monkeypatch.setattr(pool_module, "forked_pool", lambda workers, *rest: forks.append(workers) or real(workers, *rest))
    config = load_config(repo)
    alone = scan_history(repo, config)
    assert forks == []
    pooled = scan_history(repo, config, HistoryOptions(workers=2))
    assert forks == [2]
    assert [(f.rule, f.path, f.line, f.secret_id) for f in alone.findings] == [
        (f.rule, f.path, f.line, f.secret_id) for f in pooled.findings] and alone.findings
    # objects borrowed from another repository are not counted by `git count-objects`: a worker per core
    borrower = make_repo(tmp_path / "borrower")
    (borrower / ".git/objects/info/alternates").write_text(f"{repo / '.git/objects'}\n")
    assert pool_module.default_workers(borrower) == cores
    monkeypatch.setenv("GIT_ALTERNATE_OBJECT_DIRECTORIES", str(repo / ".git/objects"))
    assert pool_module.default_workers(repo) == cores


def test_blob_reader_views_match_git_and_survive_an_abandoned_batch(story: dict) -> None:
    """The reader's reused buffer gives each blob's exact bytes (large ones too, which grow it); a
    batch abandoned half way leaves a reader that still answers the next batch correctly."""
    from credsweep.sources import blobs as hist

    repo = story["repo"]
    large = "\n".join(f"line {i} " + "x" * 80 for i in range(60_000))  # ~5 MB: bigger than the buffer
    write(repo, "big.txt", large)
    commit_all(repo, "big file")
    oids = [line.split()[0] for line in git(repo, "cat-file", "--batch-all-objects", "--batch-check").splitlines()
            if line.split()[1] == "blob"]
    expected = {oid: subprocess.run(["git", "cat-file", "blob", oid], cwd=repo, capture_output=True, check=True).stdout
                for oid in oids}
    with hist.BlobReader(repo) as reader:
        stream = reader.views(oids)
        first_oid, first_view, _ = next(stream)
        assert first_view.tobytes() == expected[first_oid]
        stream.close()  # abandoned: git's output is out of step now
        got = {oid: (view.tobytes(), binary) for oid, view, binary in reader.views(oids)}
    assert {oid: data for oid, (data, _) in got.items()} == expected
    assert any(len(data) > 4_000_000 for data in expected.values())
    assert all(binary == (b"\0" in data[:8000]) for data, binary in got.values())


def test_reachability_walk_keeps_only_the_frontier_and_answers_the_same() -> None:
    """Dropping a commit's bit sets once its last child read them changes no answer; only ref tips
    (and commits no child read) keep theirs."""
    from credsweep.enrich import provenance as prov

    # a - b - c - e (tip), with a side branch b - d merged at e, and a second tip f on c
    graph = [b"a", b"b a", b"c b", b"d b", b"e c d", b"f c"]
    own, start, stop = {b"b": 1, b"d": 2}, {b"b": 1}, {b"d": 1}

    def walk(children: dict[bytes, int] | None) -> tuple[dict[bytes, int], list[int]]:
        mask: dict[bytes, int] = {}
        counters: list[int] = []
        prov._propagate(iter(graph), own, start, stop, mask, counters, children, {b"e", b"f"})
        return mask, counters

    full, full_counters = walk(None)
    children: dict[bytes, int] = {}
    for line in graph:
        for parent in line.split()[1:]:
            children[parent] = children.get(parent, 0) + 1
    lean, lean_counters = walk(children)
    assert lean_counters == full_counters
    assert {sha: full[sha] for sha in (b"e", b"f")} == {sha: lean[sha] for sha in (b"e", b"f")} == {b"e": 3, b"f": 1}
    assert set(lean) == {b"e", b"f"}  # b, c, d were read by all their children and dropped


def test_fail_on_high_passes_low_urgency_fixtures_and_fails_on_a_pushed_token(tmp_path: Path) -> None:
    """CI's threshold: `history` exits 1 for any finding by default; `--fail-on high` (or the config key
    `fail_on`) only for one at least that urgent."""
    repo = make_repo(tmp_path / "repo")
    write(repo, "README.md", "# demo\n")
    write(repo, "tests/fixtures/id_ed25519", _fake_openssh_key())  # the tests' own key: low urgency
    write(repo, "tests/fixtures/.env", "DEBUG=1\n")  # a credential file with nothing secret in it: low
    commit_all(repo, "fixtures")
    default = run_cli("history", str(repo), "--format", "json")
    assert default.code == 1 and default.json()["findings"], default  # the default: any finding
    assert {g["urgency"] for g in default.json()["groups"]} == {"low"}
    gated = run_cli("history", str(repo), "--fail-on", "high")
    assert gated.code == 0, gated
    assert "id_ed25519" in gated.stdout and "none of high urgency or above (--fail-on high): exit 0" in gated.stderr
    mine = tmp_path / "ci.toml"
    mine.write_text('fail_on = "high"\n')
    assert run_cli("history", str(repo), "--config", str(mine)).code == 0  # the config key, the same threshold
    assert run_cli("history", str(repo), "--config", str(mine), "--fail-on", "low").code == 1  # the option wins
    # in the scanned repository's own file it is the scanned party's word: reported, and it fails
    write(repo, ".credsweep.toml", 'fail_on = "high"\n')
    weakened = run_cli("history", str(repo), "--format", "json")
    assert weakened.code == 1 and "config.weakens-detection" in {f["rule"] for f in weakened.json()["findings"]}
    (repo / ".credsweep.toml").unlink()
    # a token pushed to a remote: high or above, so the same threshold fails
    remote = make_repo(tmp_path / "remote.git", bare=True)
    write(repo, "deploy.py", f"TOKEN = '{fake_github_token()}'\n")
    commit_all(repo, "deploy")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main")
    pushed = run_cli("history", str(repo), "--format", "json")
    assert pushed.code == 1, pushed
    token = next(g for g in pushed.json()["groups"] if g["provider"] == "github")
    assert token["urgency"] in ("high", "critical")
    write(repo, ".credsweep.toml", 'fail_on = "urgent"\n')
    bad = run_cli("history", str(repo))
    assert bad.code == 2 and "'fail_on' must be one of critical, high, medium, low" in bad.stderr


def test_history_reports_a_committed_key_file_of_any_name(repo: Path) -> None:
    """A file whose content is a private key is a key file whatever it is called (`deploy_key`): history
    reports it committed, as it does `id_rsa`."""
    write(repo, "README.md", "# app\n")
    write(repo, "ops/deploy_key", _fake_openssh_key())
    commit_all(repo, "deploy key")
    (repo / "ops/deploy_key").unlink()
    commit_all(repo, "remove it")
    found = run_cli("history", "--format", "json", cwd=repo)
    assert found.code == 1, found
    files = [(f["rule"], f["path"]) for f in found.json()["findings"] if f["kind"] != "secret"]
    assert ("file.private-key", "ops/deploy_key") in files, files


def test_log_index_finds_what_the_whole_log_parse_finds(repo: Path) -> None:
    # adds, edits, deletions, a move (same blob), a mode change, a blob re-added elsewhere, a merge,
    # a credential file added twice: the index read beside the scan answers as the whole parse does
    from credsweep.enrich import provenance as prov

    write(repo, "a.txt", "one\n")
    write(repo, "b.txt", "two\n")
    write(repo, ".env", "KEY=1\n")
    commit_all(repo, "init")
    write(repo, "a.txt", "one more\n")
    (repo / "moved").mkdir()
    git(repo, "mv", "b.txt", "moved/b.txt")
    commit_all(repo, "edit and move")
    (repo / "a.txt").chmod(0o755)
    commit_all(repo, "mode")
    git(repo, "checkout", "-q", "-b", "side")
    write(repo, "c.txt", "two\n")
    write(repo, "conf/.env", "KEY=2\n")
    commit_all(repo, "same blob at a new path")
    git(repo, "checkout", "-q", "main")
    (repo / "a.txt").unlink()
    commit_all(repo, "delete")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "side")
    listing = git(repo, "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectname)")
    blobs = sorted(line.split()[1] for line in listing.splitlines() if line.startswith("blob "))
    assert len(blobs) >= 5

    def env_files(path: str) -> bool:
        return path.endswith(".env")

    wanted_sets = [set(blobs), *({b} for b in blobs), set(blobs[::2])]
    results = []
    for wanted in wanted_sets:
        with prov.LogCapture(repo, ["--all"]) as whole:
            added_whole: list[tuple[str, str, str]] = []
            expected = whole.histories(wanted, env_files, added_whole)
        with prov.LogCapture(repo, ["--all"]) as indexed:
            indexed.index(env_files)
            added_indexed: list[tuple[str, str, str]] = []
            found = indexed.histories(wanted, env_files, added_indexed)
        assert found == expected
        assert added_indexed == added_whole
        assert len(added_whole) == 2
        results.append(found)
    assert any(entry.renamed_from == "b.txt" for entry in results[0].values())  # the move is seen
    assert any(entry.removed for entry in results[0].values())
