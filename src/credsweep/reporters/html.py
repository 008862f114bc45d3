"""The fleet report as one self-contained HTML page: inline CSS and SVG, no script, no network.

A Content-Security-Policy forbids every external resource, so the page renders the same from a
mail attachment, a CI artifact or a file:// URL, and cannot call home. Sections: summary, a chart of
new/open/resolved findings over runs, one rotation task per secret, and a table per repository.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credsweep.fleet.views import FleetReport, RunView, SecretView

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 12px}h3{font-size:16px;margin:0 0 6px}
.meta{color:#5b6472;font-size:13px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px 16px;min-width:120px}
.card b{display:block;font-size:24px}
.task{background:#fff;border:1px solid #dde1e7;border-left:6px solid #8a94a6;border-radius:8px;padding:12px 16px;
margin:0 0 12px}
.task.critical{border-left-color:#b42318}.task.high{border-left-color:#d9480f}.task.medium{border-left-color:#c99a06}
.task.resolved{opacity:.7}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;background:#e8ebf0}
.badge.new{background:#fde2e1;color:#8a1c14}.badge.reopened{background:#fde7d2;color:#8a3b0a}
.badge.open{background:#fff3c4;color:#6b5200}.badge.resolved{background:#dcf3e3;color:#1f6b3a}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef0f3;padding:1px 4px;border-radius:4px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e7;margin:0 0 18px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eceff3;font-size:14px;vertical-align:top}
th{background:#f0f2f5}
ol,ul{margin:6px 0 0 20px;padding:0}
.failed{color:#b42318;font-weight:600}
svg text{font:12px system-ui,sans-serif;fill:#5b6472}
"""
_COLORS = {"new": "#d92d20", "open": "#e0a800", "resolved": "#2f9e44"}


def _chart(runs: tuple[RunView, ...]) -> str:
    """Inline SVG: one group of three bars (new, open, resolved) per run."""
    if not runs:
        return "<p class='meta'>No runs yet.</p>"
    shown = runs[-30:]
    top = max(1, *(max(r.new, r.open, r.resolved) for r in shown))
    width, height, left, bottom = max(320, 40 + 60 * len(shown)), 220, 40, 30
    plot = height - bottom - 10
    parts = [(f"<svg role='img' aria-label='Findings per run: new, open, resolved' width='{width}' "
             f"height='{height}' viewBox='0 0 {width} {height}' xmlns='http://www.w3.org/2000/svg'>"),
             f"<line x1='{left}' y1='{10 + plot}' x2='{width - 5}' y2='{10 + plot}' stroke='#c3c9d2'/>",
             f"<text x='4' y='18'>{top}</text><text x='4' y='{10 + plot}'>0</text>"]
    for i, run in enumerate(shown):
        x = left + 10 + i * 60
        for j, (label, value) in enumerate((("new", run.new), ("open", run.open), ("resolved", run.resolved))):
            h = round(plot * value / top)
            parts.append(f"<rect x='{x + j * 15}' y='{10 + plot - h}' width='13' height='{h}' fill='{_COLORS[label]}'>"
                         f"<title>run {run.id}: {value} {label}</title></rect>")
        parts.append(f"<text x='{x}' y='{height - 10}'>#{run.id}</text>")
    parts.append("</svg>")
    legend = " ".join(f"<span class='badge' style='background:{c};color:#fff'>{escape(k)}</span>"
                      for k, c in _COLORS.items())
    return "".join(parts) + f"<p class='meta'>{legend} findings after each run (last {len(shown)} runs)</p>"


def _task(secret: SecretView) -> str:
    """One rotation task: what, where (every repository), what to do."""
    advice = secret.advice
    by_repo: dict[str, list[str]] = {}
    for loc in secret.locations:
        by_repo.setdefault(loc.repository, []).append(loc.path + (f":{loc.line}" if loc.line else ""))
    where = "".join(f"<li><b>{escape(repo)}</b>: " + ", ".join(f"<code>{escape(p)}</code>" for p in
                                                              list(dict.fromkeys(paths))[:8])
                    + (f" and {len(paths) - 8} more" if len(paths) > 8 else "") + "</li>"
                    for repo, paths in by_repo.items())
    steps = "".join(f"<li>{escape(step)}</li>" for step in advice.get("steps", ()))
    commands = "".join(f"<li><code>{escape(cmd)}</code></li>" for cmd in advice.get("commands", ())[:6])
    urls = "".join(f"<li>{escape(url)}</li>" for url in advice.get("urls", ())[:4])
    mark = f" · marked {escape(secret.mark)}" if secret.mark else ""
    classes = f"task {escape(secret.urgency)}" + (" resolved" if secret.status == "resolved" else "")
    return (f"<section class='{classes}'><h3>Rotate: {escape(secret.name)} <span class='badge "
            f"{escape(secret.status)}'>{escape(secret.status)}</span></h3>"
            f"<div class='meta'>{escape(secret.urgency)} urgency · rule <code>{escape(secret.rule)}</code> · "
            f"<code>{escape(secret.redacted)}</code> · id <code>{escape(secret.key)}</code>{mark} · "
            f"in {len(secret.repositories)} repositories</div>"
            f"<p>{escape(str(advice.get('summary', '')))}</p><ul>{where}</ul>"
            + (f"<ol>{steps}</ol>" if steps else "") + (f"<ul>{commands}</ul>" if commands else "")
            + (f"<ul class='meta'>{urls}</ul>" if urls else "") + "</section>")


def render_fleet(report: FleetReport) -> str:
    """The report as one HTML document (see module docstring)."""
    data = report.to_dict()["summary"]
    by_status = data["by_status"]
    cards = "".join(f"<div class='card'><b>{value}</b>{escape(label)}</div>" for label, value in (
        ("repositories", data["repositories"]), ("failed repositories", data["failed"]),
        ("secrets", data["secrets"]), ("new", by_status.get("new", 0) + by_status.get("reopened", 0)),
        ("open", by_status.get("open", 0)), ("resolved", by_status.get("resolved", 0))))
    tasks = "".join(_task(s) for s in report.secrets) or "<p>No secrets found.</p>"
    tables = []
    for repo in report.repositories:
        state = (f"<span class='failed'>failed: {escape(repo.reason or '')}</span> ({repo.failures} attempt(s))"
                 if repo.status == "failed" else escape(repo.status))
        rows = "".join(f"<tr><td><span class='badge {escape(s)}'>{escape(s)}</span></td><td>{escape(u)}</td>"
                       f"<td><code>{escape(r)}</code></td><td><code>{escape(red)}</code></td>"
                       f"<td><code>{escape(k)}</code></td><td>{n}</td></tr>" for k, s, u, r, red, n in repo.findings)
        tables.append(f"<h3>{escape(repo.repository)}</h3>"
                      f"<p class='meta'>last scan: {escape(repo.scanned_at or 'never')}"
                      f" · {state}</p><table><tr><th>status</th><th>urgency</th><th>rule</th><th>preview</th>"
                      f"<th>secret id</th><th>locations</th></tr>"
                      + (rows or "<tr><td colspan='6'>No findings.</td></tr>") + "</table>")
    since = f" · since run {report.since_run}" if report.since_run else ""
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            "<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>credsweep fleet report</title><style>{_CSS}</style></head><body><main>"
            f"<h1>credsweep fleet report</h1><p class='meta'>{escape(report.store)} · generated "
            f"{escape(report.generated)}{since}</p><div class='cards'>{cards}</div>"
            f"<h2>Findings over runs</h2>{_chart(report.runs)}"
            f"<h2>Rotation tasks (one per secret)</h2>{tasks}"
            f"<h2>Repositories</h2>{''.join(tables)}</main></body></html>\n")
