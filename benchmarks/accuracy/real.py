"""Score credsweep on labelled corpora we did not write (line level, see benchmarks/RESULTS.md).

    python benchmarks/accuracy/real.py leaky CLONE_OF_Plazmaz/leaky-repo
    python benchmarks/accuracy/real.py whispers CLONE_OF_Skyscanner/whispers

leaky: `.leaky-meta/secrets.csv` counts "risk" lines per file; found = distinct finding lines per
file, capped at that count. whispers: `tests/unit/test_secrets.py` counts secrets per fixture, and
every secret value contains "hardcoded"; found = finding lines holding it, other lines = false positives.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def findings(target: Path) -> list[dict[str, object]]:
    out = subprocess.run([sys.executable, "-m", "credsweep", "scan", str(target), "--format", "json", "--no-hygiene",
                          "--show-secrets"], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(SRC)},
                         check=False).stdout
    return json.loads(out)["findings"]


def leaky(repo: Path) -> None:
    lines: dict[str, set[int]] = defaultdict(set)
    for f in findings(repo):
        lines[str(f["path"])].add(int(f["line"]))  # type: ignore[arg-type]
    expected = {}
    for row in (repo / ".leaky-meta" / "secrets.csv").read_text().splitlines():
        if row.strip() and not row.startswith("#"):
            name, risk, _ = row.strip().split(",")
            expected[name] = int(risk)
    hit = sum(min(len(lines.get(n, ())), e) for n, e in expected.items())
    extra = sum(max(0, len(lines.get(n, ())) - e) for n, e in expected.items())
    print(f"leaky-repo: {hit} of {sum(expected.values())} risk lines, {extra} extra lines")


def whispers(repo: Path) -> None:
    text = (repo / "tests/unit/test_secrets.py").read_text()
    block = text[text.index('("custom.yml", 0)'):text.index("def test_detection_by_value")]
    expected = dict(ast.literal_eval("[" + block.rsplit("]", 1)[0] + "]"))
    fixtures = repo / "tests" / "fixtures"
    by_file: dict[str, list[dict[str, object]]] = defaultdict(list)
    for f in findings(fixtures):
        by_file[str(f["path"]).removeprefix("tests/fixtures/")].append(f)
    found = false_pos = 0
    for name, count in expected.items():
        content = (fixtures / name).read_text(errors="replace").split("\n")
        got = {int(f["line"]) for f in by_file.get(name, [])}  # type: ignore[arg-type]
        good = {n for n in got if "hardcoded" in content[n - 1].lower()}
        found += min(len(good), count)
        false_pos += len(got - good)
    print(f"whispers fixtures: {found} of {sum(expected.values())} secrets, {false_pos} other lines")


if __name__ == "__main__":
    {"leaky": leaky, "whispers": whispers}[sys.argv[1]](Path(sys.argv[2]))
