"""The built-in validators: for each provider, the documented, side-effect-free identity or
introspection call (doc URL in each entry), the rules it checks, and how its answers read.

Every call here only reads: who am I, what may this key do, list my models/projects. None creates,
changes or sends anything (Docker Hub's is its documented token exchange, the login itself). A
provider whose only check would have a side effect (posting to a webhook, uploading a package) has
no validator. Rules whose format is not unique to one provider (an ``.npmrc`` token for any registry,
a generic password) have none either: their secret would go to a host that may not be theirs.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from credsweep.net.client import HttpResponse
from credsweep.net.validators import (
    LIVE,
    REVOKED,
    UNKNOWN,
    Builder,
    Call,
    Credential,
    Judge,
    Target,
    Targets,
    Validator,
    Verdict,
)

Extract = Callable[[HttpResponse], "str | None"]
ScopeExtract = Callable[[HttpResponse], "tuple[str, ...]"]
Headers = tuple[tuple[str, str], ...]
Clock = Callable[[], datetime]

# ---------------------------------------------------------------------------------------------------
# reading answers


def dig(data: Any, path: str) -> Any:
    """The value at dotted ``path`` in parsed JSON (list indexes as numbers), or None."""
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text or None
    return None


def field_of(*paths: str) -> Extract:
    """The first non-empty scalar among JSON ``paths``."""

    def extract(response: HttpResponse) -> str | None:
        data = response.json()
        for path in paths:
            text = _text(dig(data, path))
            if text:
                return text
        return None

    return extract


def joined(*parts: tuple[str, str], sep: str = " / ") -> Extract:
    """Several JSON fields joined (``("team", "team.name")``...): the labelled parts present."""

    def extract(response: HttpResponse) -> str | None:
        data = response.json()
        found = [t for _, p in parts if (t := _text(dig(data, p)))]
        return sep.join(found) or None

    return extract


def listed(path: str, key: str, label: str, limit: int = 3) -> Extract:
    """"N <label>: a, b, c" from a JSON list at ``path`` (``""`` for the top level) of objects' ``key``."""

    def extract(response: HttpResponse) -> str | None:
        data = response.json()
        items = dig(data, path) if path else data
        if not isinstance(items, list):
            return None
        names = [t for item in items if (t := _text(dig(item, key)))]
        if not names:
            return f"{len(items)} {label}" if items else None
        more = ", ..." if len(names) > limit else ""
        return f"{len(items)} {label}: {', '.join(names[:limit])}{more}"

    return extract


def header_of(name: str) -> Extract:
    """A response header's value."""

    def extract(response: HttpResponse) -> str | None:
        value = response.header(name)
        return value.strip() if value and value.strip() else None

    return extract


def scopes_header(name: str) -> ScopeExtract:
    """Comma- or space-separated scopes from a header (``X-OAuth-Scopes``)."""

    def extract(response: HttpResponse) -> tuple[str, ...]:
        value = response.header(name) or ""
        return tuple(s for s in re.split(r"[,\s]+", value) if s)

    return extract


def scopes_list(path: str, key: str | None = None) -> ScopeExtract:
    """Scopes from a JSON list at ``path`` (of strings, or of objects' ``key``)."""

    def extract(response: HttpResponse) -> tuple[str, ...]:
        items = dig(response.json(), path)
        if not isinstance(items, list):
            return ()
        values = (dig(i, key) if key else i for i in items)
        return tuple(t for v in values if (t := _text(v)))

    return extract


def scopes_true(path: str) -> ScopeExtract:
    """The keys whose value is true in a JSON object at ``path`` (Honeycomb's ``api_key_access``)."""

    def extract(response: HttpResponse) -> tuple[str, ...]:
        items = dig(response.json(), path)
        return tuple(sorted(k for k, v in items.items() if v is True)) if isinstance(items, dict) else ()

    return extract


Special = Callable[[HttpResponse], "Verdict | None"]


def judged(
    identity: Extract | None = None,
    scopes: ScopeExtract | None = None,
    revoked: Sequence[int] = (401,),
    special: Special | None = None,
) -> Judge:
    """The common reading: ``special`` first (None: no opinion); then 2xx is live (identity and
    scopes from the answer), a status in ``revoked`` is revoked, anything else unknown."""

    def judge(response: HttpResponse) -> Verdict:
        if special is not None:
            verdict = special(response)
            if verdict is not None:
                return verdict
        if 200 <= response.status < 300:
            return Verdict(
                LIVE,
                identity(response) if identity else None,
                scopes(response) if scopes else (),
            )
        if response.status in revoked:
            return Verdict(REVOKED, reason=f"HTTP {response.status}")
        return Verdict(UNKNOWN, reason=f"unexpected answer (HTTP {response.status})")

    return judge


def _error_code(value: Any) -> str:
    """A provider's error code, cut to a safe identifier (it is shown in reasons)."""
    return re.sub(r"[^A-Za-z0-9_.\-]", "", str(value))[:60] if value is not None else ""


# ---------------------------------------------------------------------------------------------------
# building calls


def one(base: str, service: str) -> Targets:
    """A single fixed base URL."""
    targets = (Target(base, service),)
    return lambda cred, self_hosted: targets


def many(service: str, *bases: str) -> Targets:
    """Several documented regional bases, asked in order until one says live."""
    targets = tuple(Target(b, service) for b in bases)
    return lambda cred, self_hosted: targets


Auth = Callable[[Credential], "Headers | str"]


def bearer(scheme: str = "Bearer", name: str = "Authorization") -> Auth:
    """``Authorization: Bearer <secret>`` (or another scheme or header)."""
    return lambda cred: ((name, f"{scheme} {cred.secret}" if scheme else cred.secret),)


def header(name: str) -> Auth:
    """The secret as a header's value."""
    return lambda cred: ((name, cred.secret),)


def basic(
    user: Callable[[Credential], str | None],
    password: Callable[[Credential], str | None],
    missing: str = "a companion value it needs was not found beside the secret",
) -> Auth:
    """HTTP Basic with the given user and password parts (a missing part: the reason ``missing``)."""

    def auth(cred: Credential) -> Headers | str:
        u, p = user(cred), password(cred)
        if u is None or p is None:
            return missing
        token = base64.b64encode(f"{u}:{p}".encode()).decode("ascii")
        return (("Authorization", f"Basic {token}"),)

    return auth


def request(
    path: str,
    auth: Auth | None,
    headers: Headers = (),
    *,
    method: str = "GET",
    body: bytes | None = None,
    params: tuple[tuple[str, str], ...] = (),
) -> Builder:
    """A fixed call with the credential in its ``auth`` headers."""

    def build(cred: Credential, base: str, clock: Clock) -> Call | str:
        sent = auth(cred) if auth else ()
        if isinstance(sent, str):
            return sent
        return Call(path, method, (*headers, *sent), body, params)

    return build


JSON = (("Content-Type", "application/json"), ("Accept", "application/json"))


def _json_body(value: object) -> bytes:
    return json.dumps(value).encode()


def graphql(path: str, query: str, auth: Auth, headers: Headers = ()) -> Builder:
    """A read-only GraphQL query (POST)."""
    return request(path, auth, (*JSON, *headers), method="POST", body=_json_body({"query": query}))


def _companion(*names: str) -> Callable[[Credential], str | None]:
    """The finding's identifier, else the first of ``names`` among its hints."""

    def pick(cred: Credential) -> str | None:
        if cred.identifier:
            return cred.identifier
        for name in names:
            value = cred.hint(name)
            if value:
                return value
        return None

    return pick


def _secret(cred: Credential) -> str:
    return cred.secret


# ---------------------------------------------------------------------------------------------------
# providers with a particular shape


def _installation_identity(response: HttpResponse) -> str | None:
    data = response.json()
    owner, count = _text(dig(data, "repositories.0.owner.login")), _text(dig(data, "total_count"))
    if owner and count:
        return f"{owner} ({count} repositories)"
    return owner or (f"{count} repositories" if count else None)


def _slack_special(response: HttpResponse) -> Verdict | None:
    # https://api.slack.com/methods/auth.test: HTTP 200 always; {"ok": false, "error": "invalid_auth"}
    data = response.json()
    if response.status != 200 or not isinstance(data, dict):
        return None
    if data.get("ok") is True:
        who = " @ ".join(t for t in (_text(data.get("user")), _text(data.get("team"))) if t)
        return Verdict(LIVE, who or _text(data.get("bot_id")), scopes_header("x-oauth-scopes")(response))
    error = _error_code(data.get("error"))
    if error in {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "no_permission"}:
        return Verdict(REVOKED, reason=error)
    return Verdict(UNKNOWN, reason=f"Slack error {error or 'unknown'}")


_AWS_KEY_ID = re.compile(r"(AKIA|ABIA|ACCA|ASIA)[A-Z2-7]{16}\Z")
_STS_BODY = b"Action=GetCallerIdentity&Version=2011-06-15"


def _aws_build(cred: Credential, base: str, clock: Clock) -> Call | str:
    from credsweep.net import sigv4

    key_id = cred.identifier or cred.hint("access_key_id")
    if not key_id or not _AWS_KEY_ID.match(key_id):
        return "needs its access key id (none found beside the secret)"
    if key_id.startswith("ASIA"):
        return "a temporary key (ASIA...) needs its session token"
    parts = urlsplit(base)
    headers = sigv4.sign(
        access_key_id=key_id,
        secret_key=cred.secret,
        region="us-east-1",
        service="sts",
        method="POST",
        host=parts.netloc,
        path=(parts.path or "") + "/",
        headers=(("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),),
        body=_STS_BODY,
        now=clock(),
    )
    return Call("/", "POST", headers, _STS_BODY)


def _xml(tag: str, text: str) -> str | None:
    found = re.search(rf"<{tag}>([^<]{{1,2048}})</{tag}>", text)
    return found.group(1).strip() if found else None


def _aws_judge(response: HttpResponse) -> Verdict:
    # https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
    # https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
    text = response.body.decode("utf-8", "replace")
    if response.status == 200:
        arn = _xml("Arn", text)
        account = _xml("Account", text)
        return Verdict(LIVE, arn or (f"account {account}" if account else None))
    code = _error_code(_xml("Code", text))
    if code in {"InvalidClientTokenId", "ExpiredToken", "InvalidAccessKeyId"}:
        return Verdict(REVOKED, reason=code)
    if code == "SignatureDoesNotMatch":
        return Verdict(REVOKED, reason="SignatureDoesNotMatch: the key id exists but this is not its secret")
    return Verdict(UNKNOWN, reason=f"unexpected answer (HTTP {response.status}{', ' + code if code else ''})")


def _stripe_special(response: HttpResponse) -> Verdict | None:
    # a restricted key without the account-read permission: 403 permission_error (the key works)
    if response.status == 403 and dig(response.json(), "error.type") == "permission_error":
        return Verdict(LIVE, reason="restricted key (cannot read the account)")
    return None


_TWILIO_SID = re.compile(r"AC[0-9a-f]{32}\Z")


def _twilio_build(cred: Credential, base: str, clock: Clock) -> Call | str:
    sid = _companion("account_sid")(cred)
    if not sid or not _TWILIO_SID.match(sid):
        return "needs its account SID (AC...; none found beside the secret)"
    token = base64.b64encode(f"{sid}:{cred.secret}".encode()).decode("ascii")
    return Call(f"/2010-04-01/Accounts/{sid}.json", headers=(("Authorization", f"Basic {token}"),))


def _twilio_special(response: HttpResponse) -> Verdict | None:
    if response.status == 200 and dig(response.json(), "status") == "closed":
        return Verdict(REVOKED, reason="the account is closed")
    return None


def _openai_special(response: HttpResponse) -> Verdict | None:
    # a restricted key without models.read: 403 "... Missing scopes: api.model.read" (the key works)
    if response.status == 403 and "missing scopes" in str(dig(response.json(), "error.message")).lower():
        return Verdict(LIVE, header_of("openai-organization")(response), reason="restricted key")
    return None


_GOOGLE_REVOKED = {"API_KEY_INVALID", "API_KEY_EXPIRED"}
_GOOGLE_LIVE = {
    "SERVICE_DISABLED",
    "API_KEY_SERVICE_BLOCKED",
    "API_KEY_HTTP_REFERRER_BLOCKED",
    "API_KEY_IP_ADDRESS_BLOCKED",
    "API_KEY_ANDROID_APP_BLOCKED",
    "API_KEY_IOS_APP_BLOCKED",
}


def _google_special(response: HttpResponse) -> Verdict | None:
    # https://cloud.google.com/apis/design/errors#error_info: google.rpc.ErrorInfo reason
    if response.status < 400:
        return None
    details = dig(response.json(), "error.details")
    for item in details if isinstance(details, list) else ():
        reason = _error_code(dig(item, "reason"))
        if reason in _GOOGLE_REVOKED:
            return Verdict(REVOKED, reason=reason)
        if reason in _GOOGLE_LIVE:
            consumer = _text(dig(item, "metadata.consumer"))
            return Verdict(LIVE, consumer, reason=f"key valid; this API refused it ({reason})")
    return None


def _azure_devops_special(response: HttpResponse) -> Verdict | None:
    # an invalid PAT gets 203 Non-Authoritative with the sign-in page, or 401
    if response.status == 203:
        return Verdict(REVOKED, reason="HTTP 203 (sign-in page)")
    return None


def _cloudflare_special(response: HttpResponse) -> Verdict | None:
    data = response.json()
    if response.status == 200 and isinstance(data, dict):
        status = _text(dig(data, "result.status"))
        if data.get("success") is True and status == "active":
            return Verdict(LIVE, _text(dig(data, "result.id")))
        if status in {"disabled", "expired"}:
            return Verdict(REVOKED, reason=f"token {status}")
    errors = dig(data, "errors")
    if isinstance(errors, list) and any(dig(e, "code") in (1000, 6003, 6111) for e in errors):
        return Verdict(REVOKED, reason="invalid API token")
    return None


def _linear_special(response: HttpResponse) -> Verdict | None:
    errors = dig(response.json(), "errors")
    if isinstance(errors, list) and errors:
        codes = {dig(e, "extensions.code") for e in errors}
        if "AUTHENTICATION_ERROR" in codes:
            return Verdict(REVOKED, reason="AUTHENTICATION_ERROR")
        if response.status == 200:
            return Verdict(UNKNOWN, reason="GraphQL error")
    return None


def _cohere_special(response: HttpResponse) -> Verdict | None:
    data = response.json()
    if response.status == 200 and isinstance(data, dict) and data.get("valid") is False:
        return Verdict(REVOKED, reason="valid: false")
    return None


def _mapbox_special(response: HttpResponse) -> Verdict | None:
    # https://docs.mapbox.com/api/accounts/tokens/#retrieve-a-token: code TokenValid / TokenInvalid / ...
    code = _error_code(dig(response.json(), "code"))
    if code == "TokenValid":
        return Verdict(LIVE, _text(dig(response.json(), "token.user")), scopes_list("token.scopes")(response))
    if code in {"TokenInvalid", "TokenExpired", "TokenRevoked", "TokenMalformed"}:
        return Verdict(REVOKED, reason=code)
    return None


def _mandrill_special(response: HttpResponse) -> Verdict | None:
    # https://mailchimp.com/developer/transactional/docs/fundamentals/#api-errors: HTTP 500, name Invalid_Key
    data = response.json()
    if response.status == 500 and isinstance(data, dict) and data.get("name") == "Invalid_Key":
        return Verdict(REVOKED, reason="Invalid_Key")
    return None


def _sparkpost_special(response: HttpResponse) -> Verdict | None:
    if response.status == 403:
        return Verdict(LIVE, reason="key lacks the Account: Read-only grant")
    return None


_MAILCHIMP_DC = re.compile(r"-(us[0-9]{1,2})\Z")


def _mailchimp_targets(cred: Credential, self_hosted: bool) -> tuple[Target, ...] | str:
    # the data centre is the key's own suffix: https://mailchimp.com/developer/marketing/docs/fundamentals/#api-structure
    found = _MAILCHIMP_DC.search(cred.secret)
    if not found:
        return "no data centre suffix (-usN) in the key"
    return (Target(f"https://{found.group(1)}.api.mailchimp.com", "mailchimp"),)


_SHOP = re.compile(r"[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com\Z")


def _shopify_targets(cred: Credential, self_hosted: bool) -> tuple[Target, ...] | str:
    shop = (cred.hint("shop") or "").lower()
    if not _SHOP.match(shop):
        return "needs its shop domain (NAME.myshopify.com; none found beside the token)"
    return (Target(f"https://{shop}", "shopify"),)


def _gitlab_targets(cred: Credential, self_hosted: bool) -> tuple[Target, ...] | str:
    from credsweep.errors import CredsweepError
    from credsweep.net.config import check_base_url

    url = cred.hint("gitlab_url")
    if url and urlsplit(url).hostname not in ("gitlab.com", "www.gitlab.com"):
        if not self_hosted:
            return "a self-hosted GitLab token: validated only with --validate-self-hosted"
        try:
            return (Target(check_base_url(url, "GitLab URL"), "gitlab-self-hosted"),)
        except CredsweepError:
            return "the self-hosted GitLab URL beside the token is not https://"
    return (Target("https://gitlab.com", "gitlab"),)


_TELEGRAM = re.compile(r"[0-9]{5,16}:[A-Za-z0-9_-]{30,}\Z")


def _telegram_build(cred: Credential, base: str, clock: Clock) -> Call | str:
    # https://core.telegram.org/bots/api#making-requests: the token is part of the URL path
    if not _TELEGRAM.match(cred.secret):
        return "not a bot token's shape"
    return Call(f"/bot{quote(cred.secret, safe=':')}/getMe")


def _mapbox_build(cred: Credential, base: str, clock: Clock) -> Call | str:
    return Call("/tokens/v2", params=(("access_token", cred.secret),))


def _mandrill_build(cred: Credential, base: str, clock: Clock) -> Call | str:
    return Call("/api/1.0/users/info", "POST", JSON, _json_body({"key": cred.secret}))


def _dockerhub_build(cred: Credential, base: str, clock: Clock) -> Call | str:
    user = _companion("username")(cred)
    if not user:
        return "needs its Docker ID (user name; none found beside the token)"
    return Call("/v2/auth/token", "POST", JSON, _json_body({"identifier": user, "secret": cred.secret}))


def _dockerhub_special(response: HttpResponse) -> Verdict | None:
    if response.status == 200:
        return Verdict(LIVE)  # the answer's access_token is not read further
    return None


def _gitlab_runner_build(cred: Credential, base: str, clock: Clock) -> Call | str:
    body = f"token={quote(cred.secret, safe='')}".encode()
    return Call("/api/v4/runners/verify", "POST", (("Content-Type", "application/x-www-form-urlencoded"),), body)


# ---------------------------------------------------------------------------------------------------
# the table

V = Validator

VALIDATORS: tuple[Validator, ...] = (
    V(
        "github", "GitHub",
        ("github.pat.classic", "github.pat.fine-grained", "github.oauth", "github.user-to-server"),
        "GET https://api.github.com/user",
        "https://docs.github.com/en/rest/users/users#get-the-authenticated-user",
        "the user's login; a classic token's OAuth scopes (X-OAuth-Scopes)",
        one("https://api.github.com", "github"),
        request("/user", bearer(), (("Accept", "application/vnd.github+json"), ("X-GitHub-Api-Version", "2022-11-28"))),
        judged(field_of("login"), scopes_header("x-oauth-scopes")),
    ),
    V(
        "github", "GitHub (app installation)",
        ("github.server-to-server",),
        "GET https://api.github.com/installation/repositories?per_page=3",
        "https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation",
        "how many repositories the installation token reaches, and their owner",
        one("https://api.github.com", "github"),
        request(
            "/installation/repositories",
            bearer(),
            (("Accept", "application/vnd.github+json"), ("X-GitHub-Api-Version", "2022-11-28")),
            params=(("per_page", "3"),),
        ),
        judged(_installation_identity),
    ),
    V(
        "gitlab", "GitLab",
        ("gitlab.pat",),
        "GET https://gitlab.com/api/v4/user",
        "https://docs.gitlab.com/ee/api/users.html#for-non-administrator-users",
        "the user's username (a self-hosted instance only with --validate-self-hosted)",
        _gitlab_targets,
        request("/api/v4/user", header("PRIVATE-TOKEN")),
        judged(field_of("username")),
    ),
    V(
        "gitlab", "GitLab (runner)",
        ("gitlab.runner-token",),
        "POST https://gitlab.com/api/v4/runners/verify",
        "https://docs.gitlab.com/ee/api/runners.html#verify-authentication-for-a-registered-runner",
        "whether the runner authentication token is registered (its runner id)",
        _gitlab_targets,
        _gitlab_runner_build,
        judged(lambda r: f"runner {i}" if (i := _text(dig(r.json(), "id"))) else None, revoked=(401, 403)),
    ),
    V(
        "bitbucket", "Bitbucket",
        ("bitbucket.app-password",),
        "GET https://api.bitbucket.org/2.0/user",
        "https://developer.atlassian.com/cloud/bitbucket/rest/api-group-users/#api-user-get",
        "the account's username and the app password's scopes (X-OAuth-Scopes)",
        one("https://api.bitbucket.org", "bitbucket"),
        request("/2.0/user", basic(_companion("username"), _secret, "needs the Bitbucket username (none found beside it)")),
        judged(field_of("username", "display_name"), scopes_header("x-oauth-scopes")),
        needs="the Bitbucket username",
        identity_of=_companion("username"),
    ),
    V(
        "slack", "Slack",
        ("slack.bot-token", "slack.user-token", "slack.legacy-token"),
        "POST https://slack.com/api/auth.test",
        "https://api.slack.com/methods/auth.test",
        "the user or bot and the workspace; the token's OAuth scopes (X-OAuth-Scopes)",
        one("https://slack.com/api", "slack"),
        request(
            "/auth.test", bearer(), (("Content-Type", "application/x-www-form-urlencoded"),), method="POST", body=b""
        ),
        judged(special=_slack_special),
    ),
    V(
        "aws", "Amazon Web Services",
        ("aws.secret-access-key",),
        "POST https://sts.amazonaws.com/ Action=GetCallerIdentity (SigV4)",
        "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
        "the principal's ARN (account, user or role); needs no permission",
        one("https://sts.amazonaws.com", "aws"),
        _aws_build,
        _aws_judge,
        needs="the access key id (paired by the aws.access-key-id rule)",
    ),
    V(
        "stripe", "Stripe",
        ("stripe.secret-key", "stripe.restricted-key", "stripe.test-secret-key"),
        "GET https://api.stripe.com/v1/account",
        "https://docs.stripe.com/api/accounts/retrieve",
        "the account id and display name or email (a restricted key that cannot read it: still live)",
        one("https://api.stripe.com", "stripe"),
        request("/v1/account", bearer()),
        judged(field_of("settings.dashboard.display_name", "email", "id"), special=_stripe_special),
    ),
    V(
        "twilio", "Twilio",
        ("twilio.auth-token",),
        "GET https://api.twilio.com/2010-04-01/Accounts/{AccountSid}.json",
        "https://www.twilio.com/docs/iam/api/account#fetch-an-account-resource",
        "the account's friendly name and status",
        one("https://api.twilio.com", "twilio"),
        _twilio_build,
        judged(field_of("friendly_name", "sid"), special=_twilio_special),
        needs="the account SID (AC...)",
    ),
    V(
        "sendgrid", "SendGrid",
        ("sendgrid.api-key",),
        "GET https://api.sendgrid.com/v3/scopes",
        "https://www.twilio.com/docs/sendgrid/api-reference/api-key-permissions/retrieve-a-list-of-scopes-for-which-this-user-has-access",
        "the key's scopes (its whole permission list)",
        one("https://api.sendgrid.com", "sendgrid"),
        request("/v3/scopes", bearer()),
        judged(scopes=scopes_list("scopes"), revoked=(401, 403)),
    ),
    V(
        "mailgun", "Mailgun",
        ("mailgun.api-key",),
        "GET https://api.mailgun.net/v3/domains (then the EU region, api.eu.mailgun.net)",
        "https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/tag/Domains/#tag/Domains/operation/GET-v4-domains",
        "the sending domains the key manages",
        many("mailgun", "https://api.mailgun.net", "https://api.eu.mailgun.net"),
        request("/v3/domains", basic(lambda c: "api", _secret), params=(("limit", "10"),)),
        judged(listed("items", "name", "domains")),
    ),
    V(
        "openai", "OpenAI",
        ("openai.api-key",),
        "GET https://api.openai.com/v1/models",
        "https://platform.openai.com/docs/api-reference/models/list",
        "the organization (openai-organization header); a restricted key lacking model access is still live",
        one("https://api.openai.com", "openai"),
        request("/v1/models", bearer()),
        judged(header_of("openai-organization"), special=_openai_special),
    ),
    V(
        "anthropic", "Anthropic",
        ("anthropic.api-key",),
        "GET https://api.anthropic.com/v1/models",
        "https://docs.anthropic.com/en/api/models-list",
        "that the key works (the organization id header, when sent)",
        one("https://api.anthropic.com", "anthropic"),
        request("/v1/models", header("x-api-key"), (("anthropic-version", "2023-06-01"),), params=(("limit", "1"),)),
        judged(header_of("anthropic-organization-id")),
    ),
    V(
        "anthropic", "Anthropic (Admin API)",
        ("anthropic.admin-key",),
        "GET https://api.anthropic.com/v1/organizations/me",
        "https://docs.anthropic.com/en/api/admin-api/organization/get-me",
        "the organization's name and id",
        one("https://api.anthropic.com", "anthropic"),
        request("/v1/organizations/me", header("x-api-key"), (("anthropic-version", "2023-06-01"),)),
        judged(field_of("name", "id")),
    ),
    V(
        "huggingface", "Hugging Face",
        ("huggingface.token",),
        "GET https://huggingface.co/api/whoami-v2",
        "https://huggingface.co/docs/hub/api#get-apiwhoami-v2",
        "the user or organization name and the token's role (read, write, fineGrained)",
        one("https://huggingface.co", "huggingface"),
        request("/api/whoami-v2", bearer()),
        judged(field_of("name"), lambda r: tuple(t for t in [_text(dig(r.json(), "auth.accessToken.role"))] if t)),
    ),
    V(
        "npm", "npm",
        ("npm.access-token",),
        "GET https://registry.npmjs.org/-/whoami",
        "https://docs.npmjs.com/cli/v10/commands/npm-whoami",
        "the npm username",
        one("https://registry.npmjs.org", "npm"),
        request("/-/whoami", bearer()),
        judged(field_of("username")),
    ),
    V(
        "dockerhub", "Docker Hub",
        ("dockerhub.pat",),
        "POST https://hub.docker.com/v2/auth/token",
        "https://docs.docker.com/reference/api/hub/latest/#tag/authentication-api/operation/AuthCreateAccessToken",
        "that the Docker ID and token log in (the short-lived token returned is discarded)",
        one("https://hub.docker.com", "dockerhub"),
        _dockerhub_build,
        judged(special=_dockerhub_special),
        needs="the Docker ID (user name)",
        identity_of=_companion("username"),
    ),
    V(
        "digitalocean", "DigitalOcean",
        ("digitalocean.token",),
        "GET https://api.digitalocean.com/v2/account",
        "https://docs.digitalocean.com/reference/api/digitalocean/#tag/Account/operation/account_get",
        "the account's email, team and status",
        one("https://api.digitalocean.com", "digitalocean"),
        request("/v2/account", bearer()),
        judged(joined(("email", "account.email"), ("team", "account.team.name"))),
    ),
    V(
        "heroku", "Heroku",
        ("heroku.api-key-uuid", "heroku.api-key"),
        "GET https://api.heroku.com/account",
        "https://devcenter.heroku.com/articles/platform-api-reference#account-info",
        "the account's email",
        one("https://api.heroku.com", "heroku"),
        request("/account", bearer(), (("Accept", "application/vnd.heroku+json; version=3"),)),
        judged(field_of("email", "id")),
    ),
    V(
        "datadog", "Datadog",
        ("datadog.api-key",),
        "GET https://api.datadoghq.com/api/v1/validate (then the EU, US3, US5, AP1 and US1-FED sites)",
        "https://docs.datadoghq.com/api/latest/authentication/#validate-api-key",
        "that the API key is valid on one of Datadog's sites",
        many(
            "datadog",
            "https://api.datadoghq.com",
            "https://api.datadoghq.eu",
            "https://api.us3.datadoghq.com",
            "https://api.us5.datadoghq.com",
            "https://api.ap1.datadoghq.com",
            "https://api.ddog-gov.com",
        ),
        request("/api/v1/validate", header("DD-API-KEY"), (("Accept", "application/json"),)),
        judged(revoked=(401, 403)),
    ),
    V(
        "shopify", "Shopify",
        ("shopify.access-token",),
        "GET https://{shop}.myshopify.com/admin/oauth/access_scopes.json",
        "https://shopify.dev/docs/api/admin-rest/latest/resources/accessscope",
        "the access scopes the token holds on that shop",
        _shopify_targets,
        request("/admin/oauth/access_scopes.json", header("X-Shopify-Access-Token")),
        judged(scopes=scopes_list("access_scopes", "handle")),
        needs="the shop's myshopify.com domain",
        identity_of=lambda c: c.hint("shop"),
    ),
    V(
        "discord", "Discord",
        ("discord.bot-token",),
        "GET https://discord.com/api/v10/users/@me",
        "https://discord.com/developers/docs/resources/user#get-current-user",
        "the bot's username and id",
        one("https://discord.com/api/v10", "discord"),
        request("/users/@me", bearer("Bot")),
        judged(field_of("username", "id")),
    ),
    V(
        "telegram", "Telegram",
        ("telegram.bot-token",),
        "GET https://api.telegram.org/bot<token>/getMe",
        "https://core.telegram.org/bots/api#getme",
        "the bot's username",
        one("https://api.telegram.org", "telegram"),
        _telegram_build,
        judged(field_of("result.username", "result.id")),
    ),
    V(
        "google", "Google Cloud (API key)",
        ("google.api-key",),
        "GET https://generativelanguage.googleapis.com/v1beta/models?pageSize=1 (key in x-goog-api-key)",
        "https://cloud.google.com/docs/authentication/api-keys-use",
        "that the key exists (Google answers API_KEY_INVALID otherwise); the project number when the API is disabled for it",
        one("https://generativelanguage.googleapis.com", "google"),
        request("/v1beta/models", header("x-goog-api-key"), params=(("pageSize", "1"),)),
        judged(scopes=lambda r: ("generativelanguage",), special=_google_special),
    ),
    V(
        "google", "Google (OAuth 2.0 access token)",
        ("google.oauth-access-token",),
        "GET https://www.googleapis.com/oauth2/v3/tokeninfo?access_token=<token>",
        "https://developers.google.com/identity/protocols/oauth2/javascript-implicit-flow#tokeninfo-validation",
        "the account's email (when the token has that scope), the client it was issued to, and its scopes",
        one("https://www.googleapis.com", "google"),
        lambda cred, base, clock: Call("/oauth2/v3/tokeninfo", params=(("access_token", cred.secret),)),
        judged(field_of("email", "azp", "aud"), lambda r: tuple((_text(dig(r.json(), "scope")) or "").split()),
               revoked=(400, 401)),
    ),
    V(
        "azure-devops", "Azure DevOps",
        ("azure-devops.pat", "azure-devops.api-key"),
        "GET https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1",
        "https://learn.microsoft.com/en-us/rest/api/azure/devops/profile/profiles/get?view=azure-devops-rest-7.1",
        "the profile's display name and email",
        one("https://app.vssps.visualstudio.com", "azure-devops"),
        request(
            "/_apis/profile/profiles/me", basic(lambda c: "", _secret), params=(("api-version", "7.1"),)
        ),
        judged(field_of("emailAddress", "displayName", "id"), special=_azure_devops_special),
    ),
    V(
        "circleci", "CircleCI",
        ("circleci.personal-token",),
        "GET https://circleci.com/api/v2/me",
        "https://circleci.com/docs/api/v2/index.html#operation/getCurrentUser",
        "the user's login",
        one("https://circleci.com", "circleci"),
        request("/api/v2/me", header("Circle-Token")),
        judged(field_of("login", "name", "id")),
    ),
    V(
        "cloudflare", "Cloudflare",
        ("cloudflare.api-token",),
        "GET https://api.cloudflare.com/client/v4/user/tokens/verify",
        "https://developers.cloudflare.com/api/resources/user/subresources/tokens/methods/verify/",
        "the token's id and status (active, disabled, expired)",
        one("https://api.cloudflare.com", "cloudflare"),
        request("/client/v4/user/tokens/verify", bearer()),
        judged(field_of("result.id"), special=_cloudflare_special),
    ),
    V(
        "linear", "Linear",
        ("linear.api-key",),
        "POST https://api.linear.app/graphql { viewer { id name email } }",
        "https://linear.app/developers/graphql#authentication",
        "the user's email and name",
        one("https://api.linear.app", "linear"),
        graphql("/graphql", "{ viewer { id name email } }", bearer("")),
        judged(field_of("data.viewer.email", "data.viewer.name"), special=_linear_special, revoked=(401,)),
    ),
    V(
        "notion", "Notion",
        ("notion.integration-secret", "notion.legacy-secret"),
        "GET https://api.notion.com/v1/users/me",
        "https://developers.notion.com/reference/get-self",
        "the integration's bot name and workspace",
        one("https://api.notion.com", "notion"),
        request("/v1/users/me", bearer(), (("Notion-Version", "2022-06-28"),)),
        judged(joined(("name", "name"), ("workspace", "bot.workspace_name"))),
    ),
    V(
        "netlify", "Netlify",
        ("netlify.pat",),
        "GET https://api.netlify.com/api/v1/user",
        "https://open-api.netlify.com/#tag/user/operation/getCurrentUser",
        "the user's email",
        one("https://api.netlify.com", "netlify"),
        request("/api/v1/user", bearer()),
        judged(field_of("email", "full_name", "id")),
    ),
    V(
        "figma", "Figma",
        ("figma.pat",),
        "GET https://api.figma.com/v1/me",
        "https://www.figma.com/developers/api#get-me-endpoint",
        "the user's email and handle",
        one("https://api.figma.com", "figma"),
        request("/v1/me", header("X-Figma-Token")),
        judged(field_of("email", "handle", "id"), revoked=(401, 403)),
    ),
    V(
        "airtable", "Airtable",
        ("airtable.pat",),
        "GET https://api.airtable.com/v0/meta/whoami",
        "https://airtable.com/developers/web/api/get-user-id-scopes",
        "the user id (email with user.email:read) and the token's scopes",
        one("https://api.airtable.com", "airtable"),
        request("/v0/meta/whoami", bearer()),
        judged(field_of("email", "id"), scopes_list("scopes")),
    ),
    V(
        "postman", "Postman",
        ("postman.api-key",),
        "GET https://api.getpostman.com/me",
        "https://learning.postman.com/docs/developer/postman-api/intro-api/",
        "the user's username and email",
        one("https://api.getpostman.com", "postman"),
        request("/me", header("X-API-Key")),
        judged(field_of("user.username", "user.email", "user.id")),
    ),
    V(
        "pagerduty", "PagerDuty",
        ("pagerduty.api-key",),
        "GET https://api.pagerduty.com/abilities",
        "https://developer.pagerduty.com/api-reference/2ba1a5d6a6f7b-list-abilities",
        "the account's abilities (what the key can reach)",
        one("https://api.pagerduty.com", "pagerduty"),
        request(
            "/abilities",
            lambda c: (("Authorization", f"Token token={c.secret}"),),
            (("Accept", "application/vnd.pagerduty+json;version=2"),),
        ),
        judged(scopes=scopes_list("abilities")),
    ),
    V(
        "sentry", "Sentry",
        ("sentry.user-token",),
        "GET https://sentry.io/api/0/organizations/",
        "https://docs.sentry.io/api/organizations/list-your-organizations/",
        "the organizations the token reaches",
        one("https://sentry.io", "sentry"),
        request("/api/0/organizations/", bearer()),
        judged(listed("", "slug", "organizations")),
    ),
    V(
        "snyk", "Snyk",
        ("snyk.api-key",),
        "GET https://api.snyk.io/v1/user/me",
        "https://snyk.docs.apiary.io/#reference/users/my-user-details/get-my-details",
        "the user's username and email",
        one("https://api.snyk.io", "snyk"),
        request("/v1/user/me", bearer("token")),
        judged(field_of("username", "email", "id")),
    ),
    V(
        "terraform-cloud", "HCP Terraform",
        ("terraform-cloud.api-token",),
        "GET https://app.terraform.io/api/v2/account/details",
        "https://developer.hashicorp.com/terraform/cloud-docs/api-docs/account#get-your-account-details",
        "the user's username and email",
        one("https://app.terraform.io", "terraform-cloud"),
        request("/api/v2/account/details", bearer(), (("Content-Type", "application/vnd.api+json"),)),
        judged(field_of("data.attributes.username", "data.attributes.email", "data.id")),
    ),
    V(
        "pulumi", "Pulumi",
        ("pulumi.access-token",),
        "GET https://api.pulumi.com/api/user",
        "https://www.pulumi.com/docs/pulumi-cloud/reference/cloud-rest-api/#get-current-user",
        "the user's login",
        one("https://api.pulumi.com", "pulumi"),
        request("/api/user", bearer("token"), (("Accept", "application/vnd.pulumi+8"),)),
        judged(field_of("githubLogin", "name", "email")),
    ),
    V(
        "rubygems", "RubyGems.org",
        ("rubygems.api-key",),
        "GET https://rubygems.org/api/v1/gems.json",
        "https://guides.rubygems.org/rubygems-org-api/#gem-methods",
        "the gems the key's owner can push",
        one("https://rubygems.org", "rubygems"),
        request("/api/v1/gems.json", bearer("")),
        judged(listed("", "name", "gems")),
    ),
    V(
        "mapbox", "Mapbox",
        ("mapbox.secret-token",),
        "GET https://api.mapbox.com/tokens/v2?access_token=<token>",
        "https://docs.mapbox.com/api/accounts/tokens/#retrieve-a-token",
        "the token's user and scopes",
        one("https://api.mapbox.com", "mapbox"),
        _mapbox_build,
        judged(special=_mapbox_special),
    ),
    V(
        "linode", "Akamai Linode",
        ("linode.api-key",),
        "GET https://api.linode.com/v4/profile",
        "https://techdocs.akamai.com/linode-api/reference/get-profile",
        "the user's username and email; the token's scopes (X-OAuth-Scopes)",
        one("https://api.linode.com", "linode"),
        request("/v4/profile", bearer()),
        judged(field_of("username", "email"), scopes_header("x-oauth-scopes")),
    ),
    V(
        "vultr", "Vultr",
        ("vultr.api-key",),
        "GET https://api.vultr.com/v2/account",
        "https://www.vultr.com/api/#tag/account/operation/get-account",
        "the account's email and the user's ACLs",
        one("https://api.vultr.com", "vultr"),
        request("/v2/account", bearer()),
        judged(field_of("account.email", "account.name"), scopes_list("account.acls")),
    ),
    V(
        "render", "Render",
        ("render.api-key",),
        "GET https://api.render.com/v1/owners?limit=1",
        "https://api-docs.render.com/reference/list-owners",
        "the workspace owner's email or name",
        one("https://api.render.com", "render"),
        request("/v1/owners", bearer(), (("Accept", "application/json"),), params=(("limit", "1"),)),
        judged(field_of("0.owner.email", "0.owner.name", "0.owner.id")),
    ),
    V(
        "groq", "Groq",
        ("groq.api-key",),
        "GET https://api.groq.com/openai/v1/models",
        "https://console.groq.com/docs/api-reference#models-list",
        "that the key works",
        one("https://api.groq.com", "groq"),
        request("/openai/v1/models", bearer()),
        judged(),
    ),
    V(
        "mistral", "Mistral AI",
        ("mistral.api-key",),
        "GET https://api.mistral.ai/v1/models",
        "https://docs.mistral.ai/api/#tag/models/operation/list_models_v1_models_get",
        "that the key works",
        one("https://api.mistral.ai", "mistral"),
        request("/v1/models", bearer()),
        judged(),
    ),
    V(
        "cohere", "Cohere",
        ("cohere.api-key",),
        "POST https://api.cohere.com/v1/check-api-key",
        "https://docs.cohere.com/reference/checkapikey",
        "the key's organization and owner ids",
        one("https://api.cohere.com", "cohere"),
        request("/v1/check-api-key", bearer(), (("Accept", "application/json"),), method="POST", body=b""),
        judged(joined(("org", "organization_id"), ("owner", "owner_id")), special=_cohere_special),
    ),
    V(
        "deepseek", "DeepSeek",
        ("deepseek.api-key",),
        "GET https://api.deepseek.com/models",
        "https://api-docs.deepseek.com/api/list-models",
        "that the key works",
        one("https://api.deepseek.com", "deepseek"),
        request("/models", bearer()),
        judged(),
    ),
    V(
        "openrouter", "OpenRouter",
        ("openrouter.api-key",),
        "GET https://openrouter.ai/api/v1/key",
        "https://openrouter.ai/docs/api-reference/api-keys/get-current-key",
        "that the key works and its tier (its label is not read: it shows part of the key)",
        one("https://openrouter.ai", "openrouter"),
        request("/api/v1/key", bearer()),
        judged(lambda r: "free tier" if dig(r.json(), "data.is_free_tier") is True else None),
    ),
    V(
        "together", "Together AI",
        ("together.api-key",),
        "GET https://api.together.xyz/v1/models",
        "https://docs.together.ai/reference/models-1",
        "that the key works",
        one("https://api.together.xyz", "together"),
        request("/v1/models", bearer()),
        judged(),
    ),
    V(
        "fireworks", "Fireworks AI",
        ("fireworks.api-key",),
        "GET https://api.fireworks.ai/inference/v1/models",
        "https://docs.fireworks.ai/api-reference/list-models",
        "that the key works",
        one("https://api.fireworks.ai", "fireworks"),
        request("/inference/v1/models", bearer()),
        judged(),
    ),
    V(
        "replicate", "Replicate",
        ("replicate.api-token",),
        "GET https://api.replicate.com/v1/account",
        "https://replicate.com/docs/reference/http#account.get",
        "the account's username",
        one("https://api.replicate.com", "replicate"),
        request("/v1/account", bearer()),
        judged(field_of("username", "name")),
    ),
    V(
        "elevenlabs", "ElevenLabs",
        ("elevenlabs.api-key",),
        "GET https://api.elevenlabs.io/v1/user",
        "https://elevenlabs.io/docs/api-reference/user/get",
        "the user id and subscription tier",
        one("https://api.elevenlabs.io", "elevenlabs"),
        request("/v1/user", header("xi-api-key")),
        judged(joined(("user", "user_id"), ("tier", "subscription.tier"))),
    ),
    V(
        "deepgram", "Deepgram",
        ("deepgram.api-key",),
        "GET https://api.deepgram.com/v1/projects",
        "https://developers.deepgram.com/reference/list-projects",
        "the projects the key reaches",
        one("https://api.deepgram.com", "deepgram"),
        request("/v1/projects", bearer("Token")),
        judged(listed("projects", "name", "projects")),
    ),
    V(
        "stability", "Stability AI",
        ("stability.api-key",),
        "GET https://api.stability.ai/v1/user/account",
        "https://platform.stability.ai/docs/api-reference#tag/User/paths/~1v1~1user~1account/get",
        "the account's email",
        one("https://api.stability.ai", "stability"),
        request("/v1/user/account", bearer()),
        judged(field_of("email", "id")),
    ),
    V(
        "pinecone", "Pinecone",
        ("pinecone.api-key",),
        "GET https://api.pinecone.io/indexes",
        "https://docs.pinecone.io/reference/api/2024-07/control-plane/list_indexes",
        "the indexes the key reaches",
        one("https://api.pinecone.io", "pinecone"),
        request("/indexes", header("Api-Key"), (("X-Pinecone-API-Version", "2024-07"),)),
        judged(listed("indexes", "name", "indexes")),
    ),
    V(
        "mailchimp", "Mailchimp",
        ("mailchimp.api-key",),
        "GET https://<dc>.api.mailchimp.com/3.0/ (dc: the key's -usN suffix)",
        "https://mailchimp.com/developer/marketing/api/root/list-api-root-resources/",
        "the account's name and login",
        _mailchimp_targets,
        request("/3.0/", basic(lambda c: "credsweep", _secret)),
        judged(field_of("account_name", "login_id", "account_id")),
    ),
    V(
        "postmark", "Postmark",
        ("postmark.server-token",),
        "GET https://api.postmarkapp.com/server",
        "https://postmarkapp.com/developer/api/server-api#get-server",
        "the server's name",
        one("https://api.postmarkapp.com", "postmark"),
        request("/server", header("X-Postmark-Server-Token"), (("Accept", "application/json"),)),
        judged(field_of("Name", "ID")),
    ),
    V(
        "brevo", "Brevo",
        ("brevo.api-key",),
        "GET https://api.brevo.com/v3/account",
        "https://developers.brevo.com/reference/getaccount",
        "the account's email and company",
        one("https://api.brevo.com", "brevo"),
        request("/v3/account", header("api-key"), (("Accept", "application/json"),)),
        judged(joined(("email", "email"), ("company", "companyName"))),
    ),
    V(
        "mandrill", "Mailchimp Transactional (Mandrill)",
        ("mandrill.api-key",),
        "POST https://mandrillapp.com/api/1.0/users/info",
        "https://mailchimp.com/developer/transactional/api/users/get-user-info/",
        "the account's username",
        one("https://mandrillapp.com", "mandrill"),
        _mandrill_build,
        judged(field_of("username"), special=_mandrill_special),
    ),
    V(
        "hubspot", "HubSpot",
        ("hubspot.private-app-token",),
        "GET https://api.hubapi.com/account-info/v3/details",
        "https://developers.hubspot.com/docs/api/settings/account-information-api",
        "the portal (account) id",
        one("https://api.hubapi.com", "hubspot"),
        request("/account-info/v3/details", bearer()),
        judged(lambda r: f"portal {p}" if (p := _text(dig(r.json(), "portalId"))) else None),
    ),
    V(
        "intercom", "Intercom",
        ("intercom.api-key",),
        "GET https://api.intercom.io/me",
        "https://developers.intercom.com/docs/references/rest-api/api.intercom.io/admins/identifyadmin",
        "the admin's email and the workspace name",
        one("https://api.intercom.io", "intercom"),
        request("/me", bearer(), (("Accept", "application/json"),)),
        judged(joined(("email", "email"), ("app", "app.name"))),
    ),
    V(
        "typeform", "Typeform",
        ("typeform.pat",),
        "GET https://api.typeform.com/me",
        "https://www.typeform.com/developers/get-started/personal-access-token/",
        "the account's email or alias",
        one("https://api.typeform.com", "typeform"),
        request("/me", bearer()),
        judged(field_of("email", "alias"), revoked=(401, 403)),
    ),
    V(
        "dropbox", "Dropbox",
        ("dropbox.short-lived-token",),
        "POST https://api.dropboxapi.com/2/users/get_current_account",
        "https://www.dropbox.com/developers/documentation/http/documentation#users-get_current_account",
        "the account's email and display name",
        one("https://api.dropboxapi.com", "dropbox"),
        request("/2/users/get_current_account", bearer(), method="POST"),
        judged(field_of("email", "name.display_name", "account_id")),
    ),
    V(
        "buildkite", "Buildkite",
        ("buildkite.api-token",),
        "GET https://api.buildkite.com/v2/access-token",
        "https://buildkite.com/docs/apis/rest-api/access-token#get-the-current-token",
        "the token's uuid and scopes",
        one("https://api.buildkite.com", "buildkite"),
        request("/v2/access-token", bearer()),
        judged(field_of("uuid"), scopes_list("scopes")),
    ),
    V(
        "doppler", "Doppler",
        ("doppler.token",),
        "GET https://api.doppler.com/v3/me",
        "https://docs.doppler.com/reference/auth-me",
        "the workplace and the token's name and type",
        one("https://api.doppler.com", "doppler"),
        request("/v3/me", bearer(), (("Accept", "application/json"),)),
        judged(joined(("workplace", "workplace.name"), ("name", "name"), ("type", "type"))),
    ),
    V(
        "launchdarkly", "LaunchDarkly",
        ("launchdarkly.api-key",),
        "GET https://app.launchdarkly.com/api/v2/caller-identity",
        "https://launchdarkly.com/docs/api/other/get-caller-identity",
        "the token's name and kind, the account id",
        one("https://app.launchdarkly.com", "launchdarkly"),
        request("/api/v2/caller-identity", bearer("")),
        judged(joined(("token", "tokenName"), ("account", "accountId")), lambda r: tuple(t for t in [_text(dig(r.json(), "tokenKind"))] if t)),
    ),
    V(
        "honeycomb", "Honeycomb",
        ("honeycomb.api-key",),
        "GET https://api.honeycomb.io/1/auth (then the EU region, api.eu1.honeycomb.io)",
        "https://docs.honeycomb.io/api/auth/list-authorizations",
        "the team and environment, and the key's permissions",
        many("honeycomb", "https://api.honeycomb.io", "https://api.eu1.honeycomb.io"),
        request("/1/auth", header("X-Honeycomb-Team")),
        judged(joined(("team", "team.slug"), ("environment", "environment.slug")), scopes_true("api_key_access")),
    ),
    V(
        "tailscale", "Tailscale",
        ("tailscale.api-token",),
        "GET https://api.tailscale.com/api/v2/tailnet/-/keys",
        "https://tailscale.com/api#tag/keys/GET/tailnet/{tailnet}/keys",
        "that the token reaches its tailnet (the number of keys it can list)",
        one("https://api.tailscale.com", "tailscale"),
        request("/api/v2/tailnet/-/keys", bearer()),
        judged(listed("keys", "description", "keys")),
    ),
    V(
        "contentful", "Contentful",
        ("contentful.pat",),
        "GET https://api.contentful.com/users/me",
        "https://www.contentful.com/developers/docs/references/content-management-api/#/reference/users/user/get-the-authenticated-user",
        "the user's email",
        one("https://api.contentful.com", "contentful"),
        request("/users/me", bearer()),
        judged(field_of("email", "sys.id")),
    ),
    V(
        "square", "Square",
        ("square.access-token",),
        "GET https://connect.squareup.com/v2/merchants/me",
        "https://developer.squareup.com/reference/square/merchants-api/retrieve-merchant",
        "the merchant's business name",
        one("https://connect.squareup.com", "square"),
        request("/v2/merchants/me", bearer(), (("Square-Version", "2024-01-18"),)),
        judged(field_of("merchant.business_name", "merchant.id")),
    ),
    V(
        "gocardless", "GoCardless",
        ("gocardless.live-token",),
        "GET https://api.gocardless.com/creditors?limit=1",
        "https://developer.gocardless.com/api-reference/#creditors-list-creditors",
        "the creditor's name",
        one("https://api.gocardless.com", "gocardless"),
        request("/creditors", bearer(), (("GoCardless-Version", "2015-07-06"),), params=(("limit", "1"),)),
        judged(field_of("creditors.0.name", "creditors.0.id")),
    ),
    V(
        "messagebird", "MessageBird (Bird)",
        ("messagebird.api-key",),
        "GET https://rest.messagebird.com/balance",
        "https://developers.messagebird.com/api/balance/#get-balance",
        "that the key works (its balance type)",
        one("https://rest.messagebird.com", "messagebird"),
        request("/balance", bearer("AccessKey")),
        judged(field_of("type")),
    ),
    V(
        "sourcegraph", "Sourcegraph",
        ("sourcegraph.access-token",),
        "POST https://sourcegraph.com/.api/graphql { currentUser { username } }",
        "https://sourcegraph.com/docs/api/graphql",
        "the user's username (sourcegraph.com only)",
        one("https://sourcegraph.com", "sourcegraph"),
        graphql("/.api/graphql", "query { currentUser { username } }", bearer("token")),
        judged(field_of("data.currentUser.username")),
    ),
    V(
        "supabase", "Supabase",
        ("supabase.access-token",),
        "GET https://api.supabase.com/v1/projects",
        "https://supabase.com/docs/reference/api/v1-list-all-projects",
        "the projects the token reaches",
        one("https://api.supabase.com", "supabase"),
        request("/v1/projects", bearer()),
        judged(listed("", "name", "projects")),
    ),
    V(
        "ngrok", "ngrok",
        ("ngrok.api-key",),
        "GET https://api.ngrok.com/api_keys?limit=1",
        "https://ngrok.com/docs/api/resources/api-keys/#list-api-key",
        "that the API key works",
        one("https://api.ngrok.com", "ngrok"),
        request("/api_keys", bearer(), (("Ngrok-Version", "2"),), params=(("limit", "1"),)),
        judged(),
    ),
    V(
        "easypost", "EasyPost",
        ("easypost.api-key", "easypost.test-api-key"),
        "GET https://api.easypost.com/v2/users",
        "https://docs.easypost.com/docs/users#retrieve-a-user",
        "the user's name and email",
        one("https://api.easypost.com", "easypost"),
        request("/v2/users", basic(_secret, lambda c: "")),
        judged(field_of("email", "name", "id")),
    ),
    V(
        "frameio", "Frame.io",
        ("frameio.token",),
        "GET https://api.frame.io/v2/me",
        "https://developer.frame.io/api/reference/operation/getMe/",
        "the user's email",
        one("https://api.frame.io", "frameio"),
        request("/v2/me", bearer()),
        judged(field_of("email", "name", "id")),
    ),
    V(
        "shippo", "Shippo",
        ("shippo.live-token",),
        "GET https://api.goshippo.com/addresses?results=1",
        "https://docs.goshippo.com/shippoapi/public-api/#tag/Addresses/operation/ListAddresses",
        "that the live token works",
        one("https://api.goshippo.com", "shippo"),
        request("/addresses", bearer("ShippoToken"), params=(("results", "1"),)),
        judged(),
    ),
    V(
        "duffel", "Duffel",
        ("duffel.live-token",),
        "GET https://api.duffel.com/air/airlines?limit=1",
        "https://duffel.com/docs/api/v2/airlines/get-airlines",
        "that the live token works",
        one("https://api.duffel.com", "duffel"),
        request("/air/airlines", bearer(), (("Duffel-Version", "v2"), ("Accept", "application/json")), params=(("limit", "1"),)),
        judged(),
    ),
    V(
        "flutterwave", "Flutterwave",
        ("flutterwave.secret-key",),
        "GET https://api.flutterwave.com/v3/balances",
        "https://developer.flutterwave.com/v3.0/reference/get-all-wallet-balances",
        "that the secret key works",
        one("https://api.flutterwave.com", "flutterwave"),
        request("/v3/balances", bearer()),
        judged(),
    ),
    V(
        "assemblyai", "AssemblyAI",
        ("assemblyai.api-key",),
        "GET https://api.assemblyai.com/v2/transcript?limit=1",
        "https://www.assemblyai.com/docs/api-reference/transcripts/list",
        "that the key works",
        one("https://api.assemblyai.com", "assemblyai"),
        request("/v2/transcript", bearer(""), params=(("limit", "1"),)),
        judged(),
    ),
    V(
        "sparkpost", "SparkPost",
        ("sparkpost.api-key",),
        "GET https://api.sparkpost.com/api/v1/account",
        "https://developers.sparkpost.com/api/account/#account-get-retrieve-account-information",
        "the account's company name (a key without the account grant: still live)",
        one("https://api.sparkpost.com", "sparkpost"),
        request("/api/v1/account", bearer("")),
        judged(field_of("results.company_name", "results.customer_id"), special=_sparkpost_special),
    ),
)
"""Every built-in validator."""
