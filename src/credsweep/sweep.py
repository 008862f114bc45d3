"""Orchestration of one scan command: source → scanner → (hygiene) → report. No printing here."""

from __future__ import annotations

import os
import shlex
import time
from pathlib import Path

from credsweep import __version__
from credsweep.config import Config
from credsweep.errors import InputError
from credsweep.advice import Exposure, contextualize
from credsweep.git import discover, remote_urls
from credsweep.models import Finding, Report, ScanStats
from credsweep.rules.loader import Ruleset, load_rulesets
from credsweep.scanner import Scanner, is_binary
from credsweep.sources.worktree import Skipped, list_paths, read_items


def build_scanner(config: Config, engine: str = "auto", known: object = None) -> Scanner:
    ruleset: Ruleset = load_rulesets(config.rulesets)
    return Scanner(config, ruleset, engine, known)  # type: ignore[arg-type]


def resolve_root(path: Path) -> tuple[Path, str, object]:
    """(scan root, sub-folder within the repository, RepoInfo or None) for a user-given path."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise InputError(f"{path}: not a directory")
    repo = discover(path)
    if repo is None or repo.top is None:
        return path.resolve(), "", repo
    within = path.resolve().relative_to(repo.top.resolve()).as_posix()
    return repo.top, "" if within == "." else within, repo


def scan_worktree(path: Path, config: Config, *, include_ignored: bool = False, engine: str = "auto",
                  scanner: Scanner | None = None) -> Report:
    """Scan the working tree under ``path`` (see sources.worktree for what is included)."""
    started = time.monotonic()
    root, within, repo = resolve_root(path)
    scanner = scanner or build_scanner(config, engine)
    stats = ScanStats(engine=scanner.engine.name)
    skipped: list[Skipped] = []
    findings: list[Finding] = []
    paths = list_paths(root, repo, include_ignored, within)  # type: ignore[arg-type]
    for item in read_items(root, paths, config.max_file_size, skipped):
        if is_binary(item.data):
            stats.skip("binary")
            continue
        stats.files += 1
        stats.bytes += len(item.data)
        findings.extend(scanner.scan_item(item))
    for entry in skipped:
        stats.skip(entry.reason)
    if config.hygiene:
        from credsweep.hygiene import check_worktree

        findings.extend(check_worktree(root, repo, paths, findings, config))
    findings = contextualize(findings, exposure_of(root, repo))
    stats.seconds = time.monotonic() - started
    return Report(command="scan", root=str(path), findings=tuple(sort_findings(findings)), stats=stats,
                  tool_version=__version__)


def exposure_of(root: Path, repo: object) -> Exposure:
    """How far secrets in this repository may have travelled (its remotes)."""
    return Exposure(remotes=remote_urls(root)) if repo is not None else Exposure()


def apply_baseline(report: Report, baseline_file: Path | None, config: Config | None = None) -> Report:
    """Drop findings the baseline hides; count them, the unaudited ones and the stale entries in the stats.

    The baseline is ``baseline_file``, else the config's ``baseline``, else ``.credsweep-baseline.json``
    when it exists, relative paths from the repository root (see ``baseline.locate``). Hooks hide every
    recorded finding; reports hide only audited ones (see ``baseline``).
    """
    from dataclasses import replace

    from credsweep.baseline import HOOK_COMMANDS, load, locate

    location = locate(Path(report.root), baseline_file, config.baseline if config else None)
    if location is None:
        return report
    baseline = load(location.path)
    split = baseline.split(report.findings, hooks=report.command in HOOK_COMMANDS)
    report.stats.baselined = len(split.hidden)
    report.stats.baseline_unaudited = split.unaudited
    report.stats.stale_baseline = len(set(baseline.entries) - split.matched)
    return replace(report, findings=split.new)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line or 0, f.column or 0, f.kind, f.rule))


def _resolve_rev(cwd: Path, rev: str) -> str:
    """A user-given revision as a commit id; refuses option-like input (never passed to git as an option)."""
    from credsweep.git import run_git

    if not rev or rev.startswith("-"):
        raise InputError(f"'{rev}' is not a revision")
    out = run_git(cwd, "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}", check=False).strip()
    if not out:
        raise InputError(f"unknown revision '{rev}'")
    return out.decode()


def history_scope(cwd: Path, branch: str | None, since_commit: str | None, rev_range: str | None) -> list[str]:
    """git log/rev-list arguments for the requested scope (resolved commit ids only)."""
    if rev_range:
        start, sep, end = rev_range.partition("..")
        if not sep or not start or not end:
            raise InputError(f"--range must look like A..B, got '{rev_range}'")
        return [_resolve_rev(cwd, end), "^" + _resolve_rev(cwd, start)]
    revs = [_resolve_rev(cwd, branch)] if branch else ["--all"]
    if since_commit:
        revs.append("^" + _resolve_rev(cwd, since_commit))
    return revs


def scan_history(path: Path, config: Config, *, branch: str | None = None, since_commit: str | None = None,
                 rev_range: str | None = None, include_unreachable: bool = False, engine: str = "auto",
                 workers: int | None = None, progress: object = None, scanner: Scanner | None = None,
                 revs: list[str] | None = None, command: str = "history") -> Report:
    """Scan every unique blob of the repository's history once (see sources.history).

    ``revs`` (already-resolved git revision arguments) overrides the scope options: pre-push uses it.
    """
    from dataclasses import replace

    from credsweep import identity
    from credsweep.advice import advice_for_secret
    from credsweep.git import run_git
    from credsweep.models import Advice, Finding
    from credsweep.sources import history as hist
    from credsweep.sources import provenance as prov

    started = time.monotonic()
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    repo = discover(path if path.is_dir() else path.parent)
    if repo is None:
        raise InputError(f"{path}: not a git repository")
    cwd = repo.top or repo.git_dir
    scanner = scanner or build_scanner(config, engine)
    stats = ScanStats(engine=scanner.engine.name)
    scoped = bool(branch or since_commit or rev_range or revs)
    revs = revs if revs is not None else history_scope(cwd, branch, since_commit, rev_range)
    # git's provenance passes need no scan result: they start now and run beside the scan (tree
    # diffs of commits, the commit graph, first-parent diffs of merges, refs; see sources.provenance)
    graph = prov.GraphCapture(cwd, revs)
    with graph, prov.LogCapture(cwd, revs) as log, prov.MergeCapture(cwd, graph) as merges, \
            prov.RefsCapture(cwd) as ref_list:
        only: set[str] | None = None
        if scoped:
            from credsweep.git import stream_git

            only = {raw.strip().decode() for raw in stream_git(cwd, "rev-list", "--objects", "--no-object-names",
                                                               "--missing=allow-any", *revs)}
        # the listing streams: workers start on the first chunks while git still lists the rest
        listing = hist.BlobListing(blobs=[])
        blobs = hist.iter_blobs(cwd, config.max_file_size, only, listing)
        matches, counters = hist.scan_blobs(cwd, scanner, blobs, workers, progress, listing)  # type: ignore[arg-type]
        if listing.too_large:
            stats.skipped["too large"] = listing.too_large
        stats.files, stats.bytes = counters["scanned"], counters["bytes"]
        if counters["binary"]:
            stats.skipped["binary"] = counters["binary"]
        wanted = {m.oid for m in matches}
        catalogue = None
        if config.hygiene:
            from credsweep.hygiene.catalogue import load_catalogue

            catalogue = load_catalogue()
        added: list[tuple[str, str, str]] = []  # credential files ever added: (path, blob, commit)
        histories = log.histories(wanted, catalogue.could_match if catalogue else None, added) \
            if (wanted or catalogue) else {}
        refs = ref_list.refs()
        orphans = prov.orphans_of(wanted, histories)
        tree_paths = prov.paths_from_object_refs(cwd, orphans, refs) if orphans else {}
        orphans -= set(tree_paths)
        merged = merges.histories(orphans) if orphans else None
        head = prov.head_blobs(cwd)
        in_head_secrets = {identity.secret_id(m.secret) for m in matches if m.oid in head}
        places = prov.introductions(histories, merged)
        info = prov.commit_info(cwd, {sha for hs in places.values() for h in hs for sha in (*h.introduced, *h.removed)}
                                | {sha for _, _, sha in added})

        def when(sha: str) -> int:
            commit = info.get(sha)
            return commit.time if commit else 0

        def first(place: prov.BlobHistory) -> str:
            return min(place.introduced, key=when)

        first_intro = {oid: min((first(h) for h in hs), key=when) for oid, hs in places.items()}
        removal_keys = [(first(place), tuple(place.removed)) for hs in places.values() for place in hs]
        committed_files = _committed_credential_files(cwd, catalogue, added, info, scanner) if catalogue else []
        reach = prov.reachability(cwd, revs, [*first_intro.values(), *(c.sha for _, _, c, _ in committed_files)],
                                  removal_keys, graph, refs)

    def date(sha: str) -> str:
        commit = info.get(sha)
        return commit.date if commit else ""

    unknown = prov.Commit("", "", "", "")
    rules = scanner.ruleset.by_id()
    findings: list[Finding] = []
    for match in matches:
        rule = rules[match.rule]
        sid = identity.secret_id(match.secret)
        base = Finding(
            kind="secret", rule=rule.id, provider=rule.provider, name=rule.name, severity=rule.severity,
            confidence=match.confidence, path="", line=match.line, column=match.column, end_line=match.end_line,
            end_column=match.end_column, source="history", blob_id=match.oid,
            fingerprint=identity.fingerprint("secret", rule.id, match.secret), secret_id=sid,
            redacted=identity.redact(match.secret), secret=match.secret, identifier=match.identifier,
            advice=advice_for_secret(rule, scanner.ruleset.providers[rule.provider], match.identifier,
                                     scanner.placeholder_for(rule)),
        )
        blob_places = places.get(match.oid, [])
        if not blob_places:
            name = tree_paths.get(match.oid)
            if name is None and not include_unreachable:
                continue
            if scanner.path_allowed(name or ""):
                continue
            findings.append(replace(base, path=name or f"<unreachable blob {match.oid[:12]}>", provenance={
                "commit": None, "reachable": name is not None, "in_head": sid in in_head_secrets,
                "pushed": False, "refs": [], "commits": 0}))
            continue
        ref = reach.refs.get(first_intro[match.oid])
        by_path = {place.path: place for place in blob_places}
        for place in blob_places:
            if scanner.path_allowed(place.path):
                continue
            intro_sha = first(place)
            intro = info.get(intro_sha, unknown)
            origin, seen = place, {place.path}
            while origin.renamed_from and origin.renamed_from in by_path and origin.renamed_from not in seen:
                origin = by_path[origin.renamed_from]  # follow the moves back to where it first appeared
                seen.add(origin.path)
            first_seen = date(min(intro_sha, first(origin), key=when))
            removal = max(place.removed, key=when) if place.removed else None
            last = date(removal) if removal else (ref.newest_tip_date if ref else None)
            findings.append(replace(base, path=place.path, commit=intro_sha, provenance={
                "commit": intro_sha, "author": intro.author, "date": intro.date, "message": intro.subject,
                "path": place.path, "line": match.line, "refs": list(ref.refs) if ref else [],
                "in_head": sid in in_head_secrets, "pushed": bool(ref and ref.pushed),
                "first_seen": first_seen, "last_seen": last,
                "renamed_from": place.renamed_from if place.renamed_from in by_path else None,
                "introduced_in": len(place.introduced), "removed_in": sorted(place.removed, key=when, reverse=True)[:20],
                "commits": reach.carriers.get((intro_sha, tuple(place.removed))),
            }))
    for file_path, oid, commit, rule in committed_files:
        ref = reach.refs.get(commit.sha)
        findings.append(Finding(
            kind="sensitive-file", rule=rule.id, provider="hygiene", name=f"{rule.name} was committed",
            severity=rule.severity, confidence="high", path=file_path, line=None, column=None, source="history",
            commit=commit.sha, blob_id=oid, fingerprint=identity.fingerprint("sensitive-file", rule.id, file_path),
            redacted="", provenance={
                "commit": commit.sha, "author": commit.author, "date": commit.date, "message": commit.subject,
                "path": file_path, "refs": list(ref.refs) if ref else [], "in_head": oid in head,
                "pushed": bool(ref and ref.pushed), "first_seen": commit.date},
            advice=Advice(summary="Rotate every credential this file held, then remove it from history.",
                          steps=("It stays in every clone until history is rewritten; rotating is what makes it harmless.",
                                 "Keep it out of git from now on: add it to .gitignore."),
                          urls=("https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository",),
                          urgency=rule.severity, why=f"{rule.name} is in the history."),
        ))
    findings = contextualize(findings, exposure_of(cwd, repo))
    stats.seconds = time.monotonic() - started
    return Report(command=command, root=str(path), findings=tuple(sort_findings(findings)), stats=stats,
                  tool_version=__version__)


def _committed_credential_files(cwd: Path, catalogue: object, added: list[tuple[str, str, str]],
                                info: dict, scanner: Scanner) -> list:
    """(path, blob, first commit, file rule) for credential files ever added in the scanned history."""
    from credsweep.sources.history import read_blobs
    from credsweep.sources.provenance import Commit

    first: dict[str, tuple[str, Commit]] = {}
    for path, oid, sha in added:
        if scanner.path_allowed(path):
            continue
        commit = info.get(sha) or Commit(sha, "", "", "")
        if path not in first or commit.time < first[path][1].time:
            first[path] = (oid, commit)
    contents: dict[str, bytes] = {}
    needs = {oid for oid, _ in first.values()}
    if needs:
        contents = dict(read_blobs(cwd, sorted(needs)))
    out = []
    for path, (oid, commit) in sorted(first.items()):
        rule = catalogue.classify(path, lambda oid=oid: contents.get(oid))  # type: ignore[attr-defined]
        if rule is not None:
            out.append((path, oid, commit, rule))
    return out


def scan_staged(path: Path, config: Config, *, whole_files: bool = False, engine: str = "auto",
                known: object = None) -> Report:
    """Scan exactly what is staged: index blobs, only the added lines unless ``whole_files``."""
    from credsweep import identity
    from credsweep.errors import GitError
    from credsweep.models import Advice, Finding, Item
    from credsweep.sources.history import read_blobs
    from credsweep.sources.staged import require_index, staged_files

    started = time.monotonic()
    repo = discover(path if path.is_dir() else path.parent)
    if repo is None or repo.top is None:
        raise InputError(f"{path}: not a git working tree (staged scans need an index)")
    cwd = repo.top
    require_index(cwd)
    files = staged_files(cwd)
    stats = ScanStats()
    findings: list[Finding] = []
    if files:
        scanner = build_scanner(config, engine, known)
        stats.engine = scanner.engine.name
        by_oid: dict[str, list] = {}
        for staged in files:
            by_oid.setdefault(staged.blob_id, []).append(staged)
        read = 0
        catalogue = None
        for oid, data in read_blobs(cwd, list(by_oid)):
            read += 1
            for staged in by_oid[oid]:
                if len(data) > config.max_file_size:
                    stats.skip("too large")
                    continue
                if is_binary(data):
                    stats.skip("binary")
                else:
                    stats.files += 1
                    stats.bytes += len(data)
                    for finding in scanner.scan_item(Item(staged.path, data, "staged", oid, mode=int(staged.mode, 8))):
                        span = range(finding.line or 0, (finding.end_line or finding.line or 0) + 1)
                        if whole_files or any(line in staged.added_lines for line in span):
                            findings.append(finding)
                if config.hygiene:
                    if catalogue is None:
                        from credsweep.hygiene.catalogue import load_catalogue

                        catalogue = load_catalogue()
                    rule = catalogue.classify(staged.path, lambda data=data: data)
                    if rule is not None and not scanner.path_allowed(staged.path):
                        executable = staged.mode == "100755"
                        findings.append(Finding(
                            kind="file-mode" if executable else "sensitive-file",
                            rule="file-mode.executable-credential" if executable else rule.id, provider="hygiene",
                            name=f"{rule.name} is staged" + (" with the executable bit" if executable else ""),
                            severity=rule.severity, confidence="high", path=staged.path, line=None, column=None,
                            fingerprint=identity.fingerprint("sensitive-file", rule.id, staged.path), redacted="",
                            source="staged", blob_id=oid,
                            advice=Advice(summary="Unstage it, keep it out of git with .gitignore, and keep it 0600.",
                                          steps=("Credential files must not be committed.",),
                                          commands=(f"git restore --staged -- {shlex.quote(staged.path)}",
                                                    f"printf '%s\\n' {shlex.quote('/' + staged.path)} >> .gitignore"),
                                          urls=("https://git-scm.com/docs/gitignore",), urgency=rule.severity,
                                          why=f"{rule.name} is about to be committed."),
                        ))
        if read < len(by_oid):
            raise GitError(f"could read only {read} of {len(by_oid)} staged blobs from the index; refusing to pass")
    stats.seconds = time.monotonic() - started
    return Report(command="staged", root=str(path), findings=tuple(sort_findings(findings)), stats=stats,
                  tool_version=__version__)


def prepush_revs(cwd: Path, lines: list[str], env_from: str | None = None, env_to: str | None = None) -> list[list[str]]:
    """git rev-list arguments for each ref being pushed (git's pre-push stdin protocol, or pre-commit's env)."""
    ranges: list[list[str]] = []
    if env_to:
        to = _resolve_rev(cwd, env_to)
        ranges.append([to, "^" + _resolve_rev(cwd, env_from)] if env_from and env_from.strip("0") else [to, "--not", "--remotes"])
        return ranges
    for line in lines:
        parts = line.split()
        if len(parts) != 4:
            if line.strip():
                raise InputError(f"unexpected pre-push input line: {line.strip()[:80]!r}")
            continue
        _, local_sha, _, remote_sha = parts
        if set(local_sha) == {"0"}:
            continue  # deleting a remote ref pushes nothing
        local = _resolve_rev(cwd, local_sha)
        if set(remote_sha) == {"0"}:
            ranges.append([local, "--not", "--remotes"])  # new branch: what no remote-tracking ref has
        else:
            known = run_git_ok(cwd, "cat-file", "-e", f"{remote_sha}^{{commit}}")
            ranges.append([local, "^" + remote_sha] if known else [local, "--not", "--remotes"])
    return ranges


def run_git_ok(cwd: Path, *args: str) -> bool:
    from credsweep.git import GitError, run_git

    try:
        run_git(cwd, *args)
        return True
    except GitError:
        return False


def submodule_paths(top: Path) -> list[str]:
    """Initialised submodules of the working tree at ``top`` (paths inside it only)."""
    from credsweep.git import run_git

    out = run_git(top, "config", "--file", ".gitmodules", "--get-regexp", r"^submodule\..*\.path$", check=False)
    paths = []
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        _, _, rel = line.partition(" ")
        rel = rel.strip()
        target = (top / rel).resolve()
        if not rel or ".." in Path(rel).parts or not str(target).startswith(str(top.resolve()) + os.sep):
            continue  # a hostile .gitmodules must not send us outside the repository
        if (target / ".git").exists():
            paths.append(rel)
    return paths


def scan_history_recursive(path: Path, config: Config, **options: object) -> Report:
    """``scan_history`` of the repository and, depth-first, of each initialised submodule."""
    from dataclasses import replace

    report = scan_history(path, config, **options)  # type: ignore[arg-type]
    repo = discover(path)
    if repo is None or repo.top is None:
        return report
    findings = list(report.findings)
    for rel in submodule_paths(repo.top):
        sub = scan_history_recursive(repo.top / rel, config, **options)
        findings.extend(replace(f, path=f"{rel}/{f.path}") for f in sub.findings)
        report.stats.files += sub.stats.files
        report.stats.bytes += sub.stats.bytes
    return replace(report, findings=tuple(sort_findings(findings)))
