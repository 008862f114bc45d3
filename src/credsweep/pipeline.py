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
from typing import TYPE_CHECKING

from credsweep.config import Config
from credsweep.content.matcher import ContentMatcher
from credsweep.errors import ConfigError
from credsweep.findings import secret_finding
from credsweep.identity import report_salt
from credsweep.judgement.judge import Judge
from credsweep.judgement.location import location_reasons
from credsweep.models import ContentItem, ContentMatch, Finding, Location, Provenance
from credsweep.rules.loader import Rule, Ruleset, load_rulesets
from credsweep.sources.binary import is_binary

if TYPE_CHECKING:
    from credsweep.content.known import KnownCredentials

class Pipeline:
    """The stages bound to one configuration (see the module docstring)."""

    def __init__(self, config: Config, ruleset: Ruleset, engine: str = "auto",
                 known: KnownCredentials | None = None, *, salt: bytes) -> None:
        self.config = config
        self.ruleset = ruleset
        self.salt = salt
        """The identity key of every finding this pipeline builds (the user's report salt; a fleet
        store's derived salt)."""
        self.matcher = ContentMatcher(config, ruleset, engine, known, salt=salt)
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
        """Judgement at ``location``, then one finding per surviving match."""
        out: list[Finding] = []
        for rule, match in self.judge.judge(matches, location):
            provider = self.ruleset.providers[rule.provider]  # "known" has its own ruleset file
            placeholder = self._placeholders.get(rule.id) or self._placeholders.get(rule.id.rsplit(".", 1)[0])
            out.append(secret_finding(rule, provider, match, location, placeholder=placeholder,
                                      provenance=provenance))
        return out

    def matches(self, data: bytes, path: str = "") -> list[tuple[Rule, ContentMatch]]:
        """Content stage and judgement at ``path``, without building findings (rule checks, tests)."""
        return self.judge.judge(self.content(data), Location(path))

    def scan_item(self, item: ContentItem) -> list[Finding]:
        """Every stage for one item (binary, oversized and allowlisted items yield none)."""
        if len(item.data) > self.config.max_file_size or is_binary(item.data) or self.judge.skips(item.path):
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
    ruleset = load_rulesets(config.rulesets)
    unknown = config.unknown_rule_ids(rule.id for rule in ruleset.rules)
    if unknown:
        from credsweep.util.invocation import credsweep_command

        where = f"{config.source}: " if config.source else ""
        raise ConfigError(f"{where}unknown rule id {unknown[0]!r} in disable_rules/allowlist.rules "
                          f"(`{credsweep_command()} rules list` shows every id; a prefix ends with '.')")
    return Pipeline(config, ruleset, engine, known, salt=report_salt() if salt is None else salt)
