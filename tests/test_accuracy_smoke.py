"""The accuracy benchmark's gate: precision and recall floors, so regressions fail CI.

The gate itself runs in CI as a step of its own (.ci/run: 9,000 generated files scanned, a benchmark rather
than a unit test); these tests check that it runs there and that it fails when a floor is not met."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, fake_github_token

sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
import score

GATE = ("score.py \"$accuracy/corpus\" --peers \"$accuracy/no-peers\" --min-precision 0.95 --min-recall 0.97 "
        "--min-labels 300")


def test_ci_runs_the_accuracy_gate_before_the_tests() -> None:
    steps = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    generate = next(i for i, step in enumerate(steps) if "benchmarks/accuracy/generate.py" in step)
    gate = next(i for i, step in enumerate(steps) if step.endswith(GATE))
    assert "--rounds 15 --seed 7" in steps[generate] and generate < gate
    assert gate < steps.index(".venv/bin/python -m pytest -n 2")
    assert "set -euo pipefail" in steps  # a failing step fails CI


def _corpus(tmp_path: Path) -> tuple[Path, list[dict[str, object]]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "deploy.env").write_text(f"LOG_LEVEL=info\nGITHUB_TOKEN={fake_github_token()}\n")
    (corpus / "notes.md").write_text("# notes\nnothing secret here\n")
    labels: list[dict[str, object]] = [{"path": "deploy.env", "line": 2, "family": "github.pat"}]
    return corpus, labels


def _gate(corpus: Path, labels: list[dict[str, object]], *floors: str) -> subprocess.CompletedProcess[str]:
    (corpus / "labels.json").write_text(json.dumps(labels))
    return subprocess.run([sys.executable, str(ROOT / "benchmarks/accuracy/score.py"), str(corpus), "--peers",
                           str(corpus.parent / "no-peers"), *floors], capture_output=True, text=True, check=False)


def test_the_gate_passes_at_its_floors_and_fails_below_them(tmp_path: Path) -> None:
    corpus, labels = _corpus(tmp_path)
    passed = _gate(corpus, labels, "--min-precision", "0.95", "--min-recall", "0.97", "--min-labels", "1")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "| credsweep | 1.000 | 1.000 |" in passed.stdout and "FAIL" not in passed.stdout
    # the token's line unlabelled and a line without one labelled: precision and recall 0 fail, naming the
    # lines; a corpus smaller than the gated one fails too
    wrong = _gate(corpus, [{"path": "notes.md", "line": 2, "family": "generic.password"}],
                  "--min-precision", "0.95", "--min-recall", "0.97", "--min-labels", "300")
    assert wrong.returncode == 1
    assert "FAIL precision 0.000 < 0.95: false positives [('deploy.env', 2)]" in wrong.stdout
    assert "FAIL recall 0.000 < 0.97: false negatives [('notes.md', 2)]" in wrong.stdout
    assert "FAIL 1 labelled credentials, fewer than 300" in wrong.stdout


def test_gate_reads_the_score() -> None:
    labels = [{"path": f"f{i}.env", "line": 1, "family": "github.pat"} for i in range(40)]
    hits = {(f"f{i}.env", 1) for i in range(39)} | {("other.env", 3)}
    result = score.score(hits, labels)
    assert result["counts"] == (39, 1, 1)
    assert score.gate(result, len(labels), 0.95, 0.97, 40) == []
    failures = score.gate(result, len(labels), 0.99, 0.99, 41)
    assert [failure.split()[0] for failure in failures] == ["40", "precision", "recall"]
