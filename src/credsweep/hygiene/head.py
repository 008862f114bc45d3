"""Hygiene of HEAD's tree where there is no working tree (a fleet mirror): credential files committed
executable, and symlinks pointing out of the repository. ``skips`` is the pipeline's path allowlist."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from credsweep.models import Finding


def head_hygiene(git_dir: Path, skips: Callable[[str], bool], salt: bytes) -> list[Finding]:
    """Hygiene that applies to HEAD's tree when there is no working tree: credential files committed
    executable, and symlinks pointing out of the repository. (Credential files ever committed are
    reported by the history scan, with ``in_head``.)"""
    from credsweep import identity
    from credsweep.git.repo import ls_tree
    from credsweep.hygiene.catalogue import load_catalogue
    from credsweep.models import Advice, Finding
    from credsweep.sources.blobs import read_blobs

    executables: list[str] = []
    links: dict[str, str] = {}
    for entry in ls_tree(git_dir):
        if skips(entry.path):
            continue
        if entry.mode == "100755":
            executables.append(entry.path)
        elif entry.mode == "120000":
            links[entry.oid] = entry.path
    catalogue = load_catalogue()
    out: list[Finding] = []

    def finding(rule: str, name: str, path: str, summary: str, steps: tuple[str, ...]) -> Finding:
        return Finding(kind="file-mode", rule=rule, provider="hygiene", name=name, severity="medium",
                       confidence="high", path=path, line=None, column=None, source="head",
                       fingerprint=identity.fingerprint("file-mode", rule, path, salt), redacted="",
                       advice=Advice(summary=summary, steps=steps, urgency="medium", why=name))

    for path in executables:
        rule = catalogue.classify(path, lambda: None) if catalogue.could_match(path) else None
        if rule is not None:
            out.append(finding("file-mode.executable-credential", f"{rule.name} committed as executable", path,
                               "Clear the executable bit: a credential file is never a program.",
                               (f"git update-index --chmod=-x -- {path}",)))
    for oid, target in read_blobs(git_dir, list(links)) if links else ():
        path = links[oid]
        # resolved against a stand-in root: normpath("/..") would be "/" and hide an escape
        where = os.path.normpath(os.path.join("/top", os.path.dirname(path), target.decode("utf-8", "replace")))
        if target.startswith(b"/") or not where.startswith("/top/"):
            out.append(finding("file-mode.symlink-outside", "symlink points outside the repository", path,
                               "Check this symlink: it points outside the repository (not followed).",
                               ("A symlink out of the tree can expose or overwrite files elsewhere.",
                                "Replace it with a path inside the repository or remove it.")))
    return out
