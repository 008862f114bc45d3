"""``credsweep rules list|check``."""

from __future__ import annotations

from pathlib import Path

import click

from credsweep.config import Config
from credsweep.errors import ExitCode
from credsweep.models import ContentMatch
from credsweep.rules.loader import load_rulesets
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


def run_check(extra: tuple[Path, ...], contexts: bool = False) -> int:
    """Every rule compiles, its examples match through the whole pipeline (as written and in every context
    that applies), negatives don't; 1 on a failure. ``contexts``: also print each rule's context matrix."""
    from credsweep.hygiene.catalogue import check_catalogue, load_catalogue
    from credsweep.identity import report_salt
    from credsweep.models import Location
    from credsweep.pipeline import Pipeline
    from credsweep.rules.check import check_ruleset

    ruleset = load_rulesets(extra)
    pipeline = Pipeline(Config(min_confidence="low"), ruleset, engine="keywords", salt=report_salt())

    def detect(text: str, path: str) -> list[ContentMatch]:
        return [match for _, match in pipeline.judge.judge(pipeline.content(text.encode()), Location(path))]

    # given files: their rules are checked (against the whole ruleset); none: every rule and the catalogue
    given = {path.resolve() for path in extra}
    only = (lambda rule: rule.source.resolve() in given or rule.source.resolve().parent in given) if extra else None
    result = check_ruleset(ruleset, detect, only=only)
    problems = [*result.problems, *([] if extra else check_catalogue(load_catalogue()))]
    if contexts:
        from credsweep.rules.check import coverage_table

        for row in coverage_table(result.coverage):
            click.echo(row)
    for problem in problems:
        click.echo(f"FAIL {line(problem)}")
    click.echo(f"{len(ruleset.rules)} rules from {len(ruleset.providers)} providers: "
               f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
    return ExitCode.FINDINGS if problems else ExitCode.CLEAN
