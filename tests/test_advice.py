"""Advice: urgency from exposure, one group per distinct secret, purge plans, advice on every rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from credsweep.config import Config
from credsweep.enrich.advice import Exposure, contextualize, group_findings, purge_plan, rate
from credsweep.models import ContentItem as Item
from credsweep.models import Provenance
from credsweep.pipeline import Pipeline as Scanner
from credsweep.rules.loader import load_rulesets


def _finding(secret_text: str, path: str = "a.txt"):  # type: ignore[no-untyped-def]
    scanner = Scanner(Config(), load_rulesets(), engine="keywords", salt=b"test-salt")
    findings = scanner.scan_item(Item(path=path, data=secret_text.encode()))
    assert findings
    return findings[0]


def _history(finding, *, pushed: bool, days: int, commit: str = "a" * 40):  # type: ignore[no-untyped-def]
    date = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat()
    return replace(finding, source="history", commit=commit,
                   provenance=Provenance(commit=commit, pushed=pushed, in_head=False, first_seen=date, date=date))


def test_rule_examples_get_advice_with_a_step_and_a_url() -> None:
    """On one rule in six: the advice's steps and URLs come from the provider's playbook, its URLs and the
    rule's reference, which `rules check` requires of every rule (CI runs it on the whole ruleset)."""
    ruleset = load_rulesets()
    scanner = Scanner(Config(min_confidence="low"), ruleset, engine="keywords", salt=b"test-salt")
    sample = ruleset.rules[::6]
    checked = 0
    for rule in sample:
        for example in rule.examples:
            for finding in scanner.scan_item(Item(path="x.txt", data=example.encode())):
                assert finding.advice.steps and finding.advice.urls, rule.id
                assert all(u.startswith("http") for u in finding.advice.urls)
                checked += 1
    assert checked >= len(sample) >= 140


def test_rules_check_requires_what_advice_lists(tmp_path: Path) -> None:
    from credsweep.commands.rules import check

    path = tmp_path / "acme.toml"
    path.write_text(ACME.replace('docs_url = "https://', 'docs_url = "ftp://'))
    problems = check(load_rulesets((path,), builtin=False), linear=False).problems
    assert problems == ("provider 'acme': its docs_url and playbook urls must be http(s) URLs",)
    path.write_text(ACME.replace('revoke = ["Revoke it in the console."]', "revoke = []"))
    problems = check(load_rulesets((path,), builtin=False), linear=False).problems
    assert problems == ("provider 'acme': playbook needs revoke steps and a console URL",)
    path.write_text(ACME)
    assert check(load_rulesets((path,), builtin=False), linear=False).problems == ()


ACME = """
[provider]
id = "acme"
name = "Acme Cloud"
console_url = "https://acme-cloud.example/console"
docs_url = "https://acme-cloud.example/docs"
[provider.playbook]
summary = "Rotate it."
revoke = ["Revoke it in the console."]
urls = ["https://acme-cloud.example/docs/rotation"]

[[rules]]
id = "acme.token"
name = "Acme Cloud access token"
pattern = '''\\b(acmetok_[A-Za-z0-9]{32})\\b'''
keywords = ["acmetok_"]
severity = "high"
confidence = "high"
reference = "https://acme-cloud.example/docs/tokens"
examples = ["ACME_TOKEN=acmetok_Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2Vb", "token: acmetok_Jf5Ge0Ua8Ri3OKd8VbN3qZ7rX2mLp9Tw"]
negative_examples = ["acmetok_", "acmetok_short"]
"""


def test_pushed_outranks_local_and_public_remote_is_critical() -> None:
    from conftest import fake_github_token

    base = _finding(f"token: {fake_github_token('ghr_')}")  # high severity, and it does not expire by itself
    pushed = _history(base, pushed=True, days=2)
    local = _history(base, pushed=False, days=2)
    assert rate([pushed], Exposure())[0] == "critical"
    assert rate([local], Exposure())[0] == "medium"
    level, why = rate([pushed], Exposure(remotes=("https://github.com/org/repo.git",)))
    assert level == "critical" and "public hosting" in why
    assert "local commits" in rate([local], Exposure())[1]


def test_a_token_that_lives_an_hour_committed_long_ago_has_expired() -> None:
    """A format that expires by itself (``Rule.lifetime``: a GitHub App installation token lives an hour) is low
    once its first commit is older than that and a day's margin, and says why; within its lifetime, and for a
    format that does not expire, exposure rates it as before."""
    from conftest import fake_github_token

    public = Exposure(remotes=("https://github.com/org/repo.git",))
    installation = _finding(f"token: {fake_github_token('ghs_')}")
    assert installation.advice.expires_after == 3600
    level, why = rate([_history(installation, pushed=True, days=400)], public)
    assert level == "low" and "expired: this kind of token lives an hour" in why and "a year" not in why, why
    assert rate([_history(installation, pushed=True, days=0)], public)[0] == "critical"
    refresh = _finding(f"token: {fake_github_token('ghr_')}")
    assert refresh.advice.expires_after is None
    assert rate([_history(refresh, pushed=True, days=400)], public)[0] == "critical"


def test_a_jwt_past_its_own_exp_claim_is_low_one_without_exp_or_still_valid_is_not() -> None:
    """A JWT carries its end (``exp``, RFC 7519): Portainer's Swagger sample from 2017 is refused by every library
    since, so it is low and says when it ended; a JWT whose exp is years ahead, or that has none, is rated by its
    exposure as before."""
    import base64
    import json

    def jwt(claims: dict[str, object]) -> str:
        def part(value: dict[str, object]) -> str:
            return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
        return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.NJ6vE8FY1WG6jsRQzfMqeatJ4vh2TWAeeYfDhP71YEE"

    public = Exposure(remotes=("https://github.com/org/repo.git",))
    ended = _finding(f"Authorization: Bearer {jwt({'id': 1, 'username': 'admin', 'exp': 1499376154})}")
    assert ended.provider == "jwt", ended
    level, why = rate([_history(ended, pushed=True, days=3000)], public)
    assert level == "low" and "exp claim ended it on 2017-07-06" in why, why
    for claims in ({"id": 1, "username": "admin", "exp": 4102444800}, {"id": 1, "username": "admin", "role": 1},
                   {"id": 1, "username": "admin", "exp": "soon"}):
        lasting = _finding(f"Authorization: Bearer {jwt(claims)}")
        assert rate([_history(lasting, pushed=True, days=3000)], public)[0] != "low", claims


def test_critical_needs_more_than_a_key_name() -> None:
    """A keyword rule's match (confidence medium) pushed to a public remote is high and says why; the same
    exposure of a provider's token is critical."""
    from conftest import ALNUM, fake_github_token, rand

    typed = _history(_finding(f"DB_PASSWORD={rand(ALNUM, 14)}7Qx9\n", "deploy/app.env"), pushed=True, days=400)
    token = _history(_finding(f"token: {fake_github_token('ghr_')}"), pushed=True, days=400)
    public = Exposure(remotes=("https://github.com/org/repo.git",))
    assert typed.confidence == "medium" and token.confidence == "high"
    level, why = rate([typed], public)
    assert level == "high" and "not critical: confidence medium" in why, why
    assert rate([token], public)[0] == "critical"


def test_a_typed_value_found_by_its_key_name_is_never_urgent() -> None:
    """Urgency follows confidence: a word or a short typed password found by its key name alone (confidence
    medium, value class ``text``) is listed for review at medium however it was exposed, and says why; a
    generated value under the same key name stays high, a provider's token critical."""
    from conftest import ALNUM, fake_github_token, rand

    public = Exposure(remotes=("https://github.com/org/repo.git",))
    word = _history(_finding("DB_PASSWORD=Welcome2024\n", "deploy/app.env"), pushed=True, days=400)
    generated = _history(_finding(f"DB_PASSWORD={rand(ALNUM, 14)}7Qx9\n", "deploy/app.env"), pushed=True, days=400)
    token = _history(_finding(f"token: {fake_github_token('ghr_')}"), pushed=True, days=400)
    assert (word.confidence, word.value_class) == ("medium", "text"), (word.confidence, word.value_class)
    assert generated.value_class == "random" and generated.confidence == "medium"
    level, why = rate([word], public)
    assert level == "medium" and "typed, not generated" in why, why
    assert rate([generated], public)[0] == "high"
    assert rate([token], public)[0] == "critical"


def test_an_identifier_alone_is_never_urgent_whatever_its_exposure() -> None:
    """An AWS access key id or an OAuth client id with no secret beside it is not a secret: pushed to a
    public remote years ago, it grants nothing alone, so it stays at its rule's level up to medium and says
    what to look for."""
    from conftest import fake_aws_pair, rand

    key_id, _ = fake_aws_pair()
    client_id = f"{rand('0123456789', 12)}-{rand('abcdefghijklmnopqrstuvwxyz0123456789', 32)}.apps.googleusercontent.com"
    public = Exposure(remotes=("https://github.com/org/repo.git",))
    lone = _history(_finding(f"AWS_ACCESS_KEY_ID={key_id}\n", "ci/deploy.env"), pushed=True, days=900)
    client = _history(_finding(f"GOOGLE_CLIENT_ID={client_id}\n", "web/config.env"), pushed=True, days=900)
    assert "identifier-alone" in lone.reasons and "identifier-alone" in client.reasons
    level, why = rate([lone], public)
    assert lone.severity == "high" and level == "medium" and "an identifier, not a secret" in why, why
    assert rate([client], public)[0] == client.severity == "low"


def test_groups_and_purge_plan_never_contain_the_secret() -> None:
    from conftest import fake_github_token

    token = fake_github_token()
    one = _history(_finding(f"T={token}", "a.py"), pushed=True, days=40)
    two = _history(_finding(f"token = '{token}'", "b.yaml"), pushed=True, days=40, commit="b" * 40)
    other = _finding(f"X={fake_github_token()}", "c.env")
    rated = contextualize([one, two, other], Exposure())
    groups = group_findings(rated)
    assert [len(g.findings) for g in groups] == [2, 1]
    assert "exposed for 40 days" in groups[0].findings[0].advice.why
    plan = purge_plan(groups[0].findings)
    assert any("git filter-repo" in line for line in plan)
    assert all(token not in line for line in plan)
    assert purge_plan(groups[1].findings) == ()  # working tree only: nothing in history to purge
