"""Each rule's matching cost on a fixed sample of history blobs, sorted: a costly rule is visible before it lands.

    python benchmarks/rule_cost.py /work/.mirror/curl+curl/repo [more repos] [--blobs 6000] [--top 30]
    python benchmarks/rule_cost.py REPO --rules rulesets/new-provider.toml     # only that file's rules

For every rule, on the same sample (``content_sample.sample``: random blobs under 5 MB, ``--seed``):

- **hyperscan alone**: CPU seconds of a Hyperscan database holding that rule alone (the expression
  and flags of the engine's one-pass database) over the whole sample, above a database of one cheap
  literal. A rule that starts with a literal costs about nothing here; a rule whose expression starts
  with a character class (no literal for Hyperscan to skip to) or a common one-character literal
  stands out, and costs as much or more in the shared database.
- **hyperscan marginal**: for the ``--marginal`` rules costliest alone, what removing the rule from
  the shared database saves (the number that matters; one full compile each, hence only the top ones).
- **candidate blobs**: sample blobs where its prefilter fires (each is handed to Python);
- **python**: CPU seconds of confirming it (``match_rule``: its regex over the windows the prefilter
  chose) and judging its matches in context, on those blobs;
- **matches**: confirmed matches (before judgement).

Also the decoding gates alone and the database of every rule together, so the per-rule numbers can be
read against the whole. Process CPU time (``time.process_time``), best of ``--repeat`` passes: a loaded
machine disturbs it less than wall time, but a rule costing less than a few per cent of the whole is
within the noise. ``--json`` writes every row.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from content_sample import sample


def best_of(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


class Costs:
    """Hyperscan databases over one in-memory sample."""

    def __init__(self, data: list[bytes], repeat: int) -> None:
        import hyperscan

        self.hs = hyperscan
        self.data = data
        self.repeat = repeat
        self.prefilter = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_ALLOWEMPTY

    def flags(self, rule: Any) -> int:
        """The flags ``HyperscanEngine`` gives the rule."""
        return self.prefilter if rule.scope == "line" else self.prefilter | self.hs.HS_FLAG_SINGLEMATCH

    def database(self, expressions: list[bytes], flags: list[int]) -> Any:
        db = self.hs.Database()
        db.compile(expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions), flags=flags)
        return db

    def shared(self, rules: Sequence[Any], without: str | None = None) -> Any:
        """The engine's database (every rule and the gates), optionally without one rule."""
        from credsweep.content.engine import ENCODED_GATES, prefilter_expression

        kept = [r for r in rules if r.id != without]
        return self.database([prefilter_expression(r.prefilter or r.pattern) for r in kept] + list(ENCODED_GATES),
                             [self.flags(r) for r in kept] + [self.hs.HS_FLAG_SINGLEMATCH] * len(ENCODED_GATES))

    def scan_cost(self, db: Any) -> float:
        """Best CPU seconds of scanning the whole sample with ``db``."""
        def scan() -> None:
            for blob in self.data:
                db.scan(blob)
        return best_of(self.repeat, scan)

    def hits(self, db: Any) -> list[tuple[bytes, list[int]]]:
        """(blob, end offsets) of the blobs where ``db`` (one rule) reports a match."""
        out: list[tuple[bytes, list[int]]] = []
        for blob in self.data:
            found: list[int] = []
            db.scan(blob, match_event_handler=_collector(found))
            if found:
                out.append((blob, found))
        return out


def _collector(found: list[int]) -> Callable[..., None]:
    def on_match(_id: int, _start: int, end: int, _flags: int, _context: object) -> None:
        found.append(end)
    return on_match


def python_cost(rule: Any, hits: list[tuple[bytes, list[int]]], matcher: Any, repeat: int) -> tuple[float, int]:
    """Best CPU seconds of confirming ``rule`` on its candidate blobs and judging its matches; the matches."""
    from credsweep.content.confirm import match_rule

    matches = 0

    def confirm() -> None:
        nonlocal matches
        matches = 0
        for blob, ends in hits:
            lowered = blob.lower() if rule.scope == "line" else None
            confirmed = list(match_rule(rule, blob, [], lowered, ends if rule.scope == "line" else ends[:1]))
            matches += len(confirmed)
            for match in confirmed:
                matcher._keep_judged(rule, match, blob)

    return best_of(repeat, confirm), matches


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--blobs", type=int, default=6000, help="sample blobs per repository")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--marginal", type=int, default=8, help="rules (costliest alone) whose marginal cost is measured")
    parser.add_argument("--rules", nargs="*", type=Path, default=(), help="only the rules of these ruleset files")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from credsweep.config import Config
    from credsweep.content.engine import ENCODED_GATES
    from credsweep.content.matcher import ContentMatcher
    from credsweep.identity import report_salt
    from credsweep.rules.loader import load_rulesets

    data: list[bytes] = []
    for repo in args.repos:
        data.extend(sample(repo, args.blobs, args.seed))
    total = sum(map(len, data))
    print(f"sample: {len(data)} blobs, {total / 1e6:.0f} MB from {', '.join(r.as_posix() for r in args.repos)}",
          flush=True)
    ruleset = load_rulesets()
    matcher = ContentMatcher(Config(min_confidence="low"), ruleset, "hyperscan", salt=report_salt())
    wanted = {p.resolve() for p in args.rules}
    rules = [r for r in ruleset.rules if not wanted or r.source.resolve() in wanted]
    costs = Costs(data, args.repeat)
    hs = costs.hs

    started = time.process_time()
    everything = costs.shared(ruleset.rules)
    compile_all = time.process_time() - started
    whole = costs.scan_cost(everything)
    floor = costs.scan_cost(costs.database([b"zqxjzqxj"], [hs.HS_FLAG_SINGLEMATCH]))  # one cheap literal rule
    gate_cost = costs.scan_cost(costs.database(list(ENCODED_GATES), [hs.HS_FLAG_SINGLEMATCH] * len(ENCODED_GATES)))
    print(f"hyperscan, all {len(ruleset.rules)} rules + gates: {whole:.3f} CPU-s (compile {compile_all:.1f} s); "
          f"decoding gates alone {gate_cost:.3f}; a one-literal database {floor:.3f}", flush=True)

    from credsweep.content.engine import prefilter_expression

    rows: list[dict[str, Any]] = []
    for number, rule in enumerate(rules, 1):
        db = costs.database([prefilter_expression(rule.prefilter or rule.pattern)], [costs.flags(rule)])
        alone = costs.scan_cost(db) - floor
        hits = costs.hits(db)
        python, matches = python_cost(rule, hits, matcher, args.repeat)
        rows.append({"rule": rule.id, "file": rule.source.name, "hyperscan": max(0.0, alone), "marginal": None,
                     "python": python, "candidate_blobs": len(hits), "matches": matches})
        if number % 100 == 0:
            print(f"  {number}/{len(rules)} rules", file=sys.stderr, flush=True)
    for row in sorted(rows, key=lambda r: -r["hyperscan"])[: args.marginal]:
        row["marginal"] = whole - costs.scan_cost(costs.shared(ruleset.rules, without=row["rule"]))
    rows.sort(key=lambda r: -(max(r["hyperscan"], r["marginal"] or 0.0) + r["python"]))

    print(f"\nsum over {len(rows)} rules alone: hyperscan {sum(r['hyperscan'] for r in rows):.3f} CPU-s (above a "
          f"one-literal database), python {sum(r['python'] for r in rows):.3f} CPU-s\n")
    print("| rule | file | hyperscan alone (CPU-s) | hyperscan marginal (CPU-s) | python (CPU-s) | candidate blobs "
          "| matches |")
    print("|---|---|---|---|---|---|---|")
    for row in rows[: args.top]:
        marginal = "-" if row["marginal"] is None else f"{row['marginal']:.3f}"
        print(f"| {row['rule']} | {row['file']} | {row['hyperscan']:.3f} | {marginal} | {row['python']:.3f} | "
              f"{row['candidate_blobs']} | {row['matches']} |")
    if args.json:
        args.json.write_text(json.dumps({"sample_blobs": len(data), "sample_bytes": total, "all_rules": whole,
                                         "gates": gate_cost, "one_literal": floor, "rules": rows}, indent=1))


if __name__ == "__main__":
    main()
