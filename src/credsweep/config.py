"""Configuration: ``.credsweep.toml`` or ``[tool.credsweep]`` in ``pyproject.toml`` → frozen Config.

A repository's own configuration is data from the scanned party: it is read only from a regular file
inside the repository (``fsutil.read_regular``: never a device, FIFO or a link out of it, at most
1 MiB), and the rulesets it names must be inside the repository too. ``--config FILE`` is the user's
own choice and may name any regular file. ``Config.origin`` says which it was, so what a repository's
configuration suppresses can be counted, attributed and, when it weakens detection broadly, reported
(``hygiene.repoconfig``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from credsweep.errors import ConfigError
from credsweep.models import LEVELS, Confidence
from credsweep.util import schema
from credsweep.util import toml as tomlread
from credsweep.util.lazyre import lazy

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
CONFIDENCE_ORDER = {level.label: int(level) for level in Confidence}
URGENCIES = LEVELS
"""The one urgency scale (``models.Severity``: low to critical), for ``fail_on``."""
_SIZE = lazy(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.I)


@dataclass(frozen=True)
class Allowlist:
    """What the user has declared is not a finding."""

    paths: tuple[str, ...] = ()
    """gitignore-style patterns of paths never reported."""
    values: tuple[str, ...] = ()
    """Regexes; a secret fully matching one is not reported."""
    stopwords: tuple[str, ...] = ()
    """A secret containing one of these (case-insensitive) is not reported."""
    rules: tuple[str, ...] = ()
    """Rule ids never reported (same as ``disable_rules``)."""


@dataclass(frozen=True)
class Config:
    """Everything a scan needs to know, passed down explicitly (no global settings)."""

    rulesets: tuple[Path, ...] = ()
    """Extra ruleset files or folders."""
    disable_rules: tuple[str, ...] = ()
    """Rule ids (or id prefixes ending in '.') that are switched off."""
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    """Files or blobs larger than this many bytes are skipped."""
    min_confidence: str = "medium"
    """Findings below this confidence are not reported."""
    allowlist: Allowlist = field(default_factory=Allowlist)
    """See Allowlist."""
    hygiene: bool = True
    """Run the hygiene checks (sensitive files, .gitignore coverage, file modes)."""
    baseline: Path | None = None
    """Baseline file used when no --baseline is given, as written (relative to the repository root)."""
    fail_on: str | None = None
    """Exit 1 only when a finding is at least this urgent (critical, high, medium, low); None: any
    finding (``scan``, ``history``, ``pre-push``, ``fleet scan``; the commit hook blocks on any)."""
    source: Path | None = None
    """The file this configuration came from."""
    origin: str = "default"
    """default (no file), user (``--config``) or repository (the scanned repository's own file)."""
    repository: Path | None = None
    """For a repository's configuration: the repository root its files (rulesets, baseline) must be in."""
    max_findings_per_rule: int = 100
    """Findings reported per file and rule; past it, one summary finding with the count (0: no limit)."""
    match_budget: int = 1000
    """Pattern matches of one rule judged per content; past it the rest are counted, not judged (0: no limit)."""
    lowered: tuple[str, ...] = ()
    """What this file's own settings turn down from the defaults, as written in it (a higher
    ``min_confidence``, a smaller ``max_file_size``, a ``fail_on`` above low), one reason each: for a
    repository's file, ``hygiene.repoconfig`` reports them. Not counted: ``hygiene = false`` (the secrets
    in a credential file are still found by the rules) and a smaller ``max_findings_per_rule`` (the rest
    is still counted in a summary finding)."""

    @property
    def from_repository(self) -> bool:
        """The scanned repository supplied this configuration (its suppressions are the scanned party's)."""
        return self.origin == "repository"

    def rule_enabled(self, rule_id: str) -> bool:
        for item in self.disable_rules + self.allowlist.rules:
            if rule_id == item or (item.endswith(".") and rule_id.startswith(item)):
                return False
        return True

    def unknown_rule_ids(self, known: Iterable[str]) -> list[str]:
        """Entries of ``disable_rules`` / ``allowlist.rules`` that name no rule (a typo would silently
        disable nothing); a prefix ending in "." must match at least one rule id."""
        entries = (*self.disable_rules, *self.allowlist.rules)
        if not entries:
            return []
        named = {key for rule_id in known for key in entry_keys(rule_id)}  # a set: 2,000 ids times 1,000 entries was seconds
        return [item for item in entries if item not in named]

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def entry_keys(rule_id: str) -> list[str]:
    """The ``disable_rules`` / ``allowlist.rules`` entries that name ``rule_id``: the id itself and each prefix
    of it ending in "." (``github.``, ``github.pat.``), as ``Config.rule_enabled`` reads an entry."""
    return [rule_id, *(rule_id[: at + 1] for at, char in enumerate(rule_id) if char == ".")]


def parse_size(value: Any, where: str) -> int:
    if isinstance(value, int) and value > 0:
        return value
    match = _SIZE.match(str(value))
    if not match:
        raise ConfigError(f"{where}: {str(value)[:40]!r} is not a size (e.g. 1048576, 500KB, 5MB)")
    number, unit = int(match.group(1)), (match.group(2) or "b").lower()[0]
    return number * {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


_TOP_KEYS = {"rulesets", "disable_rules", "max_file_size", "min_confidence", "allowlist", "hygiene", "baseline",
             "max_findings_per_rule", "fail_on"}
_ALLOW_KEYS = {"paths", "values", "stopwords", "rules"}


def _strings(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _lowered(table: dict[str, Any]) -> tuple[str, ...]:
    """What a validated table's settings turn down from the defaults (``Config.lowered``)."""
    out = []
    if "min_confidence" in table and CONFIDENCE_ORDER[table["min_confidence"]] > CONFIDENCE_ORDER["medium"]:
        out.append(f"min_confidence {table['min_confidence']!r} hides every medium-confidence finding")
    if "max_file_size" in table and (size := parse_size(table["max_file_size"], "max_file_size")) < DEFAULT_MAX_FILE_SIZE:
        out.append(f"max_file_size {size} skips every file larger than {size} bytes (default {DEFAULT_MAX_FILE_SIZE})")
    fail_on = table.get("fail_on")
    if fail_on is not None and fail_on != URGENCIES[0]:
        out.append(f"fail_on {fail_on!r} lets every finding below {fail_on} urgency pass")
    return tuple(out)


def from_table(table: dict[str, Any], source: Path, origin: str = "user") -> Config:
    """Build a Config from a parsed TOML table; unknown or mistyped keys are errors naming the key.

    ``origin`` repository: ``source`` is at the repository root, and every ruleset it names must be
    inside that root (an absolute path, ``..`` or a symlink out of it is an error)."""
    where = str(source)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: the credsweep configuration must be a table")
    allow = table.get("allowlist", {})
    if not isinstance(allow, dict):
        raise ConfigError(f"{where}: 'allowlist' must be a table")
    try:
        schema.only_keys(table, _TOP_KEYS, where)
        schema.only_keys(allow, _ALLOW_KEYS, f"{where} [allowlist]")
    except schema.SchemaError as exc:
        raise ConfigError(str(exc)) from None
    values = _strings(allow, "values", where + " allowlist")
    for value in values:
        problem = regex_error(value)
        if problem:
            # the value shown escaped and shortened: the message stays one line whatever it holds
            raise ConfigError(f"{where}: allowlist.values regex {value[:80]!r} is invalid: {problem}")
    min_conf = table.get("min_confidence", "medium")
    if not isinstance(min_conf, str) or min_conf not in CONFIDENCE_ORDER:
        raise ConfigError(f"{where}: 'min_confidence' must be one of low, medium, high")
    hygiene = table.get("hygiene", True)
    if not isinstance(hygiene, bool):
        raise ConfigError(f"{where}: 'hygiene' must be true or false")
    per_rule = table.get("max_findings_per_rule", Config.max_findings_per_rule)
    if not isinstance(per_rule, int) or isinstance(per_rule, bool) or not 0 <= per_rule <= 1_000_000:
        raise ConfigError(f"{where}: 'max_findings_per_rule' must be a number from 0 (no limit) to 1000000")
    rulesets = tuple((source.parent / p) for p in _strings(table, "rulesets", where))
    repository = source.parent if origin == "repository" else None
    if repository is not None:
        for ruleset in rulesets:
            _inside_or_error(ruleset, repository, where)
    fail_on = table.get("fail_on")
    if fail_on is not None and fail_on not in URGENCIES:
        raise ConfigError(f"{where}: 'fail_on' must be one of {', '.join(reversed(URGENCIES))}")
    return Config(
        lowered=_lowered(table),
        rulesets=rulesets,
        disable_rules=_strings(table, "disable_rules", where),
        max_file_size=parse_size(table.get("max_file_size", DEFAULT_MAX_FILE_SIZE), f"{where}: 'max_file_size'"),
        min_confidence=min_conf,
        allowlist=Allowlist(
            paths=_strings(allow, "paths", where + " allowlist"),
            values=values,
            stopwords=tuple(s.lower() for s in _strings(allow, "stopwords", where + " allowlist")),
            rules=_strings(allow, "rules", where + " allowlist"),
        ),
        hygiene=hygiene,
        max_findings_per_rule=per_rule,
        baseline=_baseline_path(table, source),
        fail_on=fail_on,
        source=source,
        origin=origin,
        repository=repository,
    )


def regex_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable regex (one line), or None. Linear-time matching is checked where
    the pattern is compiled for use (``rules.linear.linear_regex``)."""
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        return str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return None


def _inside_or_error(path: Path, root: Path, where: str) -> None:
    import os

    real, top = os.path.realpath(path), os.path.realpath(root)
    if os.path.commonpath([real, top]) != top:
        raise ConfigError(f"{where}: rulesets: {str(path)[:200]!r} is outside the repository "
                          "(a repository's configuration may only name files inside it)")


def _baseline_path(table: dict[str, Any], source: Path) -> Path | None:
    value = table.get("baseline")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{source}: 'baseline' must be a file path")
    return Path(value)  # resolved from the repository root by baseline.locate, whatever the config's folder


def _read_toml(path: Path, within: Path | None = None) -> dict[str, Any]:
    from credsweep.util.fsutil import CONFIG_LIMIT, read_regular

    try:
        return tomlread.loads(read_regular(path, CONFIG_LIMIT, within).decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc.__class__.__name__}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.__class__.__name__}") from None
    except ValueError as exc:  # TOMLDecodeError, and integers past Python's digit limit
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def _tool_table(data: dict[str, Any], path: Path, default: Any) -> Any:
    """``[tool.credsweep]`` of a pyproject.toml, ``default`` when it has none."""
    tool = data.get("tool", {})
    return tool.get("credsweep", default) if isinstance(tool, dict) else default


REPOSITORY_FILES = (".credsweep.toml", "pyproject.toml")
"""The files a repository configures credsweep with, at its root (``pyproject.toml``: ``[tool.credsweep]``)."""


def load_config(root: Path, explicit: Path | None = None, *, repository_config: bool = True) -> Config:
    """Load ``explicit`` (the user's), else ``ROOT/.credsweep.toml``, else ``[tool.credsweep]`` of
    ``ROOT/pyproject.toml`` (the repository's own, unless ``repository_config`` is False:
    ``--no-repo-config``). A repository's file that exists but is not a regular file inside the
    repository (a symlink out, a FIFO, a device) or is over 1 MiB is an error, never silently skipped."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        data = _read_toml(explicit)
        table = _tool_table(data, explicit, data) if explicit.name == "pyproject.toml" else data
        return from_table(table, explicit, "user")
    if not repository_config:
        return Config()
    own = root / ".credsweep.toml"
    if os.path.lexists(own):
        return from_table(_read_toml(own, root), own, "repository")
    pyproject = root / "pyproject.toml"
    if os.path.lexists(pyproject):
        table = _tool_table(_read_toml(pyproject, root), pyproject, None)
        if table is not None:
            return from_table(table, pyproject, "repository")
    return Config()
