"""Reports of many findings: advice shared per rule instead of built per finding, JSON lines that splice
each distinct advice in once. The output must be exactly what building everything per finding gave."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import commit_all, fake_aws_pair, fake_github_token, git, make_repo, run_cli, write
from credsweep.config import Config
from credsweep.enrich.advice import Exposure, contextualize, group_findings
from credsweep.models import Report
from credsweep.reporters.json import as_dict, render
from credsweep.scans.worktree import scan_worktree
from credsweep.util.pathnames import dumps


def _reference_render(report: Report, show_secrets: bool = False) -> str:
    """The JSON reporter as it was before advice was spliced: every finding and group dumped whole."""
    data = as_dict(report, show_secrets)
    lists = {key: data.pop(key) for key in ("findings", "groups")}
    head = dumps(data, indent=2)
    parts = [head[:-2]]
    for key, items in lists.items():
        body = ",\n    ".join(dumps(item) for item in items)
        parts.append(f',\n  "{key}": [\n    {body}\n  ]' if items else f',\n  "{key}": []')
    return "".join(parts) + "\n}\n"


def _mixed_repo(path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """Two AWS pairs (advice naming each key id's tail), GitHub tokens copied twice, a non-UTF-8 name."""
    repo = make_repo(path)
    pairs = [fake_aws_pair(), fake_aws_pair()]
    for index, (key_id, secret) in enumerate(pairs):
        write(repo, f"conf/aws{index}.ini",
              f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
    token = fake_github_token()
    write(repo, "a.py", f'TOKEN = "{token}"\nOTHER = "{fake_github_token()}"\n')
    write(repo, "tests/b.py", f'TOKEN = "{token}"\n')
    with open(bytes(repo) + b"/caf\xe9.env", "w") as handle:
        handle.write(f"GITHUB_TOKEN={fake_github_token()}\n")
    return repo, pairs


def test_json_report_is_the_one_built_per_finding(tmp_path: Path) -> None:
    repo, pairs = _mixed_repo(tmp_path / "repo")
    report = scan_worktree(repo, Config())
    assert len([f for f in report.findings if f.kind == "secret"]) >= 6
    assert render(report) == _reference_render(report)
    assert render(report, show_secrets=True) == _reference_render(report, show_secrets=True)
    # each AWS secret's advice names its own key id's tail: shared advice never crosses pairs
    tails = {f.advice.steps[0] for f in report.findings if f.rule.startswith("aws.secret")}
    assert tails == {f"The leaked credential's <ACCESS_KEY_ID> ends in ...{key_id[-4:]}; use it below."
                     for key_id, _ in pairs}


def test_history_json_report_is_the_one_built_per_finding(tmp_path: Path) -> None:
    from credsweep.scans.history import HistoryOptions, scan_history

    repo, _ = _mixed_repo(tmp_path / "repo")
    commit_all(repo, "first")
    remote = make_repo(tmp_path / "remote.git", bare=True)
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", "main")
    write(repo, "later.env", f"GITHUB_TOKEN={fake_github_token()}\n")  # committed, not pushed
    commit_all(repo, "second")
    report = scan_history(repo, Config(), HistoryOptions())
    steps = {f.path: f.advice.steps for f in report.findings if f.kind == "secret"}
    assert steps["later.env"][0].startswith("Not pushed yet")
    assert not steps["a.py"][0].startswith("Not pushed yet")
    assert render(report) == _reference_render(report)


def test_contextualize_shares_advice_between_copies_and_findings_of_one_rule() -> None:
    from credsweep.models import ContentItem
    from credsweep.pipeline import build_pipeline

    pipeline = build_pipeline(Config())
    text = "".join(f'API_KEY_{i}="{fake_github_token()}"\n' for i in range(20))
    found = pipeline.scan_item(ContentItem(".env", text.encode()))
    rated = contextualize(found, Exposure())
    assert len(rated) == len(found) == 20
    assert len({id(f.advice) for f in found}) == 1  # one rule: one advice before contextualising
    assert len({id(f.advice) for f in rated}) == 1  # and after (the same urgency and why)
    for before, after in zip(sorted(found, key=lambda f: f.line or 0), sorted(rated, key=lambda f: f.line or 0), strict=True):
        assert (after.secret_id, after.fingerprint, after.line, after.column, after.secret) == (
            before.secret_id, before.fingerprint, before.line, before.column, before.secret)
        assert after.advice.why.startswith(after.advice.urgency.capitalize())
    assert [len(g.findings) for g in group_findings(rated)] == [1] * 20


def test_cli_json_of_many_findings(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    for part in range(3):  # 100 per file: the per-file limit of one rule's findings (past it, one summary)
        write(repo, f"tokens{part}.py", "".join(f'token_{i} = "{fake_github_token()}"\n' for i in range(100)))
    out = tmp_path / "report.json"
    result = run_cli("scan", str(repo), "--format", "json", "-o", str(out))
    assert result.code == 1, result
    document = json.loads(out.read_text())
    secrets = [f for f in document["findings"] if f["kind"] == "secret"]
    assert len(secrets) == 300 and len(document["groups"]) >= 300
    assert all(f["advice"] == secrets[0]["advice"] for f in secrets)
    assert "\\u0000" not in out.read_text()  # the splice marker never leaks


def _many_kinds(repo: Path) -> None:
    """Every verdict a pattern match can get, many times in one file: kept, demoted (checksum),
    rejected (low entropy, claimed from generic rules), skipped (key not credential-named), dropped
    (placeholders), plus one long minified line of password fields, a window each (100: judged in this
    process at the default thresholds, shared out at the lowered ones; each costs about 3 ms of CPU, 300 made
    it 1 CPU-s of each of the module's three scans)."""
    import random

    from conftest import ALNUM

    rng = random.Random(7)
    lines = []
    for i in range(280):  # over the split thresholds (1,000 windows, 1,000 matches) in one file
        good = fake_github_token()
        bad = good[:-1] + ("A" if good[-1] != "A" else "B")  # checksum mismatch: kept at low confidence
        lines += [f'token_{i} = "{good}"', f'other_{i} = "{bad}"', f"API_KEY_{i}={''.join(rng.choices(ALNUM, k=40))}",
                  f'password_hash_length_{i} = "{"".join(rng.choices(ALNUM, k=12))}"', f'db_password = "aaaaaaaa{i}"',
                  f'secret_{i} = "your_api_key_here"', f"password = 'pw{i}{rng.choice(ALNUM)}x!Q{i}'"]
    write(repo, "many.py", "\n".join(lines) + "\n")
    parts = [f'var a{i}={{b:{i}}};login({{user:"u{i}",password:"{"".join(rng.choices(ALNUM, k=14))}"}})'
             + ";x" * 1100 for i in range(100)]
    write(repo, "bundle.js", ";".join(parts))


@pytest.fixture(scope="module")
def judged_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Config, Report]:
    """The repository of ``_many_kinds`` and its report judged in one process: what every split must give
    (one scan for the module's tests, which run side by side on the workers or share it on one)."""
    from credsweep.content import confirm as rules
    from credsweep.scans.worktree import ScanOptions

    repo = make_repo(tmp_path_factory.mktemp("many") / "repo")
    _many_kinds(repo)
    config = Config(min_confidence="low", max_file_size=64 * 1024 * 1024, max_findings_per_rule=0)
    single = scan_worktree(repo, config, ScanOptions(workers=1))
    rules._WINDOW_CACHE.clear()
    assert len([f for f in single.findings if f.kind == "secret"]) > 1500
    assert {"checksum-mismatch"} <= {r for f in single.findings for r in f.reasons}
    return repo, config, single


def test_one_file_judged_in_several_processes_gives_the_same_report(judged_once: tuple[Path, Config, Report]) -> None:
    from credsweep.content import confirm as rules
    from credsweep.scans.worktree import ScanOptions

    repo, config, single = judged_once
    rules._WINDOW_CACHE.clear()
    split = scan_worktree(repo, config, ScanOptions(workers=3))
    assert split.findings == single.findings
    assert [f.secret for f in split.findings] == [f.secret for f in single.findings]
    assert render(replace(split, stats=single.stats)) == render(single)


def test_every_share_of_one_file_judged_in_other_processes_gives_the_same_report(
        judged_once: tuple[Path, Config, Report], monkeypatch: pytest.MonkeyPatch) -> None:
    from credsweep.content import confirm as rules
    from credsweep.content import matcher as content
    from credsweep.executors import split as split_module
    from credsweep.scans.worktree import ScanOptions

    repo, config, single = judged_once
    # thresholds lowered: every file's windows, pattern matches and judgements are shared out
    monkeypatch.setattr(rules, "SPLIT_MIN", 2)
    monkeypatch.setattr(content, "SPLIT_MIN_MATCHES", 2)
    monkeypatch.setattr(split_module, "MIN_SHARE", 1)
    rules._WINDOW_CACHE.clear()
    assert scan_worktree(repo, config, ScanOptions(workers=2)).findings == single.findings


def _square_unless_child(value: int, parent: int, _data: bytes) -> int:
    import os

    if os.getpid() != parent and value == 1500:
        os._exit(3)  # a worker dying mid-share: its share is judged again in the parent
    return value * value


def test_split_map_keeps_order_caps_forks_and_redoes_a_failed_share() -> None:
    import os

    from credsweep.executors.split import split_map

    parent = os.getpid()
    pairs = [(i, parent) for i in range(2000)]
    assert split_map(_square_unless_child, pairs, b"", 8) == [i * i for i in range(2000)]  # 4 shares of 500
    assert split_map(_square_unless_child, pairs[:600], b"", 8) == [i * i for i in range(600)]  # one process
