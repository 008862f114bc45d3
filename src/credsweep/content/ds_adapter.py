"""The one place the scan path touches detect-secrets.

detect-secrets earns its place twice in credsweep: its baseline format (``baseline import`` reads
``.secrets.baseline`` files, and its own ``detect-secrets scan`` produces them in our tests), and one
value heuristic we do not repeat: ``is_sequential_string`` (keyboard and alphabet runs, ``abcdef...``,
``123456...``, in several alphabets). Its UUID, template and ``$``-prefix heuristics repeat credsweep's
own filters (``filters.heuristics``, ``detectors.generic``) and are not used. It keeps settings in a
global object; the heuristic is stateless. Imported lazily (~0.2 s, it pulls in ``requests``), only
for values a generic rule matched, so the common pre-commit case never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=1)
def _sequential() -> Callable[[str], bool]:
    # a dependency: a broken install fails loudly instead of silently dropping a precision filter
    from detect_secrets.filters.heuristic import is_sequential_string

    return is_sequential_string  # type: ignore[no-any-return,unused-ignore]


@lru_cache(maxsize=1 << 16)  # pure; history meets the same values in every version of a file
def rejected_by_detect_secrets(value: str) -> bool:
    """True when detect-secrets' sequential-string heuristic says this is not a secret, read forwards or
    backwards: its sequences run one way (``123456``, ``abcdef``), a person counts down as well (``654321``)."""
    check = _sequential()
    return bool(check(value)) or bool(check(value[::-1]))


def warm_up() -> None:
    """Import detect-secrets now: before the history walker forks its workers, so that they share one
    import instead of each paying for its own."""
    _sequential()
