"""Key names that name a credential: the one test of a key shared by the content stage (generic rules,
your own credentials) and hygiene (credential files)."""

from __future__ import annotations

from functools import lru_cache

from credsweep.util.lazyre import lazy

CREDENTIAL_KEY = lazy(
    r"(?i)(pass(word|wd|phrase)?|pwd|secret|token|api[_\-.]?key|apikey|access[_\-.]?key|private[_\-.]?key|crypt[_\-.]?key|"
    r"client[_\-.]?secret|credential|auth[_\-.]?(key|token)|signing[_\-.]?key|encryption[_\-.]?key|mac[_\-.]?key|"
    r"connection[_\-.]?string|dsn|database[_\-.]?url)"
)
# keys that name a credential but hold something else (a path, a flag, a type, a lifetime)
NOT_A_VALUE_KEY = lazy(
    r"(?i)(_(file|path|dir|env|var|name|type|url_template|length|len|min|max|ttl|expiry|expires|expiration|"
    r"timeout|header|prefix|id|enabled|required|policy|method|field|param|hint|label|regex|pattern|hash|hasher|"
    r"algorithm|algo|scheme|format|complexity|strength|reset|rotation|history|age|count|attempts|encoder|"
    r"validator|mode|store|manager|provider|service|class|handler|url|uri|endpoint|route|link|page|view|form|"
    r"message|msg|text|title|placeholder|prompt|error|changed|updated|date|time|at|version|rules|reminder|"
    r"lifetime|duration|size|location|source|command|cmd|helper|generator|strategy|mask|input|widget|column|"
    r"question|hint|alg|enum|enums|kind|choices|options|values|status|state|stage|trigger|event|events|"
    # what a mail server's settings say about passwords: a charset, a lookup table, a query, an LDAP filter, its user
    r"charset|encoding|maps?|query|filter|user|username|until)$|^(is|use|has|enable|require|show|hide|forgot|reset|change|confirm|new|old|min|max|hashed|hash|"
    r"num|no|count|total|last|next|prev)_)"
)
_CAMEL = lazy(r"([a-z0-9])([A-Z])")

@lru_cache(maxsize=1 << 16)  # pure; history meets the same values in every version of a file
def credential_key(key: str) -> bool:
    """A key that names a credential value (``db_password``, ``apiKey``), not something about one
    (``password_hash_algorithm``, ``tokenType``, ``forgot_password``)."""
    snake = _CAMEL.sub(r"\1_\2", key.strip("\"'`[]")).replace("-", "_").replace(".", "_").lower()
    if _HASHING_KEY.search(snake):
        return True  # the key a keyed hash is computed with (EspoCRM's ``hashSecretKey``), not a digest
    return bool(CREDENTIAL_KEY.search(snake)) and not NOT_A_VALUE_KEY.search(snake)


_HASHING_KEY = lazy(r"(?:^|_)hash(?:ing)?_(?:secret_key|secret|key)$")
