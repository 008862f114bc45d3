"""Advice: turn a finding into what to do now, from the provider's playbook."""

from __future__ import annotations

from credsweep.models import Advice
from credsweep.rules.loader import Provider, Rule


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def advice_for_secret(rule: Rule, provider: Provider) -> Advice:
    """Rotation advice for a secret found by ``rule``: revoke, audit, verify, with URLs and commands."""
    playbook = provider.playbook
    steps = list(playbook.revoke)
    steps += [f"Audit: {step}" for step in playbook.audit]
    steps += [f"Verify: {step}" for step in playbook.verify]
    steps.append("Then remove it from the code (read it from the environment or a secret manager) and purge it from git history.")
    return Advice(
        summary=playbook.summary,
        steps=tuple(steps),
        urls=_unique([provider.console_url, provider.docs_url, rule.reference, *playbook.urls]),
        commands=playbook.commands,
        urgency=rule.severity,
        why=f"{rule.name} ({rule.severity} severity) is in the repository.",
    )
