"""Each heuristic filter, on what it must drop and what it must keep."""

from __future__ import annotations

import pytest

from credsweep.filters import heuristics as h
from credsweep.filters.inline import is_inline_allowed
from credsweep.identity import redact


@pytest.mark.parametrize("value", ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"])
def test_known_examples(value: str) -> None:
    assert h.is_known_example(value)


@pytest.mark.parametrize("value", ["your_api_key_here", "xxxxxxxxxxxxxxxx", "<token>", "changeme", "********",
                                   "sk_live_REDACTED", "INSERT_KEY"])
def test_placeholders_dropped(value: str) -> None:
    assert h.is_placeholder(value)


@pytest.mark.parametrize("value", ["9fK2mQ7xLw3vT8pZ", "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", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"])
def test_real_looking_values_kept(value: str) -> None:
    assert h.reason_to_drop(value) is None


@pytest.mark.parametrize("value", ["${GITHUB_TOKEN}", "{{ secrets.TOKEN }}", "%(password)s", "$DB_PASSWORD",
                                   "os.environ['X']", "process.env.API_KEY"])
def test_templates_dropped(value: str) -> None:
    assert h.is_template(value)


@pytest.mark.parametrize("value", ["aaaaaaaaaaaa", "abababababab", "pass1234567890"])
def test_low_diversity_dropped(value: str) -> None:
    assert h.is_low_diversity(value)


def test_inline_allow_first_line_and_next_line() -> None:
    data = b"x = 1\n# credsweep:allow-next-line\nkey = SECRET\nother = SECRET # credsweep:allow\nlast = SECRET\n"
    first = data.index(b"SECRET")
    second = data.index(b"SECRET", first + 1)
    third = data.index(b"SECRET", second + 1)
    assert is_inline_allowed(data, first, first + 6)
    assert is_inline_allowed(data, second, second + 6)
    assert not is_inline_allowed(data, third, third + 6)


def test_redaction_never_reveals_short_secrets() -> None:
    assert "hunter2" not in redact("hunter2")
    preview = redact("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")
    assert preview.startswith("ghp_") and "8ygjno3qFNv2" not in preview
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"
    assert "MIIEpAIBAAKCAQEA" not in redact(pem)
