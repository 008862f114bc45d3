"""Score credsweep on labelled corpora we did not write (line level, see benchmarks/RESULTS.md).

    python benchmarks/accuracy/real.py leaky CLONE_OF_Plazmaz/leaky-repo [--peers /tmp/peers] [--secret-lines-only]
    python benchmarks/accuracy/real.py whispers CLONE_OF_Skyscanner/whispers

leaky: `.leaky-meta/secrets.csv` counts "risk" lines per file; found = distinct lines per file a finding
covers (its secret's line and its paired identifier's: a password's user name, a key id on the line above,
which the CSV counts as risk too; `--secret-lines-only` counts the secret's line alone), capped at that
count. Peers report every line they flag as a finding of its own. whispers: `tests/unit/test_secrets.py` counts secrets per fixture, and
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


def peer_lines(tool: str, peers: Path, target: Path) -> dict[str, set[int]]:
    """Finding lines per file of a peer on a working tree (gitleaks and betterleaks ``dir``, Kingfisher
    without history or validation); paths relative to ``target``."""
    out = Path(f"/tmp/credsweep-real-{tool}.json")
    out.unlink(missing_ok=True)
    cmd = {"gitleaks": [str(peers / "bin/gitleaks"), "dir", ".", "--report-format", "json", "--report-path", str(out),
                        "--exit-code", "0", "--no-banner"],
           "betterleaks": [str(peers / "bin/betterleaks"), ".", "-o", str(out), "--exit-code", "0", "--no-banner"],
           "kingfisher": [str(peers / "bin/kingfisher"), "scan", ".", "--no-validate", "--git-history", "none",
                          "-f", "json", "-o", str(out)]}[tool]
    subprocess.run(cmd, cwd=target, capture_output=True, check=False)
    data = json.loads(out.read_text() or "[]") if out.exists() else []
    if isinstance(data, dict):
        data = data.get("findings", [])
    lines: dict[str, set[int]] = defaultdict(set)
    for f in data:
        if tool == "gitleaks":
            path, line = f["File"], f["StartLine"]
        elif tool == "betterleaks":
            path, line = f["location"]["path"], f["location"]["start_line"]
        else:
            path, line = f["finding"]["path"], f["finding"]["line"]
        lines[str(path).removeprefix("./")].add(int(line))
    return lines


def leaky(repo: Path, peers: Path | None = None, secret_lines_only: bool = False) -> None:
    expected = {}
    for row in (repo / ".leaky-meta" / "secrets.csv").read_text().splitlines():
        if row.strip() and not row.startswith("#"):
            name, risk, _ = row.strip().split(",")
            expected[name] = int(risk)
    mine: dict[str, set[int]] = defaultdict(set)
    reported: dict[str, set[int]] = defaultdict(set)
    for f in findings(repo):
        # a finding covers its secret's line and its paired identifier's (a password's user name, an
        # AWS key id on the line above): the CSV counts both as risk lines, in some files
        reported[str(f["path"])].add(int(f["line"]))  # type: ignore[arg-type]
        mine[str(f["path"])].add(int(f["line"]))  # type: ignore[arg-type]
        if f.get("identifier_line") and not secret_lines_only:
            mine[str(f["path"])].add(int(f["identifier_line"]))  # type: ignore[arg-type]
    runs = [("credsweep", mine, reported)]
    if peers:
        for tool in ("gitleaks", "betterleaks", "kingfisher"):
            if (peers / "bin" / tool).exists():
                lines = peer_lines(tool, peers, repo)
                runs.append((tool, lines, lines))  # a peer reports each line it flags as a finding
    for name, lines, shown in runs:
        hit = sum(min(len(lines.get(n, ())), e) for n, e in expected.items())
        extra = sum(max(0, len(lines.get(n, ())) - e) for n, e in expected.items())
        # precision's proxy: findings (distinct reported lines) beyond a file's count; covered lines
        # beyond it are user names the CSV counts in some files and not in others
        beyond = sum(max(0, len(shown.get(n, ())) - e) for n, e in expected.items())
        label = "leaky-repo" if name == "credsweep" else f"leaky-repo ({name})"
        print(f"{label}: {hit} of {sum(expected.values())} risk lines, {extra} extra lines, "
              f"{beyond} findings beyond a file's count")


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
    if sys.argv[1] == "leaky":
        args = sys.argv[3:]
        leaky(Path(sys.argv[2]), Path(args[args.index("--peers") + 1]) if "--peers" in args else None,
              "--secret-lines-only" in args)
    else:
        whispers(Path(sys.argv[2]))
