"""Advice: turn findings into what to do now, how urgently, and how to clean history afterwards.

Three steps: ``advice_for_secret`` gives the provider playbook for one match (scanner); then
``contextualize`` re-rates urgency from exposure (pushed? still in HEAD? for how long? how many
copies? a public-looking remote? only in test fixtures?) and adds the history purge plan;
``group_findings`` makes one rotation task per distinct secret, and ``entries`` what a person reads:
each secret with the file-level problems of the files holding it. Commands never contain a secret,
only placeholders.

One urgency scale everywhere: ``LEVELS`` (low, medium, high, critical). A rule's severity is where a
secret starts; its urgency is where exposure puts it, and the "why" sentence starts with that word.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from credsweep.content.validators import jwt_exp
from credsweep.judgement.location import is_test_material
from credsweep.models import (
    CONFIDENCES,
    ENCRYPTED_KEY,
    IDENTIFIER_ALONE,
    LEVELS,
    TEST_FIXTURE,
    WEAKENS_DETECTION,
    Advice,
    Finding,
)
from credsweep.rules.loader import Provider, Rule
from credsweep.util.pathnames import shell_quote

PUBLIC_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht", "gitee.com")
STALE_DAYS = 30


def reaches(findings: Iterable[Finding], fail_on: str | None) -> bool:
    """Whether ``findings`` hold one at least as urgent as ``fail_on`` (None: any finding at all):
    what makes a command exit 1 (``--fail-on``)."""
    if fail_on is None:
        return any(True for _ in findings)
    floor = LEVELS.index(fail_on)
    # a repository configuration that weakens detection may be what set ``fail_on``: it always counts
    return any(LEVELS.index(f.advice.urgency) >= floor or f.rule == WEAKENS_DETECTION for f in findings)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def advice_for_secret(rule: Rule, provider: Provider, identifier: str | None = None,
                      placeholder: str | None = None) -> Advice:
    """Rotation advice for a secret found by ``rule``: revoke, audit, verify, with URLs and commands.

    A paired identifier (an AWS access key id) is named by its last four characters only, so the
    output still never holds a full credential value (``--show-secrets`` prints the full identifier).
    """
    playbook = provider.playbook
    commands = playbook.commands
    steps = list(playbook.revoke)
    if identifier and placeholder:
        steps.insert(0, f"The leaked credential's {placeholder} ends in ...{identifier[-4:]}; use it below.")
    steps += [f"Audit: {step}" for step in playbook.audit]
    steps += [f"Verify: {step}" for step in playbook.verify]
    steps.append("Remove it from the code: read it from the environment or a secret manager instead.")
    return Advice(
        summary=playbook.summary,
        steps=tuple(steps),
        urls=_unique([provider.console_url, provider.docs_url, rule.reference, *playbook.urls]),
        commands=commands,
        urgency=rule.severity,
        why=f"{rule.name} ({rule.severity} severity) is in the repository.",
        expires_after=rule.lifetime,
    )


@dataclass(frozen=True)
class Exposure:
    """What the repository tells us about how far a secret may have travelled."""

    remotes: tuple[str, ...] = ()
    """Remote URLs (credentials stripped)."""
    bare: bool = False
    """A bare repository: a server copy or a mirror, whose branches are what others fetch."""

    @property
    def public_remote(self) -> bool:
        """A remote on a public hosting service (it may still be a private repository there)."""
        return any(host in url for url in self.remotes for host in PUBLIC_HOSTS)


FIXTURE_PROVIDERS = frozenset({"private-key", "putty", "password-hash", "crypto-wallet"})
"""Credentials a project makes for itself (no service issued them): found only in test fixtures, they
are the tests' own keys and hashes, low urgency (a wallet's key too: its owner drew it, and a test's wallet holds
no funds). A token a service issued is urgent wherever it is."""


def _bump(level: str, by: int) -> str:
    return LEVELS[max(0, min(len(LEVELS) - 1, LEVELS.index(level) + by))]


def _seconds_since(iso: str | None, now: _dt.datetime) -> float | None:
    """Seconds from an ISO date (``Provenance.first_seen``) to ``now``, never negative; None when unreadable."""
    if not iso:
        return None
    try:
        then = _dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=_dt.timezone.utc)
    return max((now - then).total_seconds(), 0.0)


def only_in_fixtures(findings: Sequence[Finding]) -> bool:
    """Every copy is under a test-fixture folder (tests/, fixtures/, testdata/...)."""
    return all(is_test_material(f.path) for f in findings)


def _why(level: str, base: str, reasons: Sequence[str]) -> str:
    """One sentence that starts with the urgency shown on the label and says what moved it."""
    change = "" if level == base else f" ({'raised' if LEVELS.index(level) > LEVELS.index(base) else 'lowered'} from {base})"
    return f"{level.capitalize()}{change}: " + "; ".join(reasons) + "."


def rate(findings: Sequence[Finding], exposure: Exposure, now: _dt.datetime | None = None) -> tuple[str, str]:
    """(urgency, one sentence why) for all copies of one secret, on the one scale of ``LEVELS``.

    The sentence starts with the urgency itself (and the rule's level when exposure moved it), so the
    words always match the label."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    base = max((f.severity for f in findings), key=LEVELS.index)
    if findings[0].kind != "secret":
        return base, _why(base, base, [findings[0].name])
    # a key every copy of which sits in tests, fixtures, examples or docs (``test-fixture``): the tests' or
    # the samples' own material, low like a fixture folder's
    labelled = all(TEST_FIXTURE in f.reasons for f in findings)
    if findings[0].provider in FIXTURE_PROVIDERS and (only_in_fixtures(findings) or labelled):
        where = sorted({f.path.rsplit("/", 1)[0] for f in findings})
        place = "test fixtures" if only_in_fixtures(findings) else _only_place(findings) or "test fixtures"
        return "low", _why("low", base, [
            (f"found only in {place} ({', '.join(where[:2])}{' and more' if len(where) > 2 else ''}): "
            "the tests' or samples' own material, to replace only if it is used anywhere else")])
    if all(IDENTIFIER_ALONE in f.reasons for f in findings):
        # not a secret: where it went changes nothing, and it grants nothing alone (never above medium);
        # what to look for
        level = "low" if max((f.confidence for f in findings), key=CONFIDENCES.index) == "low" \
            else min(base, "medium", key=LEVELS.index)
        return level, _why(level, base, [
            "an identifier, not a secret: it names a credential whose secret was not found beside it; find that "
            "secret (history, CI settings, other files) and rotate it"])
    prov = [f.provenance for f in findings if f.provenance]
    pushed = any(p.pushed for p in prov)
    in_head = any(p.in_head for p in prov) or any(f.source == "worktree" for f in findings)
    first = min((p.first_seen or p.date or "" for p in prov if p.first_seen or p.date), default=None)
    exposed = _seconds_since(first, now)
    age = None if exposed is None else int(exposed // 86400)
    copies = len({(f.path, f.commit) for f in findings})
    reasons = []
    level = base
    if pushed:
        level = _bump(level, 1)
        reasons.append("pushed to a remote" + (" on a public hosting service" if exposure.public_remote else ""))
        if exposure.public_remote:
            level = "critical"
    elif prov and exposure.bare:
        reasons.append("in a bare repository (a server copy or a mirror, whose branches others fetch)")
    elif prov:
        level = _bump(level, -1)
        reasons.append("only in local commits so far (amend or drop them before pushing)" if exposure.remotes
                       else "only in local commits (no remote is configured)")
    if not prov:
        reasons.append("in the working tree")
    else:
        reasons.append("still in HEAD" if in_head else "no longer in HEAD but still in history")
    if age is not None and age >= STALE_DAYS:
        level = _bump(level, 1) if pushed else level
        reasons.append(f"exposed for {age} days")
    if copies > 1:
        reasons.append(f"{copies} copies")
    lifetime = findings[0].advice.expires_after
    if lifetime is not None and exposed is not None and exposed > lifetime + EXPIRY_MARGIN:
        # a token that lives an hour, committed years ago, has expired: nothing left to revoke
        reasons.append(f"expired: this kind of token lives {_duration(lifetime)} once issued, and this one was first "
                       f"committed {_duration(exposed)} ago (revoke it only if it was refreshed or is still accepted)")
        return "low", _why("low", base, reasons)
    expiry = _jwt_expiry(findings)
    if expiry is not None and (now - expiry).total_seconds() > EXPIRY_MARGIN:
        # a JWT carries its own end: every library refuses it after its exp claim
        reasons.append(f"expired: the token's own exp claim ended it on {expiry.date().isoformat()} (it is refused "
                       "since; rotate its signing key only if that key was committed too)")
        return "low", _why("low", base, reasons)
    if all(ENCRYPTED_KEY in f.reasons for f in findings) and level == "critical":
        # the key needs its passphrase too: rotate it, but it is not a working key in anyone's hands by itself
        level = "high"
        reasons.append("not critical: the key is encrypted with a passphrase, so it is of use only with that "
                       "passphrase (which may be weak, or written down nearby); rotate it all the same")
    place = _only_place(findings)
    if place:
        level = _bump(level, -1)
        reasons.append(f"only in {place}, where most values are samples")
    confidence = max((f.confidence for f in findings), key=CONFIDENCES.index)
    if confidence == "low":
        # urgency follows confidence: what is probably not a credential is never urgent
        level = "low"
        said = list(dict.fromkeys(r for f in findings for r in f.reasons if r not in PLACE_REASONS))
        reasons.append("confidence low" + (f" ({', '.join(said[:3])})" if said else ""))
    elif confidence == "medium" and LEVELS.index(level) > LEVELS.index("medium") and typed(findings):
        # a value found by its key name alone that a person could have typed (a word, a short or typed
        # password): as often a default, a sample or a local account as a live credential, so it is
        # listed for review after what is known or generated, and never called urgent
        level = "medium"
        reasons.append("not high: confidence medium and the value was typed, not generated (a word or a short "
                       "password found by its key name may be a default or a sample: check it before rotating)")
    elif confidence == "medium" and level == "critical":
        # critical is for what is known to be a credential (a provider's format, a key, a pairing):
        # a value found by its key name or its place alone may still be a word or a default
        level = "high"
        reasons.append("not critical: confidence medium (no provider format, checksum or pairing confirms it)")
    return level, _why(level, base, reasons)


def _jwt_expiry(findings: Sequence[Finding]) -> _dt.datetime | None:
    """The latest ``exp`` claim of a JWT's copies (RFC 7519 section 4.1.4), or None when a copy is not a JWT, has
    no numeric ``exp`` or its secret is not at hand."""
    latest: int | None = None
    for finding in findings:
        exp = jwt_exp(finding.secret) if finding.secret and finding.provider == "jwt" else None
        if exp is None:
            return None
        latest = exp if latest is None else max(latest, exp)
    return None if latest is None else _dt.datetime.fromtimestamp(latest, _dt.timezone.utc)


EXPIRY_MARGIN = 86400
"""Seconds past a format's lifetime before a copy is called expired (clocks, time zones, a commit's date set late)."""


def _duration(seconds: float) -> str:
    """``an hour``, ``36 hours``, ``12 days``, ``4 years``: a lifetime or an age in words."""
    hours = seconds / 3600
    if hours < 1.5:
        return "an hour" if hours >= 0.75 else f"{max(round(seconds / 60), 1)} minutes"
    if hours < 48:
        return f"{round(hours)} hours"
    days = hours / 24
    return f"{round(days)} days" if days < 730 else f"{round(days / 365)} years"


PLACE_REASONS = {"test-location": "test code", "fixture-location": "test fixtures",
                 "example-location": "examples", "docs-location": "documentation",
                 "vendored-location": "vendored third-party code",
                 "dev-environment-location": "local development environments",
                 "scanner-report": "secret scanners' reports", "docstring-sample": "a usage sample"}
"""Location reasons that lower urgency (every copy of a secret under one of them), and their words."""


def _only_place(findings: Sequence[Finding]) -> str:
    """What every copy's place is when each is in tests, fixtures, examples, docs or vendored code
    (``test code and examples``), else ''."""
    places: list[str] = []
    for finding in findings:
        here = [PLACE_REASONS[r] for r in finding.reasons if r in PLACE_REASONS]
        if not here:
            return ""
        places.extend(here[:1])
    return " and ".join(dict.fromkeys(places))


MAX_PATHS_LISTED = 10
"""Paths named in a purge plan's comment: each finding carries its plan, so the list must stay short
(a secret copied into a thousand files would otherwise put a thousand paths into every finding).
The replacement itself is by value, so it removes every copy whatever the list shows."""


def typed(findings: Sequence[Finding]) -> bool:
    """Every copy is a value a person could have typed (``value_class`` ``text``: a word, a short or typed
    password), not a provider's format or a generated value."""
    return all(f.value_class == "text" for f in findings)


def replaceable(findings: Sequence[Finding]) -> bool:
    """The secret can be replaced by value in a history rewrite (``--replace-text``): a value that
    cannot occur as ordinary text (a provider's format, 16 or more generated-looking characters, a key
    block), in a text file (not a database cell or an archive member). Any other value (a word, a short or
    typed password) would also rewrite every unrelated occurrence of that text in the whole history."""
    return all(f.value_class in ("provider-format", "random") and not f.cell for f in findings)


def rewrite_notes(findings: Sequence[Finding]) -> list[str]:
    """Comment lines naming the files and commits to rewrite by hand, and why, for a secret that
    ``replaceable`` says must not be replaced by value."""
    files: dict[str, list[str]] = {}
    for f in findings:
        commit = f.commit or (f.provenance.commit if f.provenance else None)
        listed = files.setdefault(f.path, [])
        if commit and commit[:10] not in listed:
            listed.append(commit[:10])
    why = ("it is in a database or archive file: drop the file from history (below)" if any(f.cell for f in findings)
           else "it may occur as ordinary text (a word, a short or typed value): replacing it by value would "
                "rewrite every unrelated occurrence in the whole history")
    out = [f"# {findings[0].name} ({findings[0].redacted}): not replaced by value, because {why}."]
    if not any(f.cell for f in findings):
        out.append("#    Edit these files in the commits that introduced it (git rebase -i <COMMIT>~1, amend, continue):")
    for path, commits in list(files.items())[:MAX_PATHS_LISTED]:
        out.append(f"#    {path}" + (f": {', '.join(commits[:5])}" + (" and more" if len(commits) > 5 else "")
                                       if commits else ""))
    if len(files) > MAX_PATHS_LISTED:
        out.append(f"#    ... and {len(files) - MAX_PATHS_LISTED} more paths")
    return out


def purge_plan(findings: Sequence[Finding]) -> tuple[str, ...]:
    """git filter-repo commands that remove the secret (or credential file) from history. Printed, never run.

    A secret is replaced by value only when ``replaceable``; otherwise the plan names the files and
    commits to rewrite (and a database or archive file is dropped by path)."""
    in_history = [f for f in findings if f.commit or (f.provenance and f.provenance.commit)]
    if not in_history:
        return ()
    first = findings[0]
    if first.kind == "secret" and replaceable(in_history):
        files = sorted({f.path for f in in_history})
        body = [
            "# 1. Rotate first: purging history does not un-leak a secret that was pushed.",
            "# Committed in: " + ", ".join(files[:MAX_PATHS_LISTED])
            + (f" (and {len(files) - MAX_PATHS_LISTED} more paths)" if len(files) > MAX_PATHS_LISTED else ""),
            "# 2. Put the old value in a file outside the repository (one line: <OLD_SECRET>==>REMOVED):",
            "printf '%s==>REMOVED\\n' \"$OLD_SECRET\" > ../credsweep-replacements.txt",
            "git filter-repo --sensitive-data-removal --replace-text ../credsweep-replacements.txt",
        ]
    elif first.kind == "secret":
        body = ["# 1. Rotate first: purging history does not un-leak a secret that was pushed.",
                *rewrite_notes(in_history)]
        databases = sorted({f.path for f in in_history if f.cell})
        if databases:
            body.append("git filter-repo --sensitive-data-removal --invert-paths "
                        + " ".join(f"--path {shell_quote(p)}" for p in databases))
    else:
        paths = sorted({f.path for f in findings})
        body = [
            "# 1. Rotate every credential the file held first.",
            "git filter-repo --sensitive-data-removal --invert-paths " + " ".join(f"--path {shell_quote(p)}" for p in paths),
        ]
    return (
        *body,
        ("# 3. Force-push every branch and tag, and ask collaborators to re-clone: "
        "forks, clones, CI caches and the hosting service's cached views keep the old objects."),
        "git push --force --mirror origin",
        "rm -f ../credsweep-replacements.txt" if first.kind == "secret" else "# done",
    )


def contextualize(findings: Sequence[Finding], exposure: Exposure, purge: bool = True) -> list[Finding]:
    """Findings with urgency, why and (for history, unless not ``purge``) a purge plan, rated per
    distinct secret. ``pre-push`` rates without a plan: its commits are rewritten before they leave.

    Copies that end with the same advice share one ``Advice`` (advice is per rule, urgency and plan,
    not per finding): many findings of one rule cost one new ``Advice``, not one each."""
    out: list[Finding] = []
    now = _dt.datetime.now(_dt.timezone.utc)
    made: dict[tuple[int, str, str, bool, tuple[str, ...]], Advice] = {}
    for group in group_findings(findings):
        urgency, why = rate(group.findings, exposure, now)
        # low urgency (test fixtures, credential files holding nothing secret) never warrants rewriting history
        plan = purge_plan(group.findings) if urgency != "low" and purge else ()
        for finding in group.findings:
            advice = finding.advice
            unpushed = bool(finding.provenance and not finding.provenance.pushed and finding.kind == "secret")
            key = (id(advice), urgency, why, unpushed, plan)  # the finding keeps ``advice`` (and its id) alive
            new = made.get(key)
            if new is None:
                steps = advice.steps
                if unpushed:
                    steps = (("Not pushed yet: rewrite the local commits (git commit --amend / git rebase -i) "
                             "so the secret never reaches a remote, then rotate it anyway if in doubt."), *steps)
                if plan:
                    steps = (*steps, "Purge it from history with the commands below once it is rotated.")
                new = made[key] = replace(advice, urgency=urgency, why=why, steps=steps,
                                          commands=_unique([*advice.commands, *plan]))
            out.append(finding.with_advice(new))
    return out


@dataclass(frozen=True)
class Group:
    """One rotation task: every copy of one secret (or one file-level problem)."""

    key: str
    """secret_id, or the fingerprint for findings without a secret."""
    findings: tuple[Finding, ...]
    """All copies, in report order."""

    @property
    def urgency(self) -> str:
        return max((f.advice.urgency for f in self.findings), key=LEVELS.index)

    @property
    def live(self) -> bool:
        """A provider said this secret is live (``--validate``): listed before everything else."""
        return any(f.validation is not None and f.validation.status == "live" for f in self.findings)

    def to_dict(self, advice: object = None) -> dict[str, object]:
        """JSON form; ``advice``, when given, stands in place of the advice's own (see ``Finding.to_dict``)."""
        first = self.findings[0]
        return {
            "secret_id": first.secret_id,
            "key": self.key,
            "kind": first.kind,
            "rule": first.rule,
            "provider": first.provider,
            "name": first.name,
            "urgency": self.urgency,
            "why": first.advice.why,
            "redacted": first.redacted,
            **({"validation": first.validation.to_json()} if first.validation is not None else {}),
            "locations": [
                {"path": f.path, "line": f.line, "commit": f.commit, "source": f.source} for f in self.findings
            ],
            "advice": first.advice.to_dict() if advice is None else advice,
        }


def group_findings(findings: Iterable[Finding]) -> list[Group]:
    """Group copies of the same secret (by ``secret_id``), most urgent first."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.secret_id or finding.fingerprint, []).append(finding)
    built = [Group(key, tuple(items)) for key, items in groups.items()]
    return sorted(built, key=lambda g: (not g.live, -LEVELS.index(g.urgency), g.findings[0].path))


@dataclass(frozen=True)
class Entry:
    """One thing to act on, as people read it: a distinct secret with every copy (or a file-level
    problem), plus the file-level findings about the files holding that secret."""

    group: Group
    """The secret (or the file-level problem) and all its copies."""
    files: tuple[Finding, ...] = ()
    """Hygiene findings about the files that hold the secret (tracked credential file, modes, ...)."""

    @property
    def first(self) -> Finding:
        return self.group.findings[0]

    @property
    def urgency(self) -> str:
        if self.is_secret and all(any(r in PLACE_REASONS for r in f.reasons) for f in self.group.findings):
            # a secret judged by where it lies (a vendored library's test key): the files holding it wait with it
            return self.group.urgency
        return max((self.group.urgency, *(f.advice.urgency for f in self.files)), key=LEVELS.index)

    @property
    def why(self) -> str:
        """Why the entry is as urgent as it is: the first copy's reason, and the file-level finding that raises
        the entry above the secret's own urgency when one does (a typed password at medium in a committed
        ``secrets.yaml`` is a high entry for the file)."""
        why = self.first.advice.why
        if self.urgency == self.group.urgency:
            return why
        lifting = next((f for f in self.files if f.advice.urgency == self.urgency), None)
        if lifting is None:
            return why
        return f"{why.rstrip()} {self.urgency.capitalize()} for the file that holds it: {lifting.name}."

    @property
    def is_secret(self) -> bool:
        return self.first.kind == "secret"

    @property
    def fixture(self) -> bool:
        """Every copy is in a test fixture."""
        return only_in_fixtures(self.group.findings)

    @property
    def confidence(self) -> str:
        return max((f.confidence for f in self.group.findings), key=CONFIDENCES.index)



def entries(findings: Iterable[Finding]) -> list[Entry]:
    """What to show people: one entry per distinct secret, most urgent first (then most confident).

    A file-level finding about a file that holds a secret (a tracked key file, its mode, its missing
    ignore line) joins that secret's entry, the most urgent one when the file holds several; other
    file-level problems are entries of their own."""
    groups = group_findings(findings)
    holder: dict[str, int] = {}
    for index, group in enumerate(groups):
        if group.findings[0].kind == "secret":
            for finding in group.findings:
                holder.setdefault(finding.path, index)
    attached: dict[int, list[Finding]] = {}
    alone: list[Group] = []
    for group in groups:
        first = group.findings[0]
        if first.kind != "secret" and first.path in holder:
            attached.setdefault(holder[first.path], []).extend(group.findings)
        elif first.kind != "secret":
            alone.append(group)
    built = [Entry(g, tuple(attached.get(i, ()))) for i, g in enumerate(groups) if g.findings[0].kind == "secret"]
    built += [Entry(g) for g in alone]
    return sorted(built, key=lambda e: (not e.group.live, -LEVELS.index(e.urgency), -CONFIDENCES.index(e.confidence),
                                        e.fixture,
                                        not e.is_secret, e.first.path))


def history_cleanup(items: Sequence[Entry]) -> tuple[str, ...]:
    """One history rewrite for every entry that needs it (printed, never run): the secrets that
    ``replaceable`` allows replaced by value in one pass, database files and credential files dropped
    by path, one force-push; every other secret named with the files and commits to rewrite by hand,
    and why. Low-urgency entries (test fixtures, files holding nothing secret, low confidence) are left
    alone."""
    def in_history(findings: Sequence[Finding]) -> bool:
        return any(f.commit or (f.provenance and f.provenance.commit) for f in findings)

    wanted = [e for e in items if e.urgency != "low"]
    secrets = [e for e in wanted if e.is_secret and in_history(e.group.findings)]
    by_value = [e for e in secrets if replaceable(e.group.findings)]
    by_hand = [e for e in secrets if not replaceable(e.group.findings)]
    files = sorted({f.path for e in wanted for f in (*([] if e.is_secret else e.group.findings), *e.files)
                    if f.kind == "sensitive-file" and in_history([f]) and f.advice.urgency != "low"}
                   | {f.path for e in by_hand for f in e.group.findings if f.cell})
    if not secrets and not files:
        return ()
    out = ["# Only after rotating: a rewrite does not un-leak what was pushed; it stops new clones from getting it."]
    for entry in by_hand:
        out += rewrite_notes(entry.group.findings)
    command = "git filter-repo --sensitive-data-removal"
    if by_value:
        out += [(f"# 1. Put the {len(by_value)} old value{'s' if len(by_value) != 1 else ''} in a file outside the "
                "repository, one line each: <OLD_SECRET>==>REMOVED"),
                "#    printf '%s==>REMOVED\\n' \"$OLD_SECRET\" >> ../credsweep-replacements.txt"]
        command += " --replace-text ../credsweep-replacements.txt"
    if files:
        command += " --invert-paths " + " ".join(f"--path {shell_quote(p)}" for p in files)
    if by_value or files:
        out += ["# 2. Rewrite every branch and tag once:", command]
    out += ["# 3. Force-push, and ask collaborators to re-clone (forks, clones and CI caches keep the old objects):",
            "git push --force --mirror origin"]
    if by_value:
        out.append("rm -f ../credsweep-replacements.txt")
    return tuple(out)
