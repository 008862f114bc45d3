"""A small run of the accuracy benchmark: precision and recall floors, so regressions fail CI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks" / "accuracy"))
import score


def test_accuracy_floors(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks/accuracy/generate.py"), "--out", str(corpus),
                    "--rounds", "15", "--seed", "7"], check=True, capture_output=True)
    labels = json.loads((corpus / "labels.json").read_text())
    result = score.score(score.run_credsweep(corpus), labels)
    precision, recall, _ = result["overall"]
    assert len(labels) > 300
    assert precision >= 0.95, result["fp"][:20]
    assert recall >= 0.97, result["fn"][:20]
