"""Finding 6: cost that grew faster than the input. The history text reporter compared lists inside a loop
(8.9k secrets: 16 s in text against 4.6 s in JSON; 194k still running at 150 s); a 500 KB one-line JSON
of password fields took 21 s and a 4.9 MB one ran past 120 s; memory grew with findings (six 1.5 MB YAML
blobs: 194k findings, 5.6 GB); ``fleet`` had no time limit per repository.

Now the reporters are linear (speed is measured in ``benchmarks/report_cost.py``; here, the algorithm),
one content's matches of a rule are judged up to a budget and reported up to a per-file cap (then one
summary finding with the count), the line context of a match is searched within its bounds, and
``fleet scan --repo-timeout`` fails a repository that runs past it."""

from __future__ import annotations

import random
import string
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import commit_all, fake_github_token, make_repo, write
from credsweep.config import Config
from credsweep.enrich import advice as advice_module
from credsweep.models import Advice, Finding, Location, Provenance, Report, ScanStats
from credsweep.pipeline import build_pipeline
from credsweep.reporters.text import render
from hostile.common import run


def _history_report(count: int) -> Report:
    findings = []
    for i in range(count):
        urgency = "low" if i % 2 else "high"
        findings.append(Finding(
            kind="secret", rule="generic.password", provider="generic", name="Password", severity="high",
            confidence="high", path=f"src/f{i}.py", line=1, column=1, fingerprint=f"fp{i}",
            redacted="********(12 chars)", advice=Advice(summary="Rotate it.", urgency=urgency), source="history",
            commit="a" * 40, secret_id=f"id{i}",
            provenance=Provenance(commit="a" * 40, in_head=True, pushed=False, author="A", date="2026-01-01",
                                  message="m", path=f"src/f{i}.py")))
    return Report(command="history", root=".", findings=tuple(findings), stats=ScanStats())


def test_the_history_text_reporter_never_compares_entries_pairwise(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = [0]
    original = advice_module.Entry.__eq__

    def counting(self: object, other: object) -> bool:
        compared[0] += 1
        return original(self, other)  # type: ignore[arg-type]

    monkeypatch.setattr(advice_module.Entry, "__eq__", counting)
    report = _history_report(600)
    text = render(report)
    assert "Low urgency: 300 secrets" in text
    assert compared[0] < len(report.findings)  # was one comparison per pair: ~90,000 here, billions at 194k


def test_past_the_per_file_cap_one_summary_finding_carries_the_count(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, "tokens.py", "".join(f'token_{i} = "{fake_github_token()}"\n' for i in range(250)))
    data = run("scan", str(repo), "--format", "json", "--no-hygiene").json()
    listed = [f for f in data["findings"] if f["rule"] == "github.pat.classic"]
    summaries = [f for f in listed if "many-matches" in f["reasons"]]
    assert len(listed) == 101 and len(summaries) == 1, [f["name"] for f in listed][-3:]
    assert "150 more matches in this file" in summaries[0]["name"] and summaries[0]["line"] == 101
    assert summaries[0]["secret_id"] is None and summaries[0]["redacted"] == ""
    unlimited = tmp_path / "all.toml"
    unlimited.write_text("max_findings_per_rule = 0\n")
    data = run("scan", str(repo), "--format", "json", "--no-hygiene", "--config", str(unlimited)).json()
    assert len([f for f in data["findings"] if f["rule"] == "github.pat.classic"]) == 250


def test_past_the_match_budget_the_rest_is_counted_not_judged() -> None:
    config = Config(match_budget=40, max_findings_per_rule=0)
    pipeline = build_pipeline(config, salt=b"test")
    judged = [0]
    keep = pipeline.matcher._keep_judged

    def counting(*args: object) -> object:
        judged[0] += 1
        return keep(*args)  # type: ignore[arg-type]

    pipeline.matcher._keep_judged = counting  # type: ignore[method-assign]
    data = "".join(f'token_{i} = "{fake_github_token()}"\n' for i in range(130)).encode()
    findings = pipeline.findings(pipeline.content(data), Location("tokens.py"))
    assert judged[0] == 40
    github = [f for f in findings if f.rule == "github.pat.classic"]
    assert len(github) == 41 and "90 more matches" in github[-1].name


class _Recording(bytes):
    """Content that records how far each line search reaches (in ``reach``, set on the instance)."""

    reach: list[int]

    def rfind(self, sub, start=None, end=None):  # type: ignore[no-untyped-def,override]
        self.reach.append((end if end is not None else len(self)) - (start or 0))
        return super().rfind(sub, start, end)

    def find(self, sub, start=None, end=None):  # type: ignore[no-untyped-def,override]
        self.reach.append((end if end is not None else len(self)) - (start or 0))
        return super().find(sub, start, end)


def test_a_matchs_line_context_is_searched_within_its_bounds() -> None:
    from credsweep.content.context import LINE_CONTEXT, context_from_bytes

    line = b'{"a": "x", ' * 100_000 + b'"password": "Xk9mP2vL8qR4wzTb"' + b', "b": "y"' * 100_000  # one 2 MB line
    start = line.index(b"Xk9m")
    content = _Recording(line)
    content.reach = []
    context_from_bytes(content, start, start + 16, "Xk9mP2vL8qR4wzTb", rule_id="generic.password",
                       provider="generic", rule_kind="password")
    assert content.reach and max(content.reach) <= LINE_CONTEXT  # was the whole line, for every match


def test_history_findings_stay_bounded_whatever_a_blob_holds(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    rng = random.Random(3)
    for blob in range(2):  # each past the per-file cap (100) and the match budget per rule and content (1,000)
        lines = [f"  service_{blob}_{i}_password: {''.join(rng.choices(string.ascii_letters + string.digits, k=14))}"
                 for i in range(Config().match_budget + 100)]
        write(repo, f"deploy/values{blob}.yaml", "services:\n" + "\n".join(lines) + "\n")
    commit_all(repo)
    data = run("history", str(repo), "--format", "json", "--no-hygiene").json()
    per_file: dict[tuple[str, str], int] = {}
    for finding in data["findings"]:
        key = (finding["path"], finding["rule"])
        per_file[key] = per_file.get(key, 0) + 1
    assert per_file and max(per_file.values()) <= 101, per_file  # 100 listed + one summary with the count
    assert any("more match" in f["name"] for f in data["findings"])


def test_fleet_fails_a_repository_past_its_deadline_and_goes_on(tmp_path: Path) -> None:
    slow = make_repo(tmp_path / "slow")
    write(slow, "a.py", f'TOKEN = "{fake_github_token()}"\n')
    commit_all(slow)
    store = f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    # the test hook holds each finished scan (under the deadline) for 60 s: a repository that takes too long
    result = run("fleet", "scan", str(slow), "--store", store, "--repo-timeout", "1", "--format", "json",
                 env={"CREDSWEEP_TEST_DELAY_BEFORE_WRITE": "60"}, process=True)  # its own process: the held scan ends with it
    assert result.code == 4, result
    (outcome,) = result.json()["repositories"]
    assert outcome["status"] == "failed" and "timed out after 1 s" in outcome["reason"]
    again = run("fleet", "scan", str(slow), "--store", store, "--format", "json")  # retried on the next run
    assert again.code == 1 and again.json()["repositories"][0]["status"] == "scanned", again


def test_summary_findings_are_their_own_group() -> None:
    from credsweep.enrich.advice import group_findings

    report = _history_report(3)
    summary = replace(report.findings[0], secret_id=None, fingerprint="summary", name="x: 9 more matches")
    assert len(group_findings([*report.findings, summary])) == 4
