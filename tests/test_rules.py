"""The rulesets: `rules check` passes, and both matching engines give identical results."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import ROOT, commit_all, rand, run_cli, write
from credsweep.config import Config
from credsweep.models import Location
from credsweep.pipeline import Pipeline as Scanner
from credsweep.rules.loader import load_rulesets

MIN_RULES = 60


RULESET_FILES = sorted((Path(__file__).resolve().parents[1] / "rulesets").glob("[!_]*.toml"))
SAMPLE = RULESET_FILES[::12]
"""One ruleset file in twelve (110 files, about 170 of the 2,000 rules; one in six was 140 rules of 880 when it
was chosen, and grew with the rules to 330), for the tests of the checker on built-in rules: the whole
built-in ruleset is checked once, with both engines, by `credsweep rules check --engines` in CI (.ci/run),
as ruff checks the code (data validation, not a unit test; 26 CPU-s)."""


def test_rules_check_passes_on_a_sample_with_both_engines() -> None:
    # `rules check FILE...` checks those files' rules against the whole ruleset, every text matched by
    # Hyperscan and by the keyword engine. One file in 48 (about 45 rules, 2 CPU-s): every built-in rule is
    # checked so by the CI step `credsweep rules check --engines` (see the next test); this tests the command
    pytest.importorskip("hyperscan")
    result = run_cli("rules", "check", "--engines", *map(str, SAMPLE[::4]))
    assert result.code == 0, result.stdout[-4000:]
    assert result.stdout.endswith("problems; the Hyperscan and keyword engines compared\n"), result.stdout[-400:]


def test_ci_checks_every_rule_with_both_engines_and_the_catalogue() -> None:
    from credsweep.hygiene.catalogue import check_catalogue, load_catalogue

    assert check_catalogue(load_catalogue()) == []
    # the whole built-in ruleset's check is a CI step of its own, before the tests, and fails CI
    steps = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert ".venv/bin/credsweep rules check --engines" in steps
    assert steps.index(".venv/bin/credsweep rules check --engines") < steps.index(".venv/bin/python -m pytest -n 2")
    assert "set -euo pipefail" in steps


def test_enough_rules_and_providers() -> None:
    ruleset = load_rulesets()
    assert len(ruleset.rules) >= MIN_RULES
    assert {"aws", "github", "gitlab", "slack", "stripe", "openai", "anthropic", "npm", "pypi"} <= set(ruleset.providers)


def test_rules_list() -> None:
    result = run_cli("rules", "list")
    assert result.code == 0 and "github.pat.classic" in result.stdout


ACME_PROVIDER = """
[provider]
id = "acme"
name = "Acme Cloud"
console_url = "https://acme-cloud.example/console"
docs_url = "https://acme-cloud.example/docs"
[provider.playbook]
summary = "Rotate it."
revoke = ["Revoke it in the console."]
"""
"""A provider table the test rulesets below share."""

MISSED_BY_HYPERSCAN = ACME_PROVIDER + """
[[rules]]
id = "acme.token"
name = "Acme Cloud access token"
pattern = '''\\b(acmetok_[A-Za-z0-9]{32})\\b'''
PREFILTER
keywords = ["acmetok_"]
severity = "high"
confidence = "high"
reference = "https://acme-cloud.example/docs/tokens"
examples = ["ACME_TOKEN=acmetok_Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2Vb", "token: acmetok_Jf5Ge0Ua8Ri3OKd8VbN3qZ7rX2mLp9Tw"]
negative_examples = ["acmetok_", "acmetok_short"]

[[rules]]
id = "acme.key"
name = "Acme Cloud key"
pattern = '''\\b(acmekey_[a-f0-9]{32})\\b'''
keywords = ["acmekey_"]
severity = "high"
confidence = "high"
reference = "https://acme-cloud.example/docs/keys"
examples = ["ACME_KEY=acmekey_9c1f4e7a2b8d3f60a5e9c7b1d4f2a8e3", "key: acmekey_4b7e2d91fa6c3e85bd0f7a2c9e41bd6f"]
negative_examples = ["acmekey_", "acmekey_short"]
"""


@pytest.mark.parametrize("prefilter", ["", 'prefilter = "acmetok_zzz"'])
def test_rules_check_engines_names_a_rule_hyperscan_matches_differently(tmp_path: Path, prefilter: str) -> None:
    """A rule whose Hyperscan expression misses what its regex matches (here a prefilter that never matches;
    in life a Hyperscan bug past the content's first bytes) loses its secrets on the default engine only:
    `rules check --engines` names it. On a ruleset of its own (no built-in rules: a database of two rules
    compiles in milliseconds), through the command's own detection."""
    pytest.importorskip("hyperscan")
    from credsweep.commands.rules import check
    from credsweep.rules.check import MIXED_DOCUMENTS, PREAMBLES, engine_texts

    path = tmp_path / "acme.toml"
    path.write_text(MISSED_BY_HYPERSCAN.replace("PREFILTER", prefilter))
    ruleset = load_rulesets((path,), builtin=False)
    texts = engine_texts(ruleset.rules)
    assert len(texts) == 4 * len(PREAMBLES) + MIXED_DOCUMENTS  # two rules with two examples each
    problems = check(ruleset, linear=False, engines=True).problems
    disagree = [p for p in problems if "Hyperscan and the keyword engine report different matches" in p]
    if not prefilter:
        assert problems == ()
        return
    assert disagree and all(p.startswith("acme.token: ") for p in disagree), problems
    assert any(p.endswith("at no path") for p in disagree)  # the examples as written
    assert any(p.endswith("at .env") for p in disagree)  # a context's text, named by its path
    assert not [p for p in problems if "Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2Vb" in p or "Jf5Ge0Ua8Ri3OKd8VbN3qZ7rX2mLp9Tw" in p]
    # without the option, only the prefilter check sees it (the keyword engine finds every example)
    assert [p for p in check(ruleset, linear=False).problems if "report different matches" in p] == []


def test_engine_texts_write_examples_after_text_and_mix_them() -> None:
    from credsweep.rules.check import MIXED_DOCUMENTS, PREAMBLES, engine_texts

    sample = {path.resolve() for path in SAMPLE}
    rules = [rule for rule in load_rulesets().rules if rule.source.resolve() in sample]
    texts = engine_texts(rules)
    examples = [rule.split_example(text) for rule in rules for text in rule.examples]
    assert len(texts) == len(examples) * len(PREAMBLES) + MIXED_DOCUMENTS
    assert {(path, PREAMBLES[1] + example) for path, example in examples} <= {(p, t) for t, p in texts}
    mixed = [text for text, path in texts[-MIXED_DOCUMENTS:]]
    assert all(text.count("\n# noise line\n") == 5 for text in mixed)
    assert engine_texts(rules) == texts  # a fixed seed: a failure is reproducible


def test_keyword_engine_finds_every_rule_a_keyword_names_short_or_long_content() -> None:
    """The keyword engine's candidates are the rules one of whose keywords occurs in the content (lower-cased):
    looked up by three-byte prefix in short content, one keyword at a time in long content, alike."""
    from credsweep.content.engine import SHORT_CONTENT, KeywordEngine
    from credsweep.rules.loader import Rule

    def rule(name: str, *keywords: str) -> Rule:
        return Rule(id=f"x.{name}", name=name, provider="x", pattern="(?P<secret>x)", keywords=keywords,
                    severity="high", confidence="high", reference="https://example.com", examples=(),
                    negative_examples=())

    # overlapping keywords (one inside another, one a prefix of another), one of one byte, two sharing a prefix
    rules = [rule("token", "token"), rule("api-token", "api_token"), rule("api", "api"), rule("equals", "="),
             rule("ghp", "ghp_"), rule("ghs", "ghs_"), rule("stripe", "sk_live_", "rk_live_"), rule("none", "zzzq")]
    engine = KeywordEngine(rules)
    texts = [b"", b"=", b"api_token", b"my_api_tokens", b"GHP_ab ghs_", b"rk_live_x", b"apx tok en", b"ap", b"zzq"]
    for text in texts:
        for padding in (b"", b"." * SHORT_CONTENT):  # the same keywords in short and in long content
            content = padding + text + padding
            expected = [i for i, r in enumerate(rules) if any(k.encode() in content.lower() for k in r.keywords)]
            assert engine.candidates(content) == expected, (text, len(content))
    # and the built-in rules' 1,700 keywords on their own examples (short content)
    builtin = load_rulesets().rules
    every = KeywordEngine(builtin)
    keywords = [[k.encode() for k in r.keywords] for r in builtin]  # the reference's keywords encoded once
    for example in [example for r in builtin[::10] for example in r.examples]:
        content = f"config: {example}\n".encode()
        lowered = content.lower()
        expected = [i for i, words in enumerate(keywords) if any(k in lowered for k in words)]
        assert every.candidates(content) == expected, example
    assert engine.candidates(b"x = 'my_api_tokens'") == [0, 1, 2, 3]


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
    monkeypatch.setattr(engine, "EVENT_BYTES", 1 << 20)  # the cap stays 200 whatever the content's size
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


def test_rules_check_fails_a_backtracking_rule_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # every start inside a long run of a's scans to the run's end: quadratic in the run. One letter keeps
    # the adversarial inputs to two runs of it (with [a-z], fourteen runs each took a second at the full
    # length), and a literal letter is the cheapest repetition for Python's engine (1.4 s less than [a-a]).
    # This test is about `rules check` naming the rule: its growth is judged on runs half as long (3,125 to
    # 12,500 characters: 86 ms at the longest, over four times the noise floor; 1.3 CPU-s instead of 3.1).
    # The full ladder's judgement of a quadratic rule is test_growth_is_judged_on_timings_...'s, in process.
    from credsweep.rules import linear as linear_module

    run = linear_module.RUN // 2
    monkeypatch.setattr(linear_module, "SIZES", (run // 4, run // 2, run))  # the check's forked children inherit it
    extra = tmp_path / "slowco.toml"
    extra.write_text(BACKTRACKING_RULESET.replace("slowco_[a-z]", "a"))
    result = run_cli("rules", "check", str(extra))
    assert result.code != 0
    out = result.stdout + result.stderr
    assert "slowco.token: not linear-time" in out
    assert "grows as n^" in out and f"at {run // 4:,}, {run // 2:,}, {run:,}" in out, out  # judged by its growth


def test_linear_check_fails_catastrophic_backtracking_without_waiting() -> None:
    from credsweep.rules.linear import slow_rules
    from credsweep.rules.loader import Rule

    exponential = Rule(id="x.nested", name="x", provider="x", pattern="(?P<secret>(?:a+)+b)", keywords=("a",),
                       severity="high", confidence="high", reference="https://example.com", examples=(),
                       negative_examples=())
    assert list(slow_rules([exponential], deadline=1.0)) == ["x.nested"]


def test_linear_check_deadline_is_cpu_time_so_a_starved_check_still_passes() -> None:
    """A check that gets no CPU for longer than its deadline (a loaded machine, here a stopped process)
    fails no rule: the deadline counts the check's CPU seconds, not the wall clock."""
    import signal
    import threading
    import time

    from credsweep.rules.linear import slow_rules
    from credsweep.rules.loader import Rule

    linear = [Rule(id=f"x.linear{i}", name="x", provider="x", pattern=r"(?P<secret>tok_[a-z0-9]{8,40})",
                   keywords=("tok_",), severity="high", confidence="high", reference="https://example.com",
                   examples=(), negative_examples=()) for i in range(40)]
    stopped: list[int] = []

    def starve() -> None:  # stop the check's process for 0.5 s of wall time (twice its deadline) once it exists
        parent, give_up = os.getpid(), time.monotonic() + 30
        command = Path("/proc/self/cmdline").read_bytes()  # a forked child's (the test process's other children
        while not stopped and time.monotonic() < give_up:  # run other programs: conftest's remover)
            for entry in os.listdir("/proc"):
                try:
                    fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                    forked = Path(f"/proc/{entry}/cmdline").read_bytes() == command
                except (OSError, IndexError):
                    continue
                if entry.isdigit() and int(fields[1]) == parent and forked:
                    os.kill(int(entry), signal.SIGSTOP)
                    stopped.append(int(entry))
                    time.sleep(0.5)
                    os.kill(int(entry), signal.SIGCONT)
                    return

    thread = threading.Thread(target=starve)
    thread.start()
    try:
        assert slow_rules(linear, deadline=0.25) == {}  # 40 rules of a millisecond of CPU each
    finally:
        thread.join()
    assert stopped  # the check was starved past its deadline, and passed


def test_growth_is_judged_on_timings_a_tick_counting_clock_can_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    """On kernels that count a process's CPU time in 4 ms scheduler ticks, a linear rule's single scans
    read 0, 4 and 20 ms (growth n^7, CI failed on it); timings repeated for 40 ms each pass it, and a
    quadratic rule still fails (by its growth or, on a slow machine, by the hard bound)."""
    import time

    from credsweep.rules import linear as linear_module
    from credsweep.rules.loader import Rule

    real = time.process_time
    monkeypatch.setattr(linear_module.time, "process_time", lambda: real() // 0.004 * 0.004)

    def rule(pattern: str) -> Rule:
        return Rule(id="x.rule", name="x", provider="x", pattern=pattern, keywords=(), severity="high",
                    confidence="high", reference="https://example.com", examples=(), negative_examples=())

    near_endpoint = rule(r"\.example\.net[\s\S]{0,300}?key\s?=\s?([a-f0-9]{32})")
    assert linear_module.slow_inputs(near_endpoint) == []
    quadratic = rule(r"(?P<secret>a*=)")  # every start in a run of a's scans to its end
    timings: list[tuple[int, float, float]] = []  # (the input, least seconds asked, seconds measured)
    single = linear_module._cpu_seconds

    def recording(rule: Rule, data: bytes, least: float = 0.0) -> float:
        timings.append((id(data), least, taken := single(rule, data, least)))
        return taken

    monkeypatch.setattr(linear_module, "_cpu_seconds", recording)
    assert any("grows as n^" in found or " s at " in found for found in linear_module.slow_inputs(quadratic))
    # the cost of judging it: only a length whose single scans were under SAMPLE is timed again over
    # SAMPLE, and the first scan at the longest length is one of that length's three timings
    first: dict[int, float] = {}
    singles: dict[int, int] = {}
    for data, least, taken in timings:
        if least == 0.0:
            first[data] = min(first.get(data, taken), taken)
            singles[data] = singles.get(data, 0) + 1
    retimed = {data for data, least, _ in timings if least == linear_module.SAMPLE}
    assert all(first[data] < linear_module.SAMPLE for data in retimed), (first, retimed)
    # an input is probed once at 4n and skipped when fast, or timed three times at each length: the
    # probe at 4n is one of its three (four single scans there before)
    assert set(singles.values()) <= {1, 3} and 3 in singles.values(), singles


def test_linear_check_times_one_run_per_character_its_regex_tells_apart() -> None:
    """A run of a character every class and literal of the pattern treats as an earlier one's (in either
    case) would send Python's engine down the same steps: it is not timed again. Characters a literal or a
    keyword holds, in any case, stay apart (a keyword may be followed by its own letter)."""
    from credsweep.rules import linear as linear_module
    from credsweep.rules.loader import Rule

    def runs(pattern: str, keywords: tuple[str, ...] = ()) -> list[str]:
        rule = Rule(id="x.token", name="x", provider="x", pattern=pattern, keywords=keywords, severity="high",
                    confidence="high", reference="https://example.com", examples=(), negative_examples=())
        return [description for description, _ in linear_module.adversarial_inputs(rule, 100)]

    assert runs(r"(?P<secret>[A-Za-z0-9]{36})") == ["100 x 'A'", "100 x '0'"]
    token = runs(r"(?P<secret>tok_[a-z0-9]{8,40})", ("tok_",))
    assert {"100 x 'a'", "100 x 'A'", "100 x '0'", "100 x 'k'", "100 x 'K'", "100 x '_'"} <= set(token)
    assert "'tok_' + 100 x 'k'" in token and "'tok_' repeated" in token
    # gates stop an input only where its regex grows faster than cubically up to 4n
    assert [linear_module.gate(size) * (linear_module.SIZES[-1] / size) ** 3 for size in linear_module.SIZES] == [
        linear_module.NOISE_FLOOR / 2] * 3


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


CONTEXT_RULESET = ACME_PROVIDER + """
[[rules]]
id = "acme.token"
name = "Acme Cloud access token"
pattern = '''\\b(acmetok_[A-Za-z0-9]{32})\\b'''
keywords = ["acmetok_"]
entropy = 3.5
severity = "high"
confidence = "high"
reference = "https://acme-cloud.example/docs/tokens"
examples = ["ACME_TOKEN=acmetok_Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2Vb", "token: acmetok_Jf5Ge0Ua8Ri3OKd8VbN3qZ7rX2mLp9Tw"]
negative_examples = ["acmetok_", "acmetok_short"]

[[rules]]
id = "acme.api-key"
name = "Acme Cloud API key"
pattern = '''KEY_PATTERN'''
keywords = ["acme"]
CONTEXTS_LINE
entropy = 3.0
severity = "high"
confidence = "medium"
reference = "https://acme-cloud.example/docs/keys"
examples = ["ACME_API_KEY=9c1f4e7a2b8d3f60a5e9c7b1d4f2a8e3", "ACME_API_KEY=4b7e2d91fa6c3e85bd0f7a2c9e41bd6f"]
negative_examples = ["ACME_API_KEY=", "ACME_API_KEY=${ACME_API_KEY}"]
"""
NARROW = r"\bACME_API_KEY=([a-f0-9]{32})\b"
"""Only unquoted after `=`, only upper case: misses `"acme_api_key": "..."` and `acme_api_key = "..."`."""
WIDE = r'''(?i)acme[\w.\-]{0,20}key["']?[ \t]{0,3}[=:][ \t]{0,3}["']?([a-f0-9]{32})\b'''


def _context_ruleset(tmp_path: Path, pattern: str, contexts: str = "") -> Path:
    path = tmp_path / "acme.toml"
    path.write_text(CONTEXT_RULESET.replace("KEY_PATTERN", pattern).replace("CONTEXTS_LINE", contexts))
    return path


def test_rules_check_fails_a_rule_that_misses_its_secret_in_json_yaml_or_code(tmp_path: Path) -> None:
    result = run_cli("rules", "check", "--contexts", str(_context_ruleset(tmp_path, NARROW)))
    assert result.code == 1
    out = result.stdout
    for context in ("json", "yaml", "python"):
        assert f"FAIL acme.api-key (acme.toml): example 1 is not detected in the {context} context" in out
    assert "not detected in the env context" not in out  # KEY=value is how its examples are written
    assert "9c1f4e7a2b8d3f60a5e9c7b1d4f2a8e3" not in out  # the context is shown with <value>, never the value
    assert re.search(r'"acme_[a-z_]*api_key": "<value>"', out)  # the context, with a key built from the provider
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.startswith("acme.")}
    header = next(line.split()[1:] for line in out.splitlines() if line.startswith("rule "))
    assert header == ["bare", "env", "json", "yaml", "python", "url", "header"]
    # the prefixed token passes bare and every key context; neither rule's examples hold a URL or header
    assert rows["acme.token"] == ["pass", "pass", "pass", "pass", "pass", "-", "-"]
    # a keyword-context rule is not expected bare (skipped, not failed)
    assert rows["acme.api-key"] == ["-", "pass", "FAIL", "FAIL", "FAIL", "-", "-"]


def test_rules_check_passes_a_widened_rule_and_a_declared_context(tmp_path: Path) -> None:
    result = run_cli("rules", "check", "--contexts", str(_context_ruleset(tmp_path, WIDE)))
    assert result.code == 0, result.stdout[-3000:]
    row = next(line.split()[1:] for line in result.stdout.splitlines() if line.startswith("acme.api-key "))
    assert row == ["-", "pass", "pass", "pass", "pass", "-", "-"]
    # a format written only as `KEY=value` (an .npmrc line, an INI file) says so and is checked there only
    declared = _context_ruleset(tmp_path, NARROW, 'contexts = ["env"]')
    result = run_cli("rules", "check", "--contexts", str(declared))
    assert result.code == 0, result.stdout[-3000:]
    row = next(line.split()[1:] for line in result.stdout.splitlines() if line.startswith("acme.api-key "))
    assert row == ["-", "pass", "-", "-", "-", "-", "-"]


def test_unknown_context_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_cli("rules", "check", str(_context_ruleset(tmp_path, WIDE, 'contexts = ["toml"]')))
    assert result.code == 2
    assert "unknown context 'toml'" in result.stderr and "Traceback" not in result.stderr


def test_contexts_in_the_rule_language_are_the_checked_ones() -> None:
    from credsweep.rules.check import CONTEXTS
    from credsweep.rules.loader import CONTEXT_NAMES

    assert tuple(context.name for context in CONTEXTS) == CONTEXT_NAMES


def test_builtin_rules_pass_the_contexts_that_apply_to_them() -> None:
    """The built-in rules' secrets are found in each context that applies (on the sample; every rule is
    checked in CI by `rules check`): this pins the checker's coverage, so a change that silently skips
    contexts shows. The whole ruleset passed 250 bare, 40 url, 40 header and 700 of each key context out of
    880 rules; the sample's floors are in about the same proportion."""
    from credsweep.commands.rules import check

    ruleset = load_rulesets()
    sample = {path.resolve() for path in SAMPLE}
    result = check(ruleset, lambda rule: rule.source.resolve() in sample, linear=False)
    assert not [p for p in result.problems if "context" in p]
    assert len(result.coverage) >= 120
    passed = {name: sum(r.outcomes[name] == "pass" for r in result.coverage)
              for name in ("bare", "env", "json", "yaml", "python", "url", "header")}
    assert passed["bare"] >= 30 and passed["url"] >= 4 and passed["header"] >= 6, passed
    assert min(passed["env"], passed["json"], passed["yaml"], passed["python"]) >= 105, passed


def test_coverage_page_is_up_to_date(tmp_path: Path) -> None:
    """docs/coverage.md is `rules list --format markdown` over the built-in rules (run outside any repository,
    so no configuration adds rules)."""
    committed = (Path(__file__).resolve().parents[1] / "docs" / "coverage.md").read_text(encoding="utf-8")
    result = run_cli("rules", "list", "--format", "markdown", cwd=tmp_path)
    assert result.code == 0
    assert result.stdout == committed, "regenerate: credsweep rules list --format markdown > docs/coverage.md"
    ruleset = load_rulesets()
    for rule in ruleset.rules:
        assert f"(`{rule.id}`)" in committed and f"[docs]({rule.reference})" in committed
    github = next(line for line in committed.splitlines() if "(`github.pat.classic`)" in line)
    assert "prefix `ghp_`" in github and "yes: CRC32 checksum" in github
    assert "| **Stripe** |" in committed


def test_stack_auth_keys_are_checked_by_their_crc32(repo: Path) -> None:
    """Stack Auth's user and team keys end in the CRC-32 of the rest: a valid one is reported at high, one with
    a changed character keeps its shape but is lowered (``checksum-mismatch``), not dropped."""
    import zlib

    body = "sk_" + rand("0123456789abcdefghjkmnpqrstvwxyz", 45) + rand("0123456789abcdef", 32) + "user1574ck4u7h"
    good = body + f"{zlib.crc32(body.encode()) & 0xFFFFFFFF:08x}"
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    write(repo, "app.env", f"STACK_API_KEY={good}\nOTHER_STACK_API_KEY={bad}\n")
    commit_all(repo)
    result = run_cli("scan", str(repo), "--format", "json", "--min-confidence", "low")
    found = {f["line"]: f for f in json.loads(result.stdout)["findings"] if f["rule"] == "stack-auth.api-key"}
    assert found[1]["confidence"] == "high" and "checksum-mismatch" not in found[1]["reasons"], found
    assert found[2]["confidence"] == "low" and "checksum-mismatch" in found[2]["reasons"], found


def test_rules_check_split_over_two_processes_reports_the_second_halfs_problems(tmp_path: Path) -> None:
    # over 100 rules, `rules check` (without --engines) checks the second half in a forked child: a rule that
    # fails there is reported as in one process, after the first half's problems
    from credsweep.util.toml import loads

    bad = _context_ruleset(tmp_path, NARROW)
    # the sample's first files holding 110 rules or more (about two thirds of it: each rule checked costs
    # about 15 ms of CPU, and the split needs 100)
    files: list[str] = []
    rules = 1  # the bad rule
    for path in SAMPLE:
        if rules >= 110:
            break
        files.append(str(path))
        rules += len(loads(path.read_text()).get("rules", []))
    assert rules >= 110  # over 100: the second half is checked in the forked child
    result = run_cli("rules", "check", *files, str(bad))
    assert result.code == 1, result.stdout[-2000:]
    assert "FAIL acme.api-key (acme.toml): example 1 is not detected in the json context" in result.stdout
    assert re.search(r"^\d+ rules from \d+ providers: [1-9]\d* problems?$", result.stdout.splitlines()[-1])
