"""File-level findings of history and staged scans (credential files committed or about to be).

The working-tree checks build theirs in ``hygiene.checks``.
"""

from __future__ import annotations

import shlex

from credsweep import identity
from credsweep.hygiene.catalogue import FileRule
from credsweep.models import Advice, Finding, Location, Provenance

GITHUB_PURGE_DOC = ("https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/"
                    "removing-sensitive-data-from-a-repository")


def committed_file_finding(rule: FileRule, location: Location, provenance: Provenance) -> Finding:
    """A credential file found in history."""
    return Finding(
        kind="sensitive-file", rule=rule.id, provider="hygiene", name=f"{rule.name} was committed",
        severity=rule.severity, confidence="high", path=location.path, line=None, column=None,
        source=location.source, commit=location.commit, blob_id=location.blob_id,
        fingerprint=identity.fingerprint("sensitive-file", rule.id, location.path), redacted="",
        provenance=provenance,
        advice=Advice(summary="Rotate every credential this file held, then remove it from history.",
                      steps=("It stays in every clone until history is rewritten; rotating is what makes it harmless.",
                             "Keep it out of git from now on: add it to .gitignore."),
                      urls=(GITHUB_PURGE_DOC,), urgency=rule.severity, why=f"{rule.name} is in the history."),
    )


def staged_file_finding(rule: FileRule, location: Location, executable: bool) -> Finding:
    """A credential file about to be committed."""
    return Finding(
        kind="file-mode" if executable else "sensitive-file",
        rule="file-mode.executable-credential" if executable else rule.id, provider="hygiene",
        name=f"{rule.name} is staged" + (" with the executable bit" if executable else ""),
        severity=rule.severity, confidence="high", path=location.path, line=None, column=None,
        fingerprint=identity.fingerprint("sensitive-file", rule.id, location.path), redacted="",
        source=location.source, blob_id=location.blob_id,
        advice=Advice(summary="Unstage it, keep it out of git with .gitignore, and keep it 0600.",
                      steps=("Credential files must not be committed.",),
                      commands=(f"git restore --staged -- {shlex.quote(location.path)}",
                                f"printf '%s\\n' {shlex.quote('/' + location.path)} >> .gitignore"),
                      urls=("https://git-scm.com/docs/gitignore",), urgency=rule.severity,
                      why=f"{rule.name} is about to be committed."),
    )
