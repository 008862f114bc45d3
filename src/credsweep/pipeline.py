"""The detection pipeline every command runs: content matching → location judgement → findings.

```
source ──ContentItem──▶ content (per blob id) ──ContentMatch──▶ judgement (per location) ──▶ findings
                         credsweep.content.matcher                       credsweep.judgement        credsweep.findings
```

``Pipeline`` binds the stages for one configuration and ruleset. Commands choose a source and an
executor (in-process, or ``executors.pool`` for history and large working trees) and call
``content`` where the bytes are, ``findings`` where the locations are; ``scan_item`` does both for
one item. Enrichment (provenance, exposure, urgency) and reporting come after.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from credsweep.config import Config
from credsweep.content.matcher import ContentMatcher
from credsweep.errors import ConfigError
from credsweep.findings import secret_finding, summary_finding
from credsweep.identity import report_salt
from credsweep.judgement.judge import Judge
from credsweep.judgement.location import is_scanner_bookkeeping, location_reasons
from credsweep.models import ContentItem, ContentMatch, Finding, Location, Provenance, Suppression
from credsweep.rules.loader import Rule, Ruleset, load_rulesets
from credsweep.sources.binary import is_binary

HASHES_PER_FILE = 10
"""Password hashes reported per file (a shadow file, a seed script); past it the file is a table of users
(a database dump, a sample dataset), listed as one summary entry with the count: every account in it needs
a reset, and a hundred entries would bury everything else."""


def per_file_limit(rule: Rule, cap: int) -> int:
    """Findings of ``rule`` reported per file before one summary stands for the rest (``cap`` is the
    configuration's, 0 for none): a password hash's rule stops at ``HASHES_PER_FILE``."""
    return min(cap, HASHES_PER_FILE) if cap and rule.provider == "password-hash" else cap

if TYPE_CHECKING:
    from credsweep.content.known import KnownCredentials

class Pipeline:
    """The stages bound to one configuration (see the module docstring)."""

    def __init__(self, config: Config, ruleset: Ruleset, engine: str = "auto",
                 known: KnownCredentials | None = None, *, salt: bytes, values: Sequence[Any] | None = None) -> None:
        self.config = config
        self.ruleset = ruleset
        self.salt = salt
        """The identity key of every finding this pipeline builds (the user's report salt; a fleet
        store's derived salt)."""
        self.matcher = ContentMatcher(config, ruleset, engine, known, salt=salt, values=values)
        self.judge = Judge(config, self.matcher, location_reasons)

    @property
    def engine_name(self) -> str:
        """The matching engine in use (hyperscan or keywords)."""
        return self.matcher.engine.name

    @property
    def digest(self) -> str:
        """The content stage's digest: stored content results are valid under the same digest."""
        return self.matcher.digest

    def content(self, data: bytes | memoryview, decode: bool = True) -> list[ContentMatch]:
        """The content stage (pure of ``data``)."""
        return self.matcher.match(data, decode)

    def findings(self, matches: Sequence[ContentMatch], location: Location,
                 provenance: Provenance | None = None) -> list[Finding]:
        """Judgement at ``location``, then one finding per surviving match: at most
        ``Config.max_findings_per_rule`` per rule, the rest (and what the content stage's match budget
        left unjudged) reported as one summary finding per rule with the count."""
        out: list[Finding] = []
        cap = self.config.max_findings_per_rule
        per_rule: dict[str, int] = {}
        summaries: dict[str, tuple[Rule, ContentMatch, int]] = {}
        for rule, match in self.judge.judge(matches, location):
            shown = per_rule.get(rule.id, 0)
            limit = per_file_limit(rule, cap)
            if match.more or (limit and shown >= limit):
                # the first match past the cap stands for all of them (its line is where they start)
                first_rule, first, count = summaries.get(rule.id, (rule, match, 0))
                summaries[rule.id] = (first_rule, first, count + 1 + match.more)
                continue
            per_rule[rule.id] = shown + 1
            provider = self.ruleset.providers[rule.provider]  # "known" has its own ruleset file
            placeholder = self._placeholders.get(rule.id) or self._placeholders.get(rule.id.rsplit(".", 1)[0])
            out.append(secret_finding(rule, provider, match, location, placeholder=placeholder,
                                      provenance=provenance))
        for rule, first, count in summaries.values():
            limit = per_file_limit(rule, cap)
            out.append(summary_finding(rule, self.ruleset.providers[rule.provider], first, location, count, limit,
                                       self.salt, provenance))
        return out

    def suppressions(self) -> tuple[Suppression, ...]:
        """What the configuration's entries and inline comments hid so far (``Judge.hidden``), each with
        its entry and the file that declared it, most first."""
        source = str(self.config.source) if self.config.source else ""
        if self.config.repository is not None and self.config.source is not None:
            try:  # a repository's own file, named as it is in the repository
                source = self.config.source.relative_to(self.config.repository).as_posix()
            except ValueError:
                pass
        out = []
        for key, count in self.judge.hidden.items():
            kind, _, entry = key.partition("\x1f")
            out.append(Suppression(kind, entry, count, "" if kind == "inline" else source))
        return tuple(sorted(out, key=lambda s: (-s.count, s.kind, s.entry)))

    @cached_property
    def config_findings(self) -> tuple[Finding, ...]:
        """The finding on a repository's configuration file when it weakens detection broadly
        (``hygiene.repoconfig``); none for the user's own configuration or none at all."""
        if not self.config.from_repository:
            return ()
        from credsweep.hygiene.repoconfig import config_findings

        return tuple(config_findings(self.config, [rule.id for rule in self.ruleset.rules], self.salt))

    def matches(self, data: bytes, path: str = "") -> list[tuple[Rule, ContentMatch]]:
        """Content stage and judgement at ``path``, without building findings (rule checks, tests)."""
        return self.judge.judge(self.content(data), Location(path))

    def scan_item(self, item: ContentItem) -> list[Finding]:
        """Every stage for one item (binary, oversized and allowlisted items yield none; what an
        allowlisted one holds is counted in ``suppressions``)."""
        if len(item.data) > self.config.max_file_size or is_binary(item.data) or is_scanner_bookkeeping(item.path):
            return []
        return self.findings(self.content(item.data), item.location)

    def skips(self, path: str) -> bool:
        """Nothing at ``path`` is reported (allowlisted, or a scanner's bookkeeping file)."""
        return self.judge.skips(path)

    @cached_property
    def _placeholders(self) -> dict[str, str]:
        """The command placeholder an identifier fills, per rule it identifies (``<ACCESS_KEY_ID>``)."""
        out: dict[str, str] = {}
        for rule in self.ruleset.rules:
            if rule.identifies and rule.placeholder:
                out.setdefault(rule.identifies, rule.placeholder)
        return out


def build_pipeline(config: Config, engine: str = "auto", known: KnownCredentials | None = None, *,
                   salt: bytes | None = None) -> Pipeline:
    """The pipeline for ``config``: built-in rulesets plus the config's own; a rule id in
    ``disable_rules`` or ``allowlist.rules`` that names no rule is a configuration error."""
    from credsweep.rules.linear import linear_regex

    ruleset = load_rulesets(config.rulesets, within=config.repository)
    for rule in ruleset.rules:
        if rule.untrusted and "regex" not in rule.__dict__:
            # a repository's pattern is compiled now (RE2, else after the growth check) or refused as
            # one line, before any content is matched; the result is ``Rule.regex``'s cached value
            rule.__dict__["regex"] = linear_regex(rule.pattern.encode("utf-8"), f"{rule.source} rule {rule.id!r}")
    where = f"{config.source}: allowlist.values" if config.source else "allowlist.values"
    values = tuple(linear_regex(value, where) for value in config.allowlist.values)
    unknown = config.unknown_rule_ids(rule.id for rule in ruleset.rules)
    if unknown:
        from credsweep.util.invocation import credsweep_command

        where = f"{config.source}: " if config.source else ""
        raise ConfigError(f"{where}unknown rule id {unknown[0]!r} in disable_rules/allowlist.rules "
                          f"(`{credsweep_command()} rules list` shows every id; a prefix ends with '.')")
    return Pipeline(config, ruleset, engine, known, salt=report_salt() if salt is None else salt, values=values)
