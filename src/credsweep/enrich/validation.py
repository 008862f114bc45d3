"""Live validation as enrichment (``--validate``): after judgement and the baseline, each distinct
secret of a report is asked about once (``credsweep.net``), every copy of it carries the answer
(``Finding.validation``), and its urgency follows the answer:

- **live**: the most urgent thing in the report: ``critical``, listed first, the identity and scopes
  the provider returned in the "why";
- **revoked**: ``low`` ("revoked on DATE"): nothing left to rotate, no history rewrite proposed;
- **unknown**: urgency unchanged, the reason shown.

Only secret findings with their value in memory are sent (never a hygiene finding, never a value
read back from a store), and only through ``credsweep.net``'s pinned hosts. The network package is
imported only when ``validate_report`` runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from credsweep.errors import CredsweepError
from credsweep.models import LIVE, REVOKED, Advice, Finding, Report, Validation

if TYPE_CHECKING:
    from credsweep.net.config import NetConfig

PURGE_STEP = "Purge it from history with the commands below once it is rotated."
"""The step ``advice.contextualize`` adds with a purge plan (dropped for a revoked secret)."""


@dataclass(frozen=True)
class ValidateOptions:
    """``--validate`` and its settings."""

    self_hosted: bool = False
    """``--validate-self-hosted``: a self-hosted URL found beside a token may receive it."""
    deadline: float = 10.0
    """``--validate-timeout``: seconds one provider call may take in total."""
    cache: bool = True
    """Reuse answers cached in the user's cache folder (and store new ones)."""
    cache_ttl: float = 24 * 3600.0
    """Seconds a cached answer is reused."""


def net_config(options: ValidateOptions, environ: Mapping[str, str] | None = None) -> NetConfig:
    """The network settings for ``options`` (``CREDSWEEP_API_BASE_URLS``, CA from the environment)."""
    from credsweep.net.config import NetConfig

    return NetConfig.from_env(environ, self_hosted=options.self_hosted, deadline=options.deadline)


def validate_report(report: Report, options: ValidateOptions, environ: Mapping[str, str] | None = None) -> Report:
    """``report`` with every secret finding validated (see the module docstring)."""
    from credsweep.net.cache import ValidationCache, default_path
    from credsweep.net.client import NetClient
    from credsweep.net.validators import Credential, default_registry, validate_all

    config = net_config(options, environ)  # a bad CREDSWEEP_API_BASE_URLS fails before anything is sent
    candidates = [f for f in report.findings if f.kind == "secret" and f.secret and f.secret_id]
    if not candidates:
        return report
    registry = default_registry()
    # a secret matched by several rules is asked about under the rule that has a validator
    candidates.sort(key=lambda f: registry.for_rule(f.rule) is None)
    read = _content_reader(Path(report.root))
    creds = [Credential(f.rule, f.secret or "", f.secret_id or "", f.identifier, _hints(f, read))
             for f in candidates]
    cache = None
    if options.cache:
        from credsweep.util.signedcache import signing_key

        cache = ValidationCache(default_path(environ), options.cache_ttl, signing_key())
    with NetClient(config) as client:
        results = validate_all(creds, client, registry, cache)
    return replace(report, findings=tuple(apply_validations(report.findings, results)))


COMPANION_RULES = ("twilio.", "dockerhub.", "bitbucket.", "shopify.", "gitlab.")
"""Rule families whose validation needs a non-secret companion found beside the secret."""
WINDOW = 30
"""Lines above and below a secret searched for its companions."""
_URL = r"(https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?)"
_COMPANIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("account_sid", re.compile(r"\b(AC[0-9a-f]{32})\b")),
    ("shop", re.compile(r"\b([a-z0-9][a-z0-9-]{0,60}\.myshopify\.com)\b", re.IGNORECASE)),
    ("gitlab_url", re.compile(r"(?i)\b(?:gitlab|ci_server)[\w.-]{0,20}(?:url|host|server|endpoint|base)[\w.-]{0,10}"
                              r"['\"]?[ \t]{0,3}[=:][ \t]{0,3}['\"]?" + _URL)),
    ("gitlab_url", re.compile(r"\b(https://(?:[A-Za-z0-9-]+\.)*gitlab\.[A-Za-z0-9.-]+(?::[0-9]{1,5})?)")),
    ("username", re.compile(r"(?i)\b(?:docker|dockerhub|bitbucket|registry)[\w.-]{0,20}(?:user(?:name)?|login|id)"
                            r"['\"]?[ \t]{0,3}[=:][ \t]{0,3}['\"]?([A-Za-z0-9][A-Za-z0-9_.-]{1,38})\b")),
)
MAX_READ = 1 << 20
"""Largest content read again for companions."""


def companions(text: str, line: int | None) -> tuple[tuple[str, str], ...]:
    """Non-secret companions of a secret on ``line`` of ``text``, within ``WINDOW`` lines: a Twilio
    account SID, a Shopify shop domain, a (self-hosted) GitLab URL, a Docker ID or Bitbucket user name.
    The first of each kind; a name found twice is kept once."""
    if line:
        lines = text.splitlines()
        text = "\n".join(lines[max(0, line - 1 - WINDOW):line + WINDOW])
    found: dict[str, str] = {}
    for name, pattern in _COMPANIONS:
        if name not in found and (match := pattern.search(text)):
            found[name] = match.group(1)
    return tuple(found.items())


def _content_reader(root: Path) -> Callable[[Finding], str | None]:
    """Reads a finding's content again (its blob through git, else the file under the repository's
    top): validation of a few rules needs a companion written beside the secret."""
    from credsweep.git.repo import discover

    repo = discover(root if root.is_dir() else root.parent)
    top = (repo.top or repo.git_dir) if repo is not None else root
    seen: dict[str, str | None] = {}

    def read(finding: Finding) -> str | None:
        key = finding.blob_id or finding.path
        if key in seen:
            return seen[key]
        data: bytes | None = None
        if finding.blob_id and repo is not None:
            from credsweep.sources.blobs import read_blobs

            try:
                data = next((blob for _, blob in read_blobs(top, [finding.blob_id])), None)
            except (OSError, CredsweepError):
                data = None
        if data is None and repo is not None and repo.top is not None:
            try:
                with open(repo.top / finding.path, "rb") as handle:
                    data = handle.read(MAX_READ + 1)
            except OSError:
                data = None
        text = data.decode("utf-8", "replace") if data is not None and len(data) <= MAX_READ else None
        seen[key] = text
        return text

    return read


def _hints(finding: Finding, read: Callable[[Finding], str | None]) -> tuple[tuple[str, str], ...]:
    if finding.identifier or not finding.rule.startswith(COMPANION_RULES):
        return ()
    text = read(finding)
    return companions(text, finding.line) if text else ()


def _advice_for(advice: Advice, validation: Validation, plan: frozenset[str]) -> Advice:
    if validation.status == LIVE:
        who = f" as {validation.identity}" if validation.identity else ""
        scopes = f", with scopes {', '.join(validation.scopes[:8])}" if validation.scopes else ""
        why = (f"critical: live: the provider accepted it{who}{scopes} on {validation.checked_at[:10]}; "
               "revoke it before anything else.")
        return replace(advice, urgency="critical", why=why)
    if validation.status == REVOKED:
        why = (f"low: revoked on {validation.checked_at[:10]}: the provider rejects it, so it no longer "
               "works; confirm it was rotated and remove it from the code.")
        steps = tuple(s for s in advice.steps if s != PURGE_STEP)
        commands = tuple(c for c in advice.commands if c not in plan)
        return replace(advice, urgency="low", why=why, steps=steps, commands=commands)
    return advice


def apply_validations(findings: Sequence[Finding], results: Mapping[str, Validation]) -> list[Finding]:
    """Each secret finding with its secret's answer and the urgency that follows (one new ``Advice``
    per distinct advice and answer, shared like ``advice.contextualize``'s); a revoked secret loses
    its history purge plan."""
    from credsweep.enrich.advice import purge_plan

    copies: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.kind == "secret" and finding.secret_id in results:
            copies.setdefault(finding.secret_id or "", []).append(finding)
    plans = {key: frozenset(purge_plan(group)) for key, group in copies.items()
             if results[key].status == REVOKED}
    out: list[Finding] = []
    made: dict[tuple[int, str, str | None, str, str], Advice] = {}
    for finding in findings:
        key = finding.secret_id or ""
        validation = results.get(key) if finding.kind == "secret" else None
        if validation is None:
            out.append(finding)
            continue
        made_key = (id(finding.advice), validation.status, validation.identity, validation.checked_at, key)
        advice = made.get(made_key)
        if advice is None:
            advice = made[made_key] = _advice_for(finding.advice, validation, plans.get(key, frozenset()))
        copy = finding.with_advice(advice)
        copy.__dict__["validation"] = validation  # frozen: set like with_advice, without re-running __init__
        out.append(copy)
    return out


def is_live(findings: Sequence[Finding]) -> bool:
    """Whether any of ``findings`` was validated live."""
    return any(f.validation is not None and f.validation.status == LIVE for f in findings)
