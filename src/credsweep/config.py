"""Configuration: ``.credsweep.toml`` or ``[tool.credsweep]`` in ``pyproject.toml`` → frozen Config."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from credsweep.errors import ConfigError
from credsweep.util import toml as tomlread
from credsweep.util.lazyre import lazy

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
CONFIDENCE_ORDER = {"low": 0, "medium": 1, "high": 2}
URGENCIES = ("low", "medium", "high", "critical")
"""The one urgency scale (``enrich.advice.LEVELS``), for ``fail_on``."""
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

    def rule_enabled(self, rule_id: str) -> bool:
        for item in self.disable_rules + self.allowlist.rules:
            if rule_id == item or (item.endswith(".") and rule_id.startswith(item)):
                return False
        return True

    def unknown_rule_ids(self, known: Iterable[str]) -> list[str]:
        """Entries of ``disable_rules`` / ``allowlist.rules`` that name no rule (a typo would silently
        disable nothing); a prefix ending in "." must match at least one rule id."""
        ids = list(known)
        return [item for item in (*self.disable_rules, *self.allowlist.rules)
                if not any(rule_id == item or (item.endswith(".") and rule_id.startswith(item)) for rule_id in ids)]

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def parse_size(value: Any, where: str) -> int:
    if isinstance(value, int) and value > 0:
        return value
    match = _SIZE.match(str(value))
    if not match:
        raise ConfigError(f"{where}: {str(value)[:40]!r} is not a size (e.g. 1048576, 500KB, 5MB)")
    number, unit = int(match.group(1)), (match.group(2) or "b").lower()[0]
    return number * {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


_TOP_KEYS = {"rulesets", "disable_rules", "max_file_size", "min_confidence", "allowlist", "hygiene", "baseline",
             "fail_on"}
_ALLOW_KEYS = {"paths", "values", "stopwords", "rules"}


def _strings(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def from_table(table: dict[str, Any], source: Path) -> Config:
    """Build a Config from a parsed TOML table; unknown or mistyped keys are errors naming the key."""
    where = str(source)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: the credsweep configuration must be a table")
    for key in table:
        if key not in _TOP_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(_TOP_KEYS))})")
    allow = table.get("allowlist", {})
    if not isinstance(allow, dict):
        raise ConfigError(f"{where}: 'allowlist' must be a table")
    for key in allow:
        if key not in _ALLOW_KEYS:
            raise ConfigError(f"{where}: unknown key {'allowlist.' + key!r} (known: {', '.join(sorted(_ALLOW_KEYS))})")
    values = _strings(allow, "values", where + " allowlist")
    for value in values:
        try:
            re.compile(value)
        except (re.error, OverflowError, RecursionError, ValueError) as exc:
            # the value shown escaped and shortened: the message stays one line whatever it holds
            raise ConfigError(f"{where}: allowlist.values regex {value[:80]!r} is invalid: "
                              f"{str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__}") from None
    min_conf = table.get("min_confidence", "medium")
    if not isinstance(min_conf, str) or min_conf not in CONFIDENCE_ORDER:
        raise ConfigError(f"{where}: 'min_confidence' must be one of low, medium, high")
    hygiene = table.get("hygiene", True)
    if not isinstance(hygiene, bool):
        raise ConfigError(f"{where}: 'hygiene' must be true or false")
    fail_on = table.get("fail_on")
    if fail_on is not None and fail_on not in URGENCIES:
        raise ConfigError(f"{where}: 'fail_on' must be one of {', '.join(reversed(URGENCIES))}")
    return Config(
        rulesets=tuple((source.parent / p) for p in _strings(table, "rulesets", where)),
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
        baseline=_baseline_path(table, source),
        fail_on=fail_on,
        source=source,
    )


def _baseline_path(table: dict[str, Any], source: Path) -> Path | None:
    value = table.get("baseline")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{source}: 'baseline' must be a file path")
    return Path(value)  # resolved from the repository root by baseline.locate, whatever the config's folder


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomlread.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc.__class__.__name__}") from None
    except ValueError as exc:  # TOMLDecodeError, and integers past Python's digit limit
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def _tool_table(data: dict[str, Any], path: Path, default: Any) -> Any:
    """``[tool.credsweep]`` of a pyproject.toml, ``default`` when it has none."""
    tool = data.get("tool", {})
    return tool.get("credsweep", default) if isinstance(tool, dict) else default


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """Load ``explicit``, else ``ROOT/.credsweep.toml``, else ``[tool.credsweep]`` of ``ROOT/pyproject.toml``."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        data = _read_toml(explicit)
        table = _tool_table(data, explicit, data) if explicit.name == "pyproject.toml" else data
        return from_table(table, explicit)
    own = root / ".credsweep.toml"
    if own.is_file() and not own.is_symlink():
        return from_table(_read_toml(own), own)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and not pyproject.is_symlink():
        table = _tool_table(_read_toml(pyproject), pyproject, None)
        if table is not None:
            return from_table(table, pyproject)
    return Config()
