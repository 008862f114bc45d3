"""A scanned repository's own configuration, judged: does it weaken detection broadly?

A pull request that adds ``paths = ["**"]``, ``values = [".*"]``, an empty stopword or
``disable_rules = ["generic."]`` turns the scan off for everything after it. Every finding such a
configuration hides is counted and attributed (``Judge.hidden``); this module also reports the
configuration itself, as a finding on its file, when it hides broadly. "Broadly" is measured, not
guessed: each allowlist entry is tried on a fixed probe set of ordinary paths and of realistic secret
values (``PROBE_PATHS``, ``PROBE_VALUES``), and an entry that hides at least half of them weakens
detection; so does switching off a whole family of rules (a prefix such as ``generic.`` or
``github.`` covering several rules).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from credsweep.config import Config, entry_keys
from credsweep.models import WEAKENS_DETECTION, Finding

PROBE_PATHS = (
    "README.md", "src/app/settings.py", "app/config/database.php", "lib/db.js", "main.go", "cmd/server/main.go",
    "config/production.yml", "deploy/secrets.json", ".env", ".env.production", "docker-compose.yml",
    "terraform/main.tf", "k8s/secret.yaml", ".aws/credentials", "id_rsa", "scripts/deploy.sh",
    "web/src/api/client.ts", "Dockerfile", "notebooks/analysis.ipynb", ".github/workflows/release.yml",
)
"""Ordinary paths of a repository: an allowlist entry matching half of them hides most of any repository."""
PROBE_VALUES = (
    # split literals: this file must not read as a leak to a scanner (credsweep's own included)
    "gh" "p_R3aLl00kingT0kenValue1234567890abcd", "AK" "IAQ3EGUP4ZXKQW7NRH",
    "wJalrXUtnFEMI/K7MDENG/" "bPxRfiCYzQ9vKLPq2h", "sk" "_live_51HdTk2LkY8qVZ3nE9wPq0aBcDeFgHiJkL",
    "xo" "xb-2841937465-9483726150-Zq8WnR4tYvB2mK7sLp0xQe3d", "hunter2", "P@ssw0rd123!",
    "correct horse battery staple", "s3cr3t-Pr0d-DB-pa55", "3f9a1c7e5b2d4086a1b9" "c3e7f5d2086a4b1c9e3f",
    "dGhpcyBpcyBhIHNlY3Jl" "dCB2YWx1ZSAxMjM0NTY=",
    "ey" "JhbGciOiJIUzI1NiJ9.ey" "JzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PbmR3V6zF3Qw",
    "postgres://app:" "Xk9mP2vL8qR4@db.internal:5432/app", "AI" "zaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    "gl" "pat-x9K2mP7vQ4rT8wY1zB3n", "np" "m_Zx8Kq2Lm9Np4Rt7Vw1Ys3Bc6Df0Gh5Jk8Lm",
)
"""Realistic secret shapes: provider tokens, passwords (weak and strong), keys, a JWT, a connection string."""
BROAD = 0.5
"""Share of a probe set an entry must hide to count as weakening detection broadly."""
FAMILY = 2
"""Rules a ``disable_rules`` prefix must switch off to count as a whole family."""


def _broad(hit: int, total: int) -> bool:
    return total > 0 and hit / total >= BROAD


def weakening(config: Config, rule_ids: Sequence[str]) -> list[str]:
    """Why ``config`` weakens detection broadly, one short reason per entry (empty: it does not)."""
    from credsweep.util.pathmatch import gitignore_spec

    reasons: list[str] = []
    for entry in config.allowlist.paths:
        if entry.strip() and not entry.startswith(("!", "#")):
            spec = gitignore_spec([entry])
            hit = sum(1 for path in PROBE_PATHS if spec.match_file(path))
            if _broad(hit, len(PROBE_PATHS)):
                reasons.append(f"allowlist.paths {entry!r} matches {hit} of {len(PROBE_PATHS)} ordinary paths")
    for entry in config.allowlist.values:
        from credsweep.rules.linear import linear_regex

        regex = linear_regex(entry, f"{config.source}: allowlist.values")
        hit = sum(1 for value in PROBE_VALUES if regex.fullmatch(value))
        if _broad(hit, len(PROBE_VALUES)):
            reasons.append(f"allowlist.values {entry!r} matches {hit} of {len(PROBE_VALUES)} sample secrets")
    for word in config.allowlist.stopwords:
        hit = sum(1 for value in PROBE_VALUES if word in value.lower())
        if not word:
            reasons.append("allowlist.stopwords holds an empty stopword (every value contains it)")
        elif _broad(hit, len(PROBE_VALUES)):
            reasons.append(f"allowlist.stopwords {word!r} occurs in {hit} of {len(PROBE_VALUES)} sample secrets")
    families: Counter[str] = Counter()  # the rule ids starting with each prefix (computed when an entry is one)
    if any(entry.endswith(".") for entry in (*config.disable_rules, *config.allowlist.rules)):
        families.update(key for rule_id in rule_ids for key in set(entry_keys(rule_id)) if key.endswith("."))
    for key, entries in (("disable_rules", config.disable_rules), ("allowlist.rules", config.allowlist.rules)):
        for entry in entries:
            if not entry.endswith("."):
                continue
            covered = families[entry]
            if covered >= FAMILY or entry == "generic.":
                reasons.append(f"{key} {entry!r} switches off a whole family of {covered} rules")
    reasons.extend(config.lowered)
    return reasons


def config_findings(config: Config, rule_ids: Sequence[str], salt: bytes) -> list[Finding]:
    """The finding on a repository's configuration file when it weakens detection broadly, else none."""
    if not config.from_repository or config.source is None:
        return []
    reasons = weakening(config, rule_ids)
    if not reasons:
        return []
    from credsweep.hygiene.findings import hygiene_finding

    root = config.repository or config.source.parent
    try:
        path = config.source.relative_to(root).as_posix()
    except ValueError:
        path = config.source.name
    return [hygiene_finding("config", WEAKENS_DETECTION, path, line="; ".join(reasons), salt=salt)]
