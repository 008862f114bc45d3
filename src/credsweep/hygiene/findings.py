"""Every hygiene finding is built here: credential files, .gitignore coverage and file modes.

The working-tree checks, the history scan (credential files ever committed: ``committed_file_finding``)
and the pre-commit path (credential files being staged: ``staged_file_finding``) all call ``hygiene_finding``, so a kind of problem reads the same
wherever it is found. The advice text is data: ``ADVICE`` below holds what to say about each check
(and its variants for test fixtures and for files that hold nothing secret), and the catalogue
(rulesets/_files.toml) says, per kind of file, what to rotate when a copy leaked.

Two judgements decide how loud a finding is:

- a **test fixture** (a path under ``tests/``, ``fixtures/``, ``testdata/``...) is there on purpose:
  its findings are low severity, advise keeping it out of production, and never untrack it by
  default (``fix --include-fixtures`` does);
- a credential file that **holds nothing secret** (an autoenv ``.env`` of shell commands, an empty
  Terraform state) is low severity: nothing to rotate, keep it out of git so a later secret is not
  committed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from credsweep import identity
from credsweep.judgement.location import is_test_material
from credsweep.models import WEAKENS_DETECTION, Advice, Finding, Location, Provenance
from credsweep.sources.binary import ZIP_MAGICS, is_binary
from credsweep.util.pathnames import shell_quote

if TYPE_CHECKING:
    from credsweep.hygiene.catalogue import FileRule


GIT_URLS = ("https://git-scm.com/docs/gitignore", "https://git-scm.com/docs/git-rm")
CONFIG_URL = "https://github.com/credsweep/credsweep/blob/main/SECURITY.md"
PURGE_URL = ("https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/"
             "removing-sensitive-data-from-a-repository")


@dataclass(frozen=True)
class Text:
    """What to say about one kind of hygiene problem. Fields are ``str.format`` templates over
    ``what`` (the file kind's name), ``rotate`` (the catalogue's rotation sentence), ``path``,
    ``mode``, ``line`` (a .gitignore line) and ``ignore_file``."""

    name: str
    """What was found (the finding's name)."""
    summary: str
    """What to do, in one sentence."""
    steps: tuple[str, ...] = ()
    """Further steps, in order."""
    severity: str | None = None
    """Fixed severity; None: the file kind's severity from the catalogue."""


_KEEP_OUT = "Keep it out of git from now on: a .gitignore line covers it."
_PUSHED_AWAY = ("Untracking it is a commit that deletes the file from the repository for everyone: collaborators "
                "lose their copy when they pull. Give them a template (e.g. .env.example) or tell them first.")
_FIXTURE = ("If only the tests use it, keeping it tracked is fine: make sure it is never used outside the tests "
            "(no deployment, no shared account). `fix` leaves it tracked unless given --include-fixtures.")
_HARMLESS = ("If the file is meant to be shared (an autoenv script, a template), allowlist its path in "
             ".credsweep.toml ([allowlist] paths) instead.")

ADVICE: dict[str, Text] = {
    # a credential file, by where it was found
    "sensitive-file.tracked": Text(
        "{what} is tracked by git", "Rotate what it holds, untrack it (git rm --cached) and ignore it.",
        ("{rotate}", "Stop tracking it; your copy stays on disk: git rm --cached.", _PUSHED_AWAY, _KEEP_OUT)),
    "sensitive-file.tracked.fixture": Text(
        "{what} is tracked as a test fixture", "A test fixture: keep it only if it is used nowhere but the tests.",
        (_FIXTURE,), "low"),
    "sensitive-file.tracked.harmless": Text(
        "{what} is tracked by git (nothing secret in it now)",
        "Nothing in it looks secret, so there is nothing to rotate; untrack and ignore it so a credential "
        "added later is not committed.", ("Stop tracking it; your copy stays on disk: git rm --cached.",
                                          _PUSHED_AWAY, _HARMLESS), "low"),
    "sensitive-file.committed": Text(
        "{what} was committed", "{rotate} Then remove it from history.",
        ("It stays in every clone until history is rewritten; rotating is what makes it harmless.", _KEEP_OUT)),
    "sensitive-file.committed.fixture": Text(
        "{what} was committed as a test fixture", "A test fixture: nothing to do if it was used nowhere but the tests.",
        (_FIXTURE,), "low"),
    "sensitive-file.committed.harmless": Text(
        "{what} was committed (nothing secret in it)",
        "Nothing in the committed copy looks secret: no rotation and no history rewrite needed.",
        (_KEEP_OUT, _HARMLESS), "low"),
    "sensitive-file.staged": Text(
        "{what} is staged", "Unstage it, keep it out of git with .gitignore, and keep it 0600.",
        ("Credential files must not be committed.", "{rotate} if it was ever committed or shared before.")),
    "sensitive-file.staged.harmless": Text(
        "{what} is staged (nothing secret in it now)",
        "Unstage it and ignore it: nothing in it looks secret yet, but a credential added later would be committed.",
        (_HARMLESS,), "low"),
    "sensitive-file.folder": Text(
        "{what}", "Keep this file out of version control and rotate what it holds.", ("{rotate}",)),
    # .gitignore coverage
    "gitignore.not-covered": Text(
        "no ignore rule covers {what}", "Add '{line}' to {ignore_file}.",
        ("Add the line '{line}' to {ignore_file}.",), "medium"),
    "gitignore.untracked-sensitive": Text(
        "{what} is untracked and not ignored: one `git add .` from being committed", "Add '{line}' to {ignore_file} now.",
        ("Add the line '{line}' to {ignore_file}.",), "high"),
    "gitignore.tracked-ignored": Text(
        "file is tracked although an ignore rule matches it (force-added or added before the rule)",
        "Untrack it (git rm --cached; the file stays on disk) or remove the ignore rule.",
        ("If it should not be in git: git rm --cached; otherwise add a negation (!path) rule.", _PUSHED_AWAY), "low"),
    "gitignore.tracked-ignored.fixture": Text(
        "{what} is a test fixture tracked although an ignore rule matches it",
        "A test fixture, force-added on purpose: keep it only if it is used nowhere but the tests.", (_FIXTURE,), "low"),
    "gitignore.tracked-ignored.sensitive": Text(
        "{what} is tracked although an ignore rule matches it",
        "Untrack it (git rm --cached; the file stays on disk): the ignore rule shows it was never meant to be shared.",
        ("{rotate}", _PUSHED_AWAY), "high"),
    # modes
    "file-mode.readable-by-others": Text(
        "{what} is accessible by group/others (mode {mode})", "Restrict it to its owner: chmod 600 {path}.",
        ("Files holding credentials or user data should be readable and writable by their owner only (0600).",
         ("git does not record this mode: it matters for the copy on this machine (and any server it is "
          "copied to), not for the repository."))),
    "file-mode.executable-credential": Text(
        "{what} committed as executable", "Clear the executable bit: a credential file is never a program.",
        ("Clear the bit in git and on disk.",), "medium"),
    "file-mode.executable-credential.staged": Text(
        "{what} is staged with the executable bit", "Unstage it, keep it out of git with .gitignore, and keep it 0600.",
        ("Credential files must not be committed, let alone as programs.",)),
    "file-mode.symlink-outside": Text(
        "symlink points outside the repository", "Check this symlink: it points outside the repository (not followed).",
        ("A symlink out of the tree can expose or overwrite files elsewhere when tools follow it.",), "medium"),
    # a scanned repository's own configuration
    WEAKENS_DETECTION: Text(
        "the repository's credsweep configuration weakens detection broadly: {line}",
        "Review this configuration: it hides most findings of any repository, or lets them pass. Narrow "
        "each entry to the files or values it is meant for.",
        ("A configuration committed to the repository is controlled by whoever can push to it: an entry "
         "that hides everything turns the scan off without a trace.",
         "Sweeping repositories you do not control? Pass --no-repo-config (fleet never reads a "
         "repository's configuration)."), "high"),
    "file-mode.ssh-dir": Text(
        ".ssh folder is accessible by group/others (mode {mode})", "chmod 700 {path}",
        ("ssh refuses keys in folders others can read; keep it 0700.",), "medium"),
}

_SOURCE_SITUATION = {"worktree": "tracked", "history": "committed", "staged": "staged"}


def advice_key(kind: str, rule: str, source: str, variants: Sequence[str] = (), in_git: bool = True) -> str:
    """The ``ADVICE`` entry for a finding: the check (by where it was found), then the first of
    ``variants`` (fixture, harmless, sensitive) that has its own text."""
    if kind == "sensitive-file":
        base = f"sensitive-file.{_SOURCE_SITUATION.get(source, 'tracked') if in_git else 'folder'}"
    elif f"{rule}.{source}" in ADVICE:
        base = f"{rule}.{source}"
    else:
        base = rule
    for variant in variants:
        if f"{base}.{variant}" in ADVICE:
            return f"{base}.{variant}"
    if base not in ADVICE:
        raise KeyError(f"no hygiene advice for {base}")
    return base


def file_holds_secret(file_rule: FileRule, path: str, data: bytes | None, has_match: bool) -> bool:
    """Does a credential file hold something worth rotating?

    A scanner match says yes; so does any kind the catalogue recognises by its content (a key block,
    an auth token line, a user table), a binary file (a keystore: we cannot look inside) and, for kinds
    recognised by name alone, the catalogue's ``holds`` pattern or a credential-named key with a
    real-looking value. An unreadable file is assumed to hold secrets."""
    from credsweep.hygiene.credentials import credential_keys

    if has_match or file_rule.content != "always" or data is None:
        return True
    if is_binary(data) or bytes(data[:4]) in ZIP_MAGICS:  # an archive, like a keystore: not read as text here
        return True
    text = data.decode("utf-8", "replace")
    if file_rule.holds and re.search(file_rule.holds, text):
        return True
    return bool(credential_keys(path.rsplit("/", 1)[-1], text))


def hygiene_finding(kind: str, rule: str, path: str, source: str = "worktree", *,
                    file_rule: FileRule | None = None, commands: Sequence[str] = (), mode: int | None = None,
                    holds_secret: bool = True, fixture: bool | None = None, in_git: bool = True,
                    line: str = "", ignore_file: str = "", severity: str | None = None, commit: str | None = None,
                    blob_id: str | None = None, provenance: Provenance | None = None,
                    salt: bytes | None = None) -> Finding:
    """The one constructor of hygiene findings.

    ``kind`` is sensitive-file, gitignore or file-mode; ``rule`` the check id (for sensitive-file
    findings, the catalogue entry's id); ``source`` worktree, history or staged. ``commands`` fix the
    problem (never containing a secret). ``fixture`` defaults to ``is_test_material(path)``;
    ``holds_secret=False`` marks a credential file with nothing secret in it (see ``file_holds_secret``);
    ``severity`` overrides the advice table's (and the catalogue's) severity; ``salt`` is the identity
    key (default: the user's report salt).
    """
    fixture = is_test_material(path) if fixture is None else fixture
    sensitive = file_rule is not None
    variants = [name for name, on in (("fixture", fixture and sensitive), ("harmless", not holds_secret),
                                      ("sensitive", sensitive)) if on]
    text = ADVICE[advice_key(kind, rule, source, variants, in_git)]
    fields = {
        "what": file_rule.name if file_rule else "file holding a secret",
        "rotate": file_rule.rotate if file_rule else "Rotate the secrets it holds.",
        "path": shell_quote(path), "mode": f"{mode:o}" if mode is not None else "",
        "line": line, "ignore_file": ignore_file,
    }
    severity = severity or text.severity or (file_rule.severity if file_rule else "medium")
    name = text.name.format(**fields)
    urls = (CONFIG_URL,) if kind == "config" else (PURGE_URL, *GIT_URLS) if source == "history" else GIT_URLS
    return Finding(
        kind=kind, rule=rule, provider="hygiene", name=name, severity=severity, confidence="high", path=path,
        line=None, column=None, fingerprint=identity.fingerprint(kind, rule, path, identity.report_salt() if salt is None else salt), redacted="",
        advice=Advice(summary=text.summary.format(**fields), steps=tuple(s.format(**fields) for s in text.steps),
                      commands=tuple(commands), urls=urls, urgency=severity, why=f"{name}."),
        source=source, commit=commit, blob_id=blob_id, provenance=provenance, mode=mode,
    )


def committed_file_finding(rule: FileRule, location: Location, provenance: Provenance,
                           holds_secret: bool = True) -> Finding:
    """A credential file found in history (``holds_secret``: see ``file_holds_secret``)."""
    return hygiene_finding("sensitive-file", rule.id, location.path, location.source, file_rule=rule,
                           holds_secret=holds_secret, commit=location.commit, blob_id=location.blob_id,
                           provenance=provenance)


def staged_file_finding(rule: FileRule, location: Location, executable: bool, holds_secret: bool = True) -> Finding:
    """A credential file about to be committed (with the executable bit: a file-mode finding)."""
    path = location.path
    return hygiene_finding(
        "file-mode" if executable else "sensitive-file", "file-mode.executable-credential" if executable else rule.id,
        path, location.source, file_rule=rule, blob_id=location.blob_id, holds_secret=holds_secret,
        commands=(f"git restore --staged -- {shell_quote(path)}",
                  f"printf '%s\\n' {shell_quote('/' + path)} >> .gitignore"))
