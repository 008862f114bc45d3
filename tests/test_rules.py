"""The rulesets: `rules check` passes, and both matching engines give identical results."""

from __future__ import annotations

import random

import pytest

from conftest import run_cli
from credsweep.config import Config
from credsweep.rules.loader import load_rulesets
from credsweep.models import Location
from credsweep.pipeline import Pipeline as Scanner

MIN_RULES = 60


def test_rules_check_passes() -> None:
    result = run_cli("rules", "check")
    assert result.code == 0, result.stdout[-4000:]


def test_enough_rules_and_providers() -> None:
    ruleset = load_rulesets()
    assert len(ruleset.rules) >= MIN_RULES
    assert {"aws", "github", "gitlab", "slack", "stripe", "openai", "anthropic", "npm", "pypi"} <= set(ruleset.providers)


def test_rules_list() -> None:
    result = run_cli("rules", "list")
    assert result.code == 0 and "github.pat.classic" in result.stdout


def _corpus() -> list[bytes]:
    ruleset = load_rulesets()
    texts = [e.encode() for r in ruleset.rules for e in (*r.examples, *r.negative_examples)]
    rng = random.Random(7)
    # Mixed documents: several examples glued together with noise, to exercise multi-rule content.
    for _ in range(50):
        chosen = rng.sample(texts, 6)
        texts.append(b"\n# noise line\n".join(chosen))
    return texts


@pytest.mark.parametrize("min_confidence", ["low", "medium"])
def test_hyperscan_and_keyword_engines_agree(min_confidence: str) -> None:
    pytest.importorskip("hyperscan")
    ruleset = load_rulesets()
    config = Config(min_confidence=min_confidence)
    fast = Scanner(config, ruleset, engine="hyperscan")
    slow = Scanner(config, ruleset, engine="keywords")
    assert fast.engine_name == "hyperscan" and slow.engine_name == "keywords"
    total = 0
    for text in _corpus():
        a = [(r.id, m.start, m.end, m.secret) for r, m in fast.judge.judge(fast.content(text), Location(''))]
        b = [(r.id, m.start, m.end, m.secret) for r, m in slow.judge.judge(slow.content(text), Location(''))]
        assert a == b
        total += len(a)
    assert total > 100  # the corpus really exercises the rules


def test_most_rules_compile_in_hyperscan() -> None:
    hyperscan = pytest.importorskip("hyperscan")
    assert hyperscan
    scanner = Scanner(Config(), load_rulesets(), engine="hyperscan")
    unsupported = scanner.matcher.engine.unsupported  # type: ignore[attr-defined]
    assert len(unsupported) <= len(scanner.matcher.rules) // 20, unsupported


def test_match_flood_falls_back_to_keywords_with_same_findings() -> None:
    pytest.importorskip("hyperscan")
    from credsweep.engine import MAX_MATCH_EVENTS

    from conftest import fake_github_token

    token = fake_github_token()
    flood = ("password = 'abcd1234'\n" * (MAX_MATCH_EVENTS + 10) + f"TOKEN = '{token}'\n").encode()
    config = Config()
    ruleset = load_rulesets()
    fast = Scanner(config, ruleset, engine="hyperscan")
    slow = Scanner(config, ruleset, engine="keywords")
    a = [(r.id, m.secret) for r, m in fast.judge.judge(fast.content(flood), Location(''))]
    assert a == [(r.id, m.secret) for r, m in slow.judge.judge(slow.content(flood), Location(''))]
    assert ("github.pat.classic", token) in a
