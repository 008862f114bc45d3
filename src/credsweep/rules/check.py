"""``rules check``: every rule compiles, its examples match, its negatives do not, and its regex
stays linear-time on inputs built to make it backtrack (``rules.linear``).

Examples run through the same detection code as a scan (rule match, entropy floor, offline
validator and the precision filters), so a rule that only passes in isolation fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from credsweep.rules.loader import Rule, Ruleset, compile_errors

MIN_EXAMPLES = 2

Detect = Callable[[Rule, str, str], Iterable[object]]
"""(rule, content, path) -> that rule's matches in the content of a file at path."""


def check_ruleset(ruleset: Ruleset, detect: Detect, linear: bool = True,
                  only: Callable[[Rule], bool] | None = None) -> list[str]:
    """Return one line per problem; an empty list means the ruleset is sound.

    With ``linear``, each rule's regex is also timed on adversarial inputs (``rules.linear``). ``only``
    limits the per-rule checks to some rules (the files a user gave); the whole ruleset still loads, so
    ids and identifiers are checked against every rule."""
    problems: list[str] = []
    checked = [rule for rule in ruleset.rules if only is None or only(rule)]
    for provider_id in sorted({rule.provider for rule in ruleset.rules} - set(ruleset.providers)):
        problems.append(f"provider '{provider_id}' has rules but no playbook")
    for provider in ruleset.providers.values():
        if not provider.playbook.revoke or not provider.console_url.startswith("http"):
            problems.append(f"provider '{provider.id}': playbook needs revoke steps and a console URL")
    ids = {rule.id for rule in ruleset.rules}
    for rule in checked:
        problems.extend(check_rule(rule, detect))
        if rule.identifies and rule.identifies not in ids:
            problems.append(f"{rule.id}: identifies unknown rule '{rule.identifies}'")
    if linear:
        from credsweep.rules.linear import slow_rules

        compiled = [rule for rule in checked if compile_errors(rule) is None]
        for rule_id, slow in slow_rules(compiled).items():
            problems.append(f"{rule_id}: not linear-time on adversarial input: {'; '.join(slow[:3])}")
    return problems


def check_rule(rule: Rule, detect: Detect) -> list[str]:
    where = f"{rule.id} ({rule.source.name})"
    error = compile_errors(rule)
    if error:
        return [f"{where}: {error}"]
    problems = []
    if len(rule.examples) < MIN_EXAMPLES or len(rule.negative_examples) < MIN_EXAMPLES:
        problems.append(f"{where}: needs at least {MIN_EXAMPLES} examples and negative examples")
    if not rule.reference.startswith("https://"):
        problems.append(f"{where}: reference must be an https URL")
    for number, text in enumerate(rule.examples, 1):
        path, example = rule.split_example(text)
        if rule.paths and not path:
            problems.append(f"{where}: example {number} needs a path (path::content) matching the rule's paths")
        if not reported(detect(rule, example, path)):
            problems.append(f"{where}: example {number} is not detected")
        if rule.paths and reported(detect(rule, example, "unrelated/notes.txt")):
            problems.append(f"{where}: example {number} is detected outside the rule's paths")
        for match in rule.regex.finditer(example.encode()):
            lowered = match.group(0).decode("utf-8", "replace").lower()
            if not any(keyword in lowered for keyword in rule.keywords):
                problems.append(f"{where}: example {number} matches without any keyword (prefilter would miss it)")
            if rule.prefilter is not None and not prefilter_covers(rule, example.encode(), match.start(), match.end()):
                problems.append(f"{where}: example {number} matches where its prefilter does not")
    for number, text in enumerate(rule.negative_examples, 1):
        path, negative = rule.split_example(text)
        if reported(detect(rule, negative, path)):
            problems.append(f"{where}: negative example {number} is detected")
    return problems


def reported(matches: Iterable[object]) -> bool:
    """Some match is reported as the rule reports it: a match whose confidence something lowered
    (it carries ``reasons``, e.g. a ``checksum-mismatch``, and is at low confidence) is hidden by
    default, so it neither satisfies an example nor breaks a negative example. Reasons that only label
    a match (``corroborated-by-identifier``) leave it reported."""
    return any(not getattr(match, "reasons", ()) or getattr(match, "confidence", "low") != "low" for match in matches)


def prefilter_covers(rule: Rule, data: bytes, start: int, end: int) -> bool:
    """True when the rule's prefilter matches within the pattern's match ``data[start:end]``
    (line-scoped rules are confirmed on the line where the prefilter match ends, so that is where
    it must end; content rules only need it to match)."""
    prefilter = re.compile((rule.prefilter or "").encode("utf-8"))
    # the pattern's own context before the match (a line start, a word boundary) may be needed
    return any(found.end() > start or found.end() == end for found in prefilter.finditer(data, max(0, start - 1), end))
