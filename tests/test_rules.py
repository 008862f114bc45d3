"""The rulesets: `rules check` passes, and both matching engines give identical results."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import run_cli
from credsweep.config import Config
from credsweep.models import Location
from credsweep.pipeline import Pipeline as Scanner
from credsweep.rules.loader import load_rulesets

MIN_RULES = 60


RULESET_FILES = sorted((Path(__file__).resolve().parents[1] / "rulesets").glob("[!_]*.toml"))
CHUNKS = 12


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_rules_check_passes(chunk: int) -> None:
    # `rules check FILE...` checks those files' rules against the whole ruleset: the rulesets in twelve
    # shares, so the test workers check them side by side
    files = RULESET_FILES[chunk::CHUNKS]
    result = run_cli("rules", "check", *map(str, files))
    assert result.code == 0, result.stdout[-4000:]


def test_rules_check_checks_every_rule_and_the_catalogue() -> None:
    from credsweep.hygiene.catalogue import check_catalogue, load_catalogue

    assert check_catalogue(load_catalogue()) == []
    assert sum(len(RULESET_FILES[c::CHUNKS]) for c in range(CHUNKS)) == len(RULESET_FILES)


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
    fast = Scanner(config, ruleset, engine="hyperscan", salt=b"test-salt")
    slow = Scanner(config, ruleset, engine="keywords", salt=b"test-salt")
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
    scanner = Scanner(Config(), load_rulesets(), engine="hyperscan", salt=b"test-salt")
    unsupported = scanner.matcher.engine.unsupported  # type: ignore[attr-defined]
    assert len(unsupported) <= len(scanner.matcher.rules) // 20, unsupported


def test_match_flood_falls_back_to_keywords_with_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Content that floods Hyperscan's callback past the event cap falls back to keyword prefiltering
    and finds exactly what the keyword engine finds. The cap is lowered so that a modest flood takes
    that path; benchmarks/hostile.py times full-size floods and shows they scale linearly."""
    pytest.importorskip("hyperscan")
    from conftest import ALNUM, fake_github_token, rand
    from credsweep.content import engine

    monkeypatch.setattr(engine, "MAX_MATCH_EVENTS", 200)
    token = fake_github_token()
    lines = [f"password = '{rand(ALNUM, 12) if i % 7 == 0 else 'abcd1234'}'" for i in range(600)]
    flood = ("\n".join(lines) + f"\nTOKEN = '{token}'\n").encode()
    ruleset = load_rulesets()
    fast = Scanner(Config(), ruleset, engine="hyperscan", salt=b"test-salt")
    slow = Scanner(Config(), ruleset, engine="keywords", salt=b"test-salt")
    a = [(r.id, m.start, m.end, m.secret) for r, m in fast.judge.judge(fast.content(flood), Location(""))]
    assert fast.matcher.engine.ends == {}  # the flood stopped Hyperscan's scan
    assert a == [(r.id, m.start, m.end, m.secret) for r, m in slow.judge.judge(slow.content(flood), Location(""))]
    assert ("github.pat.classic", token) in [(rule, secret) for rule, _, _, secret in a]
    assert sum(rule == "generic.password" for rule, *_ in a) >= 80


BACKTRACKING_RULESET = """
[provider]
id = "slowco"
name = "Slow Co"
console_url = "https://example.com/console"
docs_url = "https://example.com/docs"
[provider.playbook]
summary = "Rotate it."
revoke = ["Revoke it in the console."]

[[rules]]
id = "slowco.token"
name = "Slow Co token"
pattern = '''(?P<secret>slowco_[a-z]{0,20000}x)'''
keywords = ["slowco_"]
severity = "high"
confidence = "high"
reference = "https://example.com/docs/tokens"
examples = ["slowco_abcdefx", "slowco_qwertyx"]
negative_examples = ["slowco", "slow_co"]
"""


def test_rules_check_fails_a_backtracking_rule_by_name(tmp_path: Path) -> None:
    # every start inside a long run of a's scans to the run's end: quadratic in the run. The class of one
    # letter keeps the adversarial inputs to two runs of it (with [a-z], fourteen runs each took a second
    # at the full length); it still passes the short lengths and fails only at the full one, the
    # extrapolation that catches a quadratic rule on a fast machine.
    extra = tmp_path / "slowco.toml"
    extra.write_text(BACKTRACKING_RULESET.replace("slowco_[a-z]", "[a-a]"))
    result = run_cli("rules", "check", str(extra))
    assert result.code != 0
    assert "slowco.token: not linear-time" in result.stdout + result.stderr


def test_linear_check_fails_catastrophic_backtracking_without_waiting() -> None:
    from credsweep.rules.linear import slow_rules
    from credsweep.rules.loader import Rule

    exponential = Rule(id="x.nested", name="x", provider="x", pattern="(?P<secret>(?:a+)+b)", keywords=("a",),
                       severity="high", confidence="high", reference="https://example.com", examples=(),
                       negative_examples=())
    assert list(slow_rules([exponential], deadline=1.0)) == ["x.nested"]


def test_every_validator_a_rule_may_name_has_code() -> None:
    from credsweep.content.validators import VALIDATORS
    from credsweep.rules.loader import VALIDATOR_NAMES

    assert set(VALIDATORS) == VALIDATOR_NAMES


def test_a_ruleset_key_with_a_typo_is_an_error_naming_it(tmp_path: Path) -> None:
    # one schema checker for the configuration, rulesets and the catalogue: an unknown key is never ignored
    extra = tmp_path / "typo.toml"
    extra.write_text(BACKTRACKING_RULESET.replace('keywords = ["slowco_"]', 'keywords = ["slowco_"]\nkeyword = "x"'))
    result = run_cli("rules", "check", str(extra))
    assert result.code == 2, result
    assert "unknown key 'keyword'" in result.stderr and "typo.toml [[rules]] #1" in result.stderr
    assert "Traceback" not in result.stderr
