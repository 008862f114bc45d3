"""Text output for people: findings grouped by file, colour on a terminal, one line of advice each."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from itertools import groupby

from credsweep.advice import group_findings
from credsweep.models import Finding, Report, ScanStats

DEFAULT_BASELINE = ".credsweep-baseline.json"
_COLOURS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}
_RESET = "\033[0m"


def _paint(text: str, severity: str, color: bool) -> str:
    return f"{_COLOURS[severity]}{text}{_RESET}" if color else text


def _line(finding: Finding, show_secrets: bool, color: bool) -> str:
    where = f"{finding.line}:{finding.column}" if finding.line else "-"
    value = finding.secret if show_secrets and finding.secret else finding.redacted
    label = _paint(f"{finding.severity.upper():8}", finding.severity, color)
    commit = f" @ {finding.commit[:10]}" if finding.commit else ""
    lines = [f"  {where:>9}  {label} {finding.name} [{finding.rule}]{commit}"]
    if value:
        lines.append(f"{'':13}{value}")
    lines.append(f"{'':13}→ {finding.advice.summary}")
    return "\n".join(lines)


def render(report: Report, *, show_secrets: bool = False, color: bool = False) -> str:
    out: list[str] = []
    for path, group in groupby(report.findings, key=lambda f: f.path):
        out.append(path)
        out.extend(_line(f, show_secrets, color) for f in group)
        out.append("")
    groups = group_findings(report.findings)
    if groups:
        out.append(_paint("What to do now", "high", color) if color else "What to do now")
        for number, group in enumerate(groups, 1):
            first = group.findings[0]
            copies = f" ({len(group.findings)} copies)" if len(group.findings) > 1 else ""
            out.append(f"  {number}. [{_paint(group.urgency.upper(), group.urgency, color)}] {first.name}{copies}: "
                       f"{first.advice.summary}")
            if first.advice.why:
                out.append(f"     why: {first.advice.why}")
            if first.advice.urls:
                out.append(f"     {first.advice.urls[0]}")
        out.append("")
    stats = report.stats
    out.extend(skipped_lines(stats))
    skipped = ", ".join(f"{n} {why}" for why, n in stats.skipped)
    count = len(report.findings)
    summary = (
        f"{count} finding{'s' if count != 1 else ''} in {stats.files} files "
        f"({stats.bytes / 1e6:.1f} MB, {stats.seconds:.2f}s, engine {stats.engine})"
    )
    if skipped:
        summary += f"; skipped {skipped}"
    if stats.baselined:
        summary += f"; {stats.baselined} baselined"
    if stats.baseline_unaudited:
        summary += (f"; {stats.baseline_unaudited} reported only because their baseline entries are unaudited "
                    "(credsweep baseline audit)")
    unread = sum(1 for s in stats.skipped_files if s.reason in NOT_SCANNED)
    if count:
        out.append(summary)
    elif unread:
        out.append(f"No findings in what was scanned, but {unread} file{'s were' if unread != 1 else ' was'} "
                   f"not scanned (listed above). {summary}")
    else:
        out.append(f"No findings. {summary}")
    return "\n".join(out) + "\n"


NOT_SCANNED = ("too large", "unreadable", "submodule")
"""Skip reasons that may hide a secret (binary files and symlinks are judged elsewhere)."""
SKIPPED_SHOWN = 20


def skipped_lines(stats: ScanStats) -> list[str]:
    """The files a scan did not read for a reason that may hide a secret, named (at most 20)."""
    unread = [s for s in stats.skipped_files if s.reason in NOT_SCANNED]
    if not unread:
        return []
    out = ["Not scanned:"]
    out.extend(f"  {s.path}  ({s.reason})" for s in unread[:SKIPPED_SHOWN])
    if len(unread) > SKIPPED_SHOWN:
        out.append(f"  ... and {len(unread) - SKIPPED_SHOWN} more (every one is in --format json)")
    out.append("")
    return out


@dataclass(frozen=True)
class BlockContext:
    """What the block message needs beyond the report, so every command it prints works as printed."""

    baseline_args: str = ""
    """`` --baseline FILE`` to append to printed credsweep commands (when the hook was given one), or ""."""
    baseline_file: str = DEFAULT_BASELINE
    """The baseline file, as typed from the repository root (for ``git add``)."""
    baseline_exists: bool = False
    """Whether it exists (``baseline update`` then, else ``baseline create``)."""
    head: str | None = None
    """Commit id of HEAD, None before the first commit (pre-push: a secret added there is removed with
    ``git commit --amend``; staged: nothing to ``git restore --staged`` from without it)."""
    root_commits: frozenset[str] = frozenset()
    """Commits without a parent (pre-push: ``git rebase -i --root`` instead of ``COMMIT~1``)."""


def _top(path: str) -> str:
    """A repository-relative path as a git pathspec that works from any folder (``:/`` is the top)."""
    return shlex.quote(path if path.startswith("/") else ":/" + path)


def _block_lines(report: Report, show_secrets: bool) -> list[str]:
    out = []
    for f in report.findings:
        where = f"{f.path}:{f.line}" if f.line else f.path
        value = f.secret if show_secrets and f.secret else f.redacted
        out.append(f"  {where}  {f.name}" + (f"  {value}" if value else "")
                   + (f"  (commit {f.commit[:10]})" if f.commit else ""))
    return out


def _staged_advice(report: Report, context: BlockContext) -> list[str]:
    secrets = any(f.kind == "secret" for f in report.findings)
    files = sorted({f.path for f in report.findings if f.kind != "secret"})
    out = ["How to fix (nothing is committed yet):"]
    if secrets:
        out += ["  - A secret in a file: move the value to an environment variable or a secret manager, then",
                "    stage the file again (git add)."]
    if files:
        # before the first commit there is no HEAD to restore the index from
        unstage = "git restore --staged --" if context.head else "git rm --cached --"
        out.append("  - A credential file: unstage it, and add it to .gitignore:")
        out += [f"      {unstage} {_top(path)}" for path in files]
    if secrets:
        out += ["  - A false positive? Add `credsweep:allow` in a comment on that line, or record what was",
                "    blocked in the baseline (as unaudited) and commit again:"]
    else:
        out.append("  - A false positive? Record what was blocked in the baseline (as unaudited) and commit again:")
    out += [f"      credsweep staged --update-baseline{context.baseline_args}",
            f"      git add -- {_top(context.baseline_file)}"]
    if secrets:
        out += ["  - Was this value ever committed or pushed before? Then it must be rotated: removing it from",
                "    the code does not un-leak it. `credsweep history` shows where it has been."]
    return out


def _rewrite_advice(report: Report, context: BlockContext) -> list[str]:
    in_head = sorted({f.path: f for f in report.findings if f.commit and f.commit == context.head}.items())
    earlier = sorted({f.commit for f in report.findings if f.commit and f.commit != context.head})
    out = []
    for path, finding in in_head:
        if finding.kind == "secret":
            out += [f"  - Added by the last commit: remove the value from {path}, then:",
                    f"      git commit --amend --no-edit -- {_top(path)}"]
        else:
            out += [f"  - {path} was added by the last commit: take it out (and add it to .gitignore):",
                    f"      git rm --cached -- {_top(path)}",
                    "      git commit --amend --no-edit"]
    for commit in earlier:
        base = "--root" if commit in context.root_commits else f"{commit[:12]}~1"
        out += [f"  - Added by commit {commit[:10]}: rewrite from there. In the editor, mark that commit `edit`",
                "    (take the value or file out, `git commit --amend --all --no-edit`, `git rebase --continue`),",
                "    or mark the later commit that removed it `fixup`:",
                f"      git rebase -i {base}"]
    return out


def _push_advice(report: Report, context: BlockContext) -> list[str]:
    record = "update" if context.baseline_exists else "create"
    return [
        "How to fix: these commits are not pushed yet, so rewrite them until none carries it (a later",
        "commit that deletes it is not enough: the push would still carry the commit that added it).",
        *_rewrite_advice(report, context),
        "  - A false positive, or a secret already rotated? Record what history holds in the baseline",
        "    (as unaudited), then push again:",
        f"      credsweep baseline {record} --history{context.baseline_args}",
        "  - Was it ever pushed anywhere else (another remote, a fork, a CI log)? Then rotate it:",
        "    rewriting commits does not un-leak it. `credsweep history` shows where it has been.",
    ]


def render_block(report: Report, *, show_secrets: bool = False, context: BlockContext | None = None) -> str:
    """The message a hook prints when it blocks: actionable in ten seconds, and every command it prints
    works as printed for the hook that printed it (``staged`` for commits, ``pre-push`` for pushes)."""
    context = context or BlockContext()
    count = len(report.findings)
    problems = f"{count} problem{'s' if count != 1 else ''}"
    if report.command == "staged":
        head = f"credsweep blocked this commit: {problems} in the staged changes."
        advice = _staged_advice(report, context)
    else:
        head = f"credsweep blocked this push: {problems} in the commits being pushed."
        advice = _push_advice(report, context)
    return "\n".join([head, "", *_block_lines(report, show_secrets), "", *advice]) + "\n"
