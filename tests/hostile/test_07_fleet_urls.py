"""Finding 7: secrets in fleet repository URLs. ``https://<token>@host/x`` (a token as the user name) was
accepted, stored and printed in reports, the webhook and stderr; a password holding a raw ``@`` was
masked only in part; ``?private_token=`` query strings were stored as given.

Now any user info in an https or git URL, a non-login ssh user and token-like query parameters are
refused before any git command, with a message that says how to pass credentials; what is stored and
printed for the refused location holds none of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from credsweep.git.mirror import HOW_TO_AUTHENTICATE, SourceRefused, parse_source, shareable
from hostile.common import run

TOKEN = "glpat-" + "Zx8Kq2Lm9Np4Rt7Vw1Ys"  # a made-up GitLab token shape
URLS = {
    "token as user": (f"https://{TOKEN}@gitlab.example.invalid/group/app.git", TOKEN),
    "oauth2 user": (f"https://oauth2:{TOKEN}@gitlab.example.invalid/group/app.git", TOKEN),
    "raw @ in password": ("https://deploy:s3cr3t@pa55w0rd@gitlab.example.invalid/app.git", "pa55w0rd"),
    "private_token": (f"https://gitlab.example.invalid/group/app.git?private_token={TOKEN}", TOKEN),
    "access_token": (f"https://gitlab.example.invalid/app.git?ref=main&access_token={TOKEN}", TOKEN),
    "token as ssh user": (f"{TOKEN}@gitlab.example.invalid:group/app.git", TOKEN),
}


@pytest.mark.parametrize("name", list(URLS))
def test_a_url_carrying_a_credential_is_refused_with_how_to(name: str) -> None:
    url, secret = URLS[name]
    with pytest.raises(SourceRefused) as caught:
        parse_source(url)
    message = str(caught.value)
    assert secret not in message and "s3cr3t" not in message
    assert "SSH key" in message and "credential helper" in message and "environment variable" in message
    assert secret not in shareable(url)  # what a Celery broker would receive


def test_plain_urls_and_ssh_logins_still_pass() -> None:
    assert parse_source("https://github.com/psf/requests.git").kind == "url"
    assert parse_source("git@github.com:psf/requests.git").kind == "url"
    assert parse_source("ssh://git@github.com/psf/requests.git").kind == "url"
    assert parse_source("https://example.invalid/app.git?ref=main").kind == "url"
    assert "credential helper" in HOW_TO_AUTHENTICATE


def test_the_store_reports_and_stderr_never_hold_it(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'fleet.sqlite3'}"
    urls = [url for url, _ in URLS.values()]
    result = run("fleet", "scan", *urls, "--store", store)
    assert result.code == 4, result  # each is a failed repository, with its reason
    for text in (result.stdout, result.stderr):
        assert TOKEN not in text and "pa55w0rd" not in text and "s3cr3t" not in text
    assert "credential helper" in result.stderr
    for fmt in ("text", "json", "markdown", "html"):
        report = run("fleet", "report", "--store", store, "--format", fmt)
        assert report.code == 0 and TOKEN not in report.stdout and "pa55w0rd" not in report.stdout, report
    database = (tmp_path / "fleet.sqlite3").read_bytes()
    for wal in tmp_path.glob("fleet.sqlite3-*"):
        database += wal.read_bytes()
    assert TOKEN.encode() not in database and b"pa55w0rd" not in database
