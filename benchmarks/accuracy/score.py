"""Score credsweep (and installed peers) on a labelled corpus from generate.py.

    python benchmarks/accuracy/generate.py --out /tmp/acc
    python benchmarks/accuracy/score.py /tmp/acc [--peers /tmp/peers] [--details]
    python benchmarks/accuracy/score.py /tmp/acc --peers none --min-precision 0.95 --min-recall 0.97  # CI gate

A finding matches a label when it is on one of the labelled lines of the labelled file (a label
spans a multi-line credential; several findings on one label count once). Prints precision, recall and F1 overall, per file type
and per label family for credsweep, overall for each peer found under --peers, and recall per context
(labels with a ``context``: every rule's secrets re-written bare, as KEY=value, JSON, YAML, code, URL, header)
for every tool.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

Hits = set[tuple[str, int]]


def run_credsweep(corpus: Path) -> Hits:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    out = subprocess.run([sys.executable, "-m", "credsweep", "scan", str(corpus), "--format", "json", "--no-hygiene"],
                         capture_output=True, text=True, env=env, check=False).stdout
    return {(f["path"], f["line"]) for f in json.loads(out)["findings"] if f["line"]}


def _rel(corpus: Path, path: str) -> str:
    p = Path(path)
    return str(p.relative_to(corpus) if p.is_absolute() else p).removeprefix("./")


def run_gitleaks(binary: Path, corpus: Path) -> Hits:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run([str(binary), "dir", str(corpus), "--report-format", "json", "--report-path", report.name,
                        "--no-banner", "--exit-code", "0"], capture_output=True, check=False, cwd=corpus)
        data = json.loads(Path(report.name).read_text() or "[]")
    return {(_rel(corpus, f["File"]), f["StartLine"]) for f in data}


def run_betterleaks(binary: Path, corpus: Path) -> Hits:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(binary), str(corpus), "-o", str(report), "--exit-code", "0"], capture_output=True,
                       check=False)
        data = json.loads(report.read_text() or "{}") if report.exists() else {}
    return {(_rel(corpus, f["location"]["path"]), f["location"]["start_line"]) for f in data.get("findings", [])}


def run_kingfisher(binary: Path, corpus: Path) -> Hits:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(binary), "scan", str(corpus), "--no-validate", "--no-dedup", "-f", "json", "-o", str(report)],
                       capture_output=True, check=False)
        data = json.loads(report.read_text() or "{}") if report.exists() else {}
    return {(_rel(corpus, f["finding"]["path"]), int(f["finding"]["line"])) for f in data.get("findings", [])}


def run_detect_secrets(binary: Path, corpus: Path) -> Hits:
    out = subprocess.run([str(binary), "scan", "--all-files", "."], capture_output=True, text=True, cwd=corpus,
                         check=False).stdout
    results = json.loads(out or "{}").get("results", {})
    return {(path, item["line_number"]) for path, items in results.items() for item in items}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(hits: Hits, labels: list[dict]) -> dict[str, object]:
    truth = {(label["path"], label["line"]): label for label in labels}
    # a finding anywhere inside a multi-line labelled credential counts for that label
    inside = {(label["path"], n): (label["path"], label["line"]) for label in labels
              for n in range(label["line"], label.get("end_line", label["line"]) + 1)}
    hits = {inside.get(h, h) for h in hits}
    tp = len(hits & truth.keys())
    fp_set, fn_set = hits - truth.keys(), truth.keys() - hits
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_family: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key in truth:
        ext = Path(key[0]).suffix or Path(key[0]).name
        family = str(truth[key]["family"]).split(".")[0] if "." in str(truth[key]["family"]) and not str(truth[key]["family"]).startswith("generic") else str(truth[key]["family"])
        slot = 0 if key in hits else 2
        by_type[ext][slot] += 1
        by_family[family][slot] += 1
    for key in fp_set:
        by_type[Path(key[0]).suffix or Path(key[0]).name][1] += 1
    by_context: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_format: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, label in truth.items():
        if "context" in label:
            by_context[str(label["context"])][0 if key in hits else 1] += 1
        if "format" in label:
            by_format[str(label["format"])][0 if key in hits else 1] += 1
    return {"overall": prf(tp, len(fp_set), len(fn_set)), "counts": (tp, len(fp_set), len(fn_set)),
            "by_context": {k: (found, found + missed) for k, (found, missed) in by_context.items()},
            "by_format": {k: (found, found + missed) for k, (found, missed) in by_format.items()},
            "by_type": {k: prf(*v) for k, v in by_type.items()}, "by_family": {k: prf(*v) for k, v in by_family.items()},
            "fp": sorted(fp_set), "fn": sorted(fn_set)}


def gate(result: dict[str, object], labels: int, min_precision: float, min_recall: float,
         min_labels: int) -> list[str]:
    """Why credsweep's ``score`` result fails the floors (CI's accuracy gate, .ci/run), one line each
    naming up to 20 of the lines concerned (corpus paths and line numbers: the corpus is synthetic); empty
    when it passes."""
    precision, recall, _ = result["overall"]  # type: ignore[misc]
    failures = []
    if labels < min_labels:
        failures.append(f"{labels} labelled credentials, fewer than {min_labels}: the corpus is not the one gated")
    if precision < min_precision:
        failures.append(f"precision {precision:.3f} < {min_precision}: false positives {result['fp'][:20]}")  # type: ignore[index]
    if recall < min_recall:
        failures.append(f"recall {recall:.3f} < {min_recall}: false negatives {result['fn'][:20]}")  # type: ignore[index]
    return failures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--peers", type=Path, default=Path("/tmp/peers"))
    parser.add_argument("--details", action="store_true", help="list false positives and negatives")
    parser.add_argument("--min-precision", type=float, help="exit 1 when credsweep's precision is below it")
    parser.add_argument("--min-recall", type=float, help="exit 1 when credsweep's recall is below it")
    parser.add_argument("--min-labels", type=int, default=0, help="with the floors: the corpus's least size")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    labels = json.loads((corpus / "labels.json").read_text())
    tools = {"credsweep": lambda: run_credsweep(corpus)}
    peers = {"gitleaks": run_gitleaks, "betterleaks": run_betterleaks, "kingfisher": run_kingfisher}
    for name, runner in peers.items():
        binary = args.peers / "bin" / name
        if binary.exists():
            tools[name] = lambda runner=runner, binary=binary: runner(binary, corpus)
    ds = args.peers / "venv" / "bin" / "detect-secrets"
    if ds.exists():
        tools["detect-secrets"] = lambda: run_detect_secrets(ds, corpus)
    print(f"corpus: {corpus} ({len(labels)} labelled credentials)\n")
    print("| tool | precision | recall | F1 | TP | FP | FN |\n|---|---|---|---|---|---|---|")
    results = {}
    for name, run in tools.items():
        result = score(run(), labels)
        results[name] = result
        p, r, f = result["overall"]
        tp, fp, fn = result["counts"]
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {tp} | {fp} | {fn} |")
    contexts = sorted({c for result in results.values() for c in result["by_context"]},
                      key=lambda c: ("bare", "env", "json", "yaml", "python", "url", "header").index(c)
                      if c in ("bare", "env", "json", "yaml", "python", "url", "header") else 99)
    if contexts:
        print("\nrecall per context (every rule's secrets re-written; labels with `context`):\n")
        print("| context | n | " + " | ".join(results) + " |\n|---|---|" + "---|" * len(results))
        for context in contexts:
            n = results["credsweep"]["by_context"].get(context, (0, 0))[1]
            cells = []
            for result in results.values():
                found, total = result["by_context"].get(context, (0, 0))
                cells.append(f"{found / total:.3f}" if total else "-")
            print(f"| {context} | {n} | " + " | ".join(cells) + " |")
    formats = sorted({f for result in results.values() for f in result["by_format"]})
    if formats:
        print("\nrecall per format (how the rule recognises the secret; the same context labels):\n")
        print("| format | n | " + " | ".join(results) + " |\n|---|---|" + "---|" * len(results))
        for shape in formats:
            n = results["credsweep"]["by_format"].get(shape, (0, 0))[1]
            cells = []
            for result in results.values():
                found, total = result["by_format"].get(shape, (0, 0))
                cells.append(f"{found / total:.3f}" if total else "-")
            print(f"| {shape} | {n} | " + " | ".join(cells) + " |")
    ours = results["credsweep"]
    print("\ncredsweep by file type:\n\n| type | precision | recall | F1 |\n|---|---|---|---|")
    for key, (p, r, f) in sorted(ours["by_type"].items()):
        print(f"| {key} | {p:.2f} | {r:.2f} | {f:.2f} |")
    print("\ncredsweep recall by label family (rule provider or generic family):\n\n| family | recall |\n|---|---|")
    for key, (_, r, _) in sorted(ours["by_family"].items()):
        print(f"| {key} | {r:.2f} |")
    if args.details:
        print("\nfalse positives:", *ours["fp"], sep="\n  ")
        print("\nfalse negatives:", *ours["fn"], sep="\n  ")
    if args.min_precision is not None or args.min_recall is not None:
        failures = gate(ours, len(labels), args.min_precision or 0.0, args.min_recall or 0.0, args.min_labels)
        for failure in failures:
            print(f"FAIL {failure}")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
