"""What every rendering of the fleet report shares (text, Markdown and JSON in ``fleet.views``, the
HTML page here in ``reporters.html``): locations merged per place with their commits, counts in words,
the summary line. Over the frozen views of ``fleet.views`` (named for types only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credsweep.fleet.views import FleetReport, LocationView, SecretView


@dataclass(frozen=True)
class Place:
    """Locations of one task merged by (repository, path, line): the versions that held it there."""

    repository: str
    """The repository's store key."""
    path: str
    """Path."""
    line: int | None
    """Line (None for a file-level problem)."""
    commits: tuple[str, ...]
    """Short ids of the commits that introduced each version, oldest listed first as stored."""
    in_head: bool
    """One of these versions is at this path in HEAD: the secret is still there."""

    def where(self) -> str:
        """``path:line``."""
        return self.path + (f":{self.line}" if self.line else "")

    def versions(self) -> str:
        """``@ 1a2b3c4, 5d6e7f8 (in HEAD)``, or "" when nothing is known."""
        shown = (f"@ {', '.join(self.commits[:3])}" + (f" and {len(self.commits) - 3} more" if len(self.commits) > 3
                                                          else "")) if self.commits else ""
        state = "in HEAD" if self.in_head else ("not in HEAD" if self.commits else "")
        return " ".join(part for part in (shown, f"({state})" if state else "") if part)


SHORT_SHA = 7


def places(secret: SecretView) -> list[Place]:
    """The task's locations, duplicates merged: one line per (repository, path, line), with the commit
    of every version found there and whether one of them is in HEAD."""
    merged: dict[tuple[str, str, int | None], list[LocationView]] = {}
    for loc in secret.locations:
        merged.setdefault((loc.repository, loc.path, loc.line), []).append(loc)
    return [Place(repo, path, line, tuple(dict.fromkeys(loc.commit[:SHORT_SHA] for loc in locs if loc.commit)),
                  any(loc.in_head for loc in locs)) for (repo, path, line), locs in merged.items()]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 repository``, ``2 repositories``."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def summary_line(report: FleetReport) -> str:
    """One line: repositories (failed), secrets and file problems, by status."""
    data = report.to_dict()["summary"]
    secrets = sum(1 for s in report.secrets if s.is_secret)
    files = len(report.secrets) - secrets
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(data["by_status"].items()))
    return (f"{plural(data['repositories'], 'repository', 'repositories')} ({data['failed']} failed), "
            f"{plural(secrets, 'secret')} and {plural(files, 'file problem')}" + (f": {statuses}" if statuses else ""))
