"""The one place credsweep touches detect-secrets.

detect-secrets keeps its settings in a global object; we only call its stateless heuristic filters,
and only on values that already matched a generic credential rule, so its import cost (~0.1 s) is
paid by scans that need it and never by the common pre-commit case.
"""

from __future__ import annotations

from functools import lru_cache



@lru_cache(maxsize=1)
def _filters():  # type: ignore[no-untyped-def]
    try:
        from detect_secrets.filters import heuristic
    except ImportError:  # detect-secrets is a dependency; tolerate a broken install
        return ()
    return (
        heuristic.is_sequential_string,
        heuristic.is_potential_uuid,
        heuristic.is_templated_secret,
        heuristic.is_prefixed_with_dollar_sign,
    )


@lru_cache(maxsize=1 << 16)  # pure; history meets the same values in every version of a file
def rejected_by_detect_secrets(value: str) -> bool:
    """True when one of detect-secrets' value heuristics says this is not a secret."""
    return any(check(value) for check in _filters())


def warm_up() -> None:
    """Import detect-secrets now: before the history walker forks its workers, so that they share one
    import instead of each paying for its own (it pulls in ``requests``: ~0.2 s)."""
    _filters()
