"""Repository discovery against a local HTTPS server (trustme test CA) answering like GitHub, GitLab,
Bitbucket and Gitea: pagination, rate limits, archived and fork flags, clean clone URLs."""

from __future__ import annotations

import base64
import math
import time
from pathlib import Path
from typing import Any

import pytest

import netserver
from conftest import commit_all, fake_github_token, make_repo, run_cli, seed_cache, write
from credsweep.errors import ConfigError
from credsweep.net.client import NetClient
from credsweep.net.config import NetConfig
from credsweep.net.forges import ForgeError, ForgeQuery, RemoteRepository, discover
from netserver import LocalApi, Reply, Seen

api = netserver.api  # the shared fixtures: the local HTTPS server, reset for each test
_isolated = netserver._isolated


def client_for(api: LocalApi, **settings: Any) -> NetClient:
    config = NetConfig(
        base_urls=tuple((f, api.url(f)) for f in ("bitbucket", "github", "gitlab")),
        ca_file=str(api.ca_file),
        deadline=2.0,
        min_interval=0.0,
        rate_wait_budget=3.0,
        **settings,
    )
    return NetClient(config)


def list_repos(api: LocalApi, query: ForgeQuery, environ: dict[str, str] | None = None) -> list[RemoteRepository]:
    with client_for(api) as client:
        return discover(query, client, environ or {})


def github_repo(name: str, archived: bool = False, fork: bool = False) -> dict[str, Any]:
    return {
        "id": abs(hash(name)) % 10_000,
        "name": name,
        "full_name": f"acme/{name}",
        "private": False,
        "fork": fork,
        "archived": archived,
        "clone_url": f"https://github.com/acme/{name}.git",
        "ssh_url": f"git@github.com:acme/{name}.git",
        "default_branch": "main",
    }


def paged(api: LocalApi, prefix: str, pages: list[list[dict[str, Any]]], extra: tuple[tuple[str, str], ...] = ()) -> Any:
    """A route answering page N (``?page=N``, default 1) with a Link to page N+1."""

    def answer(seen: Seen) -> Reply:
        number = int(dict(seen.query).get("page", "1"))
        headers = list(extra)
        if number < len(pages):
            nxt = f"{api.url(prefix)}?page={number + 1}&per_page=100"
            last = f"{api.url(prefix)}?page={len(pages)}&per_page=100"
            headers.append(("Link", f'<{nxt}>; rel="next", <{last}>; rel="last"'))
        return Reply(200, pages[number - 1], tuple(headers))

    return answer


THREE_PAGES = [
    [github_repo(f"repo{i}") for i in range(0, 100)],
    [github_repo(f"repo{i}") for i in range(100, 200)],
    [github_repo(f"repo{i}") for i in range(200, 230)] + [github_repo("old", archived=True), github_repo("forked", fork=True)],
]


def test_github_org_three_pages_all_listed(api: LocalApi) -> None:
    api.route("GET", "/github/orgs/acme/repos", paged(api, "github/orgs/acme/repos", THREE_PAGES))
    repos = list_repos(api, ForgeQuery("github", "acme"), {"GITHUB_TOKEN": "gh-token-value"})
    assert [r.name for r in repos] == [f"acme/repo{i}" for i in range(230)]
    assert repos[0] == RemoteRepository("acme/repo0", "https://github.com/acme/repo0.git", False, False, "main",
                                        "git@github.com:acme/repo0.git")
    assert len(api.seen) == 3
    assert dict(api.seen[0].query) == {"per_page": "100", "type": "all"}
    assert all(s.headers["authorization"] == "Bearer gh-token-value" for s in api.seen)
    assert api.seen[0].headers["x-github-api-version"] == "2022-11-28"


def test_archived_and_forks_by_flag(api: LocalApi) -> None:
    api.route("GET", "/github/orgs/acme/repos", paged(api, "github/orgs/acme/repos", THREE_PAGES))
    everything = list_repos(api, ForgeQuery("github", "acme", include_archived=True, include_forks=True))
    assert len(everything) == 232
    old = next(r for r in everything if r.name == "acme/old")
    forked = next(r for r in everything if r.name == "acme/forked")
    assert old.archived and not old.fork and forked.fork and not forked.archived
    only_archived = list_repos(api, ForgeQuery("github", "acme", include_archived=True))
    assert {r.name for r in only_archived} - {r.name for r in everything if not r.archived and not r.fork} == {"acme/old"}


def test_github_user_listing(api: LocalApi) -> None:
    api.route("GET", "/github/users/octocat/repos", Reply(200, [github_repo("hello-world")]))
    repos = list_repos(api, ForgeQuery("github", "octocat", kind="user"))
    assert [r.name for r in repos] == ["acme/hello-world"]
    assert dict(api.seen[0].query)["type"] == "owner"
    assert "authorization" not in api.seen[0].headers  # no token in the environment: public listing


def test_github_rate_limit_short_reset_waits(api: LocalApi) -> None:
    calls: list[float] = []
    resets: list[int] = []

    def answer(seen: Seen) -> Reply:
        calls.append(time.time())
        if len(calls) == 1:
            # the reset is an epoch in whole seconds: the first whole second at least 0.2 s away (a wait of
            # 0.2 to 1.2 s; the next whole second can be a millisecond away)
            resets.append(math.ceil(calls[0] + 0.2))
            return Reply(403, {"message": "API rate limit exceeded"},
                         (("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", str(resets[0]))))
        return Reply(200, [github_repo("a")])

    api.route("GET", "/github/orgs/acme/repos", answer)
    started = time.monotonic()
    repos = list_repos(api, ForgeQuery("github", "acme"))
    assert [r.name for r in repos] == ["acme/a"] and len(calls) == 2
    assert calls[1] >= resets[0]  # asked again only once the limit was reset
    assert time.monotonic() - started >= 0.2


def test_github_rate_limit_long_reset_fails_with_a_clear_reason(api: LocalApi) -> None:
    reset = str(int(time.time()) + 3600)
    headers = (("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset), ("X-RateLimit-Limit", "60"))
    api.route("GET", "/github/orgs/acme/repos", Reply(403, {"message": "API rate limit exceeded for 127.0.0.1."}, headers))
    started = time.monotonic()
    with pytest.raises(ForgeError) as info:
        list_repos(api, ForgeQuery("github", "acme"))
    message = str(info.value)
    assert time.monotonic() - started < 2
    assert "GitHub organization acme" in message and "rate limited" in message and "more than the 3 s allowed" in message
    assert "\n" not in message


def test_secondary_rate_limit_retry_after(api: LocalApi) -> None:
    answers = iter([Reply(429, {"message": "secondary rate limit"}, (("Retry-After", "1"),)), Reply(200, [github_repo("b")])])
    api.route("GET", "/github/orgs/acme/repos", lambda seen: next(answers))
    assert [r.name for r in list_repos(api, ForgeQuery("github", "acme"))] == ["acme/b"]


def test_not_found_and_rejected_token(api: LocalApi) -> None:
    api.route("GET", "/github/orgs/ghost/repos", Reply(404, {"message": "Not Found"}))
    with pytest.raises(ForgeError, match="not found"):
        list_repos(api, ForgeQuery("github", "ghost"))
    api.route("GET", "/github/orgs/acme/repos", Reply(401, {"message": "Bad credentials"}))
    with pytest.raises(ForgeError, match="GITHUB_TOKEN"):
        list_repos(api, ForgeQuery("github", "acme"), {"GITHUB_TOKEN": "bad"})


def test_pagination_link_to_another_host_is_refused(api: LocalApi) -> None:
    link = '<https://evil.example/orgs/acme/repos?page=2>; rel="next"'
    api.route("GET", "/github/orgs/acme/repos", Reply(200, [github_repo("a")], (("Link", link),)))
    with pytest.raises(ForgeError, match="leaves"):
        list_repos(api, ForgeQuery("github", "acme"), {"GITHUB_TOKEN": "t"})
    assert len(api.seen) == 1


def test_clone_urls_lose_credentials_and_must_be_https(api: LocalApi) -> None:
    repo = github_repo("a") | {"clone_url": "https://x-access-token:secret@github.com/acme/a.git"}
    api.route("GET", "/github/orgs/acme/repos", Reply(200, [repo]))
    assert list_repos(api, ForgeQuery("github", "acme"))[0].clone_url == "https://github.com/acme/a.git"
    api.route("GET", "/github/orgs/acme/repos", Reply(200, [github_repo("a") | {"clone_url": "git://github.com/acme/a.git"}]))
    with pytest.raises(ForgeError, match="not https"):
        list_repos(api, ForgeQuery("github", "acme"))
    # file:// is accepted only because this API is on a loopback address (tests, local mirrors)
    api.route("GET", "/github/orgs/acme/repos", Reply(200, [github_repo("a") | {"clone_url": "file:///srv/git/a.git"}]))
    assert list_repos(api, ForgeQuery("github", "acme"))[0].clone_url == "file:///srv/git/a.git"


def test_github_enterprise_forge_url(api: LocalApi) -> None:
    # a bare host gets GitHub Enterprise Server's /api/v3; the override for "github" does not apply
    api.route("GET", "/api/v3/orgs/acme/repos", Reply(200, [github_repo("internal")]))
    repos = list_repos(api, ForgeQuery("github", "acme", base_url=api.url()))
    assert [r.name for r in repos] == ["acme/internal"]
    assert api.seen[0].path == "/api/v3/orgs/acme/repos"
    api.route("GET", "/ghe/api/v3/orgs/acme/repos", Reply(200, [github_repo("other")]))
    assert [r.name for r in list_repos(api, ForgeQuery("github", "acme", base_url=api.url("ghe/api/v3")))] == ["acme/other"]
    with pytest.raises(ConfigError):
        list_repos(api, ForgeQuery("github", "acme", base_url="http://ghe.example.com"))


def gitlab_project(path: str, archived: bool = False, fork: bool = False) -> dict[str, Any]:
    project: dict[str, Any] = {
        "id": abs(hash(path)) % 10_000,
        "path_with_namespace": path,
        "http_url_to_repo": f"https://gitlab.com/{path}.git",
        "ssh_url_to_repo": f"git@gitlab.com:{path}.git",
        "archived": archived,
        "default_branch": "main",
    }
    if fork:
        project["forked_from_project"] = {"id": 1, "path_with_namespace": "upstream/x"}
    return project


def test_gitlab_group_with_subgroups_and_next_page(api: LocalApi) -> None:
    pages = {
        "1": [gitlab_project("acme/api"), gitlab_project("acme/infra/terraform")],
        "2": [gitlab_project("acme/infra/deep/nested"), gitlab_project("acme/fork", fork=True)],
    }

    def answer(seen: Seen) -> Reply:
        page = dict(seen.query).get("page", "1")
        headers = (("X-Next-Page", "2"), ("X-Page", "1")) if page == "1" else (("X-Next-Page", ""), ("X-Page", "2"))
        return Reply(200, pages[page], headers)

    api.route("GET", "/gitlab/api/v4/groups/acme/projects", answer)
    repos = list_repos(api, ForgeQuery("gitlab", "acme", kind="group"), {"GITLAB_TOKEN": "glpat-value"})
    assert [r.name for r in repos] == ["acme/api", "acme/infra/terraform", "acme/infra/deep/nested"]
    query = dict(api.seen[0].query)
    assert query["include_subgroups"] == "true" and query["archived"] == "false"
    assert api.seen[0].headers["private-token"] == "glpat-value"
    assert dict(api.seen[1].query)["page"] == "2"


def test_gitlab_subgroup_path_is_encoded_and_archived_included(api: LocalApi) -> None:
    api.route("GET", "/gitlab/api/v4/groups/acme%2Finfra/projects", Reply(200, [gitlab_project("acme/infra/old", archived=True)]))
    repos = list_repos(api, ForgeQuery("gitlab", "acme/infra", kind="group", include_archived=True))
    assert [(r.name, r.archived) for r in repos] == [("acme/infra/old", True)]
    assert "archived" not in dict(api.seen[0].query)


def test_gitlab_self_managed_forge_url(api: LocalApi) -> None:
    api.route("GET", "/selfmanaged/api/v4/groups/acme/projects", Reply(200, [gitlab_project("acme/a")]))
    repos = list_repos(api, ForgeQuery("gitlab", "acme", kind="group", base_url=api.url("selfmanaged")))
    assert [r.name for r in repos] == ["acme/a"]


def bitbucket_repo(slug: str, fork: bool = False) -> dict[str, Any]:
    repo: dict[str, Any] = {
        "full_name": f"acme/{slug}",
        "slug": slug,
        "mainbranch": {"name": "master", "type": "branch"},
        "links": {
            "clone": [
                {"name": "https", "href": f"https://someone@bitbucket.org/acme/{slug}.git"},
                {"name": "ssh", "href": f"git@bitbucket.org:acme/{slug}.git"},
            ]
        },
    }
    if fork:
        repo["parent"] = {"full_name": "upstream/x"}
    return repo


def test_bitbucket_workspace_next_pages(api: LocalApi) -> None:
    def answer(seen: Seen) -> Reply:
        page = dict(seen.query).get("page", "1")
        if page == "1":
            body = {"pagelen": 2, "page": 1, "values": [bitbucket_repo("a"), bitbucket_repo("b")], "next": f"{api.url('bitbucket')}/2.0/repositories/acme?page=2&pagelen=2"}
        else:
            body = {"pagelen": 2, "page": 2, "values": [bitbucket_repo("c"), bitbucket_repo("d", fork=True)]}
        return Reply(200, body)

    api.route("GET", "/bitbucket/2.0/repositories/acme", answer)
    repos = list_repos(api, ForgeQuery("bitbucket", "acme", kind="workspace"), {"BITBUCKET_USERNAME": "me", "BITBUCKET_APP_PASSWORD": "pw"})
    assert [r.name for r in repos] == ["acme/a", "acme/b", "acme/c"]
    assert repos[0].clone_url == "https://bitbucket.org/acme/a.git" and repos[0].default_branch == "master"
    assert api.seen[0].headers["authorization"] == "Basic " + base64.b64encode(b"me:pw").decode()


def test_gitea_needs_a_forge_url_and_follows_links(api: LocalApi) -> None:
    with pytest.raises(ForgeError, match="--forge-url"):
        list_repos(api, ForgeQuery("gitea", "acme"))
    pages = [[github_repo("x")], [github_repo("y"), github_repo("z", archived=True)]]
    api.route("GET", "/gitea/api/v1/orgs/acme/repos", paged(api, "gitea/api/v1/orgs/acme/repos", pages))
    repos = list_repos(api, ForgeQuery("gitea", "acme", base_url=api.url("gitea")), {"GITEA_TOKEN": "tea"})
    assert [r.name for r in repos] == ["acme/x", "acme/y"]
    assert api.seen[0].headers["authorization"] == "token tea"


@pytest.mark.parametrize(
    "query",
    [ForgeQuery("github", "../etc"), ForgeQuery("github", "a/b"), ForgeQuery("gitlab", "a//b", kind="group"), ForgeQuery("svn", "x")],
)
def test_bad_queries_are_refused_before_any_request(api: LocalApi, query: ForgeQuery) -> None:
    with pytest.raises(ForgeError):
        list_repos(api, query)
    assert api.seen == []


def test_unexpected_answer_is_a_clear_error(api: LocalApi) -> None:
    api.route("GET", "/github/orgs/acme/repos", Reply(200, {"message": "not a list"}))
    with pytest.raises(ForgeError, match="unexpected answer"):
        list_repos(api, ForgeQuery("github", "acme"))


# ---------------------------------------------------------------------------------------------------
# end to end: `fleet scan --github-org acme` against the local server, real repositories behind it


def _fleet_env(api: LocalApi, tmp_path: Path) -> dict[str, str]:
    bases = tmp_path / "bases.toml"
    bases.write_text(f'github = "{api.url("github")}"\n')
    return {"CREDSWEEP_API_BASE_URLS": str(bases), "SSL_CERT_FILE": str(api.ca_file), "SSL_CERT_DIR": "",
            "GITHUB_TOKEN": "forge-token-for-listing"}


def _org_of_local_repos(api: LocalApi, tmp_path: Path, token: str) -> list[Path]:
    """Six real repositories listed by the local "GitHub" in three pages of two; one holds ``token``."""
    repos = []
    for i in range(6):
        path = make_repo(tmp_path / "org" / f"service{i}")
        write(path, "README.md", f"# service {i}\n")
        if i == 4:
            write(path, "deploy.env", f"GITHUB_TOKEN={token}\n")
        commit_all(path, "init")
        repos.append(path)
    listing = [github_repo(p.name) | {"clone_url": p.as_uri()} for p in repos]
    pages = [listing[0:2], listing[2:4], listing[4:6]]
    api.route("GET", "/github/orgs/acme/repos", paged(api, "github/orgs/acme/repos", pages))
    return repos


def test_fleet_scan_github_org_three_pages_scans_them_all(api: LocalApi, tmp_path: Path) -> None:
    token = fake_github_token()
    repos = _org_of_local_repos(api, tmp_path, token)
    store = f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    result = run_cli("fleet", "scan", "--github-org", "acme", "--store", store, "--mirror-dir", str(tmp_path / "m"),
                     "--format", "json", env=_fleet_env(api, tmp_path))
    assert result.code == 1, result
    data = result.json()
    assert sorted(r["name"] for r in data["repositories"]) == sorted(p.name for p in repos)
    assert all(r["status"] == "scanned" for r in data["repositories"])
    assert "GitHub organization acme: 6 repositories" in result.stderr
    assert [s.path for s in api.seen] == ["/github/orgs/acme/repos"] * 3
    assert all(s.headers["authorization"] == "Bearer forge-token-for-listing" for s in api.seen)
    [finding] = [f for f in data["findings"] if f["kind"] == "secret"]
    assert finding["repository"].endswith("service4") and "validation" not in finding
    assert token not in result.stdout


def test_fleet_scan_validate_then_revoked_marks_rotated(api: LocalApi, tmp_path: Path,
                                                       compiled_builtins: dict[str, bytes]) -> None:
    token = fake_github_token()
    _org_of_local_repos(api, tmp_path, token)
    store = f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    # caches of this test's own (no validation answer from another test), the rules already compiled
    seed_cache(compiled_builtins, tmp_path / "cache")
    seed_cache(compiled_builtins, tmp_path / "cache2")
    env = _fleet_env(api, tmp_path) | {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = ("fleet", "scan", "--github-org", "acme", "--store", store, "--mirror-dir", str(tmp_path / "m"),
            "--validate", "--format", "json")
    api.route("GET", "/github/user", Reply(200, {"login": "deploy-bot"}, (("X-OAuth-Scopes", "repo"),)))
    first = run_cli(*args, env=env)
    [finding] = [f for f in first.json()["findings"] if f["kind"] == "secret"]
    assert finding["validation"]["status"] == "live" and finding["validation"]["identity"] == "deploy-bot"
    assert finding["advice"]["urgency"] == "critical"
    assert next(s for s in api.seen if s.path == "/github/user").headers["authorization"] == f"Bearer {token}"
    report = run_cli("fleet", "report", "--store", store, "--format", "json").json()
    [secret] = [s for s in report["secrets"] if s["kind"] == "secret"]
    assert secret["validation"]["status"] == "live" and secret["mark"] is None
    text = run_cli("fleet", "report", "--store", store)
    assert "[live as deploy-bot (scopes: repo)]" in text.stdout
    for fmt, shown in (("markdown", "**live as deploy-bot (scopes: repo)**"),
                       ("html", "<span class='badge live'>live as deploy-bot (scopes: repo)</span>")):
        rendered = run_cli("fleet", "report", "--store", store, "--format", fmt)
        assert rendered.code == 0 and shown in rendered.stdout and token not in rendered.stdout, (fmt, rendered)
    # the next run asks again (a fresh cache: the answer is a day old), the provider now says revoked
    api.route("GET", "/github/user", Reply(401, {"message": "Bad credentials"}))
    second = run_cli(*args, env=env | {"XDG_CACHE_HOME": str(tmp_path / "cache2")})
    assert second.code == 0, second  # nothing new: the task closed itself
    report = run_cli("fleet", "report", "--store", store, "--format", "json").json()
    [secret] = [s for s in report["secrets"] if s["kind"] == "secret"]
    assert secret["mark"] == "rotated" and secret["status"] == "resolved"
    assert secret["validation"]["status"] == "revoked"


def test_fleet_scan_listing_failure_is_one_line(api: LocalApi, tmp_path: Path) -> None:
    reset = str(int(time.time()) + 7200)
    api.route("GET", "/github/orgs/acme/repos", Reply(403, {"message": "API rate limit exceeded"},
                                                      (("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset))))
    store = f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    result = run_cli("fleet", "scan", "--github-org", "acme", "--store", store, env=_fleet_env(api, tmp_path))
    assert result.code == 2, result
    assert "GitHub organization acme" in result.stderr and "rate limited" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli("fleet", "scan", "--github-org", "a", "--gitlab-group", "b", "--forge-url", "https://x.example",
                   "--store", store).code == 2
