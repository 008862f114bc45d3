"""Credential-file rules in history: blobs that were at a path a rule's ``paths`` names.

History scans each blob once without knowing where it lived (a blob's paths are only known from the
log), so rules that apply to their own files alone (``.pgpass``, ``config/master.key``,
``.git-credentials``) cannot run in that pass. This pass finds the blobs ever committed at those paths
in the raw log history already captures for provenance and scans each of them again with its path,
replacing that blob's path-less matches with the path-aware ones, so a blob's findings in history are
the ones a working-tree scan of that file gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from credsweep.rules.loader import Rule
from credsweep.scanner import Scanner, is_binary, position
from credsweep.sources.history import BlobMatch, read_blobs

_HEADER = re.compile(rb":[0-7]{6} [0-7]{6} [0-9a-f]{40,64} ([0-9a-f]{40,64}) [ACMT][0-9]{0,3}$")
"""The token before a path in ``git log --raw -z --no-abbrev``: modes, old and new blob ids, status."""


def path_endings(rules: Iterable[Rule]) -> tuple[bytes, ...]:
    """Literal endings every path a rule applies to has: the part of each glob's last component after
    its last ``*`` (endings that contain a shorter one are left out: it finds them)."""
    tails = {pattern.rstrip("/").rsplit("/", 1)[-1].rsplit("*", 1)[-1] for rule in rules for pattern in rule.paths}
    encoded = {tail.encode() for tail in tails if tail}
    return tuple(sorted(t for t in encoded if not any(o != t and t.endswith(o) for o in encoded)))


def blobs_at_paths(log_blocks: Iterable[bytes], rules: Sequence[Rule]) -> list[tuple[str, str]]:
    """(path, blob id) of every version committed at a path one of ``rules`` applies to, from the raw
    log history already captures (``git log --raw -z --no-abbrev``), without another git run: a
    pathspec-limited ``git log`` with ``**`` globs costs several times the whole log, while splitting
    the captured log and testing each token's ending costs about as much as reading it."""
    endings = path_endings(rules)
    found: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    rest = previous = b""
    if not endings:
        return found
    for block in log_blocks:
        tokens = (rest + block).split(b"\0")
        rest = tokens.pop()  # the last token may continue in the next block
        if not tokens:
            continue
        tokens.insert(0, previous)  # a path's header may be the last whole token of the block before
        previous = tokens[-1]
        for index in [i for i, token in enumerate(tokens) if i and token.endswith(endings)]:
            header = _HEADER.search(tokens[index - 1])
            if header is None:
                continue
            oid, path = header.group(1).decode(), tokens[index].decode("utf-8", "surrogateescape")
            if oid.strip("0") and (path, oid) not in seen and any(rule.applies_to(path) for rule in rules):
                seen.add((path, oid))
                found.append((path, oid))
    return found


def with_credential_files(cwd: Path, scanner: Scanner, log_blocks: Iterable[bytes],
                          matches: list[BlobMatch]) -> list[BlobMatch]:
    """``matches`` with each blob committed at a credential-file rule's path rescanned with that path.

    A blob found at several such paths is judged at the first that yields a credential-file match;
    its other matches (generic and provider rules) are recomputed in the same pass, so overlaps are
    resolved as in a working-tree scan. Like every history finding, it is then reported at each path
    the blob had: the same bytes elsewhere are the same leaked credential.
    """
    rules = [rule for rule in scanner.rules if rule.paths]
    places = blobs_at_paths(log_blocks, rules) if rules else []
    if not places:
        return matches
    contents = dict(read_blobs(cwd, sorted({oid for _, oid in places})))
    replaced: dict[str, list[BlobMatch]] = {}
    for path, oid in places:
        data = contents.get(oid)
        if oid in replaced or data is None or len(data) > scanner.config.max_file_size or is_binary(data):
            continue
        hits = scanner.matches(data, path)
        if not any(rule.paths for rule, _ in hits):
            continue
        replaced[oid] = [
            BlobMatch(oid, rule.id, *position(data, match.start), *position(data, match.end), match.confidence,
                      match.secret, match.identifier)
            for rule, match in hits
        ]
    if not replaced:
        return matches
    kept = [m for m in matches if m.oid not in replaced]
    return kept + [m for found in replaced.values() for m in found]
