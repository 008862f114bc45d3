"""Live validation: ask a credential's own provider whether it still works, and who it is.

A ``Validator`` (one per provider family, listed in ``providers.VALIDATORS``) names the rule ids it
checks, the provider's documented, side-effect-free identity or introspection call (with its doc
URL), how to build that call for a credential, and how to read the answer:

- ``live``: the provider accepted the credential (with the identity and scopes it returned);
- ``revoked``: the provider answered that the credential is invalid (its documented invalid-credential
  answer: mostly 401, some 403, Mandrill a 500 with ``Invalid_Key``...);
- ``unknown``: anything else: no validator for the rule, a needed companion value missing (AWS key
  id, Twilio account SID...), network error, timeout, rate limit, 5xx, redirect, unexpected answer.

A credential is sent only to its provider's base URL fixed here (or the ``CREDSWEEP_API_BASE_URLS``
override). The exceptions are provider designs where the host is part of the credential's own
account: Mailchimp's data centre (``-us6`` at the end of the key: ``us6.api.mailchimp.com``) and a
Shopify shop (``NAME.myshopify.com``, strictly matched); and a self-hosted GitLab URL found beside a
token, used only with ``--validate-self-hosted`` (``NetConfig.self_hosted``).

Validation runs after judgement, once per distinct secret (``validate_all`` groups by
``secret_id``), and never raises for a network problem: that is an ``unknown`` result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from credsweep.models import LIVE as LIVE
from credsweep.models import REVOKED as REVOKED
from credsweep.models import UNKNOWN as UNKNOWN
from credsweep.models import Validation as Validation

if TYPE_CHECKING:
    from credsweep.net.cache import ValidationCache
    from credsweep.net.client import HttpResponse, NetClient



def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(timezone.utc)


def iso(when: datetime) -> str:
    """ISO 8601 UTC with a ``Z``, to the second."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Credential:
    """A secret finding to validate. ``secret`` is memory only (``repr=False``)."""

    rule: str
    """Rule id of the finding (``github.pat.classic``)."""
    secret: str = field(repr=False)
    """The secret itself."""
    secret_id: str
    """Salted hash of the secret (``identity.secret_id``): the cache key and the de-duplication key."""
    identifier: str | None = None
    """A non-secret companion found beside it: AWS access key id, Twilio account SID, a user name."""
    hints: tuple[tuple[str, str], ...] = ()
    """Other companions by name: ``shop`` (a myshopify.com domain), ``gitlab_url`` (self-hosted),
    ``username``, ``account_sid``."""

    def hint(self, name: str) -> str | None:
        """The hint ``name``, or None."""
        for key, value in self.hints:
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class Verdict:
    """A validator's reading of one answer (``Validation`` without provider and time)."""

    status: str
    """``live``, ``revoked`` or ``unknown``."""
    identity: str | None = None
    """Identity, when the answer names one."""
    scopes: tuple[str, ...] = ()
    """Scopes, when the answer lists them."""
    reason: str | None = None
    """Why, for ``unknown`` (or a note)."""


@dataclass(frozen=True)
class Call:
    """One request a validator wants sent: path, method, headers, body under a base URL."""

    path: str = field(repr=False)
    """Path under the base URL (may hold the credential: Telegram, Mapbox)."""
    method: str = "GET"
    """HTTP method."""
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    """Headers (the credential is usually here)."""
    body: bytes | None = field(default=None, repr=False)
    """Request body."""
    params: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    """Query parameters."""


@dataclass(frozen=True)
class Target:
    """Where a call goes: a default base URL fixed in code, under the service's override key."""

    base: str
    """Default base URL (``https://api.github.com``)."""
    service: str
    """Override and rate-limit key (the provider id)."""


Builder = Callable[[Credential, str, Callable[[], datetime]], "Call | str"]
"""``build(credential, resolved_base_url, clock)``: the call, or a reason it cannot be made."""
Judge = Callable[["HttpResponse"], Verdict]
"""Reads one answer."""
Targets = Callable[[Credential, bool], "tuple[Target, ...] | str"]
"""``targets(credential, self_hosted)``: where to ask (tried in order), or why nowhere."""


@dataclass(frozen=True)
class Validator:
    """One provider's validation: rules, the documented call, and how to read its answer."""

    provider: str
    """Provider id: the ``CREDSWEEP_API_BASE_URLS`` key and the rate-limit bucket."""
    name: str
    """Provider name for people."""
    rules: tuple[str, ...]
    """Rule ids checked; an entry also covers its dotted sub-ids (``aws.secret-access-key`` covers
    ``aws.secret-access-key.near-key-id``)."""
    endpoint: str
    """The call, for people (``GET https://api.github.com/user``)."""
    doc_url: str
    """The provider's API reference for that call."""
    reveals: str
    """What a live answer tells (for docs/validation.md)."""
    targets: Targets
    """Where to ask."""
    build: Builder
    """The request."""
    judge: Judge
    """The answer's meaning."""
    needs: str | None = None
    """A companion value the call needs besides the secret (for docs), if any."""
    identity_of: Callable[[Credential], str | None] | None = None
    """Where a live answer names nobody: the companion the call used (a shop, a user name)."""

    def covers(self, rule: str) -> bool:
        """Whether this validator checks ``rule``."""
        return any(rule == r or rule.startswith(r + ".") for r in self.rules)


class Registry:
    """Validators by rule id (exact id first, then the longest covering family)."""

    def __init__(self, validators: Iterable[Validator]) -> None:
        self.validators: tuple[Validator, ...] = tuple(validators)
        """Every validator, in registration order."""

    def for_rule(self, rule: str) -> Validator | None:
        """The validator for ``rule``, or None."""
        best: tuple[int, Validator] | None = None
        for validator in self.validators:
            for entry in validator.rules:
                covers = rule == entry or rule.startswith(entry + ".")
                if covers and (best is None or len(entry) > best[0]):
                    best = (len(entry), validator)
        return best[1] if best else None

    def providers(self) -> tuple[str, ...]:
        """Distinct provider ids, in registration order."""
        return tuple(dict.fromkeys(v.provider for v in self.validators))


def default_registry() -> Registry:
    """The built-in validators (``providers.VALIDATORS``)."""
    from credsweep.net.providers import VALIDATORS

    return Registry(VALIDATORS)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(identity: str | None, secret: str) -> str | None:
    """An identity fit to show: one line, at most 200 characters, and never holding the secret."""
    if not identity:
        return None
    identity = _CONTROL.sub(" ", identity).strip()[:200]
    if not identity or (len(secret) >= 8 and secret in identity):
        return None
    return identity


def _finish(verdict: Verdict, provider: str, cred: Credential, when: datetime) -> Validation:
    scopes = tuple(s for s in (_clean(s, cred.secret) for s in verdict.scopes[:100]) if s)
    return Validation(
        verdict.status, provider, _clean(verdict.identity, cred.secret), scopes, verdict.reason, iso(when)
    )


def validate_one(
    cred: Credential,
    client: NetClient,
    registry: Registry,
    clock: Callable[[], datetime] = utc_now,
) -> Validation:
    """Ask ``cred``'s provider about it; never raises for a network problem (``unknown``)."""
    from credsweep.net.client import HttpRequest, NetworkError

    validator = registry.for_rule(cred.rule)
    if validator is None:
        return Validation(UNKNOWN, cred.rule.split(".", 1)[0], reason="no validator for this rule", checked_at=iso(clock()))
    provider = validator.provider
    targets = validator.targets(cred, client.config.self_hosted)
    if isinstance(targets, str):
        return Validation(UNKNOWN, provider, reason=targets, checked_at=iso(clock()))
    verdicts: list[Verdict] = []
    asked: set[str] = set()
    for target in targets:
        base = client.base_for(target.service, target.base)
        if base in asked:  # regional bases all overridden to one URL
            continue
        asked.add(base)
        call = validator.build(cred, base, clock)
        if isinstance(call, str):
            return Validation(UNKNOWN, provider, reason=call, checked_at=iso(clock()))
        request = HttpRequest(
            service=target.service,
            base=target.base,
            path=call.path,
            method=call.method,
            params=call.params,
            headers=call.headers,
            body=call.body,
        )
        try:
            response = client.send(request)
        except NetworkError as exc:
            verdict = Verdict(UNKNOWN, reason=str(exc))
        else:
            try:
                verdict = validator.judge(response)
            except (ValueError, KeyError, TypeError, AttributeError):
                verdict = Verdict(UNKNOWN, reason=f"unexpected answer (HTTP {response.status})")
        if verdict.status == LIVE:
            if verdict.identity is None and validator.identity_of is not None:
                verdict = Verdict(LIVE, validator.identity_of(cred), verdict.scopes, verdict.reason)
            return _finish(verdict, provider, cred, clock())
        verdicts.append(verdict)
    # live nowhere: revoked only when every place asked said so
    if verdicts and all(v.status == REVOKED for v in verdicts):
        return _finish(verdicts[0], provider, cred, clock())
    unknown = next((v for v in verdicts if v.status == UNKNOWN), Verdict(UNKNOWN, reason="no answer"))
    return _finish(unknown, provider, cred, clock())


def validate_all(
    creds: Sequence[Credential],
    client: NetClient,
    registry: Registry | None = None,
    cache: ValidationCache | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> dict[str, Validation]:
    """Validate each distinct secret once (by ``secret_id``), concurrently, using and filling
    ``cache``; returns results by ``secret_id``."""
    registry = registry or default_registry()
    distinct: dict[str, Credential] = {}
    for cred in creds:
        distinct.setdefault(cred.secret_id, cred)
    results: dict[str, Validation] = {}
    todo: list[Credential] = []
    for secret_id, cred in distinct.items():
        cached = cache.get(secret_id, clock()) if cache is not None else None
        if cached is not None:
            results[secret_id] = cached
        else:
            todo.append(cred)
    if todo:
        workers = max(1, min(client.config.concurrency, len(todo)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="credsweep-validate") as pool:
            fresh = list(pool.map(lambda c: validate_one(c, client, registry, clock), todo))
        for cred, validation in zip(todo, fresh, strict=True):
            results[cred.secret_id] = validation
        if cache is not None:
            cache.put_all({c.secret_id: v for c, v in zip(todo, fresh, strict=True)}, clock())
    return results
