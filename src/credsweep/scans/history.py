"""``credsweep history``: every unique blob of the history, content-matched once, judged at every path.

Source: the pack-order blob listing (``sources.blobs``). Content stage: ``executors.pool`` (one
``Pipeline.content`` per unique blob, in worker processes; a ``ContentCache`` supplies blobs already
matched under the same digest). Enrichment: ``provenance`` (git passes captured beside the scan:
where each matched blob has been) and exposure. Judgement and findings: ``Pipeline.findings`` once
per (blob, path), the same call ``scan`` and ``staged`` make.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from credsweep.config import Config
from credsweep.enrich import provenance as prov
from credsweep.enrich.advice import contextualize
from credsweep.errors import InputError
from credsweep.executors.pool import BlobPool, BlobResults
from credsweep.git.repo import discover, stream_git
from credsweep.models import Finding, Location, Provenance, Report, ScanStats, Skipped
from credsweep.pipeline import Pipeline, build_pipeline
from credsweep.scans.common import Background, exposure_of, resolve_rev, sort_findings
from credsweep.sources.blobs import BlobListing, BlobRef, Progress, iter_blobs

if TYPE_CHECKING:
    from credsweep.content.cache import ContentCache
    from credsweep.hygiene.catalogue import Catalogue, FileRule

LOOKUP_BATCH = 10_000


def history_scope(cwd: Path, branch: str | None, since_commit: str | None, rev_range: str | None) -> list[str]:
    """git log/rev-list arguments for the requested scope (resolved commit ids only)."""
    if rev_range:
        start, sep, end = rev_range.partition("..")
        if not sep or not start or not end:
            raise InputError(f"--range must look like A..B, got '{rev_range}'")
        return [resolve_rev(cwd, end), "^" + resolve_rev(cwd, start)]
    revs = [resolve_rev(cwd, branch)] if branch else ["--all"]
    if since_commit:
        revs.append("^" + resolve_rev(cwd, since_commit))
    return revs


@dataclass(frozen=True)
class HistoryOptions:
    """What to scan of a history, and how."""

    branch: str | None = None
    since_commit: str | None = None
    rev_range: str | None = None
    include_unreachable: bool = False
    """Also report dangling blobs."""
    workers: int | None = None
    """Worker processes (default: one per core, or this process alone for a small repository:
    ``executors.pool.default_workers``)."""
    revs: tuple[str, ...] | None = None
    """Resolved git revision arguments overriding the scope options."""
    command: str = "history"
    """Report name."""


def scan_history(path: Path, config: Config, options: HistoryOptions = HistoryOptions(), *,
                 pipeline: Pipeline | None = None, progress: Progress | None = None,
                 content_cache: ContentCache | None = None) -> Report:
    """Scan every unique blob of the repository's history once (see the module docstring)."""
    started = time.monotonic()
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    repo = discover(path if path.is_dir() else path.parent)
    if repo is None:
        raise InputError(f"{path}: not a git repository")
    cwd = repo.top or repo.git_dir
    pipeline = pipeline or build_pipeline(config)
    scoped = bool(options.branch or options.since_commit or options.rev_range or options.revs is not None)
    revs = list(options.revs) if options.revs is not None else history_scope(
        cwd, options.branch, options.since_commit, options.rev_range)
    # the pool forks before any thread exists (the merge capture starts one)
    with BlobPool(cwd, pipeline, options.workers) as pool:
        graph = prov.GraphCapture(cwd, revs)
        with graph, prov.LogCapture(cwd, revs) as log, prov.MergeCapture(cwd, graph) as merges, \
                prov.RefsCapture(cwd) as ref_list:
            catalogue = _catalogue(config)
            # what the provenance passes need no scan result for is read beside the scan: the log's
            # index, the commit graph's first pass, HEAD's tree
            ready = Background(lambda: _prepare(cwd, log, graph, catalogue))
            only: set[str] | None = None
            if scoped:
                only = {raw.strip().decode() for raw in stream_git(
                    cwd, "rev-list", "--objects", "--no-object-names", "--missing=allow-any", *revs)}
            listing = BlobListing(blobs=[])
            blobs: Iterable[BlobRef] = iter_blobs(cwd, config.max_file_size, only, listing)
            known: BlobResults = {}
            if content_cache is not None:
                blobs = _unknown_blobs(blobs, content_cache, pipeline.digest, known)
            scan = pool.scan(blobs, progress, listing, keep_ids=content_cache is not None)
            if content_cache is not None:
                content_cache.record(pipeline.digest, {oid: scan.matches.get(oid, ()) for oid in scan.read_ids})
            matches = {**{k: v for k, v in known.items() if v}, **scan.matches}
            # the remotes' config is read only for a history with something to rate (GitPython's import
            # and its two `git version` calls are a tenth of a second of CPU), beside the provenance
            # passes those matches need (the pool forked long ago)
            exposure = Background(lambda: exposure_of(cwd, repo)) if matches else None
            places = _placements(cwd, pipeline, catalogue, matches, log, merges, ref_list, graph, revs,
                                 ready.result(), {blob.oid for blob in listing.too_large_blobs})
            unread = _too_large(listing.too_large_blobs, places.too_large_paths)
            stats = ScanStats(engine=pipeline.engine_name, files=scan.scanned, bytes=scan.bytes,
                              skipped=_skipped(listing.too_large, scan.binary), skipped_files=unread)
    findings = _findings(pipeline, matches, places, options.include_unreachable)
    findings.extend(places.committed_files)
    findings.extend(pipeline.config_findings)
    if findings:
        findings = contextualize(findings, exposure.result() if exposure is not None else exposure_of(cwd, repo))
    stats = replace(stats, seconds=time.monotonic() - started, suppressed=pipeline.suppressions())
    # no tool_version: reading the installed metadata costs every process 15 ms; a reporter that prints
    # the version asks for it then (``Report.version``)
    return Report(command=options.command, root=str(path), findings=tuple(sort_findings(findings)), stats=stats)


def _skipped(too_large: int, binary: int) -> tuple[tuple[str, int], ...]:
    return tuple((reason, n) for reason, n in (("binary", binary), ("too large", too_large)) if n)


def _too_large(blobs: Iterable[BlobRef], paths: dict[str, list[str]]) -> tuple[Skipped, ...]:
    """Every blob skipped for its size, named: at each path the history gave it (a blob no commit
    reaches is named by its id), with its size. "No findings" must never hide what was not read."""
    out: list[Skipped] = []
    for blob in blobs:
        names = paths.get(blob.oid) or [f"<blob {blob.oid}>"]
        out.extend(Skipped(name, "too large", blob.size) for name in names)
    return tuple(sorted(out, key=lambda s: s.path))


def _unknown_blobs(blobs: Iterable[BlobRef], cache: ContentCache, digest: str, known: BlobResults) -> Iterator[BlobRef]:
    """The blobs the cache has no result for (its results go to ``known``), asked in batches."""
    batch: list[BlobRef] = []

    def flush() -> Iterator[BlobRef]:
        found = cache.lookup(digest, [b.oid for b in batch])
        known.update(found)
        yield from (b for b in batch if b.oid not in found)
        batch.clear()

    for blob in blobs:
        batch.append(blob)
        if len(batch) >= LOOKUP_BATCH:
            yield from flush()
    if batch:
        yield from flush()


@dataclass(frozen=True)
class _Placements:
    """Where each matched blob has been (the enrichment of a history scan)."""

    places: dict[str, list[prov.BlobHistory]]
    tree_paths: dict[str, str]
    in_head_secrets: frozenset[str]
    info: dict[str, prov.Commit]
    first_intro: dict[str, str]
    reach: prov.Reachability
    committed_files: list[Finding]
    head_paths: frozenset[tuple[str, str]] = frozenset()
    """(blob, path) pairs of HEAD's tree: where each secret is now."""
    too_large_paths: dict[str, list[str]] = field(default_factory=dict)
    """The paths each blob skipped for its size had (to name it in the report)."""

    def when(self, sha: str) -> int:
        commit = self.info.get(sha)
        return commit.time if commit else 0

    def date(self, sha: str) -> str:
        commit = self.info.get(sha)
        return commit.date if commit else ""

    def first(self, place: prov.BlobHistory) -> str:
        return min(place.introduced, key=self.when)


def _catalogue(config: Config) -> Catalogue | None:
    """The credential-file catalogue, when hygiene findings are wanted."""
    if not config.hygiene:
        return None
    from credsweep.hygiene.catalogue import load_catalogue

    return load_catalogue()


def _prepare(cwd: Path, log: prov.LogCapture, graph: prov.GraphCapture,
             catalogue: Catalogue | None) -> dict[str, set[str]]:
    """The provenance work that needs no scan result (run beside the scan); HEAD's tree, blob → paths."""
    log.index(catalogue.could_match if catalogue else None)
    graph.count_children()
    return prov.head_paths(cwd)


def _placements(cwd: Path, pipeline: Pipeline, catalogue: Catalogue | None, matches: BlobResults,
                log: prov.LogCapture, merges: prov.MergeCapture, ref_list: prov.RefsCapture,
                graph: prov.GraphCapture, revs: list[str], head_at: dict[str, set[str]],
                too_large: set[str] | frozenset[str] = frozenset()) -> _Placements:
    wanted = set(matches)
    added: list[tuple[str, str, str]] = []  # credential files ever added: (path, blob, commit)
    histories = log.histories(wanted | too_large, catalogue.could_match if catalogue else None, added) \
        if (wanted or catalogue or too_large) else {}
    too_large_paths: dict[str, list[str]] = {}
    for oid, path in [key for key in histories if key[0] in too_large]:
        too_large_paths.setdefault(oid, []).append(path)
        del histories[(oid, path)]  # named in the report, not placed: nothing was read from it
    refs = ref_list.refs()
    orphans = prov.orphans_of(wanted, histories)
    tree_paths = prov.paths_from_object_refs(cwd, orphans, refs) if orphans else {}
    orphans -= set(tree_paths)
    merged = merges.histories(orphans) if orphans else None
    head = set(head_at)
    in_head_secrets = frozenset(m.secret_id for oid, ms in matches.items() if oid in head for m in ms)
    places = prov.introductions(histories, merged)
    if catalogue:
        added += _key_files(matches, places, {path for path, _, _ in added})
    info = prov.commit_info(cwd, {sha for hs in places.values() for h in hs for sha in (*h.introduced, *h.removed)}
                            | {sha for _, _, sha in added})
    partial = _Placements(places, tree_paths, in_head_secrets, info, {}, prov.Reachability({}, {}), [],
                          frozenset((oid, p) for oid, paths in head_at.items() for p in paths), too_large_paths)
    first_intro = {oid: min((partial.first(h) for h in hs), key=partial.when) for oid, hs in places.items()}
    removal_keys = [(partial.first(place), tuple(place.removed)) for hs in places.values() for place in hs]
    files = _committed_credential_files(cwd, catalogue, added, info, pipeline) if catalogue else []
    reach = prov.reachability(cwd, revs, [*first_intro.values(), *(c.sha for _, _, c, _, _ in files)],
                              removal_keys, graph, refs)
    committed = [_committed_file_finding(path, oid, commit, rule, reach, head_at, holds or oid in wanted)
                 for path, oid, commit, rule, holds in files]
    return replace(partial, first_intro=first_intro, reach=reach, committed_files=committed)


def _findings(pipeline: Pipeline, matches: BlobResults, at: _Placements, include_unreachable: bool) -> list[Finding]:
    """Judgement and findings for each matched blob at each path it had (the enrichment attached)."""
    findings: list[Finding] = []
    for oid, blob_matches in matches.items():
        blob_places = at.places.get(oid, [])
        in_head = any(m.secret_id in at.in_head_secrets for m in blob_matches)
        if not blob_places:
            name = at.tree_paths.get(oid)
            if name is None and not include_unreachable:
                continue
            location = Location(name or f"<unreachable blob {oid[:12]}>", "history", oid)
            provenance = Provenance(commit=None, reachable=name is not None, in_head=in_head, pushed=False,
                                    commits=0)
            findings.extend(_per_secret(pipeline.findings(blob_matches, location, provenance), at.in_head_secrets))
            continue
        ref = at.reach.refs.get(at.first_intro[oid])
        by_path = {place.path: place for place in blob_places}
        for place in blob_places:
            intro_sha = at.first(place)
            intro = at.info.get(intro_sha, prov.Commit("", "", "", ""))
            origin, seen = place, {place.path}
            while origin.renamed_from and origin.renamed_from in by_path and origin.renamed_from not in seen:
                origin = by_path[origin.renamed_from]  # follow the moves back to where it first appeared
                seen.add(origin.path)
            removal = max(place.removed, key=at.when) if place.removed else None
            provenance = Provenance(
                commit=intro_sha, author=intro.author, date=intro.date, message=intro.subject, path=place.path,
                refs=tuple(ref.refs) if ref else (), in_head=in_head, pushed=bool(ref and ref.pushed),
                path_in_head=(oid, place.path) in at.head_paths, first_seen=at.date(min(intro_sha, at.first(origin), key=at.when)),
                last_seen=at.date(removal) if removal else (ref.newest_tip_date if ref else None),
                renamed_from=place.renamed_from if place.renamed_from in by_path else None,
                introduced_in=len(place.introduced),
                removed_in=tuple(sorted(place.removed, key=at.when, reverse=True)[:20]),
                commits=at.reach.carriers.get((intro_sha, tuple(place.removed))))
            location = Location(place.path, "history", oid, intro_sha)
            findings.extend(_per_secret(pipeline.findings(blob_matches, location, provenance), at.in_head_secrets))
    return findings


def _per_secret(findings: list[Finding], in_head_secrets: frozenset[str]) -> Iterator[Finding]:
    """Each finding's provenance names its own line and whether its own secret is in HEAD."""
    for finding in findings:
        if finding.provenance is None:
            yield finding
            continue
        yield replace(finding, provenance=replace(
            finding.provenance, line=finding.line if finding.provenance.commit else None,
            in_head=finding.secret_id in in_head_secrets))


def _committed_credential_files(cwd: Path, catalogue: Catalogue, added: list[tuple[str, str, str]],
                                info: dict[str, prov.Commit], pipeline: Pipeline
                                ) -> list[tuple[str, str, prov.Commit, FileRule, bool]]:
    """(path, blob, first commit, file rule, holds a secret) for credential files ever added in the scanned
    history."""
    from credsweep.hygiene.findings import file_holds_secret
    from credsweep.sources.blobs import read_blobs

    first: dict[str, tuple[str, prov.Commit]] = {}
    for path, oid, sha in added:
        if pipeline.judge.hides_file(path):
            continue
        commit = info.get(sha) or prov.Commit(sha, "", "", "")
        if path not in first or commit.time < first[path][1].time:
            first[path] = (oid, commit)
    needs = {oid for oid, _ in first.values()}
    contents = dict(read_blobs(cwd, sorted(needs))) if needs else {}
    out = []
    for path, (oid, commit) in sorted(first.items()):
        rule = catalogue.classify(path, _reader(contents, oid)) or catalogue.key_file(path, _reader(contents, oid))
        if rule is not None:
            out.append((path, oid, commit, rule, file_holds_secret(rule, path, contents.get(oid), False)))
    return out


def _key_files(matches: BlobResults, places: dict[str, list[prov.BlobHistory]],
               named: set[str]) -> list[tuple[str, str, str]]:
    """(path, blob, commit) of files the catalogue does not know by name whose content starts with a
    private key (``deploy_key``): committed key files too, once ``_committed_credential_files`` reads them."""
    from credsweep.hygiene import KEY_PROVIDERS

    out: list[tuple[str, str, str]] = []
    for oid, found in matches.items():
        if not any(m.line <= 2 and m.rule.split(".", 1)[0] in KEY_PROVIDERS for m in found):
            continue
        for place in places.get(oid, ()):
            if place.path not in named and place.introduced:
                out.extend((place.path, oid, sha) for sha in place.introduced)
    return out


def _reader(contents: dict[str, bytes], oid: str) -> Callable[[], bytes | None]:
    return lambda: contents.get(oid)


def _committed_file_finding(path: str, oid: str, commit: prov.Commit, rule: FileRule, reach: prov.Reachability,
                            head: dict[str, set[str]], holds_secret: bool) -> Finding:
    from credsweep.hygiene.findings import committed_file_finding

    ref = reach.refs.get(commit.sha)
    provenance = Provenance(commit=commit.sha, author=commit.author, date=commit.date, message=commit.subject,
                            path=path, refs=tuple(ref.refs) if ref else (), in_head=oid in head,
                            path_in_head=path in head.get(oid, ()),
                            pushed=bool(ref and ref.pushed), first_seen=commit.date)
    return committed_file_finding(rule, Location(path, "history", oid, commit.sha), provenance, holds_secret)


def submodule_paths(top: Path) -> list[str]:
    """Initialised submodules of the working tree at ``top`` (paths inside it only)."""
    import os

    from credsweep.git.repo import run_git

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


def scan_history_recursive(path: Path, config: Config, options: HistoryOptions = HistoryOptions(), *,
                           pipeline: Pipeline | None = None, progress: Progress | None = None,
                           content_cache: ContentCache | None = None) -> Report:
    """``scan_history`` of the repository and, depth-first, of each initialised submodule."""
    pipeline = pipeline or build_pipeline(config)
    report = scan_history(path, config, options, pipeline=pipeline, progress=progress, content_cache=content_cache)
    repo = discover(path)
    if repo is None or repo.top is None:
        return report
    findings = list(report.findings)
    stats = report.stats
    for rel in submodule_paths(repo.top):
        sub = scan_history_recursive(repo.top / rel, config, options, pipeline=pipeline)
        # the configuration's own finding is the top repository's (the same pipeline judged them all)
        findings.extend(replace(f, path=f"{rel}/{f.path}") for f in sub.findings if f.kind != "config")
        stats = replace(stats, files=stats.files + sub.stats.files, bytes=stats.bytes + sub.stats.bytes,
                        skipped_files=(*stats.skipped_files,
                                       *(replace(s, path=f"{rel}/{s.path}") for s in sub.stats.skipped_files)))
    stats = replace(stats, suppressed=pipeline.suppressions())
    return replace(report, findings=tuple(sort_findings(findings)), stats=stats)
