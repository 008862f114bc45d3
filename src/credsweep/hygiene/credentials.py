"""Does a config-like file hold real credentials? Parse it (TOML, YAML, JSON, INI/properties, .env)
and look for credential-named keys whose values are not empty, placeholders or references."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from credsweep.content.context import COMMON_VALUES
from credsweep.content.filters import is_encrypted_envelope, is_low_diversity, reason_to_drop
from credsweep.content.keys import credential_key
from credsweep.util import toml as tomlread
from credsweep.util.lazyre import lazy

_ENV_LINE = lazy(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*[:=]\s*(.*?)\s*$")
_KV_LINE = lazy(r"""^\s*["']?([A-Za-z_][\w.\-]*)["']?\s*[:=]\s*(.*?)\s*$""")
_NOT_SECRET_VALUE = lazy(r"(?i)^(true|false|yes|no|on|off|null|none|nil|~|\d{1,8}|[a-z]+://[^:@]*)$")


def real_value(value: Any) -> bool:
    """A string that could be a live credential (not empty, placeholder, template, flag, number or a word code
    uses for states and labels: ``CI_REGISTRY_PASSWORD=password`` in a sample's ``.env``)."""
    if not isinstance(value, str):
        return False
    value = value.strip().strip("'\"")
    if len(value) < 6 or _NOT_SECRET_VALUE.match(value) or " " in value.strip() or is_encrypted_envelope(value):
        return False  # a SOPS or ejson value is committed encrypted by design
    if value.lower() in COMMON_VALUES:
        return False
    return reason_to_drop(value) is None and not is_low_diversity(value)


MAX_LEAVES = 100_000
"""Values looked at per file: a parsed document is walked without recursion and at most this far."""


def _leaves(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) of each scalar in a parsed document, depth first, in document order.

    A node shared by YAML aliases is walked once: nested aliases ("billion laughs") would otherwise
    make a small file hold billions of leaves."""
    stack: list[tuple[str, Any]] = [(prefix, data)]
    seen: set[int] = set()
    count = 0
    while stack and count < MAX_LEAVES:
        prefix, value = stack.pop()
        if isinstance(value, (dict, list)):
            if id(value) in seen:
                continue
            seen.add(id(value))
            if isinstance(value, dict):
                children = [(f"{prefix}.{k}" if prefix else str(k), v) for k, v in value.items()]
            else:
                children = [(prefix, v) for v in value]
            stack.extend(reversed(children))
        else:
            count += 1
            yield prefix, value


def _parse(name: str, text: str) -> Iterator[tuple[str, Any]] | None:
    lower = name.lower()
    try:
        if lower.endswith(".toml"):
            return _leaves(tomlread.loads(text))
        if lower.endswith(".json"):
            return _leaves(json.loads(text))
        if lower.endswith((".yaml", ".yml")):
            import yaml  # PyYAML ships with detect-secrets

            return _leaves(yaml.safe_load(text))
        if lower.endswith((".ini", ".cfg", ".conf")):
            import configparser  # only INI-like files need it: kept off the hook's start-up

            parser = configparser.ConfigParser(interpolation=None, strict=False)
            parser.read_string(text)
            return ((f"{s}.{k}", v) for s in parser.sections() for k, v in parser.items(s))
    except Exception:
        return None
    return None


def credential_keys(name: str, text: str) -> list[str]:
    """Credential-named keys with real-looking values (key names only: never the values)."""
    leaves = _parse(name, text)
    if leaves is None:
        pattern = _ENV_LINE if ".env" in name.lower() or name.lower().endswith(".properties") else _KV_LINE
        leaves = ((m.group(1), m.group(2)) for m in map(pattern.match, text.splitlines()) if m)
    found = []
    for key, value in leaves:
        last = key.rsplit(".", 1)[-1]
        if credential_key(last) and real_value(value):
            found.append(key)
    return found


# Fields that identify a user, and fields that hold what lets someone act as that user: a record with
# one of each is a user account, whatever the application calls its collections.
_IDENTITY_FIELD = lazy(r"(?i)^(e[_-]?mail(_?address)?|user(_?name)?|login|account|handle|phone)$")
_SECRET_FIELD = lazy(
    r"(?i)^(pass(word|wd)?(_?hash(ed)?)?|hashed_?password|pwd|hash|salt|(api_?|access_?|refresh_?|auth_?|session_?)?"
    r"tokens?|api_?key|secret|otp_?secret|totp(_?secret)?|session(_?id)?)$")
_RECORD_DEPTH = 3


def _label_table(keys: list[str]) -> bool:
    """Most keys are phrases (``"Exit impersonation"``, ``"My Account"``): a translation or UI label table,
    whose ``"Password": "Passwort"`` is a label, not an account's password."""
    return sum(" " in k for k in keys) * 2 > len(keys)


def _is_user_record(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    keys = [str(k) for k in value]
    if _label_table(keys):
        return False
    has_identity = any(_IDENTITY_FIELD.match(k) for k in keys)
    return has_identity and any(_SECRET_FIELD.match(k) and isinstance(value[k], str) and value[k].strip()
                                for k in keys)


# Per-user records without credentials: a user's id with what is personal about them. Contact details are
# personal on their own; a name only beside what the user did or chose (a history, preferences), or in a
# collection named for people. A catalogue of products (id, name, price) or places (id, name, history: "...")
# has neither.
_USER_ID_FIELD = lazy(
    r"(?i)^(_?id|uid|uuid|(user|account|customer|member|profile|client|player|subscriber)_?(id|uuid|no|number)|"
    r"e[_-]?mail(_?address)?|user(_?name)?|login|handle)$")
_CONTACT_FIELD = lazy(
    r"(?i)^(e[_-]?mail(_?address)?|(phone|mobile|cell)(_?(number|no))?|tel(ephone)?|"
    r"((street|postal|home|billing|shipping|mailing)_?)?address|birth_?(date|day)|date_?of_?birth|dob|ssn|"
    r"national_?id|passport(_?(number|no))?|(last_?)?ip(_?address)?)$")
_NAME_FIELD = lazy(r"(?i)^(((first|last|full|display|given|family|real|sur)_?)?name|surname)$")
_ACTIVITY_FIELD = lazy(
    r"(?i)^([a-z]+_)?(history|preferences|prefs|settings|favou?rites|watch_?list|wish_?list|purchases|orders|"
    r"bookmarks|likes|ratings|viewed|searches|playlists?|subscriptions|interests)$")
_EMAIL_VALUE = lazy(r"^[^@\s]{1,64}@[A-Za-z0-9.\-]{1,253}\.[A-Za-z]{2,24}$")
_PEOPLE_KEY = lazy(
    r"(?i)^(users?|accounts?|customers?|members?|profiles?|people|persons?|subscribers?|patients?|students?|"
    r"employees?|clients?|players?|viewers?|contacts?)$")


def _is_personal_record(value: Any, collection: str) -> bool:
    """A user's record with personal data: an identifying field, and contact details (or an e-mail address
    in any field), or a name beside a history or preferences, or a name in a collection named for people."""
    if not isinstance(value, dict):
        return False
    keys = [str(k) for k in value]
    if _label_table(keys) or not any(_USER_ID_FIELD.match(k) for k in keys):
        return False
    if any(_CONTACT_FIELD.match(k) and value[k] not in (None, "", [], {}) for k in keys):
        return True
    if any(isinstance(v, str) and _EMAIL_VALUE.match(v) for v in value.values()):
        return True
    named = any(_NAME_FIELD.match(k) and isinstance(value[k], str) and value[k].strip() for k in keys)
    active = any(_ACTIVITY_FIELD.match(k) and isinstance(value[k], (list, dict)) and value[k] for k in keys)
    return named and (active or bool(_PEOPLE_KEY.match(collection)))


def _collection(data: Any, depth: int) -> bool:
    """A mapping used as a collection (id -> record, as lowdb, TinyDB or a Firebase export keep them), not
    a configuration section: every value is an object, and there are several or it is nested."""
    values = list(data.values())
    return bool(values) and all(isinstance(v, dict) for v in values) and (len(values) > 1 or depth > 0)


def _records(data: Any, depth: int = 0, key: str = "") -> Iterator[tuple[Any, str]]:
    """Candidate records, each with the key of the collection holding it: members of lists and of id-keyed
    collections, at most a few levels down."""
    if depth > _RECORD_DEPTH:
        return
    if isinstance(data, list):
        for member in data:
            yield member, key
            yield from _records(member, depth + 1, key)
    elif isinstance(data, dict):
        if _collection(data, depth):
            yield from ((member, key) for member in data.values())
        for name, member in data.items():
            yield from _records(member, depth + 1, str(name))


def _parsed(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def json_user_records(text: str) -> bool:
    """Is ``text`` a JSON data store of user accounts (records with an identity and a password, hash or token)?

    A single object such as ``{"user": "app", "password": "..."}`` is a configuration, not a store of
    records: only members of collections count."""
    return any(_is_user_record(record) for record, _ in _records(_parsed(text)))


def json_user_data(text: str) -> bool:
    """Is ``text`` a JSON data store of per-user records holding personal data (ids with e-mail addresses,
    names with histories or preferences), credentials or not? Configuration (package.json, tsconfig, a
    settings object) holds no collection of such records."""
    return any(_is_personal_record(record, key) for record, key in _records(_parsed(text)))
