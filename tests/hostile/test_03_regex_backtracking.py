"""Finding 3: a config regex that backtracks catastrophically (``values = ["([A-Za-z0-9_]+)+!"]``) made a
scan of one token run past 60 s.

Now every regex a user or a repository supplies (allowlist values, the patterns of a repository's
rulesets) runs on RE2, linear in its input; a pattern RE2 cannot express is refused unless it passes
the growth check of ``rules check``."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_repo, write
from credsweep.errors import ConfigError
from credsweep.rules import linear
from credsweep.util.linearre import LinearPattern, re2_compile
from hostile.common import run

BACKTRACKING = "([A-Za-z0-9_]+)+!"

_RULESET = '''[provider]
id = "evil"
name = "Evil"
console_url = "https://example.com"
docs_url = "https://example.com"
[provider.playbook]
summary = "Rotate it."
revoke = ["Revoke it."]

[[rules]]
id = "evil.token"
name = "Evil token"
pattern = '(?P<secret>evil_([A-Za-z0-9_]+)+!)'
keywords = ["evil_"]
severity = "high"
confidence = "high"
reference = "https://example.com"
examples = ["evil_abc!", "evil_def!"]
negative_examples = ["x", "y"]
'''


def test_the_backtracking_allowlist_value_is_compiled_with_re2() -> None:
    compiled = re2_compile(BACKTRACKING)
    assert isinstance(compiled, LinearPattern)
    assert compiled.fullmatch("A" * 100_000) is None  # 2**100000 paths for Python's engine; one pass here
    assert compiled.fullmatch("abc!") is not None


def test_a_scan_with_it_finishes(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, "a.py", "API_KEY = '" + "A" * 60 + "'\n" + "token = '" + "B7" * 2000 + "'\n")
    write(repo, ".credsweep.toml", f'[allowlist]\nvalues = ["{BACKTRACKING}"]\n')
    result = run("scan", str(repo), "--format", "json")
    assert result.code in (0, 1), result


def test_without_re2_a_pattern_failing_the_growth_check_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import credsweep.util.linearre as linearre

    monkeypatch.setattr(linearre, "re2_compile", lambda pattern: None)  # RE2 not installed
    # the pattern backtracks exponentially: the check's process is ended at the deadline, so the test
    # waits the whole deadline (10 s before); one second is enough to refuse it
    monkeypatch.setattr(linear, "LINEAR_CHECK_DEADLINE", 1.0)
    with pytest.raises(ConfigError, match="not linear-time"):
        linear.linear_regex(BACKTRACKING, "allowlist.values")
    # a linear pattern is checked to the end whatever the deadline: a generous one on a loaded machine
    monkeypatch.setattr(linear, "LINEAR_CHECK_DEADLINE", 10.0)
    assert linear.linear_regex("EXAMPLE[0-9]{4}", "allowlist.values").fullmatch("EXAMPLE1234")


def test_a_repositorys_ruleset_runs_on_re2(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, "rules/evil.toml", _RULESET)
    write(repo, ".credsweep.toml", 'rulesets = ["rules/evil.toml"]\n')
    write(repo, "a.txt", "evil_" + "a" * 5000 + "\nevil_real_one!\n")  # the first line backtracks in Python
    result = run("scan", str(repo), "--format", "json", "--no-hygiene")
    assert result.code == 1, result
    found = {(f["path"], f["line"]) for f in result.json()["findings"] if f["rule"] == "evil.token"}
    assert ("a.txt", 2) in found and ("a.txt", 1) not in found


def test_a_repository_rule_is_marked_untrusted(tmp_path: Path) -> None:
    from credsweep.rules.loader import load_rulesets

    write(tmp_path, "evil.toml", _RULESET)
    ruleset = load_rulesets((tmp_path / "evil.toml",), builtin=False, within=tmp_path)
    (rule,) = ruleset.rules
    assert rule.untrusted and isinstance(rule.regex, LinearPattern)
    assert "evil_" not in ruleset.secret_prefixes  # a repository's rule claims no value from the built-in ones
    trusted = load_rulesets((tmp_path / "evil.toml",), builtin=False)  # the user's own: Python's engine
    assert not trusted.rules[0].untrusted
