"""The fleet report as one self-contained HTML page: what a team lead acts on, in the order they act.

1. **By repository**: one row per repository, its open tasks counted per urgency, a link to each task,
   its last scan (or why it failed); sortable by any column (a few lines of inline script).
2. **Tasks**: grouped by what to do. A group's advice (the steps and commands every task in it shares)
   is written once, folded in a ``<details>``; each task below it is a few lines: what (urgency,
   status, name, preview, what its provider said under ``--validate``, paired identifier, id for
   ``fleet mark``) and where (each repository, path and line once, with the commits of the versions
   found there and whether one is still in HEAD).
   What only one task needs (a history purge naming its files) is folded under that task.
3. Resolved tasks, folded; then a chart of open and resolved findings after each run.

Self-contained: a Content-Security-Policy forbids every external resource and allows exactly one
inline script (by its hash), so the page renders the same from a mail attachment, a CI artifact or a
file:// URL, and cannot call home. Everything from the store is escaped.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credsweep.fleet.views import FleetReport, RepositoryView, RunView, SecretView

URGENCIES = ("critical", "high", "medium", "low")

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:20px 24px}
h1{font-size:22px;margin:0 0 2px}h2{font-size:17px;margin:26px 0 8px}h3{font-size:15px;margin:0}
.meta{color:#5b6472;font-size:12.5px}
.lead{font-size:15px;margin:6px 0 0}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e7}
th,td{text-align:left;padding:5px 9px;border-bottom:1px solid #eceff3;vertical-align:top}
th{background:#f0f2f5;font-size:12.5px;cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
td.n{text-align:right;font-variant-numeric:tabular-nums;width:64px}td.n.zero{color:#aab1bc}
td.n.critical:not(.zero){color:#b42318;font-weight:700}td.n.high:not(.zero){color:#c4320a;font-weight:700}
.chip{display:inline-block;min-width:22px;text-align:center;border-radius:9px;padding:0 5px;margin:1px;font-size:12px;
font-weight:600;text-decoration:none;color:#fff}
.chip.critical{background:#b42318}.chip.high{background:#d9480f}.chip.medium{background:#b58105}.chip.low{background:#7a8494}
.badge{display:inline-block;border-radius:9px;padding:0 7px;font-size:11.5px;font-weight:600;background:#e8ebf0}
.badge.new{background:#fde2e1;color:#8a1c14}.badge.reopened{background:#fde7d2;color:#8a3b0a}
.badge.open{background:#fff3c4;color:#6b5200}.badge.resolved{background:#dcf3e3;color:#1f6b3a}
.badge.critical{background:#b42318;color:#fff}.badge.high{background:#d9480f;color:#fff}
.badge.medium{background:#b58105;color:#fff}.badge.low{background:#7a8494;color:#fff}
.badge.live{background:#b42318;color:#fff}.badge.revoked{background:#dcf3e3;color:#1f6b3a}
.group{background:#fff;border:1px solid #dde1e7;border-left:5px solid #8a94a6;border-radius:7px;padding:9px 14px;
margin:0 0 10px}
.group.critical{border-left-color:#b42318}.group.high{border-left-color:#d9480f}.group.medium{border-left-color:#b58105}
details>summary{cursor:pointer;margin:4px 0}details.advice>summary{color:#1f4e99}
.task{border-top:1px solid #eceff3;padding:6px 0 4px}.task:target{background:#fff8d6}
.task .where{margin:2px 0 0 18px;padding:0;list-style:none;font-size:13px}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef0f3;padding:0 4px;border-radius:4px}
pre{background:#f3f4f7;border:1px solid #e3e6eb;border-radius:5px;padding:7px 10px;overflow-x:auto;margin:6px 0}
pre code{background:none;padding:0;white-space:pre}
ol,ul{margin:4px 0 4px 20px;padding:0}
.failed{color:#b42318;font-weight:600}.head{color:#1f6b3a;font-weight:600}.gone{color:#5b6472}
svg text{font:11px system-ui,sans-serif;fill:#5b6472}
"""

# Sorts the repository table by the clicked column (numbers by their data-v value); the page's only script
_SCRIPT = ("document.querySelectorAll('table.sortable th').forEach((th,i)=>th.addEventListener('click',()=>{"
           "const body=th.closest('table').tBodies[0],num=th.dataset.type==='num',"
           "dir=th.getAttribute('aria-sort')==='descending'?'ascending':'descending',"
           "key=r=>{const c=r.cells[i],v=c.dataset.v??c.textContent.trim().toLowerCase();return num?+v:v};"
           "[...body.rows].sort((a,b)=>{const x=key(a),y=key(b);return (x<y?-1:x>y?1:0)*(dir==='ascending'?1:-1)})"
           ".forEach(r=>body.appendChild(r));"
           "th.parentNode.querySelectorAll('th').forEach(h=>h.removeAttribute('aria-sort'));"
           "th.setAttribute('aria-sort',dir)}));")
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
_CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}'"
_COLORS = {"new": "#d92d20", "open": "#e0a800", "resolved": "#2f9e44"}
COMMANDS_SHOWN = 12
PLACES_SHOWN = 6


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _anchor(secret: SecretView) -> str:
    return f"t-{_e(secret.key)}"


def _name(repository: str, report: FleetReport) -> str:
    """A repository's display name (its store key's last part), from the report's repositories."""
    for repo in report.repositories:
        if repo.repository == repository:
            return repo.name
    return repository.rstrip("/").rsplit("/", 1)[-1]


# --- 1. the table by repository and urgency -------------------------------------------------------------

def _repository_table(report: FleetReport, numbers: dict[str, int]) -> str:
    by_key = {s.key: s for s in report.secrets}

    def row(repo: RepositoryView) -> tuple[tuple[int, ...], str]:
        counts = repo.open_by_urgency()
        resolved = sum(1 for f in repo.findings if f[1] == "resolved")
        # each chip in this repository's own urgency of the task (a fork's pushed copy may be more urgent)
        mine = {f[0]: f[2] for f in repo.findings if f[1] != "resolved" and f[0] in by_key and f[0] in numbers}
        open_keys = sorted(mine, key=lambda k: numbers[k])
        chips = "".join(f"<a class='chip {_e(mine[k])}' href='#{_anchor(by_key[k])}' "
                        f"title='{_e(by_key[k].name)} ({_e(mine[k])} here)'>{numbers[k]}</a>" for k in open_keys)
        when = (repo.scanned_at or "").replace("T", " ")[:16]
        if repo.status == "failed":
            state = (f"<div class='failed'>failed: {_e(repo.reason or '')} ({repo.failures} attempt"
                     f"{'s' if repo.failures != 1 else ''}; <code>credsweep fleet forget</code> removes it)</div>")
        else:
            state = ""
        cells = "".join(f"<td class='n {u}{' zero' if not counts[u] else ''}' data-v='{counts[u]}'>{counts[u]}</td>"
                        for u in URGENCIES)
        html = (f"<tr><td data-v='{_e(repo.name.lower())}'><b>{_e(repo.name)}</b>"
                f"<div class='meta'>{_e(repo.repository)}</div>{state}</td>{cells}"
                f"<td class='n' data-v='{resolved}'>{resolved}</td>"
                f"<td data-v='{_e(repo.scanned_at or '')}' class='meta'>{_e(when or 'never')}</td>"
                f"<td data-v='{len(open_keys)}'>{chips or '<span class=meta>none open</span>'}</td></tr>")
        failed = repo.status == "failed"
        return (-int(failed), *(-counts[u] for u in URGENCIES)), html

    rows = sorted((row(r) for r in report.repositories), key=lambda pair: pair[0])
    head = ("<thead><tr><th data-type='text'>Repository</th>"
            + "".join(f"<th data-type='num'>{u.capitalize()}</th>" for u in URGENCIES)
            + "<th data-type='num'>Resolved</th><th data-type='text'>Last scan</th>"
              "<th data-type='num' title='open tasks, most urgent first'>Open tasks</th></tr></thead>")
    body = "".join(html for _, html in rows) or "<tr><td colspan='8'>No repositories in this store.</td></tr>"
    return f"<table class='sortable' id='repositories'>{head}<tbody>{body}</tbody></table>"


# --- 2. tasks grouped by advice ------------------------------------------------------------------------

def _common(lists: list[list[str]]) -> list[str]:
    """Items every list has, in the first list's order."""
    if not lists:
        return []
    rest = [set(items) for items in lists[1:]]
    return [item for item in lists[0] if all(item in other for other in rest)]


def _advice_key(secret: SecretView) -> tuple[str, ...]:
    """Tasks with the same advice share a group: the same summary and the same playbook URLs."""
    advice = secret.advice
    return ("secret" if secret.is_secret else "file", str(advice.get("summary", "")),
            *map(str, advice.get("urls", ())))


def _commands_block(commands: list[str]) -> str:
    if not commands:
        return ""
    shown = commands[:COMMANDS_SHOWN]
    more = f"\n# ... and {len(commands) - COMMANDS_SHOWN} more (see --format json)" if len(commands) > COMMANDS_SHOWN \
        else ""
    return f"<pre><code>{_e(chr(10).join(shown) + more)}</code></pre>"


def _place_list(secret: SecretView, report: FleetReport) -> str:
    from credsweep.reporters.fleet import places

    found = places(secret)
    items = []
    for place in found[:PLACES_SHOWN]:
        commits = ", ".join(f"<code>{_e(c)}</code>" for c in place.commits[:3])
        commits += f" +{len(place.commits) - 3}" if len(place.commits) > 3 else ""
        state = ("<span class='head'>in HEAD</span>" if place.in_head
                 else "<span class='gone'>not in HEAD</span>" if place.commits else "")
        versions = (f" @ {commits}" if commits else "") + (f" · {state}" if state else "")
        items.append(f"<li><b>{_e(_name(place.repository, report))}</b> <code>{_e(place.where())}</code>{versions}</li>")
    if len(found) > PLACES_SHOWN:
        items.append(f"<li class='meta'>and {len(found) - PLACES_SHOWN} more places (--format json lists all)</li>")
    return f"<ul class='where'>{''.join(items)}</ul>"


def _task(secret: SecretView, number: int, shared_steps: list[str], shared_commands: list[str],
          report: FleetReport) -> str:
    preview = f" <code>{_e(secret.redacted)}</code>" if secret.redacted else ""
    ident = f" · {_e(secret.identifier_label)} <code>{_e(secret.identifier)}</code>" if secret.identifier else ""
    mark = f" · marked {_e(secret.mark)}" if secret.mark else ""
    # what its provider said (``fleet scan --validate``): live, revoked on DATE, unknown (why)
    checked = (f" <span class='badge {_e(secret.validation.status)}'>{_e(secret.validation.label())}</span>"
               if secret.validation else "")
    # a file problem's "why" only repeats its name
    why = (secret.why or str(secret.advice.get("why", ""))) if secret.is_secret else ""
    own_steps = [str(s) for s in secret.advice.get("steps", ()) if str(s) not in shared_steps]
    own_commands = [str(c) for c in secret.advice.get("commands", ()) if str(c) not in shared_commands]
    extra = ""
    if own_steps or own_commands:
        steps = "".join(f"<li>{_e(step)}</li>" for step in own_steps)
        label = "this task's own steps" + (" and commands" if own_commands else "")
        extra = (f"<details><summary class='meta'>{label}</summary>" + (f"<ol>{steps}</ol>" if steps else "")
                 + _commands_block(own_commands) + "</details>")
    return (f"<div class='task' id='{_anchor(secret)}'><div><span class='chip {_e(secret.urgency)}'>{number}</span> "
            f"<span class='badge {_e(secret.urgency)}'>{_e(secret.urgency)}</span> "
            f"<span class='badge {_e(secret.status)}'>{_e(secret.status)}</span> <b>{_e(secret.name)}</b>{preview}{checked}"
            f"<span class='meta'>{ident} · task <code>{_e(secret.key)}</code>{mark}</span></div>"
            + (f"<div class='meta'>{_e(why)}</div>" if why else "")
            + _place_list(secret, report) + extra + "</div>")


def _group(tasks: list[SecretView], numbers: dict[str, int], report: FleetReport) -> str:
    first = tasks[0]
    advice = first.advice
    steps = _common([[str(s) for s in t.advice.get("steps", ())] for t in tasks])
    commands = _common([[str(c) for c in t.advice.get("commands", ())] for t in tasks])
    urls = [str(u) for u in advice.get("urls", ())][:4]
    urgency = tasks[0].urgency
    names = list(dict.fromkeys(t.name for t in tasks))
    title = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    verb = "Rotate" if first.is_secret else "Fix"
    how = (f"<details class='advice'><summary>{verb}: {_e(advice.get('summary', ''))}</summary>"
           + (f"<ol>{''.join(f'<li>{_e(s)}</li>' for s in steps)}</ol>" if steps else "")
           + _commands_block(commands)
           + (f"<ul class='meta'>{''.join(f'<li>{_e(u)}</li>' for u in urls)}</ul>" if urls else "")
           + "</details>")
    count = f"{len(tasks)} task{'s' if len(tasks) != 1 else ''}"
    body = "".join(_task(t, numbers[t.key], steps, commands, report) for t in tasks)
    return (f"<section class='group {_e(urgency)}'><h3>{_e(title)} <span class='meta'>· {count}</span></h3>"
            f"{how}{body}</section>")


def _grouped(secrets: list[SecretView]) -> list[list[SecretView]]:
    """Tasks by advice, most urgent group first; tasks in report order within a group."""
    groups: dict[tuple[str, ...], list[SecretView]] = {}
    for secret in secrets:
        groups.setdefault(_advice_key(secret), []).append(secret)
    return sorted(groups.values(), key=lambda g: (URGENCIES.index(g[0].urgency), not g[0].is_secret, -len(g)))


# --- 3. runs -------------------------------------------------------------------------------------------

def _nice(value: int) -> int:
    """The axis top: the smallest of 1, 2, 5 x 10^n at or above ``value``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def _chart(runs: tuple[RunView, ...]) -> str:
    """Inline SVG: per run, one stacked bar of open findings (new ones at the bottom) and one of resolved
    findings; the axis has labelled ticks at 0, half and the top."""
    if not runs:
        return "<p class='meta'>No runs yet.</p>"
    shown = runs[-30:]
    top = _nice(max(1, *(max(r.open, r.resolved) for r in shown)))
    left, plot, bottom = 44, 130, 22
    width, height = max(260, left + 20 + 40 * len(shown)), 10 + plot + bottom
    parts = [f"<svg role='img' aria-label='Open and resolved findings after each run' width='{width}' "
             f"height='{height}' viewBox='0 0 {width} {height}' xmlns='http://www.w3.org/2000/svg'>"]
    for tick in (0, top // 2, top) if top >= 2 else (0, top):
        y = 10 + plot - round(plot * tick / top)
        parts.append(f"<line x1='{left}' y1='{y}' x2='{width - 4}' y2='{y}' stroke='{'#c3c9d2' if tick == 0 else '#eceff3'}'/>"
                     f"<text x='{left - 6}' y='{y + 4}' text-anchor='end'>{tick}</text>")

    def bar(x: int, value: int, base: int, colour: str, label: str) -> str:
        h = round(plot * value / top)
        y = 10 + plot - round(plot * base / top) - h
        return f"<rect x='{x}' y='{y}' width='14' height='{h}' fill='{colour}'><title>{_e(label)}</title></rect>"

    for i, run in enumerate(shown):
        x = left + 10 + i * 40
        older = max(0, run.open - run.new)
        parts.append(bar(x, run.new, 0, _COLORS["new"], f"run {run.id}: {run.new} new"))
        parts.append(bar(x, older, run.new, _COLORS["open"], f"run {run.id}: {run.open} open ({run.new} new)"))
        parts.append(bar(x + 16, run.resolved, 0, _COLORS["resolved"], f"run {run.id}: {run.resolved} resolved"))
        parts.append(f"<text x='{x}' y='{height - 6}'>#{run.id}</text>")
    parts.append("</svg>")
    legend = " ".join(f"<span class='badge' style='background:{c};color:#fff'>{_e(k)}</span>" for k, c in _COLORS.items())
    return ("".join(parts) + f"<p class='meta'>{legend} findings after each run (last {len(shown)}); a finding is one "
            "task in one repository, so a secret in three repositories counts three.</p>")


# --- the page ------------------------------------------------------------------------------------------

def render_fleet(report: FleetReport) -> str:
    """The report as one HTML document (see module docstring)."""
    from credsweep.reporters.fleet import summary_line

    active = [s for s in report.secrets if s.status != "resolved"]
    resolved = [s for s in report.secrets if s.status == "resolved"]
    groups = _grouped(active)
    order = [t for group in groups for t in group] + resolved
    numbers = {t.key: n for n, t in enumerate(order, 1)}
    tasks = "".join(_group(g, numbers, report) for g in groups) or "<p>No open tasks.</p>"
    if resolved:
        done = "".join(_group(g, numbers, report) for g in _grouped(resolved))
        tasks += f"<details><summary><b>Resolved ({len(resolved)})</b></summary>{done}</details>"
    since = f" · since run {report.since_run}" if report.since_run else ""
    return ("<!DOCTYPE html><html lang='en'><head>"
            f"<meta charset='utf-8'><meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">"
            "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>credsweep fleet report</title><style>{_CSS}</style></head><body><main>"
            f"<h1>credsweep fleet report</h1><p class='meta'>{_e(report.store)} · generated "
            f"{_e(report.generated)}{since}</p><p class='lead'>{_e(summary_line(report))}</p>"
            "<h2>By repository</h2><p class='meta'>Open tasks per urgency; click a column to sort, a number to "
            "go to its task.</p>" + _repository_table(report, numbers)
            + "<h2>Tasks</h2><p class='meta'>Grouped by what to do: each group's steps once (unfold them), then "
              "each task: where it is, in which commits, and whether it is still in HEAD. "
              "<code>credsweep fleet mark TASK rotated|accepted</code> resolves one.</p>" + tasks
            + f"<h2>Findings over runs</h2>{_chart(report.runs)}"
            f"</main><script>{_SCRIPT}</script></body></html>\n")
