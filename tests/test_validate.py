"""Live validation against a local HTTPS server (a trustme test CA) answering with the response
shapes of each provider's API reference: live, revoked, rate-limited, slow, redirected. No test
reaches the internet: every provider's base URL is overridden to 127.0.0.1."""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import netserver
from conftest import commit_all, fake_aws_pair, fake_github_token, git, make_repo, run_cli, write
from credsweep.errors import ConfigError
from credsweep.net import sigv4
from credsweep.net.cache import ValidationCache, default_path
from credsweep.net.client import HttpRequest, NetClient, NetworkError
from credsweep.net.config import ENV_BASE_URLS, NetConfig, check_base_url
from credsweep.net.providers import VALIDATORS
from credsweep.net.validators import (
    Credential,
    Registry,
    Validation,
    Validator,
    default_registry,
    validate_all,
    validate_one,
)
from netserver import LocalApi, Reply, Seen

api = netserver.api  # the shared fixtures: the local HTTPS server, reset for each test
_isolated = netserver._isolated

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
FIXED = datetime(2025, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
KEY = b"k" * 32  # the cache's signing key in these tests


def clock() -> datetime:
    return FIXED


def config_for(api: LocalApi, **settings: Any) -> NetConfig:
    """Every provider id pointed at its own prefix on the local server."""
    providers = {v.provider for v in VALIDATORS}
    base = NetConfig(
        base_urls=tuple(sorted((p, api.url(p)) for p in providers)),
        ca_file=str(api.ca_file),
        # an answer the server gives is never cut short on a loaded machine (a TLS exchange with a
        # server in this process took over 2 s at load 15); the deadline tests set their own
        deadline=30.0,
        min_interval=0.0,
        rate_wait_budget=3.0,
    )
    return replace(base, **settings)


# ---------------------------------------------------------------------------------------------------
# the documented response shapes, one entry per validator


@dataclass(frozen=True)
class Case:
    rule: str
    method: str
    path: str
    live: Reply
    identity: str | None
    revoked: Reply
    scopes: tuple[str, ...] = ()
    secret: str = "tok_" + "x" * 36
    identifier: str | None = None
    hints: tuple[tuple[str, str], ...] = ()
    carries: bool = True  # the secret itself is in the request (not for SigV4)


UNAUTHORIZED = Reply(401, {"message": "Unauthorized"})
STS_OK = """<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"""
STS_INVALID = """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>
  <Message>The security token included in the request is invalid.</Message></Error>
  <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
</ErrorResponse>"""

CASES: dict[str, Case] = {
    "github": Case(
        "github.pat.classic", "GET", "/github/user",
        Reply(200, {"login": "octocat", "id": 1, "type": "User"}, (("X-OAuth-Scopes", "repo, read:org"),)),
        "octocat",
        Reply(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}),
        ("repo", "read:org"),
    ),
    "github-installation": Case(
        "github.server-to-server", "GET", "/github/installation/repositories",
        Reply(200, {"total_count": 12, "repositories": [{"full_name": "acme/api", "owner": {"login": "acme"}}]}),
        "acme (12 repositories)",
        Reply(401, {"message": "Bad credentials"}),
    ),
    "gitlab": Case(
        "gitlab.pat", "GET", "/gitlab/api/v4/user",
        Reply(200, {"id": 1, "username": "john_smith", "name": "John Smith", "state": "active"}),
        "john_smith",
        Reply(401, {"message": "401 Unauthorized"}),
    ),
    "gitlab-runner": Case(
        "gitlab.runner-token", "POST", "/gitlab/api/v4/runners/verify",
        Reply(200, {"id": 42, "token_expires_at": None}),
        "runner 42",
        Reply(403, {"message": "403 Forbidden"}),
    ),
    "bitbucket": Case(
        "bitbucket.app-password", "GET", "/bitbucket/2.0/user",
        Reply(200, {"username": "tutorials", "display_name": "Tutorials", "type": "user"}, (("X-OAuth-Scopes", "repository, account"),)),
        "tutorials",
        Reply(401, {"type": "error", "error": {"message": "Unauthorized"}}),
        ("repository", "account"),
        hints=(("username", "tutorials"),),
    ),
    "slack": Case(
        "slack.bot-token", "POST", "/slack/auth.test",
        Reply(200, {"ok": True, "url": "https://subarachnoid.slack.com/", "team": "Subarachnoid Workspace", "user": "grace", "team_id": "T12345678", "user_id": "W12345678"}, (("x-oauth-scopes", "chat:write,channels:read"),)),
        "grace @ Subarachnoid Workspace",
        Reply(200, {"ok": False, "error": "invalid_auth"}),
        ("chat:write", "channels:read"),
    ),
    "aws": Case(
        "aws.secret-access-key", "POST", "/aws/",
        Reply(200, STS_OK, (("Content-Type", "text/xml"),)),
        "arn:aws:iam::123456789012:user/Alice",
        Reply(403, STS_INVALID, (("Content-Type", "text/xml"),)),
        secret="x" * 40,
        identifier="AKIA" + "Q" * 16,
        carries=False,
    ),
    "stripe": Case(
        "stripe.secret-key", "GET", "/stripe/v1/account",
        Reply(200, {"id": "acct_1032D82eZvKYlo2C", "object": "account", "email": "site@stripe.com", "settings": {"dashboard": {"display_name": "Stripe.com"}}}),
        "Stripe.com",
        Reply(401, {"error": {"message": "Invalid API Key provided: sk_live_****", "type": "invalid_request_error"}}),
    ),
    "twilio": Case(
        "twilio.auth-token", "GET", "/twilio/2010-04-01/Accounts/AC" + "0" * 32 + ".json",
        Reply(200, {"sid": "AC" + "0" * 32, "friendly_name": "My Twilio Account", "status": "active", "type": "Full"}),
        "My Twilio Account",
        Reply(401, {"code": 20003, "message": "Authenticate", "status": 401}),
        secret="f" * 32,
        identifier="AC" + "0" * 32,
    ),
    "sendgrid": Case(
        "sendgrid.api-key", "GET", "/sendgrid/v3/scopes",
        Reply(200, {"scopes": ["mail.send", "alerts.read"]}),
        None,
        Reply(401, {"errors": [{"field": None, "message": "authorization required"}]}),
        ("mail.send", "alerts.read"),
    ),
    "mailgun": Case(
        "mailgun.api-key", "GET", "/mailgun/v3/domains",
        Reply(200, {"total_count": 1, "items": [{"name": "samples.mailgun.org", "state": "active"}]}),
        "1 domains: samples.mailgun.org",
        Reply(401, "Forbidden", (("Content-Type", "text/plain"),)),
    ),
    "openai": Case(
        "openai.api-key", "GET", "/openai/v1/models",
        Reply(200, {"object": "list", "data": [{"id": "gpt-4o", "object": "model"}]}, (("openai-organization", "org-acme"),)),
        "org-acme",
        Reply(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}}),
    ),
    "anthropic": Case(
        "anthropic.api-key", "GET", "/anthropic/v1/models",
        Reply(200, {"data": [{"id": "claude-sonnet-4-20250514", "type": "model"}], "has_more": True}, (("anthropic-organization-id", "12345678-1234-5678-1234-567812345678"),)),
        "12345678-1234-5678-1234-567812345678",
        Reply(401, {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}),
    ),
    "anthropic-admin": Case(
        "anthropic.admin-key", "GET", "/anthropic/v1/organizations/me",
        Reply(200, {"id": "12345678-1234-5678-1234-567812345678", "name": "Organization Name", "type": "organization"}),
        "Organization Name",
        Reply(401, {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}),
    ),
    "huggingface": Case(
        "huggingface.token", "GET", "/huggingface/api/whoami-v2",
        Reply(200, {"type": "user", "name": "julien", "auth": {"type": "access_token", "accessToken": {"displayName": "ci", "role": "write"}}}),
        "julien",
        Reply(401, {"error": "Invalid credentials in Authorization header"}),
        ("write",),
    ),
    "npm": Case(
        "npm.access-token", "GET", "/npm/-/whoami",
        Reply(200, {"username": "npmuser"}),
        "npmuser",
        Reply(401, {"error": "Unauthorized"}),
    ),
    "dockerhub": Case(
        "dockerhub.pat", "POST", "/dockerhub/v2/auth/token",
        Reply(200, {"access_token": "eyJhbGciOi.short.lived"}),
        "dockeruser",
        Reply(401, {"detail": "Incorrect authentication credentials", "message": "Incorrect authentication credentials"}),
        hints=(("username", "dockeruser"),),
    ),
    "digitalocean": Case(
        "digitalocean.token", "GET", "/digitalocean/v2/account",
        Reply(200, {"account": {"email": "sammy@digitalocean.com", "uuid": "b6fr89dbf6d9156cace5f3c78dc9851d957381ef", "status": "active", "team": {"name": "My Team"}}}),
        "sammy@digitalocean.com / My Team",
        Reply(401, {"id": "Unauthorized", "message": "Unable to authenticate you."}),
    ),
    "heroku": Case(
        "heroku.api-key", "GET", "/heroku/account",
        Reply(200, {"email": "username@example.com", "id": "01234567-89ab-cdef-0123-456789abcdef"}),
        "username@example.com",
        Reply(401, {"id": "unauthorized", "message": "Invalid credentials provided."}),
    ),
    "datadog": Case(
        "datadog.api-key", "GET", "/datadog/api/v1/validate",
        Reply(200, {"valid": True}),
        None,
        Reply(403, {"errors": ["Forbidden"]}),
        secret="0" * 32,
    ),
    "shopify": Case(
        "shopify.access-token", "GET", "/shopify/admin/oauth/access_scopes.json",
        Reply(200, {"access_scopes": [{"handle": "read_products"}, {"handle": "write_orders"}]}),
        "acme-store.myshopify.com",
        Reply(401, {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}),
        ("read_products", "write_orders"),
        hints=(("shop", "acme-store.myshopify.com"),),
    ),
    "discord": Case(
        "discord.bot-token", "GET", "/discord/users/@me",
        Reply(200, {"id": "80351110224678912", "username": "Nelly", "bot": True}),
        "Nelly",
        Reply(401, {"message": "401: Unauthorized", "code": 0}),
    ),
    "telegram": Case(
        "telegram.bot-token", "GET", "/telegram/bot123456789:" + "x" * 35 + "/getMe",
        Reply(200, {"ok": True, "result": {"id": 123456789, "is_bot": True, "first_name": "Acme", "username": "acme_bot"}}),
        "acme_bot",
        Reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"}),
        secret="123456789:" + "x" * 35,
    ),
    "google": Case(
        "google.api-key", "GET", "/google/v1beta/models",
        Reply(200, {"models": [{"name": "models/gemini-2.0-flash"}], "nextPageToken": "abc"}),
        None,
        Reply(400, {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}}]}}),
        ("generativelanguage",),
    ),
    "google-oauth": Case(
        "google.oauth-access-token", "GET", "/google/oauth2/v3/tokeninfo",
        Reply(200, {"azp": "32553540559.apps.googleusercontent.com", "aud": "32553540559.apps.googleusercontent.com", "sub": "111260650121245072906", "scope": "openid https://www.googleapis.com/auth/userinfo.email", "exp": "1433981953", "expires_in": "3482", "email": "testuser@gmail.com", "email_verified": "true"}),
        "testuser@gmail.com",
        Reply(400, {"error": "invalid_token", "error_description": "Invalid Value"}),
        ("openid", "https://www.googleapis.com/auth/userinfo.email"),
    ),
    "azure-devops": Case(
        "azure-devops.api-key", "GET", "/azure-devops/_apis/profile/profiles/me",
        Reply(200, {"displayName": "Jamal Hartnett", "emailAddress": "fabrikamfiber4@hotmail.com", "id": "e5a5f7f8-6507-4c34-b397-6c4818e002f4"}),
        "fabrikamfiber4@hotmail.com",
        Reply(203, "<html>Sign in</html>", (("Content-Type", "text/html"),)),
    ),
    "circleci": Case(
        "circleci.personal-token", "GET", "/circleci/api/v2/me",
        Reply(200, {"id": "a68942a5-0ef4-4e3d-b2c0-8b3c5d2a7f1e", "login": "circleuser", "name": "Circle User"}),
        "circleuser",
        Reply(401, {"message": "You must log in first."}),
    ),
    "cloudflare": Case(
        "cloudflare.api-token", "GET", "/cloudflare/client/v4/user/tokens/verify",
        Reply(200, {"success": True, "errors": [], "messages": [{"code": 10000, "message": "This API Token is valid and active"}], "result": {"id": "ed17574386854bf78a67040be0a770b0", "status": "active"}}),
        "ed17574386854bf78a67040be0a770b0",
        Reply(401, {"success": False, "errors": [{"code": 1000, "message": "Invalid API Token"}], "messages": [], "result": None}),
    ),
    "linear": Case(
        "linear.api-key", "POST", "/linear/graphql",
        Reply(200, {"data": {"viewer": {"id": "1", "name": "Ada", "email": "ada@example.com"}}}),
        "ada@example.com",
        Reply(400, {"errors": [{"message": "Authentication required, not authenticated", "extensions": {"code": "AUTHENTICATION_ERROR"}}]}),
    ),
    "notion": Case(
        "notion.integration-secret", "GET", "/notion/v1/users/me",
        Reply(200, {"object": "user", "id": "16d84278-ab0e-484c-9bdd-b35da3bd8905", "name": "pied piper", "type": "bot", "bot": {"owner": {"type": "workspace", "workspace": True}, "workspace_name": "Pied Piper"}}),
        "pied piper / Pied Piper",
        Reply(401, {"object": "error", "status": 401, "code": "unauthorized", "message": "API token is invalid."}),
    ),
    "netlify": Case(
        "netlify.pat", "GET", "/netlify/api/v1/user",
        Reply(200, {"id": "5c1a", "full_name": "Net Lify", "email": "user@example.com"}),
        "user@example.com",
        Reply(401, {"code": 401, "message": "Access Denied: your token is invalid"}),
    ),
    "figma": Case(
        "figma.pat", "GET", "/figma/v1/me",
        Reply(200, {"id": "123", "email": "designer@example.com", "handle": "designer", "img_url": "https://example.com/a.png"}),
        "designer@example.com",
        Reply(403, {"status": 403, "err": "Invalid token"}),
    ),
    "airtable": Case(
        "airtable.pat", "GET", "/airtable/v0/meta/whoami",
        Reply(200, {"id": "usrL2PNC5o3H4lBEi", "email": "foo@bar.com", "scopes": ["data.records:read", "schema.bases:read"]}),
        "foo@bar.com",
        Reply(401, {"error": {"type": "AUTHENTICATION_REQUIRED", "message": "Authentication required"}}),
        ("data.records:read", "schema.bases:read"),
    ),
    "postman": Case(
        "postman.api-key", "GET", "/postman/me",
        Reply(200, {"user": {"id": 12345678, "username": "taylor-lee", "email": "taylor.lee@example.com"}}),
        "taylor-lee",
        Reply(401, {"error": {"name": "AuthenticationError", "message": "Invalid API Key. Every request requires a valid API Key to be sent."}}),
    ),
    "pagerduty": Case(
        "pagerduty.api-key", "GET", "/pagerduty/abilities",
        Reply(200, {"abilities": ["teams", "read_only_users", "sso"]}),
        None,
        Reply(401, {"error": {"message": "Unauthorized", "code": 2006}}),
        ("teams", "read_only_users", "sso"),
    ),
    "sentry": Case(
        "sentry.user-token", "GET", "/sentry/api/0/organizations/",
        Reply(200, [{"id": "2", "slug": "the-interstellar-jurisdiction", "name": "The Interstellar Jurisdiction"}]),
        "1 organizations: the-interstellar-jurisdiction",
        Reply(401, {"detail": "Invalid token"}),
    ),
    "snyk": Case(
        "snyk.api-key", "GET", "/snyk/v1/user/me",
        Reply(200, {"id": "abcd1234", "username": "snykuser", "email": "user@example.com"}),
        "snykuser",
        Reply(401, {"code": 401, "message": "Invalid auth token provided", "error": "Invalid auth token provided"}),
    ),
    "terraform-cloud": Case(
        "terraform-cloud.api-token", "GET", "/terraform-cloud/api/v2/account/details",
        Reply(200, {"data": {"id": "user-V3R563qtJNcExAkN", "type": "users", "attributes": {"username": "admin", "email": "admin@example.com"}}}),
        "admin",
        Reply(401, {"errors": [{"status": "401", "title": "unauthorized"}]}),
    ),
    "pulumi": Case(
        "pulumi.access-token", "GET", "/pulumi/api/user",
        Reply(200, {"name": "Pulumi User", "githubLogin": "pulumi-user", "email": "user@example.com"}),
        "pulumi-user",
        Reply(401, {"code": 401, "message": "Unauthorized: No credentials provided or are invalid."}),
    ),
    "rubygems": Case(
        "rubygems.api-key", "GET", "/rubygems/api/v1/gems.json",
        Reply(200, [{"name": "rails", "version": "7.1.0"}, {"name": "rake", "version": "13.0.0"}]),
        "2 gems: rails, rake",
        Reply(401, "Access Denied. Please sign up for an account at https://rubygems.org", (("Content-Type", "text/plain"),)),
    ),
    "mapbox": Case(
        "mapbox.secret-token", "GET", "/mapbox/tokens/v2",
        Reply(200, {"code": "TokenValid", "token": {"usage": "sk", "user": "mapbox-user", "authorization": "x", "client": "api", "scopes": ["styles:read", "fonts:read"]}}),
        "mapbox-user",
        Reply(401, {"code": "TokenInvalid", "token": {}}),
        ("styles:read", "fonts:read"),
    ),
    "linode": Case(
        "linode.api-key", "GET", "/linode/v4/profile",
        Reply(200, {"username": "example_user", "email": "example-user@gmail.com"}, (("X-OAuth-Scopes", "linodes:read_write account:read_only"),)),
        "example_user",
        Reply(401, {"errors": [{"reason": "Invalid Token"}]}),
        ("linodes:read_write", "account:read_only"),
    ),
    "vultr": Case(
        "vultr.api-key", "GET", "/vultr/v2/account",
        Reply(200, {"account": {"name": "Example Account", "email": "admin@example.com", "acls": ["manage_users", "subscriptions"], "balance": -100.55}}),
        "admin@example.com",
        Reply(401, {"error": "Invalid API token.", "status": 401}),
        ("manage_users", "subscriptions"),
    ),
    "render": Case(
        "render.api-key", "GET", "/render/v1/owners",
        Reply(200, [{"owner": {"id": "tea-cgd6jog2qv9kdrt2nl1g", "name": "Acme Team", "email": "ops@acme.example", "type": "team"}, "cursor": "abc"}]),
        "ops@acme.example",
        Reply(401, {"id": "unauthorized", "message": "Unauthorized"}),
    ),
    "groq": Case(
        "groq.api-key", "GET", "/groq/openai/v1/models",
        Reply(200, {"object": "list", "data": [{"id": "llama-3.3-70b-versatile", "object": "model"}]}),
        None,
        Reply(401, {"error": {"message": "Invalid API Key", "type": "invalid_request_error", "code": "invalid_api_key"}}),
    ),
    "mistral": Case(
        "mistral.api-key", "GET", "/mistral/v1/models",
        Reply(200, {"object": "list", "data": [{"id": "mistral-large-latest", "object": "model"}]}),
        None,
        Reply(401, {"message": "Unauthorized", "request_id": "abc"}),
    ),
    "cohere": Case(
        "cohere.api-key", "POST", "/cohere/v1/check-api-key",
        Reply(200, {"valid": True, "organization_id": "org-123", "owner_id": "user-456"}),
        "org-123 / user-456",
        Reply(401, {"message": "invalid api token"}),
    ),
    "deepseek": Case(
        "deepseek.api-key", "GET", "/deepseek/models",
        Reply(200, {"object": "list", "data": [{"id": "deepseek-chat", "object": "model", "owned_by": "deepseek"}]}),
        None,
        Reply(401, {"error": {"message": "Authentication Fails (no such user)", "type": "authentication_error", "code": "invalid_request_error"}}),
    ),
    "openrouter": Case(
        "openrouter.api-key", "GET", "/openrouter/api/v1/key",
        Reply(200, {"data": {"label": "sk-or-v1-au7...890", "limit": 100, "usage": 25.5, "is_free_tier": True}}),
        "free tier",
        Reply(401, {"error": {"message": "No auth credentials found", "code": 401}}),
    ),
    "together": Case(
        "together.api-key", "GET", "/together/v1/models",
        Reply(200, [{"id": "meta-llama/Llama-3.3-70B-Instruct-Turbo", "object": "model"}]),
        None,
        Reply(401, {"error": {"message": "Invalid API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}}),
    ),
    "fireworks": Case(
        "fireworks.api-key", "GET", "/fireworks/inference/v1/models",
        Reply(200, {"object": "list", "data": [{"id": "accounts/fireworks/models/llama-v3p1-8b-instruct"}]}),
        None,
        Reply(401, {"error": {"object": "error", "type": "invalid_request_error", "message": "The API key you provided is invalid."}}),
    ),
    "replicate": Case(
        "replicate.api-token", "GET", "/replicate/v1/account",
        Reply(200, {"type": "organization", "username": "acme", "name": "Acme Corp, Inc.", "github_url": "https://github.com/acme"}),
        "acme",
        Reply(401, {"title": "Unauthenticated", "detail": "You did not pass a valid authentication token", "status": 401}),
    ),
    "elevenlabs": Case(
        "elevenlabs.api-key", "GET", "/elevenlabs/v1/user",
        Reply(200, {"user_id": "1234567890", "subscription": {"tier": "creator", "character_count": 17231}}),
        "1234567890 / creator",
        Reply(401, {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}}),
    ),
    "deepgram": Case(
        "deepgram.api-key", "GET", "/deepgram/v1/projects",
        Reply(200, {"projects": [{"project_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": "Voice Bot"}]}),
        "1 projects: Voice Bot",
        Reply(401, {"err_code": "INVALID_AUTH", "err_msg": "Invalid credentials."}),
    ),
    "stability": Case(
        "stability.api-key", "GET", "/stability/v1/user/account",
        Reply(200, {"id": "user-1234", "email": "example@stability.ai", "organizations": [{"id": "org-1", "name": "Personal"}]}),
        "example@stability.ai",
        Reply(401, {"id": "9160aa70222f5a6a3f56ef3e66f5a0b0", "name": "unauthorized", "message": "missing authorization header"}),
    ),
    "pinecone": Case(
        "pinecone.api-key", "GET", "/pinecone/indexes",
        Reply(200, {"indexes": [{"name": "movie-recommendations", "dimension": 1536, "metric": "cosine"}]}),
        "1 indexes: movie-recommendations",
        Reply(401, {"error": {"code": "UNAUTHENTICATED", "message": "Invalid API Key"}, "status": 401}),
    ),
    "mailchimp": Case(
        "mailchimp.api-key", "GET", "/mailchimp/3.0/",
        Reply(200, {"account_id": "8d3a3db4d97663a9074efcc16", "login_id": "12345", "account_name": "Freddie's Jokes", "email": "freddie@example.com"}),
        "Freddie's Jokes",
        Reply(401, {"type": "https://mailchimp.com/developer/marketing/docs/errors/", "title": "API Key Invalid", "status": 401, "detail": "Your API key may be invalid, or you've attempted to access the wrong datacenter."}),
        secret="0" * 32 + "-us6",
    ),
    "postmark": Case(
        "postmark.server-token", "GET", "/postmark/server",
        Reply(200, {"ID": 1, "Name": "Staging Testing", "ApiTokens": ["hidden"]}),
        "Staging Testing",
        Reply(401, {"ErrorCode": 10, "Message": "The Server Token you provided in the X-Postmark-Server-Token request header was invalid."}),
    ),
    "brevo": Case(
        "brevo.api-key", "GET", "/brevo/v3/account",
        Reply(200, {"email": "john.smith@example.com", "firstName": "John", "lastName": "Smith", "companyName": "MyCompany"}),
        "john.smith@example.com / MyCompany",
        Reply(401, {"code": "unauthorized", "message": "Key not found"}),
    ),
    "mandrill": Case(
        "mandrill.api-key", "POST", "/mandrill/api/1.0/users/info",
        Reply(200, {"username": "myusername", "created_at": "2013-01-01 15:30:27", "reputation": 42}),
        "myusername",
        Reply(500, {"status": "error", "code": -1, "name": "Invalid_Key", "message": "Invalid API key"}),
    ),
    "hubspot": Case(
        "hubspot.private-app-token", "GET", "/hubspot/account-info/v3/details",
        Reply(200, {"portalId": 1234567, "accountType": "STANDARD", "timeZone": "US/Eastern", "uiDomain": "app.hubspot.com"}),
        "portal 1234567",
        Reply(401, {"status": "error", "message": "Authentication credentials not found.", "category": "INVALID_AUTHENTICATION"}),
    ),
    "intercom": Case(
        "intercom.api-key", "GET", "/intercom/me",
        Reply(200, {"type": "admin", "id": "991267464", "email": "admin@example.com", "name": "Ciaran", "app": {"type": "app", "id_code": "this_is_an_id", "name": "MyApp"}}),
        "admin@example.com / MyApp",
        Reply(401, {"type": "error.list", "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]}),
    ),
    "typeform": Case(
        "typeform.pat", "GET", "/typeform/me",
        Reply(200, {"alias": "John Doe", "email": "john@example.com", "language": "en"}),
        "john@example.com",
        Reply(401, {"code": "AUTHENTICATION_FAILED", "description": "Authentication credentials not found on the Request Headers"}),
    ),
    "dropbox": Case(
        "dropbox.short-lived-token", "POST", "/dropbox/2/users/get_current_account",
        Reply(200, {"account_id": "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc", "email": "franz@dropbox.com", "name": {"display_name": "Franz Ferdinand (Personal)"}}),
        "franz@dropbox.com",
        Reply(401, {"error_summary": "invalid_access_token/...", "error": {".tag": "invalid_access_token"}}),
    ),
    "buildkite": Case(
        "buildkite.api-token", "GET", "/buildkite/v2/access-token",
        Reply(200, {"uuid": "b63254c0-3271-4a98-8270-7cfbd6c2f14e", "scopes": ["read_build", "read_user"]}),
        "b63254c0-3271-4a98-8270-7cfbd6c2f14e",
        Reply(401, {"message": "Authentication required. Please supply a valid API Access Token"}),
        ("read_build", "read_user"),
    ),
    "doppler": Case(
        "doppler.token", "GET", "/doppler/v3/me",
        Reply(200, {"workplace": {"name": "Acme", "slug": "acme"}, "type": "service_token", "name": "ci-deploy", "slug": "x"}),
        "Acme / ci-deploy / service_token",
        Reply(401, {"messages": ["Invalid Auth token"], "success": False}),
    ),
    "launchdarkly": Case(
        "launchdarkly.api-key", "GET", "/launchdarkly/api/v2/caller-identity",
        Reply(200, {"accountId": "acct-1", "tokenName": "ci-token", "tokenKind": "personal", "authKind": "token"}),
        "ci-token / acct-1",
        Reply(401, {"code": "unauthorized", "message": "Invalid access token"}),
        ("personal",),
    ),
    "honeycomb": Case(
        "honeycomb.api-key", "GET", "/honeycomb/1/auth",
        Reply(200, {"id": "hcaik_1", "type": "configuration", "api_key_access": {"events": True, "markers": False, "createDatasets": True}, "environment": {"name": "Prod", "slug": "prod"}, "team": {"name": "Acme", "slug": "acme"}}),
        "acme / prod",
        Reply(401, {"error": "unknown API key - check your credentials"}),
        ("createDatasets", "events"),
    ),
    "tailscale": Case(
        "tailscale.api-token", "GET", "/tailscale/api/v2/tailnet/-/keys",
        Reply(200, {"keys": [{"id": "k123456CNTRL", "description": "ci"}]}),
        "1 keys: ci",
        Reply(401, {"message": "API token invalid"}),
    ),
    "contentful": Case(
        "contentful.pat", "GET", "/contentful/users/me",
        Reply(200, {"firstName": "Jane", "lastName": "Doe", "email": "jane@example.com", "sys": {"type": "User", "id": "7BslKh9TdKGOK41VmLDjFZ"}}),
        "jane@example.com",
        Reply(401, {"sys": {"type": "Error", "id": "AccessTokenInvalid"}, "message": "The access token you sent could not be found or is invalid."}),
    ),
    "square": Case(
        "square.access-token", "GET", "/square/v2/merchants/me",
        Reply(200, {"merchant": {"id": "DM7VKY8Q63GNP", "business_name": "Apple A Day", "country": "US"}}),
        "Apple A Day",
        Reply(401, {"errors": [{"category": "AUTHENTICATION_ERROR", "code": "UNAUTHORIZED", "detail": "This request could not be authorized."}]}),
    ),
    "gocardless": Case(
        "gocardless.live-token", "GET", "/gocardless/creditors",
        Reply(200, {"creditors": [{"id": "CR123", "name": "Nude Wines"}], "meta": {"cursors": {}, "limit": 1}}),
        "Nude Wines",
        Reply(401, {"error": {"type": "invalid_api_usage", "code": 401, "message": "Invalid token"}}),
    ),
    "messagebird": Case(
        "messagebird.api-key", "GET", "/messagebird/balance",
        Reply(200, {"payment": "prepaid", "type": "credits", "amount": 9.2}),
        "credits",
        Reply(401, {"errors": [{"code": 2, "description": "Request not allowed (incorrect access_key)", "parameter": "access_key"}]}),
    ),
    "sourcegraph": Case(
        "sourcegraph.access-token", "POST", "/sourcegraph/.api/graphql",
        Reply(200, {"data": {"currentUser": {"username": "sgdev"}}}),
        "sgdev",
        Reply(401, "Invalid access token.", (("Content-Type", "text/plain"),)),
    ),
    "supabase": Case(
        "supabase.access-token", "GET", "/supabase/v1/projects",
        Reply(200, [{"id": "abcdefghijklmnopqrst", "organization_id": "org", "name": "prod-db", "region": "us-east-1"}]),
        "1 projects: prod-db",
        Reply(401, {"message": "Unauthorized"}),
    ),
    "ngrok": Case(
        "ngrok.api-key", "GET", "/ngrok/api_keys",
        Reply(200, {"keys": [{"id": "ak_1", "uri": "https://api.ngrok.com/api_keys/ak_1"}], "uri": "https://api.ngrok.com/api_keys", "next_page_uri": None}),
        None,
        Reply(401, {"error_code": "ERR_NGROK_202", "status_code": 401, "msg": "The API authentication you specified is not valid."}),
    ),
    "easypost": Case(
        "easypost.api-key", "GET", "/easypost/v2/users",
        Reply(200, {"id": "user_1", "object": "User", "name": "Test User", "email": "test@example.com"}),
        "test@example.com",
        Reply(401, {"error": {"code": "APIKEY.INACTIVE", "message": "This api key is no longer active."}}),
    ),
    "frameio": Case(
        "frameio.token", "GET", "/frameio/v2/me",
        Reply(200, {"id": "e7ce4e2d", "email": "editor@example.com", "name": "Editor"}),
        "editor@example.com",
        Reply(401, {"code": 401, "errors": [{"code": 401, "detail": "Unauthorized"}], "message": "Unauthorized"}),
    ),
    "shippo": Case(
        "shippo.live-token", "GET", "/shippo/addresses",
        Reply(200, {"next": None, "previous": None, "results": []}),
        None,
        Reply(401, {"detail": "Invalid token."}),
    ),
    "duffel": Case(
        "duffel.live-token", "GET", "/duffel/air/airlines",
        Reply(200, {"meta": {"limit": 1, "after": None}, "data": [{"name": "British Airways", "iata_code": "BA"}]}),
        None,
        Reply(401, {"errors": [{"type": "authentication_error", "title": "Invalid access token", "code": "invalid_access_token"}]}),
    ),
    "flutterwave": Case(
        "flutterwave.secret-key", "GET", "/flutterwave/v3/balances",
        Reply(200, {"status": "success", "message": "Wallet balances fetched", "data": [{"currency": "NGN", "available_balance": 0}]}),
        None,
        Reply(401, {"status": "error", "message": "Invalid authorization key", "data": None}),
    ),
    "assemblyai": Case(
        "assemblyai.api-key", "GET", "/assemblyai/v2/transcript",
        Reply(200, {"page_details": {"limit": 1, "result_count": 0}, "transcripts": []}),
        None,
        Reply(401, {"error": "Authentication error, API token missing/invalid"}),
    ),
    "sparkpost": Case(
        "sparkpost.api-key", "GET", "/sparkpost/api/v1/account",
        Reply(200, {"results": {"company_name": "Example Inc", "customer_id": 123456}}),
        "Example Inc",
        Reply(401, {"errors": [{"message": "Unauthorized."}]}),
    ),
}


def cred_for(case: Case, secret_id: str = "sid-1") -> Credential:
    return Credential(case.rule, case.secret, secret_id, case.identifier, case.hints)


def run(api: LocalApi, cred: Credential, **settings: Any) -> Validation:
    with NetClient(config_for(api, **settings)) as client:
        return validate_one(cred, client, default_registry(), clock)


# ---------------------------------------------------------------------------------------------------
# the table covers the registry


def case_of(validator: Validator) -> Case:
    """The table's entry for ``validator``: the one whose rule it is the registry's answer for."""
    registry = default_registry()
    return next(c for c in CASES.values() if registry.for_rule(c.rule) is validator)


def test_every_validator_has_a_documented_case() -> None:
    registry = default_registry()
    assert [case_of(v).rule for v in VALIDATORS]  # each has one (next() raises otherwise)
    assert len({id(registry.for_rule(c.rule)) for c in CASES.values()}) == len(CASES) == len(VALIDATORS)
    assert len({v.provider for v in VALIDATORS}) >= 40


def _rule_ids() -> set[str]:
    ids: set[str] = set()
    for path in (ROOT / "rulesets").glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        ids.update(rule["id"] for rule in data.get("rules", []))
    return ids


def test_registry_names_real_rules_and_pinned_https_hosts() -> None:
    ids = _rule_ids()
    for validator in VALIDATORS:
        assert validator.doc_url.startswith("https://"), validator.provider
        for entry in validator.rules:
            assert any(i == entry or i.startswith(entry + ".") for i in ids), entry
        targets = validator.targets(cred_for(case_of(validator)), False)
        assert not isinstance(targets, str), validator.provider
        for target in targets:
            assert target.base.startswith("https://"), target
            assert "127.0.0.1" not in target.base and "localhost" not in target.base


def test_registry_lookup_by_family_and_rules_without_validator() -> None:
    registry = default_registry()
    aws = registry.for_rule("aws.secret-access-key.near-key-id")
    assert aws is not None and aws.provider == "aws"
    assert registry.for_rule("stripe.webhook-secret") is None
    assert registry.for_rule("npmrc.auth-token") is None  # any registry's token: not sent to npmjs.org
    assert registry.for_rule("generic.password") is None


# ---------------------------------------------------------------------------------------------------
# one test per validator: live and revoked, with its documented shapes


@pytest.mark.parametrize("name", sorted(CASES))
def test_live(api: LocalApi, name: str) -> None:
    case = CASES[name]
    api.route(case.method, case.path, case.live)
    result = run(api, cred_for(case))
    assert result.status == "live", (name, result)
    assert result.identity == case.identity
    assert result.scopes == case.scopes
    assert result.checked_at == "2025-03-04T05:06:07Z"
    assert len(api.seen) == 1, [s.path for s in api.seen]
    seen = api.seen[0]
    assert (seen.method, seen.path) == (case.method, case.path)
    assert seen.headers["accept-encoding"] == "identity"
    if case.carries:
        assert seen.carries(case.secret)
    assert case.secret not in json.dumps(result.to_json())


@pytest.mark.parametrize("name", sorted(CASES))
def test_revoked(api: LocalApi, name: str) -> None:
    case = CASES[name]
    api.route(case.method, case.path, case.revoked)
    result = run(api, cred_for(case))
    assert result.status == "revoked", (name, result)
    assert result.identity is None


@pytest.mark.parametrize("name", sorted(CASES))
def test_rate_limited_beyond_budget_is_unknown_at_once(api: LocalApi, name: str) -> None:
    case = CASES[name]
    api.route(case.method, case.path, Reply(429, {"message": "slow down"}, (("Retry-After", "3600"),)))
    started = time.monotonic()
    result = run(api, cred_for(case))
    assert result.status == "unknown"
    assert "rate limited" in (result.reason or "") and "3600 s" in (result.reason or "")
    assert time.monotonic() - started < 2
    assert len(api.seen) == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_redirect_is_not_followed(api: LocalApi, name: str) -> None:
    case = CASES[name]
    api.route(case.method, case.path, Reply(302, b"", (("Location", api.url("elsewhere")),)))
    api.route("GET", "/elsewhere", Reply(200, {"login": "stolen"}))
    result = run(api, cred_for(case))
    assert result.status == "unknown" and result.reason == "redirect refused"
    assert [s.path for s in api.seen] == [case.path]


@pytest.mark.parametrize("name", ["github", "slack", "aws", "stripe"])
def test_slow_server_is_unknown_within_the_deadline(api: LocalApi, name: str) -> None:
    case = CASES[name]
    api.route(case.method, case.path, Reply(hang=True))
    started = time.monotonic()
    # a server that never answers: the deadline alone ends the exchange (0.2 s: each of the four cases
    # waited out 0.5 s before, two seconds of the suite with nothing to do)
    result = run(api, cred_for(case), deadline=0.2)
    elapsed = time.monotonic() - started
    assert result.status == "unknown" and "within 0.2 s" in (result.reason or ""), result
    assert elapsed < 1.2


def test_deadline_is_total_not_per_read(api: LocalApi) -> None:
    # headers at once, then one body byte every 0.1 s: each read is quick, the whole answer is not
    case = CASES["github"]
    api.route(case.method, case.path, Reply(200, {"login": "octocat", "pad": "x" * 200}, drip=0.1))
    started = time.monotonic()
    result = run(api, cred_for(case), deadline=0.5)
    assert result.status == "unknown" and "within 0.5 s" in (result.reason or "")
    assert time.monotonic() - started < 1.0


def test_rate_limit_with_a_short_wait_is_retried(api: LocalApi) -> None:
    import email.utils
    import math

    case = CASES["github"]
    asked: list[float] = []
    retry_at: list[int] = []

    def answer(seen: Seen) -> Reply:
        asked.append(time.time())
        if len(asked) > 1:
            return case.live
        # Retry-After as an HTTP date (whole seconds), the first whole second at least 0.2 s away: a wait of
        # 0.2 to 1.2 s (in delta seconds, 1 s is the least a server can ask; test_forges' secondary limit)
        retry_at.append(math.ceil(asked[0] + 0.2))
        return Reply(429, {"message": "wait"}, (("Retry-After", email.utils.formatdate(retry_at[0], usegmt=True)),))

    api.route(case.method, case.path, answer)
    started = time.monotonic()
    result = run(api, cred_for(case))
    assert result.status == "live" and result.identity == "octocat"
    assert len(api.seen) == 2 and asked[1] >= retry_at[0] and time.monotonic() - started >= 0.2


def test_github_403_with_exhausted_rate_limit_is_a_rate_limit_not_a_revocation(api: LocalApi) -> None:
    case = CASES["github"]
    reset = str(int(time.time()) + 3600)
    headers = (("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset))
    api.route(case.method, case.path, Reply(403, {"message": "API rate limit exceeded"}, headers))
    result = run(api, cred_for(case))
    assert result.status == "unknown" and "rate limited" in (result.reason or "")


def test_server_error_and_oversized_answers_are_unknown(api: LocalApi) -> None:
    case = CASES["github"]
    api.route(case.method, case.path, Reply(503, {"message": "unavailable"}))
    assert run(api, cred_for(case)).reason == "unexpected answer (HTTP 503)"
    api.route(case.method, case.path, Reply(200, {"login": "x" * 5000}))
    result = run(api, cred_for(case), max_body=1000)
    assert result.status == "unknown" and "larger than 1000 bytes" in (result.reason or "")


def test_untrusted_certificate_is_unknown(api: LocalApi, tmp_path: Path) -> None:
    import trustme

    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    case = CASES["github"]
    api.route(case.method, case.path, case.live)
    result = run(api, cred_for(case), ca_file=str(other), ca_dir=None)
    assert result.status == "unknown" and result.reason == "TLS verification failed"
    assert api.seen == []


# ---------------------------------------------------------------------------------------------------
# what is never sent, and where


def test_missing_companion_values_send_nothing(api: LocalApi) -> None:
    for name in ("aws", "twilio", "dockerhub", "bitbucket", "shopify"):
        case = CASES[name]
        result = run(api, Credential(case.rule, case.secret, "sid", None, ()))
        assert result.status == "unknown" and result.reason and "needs" in result.reason, (name, result)
    temporary = run(api, Credential("aws.secret-access-key", "x" * 40, "sid", "ASIA" + "Q" * 16))
    assert temporary.status == "unknown" and "session token" in (temporary.reason or "")
    assert api.seen == []


def test_no_validator_sends_nothing(api: LocalApi) -> None:
    result = run(api, Credential("generic.password", "hunter2hunter2", "sid"))
    assert result.status == "unknown" and result.reason == "no validator for this rule"
    assert result.provider == "generic"
    assert api.seen == []


def test_self_hosted_gitlab_only_when_asked(api: LocalApi) -> None:
    case = CASES["gitlab"]
    cred = Credential(case.rule, case.secret, "sid", None, (("gitlab_url", api.url("selfhosted")),))
    refused = run(api, cred)
    assert refused.status == "unknown" and "--validate-self-hosted" in (refused.reason or "")
    assert api.seen == []
    api.route("GET", "/selfhosted/api/v4/user", case.live)
    allowed = run(api, cred, self_hosted=True)
    assert allowed.status == "live" and allowed.identity == "john_smith"
    assert [s.path for s in api.seen] == ["/selfhosted/api/v4/user"]
    plain = Credential(case.rule, case.secret, "sid", None, (("gitlab_url", "http://gitlab.corp.example"),))
    assert "not https" in (run(api, plain, self_hosted=True).reason or "")


def test_shop_domain_must_be_a_myshopify_host(api: LocalApi) -> None:
    case = CASES["shopify"]
    for shop in ("evil.example.com", "acme.myshopify.com.evil.example", "a/b.myshopify.com"):
        result = run(api, Credential(case.rule, case.secret, "sid", None, (("shop", shop),)))
        assert result.status == "unknown", shop
    assert api.seen == []


def test_default_targets_are_the_providers_own_hosts() -> None:
    registry = default_registry()
    mailchimp = registry.for_rule("mailchimp.api-key")
    assert mailchimp is not None
    targets = mailchimp.targets(Credential("mailchimp.api-key", "0" * 32 + "-us6", "s"), False)
    assert not isinstance(targets, str) and targets[0].base == "https://us6.api.mailchimp.com"
    shopify = registry.for_rule("shopify.access-token")
    assert shopify is not None
    shop = shopify.targets(Credential("shopify.access-token", "t", "s", None, (("shop", "acme.myshopify.com"),)), False)
    assert not isinstance(shop, str) and shop[0].base == "https://acme.myshopify.com"
    gitlab = registry.for_rule("gitlab.pat")
    assert gitlab is not None
    hosted = gitlab.targets(Credential("gitlab.pat", "t", "s"), False)
    assert not isinstance(hosted, str) and hosted[0].base == "https://gitlab.com"


def test_identity_holding_the_secret_is_dropped(api: LocalApi) -> None:
    case = CASES["npm"]
    api.route(case.method, case.path, Reply(200, {"username": f"user-{case.secret}"}))
    result = run(api, cred_for(case))
    assert result.status == "live" and result.identity is None


def test_regional_fallback_says_revoked_only_when_every_region_does(api: LocalApi) -> None:
    registry = default_registry()
    datadog = registry.for_rule("datadog.api-key")
    assert datadog is not None
    targets = datadog.targets(Credential("datadog.api-key", "0" * 32, "s"), False)
    assert not isinstance(targets, str) and len(targets) == 6
    # two regions on the local server: the first says invalid, the second live
    config = config_for(api)
    config = replace(config, base_urls=tuple((k, v) for k, v in config.base_urls if k != "datadog"))
    from credsweep.net.validators import Target

    two = Validator(
        datadog.provider, datadog.name, datadog.rules, datadog.endpoint, datadog.doc_url, datadog.reveals,
        lambda c, s: (Target(api.url("dd-us"), "dd-us"), Target(api.url("dd-eu"), "dd-eu")),
        datadog.build, datadog.judge,
    )
    api.route("GET", "/dd-us/api/v1/validate", Reply(403, {"errors": ["Forbidden"]}))
    api.route("GET", "/dd-eu/api/v1/validate", Reply(200, {"valid": True}))
    with NetClient(config) as client:
        result = validate_one(Credential("datadog.api-key", "0" * 32, "s"), client, Registry([two]), clock)
        assert result.status == "live"
        api.route("GET", "/dd-eu/api/v1/validate", Reply(403, {"errors": ["Forbidden"]}))
        assert validate_one(Credential("datadog.api-key", "0" * 32, "s"), client, Registry([two]), clock).status == "revoked"


def test_aws_request_is_signed_for_sts(api: LocalApi) -> None:
    case = CASES["aws"]
    api.route(case.method, case.path, case.live)
    run(api, cred_for(case))
    seen = api.seen[0]
    assert seen.body == b"Action=GetCallerIdentity&Version=2011-06-15"
    auth = seen.headers["authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIA" + "Q" * 16 + "/20250304/us-east-1/sts/aws4_request")
    assert "SignedHeaders=content-type;host;x-amz-date" in auth
    assert seen.headers["x-amz-date"] == "20250304T050607Z"
    assert case.secret not in json.dumps(seen.headers)


def test_sigv4_matches_aws_documented_examples() -> None:
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html (derived key)
    key = sigv4.signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")
    assert key.hex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
    # AWS SigV4 test suite, get-vanilla
    headers = sigv4.sign(
        access_key_id="AKIDEXAMPLE",
        secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region="us-east-1",
        service="service",
        method="GET",
        host="example.amazonaws.com",
        now=datetime(2015, 8, 30, 12, 36, tzinfo=timezone.utc),
    )
    assert dict(headers)["Authorization"].endswith(
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )


# ---------------------------------------------------------------------------------------------------
# validate_all: once per distinct secret, concurrently, cached


def test_validate_all_asks_once_per_distinct_secret(api: LocalApi, tmp_path: Path) -> None:
    case = CASES["github"]
    api.route(case.method, case.path, case.live)
    creds = [cred_for(case, "same"), cred_for(case, "same"), cred_for(CASES["npm"], "other")]
    api.route(CASES["npm"].method, CASES["npm"].path, CASES["npm"].revoked)
    cache = ValidationCache(tmp_path / "cache" / "validation.json", key=KEY)
    with NetClient(config_for(api)) as client:
        results = validate_all(creds, client, cache=cache, clock=clock)
    assert set(results) == {"same", "other"}
    assert results["same"].status == "live" and results["other"].status == "revoked"
    assert len(api.seen) == 2
    # cached: nothing is sent again within the TTL
    with NetClient(config_for(api)) as client:
        again = validate_all(creds, client, cache=cache, clock=lambda: FIXED + timedelta(hours=1))
    assert again == results and len(api.seen) == 2
    # after the TTL it is asked again
    with NetClient(config_for(api)) as client:
        validate_all(creds, client, cache=cache, clock=lambda: FIXED + timedelta(hours=25))
    assert len(api.seen) == 4


def test_cache_file_is_private_and_never_holds_the_secret(api: LocalApi, tmp_path: Path) -> None:
    case = CASES["github"]
    api.route(case.method, case.path, case.live)
    path = tmp_path / "c" / "credsweep" / "validation.json"
    with NetClient(config_for(api)) as client:
        validate_all([cred_for(case, "sid-x")], client, cache=ValidationCache(path, key=KEY), clock=clock)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text()
    assert case.secret not in text and "sid-x" in text and "octocat" in text
    assert [p.name for p in path.parent.iterdir()] == ["validation.json"]  # no temporary file left


def test_cache_skips_unknown_and_ignores_foreign_files(tmp_path: Path) -> None:
    path = tmp_path / "validation.json"
    cache = ValidationCache(path, key=KEY)
    unknown = Validation("unknown", "github", reason="timed out", checked_at="2025-03-04T05:06:07Z")
    live = Validation("live", "github", "octocat", ("repo",), None, "2025-03-04T05:06:07Z")
    cache.put_all({"a": unknown, "b": live}, FIXED)
    assert cache.get("a", FIXED) is None and cache.get("b", FIXED) == live
    path.write_text("not json")
    assert cache.get("b", FIXED) is None
    path.write_text(json.dumps({"version": 99, "entries": {"b": live.to_json()}}))
    assert cache.get("b", FIXED) is None


def test_cache_is_signed_and_a_planted_answer_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "validation.json"
    live = Validation("live", "github", "octocat", (), None, "2025-03-04T05:06:07Z")
    ValidationCache(path, key=KEY).put_all({"a": live}, FIXED)
    data = json.loads(path.read_text())
    data["entries"]["a"]["status"] = "revoked"  # someone who can write the cache folder quietens a live secret
    path.write_text(json.dumps(data))
    assert ValidationCache(path, key=KEY).get("a", FIXED) is None
    ValidationCache(path, key=KEY).put_all({"a": live}, FIXED)
    assert ValidationCache(path, key=b"other key" * 4).get("a", FIXED) is None
    # without a key nothing is read or written
    other = tmp_path / "none.json"
    ValidationCache(other).put_all({"a": live}, FIXED)
    assert not other.exists()


def test_cache_default_path_follows_xdg(tmp_path: Path) -> None:
    assert default_path({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "credsweep" / "validation.json"


# ---------------------------------------------------------------------------------------------------
# CREDSWEEP_API_BASE_URLS and the client's own checks


def test_base_url_file_from_environment(api: LocalApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "bases.toml"
    file.write_text(f'github = "{api.url("github")}"\nslack = "http://localhost:1/slack/"\n')
    monkeypatch.setenv(ENV_BASE_URLS, str(file))
    monkeypatch.setenv("SSL_CERT_FILE", str(api.ca_file))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    config = NetConfig.from_env(deadline=2.0)
    assert config.base_url("github") == api.url("github")
    assert config.base_url("slack") == "http://localhost:1/slack"
    assert config.ca_file == str(api.ca_file)
    case = CASES["github"]
    api.route(case.method, case.path, case.live)
    with NetClient(config) as client:
        assert validate_one(cred_for(case), client, default_registry(), clock).status == "live"


@pytest.mark.parametrize(
    "url",
    [
        "http://api.example.com",
        "http://10.0.0.1:8080",
        "ftp://127.0.0.1/",
        "https://user:pw@127.0.0.1/",
        "https://127.0.0.1/?q=1",
        "not a url",
        "https://127.0.0.1:99999/",
    ],
)
def test_base_url_must_be_https_or_loopback_http(url: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_base_url(url, "github")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("url", ["https://api.example.com", "http://127.0.0.1:8080/x", "http://[::1]:9/", "http://localhost/", "http://127.8.9.10/"])
def test_base_url_accepted(url: str) -> None:
    assert check_base_url(url, "x") == url.rstrip("/")


def test_bad_base_url_file_is_one_line_error(tmp_path: Path) -> None:
    file = tmp_path / "bases.toml"
    file.write_text('github = "http://evil.example"\n')
    with pytest.raises(ConfigError) as info:
        NetConfig.from_env({ENV_BASE_URLS: str(file)})
    assert "loopback" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ConfigError):
        NetConfig.from_env({ENV_BASE_URLS: str(tmp_path / "missing.toml")})
    file.write_text("github = [")
    with pytest.raises(ConfigError):
        NetConfig.from_env({ENV_BASE_URLS: str(file)})


def test_client_refuses_links_to_other_hosts_and_plain_http(api: LocalApi) -> None:
    with NetClient(config_for(api)) as client:
        with pytest.raises(NetworkError, match="leaves"):
            client.url(HttpRequest("github", "https://api.github.com", "https://evil.example/next"))
        with pytest.raises(NetworkError, match="only https"):
            client.url(HttpRequest("nobody", "http://api.example.com", "/x"))
        with pytest.raises(NetworkError, match="user name or password"):
            client.url(HttpRequest("nobody", "https://u:p@api.example.com", "/x"))
        url = client.url(HttpRequest("github", "https://api.github.com", "/user", params=(("a", "1 2"),)))
        assert url == api.url("github") + "/user?a=1+2"


def test_requests_never_logged(api: LocalApi, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    case = CASES["telegram"]  # the token is in the URL path
    api.route(case.method, case.path, case.live)
    with caplog.at_level(logging.DEBUG):
        run(api, cred_for(case))
    assert case.secret not in caplog.text


def test_nothing_imports_httpx_until_a_request(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys; import credsweep.net.validators, credsweep.net.providers, credsweep.net.forges, "
        "credsweep.net.cache; print('httpx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.stdout.strip() == "False"


def test_seen_helper_detects_basic_auth() -> None:
    import base64

    seen = Seen("GET", "/", (), {"authorization": "Basic " + base64.b64encode(b"api:key-123").decode()}, b"")
    assert seen.carries("key-123") and not seen.carries("other")


def test_docs_list_every_validated_provider() -> None:
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    for validator in VALIDATORS:
        assert f"`{validator.endpoint}`" in text, validator.provider
        assert validator.doc_url in text, validator.provider
        for rule in validator.rules:
            assert f"`{rule}`" in text, rule


# ---------------------------------------------------------------------------------------------------
# end to end: the real CLI in a real repository, every provider pointed at the local server


def cli_env(api: LocalApi, tmp_path: Path) -> dict[str, str]:
    bases = tmp_path / "api-bases.toml"
    bases.write_text("".join(f'{p} = "{api.url(p)}"\n' for p in sorted({v.provider for v in VALIDATORS})))
    return {ENV_BASE_URLS: str(bases), "SSL_CERT_FILE": str(api.ca_file), "SSL_CERT_DIR": ""}


def user_answer(login: str) -> Reply:
    return Reply(200, {"login": login, "id": 583231, "type": "User"}, (("X-OAuth-Scopes", "repo, gist"),))


@pytest.fixture
def leaky(tmp_path: Path) -> tuple[Path, str]:
    repo = make_repo(tmp_path / "leaky")
    token = fake_github_token()
    write(repo, "deploy/settings.py", f'GITHUB_TOKEN = "{token}"\n')
    commit_all(repo, "add settings")
    return repo, token


def secret_findings(result: Any) -> list[dict[str, Any]]:
    return [f for f in result.json()["findings"] if f["kind"] == "secret"]


def test_cli_scan_validate_live(api: LocalApi, tmp_path: Path, leaky: tuple[Path, str]) -> None:
    repo, token = leaky
    api.route("GET", "/github/user", user_answer("octocat"))
    result = run_cli("scan", str(repo), "--validate", "--format", "json", env=cli_env(api, tmp_path))
    assert result.code == 1, result
    [finding] = secret_findings(result)
    assert finding["rule"] == "github.pat.classic"
    validation = finding["validation"]
    assert validation["status"] == "live" and validation["identity"] == "octocat"
    assert validation["scopes"] == ["repo", "gist"] and validation["provider"] == "github"
    assert finding["advice"]["urgency"] == "critical" and "live" in finding["advice"]["why"]
    assert result.json()["groups"][0]["validation"]["status"] == "live"
    [seen] = api.seen
    assert seen.path == "/github/user" and seen.headers["authorization"] == f"Bearer {token}"
    assert token not in result.stdout and token not in result.stderr


def test_cli_scan_validate_revoked(api: LocalApi, tmp_path: Path, leaky: tuple[Path, str]) -> None:
    repo, token = leaky
    api.route("GET", "/github/user", Reply(401, {"message": "Bad credentials"}))
    result = run_cli("scan", str(repo), "--validate", "--format", "json", env=cli_env(api, tmp_path))
    [finding] = secret_findings(result)
    assert finding["validation"]["status"] == "revoked" and finding["validation"]["identity"] is None
    assert finding["advice"]["urgency"] == "low" and "revoked on" in finding["advice"]["why"]
    text = run_cli("scan", str(repo), "--validate", "--no-hygiene", env=cli_env(api, tmp_path))
    assert "revoked on 20" in text.stdout


def test_cli_scan_validate_no_answer_is_unknown_within_the_deadline(api: LocalApi, tmp_path: Path,
                                                                     leaky: tuple[Path, str]) -> None:
    repo, _ = leaky
    api.route("GET", "/github/user", Reply(hang=True))
    started = time.monotonic()
    result = run_cli("scan", str(repo), "--validate", "--validate-timeout", "0.3", "--format", "json",
                     env=cli_env(api, tmp_path))
    elapsed = time.monotonic() - started
    [finding] = secret_findings(result)
    assert finding["validation"]["status"] == "unknown"
    assert finding["validation"]["reason"] == "no complete answer within 0.3 s"
    assert elapsed < 15  # interpreter start and the scan, plus at most the 0.3 s deadline
    assert finding["advice"]["urgency"] != "low"


def test_cli_nothing_is_sent_without_validate(api: LocalApi, tmp_path: Path, leaky: tuple[Path, str]) -> None:
    repo, _ = leaky
    api.route("GET", "/github/user", user_answer("octocat"))
    env = cli_env(api, tmp_path)
    for args in (("scan", str(repo), "--format", "json"), ("history", str(repo), "--format", "json")):
        result = run_cli(*args, env=env)
        assert result.code == 1 and "validation" not in secret_findings(result)[0]
    assert api.seen == []
    # staged, the pre-commit hook, has no such option at all
    assert run_cli("staged", str(repo), "--validate", env=env).code == 2
    assert api.seen == []


def test_cli_history_validate_live_listed_first_in_every_format(api: LocalApi, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "two")
    dead, alive = fake_github_token(), fake_github_token()
    write(repo, "a_old.env", f"TOKEN={dead}\n")
    write(repo, "z_new.env", f"TOKEN={alive}\n")
    commit_all(repo, "two tokens")

    def answer(seen: Seen) -> Reply:
        return user_answer("hubot") if seen.headers["authorization"].endswith(alive) else Reply(401, {"message": "Bad credentials"})

    api.route("GET", "/github/user", answer)
    env = cli_env(api, tmp_path)
    data = run_cli("history", str(repo), "--validate", "--format", "json", env=env).json()
    groups = [g for g in data["groups"] if g["kind"] == "secret"]
    assert [g["validation"]["status"] for g in groups] == ["live", "revoked"]
    assert groups[0]["urgency"] == "critical" and groups[1]["urgency"] == "low"
    markdown = run_cli("history", str(repo), "--validate", "--format", "markdown", env=env).stdout
    assert markdown.index("**Validation:** live as hubot") < markdown.index("**Validation:** revoked on")
    text = run_cli("history", str(repo), "--validate", "-v", env=env).stdout
    assert "auth: live as hubot (scopes: repo, gist)" in text and "auth: revoked on" in text
    assert text.index("live as hubot") < text.index("revoked on")
    sarif = json.loads(run_cli("history", str(repo), "--validate", "--format", "sarif", env=env).stdout)
    statuses = {r["properties"]["validation"]["status"] for r in sarif["runs"][0]["results"] if "validation" in r["properties"]}
    assert statuses == {"live", "revoked"}
    assert any("(live as hubot" in r["message"]["text"] for r in sarif["runs"][0]["results"])
    # one distinct secret, one request: every format above re-used the cached answers
    assert len({s.headers["authorization"] for s in api.seen}) == 2 and len(api.seen) == 2


def test_cli_aws_pair_validated_with_sigv4(api: LocalApi, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "aws")
    key_id, secret = fake_aws_pair()
    write(repo, "creds.ini", f"aws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
    commit_all(repo, "aws")
    api.route("POST", "/aws/", CASES["aws"].live)
    result = run_cli("scan", str(repo), "--validate", "--format", "json", env=cli_env(api, tmp_path))
    checked = [f["validation"] for f in secret_findings(result) if f["rule"].startswith("aws.secret-access-key")]
    assert checked and checked[0]["status"] == "live"
    assert checked[0]["identity"] == "arn:aws:iam::123456789012:user/Alice"
    [seen] = [s for s in api.seen if s.path == "/aws/"]
    assert f"Credential={key_id}/" in seen.headers["authorization"] and secret not in json.dumps(seen.headers)


def test_cli_pre_push_validate_shows_live_in_the_block_message(api: LocalApi, tmp_path: Path) -> None:
    remote = make_repo(tmp_path / "remote.git", bare=True)
    repo = make_repo(tmp_path / "pusher")
    git(repo, "remote", "add", "origin", str(remote))
    token = fake_github_token()
    write(repo, "app.cfg", f"token={token}\n")
    head = commit_all(repo, "oops")
    api.route("GET", "/github/user", user_answer("pushbot"))
    lines = f"refs/heads/main {head} refs/heads/main {'0' * 40}\n"
    result = run_cli("pre-push", "origin", str(remote), "--path", str(repo), "--validate", input=lines,
                     env=cli_env(api, tmp_path))
    assert result.code == 1 and "[live as pushbot (scopes: repo, gist)]" in result.stderr, result
    assert token not in result.stderr


def test_cli_bad_base_url_file_is_one_line(api: LocalApi, tmp_path: Path, leaky: tuple[Path, str]) -> None:
    repo, _ = leaky
    bad = tmp_path / "bad.toml"
    bad.write_text('github = "http://api.example.com"\n')
    result = run_cli("scan", str(repo), "--validate", env={**cli_env(api, tmp_path), ENV_BASE_URLS: str(bad)})
    assert result.code == 2 and result.stderr.count("\n") == 1 and "loopback" in result.stderr
    assert "Traceback" not in result.stderr and api.seen == []


def test_companions_found_beside_the_secret() -> None:
    from credsweep.enrich.validation import companions

    sid = "AC" + "0123456789abcdef" * 2
    text = "\n".join([
        "# settings",
        f"TWILIO_ACCOUNT_SID={sid}",
        "TWILIO_AUTH_TOKEN=<here>",
        "SHOPIFY_STORE=acme-store.myshopify.com",
        "GITLAB_URL=https://git.acme.internal:8443/",
        "DOCKER_USERNAME=deployer",
        *[f"filler {i}" for i in range(100)],
        "far away: https://gitlab.far.example",
    ])
    assert dict(companions(text, 3)) == {
        "account_sid": sid, "shop": "acme-store.myshopify.com", "gitlab_url": "https://git.acme.internal:8443",
        "username": "deployer",
    }
    assert "gitlab_url" not in dict(companions("\n".join([*["x"] * 100, "GITLAB_URL=https://g.example"]), 1))


def test_cli_twilio_token_validated_with_the_account_sid_beside_it(api: LocalApi, tmp_path: Path) -> None:
    import secrets as random_source

    repo = make_repo(tmp_path / "twilio")
    sid = "AC" + random_source.token_hex(16)
    token = "".join(random_source.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
    write(repo, "config/twilio.env", f"TWILIO_ACCOUNT_SID={sid}\nTWILIO_AUTH_TOKEN={token}\n")
    commit_all(repo, "twilio")
    api.route("GET", f"/twilio/2010-04-01/Accounts/{sid}.json",
              Reply(200, {"sid": sid, "friendly_name": "Acme Production", "status": "active"}))
    result = run_cli("history", str(repo), "--validate", "--format", "json", env=cli_env(api, tmp_path))
    [checked] = [f["validation"] for f in secret_findings(result) if f["rule"] == "twilio.auth-token"]
    assert checked["status"] == "live" and checked["identity"] == "Acme Production"
    [seen] = api.seen
    assert seen.carries(token) and seen.carries(sid)


def test_cli_self_hosted_gitlab_only_with_the_flag(api: LocalApi, tmp_path: Path) -> None:
    import secrets as random_source

    repo = make_repo(tmp_path / "gitlab")
    token = "glpat-" + random_source.token_urlsafe(15).replace("-", "x").replace("_", "y")[:20]
    write(repo, ".gitlab.env", f"GITLAB_URL={api.url()}\nGITLAB_TOKEN={token}\n")
    commit_all(repo, "gitlab")
    api.route("GET", "/api/v4/user", Reply(200, {"id": 7, "username": "ops-bot"}))
    env = cli_env(api, tmp_path)
    refused = run_cli("scan", str(repo), "--validate", "--format", "json", env=env)
    [checked] = [f["validation"] for f in secret_findings(refused) if f["rule"] == "gitlab.pat"]
    assert checked["status"] == "unknown" and "--validate-self-hosted" in checked["reason"]
    assert api.seen == []
    allowed = run_cli("scan", str(repo), "--validate-self-hosted", "--format", "json", env=env)
    [checked] = [f["validation"] for f in secret_findings(allowed) if f["rule"] == "gitlab.pat"]
    assert checked["status"] == "live" and checked["identity"] == "ops-bot"
    assert [s.path for s in api.seen] == ["/api/v4/user"] and api.seen[0].headers["private-token"] == token


def test_the_hook_path_never_loads_the_network(tmp_path: Path, leaky: tuple[Path, str]) -> None:
    import subprocess

    repo, _ = leaky
    write(repo, "new.txt", "hello\n")
    git(repo, "add", "new.txt")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "credsweep", "staged"], cwd=repo,
                          capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert not {m for m in imported if m.startswith(("httpx", "credsweep.net", "credsweep.enrich.validation"))}
    assert "credsweep.entry" in imported or "credsweep" in imported


def test_https_proxy_from_the_environment_is_used(api: LocalApi, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on: the proxy is down
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("NO_PROXY", "")
    case = CASES["github"]
    api.route(case.method, case.path, case.live)
    result = run(api, cred_for(case))
    assert result.status == "unknown" and result.reason in ("proxy error", "could not connect")
    assert api.seen == []  # the request went to the proxy, not around it


def test_encrypted_private_key_reads_each_formats_protection() -> None:
    from credsweep.content.validators import encrypted_private_key

    body = "\n".join(["QUJD" * 16] * 20)
    assert encrypted_private_key("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,"
                                 f"0011\n\n{body}\n-----END RSA PRIVATE KEY-----")
    assert not encrypted_private_key(f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----")
    putty = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: {}\nComment: k\nPublic-Lines: 1\nAAAA\n"
    assert encrypted_private_key(putty.format("aes256-cbc"))
    assert not encrypted_private_key(putty.format("none"))
    # a block that does not decode is not called encrypted
    assert not encrypted_private_key("-----BEGIN OPENSSH PRIVATE KEY-----\n!!!!\n-----END OPENSSH PRIVATE KEY-----")
    assert not encrypted_private_key("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nAAAA\n-----END PGP PRIVATE KEY BLOCK-----")
