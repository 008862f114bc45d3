"""``credsweep rules list|check``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from credsweep.config import Config
from credsweep.errors import ExitCode
from credsweep.models import ContentMatch
from credsweep.rules.check import RulesCheck
from credsweep.rules.loader import Rule, Ruleset, load_rulesets
from credsweep.util.sanitize import line


def run_list(config: Config, fmt: str = "text") -> int:
    """Every rule: id, severity, confidence, name; ``markdown``: the coverage page."""
    ruleset = load_rulesets(config.rulesets)
    if fmt == "markdown":
        from credsweep.rules.document import markdown

        click.echo(markdown(ruleset), nl=False)
        return ExitCode.CLEAN
    for rule in sorted(ruleset.rules, key=lambda r: r.id):
        click.echo(f"{line(rule.id):45} {rule.severity:8} {rule.confidence:6} {line(rule.name)}")
    click.echo(f"{len(ruleset.rules)} rules from {len(ruleset.providers)} providers")
    return ExitCode.CLEAN


def run_check(extra: tuple[Path, ...], contexts: bool = False, engines: bool = False) -> int:
    """Every rule compiles, its examples match through the whole pipeline (as written and in every context
    that applies), negatives don't; 1 on a failure. ``contexts``: also print each rule's context matrix;
    ``engines``: also check that Hyperscan and the keyword engine report the same matches (``check``)."""
    from credsweep.hygiene.catalogue import check_catalogue, load_catalogue

    ruleset = load_rulesets(extra)
    # given files: their rules are checked (against the whole ruleset); none: every rule and the catalogue
    given = {path.resolve() for path in extra}
    only = (lambda rule: rule.source.resolve() in given or rule.source.resolve().parent in given) if extra else None
    result = check(ruleset, only, engines=engines)
    problems = [*result.problems, *([] if extra else check_catalogue(load_catalogue()))]
    if contexts:
        from credsweep.rules.check import coverage_table

        for row in coverage_table(result.coverage):
            click.echo(row)
    for problem in problems:
        click.echo(f"FAIL {line(problem)}")
    click.echo(f"{len(ruleset.rules)} rules from {len(ruleset.providers)} providers: "
               f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
               + ("; the Hyperscan and keyword engines compared" if engines else ""))
    return ExitCode.FINDINGS if problems else ExitCode.CLEAN


def check(ruleset: Ruleset, only: Callable[[Rule], bool] | None = None, engines: bool = False,
          linear: bool = True) -> RulesCheck:
    """``rules.check.check_ruleset`` with the scan's own detection (the keyword engine, every confidence).

    With ``engines``, every text the check writes, and ``rules.check.engine_texts``, is matched by Hyperscan
    too, and each text on which the two engines' matches differ is a problem naming the rules concerned
    (ConfigError when Hyperscan is not installed)."""
    from credsweep.identity import report_salt
    from credsweep.models import Location
    from credsweep.pipeline import Pipeline
    from credsweep.rules.check import check_ruleset, differing_rules, engine_texts

    config = Config(min_confidence="low")
    salt = report_salt()
    keywords = Pipeline(config, ruleset, engine="keywords", salt=salt)
    hyperscan = Pipeline(config, ruleset, engine="hyperscan", salt=salt) if engines else None
    if hyperscan is not None:  # each match the engines both find is judged once
        hyperscan.matcher.share_judgements(keywords.matcher)
    disagreements: dict[str, None] = {}  # one line per distinct problem, in the order found

    def detect(text: str, path: str) -> list[ContentMatch]:
        data = text.encode()
        found = keywords.content(data)
        if hyperscan is not None and (rules := differing_rules(hyperscan.content(data), found)):
            disagreements[f"{', '.join(rules)}: Hyperscan and the keyword engine report different matches "
                          f"in a text at {path or 'no path'}"] = None
        return [match for _, match in keywords.judge.judge(found, Location(path))]

    # split over two processes unless the engines are compared: the disagreements are this process's memory
    result = check_ruleset(ruleset, detect, linear=linear, only=only, split=hyperscan is None)
    if hyperscan is not None:
        for text, path in engine_texts([rule for rule in ruleset.rules if only is None or only(rule)]):
            detect(text, path)
    return replace(result, problems=(*result.problems, *disagreements))
