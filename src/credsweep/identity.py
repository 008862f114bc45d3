"""Secret identity and redaction: salted hashes only, never the plain secret.

The report salt is a random per-user key (``$CREDSWEEP_SALT``, else a 0600 file under the user's
data folder, created on first use), so fingerprints are stable across runs and repositories of one
user or CI secret, yet useless to anyone who sees a report but not the salt.
"""

from __future__ import annotations

import hmac
import os
import secrets
from functools import lru_cache

from credsweep.util.fsutil import private_key_file
from credsweep.util.masking import masked_identifier
from credsweep.util.xdg import data_dir


@lru_cache(maxsize=1)
def report_salt() -> bytes:
    """The user's salt for fingerprints in reports (see module docstring): read once per process (it
    never changes while one runs); every caller passes it down explicitly from there."""
    env = os.environ.get("CREDSWEEP_SALT")
    if env:
        return env.encode()
    try:
        return private_key_file(data_dir() / "salt", lambda: secrets.token_hex(32).encode(), lambda data: len(data) >= 32)
    except OSError:  # a read-only or unreadable home: a salt for this run only
        return b"credsweep-ephemeral-" + secrets.token_bytes(16)


def keyed_hash(*parts: str, salt: bytes, size: int = 32) -> str:
    """HMAC-SHA256 of the parts under ``salt``, hex, ``size`` chars."""
    message = "\x1f".join(parts).encode("utf-8", "surrogateescape")
    # the one-shot C path (same HMAC as hmac.new(...).hexdigest()): a finding costs two of these
    return hmac.digest(salt, message, "sha256").hex()[:size]


def secret_id(secret: str, salt: bytes) -> str:
    """Identity of a secret value under ``salt``, the same in every file, rule and repository."""
    return keyed_hash("secret", secret, salt=salt, size=16)


def fingerprint(kind: str, rule: str, value: str, salt: bytes) -> str:
    """Identity of a finding under ``salt``: kind, rule and secret (or path); no line number, no commit."""
    return keyed_hash(kind, rule, value, salt=salt)


def derived_salt(key: bytes, context: bytes) -> bytes:
    """A salt for one purpose (a fleet store's identities) from a key kept elsewhere: whoever holds only
    ``context`` (the store) cannot compute an identity, so cannot test guesses against it."""
    return hmac.digest(key, b"credsweep-salt\x1f" + context, "sha256").hex().encode()


def redact_identifier(value: str) -> str:
    """The preview of an identifier that pairs with a secret (an AWS access key id, an OAuth client id):
    not secret in itself, it names which credential to rotate, so it shows what the paired identifier
    beside a secret shows (``AKIA...Y3A4``, ``util.masking.masked_identifier``) and its length."""
    value = value.strip()
    return f"{masked_identifier(value)} ({len(value)} chars)"


def redact(secret: str, prefix: str = "") -> str:
    """A preview that reveals nothing of the secret: its provider's public ``prefix`` when it starts with
    one (``ghp_``, ``sk_live_``, ``xoxb-``: what names its type, the same for every such token), then
    asterisks and the length. A value with no public prefix (an AWS secret key, a password, a generic
    value) shows no character at all. A key block shows its first line (``-----BEGIN ... KEY-----``),
    which names its type and is not secret."""
    secret = secret.strip()
    if "\n" in secret:  # multi-line (keys): the first line names the type and is not secret
        first = secret.split("\n", 1)[0].strip()
        if first.startswith("-----BEGIN") or first.startswith("PuTTY"):
            return f"{first} …({len(secret)} chars)"
        secret = first
    shown = len(prefix) if prefix and secret.lower().startswith(prefix.lower()) else 0
    return f"{secret[:shown]}{'*' * 8}({len(secret)} chars)"
