"""The content stage remembers what it judged (history meets the same lines in version after version of a
file): a matcher that has seen other contents returns exactly what a fresh one returns."""

from __future__ import annotations

import base64
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credsweep.config import Config
from credsweep.content import context, generic
from credsweep.content.matcher import ContentMatcher
from credsweep.models import ContentMatch
from credsweep.rules.loader import Ruleset, load_rulesets

SALT = b"memo-test"


@cache
def ruleset() -> Ruleset:
    return load_rulesets()


@cache
def warm_matcher() -> ContentMatcher:
    """One matcher for the whole test session: its memory fills up as examples run."""
    return ContentMatcher(Config(min_confidence="low"), ruleset(), "keywords", salt=SALT)


def fresh_matcher() -> ContentMatcher:
    return ContentMatcher(Config(min_confidence="low"), ruleset(), "keywords", salt=SALT)


@cache
def lines() -> tuple[bytes, ...]:
    """Lines that hold credentials, their contexts, allow comments and filler."""
    provider = [rule.examples[0].encode() for rule in ruleset().rules[::40] if not rule.paths]
    encoded = base64.b64encode(b"db_password = Xy7kq9Zt2wQ").decode()
    return (
        *provider,
        # the same values in contexts that judge them differently
        b'password = "Summer2024!xK"',
        b'    def test_login(self): password = "Summer2024!xK"',
        b'example_password = "Summer2024!xK"  # e.g. in the docs',
        b"DB_PASSWORD=hunter22x9",
        b"TEST_DB_PASSWORD=hunter22x9",
        b"url = https://admin:S3cr3tP4ssw0rd@example.com/app",
        b"# credsweep:allow-next-line",
        b'token = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"  # credsweep:allow',
        b"url = https://admin:S3cr3tP4ssw0rd@db.internal.corp/app",
        f'blob = "{encoded}"'.encode(),
        f'    "{encoded}",  # the same run elsewhere'.encode(),
        b"next=%2Flogin%3Fuser%3Dadmin%26password%3DS3cr3tP4ssw0rd%21",
        b'api_key = "your_api_key_here"',
        b"secret_key: 8f3b2c1d9e7a6b5c4d3e2f1a0b9c8d7e",
        b'def sample():\n    """Example:',
        b"",
        b"x = 1",
        b"    return value",
    )


def rows(matches: list[ContentMatch]) -> list[tuple[object, ...]]:
    return [(m.rule, m.start, m.end, m.line, m.column, m.end_line, m.end_column, m.confidence, m.reasons,
             m.secret_id, m.fingerprint, m.redacted, m.identifier, m.encoding, m.hex_value, m.suppressed, m.more,
             m.context, m.value_class, m.cell, m.secret) for m in matches]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.integers(0, 200), min_size=1, max_size=8), min_size=2, max_size=3))
def test_a_warm_matcher_returns_what_a_fresh_one_returns(versions: list[list[int]]) -> None:
    pool = lines()
    warm = warm_matcher()
    for picks in versions:
        content = b"\n".join(pool[i % len(pool)] for i in picks) + b"\n"
        assert rows(warm.match(content)) == rows(fresh_matcher().match(content))


def test_an_allow_comment_added_above_a_remembered_line_is_honoured() -> None:
    matcher = fresh_matcher()
    line = b'password = "Summer2024!xK"\n'
    assert [m.suppressed for m in matcher.match(b"x = 1\n" + line)] == [None, None]
    hidden = matcher.match(b"# credsweep:allow-next-line\n" + line)
    assert hidden and all(m.suppressed is not None for m in hidden)
    assert [m.suppressed for m in matcher.match(b"x = 2\n" + line)] == [None, None]


def test_a_docstring_opened_above_a_remembered_line_is_read() -> None:
    # the context predicates read the text above the line (``context.Context.before``): it is part of
    # what a judgement is remembered by
    matcher = fresh_matcher()
    line = b'    password = "Summer2024!xK"\n'

    def generic(content: bytes) -> ContentMatch:
        return next(m for m in matcher.match(content) if m.rule == "generic.password")

    plain = generic(b"x = 1\n" + line)
    sample = generic(b'def f():\n    """Example:\n\n' + line)
    assert "docstring-sample" not in plain.reasons and "docstring-sample" in sample.reasons
    assert generic(b"x = 1\n" + line).reasons == plain.reasons


def test_both_context_readers_bound_the_line_alike() -> None:
    # the memory of judgements is keyed by the bounded line both readers take
    assert generic.LINE_CONTEXT == context.LINE_CONTEXT
