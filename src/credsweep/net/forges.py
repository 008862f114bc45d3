"""Repository discovery for the fleet: every repository of a GitHub organization or user, a GitLab
group (subgroups included), a Bitbucket workspace or a Gitea organization.

- **Where**: GitHub ``https://api.github.com`` (GitHub Enterprise: ``--forge-url https://HOST``, API
  under ``/api/v3``), GitLab ``https://gitlab.com`` (self-managed: ``--forge-url``), Bitbucket
  ``https://api.bitbucket.org``, Gitea only with ``--forge-url``. ``CREDSWEEP_API_BASE_URLS`` may
  override a forge id's default (tests, mirrors); an explicit ``--forge-url`` wins. Every request
  goes through ``NetClient`` (HTTPS only, no redirects, deadline, rate limits); a pagination link
  to another host is refused.
- **Token**: from the environment only: ``GITHUB_TOKEN`` (or ``GH_TOKEN``), ``GITLAB_TOKEN``,
  ``BITBUCKET_TOKEN`` (an access token) or ``BITBUCKET_USERNAME`` + ``BITBUCKET_APP_PASSWORD``,
  ``GITEA_TOKEN``; sent only to the forge's API. Without one, public repositories are listed.
- **Pages**: GitHub and Gitea ``Link: rel="next"``; GitLab ``Link`` or ``X-Next-Page``; Bitbucket
  the answer's ``next``.
- **Rate limits**: 429, or 403 with ``Retry-After``/an exhausted ``X-RateLimit-Remaining``: the client
  waits for the reset when it fits the wait budget, else the listing fails with a one-line reason.
- **Result**: ``RemoteRepository`` (clone URL ``https://`` without credentials in it), archived
  repositories and forks left out unless asked for.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from credsweep.errors import CredsweepError
from credsweep.net.client import HttpRequest, HttpResponse, NetClient, NetworkError
from credsweep.net.config import check_base_url, is_loopback_host

FORGES = ("github", "gitlab", "bitbucket", "gitea")
"""Supported forge ids (also their ``CREDSWEEP_API_BASE_URLS`` keys)."""
_DEFAULT_BASE = {
    "github": "https://api.github.com",
    "gitlab": "https://gitlab.com",
    "bitbucket": "https://api.bitbucket.org",
}
_LABEL = {"github": "GitHub", "gitlab": "GitLab", "bitbucket": "Bitbucket", "gitea": "Gitea"}
_TOKEN_VARS = {"github": "GITHUB_TOKEN", "gitlab": "GITLAB_TOKEN", "bitbucket": "BITBUCKET_TOKEN", "gitea": "GITEA_TOKEN"}
MAX_PAGES = 5000
"""Most pages read for one listing (500,000 repositories at 100 a page)."""
_NAME = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.\-]{0,254}\Z")
_GROUP = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.\-]{0,254}(/[A-Za-z0-9_.][A-Za-z0-9_.\-]{0,254}){0,20}\Z")


class ForgeError(CredsweepError):
    """A listing failed (not found, token rejected, rate limited too long, bad answer); one line."""


@dataclass(frozen=True)
class RemoteRepository:
    """One repository a forge listed."""

    name: str
    """Full name (``owner/repo``, ``group/subgroup/project``)."""
    clone_url: str
    """``https://`` clone URL without user name or password (``file://`` or loopback ``http://``
    only when the forge API itself is on a loopback address: tests and local mirrors)."""
    archived: bool
    """Whether the forge marks it archived (read-only)."""
    fork: bool
    """Whether it is a fork of another repository."""
    default_branch: str | None
    """Its default branch, when the forge says."""
    ssh_url: str | None = None
    """Its ssh clone URL (``git@host:owner/repo.git``), when the forge gives one: for private
    repositories, cloned with the ssh keys of the account running the scan."""


@dataclass(frozen=True)
class ForgeQuery:
    """What to list."""

    forge: str
    """``github``, ``gitlab``, ``bitbucket`` or ``gitea``."""
    owner: str
    """Organization, user, group path or workspace name."""
    kind: str = "org"
    """``org``, ``user`` (GitHub), ``group`` (GitLab), ``workspace`` (Bitbucket)."""
    base_url: str | None = None
    """``--forge-url``: a self-hosted instance (GitHub Enterprise, GitLab, Gitea)."""
    include_archived: bool = False
    """List archived repositories too."""
    include_forks: bool = False
    """List forks too."""

    def describe(self) -> str:
        """For messages: ``GitHub organization acme``."""
        kind = {"org": "organization", "user": "user", "group": "group", "workspace": "workspace"}.get(self.kind, self.kind)
        return f"{_LABEL.get(self.forge, self.forge)} {kind} {self.owner}"


def _api_base(query: ForgeQuery) -> tuple[str, bool]:
    """The API base URL and whether the ``CREDSWEEP_API_BASE_URLS`` override may replace it."""
    if query.base_url:
        base = check_base_url(query.base_url, "--forge-url")
        if query.forge == "github" and urlsplit(base).path in ("", "/"):
            base += "/api/v3"  # GitHub Enterprise Server's REST API
        return base, False
    if query.forge == "gitea":
        return "", True  # only an override can supply it; checked in discover
    return _DEFAULT_BASE[query.forge], True


def _auth(forge: str, environ: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    if forge == "github":
        token = environ.get("GITHUB_TOKEN") or environ.get("GH_TOKEN")
        return (("Authorization", f"Bearer {token}"),) if token else ()
    if forge == "gitlab":
        token = environ.get("GITLAB_TOKEN")
        return (("PRIVATE-TOKEN", token),) if token else ()
    if forge == "bitbucket":
        token = environ.get("BITBUCKET_TOKEN")
        if token:
            return (("Authorization", f"Bearer {token}"),)
        user, password = environ.get("BITBUCKET_USERNAME"), environ.get("BITBUCKET_APP_PASSWORD")
        if user and password:
            pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            return (("Authorization", f"Basic {pair}"),)
        return ()
    token = environ.get("GITEA_TOKEN")
    return (("Authorization", f"token {token}"),) if token else ()


_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


def _next_link(response: HttpResponse) -> str | None:
    link = response.header("link")
    found = _LINK.search(link) if link else None
    return found.group(1) if found else None


def _clean_clone_url(url: Any, api_base: str, query: ForgeQuery, name: str) -> str:
    """``url`` without user name or password, if its scheme is allowed (see ``RemoteRepository``)."""
    if not isinstance(url, str) or not url:
        raise ForgeError(f"{query.describe()}: no clone URL for {name}")
    parts = urlsplit(url)
    local = is_loopback_host(urlsplit(api_base).hostname or "")
    host = parts.hostname or ""
    allowed = parts.scheme == "https" and bool(host)
    if local and (parts.scheme == "file" or (parts.scheme == "http" and is_loopback_host(host))):
        allowed = True
    if not allowed:
        raise ForgeError(f"{query.describe()}: {name} has a clone URL that is not https://")
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


Read = tuple[str, Any, bool, bool, Any, Any]
"""(name, https clone URL, archived, fork, default branch, ssh clone URL) of one listed repository."""


def _github(item: dict[str, Any]) -> Read:
    # GitHub and Gitea: the same fields
    return (str(item.get("full_name") or item.get("name")), item.get("clone_url"), bool(item.get("archived")),
            bool(item.get("fork")), item.get("default_branch"), item.get("ssh_url"))


def _gitlab(item: dict[str, Any]) -> Read:
    fork = item.get("forked_from_project") is not None
    return (str(item.get("path_with_namespace") or item.get("name")), item.get("http_url_to_repo"),
            bool(item.get("archived")), fork, item.get("default_branch"), item.get("ssh_url_to_repo"))


def _bitbucket(item: dict[str, Any]) -> Read:
    links = item.get("links") if isinstance(item.get("links"), dict) else {}
    clones = links.get("clone") if isinstance(links, dict) else None
    urls = {c.get("name"): c.get("href") for c in clones or () if isinstance(c, dict)}
    branch = item.get("mainbranch", {}).get("name") if isinstance(item.get("mainbranch"), dict) else None
    return (str(item.get("full_name") or item.get("name")), urls.get("https"), False, item.get("parent") is not None,
            branch, urls.get("ssh"))


_SSH = re.compile(r"(?:ssh://)?[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(?::[0-9]+)?[:/][A-Za-z0-9._/~-]+\Z")


def _ssh_url(url: Any) -> str | None:
    """An ssh clone URL of the plain ``user@host:path`` or ``ssh://user@host/path`` shape, else None."""
    return url if isinstance(url, str) and _SSH.match(url) and not url.startswith("-") else None


def _plan(query: ForgeQuery) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The first page's path and query parameters."""
    owner = query.owner
    if query.forge == "github":
        if query.kind == "user":
            return f"/users/{quote(owner)}/repos", (("per_page", "100"), ("type", "owner"))
        return f"/orgs/{quote(owner)}/repos", (("per_page", "100"), ("type", "all"))
    if query.forge == "gitlab":
        params = [("include_subgroups", "true"), ("per_page", "100"), ("order_by", "id"), ("sort", "asc")]
        if not query.include_archived:
            params.append(("archived", "false"))
        return f"/api/v4/groups/{quote(owner, safe='')}/projects", tuple(params)
    if query.forge == "bitbucket":
        return f"/2.0/repositories/{quote(owner)}", (("pagelen", "100"),)
    return f"/api/v1/orgs/{quote(owner)}/repos", (("limit", "50"), ("page", "1"))


def _check(query: ForgeQuery) -> None:
    if query.forge not in FORGES:
        raise ForgeError(f"unknown forge {query.forge!r}")
    pattern = _GROUP if query.forge == "gitlab" else _NAME
    if not pattern.match(query.owner):
        raise ForgeError(f"{query.describe()}: not a valid name")


def _pages(query: ForgeQuery, client: NetClient, environ: Mapping[str, str], base: str, overridable: bool) -> Iterator[list[Any]]:
    path, params = _plan(query)
    headers = (("Accept", "application/json"), *_auth(query.forge, environ))
    if query.forge == "github":
        headers = (("Accept", "application/vnd.github+json"), ("X-GitHub-Api-Version", "2022-11-28"), *headers[1:])
    seen: set[str] = set()
    page_number = 1
    for _ in range(MAX_PAGES):
        request = HttpRequest(query.forge, base, path, params=params, headers=headers, overridable=overridable)
        try:
            key = client.url(request)
            if key in seen:
                raise ForgeError(f"{query.describe()}: the forge's pagination loops")
            seen.add(key)
            response = client.send(request)
        except NetworkError as exc:
            raise ForgeError(f"listing the {query.describe()} failed: {exc}") from None
        _raise_for(response, query)
        data = response.json()
        items = data.get("values") if query.forge == "bitbucket" and isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ForgeError(f"{query.describe()}: unexpected answer (not a list of repositories)")
        yield items
        following = _next_link(response)
        if query.forge == "bitbucket" and isinstance(data, dict) and isinstance(data.get("next"), str):
            following = data["next"]
        if following:
            path, params = following, ()
            continue
        if query.forge == "gitlab" and (page := (response.header("x-next-page") or "").strip()).isdigit():
            plan_path, plan_params = _plan(query)
            path, params = plan_path, (*plan_params, ("page", page))
            continue
        if query.forge == "gitea" and not response.header("link") and len(items) == 50:
            page_number += 1
            path, params = _plan(query)[0], (("limit", "50"), ("page", str(page_number)))
            continue
        return
    raise ForgeError(f"{query.describe()}: more than {MAX_PAGES} pages")


def _raise_for(response: HttpResponse, query: ForgeQuery) -> None:
    status = response.status
    if status == 200:
        return
    var = _TOKEN_VARS[query.forge]
    if status == 401:
        raise ForgeError(f"{query.describe()}: the token was rejected (HTTP 401; check {var})")
    if status == 403:
        raise ForgeError(f"{query.describe()}: access denied (HTTP 403; check {var} and its scopes)")
    if status == 404:
        raise ForgeError(f"{query.describe()}: not found (or not visible without a token in {var})")
    raise ForgeError(f"{query.describe()}: unexpected answer (HTTP {status})")


def discover(query: ForgeQuery, client: NetClient, environ: Mapping[str, str]) -> list[RemoteRepository]:
    """Every repository ``query`` names (archived and forks per its flags), in the forge's order."""
    _check(query)
    base, overridable = _api_base(query)
    if not base:
        base = client.config.base_url(query.forge) or ""
        if not base:
            raise ForgeError(f"{query.describe()}: a Gitea instance needs --forge-url")
    api_base = client.base_for(query.forge, base) if overridable else base
    read = {"github": _github, "gitlab": _gitlab, "bitbucket": _bitbucket, "gitea": _github}[query.forge]
    found: list[RemoteRepository] = []
    names: set[str] = set()
    for items in _pages(query, client, environ, base, overridable):
        for item in items:
            if not isinstance(item, dict):
                continue
            name, url, archived, fork, branch, ssh = read(item)
            if (archived and not query.include_archived) or (fork and not query.include_forks) or name in names:
                continue
            names.add(name)
            clone_url = _clean_clone_url(url, api_base, query, name)
            found.append(RemoteRepository(name, clone_url, archived, fork, branch if isinstance(branch, str) else None,
                                          _ssh_url(ssh)))
    return found
