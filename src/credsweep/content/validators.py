"""Offline validators: structural checks a candidate secret must pass to be reported.

Each validator is a small named predicate over the captured secret. Rules name them in their
``validator`` field; an unknown name is a ruleset error caught by ``rules check``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Callable
from functools import lru_cache

from credsweep.util.lazyre import lazy

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(number: int, width: int = 6) -> str:
    """Encode ``number`` in base62 (0-9A-Za-z), left-padded with '0' to ``width``."""
    digits = []
    while number:
        number, rem = divmod(number, 62)
        digits.append(_BASE62[rem])
    return "".join(reversed(digits)).rjust(width, "0")


def _crc32_suffix_ok(body: str) -> bool:
    # GitHub (2021) and npm (2021) tokens: 30 base62 random chars + base62(CRC32(random)) in 6 chars.
    # https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
    if len(body) != 36:
        return False
    random_part, checksum = body[:30], body[30:]
    return base62(zlib.crc32(random_part.encode()) & 0xFFFFFFFF) == checksum


def github_checksum(secret: str) -> bool:
    """ghp_/gho_/ghu_/ghs_/ghr_ tokens whose last 6 chars are the CRC32 of the random part."""
    _, _, body = secret.partition("_")
    return _crc32_suffix_ok(body)


def npm_checksum(secret: str) -> bool:
    """npm_ granular/automation tokens (same CRC32 scheme as GitHub)."""
    return secret.startswith("npm_") and _crc32_suffix_ok(secret[4:])


def stack_auth_checksum(secret: str) -> bool:
    """Stack Auth's user and team API keys: the last 8 characters are the CRC-32 of the rest, as lower-case
    hex (https://github.com/stack-auth/stack-auth/blob/main/packages/stack-shared/src/utils/api-keys.tsx)."""
    body, checksum = secret[:-8], secret[-8:]
    return len(secret) > 8 and f"{zlib.crc32(body.encode()) & 0xFFFFFFFF:08x}" == checksum


def _b64decode(text: str) -> bytes | None:
    text = text.strip().replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def jwt(secret: str) -> bool:
    """A JSON Web Token whose header decodes to JSON naming an ``alg`` and whose payload is JSON."""
    parts = secret.split(".")
    if len(parts) != 3:
        return False
    try:
        header = json.loads(_b64decode(parts[0]) or b"")
        payload = json.loads(_b64decode(parts[1]) or b"")
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and "alg" in header and isinstance(payload, dict)


_SECRET_CLAIM = re.compile(r"(?i)secret|password|passwd|api_?key|private_?key|access_?key")


def _jwt_payload(secret: str) -> dict[str, object] | None:
    """The claims of a JWS compact token's payload (at most 8 KB of it), or None when it is not a JSON object."""
    parts = secret.strip().split(".")
    if len(parts) != 3 or len(parts[1]) > 8192:
        return None
    try:
        payload = json.loads(_b64decode(parts[1]) or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def jwt_carries_secret(secret: str) -> bool:
    """A JWT whose claims hold a credential of their own (a Pinata API JWT's ``scopedKeySecret``): a
    generated value, 16 characters or more of letters and digits, under a claim named like a secret, at the
    top level or one object down. Such a token is an API key wrapped in a JWT, not a sample's claims."""
    payload = _jwt_payload(secret)
    if payload is None:
        return False
    claims = list(payload.items())
    claims += [item for value in payload.values() if isinstance(value, dict) for item in value.items()]
    return any(isinstance(name, str) and _SECRET_CLAIM.search(name) and isinstance(value, str) and len(value) >= 16
               and any(c.isdigit() for c in value) and any(c.isalpha() for c in value) and len(set(value)) >= 10
               for name, value in claims)


def pypi_macaroon(secret: str) -> bool:
    """A PyPI API token: ``pypi-`` + base64url macaroon whose identifier mentions pypi.org."""
    if not secret.startswith("pypi-"):
        return False
    raw = _b64decode(secret[5:])
    return raw is not None and b"pypi.org" in raw[:64]


_PEM_BODY = lazy(r"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----", re.S)


_ARMOR_CHECKSUM = lazy(r"\n[ \t]*=[A-Za-z0-9+/]{4}\s*$")


def pem(secret: str) -> bool:
    """A PEM block whose body (after any RFC 1421 headers) is valid base64 of plausible length."""
    # a key inside a JSON string (service-account files, notebooks) has escaped newlines
    secret = secret.replace("\\n", "\n").replace("\\r", "")
    match = _PEM_BODY.search(secret)
    if not match:
        return False
    body = match.group(2)
    if ":" in body.split("\n", 1)[0]:  # Proc-Type / DEK-Info headers of encrypted PEM
        body = body.split("\n\n", 1)[-1]
    # an OpenPGP armor ends with its CRC-24 checksum line (``=NE9a``, RFC 4880 section 6.2), not part of the base64
    body = _ARMOR_CHECKSUM.sub("", body)
    compact = re.sub(r"\s+", "", body)
    if len(compact) < 64:
        return False
    try:
        base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def encrypted_private_key(secret: str) -> bool:
    """A private key block stored encrypted under a passphrase: a PKCS#8 ``ENCRYPTED PRIVATE KEY``, a traditional
    PEM key with ``Proc-Type: 4,ENCRYPTED`` (RFC 1421), an OpenSSH key whose cipher is not ``none``
    (https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key), a PuTTY key whose ``Encryption`` is not
    ``none``, or an OpenPGP secret key whose first secret-key packet's S2K usage is not 0 (RFC 9580 section 5.5.3).
    An unreadable block is not called encrypted."""
    secret = secret.replace("\\n", "\n").replace("\\r", "")
    if "BEGIN ENCRYPTED PRIVATE KEY" in secret or "Proc-Type: 4,ENCRYPTED" in secret:
        return True
    if secret.startswith("PuTTY-User-Key-File"):
        found = _PUTTY_ENCRYPTION.search(secret)
        return found is not None and found.group(1) != "none"
    match = _PEM_BODY.search(secret)
    if not match or match.group(1) not in ("OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK"):
        return False
    body = match.group(2)
    if "\n\n" in body:  # an armor's header lines (``Version:``, ``Comment:``) end at a blank line
        body = body.split("\n\n", 1)[1]
    compact = re.sub(r"\s+", "", _ARMOR_CHECKSUM.sub("", body))[:DER_KEY_LIMIT]
    try:
        raw = base64.b64decode(compact + "=" * (-len(compact) % 4))
    except (binascii.Error, ValueError):
        return False
    if match.group(1) == "OPENSSH PRIVATE KEY":
        return _openssh_cipher(raw) not in (None, b"none")
    return _pgp_s2k_usage(raw) not in (None, 0)


_PUTTY_ENCRYPTION = lazy(r"(?m)^Encryption: *([\w\-]+)")
_OPENSSH_MAGIC = b"openssh-key-v1\x00"


def _openssh_cipher(raw: bytes) -> bytes | None:
    """The cipher name of an OpenSSH private key (``none`` when it is stored in the clear), or None."""
    if not raw.startswith(_OPENSSH_MAGIC) or len(raw) < len(_OPENSSH_MAGIC) + 4:
        return None
    at = len(_OPENSSH_MAGIC)
    length = int.from_bytes(raw[at:at + 4], "big")
    return raw[at + 4:at + 4 + length] if length <= 64 and at + 4 + length <= len(raw) else None


_PGP_PUBLIC_MPIS = {1: 2, 2: 2, 3: 2, 16: 3, 17: 4, 20: 3}
"""Public-key MPIs of a version 4 OpenPGP key per algorithm id (RSA: n, e; Elgamal: p, g, y; DSA: p, q, g, y)."""
_PGP_CURVES = {18, 19, 22}
"""ECDH, ECDSA and EdDSA (legacy): a curve OID and one MPI (ECDH: then its KDF parameters)."""


def _pgp_s2k_usage(raw: bytes) -> int | None:
    """The S2K usage octet of the first packet of ``raw`` when it is a secret-key packet (tag 5): 0 when the
    secret key material is stored in the clear; None when it cannot be read."""
    if len(raw) < 8 or not raw[0] & 0x80:
        return None
    if raw[0] & 0x40:  # a new-format header: tag in the low six bits, then a one, two or five octet length
        tag, first = raw[0] & 0x3F, raw[1]
        at = 2 if first < 192 else 3 if first < 224 else 6
    else:  # an old-format header: tag in bits 2-5, the length's size in the low two bits
        tag, at = (raw[0] >> 2) & 0x0F, 1 + (1, 2, 4, 0)[raw[0] & 0x03]
    if tag != 5 or at + 6 > len(raw):
        return None
    version, algorithm = raw[at], raw[at + 5]
    at += 6
    if version in (5, 6):  # the public key material's length is written out
        if at + 4 > len(raw):
            return None
        at += 4 + int.from_bytes(raw[at:at + 4], "big")
    elif version == 4 and algorithm in _PGP_PUBLIC_MPIS:
        for _ in range(_PGP_PUBLIC_MPIS[algorithm]):
            if at + 2 > len(raw):
                return None
            at += 2 + (int.from_bytes(raw[at:at + 2], "big") + 7) // 8
    elif version == 4 and algorithm in _PGP_CURVES:
        if at >= len(raw):
            return None
        at += 1 + raw[at]  # the curve's OID
        if at + 2 > len(raw):
            return None
        at += 2 + (int.from_bytes(raw[at:at + 2], "big") + 7) // 8
        if algorithm == 18:
            if at >= len(raw):
                return None
            at += 1 + raw[at]  # ECDH's KDF parameters
    else:
        return None
    return raw[at] if at < len(raw) else None


DER_KEY_LIMIT = 16 * 1024
"""Base64 characters of a headerless key body decoded at most (an RSA 8192-bit key is ~6.3 KB)."""


def der_private_key(secret: str) -> bool:
    """Base64 (over lines, indented or with ``\\n`` escapes) of a DER private key without its PEM lines:
    a SEQUENCE spanning the whole body whose children have the shape of an RSA (PKCS#1), EC (SEC 1),
    DSA or PKCS#8 private key. Linear: one pass over at most ``DER_KEY_LIMIT`` characters, then the
    top-level children (at most 12) only."""
    compact = re.sub(r"\\r|\\n|\s", "", secret)
    if not 64 <= len(compact) <= DER_KEY_LIMIT:
        return False
    try:
        raw = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return private_key_der(raw)


def _tlv(raw: bytes, at: int, limit: int) -> tuple[int, int, int] | None:
    """(tag, content start, content end) of the DER element at ``at``, or None when it does not fit."""
    if at + 2 > limit:
        return None
    tag, first = raw[at], raw[at + 1]
    at += 2
    if first < 0x80:
        length = first
    elif 0x81 <= first <= 0x83:
        count = first - 0x80
        if at + count > limit:
            return None
        length = int.from_bytes(raw[at:at + count], "big")
        at += count
    else:
        return None
    return (tag, at, at + length) if at + length <= limit else None


def private_key_der(raw: bytes) -> bool:
    """DER bytes that are an RSA (PKCS#1: nine integers, version 0), EC (SEC 1: version 1, a 20-66 byte
    key), DSA (six integers, version 0) or PKCS#8 (version, algorithm identifier, key octets)
    private key."""
    top = _tlv(raw, 0, len(raw))
    if top is None or top[0] != 0x30 or top[2] != len(raw):
        return False
    children: list[tuple[int, int, int]] = []
    at, end = top[1], top[2]
    while at < end and len(children) < 12:
        child = _tlv(raw, at, end)
        if child is None:
            return False
        children.append(child)
        at = child[2]
    if at != end or len(children) < 3:
        return False
    tags = [c[0] for c in children]

    def value(index: int) -> bytes:
        return raw[children[index][1]:children[index][2]]

    version = value(0) if tags[0] == 0x02 else None
    if version is None:
        return False
    if tags[:9] == [0x02] * 9 and version in (b"\x00", b"\x01"):
        return len(value(1)) >= 64  # RSA: the modulus, 512 bits or more
    if len(children) == 6 and tags == [0x02] * 6 and version == b"\x00":
        return len(value(1)) >= 64  # DSA: p
    if version == b"\x01" and tags[1] == 0x04 and 20 <= len(value(1)) <= 66:
        return all(t in (0xA0, 0xA1) for t in tags[2:])  # SEC 1 EC key, optional parameters and public key
    if version in (b"\x00", b"\x01") and tags[1] == 0x30 and tags[2] == 0x04:
        algorithm = _tlv(raw, children[1][1], children[1][2])
        return algorithm is not None and algorithm[0] == 0x06 and len(value(2)) >= 32  # PKCS#8
    return False


def discord_token(secret: str) -> bool:
    """A Discord bot token: three dot-separated parts, the first the base64url of the bot's user id (a
    snowflake: 17 to 20 decimal digits), the second 6 characters (the issue time), the third the signature
    (27 to 38 characters). Discord's client libraries parse it so: serenity's ``utils::token::parse``
    (https://docs.rs/crate/serenity/0.11.7/source/src/utils/token.rs), nostrum's ``Nostrum.Token``
    (https://hexdocs.pm/nostrum/Nostrum.Token.html). A random string of the shape decodes to digits
    about once in 10^25, so the structure alone makes the token distinctive."""
    parts = secret.split(".")
    if len(parts) != 3 or len(parts[1]) != 6 or not 27 <= len(parts[2]) <= 38:
        return False
    try:
        user_id = base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4))
    except (binascii.Error, ValueError):
        return False
    return user_id.isdigit() and 17 <= len(user_id) <= 20 and not user_id.startswith(b"0")


def base64_json(secret: str) -> bool:
    """Base64 text that decodes to a JSON object (e.g. a GCP service-account key)."""
    raw = _b64decode(secret)
    if raw is None:
        return False
    try:
        return isinstance(json.loads(raw), dict)
    except (ValueError, UnicodeDecodeError):
        return False


_CODE_REFERENCE = lazy(
    r"^(?:[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z]+(?:_[a-z]+)+|[a-z]{2,}(?:[A-Z][a-z]{2,})+)$"
)
_PATH_LIKE = lazy(r"^(?:/|\./|\.\./|~/|[A-Za-z]:\\)|\\|\.(?:pem|key|crt|cer|json|txt|ya?ml|p12|pfx|jks|keystore|env|properties|xml|conf|cfg|ini|o|so|a|dll|exe|c|h|cc|cpp|py|js|ts|go|rb|java|class|jar|html?|css|md|sh|lock|log|gz|zip|tar|png|jpe?g|svg|gif)$", re.I)
_NOT_SECRET_WORDS = frozenset(
    "password passwd pwd pass passphrase secret secrets token tokens apikey api_key key none null nil true false "
    "undefined required optional string str text hidden empty default value string_value bool int integer "
    "unknown foobar foo bar baz qux admin_password user_password db_password your_password".split()
)


_CODE_SHAPE = lazy(r"^[A-Za-z_][\w.]*\s?\(.*\)$|\w\(\)|^[\[{<].*[\]}>]$|, |=>|->|\$\{|\$\(")


def _random_symbols(value: str) -> bool:
    """Generated secrets (Django's SECRET_KEY, WordPress salts) use brackets and punctuation freely:
    long, high-entropy values with no code shape (calls, literals, lists) are values, not code."""
    from credsweep.util.entropy import shannon

    return len(value) >= 16 and shannon(value) >= 4.0 and not _CODE_SHAPE.search(value)


@lru_cache(maxsize=1 << 16)  # pure; history meets the same values in every version of a file
def generic_value(secret: str) -> bool:
    """A value assigned to a credential-named key that looks like a real credential.

    Rejects code and references (``self.password``, ``CONSTANT_NAME``, ``get_pw()``), paths and file
    names, bare words that are the key's own name or type words, and what detect-secrets' heuristic
    filters reject (sequential strings, UUIDs, templates, ``$VAR``), through its adapter.
    """
    value = secret.strip().strip("'\"`")
    if len(value) < 4 or len(value) > 256:
        return False
    if value.lower() in _NOT_SECRET_WORDS or (value.isdigit() and len(value) < 6):
        return False
    if (any(c in value for c in "()[]{}<>,") or value[0] in "$@&*:;=|") and not _random_symbols(value):
        return False
    # placeholders, templates, documented examples and keyboard runs are the value filters' business:
    # they lower such a match with a named reason (``filters.context_value_reasons``), never drop it
    return not (_CODE_REFERENCE.match(value) or _PATH_LIKE.search(value)
                or value.lower().startswith(("http://", "https://")))


def base64_userpass(secret: str) -> bool:
    """Base64 of ``user:password`` (HTTP basic auth, .npmrc ``_auth``, docker ``auth``) whose password
    is a real value (not empty, a placeholder or a template)."""
    raw = _b64decode(secret)
    if raw is None:
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    user, sep, password = text.partition(":")
    if not sep or not user or not password.isprintable() or not user.isprintable() or " " in user:
        return False
    from credsweep.content.filters import is_placeholder, is_template

    return len(password) >= 3 and not is_template(password) and not (is_placeholder(password) and len(password) < 12)


_TOKEN_NAME = lazy(r"(?i)^[a-z_\-]*(?:token|key|secret|pass|auth)[a-z_\-]*\d{0,3}$")  # MYTOKEN1, npm-token
_IDENTIFIER = lazy(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[a-z]+(?:_[a-z]+)+$")  # NPM_TOKEN, npm_token


def opaque_token(secret: str) -> bool:
    """A token a registry or service issued, in whatever shape it has (UUID, base64, JWT, hex, an
    opaque string): not a template, a variable name or a value with spaces or quotes in it."""
    from credsweep.content.filters import is_template

    value = secret.strip()
    return (len(value) >= 8 and not is_template(value) and not _IDENTIFIER.match(value)
            and not _TOKEN_NAME.match(value) and not any(c in value for c in " \t\"'`{}<>()[]"))


def base64_password(secret: str) -> bool:
    """A password as ``.npmrc`` ``_password`` and FileZilla's ``<Pass encoding="base64">`` hold it:
    base64 of printable text that is not a template or a placeholder. One trailing line break is part
    of how the value was made, not of the password: ``echo PASSWORD | base64`` encodes it too."""
    from credsweep.content.filters import is_placeholder, is_template

    raw = _b64decode(secret) if len(secret.rstrip("=")) % 4 != 1 else None
    try:
        text = raw.decode("utf-8") if raw is not None else ""
    except UnicodeDecodeError:
        return False
    text = text.removesuffix("\n").removesuffix("\r")
    return len(text) >= 3 and text.isprintable() and not is_template(text) and not is_placeholder(text)


def user_password(secret: str) -> bool:
    """``user:password`` in clear (yarn's ``npmAuthIdent``) or base64 of it, with a real password."""
    if ":" not in secret:
        return base64_userpass(secret)
    from credsweep.content.filters import is_placeholder, is_template
    from credsweep.content.generic import NOT_A_PASSWORD

    user, _, password = secret.partition(":")
    return (bool(user) and len(password) >= 3 and password.lower() not in NOT_A_PASSWORD
            and not is_template(password) and not is_placeholder(password))


_NAMED_LIKE_PASSWORD = lazy(r"^[a-z]{0,16}(?:password|passwd|passwort|secret)$")  # proxypassword, usersecret
_CAMEL_NAMES = lazy(r"^[a-z]+(?:[A-Z][a-z]+)+(?::[a-z]+(?:[A-Z][a-z]+)*)*$")  # secretKey:sessionToken


def literal_password(secret: str) -> bool:
    """A password written out on a command line or in a client option, not a name standing for one:
    no template or variable (``$PASS``, ``MY_SECRET_KEY``, ``db_password``, ``secretKey``), no C escape, not a word
    meaning "fill me in" (``password``, ``secret``, ``changeme``)."""
    from credsweep.content.filters import is_template
    from credsweep.content.generic import NOT_A_PASSWORD

    value = secret.strip()
    return (bool(value) and "\\" not in value and value.lower() not in NOT_A_PASSWORD
            and not _IDENTIFIER.match(value) and not _NAMED_LIKE_PASSWORD.match(value)
            and not _CAMEL_NAMES.match(value) and not is_template(value))


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "literal_password": literal_password,
    "base64_password": base64_password,
    "opaque_token": opaque_token,
    "user_password": user_password,
    "base64_userpass": base64_userpass,
    "generic_value": generic_value,
    "github_checksum": github_checksum,
    "npm_checksum": npm_checksum,
    "stack_auth_checksum": stack_auth_checksum,
    "jwt": jwt,
    "pypi_macaroon": pypi_macaroon,
    "pem": pem,
    "base64_json": base64_json,
    "discord_token": discord_token,
    "der_private_key": der_private_key,
}


JWT_EXP_LATEST = 253402300799
"""9999-12-31T23:59:59Z: an ``exp`` past it is no date."""


def jwt_exp(token: str) -> int | None:
    """The ``exp`` claim (seconds since the epoch) of a JWS compact token's payload, or None when the token does not
    decode to a JSON object with a whole-number ``exp`` between 1970 and 9999."""
    claims = _jwt_payload(token)
    exp = claims.get("exp") if claims is not None else None
    return exp if isinstance(exp, int) and not isinstance(exp, bool) and 0 < exp <= JWT_EXP_LATEST else None

