"""Text output for people.

``history`` (and ``pre-push``): one entry per distinct secret, most urgent first, each saying what it
is, how urgent and why, where it is now, where it has been, and what to do, once. Low-urgency
entries (test fixtures, credential files holding nothing secret) take one line each; ``-v``
(``all_locations``) shows them in full and lists every location. Every other command: findings
grouped per file, each secret once per file, then the advice once per secret in "What to do now".
Both end with the same counts: "N secrets (M locations)" and the file problems shown on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby

from credsweep.enrich.advice import Entry, entries, history_cleanup, purge_plan
from credsweep.models import BlockContext, Finding, Report, ScanStats
from credsweep.util.pathnames import display, encodable, printable, shell_quote
from credsweep.util.sanitize import line as one_line
from credsweep.util.sanitize import report as safe_report

_COLOURS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}
_RESET = "\033[0m"
TASKS_LISTED = 10
"""Lines of "What to do now" before the rest is summarised as a count (the entries above say it all)."""
REFS_SHOWN = 3
PATHS_SHOWN = 3
INDENT = "    "


def _paint(text: str, severity: str, color: bool) -> str:
    return f"{_COLOURS[severity]}{text}{_RESET}" if color else text


def _value(finding: Finding, show_secrets: bool) -> str:
    return one_line(finding.secret if show_secrets and finding.secret else finding.redacted)


def _validation(findings: Iterable[Finding]) -> str:
    """What the provider said (``--validate``): ``live as octocat``, ``revoked on DATE``; "" when not asked."""
    checked = next((f.validation for f in findings if f.validation is not None), None)
    return printable(checked.label()) if checked else ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _where(finding: Finding) -> str:
    if finding.cell:  # a database or archive file: the table, column and row or the member, not a line
        return f"{display(finding.path)} [{one_line(finding.cell)}]"
    return f"{display(finding.path)}:{finding.line}" if finding.line else display(finding.path)


def _context(finding: Finding, show_secrets: bool) -> str:
    """The finding's line with its secrets masked (``Finding.context``); with ``--show-secrets`` the
    masked line still (the value itself is printed beside the name)."""
    return one_line(finding.context) if finding.kind == "secret" and finding.context else ""


def _title(entry: Entry, show_secrets: bool) -> str:
    """What it is: name, redacted value and the paired identifier's tail."""
    first = entry.first
    value = _value(first, show_secrets)
    return one_line(first.name) + (f"  {value}" if value else "") + _ident(first, show_secrets)


def _ident(finding: Finding, show_secrets: bool) -> str:
    """The paired identifier beside its secret (which key to rotate), or ""."""
    shown = finding.shown_identifier(show_secrets)
    return f" ({finding.identifier_label} {one_line(shown)})" if shown else ""


def _more(items: Sequence[str], shown: int) -> str:
    head = ", ".join(items[:shown])
    return head + (f" and {len(items) - shown} more" if len(items) > shown else "")


# --- history entries --------------------------------------------------------------------------

def _prov(finding: Finding, key: str) -> object:
    """A provenance field of a history finding (None outside history)."""
    return getattr(finding.provenance, key, None) if finding.provenance is not None else None


def _date(value: object) -> str:
    return str(value)[:10] if value else "?"


def _last_place(entry: Entry) -> Finding:
    """The copy seen last (for a secret no longer in HEAD: where it was until it went)."""
    return max(entry.group.findings, key=lambda f: str(_prov(f, "last_seen") or _prov(f, "date") or ""))


def _current(entry: Entry) -> list[str]:
    """Where the secret is now: its places in the working tree or HEAD, in report order."""
    findings = entry.group.findings
    return list(dict.fromkeys(_where(f) for f in findings if f.source != "history" or _prov(f, "path_in_head")))


def _now(entry: Entry) -> str:
    """Where the secret is now: its places in HEAD (or the working tree), or where it was last."""
    findings = entry.group.findings
    here = _current(entry)
    if here:
        return _more(here, PATHS_SHOWN) + ("" if any(f.source != "history" for f in findings) else " (in HEAD)")
    if any(_prov(f, "in_head") for f in findings):
        return "in HEAD"
    last = _last_place(entry)
    until = _prov(last, "last_seen")
    return f"removed from HEAD; last seen {_date(until)} in {_where(last)}" if until else \
        f"removed from HEAD; was in {_where(last)}"


def _been(entry: Entry) -> list[str]:
    """Where the secret has been: counts and dates, pushed, refs; then the commit that introduced it."""
    findings = [f for f in entry.group.findings if f.provenance]
    if not findings:
        return []
    paths = {f.path for f in findings}
    versions = {f.blob_id for f in findings if f.blob_id}
    commits = {f.commit for f in findings if f.commit}
    parts = [f"{_plural(len(paths), 'path')}, {_plural(len(versions), 'version')}"
             + (f", {_plural(len(commits), 'introducing commit')}" if commits else "")]
    seen = [str(s) for f in findings if (s := _prov(f, "first_seen") or _prov(f, "date"))]
    last = [str(s) for f in findings if (s := _prov(f, "last_seen"))]
    if seen:
        since, until = _date(min(seen)), _date(max(last)) if last else ""
        parts.append(f"from {since}" if not until else since if since == until else f"{since} to {until}")
    parts.append("pushed" if any(_prov(f, "pushed") for f in findings) else "not pushed (in no remote-tracking ref)")
    refs = list(dict.fromkeys(one_line(r) for f in findings if f.provenance for r in f.provenance.refs))
    if refs:
        parts.append("refs " + _more(refs, REFS_SHOWN))
    out = ["; ".join(parts)]
    dated = [f for f in findings if f.commit]
    if dated:
        first = min(dated, key=lambda f: str(_prov(f, "date") or "9999"))
        subject = str(_prov(first, "message") or "")
        subject = one_line(subject if len(subject) <= 50 else subject[:47] + "...")
        author = one_line(str(_prov(first, "author") or "?"))
        out.append(f"introduced in {str(first.commit)[:10]} by {author}, {_date(_prov(first, 'date'))}"
                   + (f' "{subject}"' if subject else ""))
    return out


def _commands(entry: Entry) -> list[str]:
    """The playbook's commands; the history purge is printed once for all entries, not per entry."""
    plan = set(purge_plan(entry.group.findings))
    return [one_line(c) for c in entry.first.advice.commands if c not in plan]


def _file_notes(entry: Entry) -> list[str]:
    """The file-level findings of the files holding the secret: one line per kind of problem."""
    paths: dict[str, list[str]] = {}
    for finding in entry.files:
        listed = paths.setdefault(one_line(finding.name), [])
        if display(finding.path) not in listed:
            listed.append(display(finding.path))
    return [f"{name}: {_more(listed, PATHS_SHOWN)}" for name, listed in paths.items()]


def _locations(entry: Entry) -> list[str]:
    out = []
    for f in entry.group.findings:
        when = f" @ {f.commit[:10]} {_date(_prov(f, 'date'))}" if f.commit else ""
        head = " (in HEAD)" if _prov(f, "path_in_head") else ""
        out.append(f"{_where(f)}{when}{head}")
    return list(dict.fromkeys(out))


def _entry(number: int, entry: Entry, show_secrets: bool, color: bool, all_locations: bool) -> list[str]:
    first = entry.first
    label = _paint(f"{entry.urgency.upper():8}", entry.urgency, color)
    out = [f"{number:>2}. {label} {_title(entry, show_secrets)}",
           f"{INDENT}confidence {entry.confidence} · {one_line(first.rule)}"
           + (f" · {_plural(len(entry.group.findings), 'location')}" if len(entry.group.findings) > 1 else "")]
    context = _context(first, show_secrets)
    if context:
        out.append(f"{INDENT}line: {context}")
    if entry.why:
        out.append(f"{INDENT}why:  {one_line(entry.why)}")
    checked = _validation(entry.group.findings)
    if checked:
        out.append(f"{INDENT}auth: {one_line(checked)}")
    out.append(f"{INDENT}now:  {_now(entry)}")
    been = _been(entry)
    if been:
        out.append(f"{INDENT}been: {been[0]}")
        out.extend(f"{INDENT}      {line}" for line in been[1:])
    out.extend(f"{INDENT}file: {note}" for note in _file_notes(entry))
    out.append(f"{INDENT}do:   {one_line(first.advice.summary)}")
    if first.advice.urls:
        out.append(f"{INDENT}      {one_line(first.advice.urls[0])}")
    out.extend(f"{INDENT}      {c if c.startswith('#') else '$ ' + c}" for c in _commands(entry))
    if all_locations:
        out.append(f"{INDENT}all locations:")
        out.extend(f"{INDENT}  {loc}" for loc in _locations(entry))
    return out


def _brief(items: list[Entry], show_secrets: bool) -> list[str]:
    """One line per kind of low-urgency item and place: a test folder's keys, regenerated over the
    years, read as one line ("2 distinct"), not as identical-looking rows."""
    lines: dict[tuple[str, str, str], list[Entry]] = {}
    for entry in items:
        paths = list(dict.fromkeys(display(f.path) for f in entry.group.findings))
        where = paths[0] + (f" (+{len(paths) - 1} paths)" if len(paths) > 1 else "")
        kind = "test fixture" if entry.fixture else one_line(entry.first.rule)
        lines.setdefault((one_line(entry.first.name), where, kind), []).append(entry)
    out = []
    for (name, where, kind), same in lines.items():
        seen = [str(s) for e in same for f in e.group.findings if (s := _prov(f, "first_seen") or _prov(f, "date"))]
        since = f", since {_date(min(seen))}" if seen else ""
        title = _title(same[0], show_secrets) if len(same) == 1 else f"{name} ({len(same)} distinct)"
        why = list(dict.fromkeys(r for e in same for f in e.group.findings for r in f.reasons))
        said = f" ({', '.join(why[:3])})" if why and same[0].confidence == "low" else ""
        out.append(f"  - {title}  in {where}  [{kind}, confidence {same[0].confidence}{said}{since}]")
    return out


def _history(items: list[Entry], show_secrets: bool, color: bool, all_locations: bool) -> list[str]:
    out: list[str] = []
    # one pass, by identity: comparing entries (``e not in full``) compared whole tuples of findings,
    # once per pair of entries, which made 10,000 secrets take minutes
    full = [e for e in items if all_locations or e.urgency != "low"]
    brief = [e for e in items if not (all_locations or e.urgency != "low")]
    for number, entry in enumerate(full, 1):
        out.extend(_entry(number, entry, show_secrets, color, all_locations))
        out.append("")
    if brief:
        secrets = sum(1 for e in brief if e.is_secret)
        counted = ", ".join(c for c in (_plural(secrets, "secret") if secrets else "",
                                         _plural(len(brief) - secrets, "file") if len(brief) > secrets else "") if c)
        out.append(f"Low urgency: {counted} (test fixtures, low confidence, files with nothing secret; -v shows them in full)")
        out.extend(_brief(brief, show_secrets))
        out.append("")
    cleanup = history_cleanup(items)
    if cleanup:
        out.append("Clean the history once, after rotating (this rewrites every branch and tag):")
        out.extend(f"  {c if c.startswith('#') else '$ ' + c}" for c in cleanup)
        out.append("")
    return out


# --- per-file listing (scan, staged) ----------------------------------------------------------

def _file_lines(findings: Iterable[Finding], show_secrets: bool, color: bool) -> list[str]:
    """Each secret once per file (with every line it is on), then the file's own problems."""
    out = []
    by_secret: dict[str, list[Finding]] = {}
    for f in findings:
        by_secret.setdefault(f.secret_id or f.fingerprint, []).append(f)
    for copies in by_secret.values():
        f = copies[0]
        lines = sorted({c.line for c in copies if c.line})
        where = ("line " if len(lines) == 1 else "lines ") + ", ".join(map(str, lines)) if lines else "file"
        if f.cell:
            where = ", ".join(dict.fromkeys(one_line(c.cell or "") for c in copies))
        label = _paint(f"{f.advice.urgency.upper():8}", f.advice.urgency, color)
        value = _value(f, show_secrets)
        conf = f"  (confidence {f.confidence})" if f.kind == "secret" else ""
        commit = f" @ {f.commit[:10]}" if f.commit else ""
        checked = _validation(copies)
        out.append(f"  {where:<12} {label} {one_line(f.name)}" + (f"  {value}" if value else "") + _ident(f, show_secrets)
                   + conf + commit + (f"  [{one_line(checked)}]" if checked else ""))
        context = _context(f, show_secrets)
        if context:
            out.append(f"  {'':<12} {'':8} {context}")
    return out


def _by_file(report: Report, show_secrets: bool, color: bool) -> list[str]:
    out: list[str] = []
    for path, in_file in groupby(report.findings, key=lambda f: f.path):
        out.append(display(path))
        out.extend(_file_lines(list(in_file), show_secrets, color))
        out.append("")
    return out


# --- what to do now and the counts -----------------------------------------------------------

def _task(entry: Entry, show_secrets: bool) -> str:
    """One line: where (now, else where it was last), then what."""
    here = _current(entry) or [_where(_last_place(entry))]
    places = list(dict.fromkeys([*here, *(_where(f) for f in entry.group.findings)]))
    where = places[0] + (f" (+{_plural(len(places) - 1, 'more place')})" if len(places) > 1 else "")
    if entry.is_secret:
        title = _title(entry, show_secrets)
        # generic rule names start with an ordinary word ("Password in ..."); provider names are proper nouns
        title = title[0].lower() + title[1:] if entry.first.rule.startswith("generic.") else title
        checked = _validation(entry.group.findings)
        return f"{where}: rotate the {title}" + (f" [{one_line(checked)}]" if checked else "")
    return f"{where}: {one_line(entry.first.advice.summary)}"


def _what_to_do(items: list[Entry], show_secrets: bool, color: bool, detailed: bool, cleanup: bool) -> list[str]:
    urgent = [e for e in items if e.urgency != "low"]
    if not urgent:
        return []
    out = [_paint("What to do now", "high", color) if color else "What to do now"]
    said: dict[tuple[str, ...], int] = {}
    for number, entry in enumerate(urgent[:TASKS_LISTED], 1):
        label = _paint(entry.urgency.upper(), entry.urgency, color)
        out.append(f"  {number}. [{label}] {_task(entry, show_secrets)}")
        if detailed:  # the per-file listing has no entries above: the advice goes here, once per secret
            first = entry.first
            advice = [first.advice.summary if entry.is_secret else "", *first.advice.urls[:1], *_commands(entry)]
            if tuple(advice) in said:  # the same playbook as an earlier task: point to it
                out.append(f"     Same steps as {said[tuple(advice)]}.")
            else:
                said[tuple(advice)] = number
                if entry.is_secret:
                    out.append(f"     {one_line(first.advice.summary)}")
                if first.advice.urls:
                    out.append(f"     {one_line(first.advice.urls[0])}")
                out.extend(f"     {c if c.startswith('#') else '$ ' + c}" for c in _commands(entry))
            for finding in entry.files:
                out.append(f"     also: {one_line(finding.name)}: {one_line(finding.advice.summary)}")
                out.extend(f"       $ {one_line(c)}" for c in finding.advice.commands)
    if len(urgent) > TASKS_LISTED:
        out.append(f"  ... and {len(urgent) - TASKS_LISTED} more above.")
    low = len(items) - len(urgent)
    if low and detailed:
        out.append(f"  Not urgent: {low} low-urgency item{'s' if low != 1 else ''} above "
                   "(test fixtures, low confidence, files with nothing secret).")
    if cleanup:
        out.append(f"  {min(len(urgent), TASKS_LISTED) + 1}. Then clean the history once (commands above).")
    out.append("")
    return out


def _counts(report: Report, items: list[Entry]) -> list[str]:
    """The files not read (named), then one line of counts that agree with the entries shown."""
    secrets = [e for e in items if e.is_secret]
    locations = sum(len(e.group.findings) for e in secrets)
    files = len(items) - len(secrets)
    stats = report.stats
    unit = "blobs" if report.command in ("history", "pre-push") else "files"
    said = f"{_plural(len(secrets), 'secret')} ({_plural(locations, 'location')})"
    if files:
        said += f" and {_plural(files, 'other file problem')}"
    scanned = f"{stats.files} {unit} scanned ({stats.bytes / 1e6:.1f} MB, {stats.seconds:.2f}s, engine {stats.engine})"
    skipped = ", ".join(f"{n} {why}" for why, n in stats.skipped)
    if skipped:
        scanned += f"; skipped {skipped}"
    if stats.baselined:
        scanned += f"; {stats.baselined} baselined"
    if stats.baseline_unaudited:
        scanned += (f"; {stats.baseline_unaudited} reported only because their baseline entries are unaudited "
                    "(credsweep baseline audit)")
    unread = sum(1 for s in stats.skipped_files if s.reason in NOT_SCANNED)
    hidden = sum(s.count for s in stats.suppressed)
    if hidden and not items:
        last = (f"No findings reported, but {_plural(hidden, 'finding')} {'was' if hidden == 1 else 'were'} hidden "
                f"(listed above). {scanned}")
    elif items:
        last = f"{said}; {scanned}"
    elif unread:
        last = (f"No findings in what was scanned, but {unread} file{'s were' if unread != 1 else ' was'} "
                f"not scanned (listed above). {scanned}")
    else:
        last = f"No findings. {scanned}"
    return [*skipped_lines(stats), *suppressed_lines(stats), *note_lines(stats), last]


def render(report: Report, *, show_secrets: bool = False, color: bool = False, all_locations: bool = False) -> str:
    """The report for a person; ``all_locations`` (``-v``) lists every location and every entry in full."""
    items = entries(report.findings)
    if report.command in ("history", "pre-push"):
        out = _history(items, show_secrets, color, all_locations)
        out += _what_to_do(items, show_secrets, color, detailed=False, cleanup=bool(history_cleanup(items)))
    else:
        out = _by_file(report, show_secrets, color)
        out += _what_to_do(items, show_secrets, color, detailed=True, cleanup=False)
    out += _counts(report, items)
    # the last net: whatever a field above let through, no escape sequence but our own colours leaves
    return encodable(safe_report("\n".join(out) + "\n", color))


NOT_SCANNED = ("too large", "unreadable", "submodule")
"""Skip reasons that may hide a secret (binary files and symlinks are judged elsewhere)."""
SKIPPED_SHOWN = 20


def skipped_lines(stats: ScanStats) -> list[str]:
    """The files a scan did not read for a reason that may hide a secret, named (at most 20)."""
    unread = [s for s in stats.skipped_files if s.reason in NOT_SCANNED]
    if not unread:
        return []
    out = ["Not scanned:"]
    out.extend(f"  {display(s.path)}  ({s.reason}" + (f", {s.size:,} bytes)" if s.size is not None else ")")
               for s in unread[:SKIPPED_SHOWN])
    if len(unread) > SKIPPED_SHOWN:
        out.append(f"  ... and {len(unread) - SKIPPED_SHOWN} more (every one is in --format json)")
    out.append("")
    return out


SUPPRESSED_SHOWN = 10


def suppressed_lines(stats: ScanStats) -> list[str]:
    """What each allowlist entry, disabled rule, inline comment and the baseline hid, and which file said
    so: a configuration that hides findings is never silent."""
    if not stats.suppressed:
        return []
    total = sum(s.count for s in stats.suppressed)
    out = [f"Hidden: {_plural(total, 'finding')} not reported because of:"]
    for item in stats.suppressed[:SUPPRESSED_SHOWN]:
        entry = f" {one_line(repr(item.entry))}" if item.entry else ""
        where = f" in {display(item.source)}" if item.source else (" (comments in the content)"
                                                                    if item.kind == "inline" else "")
        out.append(f"  {item.count:>6}  {item.kind}{entry}{where}")
    if len(stats.suppressed) > SUPPRESSED_SHOWN:
        out.append(f"  ... and {len(stats.suppressed) - SUPPRESSED_SHOWN} more entries (every one is in --format json)")
    out.append("")
    return out


def note_lines(stats: ScanStats) -> list[str]:
    """Notes the person running the scan must read (a commit that changes the scan's configuration)."""
    return [*(f"Note: {one_line(note)}" for note in stats.notes), *([""] if stats.notes else [])]


def _top(path: str) -> str:
    """A repository-relative path as a git pathspec that works from any folder (``:/`` is the top)."""
    return shell_quote(path if path.startswith("/") else ":/" + path)  # hostile names stay one word


def _block_lines(report: Report, show_secrets: bool) -> list[str]:
    out = []
    for f in report.findings:
        where = _where(f)
        value = printable(f.secret if show_secrets and f.secret else f.redacted)
        checked = _validation([f])
        out.append(f"  {where}  {one_line(f.name)}" + (f"  {value}" if value else "") + _ident(f, show_secrets)
                   + (f"  (commit {f.commit[:10]})" if f.commit else "") + (f"  [{one_line(checked)}]" if checked else ""))
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
    out += [f"      {context.credsweep} staged --update-baseline{context.baseline_args}",
            f"      git add -- {_top(context.baseline_file)}"]
    if secrets:
        out += ["  - Was this value ever committed or pushed before? Then it must be rotated: removing it from",
                "    the code does not un-leak it. This shows where it has been:",
                f"      {context.credsweep} history"]
    return out


def _rewrite_advice(report: Report, context: BlockContext) -> list[str]:
    in_head = sorted({f.path: f for f in report.findings if f.commit and f.commit == context.head}.items())
    earlier = sorted({f.commit for f in report.findings if f.commit and f.commit != context.head})
    out = []
    for path, finding in in_head:
        if finding.kind == "secret":
            out += [f"  - Added by the last commit: remove the value from {display(path)}, then:",
                    f"      git commit --amend --no-edit -- {_top(path)}"]
        else:
            out += [f"  - {display(path)} was added by the last commit: take it out (and add it to .gitignore):",
                    f"      git rm --cached -- {_top(path)}",
                    "      git commit --amend --no-edit"]
    for commit in earlier:
        root = commit in context.root_commits
        out += [f"  - Added by commit {commit[:10]}: rewrite from there:",
                f"      git rebase -i {'--root' if root else commit[:12] + '~1'}",
                "    In the editor, mark that commit `edit` (then take the value or file out,",
                "    `git commit --amend --all --no-edit`, `git rebase --continue`), or, when a later commit",
                "    removed it, move that commit's line just below it and mark it `fixup`."]
        if not root:
            # a fixup that cancels the commit out stops with "would make it empty": drop both, leave no empty commit
            out += ["    If git then stops with \"would make it empty\" (the later commit only took it back out),",
                    "    drop the pair:",
                    "      git reset --soft HEAD~1 && git rebase --continue"]
    return out


def _push_advice(report: Report, context: BlockContext) -> list[str]:
    record = "update" if context.baseline_exists else "create"
    return [
        "How to fix: these commits are not pushed yet, so rewrite them until none carries it (a later",
        "commit that deletes it is not enough: the push would still carry the commit that added it).",
        *_rewrite_advice(report, context),
        "  - A false positive, or a secret already rotated? Record what history holds in the baseline",
        "    (as unaudited), then push again:",
        f"      {context.credsweep} baseline {record} --history{context.baseline_args}",
        "  - Was it ever pushed anywhere else (another remote, a fork, a CI log)? Then rotate it:",
        "    rewriting commits does not un-leak it. This shows where it has been:",
        f"      {context.credsweep} history",
    ]


def render_below_threshold(report: Report, fail_on: str, *, show_secrets: bool = False) -> str:
    """What a hook with ``--fail-on`` prints when everything it found is less urgent: not a block, but
    not silence either (the findings, one line each)."""
    count = len(report.findings)
    what = "push" if report.command == "pre-push" else "commit"
    head = (f"credsweep: not blocking this {what}: {_plural(count, 'problem')}, none of {fail_on} urgency or "
            f"above (--fail-on {fail_on}):")
    return safe_report("\n".join([head, *_block_lines(report, show_secrets)]) + "\n")


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
    notes = ["", *note_lines(report.stats)] if report.stats.notes else []
    return safe_report("\n".join([head, "", *_block_lines(report, show_secrets), "", *advice, *notes]) + "\n")
