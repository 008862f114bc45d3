"""Recall of the credential kinds real leak corpora hold (issue 16), with the negatives around them.

Values are generated at run time or are random fakes; each case names the file it would live in,
because some formats (``.pgpass``, ``config/master.key``) are only credentials in their own files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ALNUM, commit_all, fake_github_token, rand, run_cli, write
from credsweep.config import Config
from credsweep.filters import heuristics as h
from credsweep.models import Item
from credsweep.rules.loader import load_rulesets
from credsweep.scanner import Scanner


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(Config(), load_rulesets(), engine="keywords")


@pytest.fixture(scope="module")
def low_scanner() -> Scanner:
    return Scanner(Config(min_confidence="low"), load_rulesets(), engine="keywords")


def _found(scanner: Scanner, path: str, text: str) -> list[tuple[str, str, str]]:
    return [(f.rule, f.provider, f.confidence) for f in scanner.scan_item(Item(path=path, data=text.encode()))]


def _bad_checksum(token: str) -> str:
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


def test_bad_checksum_token_is_low_confidence_with_reason(scanner: Scanner, low_scanner: Scanner) -> None:
    token = _bad_checksum(fake_github_token())
    text = f"GITHUB_TOKEN={token}\napi_token = \"{token}\"\n"
    # hidden by default, and its span is claimed: no generic rule reports it instead
    assert _found(scanner, ".env", text) == []
    matches = low_scanner.matches(text.encode(), ".env")
    assert {(rule.id, m.confidence, m.reasons) for rule, m in matches} == {
        ("github.pat.classic", "low", ("checksum-mismatch",))}
    assert len(matches) == 2
    good = fake_github_token()
    (match,) = [m for _, m in scanner.matches(f"GITHUB_TOKEN={good}\n".encode(), ".env")]
    assert match.confidence == "high" and match.reasons == ()


def test_bad_checksum_token_on_the_command_line(repo: Path) -> None:
    write(repo, "ci.env", f"GITHUB_TOKEN={_bad_checksum(fake_github_token())}\n")
    commit_all(repo)
    assert run_cli("scan", ".", "--no-hygiene", "--format", "json", cwd=repo).json()["findings"] == []
    low = run_cli("scan", ".", "--no-hygiene", "--format", "json", "--min-confidence", "low", cwd=repo)
    assert [(f["rule"], f["confidence"]) for f in low.json()["findings"]] == [("github.pat.classic", "low")]


@pytest.mark.parametrize("word", ["FAKE", "test", "Example", "hardcoded", "dummy", "sample"])
def test_placeholder_word_inside_a_random_value_is_kept(word: str) -> None:
    alphabet = ALNUM.replace("x", "").replace("X", "")  # no accidental "xxxx" run
    value = rand(alphabet, 18) + word + rand(alphabet, 18)
    assert not h.is_placeholder(value)


@pytest.mark.parametrize("value", ["dummy-pass", "sampleHerokuKey", "ExamplePas123", "fake_password_123",
                                   "FAKE-STRIPE-KEY-1234", "sample_token_4f9a8b7c6d5e", "AKIAI44QH8DHBEXAMPLE"])
def test_values_made_of_placeholder_words_are_dropped(value: str) -> None:
    assert h.is_placeholder(value)


def test_random_value_with_fake_inside_is_reported(scanner: Scanner) -> None:
    value = rand(ALNUM, 16) + "FAKE" + rand(ALNUM, 20)
    assert _found(scanner, "app/settings.py", f'API_KEY = "{value}"\n')
    assert not _found(scanner, "app/settings.py", 'API_KEY = "fake-api-key-for-tests"\n')
