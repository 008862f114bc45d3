"""Content-only context predicates: does this match look like test code, documentation prose, an
identifier or a placeholder, judged from the value, its line and the key before it?

Each predicate is a small named function over a frozen ``Context`` and has its own tests
(tests/test_judgement.py). None of them looks at a path: their results depend on the content alone,
so the content stage can compute them once per blob and cache them with its matches (the reasons hold
no part of the secret). ``content_reasons`` returns the names of every predicate that fires; the
policy in ``judgement.confidence`` turns reasons into a confidence. Predicates lower confidence, they
never delete: a reason names why a finding is probably not a live credential, and the finding stays
one flag (``--min-confidence low``) away.

What "not a credential at all" (placeholders such as ``your_api_key``, templates such as ``${X}``)
stays in ``filters.heuristics``, which may drop.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice
from urllib.parse import unquote

from credsweep.content.filters import ENCRYPTED_ENVELOPE, is_known_example, is_low_diversity, is_placeholder
from credsweep.content.generic import NOT_A_PASSWORD
from credsweep.content.values import (
    NEARBY_BYTES,
    NEARBY_LINES,
    assigned_bare,
    assignment_above,
    counting_pattern,
    descriptive_word,
    expression_shape,
    in_ci_service_container,
    in_example_block,
    looks_like_code,
    method_name,
    under_sample_key,
    word_shaped,
)
from credsweep.models import COMPOSE_DOCUMENT, HOSTED_LOGIN, ISSUED_ACCOUNT, TYPED_LOGIN
from credsweep.util.entropy import shannon
from credsweep.util.lazyre import lazy

LINE_CONTEXT = 2048
"""Characters of line kept either side of a value (minified code has megabyte lines)."""


@dataclass(frozen=True)
class Context:
    """What the content predicates see of one match: no path, nothing outside its line."""

    value: str = field(repr=False)
    """The captured secret (memory only; predicates never copy it into a reason)."""
    line: str = field(default="", repr=False)
    """The line holding the value, at most ``LINE_CONTEXT`` characters either side of it."""
    key: str = ""
    """Key text just before the value (``db_password = ``), '' when there is none."""
    rule_kind: str = "token"
    """The rule's kind: token, password, connection-string, private-key, webhook."""
    provider: str = ""
    """The rule's provider id (``generic`` for keyword rules)."""
    rule_id: str = ""
    """The rule id."""
    encoding: str | None = None
    """'base64' or 'url' when the value was found in decoded text, else None."""
    decoded_pair: tuple[str, str] | None = field(default=None, repr=False)
    """``(user, password)`` of a decoded HTTP basic-auth value, when the value is one."""
    offset: int = -1
    """Where the value starts in ``line`` (-1: unknown, the last occurrence is used)."""
    before: str = field(default="", repr=False)
    """Text before the line (at most ``values.NEARBY_LINES`` lines, ``values.NEARBY_BYTES`` bytes):
    docstrings and comment blocks open above, code markers nearby."""
    after: str = field(default="", repr=False)
    """Text after the line (a few lines): code markers nearby."""
    source: bytes = field(default=b"", repr=False, compare=False)
    """The whole content (not copied): predicates that must look further up than ``before`` (a YAML
    document's ancestors) read it from ``line_start`` backwards, bounded."""
    line_start: int = 0
    """Offset in ``source`` where the value's line starts."""

    def value_at(self) -> int:
        """Offset of the value in ``line``, -1 when it is not there."""
        return self.offset if self.offset >= 0 else self.line.rfind(self.value)


# --- building a Context --------------------------------------------------------------------------

_KEY_TAIL = lazy(r"[\w.\-\[\]\"'`$@>]{1,80}\W{0,6}(?:[ \t]{1,24}\W{0,6})?$")  # aligned: ``X      = '...'``
# (shell's ``local``/``typeset`` too: ``local passed_phases="deploy"`` names ``passed_phases``, not ``local``)
_MODIFIERS = (r"(?:export|local|typeset|const|var|let|val|readonly|public|private|protected|internal|static|final|override|"
              r"declare|String|string|str|int|long|char|byte|bool|boolean|float|double|auto)")
# statement words that start a line before a name: ``case Name = "..."`` (a PHP or Swift enum case) names
# ``Name``, not ``case`` typed as ``Name``
_STATEMENT = r"(?:case|return|yield|else|when|throw|await|new|typedef|using|alias|default|enum|type|SET|set|DECLARE|declare)"
_TYPED_NAME = lazy(rf"^[ \t]*(?:{_MODIFIERS}[ \t]+)*(?!{_MODIFIERS}\b)(?!{_STATEMENT}\b)([A-Za-z_]\w*)"
                   r"(?:[ \t]+|[ \t]*:[ \t]*)[A-Za-z_][\w.]*(?:\[[\w.\[\], ]*\])?[ \t]*=[ \t]*[\"'`]?$")
_TYPE_WORD = lazy(r"(?:string|str|\[\]byte|CharSequence|String)\??\W{0,6}")


def context_from_bytes(data: bytes, start: int, end: int, value: str, *, rule_id: str = "", provider: str = "",
                       rule_kind: str = "token", encoding: str | None = None) -> Context:
    """The ``Context`` of a match at ``data[start:end]``: its bounded line and the key text before it.

    ``decoded_pair`` is filled for basic-auth rules whose value decodes to ``user:password``."""
    # both searches bounded by the context kept: on a one-line file (minified code, a JSON dump) an
    # unbounded search walks the whole line for every match, and the scan grows with the square of it
    line_start = max(data.rfind(b"\n", max(0, start - LINE_CONTEXT), start) + 1, start - LINE_CONTEXT)
    line_end = data.find(b"\n", end, end + LINE_CONTEXT)
    line_end = min(len(data) if line_end < 0 else line_end, end + LINE_CONTEXT)
    before = data[line_start:start].decode("utf-8", "replace")
    after = data[end:line_end].decode("utf-8", "replace")
    if before.strip() in ("", '"', "'", "`"):
        # the value alone on its line under an assignment (``const DEFAULT_TOKEN =`` / ``  "..."``): one line
        assigning = assignment_above(data, line_start, LINE_CONTEXT)
        if assigning < line_start:
            before = data[assigning:line_start - 1].decode("utf-8", "replace").rstrip() + " " + before.lstrip()
            line_start = assigning
    key = _KEY_TAIL.search(before)
    key_text = key.group(0) if key else before[-40:]
    typed = _TYPED_NAME.match(before)
    if typed:
        # ``Name Type = "..."`` (a Go typed constant), ``name: Type = "..."`` (Python, TypeScript): the
        # key is the name being assigned, not its type
        key_text = typed.group(1) + " = "
    elif key and _TYPE_WORD.fullmatch(key_text):
        named = _KEY_TAIL.search(before[:key.start()].rstrip(" \t:"))
        if named:
            key_text = named.group(0) + " " + key_text
    pair = basic_auth_pair(value) if "basic-auth" in rule_id else None
    above = data[max(0, line_start - NEARBY_BYTES):max(0, line_start - 1)]
    above = b"\n".join(above.split(b"\n")[-NEARBY_LINES:])
    below = data[line_end + 1:line_end + 1 + NEARBY_BYTES // 3]
    return Context(value=value, line=before + value + after, key=key_text,
                   rule_kind=rule_kind, provider=provider, rule_id=rule_id, encoding=encoding, decoded_pair=pair,
                   offset=len(before), before=above.decode("utf-8", "replace"),
                   after=below.decode("utf-8", "replace"), source=data, line_start=line_start)


def basic_auth_pair(value: str) -> tuple[str, str] | None:
    """``(user, password)`` when ``value`` is base64 of printable ``user:password`` text (with the newline
    ``echo 'user:pass' | base64`` encodes too), else None."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    text = text[:-2] if text.endswith("\r\n") else text[:-1] if text.endswith("\n") else text
    if ":" not in text or not text.isprintable():
        return None
    user, _, password = text.partition(":")
    return user, password


# --- vocabulary ----------------------------------------------------------------------------------

# words that say a value was made up for a test, a failure case or an example
TEST_WORDS = frozenset(
    [
        "wrong", "bad", "fake", "test", "tests", "testing", "tester", "dummy", "invalid", "incorrect", "mock", "mocked",
        "bogus", "sample", "example", "foo", "bar", "baz", "qux", "quux", "fred", "xyzzy", "alt", "alternate", "other",
        "another", "my", "your", "some", "hello", "world", "nope", "expected", "askpass", "cmdline", "sekrit"
    ]
)
# words credentials are named with, and the glue words of made-up values ("the-only-valid-one")
JARGON = frozenset(
    [
        "pass", "passwd", "password", "passwords", "passphrase", "pwd", "pw", "secret", "secrets", "token", "tokens",
        "key", "keys", "user", "users", "username", "name", "login", "auth", "cred", "creds", "credential",
        "credentials", "admin", "root", "guest", "api", "access", "private", "session", "word", "new", "old", "one",
        "two", "three", "four", "first", "second", "also", "reset", "will", "be", "the", "only", "these", "this",
        "that", "is", "a", "an", "of", "in", "it", "me", "i", "am", "self", "you", "are", "result", "store", "value",
        "valid", "real", "here", "none", "empty", "proxy", "site", "host", "server", "client", "mail", "ftp", "http",
        "web", "app", "service", "data", "csrf", "xsrf", "get", "set", "hashed", "hash", "encrypted", "salted",
        "plain", "plaintext", "local", "dev", "devel",
        # the same words in the languages a sample is often written in (``clave-super-secreta``, ``geheim``)
        "clave", "secreta", "secreto", "segreto", "geheim", "geheimnis", "mdp",
        # what a person writes for "make one up" (``somethingtotallyrandom``, ``supersecurepassword``,
        # ``typeinastrongpassword``)
        "something", "random", "totally", "really", "very", "super", "secure", "strong", "type", "enter", "put",
        "insert", "choose", "pick", "generate",
        # and for "nobody will guess it" (``superlongpasswordthatnoonewillknow``)
        "long", "longer", "no", "nobody", "know", "knows", "guess", "ever", "hard",
        # and for what it is (``supersecretstring``, ``randomstring``)
        "string"
    ]
)
_VOCABULARY = TEST_WORDS | JARGON
# values that name a state, a type or a UI word: what a keyword rule meets in code, never a credential
COMMON_VALUES = frozenset(
    [
        "something", "anything", "nothing", "hello", "world", "check", "context", "environment", "default", "value",
        "string", "text", "true", "false", "enabled", "disabled", "required", "optional", "hidden", "passed", "failed",
        "failing", "passing", "loggedin", "success", "failure", "error", "green", "red", "yes", "no", "on", "off",
        "conv", "null", "nil", "undefined", "unknown", "ok", "skip", "skipped", "pending", "password", "username",
        "submit", "login", "logout", "hashed", "credentials",
        # an account's state written into its password column to lock it (``$user->password = 'bounced'``)
        "deleted", "bounced", "invited", "blocked", "locked", "expired", "revoked", "banned", "removed", "inactive", "invalid",
        # an authentication failure's message (Passport's ``authenticate('jwt', 'Unauthorized.')``)
        "unauthorized", "unauthorised", "forbidden", "unauthenticated",
        # the conventional password of an anonymous FTP or SMB login (RFC 1635)
        "anonymous",
        # the word "password" in the languages user interfaces are translated into: a form's label or a
        # sample written in the author's language (``"password": "heslo"`` beside ``"jmeno@domena.cz"``)
        "passwort", "kennwort", "contraseña", "contrasena", "contrasenya", "motdepasse", "senha", "wachtwoord",
        "salasana", "parola", "parool", "lozinka", "jelszó", "jelszo", "hasło", "haslo", "heslo", "geslo",
        "adgangskode", "kodeord", "lösenord", "losenord", "passord", "şifre", "sifre", "пароль", "parol",
        "密码", "密碼", "パスワード", "비밀번호",
        # types: a model's casts and a schema's field types (``'password_client' => 'boolean'``)
        "boolean", "bool", "integer", "int", "array", "object", "datetime", "date", "timestamp", "float", "double",
        "decimal", "json", "collection", "encrypted",
        # log levels: a status mapped to one (``{"pass": "info", "fail": "error"}``)
        "info", "debug", "warn", "warning", "trace", "notice", "fatal"
    ]
)


@lru_cache(maxsize=4096)
def _segment(run: str) -> tuple[str, ...] | None:
    """``run`` (lower-case letters) split into vocabulary words, fewest words first, or None."""
    best: list[tuple[str, ...] | None] = [None] * (len(run) + 1)
    best[0] = ()
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 14), end):
            head = best[start]
            if head is not None and run[start:end] in _VOCABULARY:
                candidate = (*head, run[start:end])
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(run)]


def vocabulary_words(text: str) -> tuple[str, ...] | None:
    """The vocabulary words ``text`` is made of (digits and punctuation separate them), or None when
    any letter run is not made of them."""
    runs = re.findall(r"[a-z]+", text.lower())
    if not runs or len(text) > 64:
        return None
    words: list[str] = []
    for run in runs:
        found = _segment(run)
        if found is None:
            return None
        words.extend(found)
    return tuple(words)


_COUNTER = lazy(r"[_\-]\d{1,3}$|(?<!\d)(?:1234567890|123456789|12345678|1234567|123456|12345|1234|123)$")
"""A counter ending a made-up value: ``_2``, or a counting run (``DevSecretKey1234``)."""


def _made_up(text: str) -> bool:
    """Made of test words (``wrongpass``, ``BADpass``, ``testuser``), or of credential jargon alone
    (``secret-passwd``, ``store-pass``): a value that describes itself."""
    words = vocabulary_words(text)
    if not words:
        # a test word among other words (``bookstack-test``, ``fake_smtp_user``)
        parts = [part for part in re.split(r"[_\-.]+", text.lower()) if part]
        return (len(parts) >= 2 and any(part in TEST_WORDS for part in parts)
                and all(part.isalpha() and word_shaped(part) for part in parts))
    if any(w in TEST_WORDS for w in words):
        return True
    # a counter at the end numbers made-up values (``hashed_password_2``); digits elsewhere may be chosen. A
    # counting run glued on (``DevSecretKey1234``) only beside a word for a development value: ``AdminPassword123``
    # in a server's configuration is a weak password somebody set
    if len(words) < 2:
        return False
    bare = _COUNTER.sub("", text)
    if bare != text and not _SEPARATED_COUNTER.search(text) and not _NOT_PRODUCTION.intersection(words):
        return False
    return not any(c.isdigit() for c in bare)


_SEPARATED_COUNTER = lazy(r"[_\-]\d{1,3}$")
_NOT_PRODUCTION = frozenset({"dev", "devel", "local"})


# --- predicates ----------------------------------------------------------------------------------

_TEST_IDIOM = lazy(
    r"(?i)\bassert\w*|\bexpect(?:ed|s|ation)?\b|\.expect\s*\(|\.should\b|\.to(?:Equal|Be|Have)\w*\s*\(|"
    r"\b(?:mock|stub|fake)\w*\s*\(|\bhttpbin\s*\(|\bpytest\b|\bunittest\b|\btest_?client\b|"
    r"\b(?:describe|it|test)\s*\(\s*[\"'`]|::test_\w+|<testcase\b|\b(?:PASSED|FAILED|XFAIL)\b"
)
_PROMPT_LINE = lazy(r"^\s*(?:>>>|\.\.\.|[<>]) ")  # a doctest or an HTTP trace: expected output
_NEGATIVE_KEY = lazy(r"(?i)(?:^|[^a-z])(?:wrong|bad|invalid|incorrect|fake|dummy|mock|bogus|example|sample|demo|"
                           r"expired|revoked|nonexistent|alt|other)(?:[^a-z]|$)|(?:wrong|bad|fake|dummy|mock)_?(?:pass|pwd|secret|token|"
                           r"key|auth|user|cred)")


def is_test_code(ctx: Context) -> bool:
    """A test idiom on the line: asserts, ``expect``/``expected``, ``.should``, mock/stub/fake calls,
    test helpers such as ``httpbin('basic-auth', 'user', 'pass')``, doctest prompts and test-runner output.
    Within ``TEST_IDIOM_REACH`` characters of the value: on a long line (minified code, a data dump) an idiom
    farther away says nothing about it, and searching the whole window is the predicate's main cost. Also a
    Rust unit test: the value below a ``#[cfg(test)] mod tests {`` of its file (Rust keeps unit tests in the
    source file they test, in a module compiled only for tests: https://doc.rust-lang.org/book/ch11-03-test-organization.html)."""
    at = ctx.value_at()
    if at < 0:
        window = ctx.line
    else:
        window = ctx.line[max(0, at - TEST_IDIOM_REACH):at + len(ctx.value) + TEST_IDIOM_REACH]
    return bool(_TEST_IDIOM.search(window) or _PROMPT_LINE.match(ctx.line) or _in_rust_test_module(ctx))


_RUST_TEST_MODULE = lazy(rb"#\[cfg\(test\)\]\s*(?:pub(?:\([\w:]+\))?\s+)?mod\s+\w+\s*\{")


def _in_rust_test_module(ctx: Context) -> bool:
    """Below the first ``#[cfg(test)]`` module's opening in the same file."""
    if not ctx.source:
        return False
    start = _rust_test_start(ctx.source)
    return 0 <= start < ctx.line_start


@lru_cache(maxsize=1)  # a content's matches ask in turn with the same bytes object (which keeps its hash)
def _rust_test_start(source: bytes) -> int:
    """Offset of the first ``#[cfg(test)] mod name {`` in ``source``, -1 when none: one search per content."""
    at = source.find(b"#[cfg(test)]")
    while at >= 0:
        if _RUST_TEST_MODULE.match(source, at):
            return at
        at = source.find(b"#[cfg(test)]", at + 1)
    return -1


TEST_IDIOM_REACH = 400
"""Characters either side of a value where a test idiom on its line counts."""


def has_test_key_name(ctx: Context) -> bool:
    """The value is assigned to a name that says it is wrong or made up: ``wrong_auth``, ``bad_password``,
    ``alt_passwd``, ``fake_token``, ``invalid_secret``."""
    key = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", ctx.key)  # camelCase → snake (a literal replacement: no template per match)
    return bool(_NEGATIVE_KEY.search(key))


_TEST_KEY = lazy(r"(?i)(?:^|[^a-z])test(?:[^a-z]|$)")


def is_test_words(ctx: Context) -> bool:
    """The value is made of test or placeholder words (``BADpass``, ``wrongpass``, ``testpass``,
    ``wrong-passwd``, ``askpass-password``), not of characters chosen to be secret; or both its name and
    its value say test (``SCRAM_TEST_PGPASSWORD: test4scram``, ``CREATE ROLE scram_test LOGIN PASSWORD
    'test4scram'``: a throwaway test login); or such words in leetspeak (``Sup3rS3cr3t``); or one credential
    word numbered as its key is (``--password1 secret1 --password2 secret2``: a manual's two sample logins)."""
    value = ctx.value.strip()
    if not 3 <= len(value) <= 64 or "\n" in value:
        return False
    if value.lower().startswith("test"):
        at = ctx.value_at()
        names = [re.sub(r"(?<=[a-z])(?=[A-Z])", "_", ctx.key)]
        names += [m.group(1) for m in _USER_BEFORE.finditer(ctx.line[:max(at, 0)])]
        if any(_TEST_KEY.search(name) for name in names):
            return True
    numbered = _NUMBERED_WORD.match(value)
    if numbered and numbered.group(1).lower() in JARGON:
        key_index = _KEY_INDEX.search(ctx.key)
        if key_index and key_index.group(1) == numbered.group(2):
            return True
    if _made_up(value):
        return True
    plain = value.translate(_LEET_TABLE)  # S3cr3t is Secret, P@ss is Pass
    if plain != value and plain.isalpha():
        if _LEET_PLACEHOLDER.search(plain):
            return True  # a placeholder in leetspeak (``ch4n63m31fy0uc4n``: change me if you can)
        words = vocabulary_words(plain)
        return words is not None and len(words) >= 2
    return False


_LEET_PLACEHOLDER = lazy(r"(?i)^(?:change[_\-]?(?:me|it|this)|replace[_\-]?me|placeholder|dummy|notreal)")
"""Placeholder words a leetspeak value starts with (not a product's name and "password": an installer's default
login is a login; not a word inside a random value, whose digits read as letters too)."""
_NUMBERED_WORD = lazy(r"^([A-Za-z]{3,12})(\d{1,2})$")
_KEY_INDEX = lazy(r"[A-Za-z](\d{1,2})\W*$")


def is_common_word(ctx: Context) -> bool:
    """The value is a word code uses for states, types and labels (``something``, ``check``,
    ``loggedin``, ``passed``, ``hashed``), or an upper-case constant (``"PUBLICKEY"``)."""
    value = ctx.value.strip().strip("\"'")
    if value.lower() in COMMON_VALUES or value.lower().rstrip(".!") in COMMON_VALUES:
        return True
    if _LOCALISED_PASSWORD.search(value) and not any(c.isdigit() for c in value) and len(value) <= 64:
        return True  # a UI label in some language (``Hauptpasswort``, ``palavra-passe``, ``Hoofdwachtwoord``)
    return 4 <= len(value) <= 12 and value.isalpha() and value.isupper()


_LOCALISED_PASSWORD = lazy(r"(?i)^(?:[^\W\d_]+[\s\-])*[^\W\d_]*(?:passwor[dt]|wachtwoord|palavra[- ]passe|mot de passe|contrase[ñn]a|senha|"
                           r"salasana|l[öo]senord|adgangskode|kodeord|passord|has[łl]o|heslo|jelsz[óo]|пароль|密码|密碼|"
                           r"パスワード|비밀번호)(?:[\s\-][^\W\d_]+){0,6}$")
"""The word "password" in the languages interfaces are translated into, as a label's whole text, compounds and a
few words around allowed (``Master-Passwort``, ``Hauptpasswort``, ``palavra-passe``): a translation, not a value."""


# RFC 7617's example pair, and values that RFCs and vendors' documentation print as examples
_KNOWN_PAIRS = frozenset({("aladdin", "open sesame")})
KNOWN_DOC_VALUES = frozenset({
    "2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA", "8xLOxBtZp8", "SplxlOBeZQQYbYS6WxSbIA",  # RFC 6749
    "h480djs93hd8", "dh893hdasih9", "kd94hf93k423kf44", "pfkkdhi9sl3r4s00", "nnch734d00sl2jdk",  # RFC 5849
    "hh5s93j4hdidpola", "hdk48Djdsa", "ad180jjd733klru7", "kkk9d7dh3k39sjv7", "j49sk3j29djd",
    "xxj31ZMTZzkVA",  # Apache httpd's default-ssl.conf comment
})


def is_documented_example(ctx: Context) -> bool:
    """A value that an RFC prints as its example (OAuth RFC 6749/5849 tokens) or a stock config
    comment holds (Apache's). Vendors' sample keys are demo credentials (``is_demo_credential``)."""
    return ctx.value.strip() in KNOWN_DOC_VALUES


def is_placeholder_pair(ctx: Context) -> bool:
    """A decoded basic-auth pair that is a placeholder: ``user:pass``, ``testuser:testpass``,
    ``fake:user``, ``foo:bar``, ``user1:password1``, a password equal to its user or of four characters at most
    (``x-access-token:abc``), or RFC 7617's example."""
    if ctx.decoded_pair is None:
        return False
    user, password = (part.strip() for part in ctx.decoded_pair)
    if (user.lower(), password.lower()) in _KNOWN_PAIRS or password == user or not password:
        return True
    if len(set(password)) <= 2 or len(password) <= 4:  # xxx:yyy, proxy:pppp; x-access-token:abc (no token is 4 long)
        return True
    core = _strip_suffix(password)
    if vocabulary_words(core) is not None or _made_up(password):
        return True
    user_words = vocabulary_words(user.split("//")[-1])
    short_word = len(password) <= 8 and password.isalpha()
    return user_words is not None and any(w in TEST_WORDS for w in user_words) and short_word


_CREDENTIAL_TOKENS = frozenset(
    [
        "password", "passwd", "pass", "pwd", "pw", "passphrase", "passcode", "passkey", "passw", "secret", "secrets",
        "token", "key", "apikey", "auth", "authorization", "credential", "credentials", "cred", "creds", "private",
        "privatekey"
    ]
)
_NOT_CREDENTIAL_WORDS = frozenset(
    [
        "compass", "bypass", "surpass", "encompass", "trespass", "minipass", "overpass", "underpass", "impasse",
        "monkey", "donkey", "turkey", "hockey", "jockey", "whiskey", "lackey",
        # GIT_ASKPASS, SSH_ASKPASS, VSCODE_GIT_ASKPASS_*: the program that asks for a password
        "askpass",
        # a WebAuthn passkey is a key pair kept by an authenticator, never a string in code or config
        # (``passkeySkipped``, ``passkey: "#/components/schemas/..."``)
        "passkey", "passkeys",
    ]
)
# words that start with a credential keyword and mean something else (an ``authtok`` is still a token)
_KEYWORD_PREFIXED_WORD = lazy(
    r"^(?:pass(?:ing|es|ed|enger\w*|age\w*|ive\w*|port\w*|through|thru|env|ion)|author\w*|keyboard\w*|"
    r"keyword\w*|keystroke\w*|keyframe\w*|keypress|keydown|keyup|tokeni[sz]\w*|secretar\w*|pass(?:word)?less|"
    r"token(?:address|addr|mint|symbol|name|type|uri|url|count|amount|balance|decimals|supply))$")


_CUSTOM_FIELD = lazy(r"__(?:c|r|mdt|e|x|b)\b")
"""Salesforce's suffixes of custom fields and objects (``API_Key__c``): a field named ``API_Key``."""


@lru_cache(maxsize=4096)  # pure; asked twice per match (keyword inside a word, key echoes)
def _key_tokens(key: str) -> tuple[str, ...]:
    # HTTPServer → HTTP Server, apiKey → api Key: zero-width splits, the same as replacing the pairs
    key = _CUSTOM_FIELD.sub("", key) if "__" in key else key
    split = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", " ", key))
    return tuple(t.lower() for t in re.split(r"[^A-Za-z0-9]+", split) if t)


def _credential_token(token: str) -> bool:
    if token in _NOT_CREDENTIAL_WORDS:
        return False
    # compounds that end with a credential word name one: smtppass, dbpassword, apikey, authtoken
    return token in _CREDENTIAL_TOKENS or token.endswith(("pass", "password", "passwd", "pwd", "secret",
                                                          "token", "key", "apikey"))


def _keyword_in_other_word(token: str) -> bool:
    if token.startswith("pass") and len(token) >= 7 and token.isalpha() and not token[4:].startswith(_PASS_GOES_ON):
        return True  # ``pass`` glued to another word: a product's name (``passbolt``, ``passport``), ``passenger``
    return token in _NOT_CREDENTIAL_WORDS or bool(_KEYWORD_PREFIXED_WORD.match(token))


_PASS_GOES_ON = ("w", "ord", "phrase", "code", "key", "hash", "file", "val", "enc", "crypt", "salt", "str", "text",
                 "field", "input", "confirm", "check", "reset", "change", "again", "repeat")
"""How a key naming a password goes on after ``pass`` (``password``, ``passwordhash``, ``passwort``, ``passphrase``,
``passcode``, ``passord`` in Norwegian, ``passhash``, ``passconfirm``): with any other word after it, seven letters
or more, ``pass`` is part of that word."""


def is_keyword_inside_word(ctx: Context) -> bool:
    """The credential keyword the rule saw is only part of a longer word in the key:
    ``GIT_TEST_PASSING_SANITIZE_LEAK``, ``passes=``, ``passenv``, ``node-compass``, ``keyboard``, ``author``, a
    processing pass (``hwScaleFilterFirstPass``); or only in the type annotating a key that names no credential (``modelName: TiktokenModel = "gpt-4"``).
    Not for what a rule knows by its shape (a password hash, a private key): there the "key" is a user name
    (``passbolt:$apr1$...`` in an htpasswd file)."""
    if ctx.rule_kind == "private-key" or ctx.rule_id.startswith("password-hash."):
        return False
    tokens = _key_tokens(ctx.key)
    if "pass" in tokens and all(t != "pass" or (i > 0 and tokens[i - 1] in _ORDINALS) for i, t in enumerate(tokens)) \
            and not any(_credential_token(t) for t in tokens if t != "pass"):
        return True  # a processing pass (``hwScaleFilterFirstPass``, ``second_pass``): no password
    if not tokens or any(_credential_token(t) for t in tokens):
        return False
    if any(_keyword_in_other_word(t) for t in tokens):
        return True
    annotated = _TYPE_ANNOTATION.search(ctx.line)
    return annotated is not None and any(_credential_token(t) for t in _key_tokens(annotated.group(1)))


_ORDINALS = frozenset({"first", "second", "third", "final", "last", "next", "each", "single", "two", "one", "multi",
                       "initial"})
_TYPE_ANNOTATION = lazy(r"\b[A-Za-z_$][\w$]*\??\s*:\s*([A-Z][\w$.]*(?:<[\w$.,\s]*>)?(?:\[\])?)\s*=")
"""A typed key (TypeScript, Python, Kotlin): ``name: Type = value``; group 1 is the type."""


_LOCK_MARK = lazy(r"^[!*]([a-z]*)$")
_LEET_VALUE = lazy(r"^(?=[^0-9@$]*[A-Za-z])(?=.*[013457@$])[A-Za-z013457@$_\-]{6,64}$")


def is_key_echo(ctx: Context) -> bool:
    """The value repeats the key's own words, also spelt in leetspeak (``AGENT_STORE_PASSWORD =
    "agent5s0repa55w0rd"``, ``PASSWORD = "Crui3CertSigningPassword"``): see ``_key_echo``."""
    if _key_echo(ctx):
        return True
    value = ctx.value.strip()
    locked = _LOCK_MARK.match(value.strip("\"'`"))
    if locked and (not locked.group(1) or locked.group(1) in _key_tokens(ctx.key)):
        return True  # an unusable password's marker (``UNUSABLE_PASSWORD = '!unusable'``, shadow's ``!``/``*``)
    return bool(_LEET_VALUE.match(value)) and _key_echo(replace(ctx, value=value.translate(_LEET_TABLE)))


def _key_echo(ctx: Context) -> bool:
    """The value repeats the key's own words: a constant or a field name, not data
    (``TOKEN_TYPE_OPERATORPREFIX = 'OperatorPrefix'``, ``passive: passive``,
    ``RESET_PASSWORD = 'operators.reset-password'``, a generated SDK's
    ``"...PasswordlessProfileData": ".event_stream_..._passwordless_profile_data"``), or one word of it
    where that word is no user of a password: the credential word itself (``CREDENTIAL_KEY =
    "credential"``), a word after it (``PasswordStrengthGood = "good"``), any word of a key that is not
    a password's (``SESSION_KEY = "session"``), or the key's credential word misspelt (``PASSWORD =
    'pasword'``). An admin password set to "admin" stays: a default login.
    Not for connection strings: there the "key" is the user, and a password equal to it
    (``admin:admin@db.corp``) is a default credential, the first an attacker tries (placeholder users
    and example hosts have predicates of their own)."""
    if ctx.rule_kind == "connection-string" or len(ctx.value) > 256:
        return False
    value_words = [w for w in re.split(r"[^a-z0-9]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", ctx.value).lower()) if w]
    key_words = _key_tokens(ctx.key)
    if not value_words or not key_words:
        return False
    flat_value, flat_key = "".join(value_words), "".join(key_words)
    if flat_key[-1:].isdigit() and flat_value[-1:].isdigit() and flat_key.rstrip("0123456789") \
            and flat_key.rstrip("0123456789").endswith(flat_value.rstrip("0123456789")):
        return True  # sibling names (``passwordKind ? "password1" : "password2"``)
    tail = "".join(value_words[-2:])
    if flat_key.endswith(flat_value) or (len(value_words) >= 2 and len(tail) >= 5 and tail in flat_key):
        return True  # (the last two words, five letters or more: a random ``...+aC`` is no ``access``)
    if len(key_words) >= 2 and _tagged_name(flat_value, flat_key):
        return True  # the key's name with a counter or a short tag (``"access_token0"``, ``"_logout_token_tmp"``)
    if 2 <= len(value_words) <= 4 and value_words[-1] == key_words[-1] and len(key_words[-1]) >= 5 \
            and all(w.isalpha() for w in value_words):
        return True  # a qualified name that ends in the key's word (``tokens: "general:Tokens"``)
    if len(flat_key) >= 12 and flat_value.endswith(flat_key):
        return True  # a long name cut at the context's edge, repeated in full by the value
    if len(flat_key) >= 4 and flat_value.startswith(flat_key) and flat_value[len(flat_key):] in _QUALIFIERS:
        return True  # the key's name and a qualifier (``'password' => 'passwordfield'``: a form field's type)
    if len(value_words) == 1 and len(flat_value) >= 12 and flat_value in flat_key:
        return True  # the key's name less a qualifier (``DeploymentGroupAccessTokenResource = "deploymentgroupaccesstoken"``)
    if len(flat_key) >= 12 and len(value_words) == 1 and _one_edit(flat_value, flat_key):
        return True  # the whole key spelt again with one slip (``agentstorepassword`` as ``agentssorepassword``)
    if len(value_words) == 1 and len(value_words[0]) >= 6 and value_words[0].isalpha() and any(
            _credential_token(token) and _one_edit(value_words[0], token) for token in key_words):
        return True  # the key's credential word misspelt, a storage key's name (``PASSWORD = 'pasword'``)
    if len(value_words) != 1 or not value_words[0].isalpha() or value_words[0] not in key_words:
        return False
    word = value_words[0]
    at = len(key_words) - 1 - key_words[::-1].index(word)
    heads = [i for i, token in enumerate(key_words) if _credential_token(token)]
    password_key = any(token.endswith(_PASSWORD_WORDS) for token in key_words)
    # a word after a credential word qualifies it (PasswordStrengthGood); one before it may be the user
    return _credential_token(word) or not password_key or bool(heads and at > heads[0])


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one inserted, deleted, replaced or swapped letter (a typo), not more."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1:]


def _tagged_name(flat_value: str, flat_key: str) -> bool:
    """``flat_value`` is ``flat_key`` (or its end) with a one- or two-digit index (``accesstoken0`` for
    ``initial_access_token``) or with a tag of at most 8 characters after it, not only digits
    (``accesskeysecretclthaj``, ``logouttokentmp``)."""
    stem = flat_value.rstrip("0123456789")
    if 1 <= len(flat_value) - len(stem) <= 2 and len(stem) >= 5 and flat_key.endswith(stem):
        return True  # an index, not a password's ``123`` (``AdminPassword=AdminPassword123`` is a weak password)
    tag = flat_value[len(flat_key):]
    return len(flat_key) >= 8 and flat_value.startswith(flat_key) and 0 < len(tag) <= 8 and not tag.isdigit()


_PASSWORD_WORDS = ("pass", "password", "passwd", "pwd", "passphrase", "passcode")
_KEY_NAME = lazy(r"[A-Za-z_$][\w$]*(?=[^\w$]*$)")
_KEYED_NAME_TOKENS = frozenset({"key", "token", "base", "prefix"})  # a key's name, or the start of names


def is_description_value(ctx: Context) -> bool:
    """A name, not a credential: a quoted word or identifier-shaped name (``"session"``,
    ``"pre-activation"``, ``"x509_cert"``) assigned in code to a ``*_KEY`` or ``*_TOKEN`` name
    (``SESSION_KEY``, ``cacheKey``, ``CSRF_TOKEN``): the key a value is stored under, a header or form
    field name. Generated keys are not made of words (``descriptive_word``); password fields are left
    alone: a weak human password is a real one."""
    if ctx.rule_kind in ("password", "connection-string") or not _quoted(ctx):
        return False
    name = _KEY_NAME.search(ctx.key)
    tokens = _key_tokens(name.group(0)) if name else ()
    # a key's prefix ends with its separator (``BackupApiKeyBase = "node-definition-backup:"``)
    value = ctx.value.strip().rstrip(":._-/")
    constant = _CONSTANT_NAME.match(value) is not None and word_shaped(value.lower())
    if not tokens or tokens[-1] not in _KEYED_NAME_TOKENS or not (descriptive_word(value) or constant):
        return False
    at = ctx.value_at()
    if at > 0 and _MARKUP_ATTRIBUTE.match(ctx.line[:at]):
        return True  # an element's attribute (``<Dictionary Token="LabelExit" Text="Exit" />``): markup names it
    return looks_like_code(ctx.line, ctx.before + "\n" + ctx.after)


_CONSTANT_NAME = lazy(r"^[A-Z][A-Z_]{5,39}$")
"""A name in capitals (``FOCALBOARDAUTHTOKEN``, ``SESSION_COOKIE``): a cookie's or a header's name, never generated."""
_MARKUP_ATTRIBUTE = lazy(r"^\s*<[A-Za-z][\w:.\-]*\s[^<>]*?\b[\w:.\-]+\s*=\s*[\"']$")


_TYPE_ALIAS = lazy(r"^\s*(?:export\s+)?(?:declare\s+)?type\s+\w+(?:<[^>\n]*>)?\s*=")


_COMPOSITE = lazy(r"^&?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\{\}?$")
_ADDRESS_OF = lazy(r"^&[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
_OPTIONAL_CHAIN = lazy(r"^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*\?\.[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*$")
_MEMBERSHIP = lazy(r"\s+(?:not\s+in|in|instanceof)\s+[A-Za-z_$][\w.$]*")


_SED_SUBSTITUTION = lazy(r"\bsed(?:_inplace)?\b[^\n]{0,80}?\s['\"]?s([/|#,@])[^\n]{0,400}\1")
"""A sed substitution on the line (``sed -i "s/POSTGRES_PASSWORD=.../POSTGRES_PASSWORD=$db_password/g"``)."""


_SPLICE = lazy(r"(?:[\"'`]|\]=*\])\s*(?:\.\.|\+|\.)\s*[A-Za-z_$][\w.$]{0,64}(?:\(\))?\s*(?:\.\.|\+|\.)\s*(?:[\"'`]|\[=*\[)?")
"""A string spliced around a name: Lua's ``]]..name..[[`` and ``"..name.."``, JavaScript's ``"+name+"``,
PHP's ``'.$name.'``."""


_JOINED_AFTER = lazy(r"""["']\s*(?:\.|\+|\.\.)\s*\$?[A-Za-z_][\w$]*(?:(?:->|\.|::)[A-Za-z_]\w*|\[[^\]\n]{0,64}\])*"""
                     r"""\s*(?:[.+;,)]|\.\.|$)""")
"""The literal closes and a variable is joined on (PHP's ``'. $token['AuthenticationToken']['token'] .'``,
``' + name +``): the literal is only a fixed part of a value built at run time."""
_JOINED_CALL = lazy(r"^(?:[.+]|\)\s*(?:->|\.))\s*\$?[A-Za-z_]\w*(?:(?:->|\.|::)[A-Za-z_]\w*)*\s*\(")
"""A concatenation's right side that calls something (PHP's ``.$request->input(``, ``.escapeshellarg($password);``,
JavaScript's ``+ getSecret(``), or a call chained on the closed literal's call (``->after('KEY=')->before(``)."""
_NEGATED_NAME = lazy(r"^!{1,3}[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*[,;]?$")


def is_code_expression(ctx: Context) -> bool:
    """The value is code, not a literal: an unquoted call (``access_token_model.objects.filter(``,
    ``(*TokenManager)(&m.common)``), subscript or type (``NotRequired[Optional[str]]``,
    ``token.get(NAME)[0]``, ``optional<list<Token>>``) or operator expression, every identifier in it
    made of words; a Go composite literal or address (``utils.KeyBuilder{}``, ``&schema.DefaultConfig``); a
    string tested for membership (``'name' in module ? ...``); an optional chain (``config?.secret``,
    also on the line after its key); a TypeScript literal type (``type TokenFormat = "compact-nested-jwe"``);
    or a name spliced into a string (``-passout pass:]]..passphrase..[[`` in Lua, ``"pass:" + pw + "``); a
    negated name (``pass: !!actual``)."""
    if _TYPE_ALIAS.match(ctx.line) or _SED_SUBSTITUTION.search(ctx.line):
        return True  # (a sed command's substitution: its pattern and replacement are text being edited)
    if _SPLICE.fullmatch(ctx.value.strip()):
        return True  # the literal closes, a variable is joined in, the literal reopens: code around a value
    at = ctx.value_at()
    if at > 0 and ctx.line[:at].endswith(("'", '"', "`")) and _JOINED_CALL.match(ctx.value.strip()):
        return True  # the literal closed and a call's result is joined on: ``'REDIS_PASSWORD='.$request->input(``
    if at > 0 and ctx.line[:at].endswith(("'", '"')) and _JOINED_AFTER.match(ctx.line, at + len(ctx.value)):
        return True  # a literal a variable is joined to: ``$token = 'gpgauthv1.3.0|36|'. $token .'|...'``
    if at >= 0 and _quoted(ctx) and _MEMBERSHIP.match(ctx.line, at + len(ctx.value) + 1):
        return True  # an operand: ``'kModuleError' in deps.saslprep ? password : ...``
    bare = ctx.value.strip()
    if not _quoted(ctx) and _NEGATED_NAME.match(bare) and word_shaped(bare.lstrip("!").split(".")[-1]):
        return True  # a negated name (``pass: !!actual``): a boolean computed from a variable
    if not _quoted(ctx) and _OPTIONAL_CHAIN.match(bare) and all(word_shaped(part) for part in re.split(r"\??\.", bare)):
        return True  # optional chaining, wherever it stands (``configModule?.projectConfig?.cookie_secret``)
    if not _quoted(ctx) and (_COMPOSITE.match(bare) or (
            _ADDRESS_OF.match(bare) and all(word_shaped(part) for part in bare[1:].split(".")))):
        # a Go composite literal (``&storepb.PersonalAccessTokensUserSetting{``, ``utils.KeyBuilder{}``) or
        # the address of a field or package variable (``&schema.DefaultPasswordConfiguration``)
        return True
    if ctx.rule_kind == "connection-string" or _quoted(ctx) or not assigned_bare(ctx.line, at):
        return False
    bare = bare.rstrip(";,") or bare  # the statement's or the argument's end (``encrypt($value);``)
    shape = expression_shape(bare)
    if shape == "operator" and len(bare) >= 24 and looks_generated(bare):
        return False  # a generated value with a ``+`` or ``/`` in it (an AWS secret key), not ``a + b``
    return shape in ("call", "subscript", "generic", "operator")


_PUBLIC_BEGIN = lazy(rb"-----BEGIN (?:CERTIFICATE|TRUSTED CERTIFICATE|X509 CRL|PUBLIC KEY|RSA PUBLIC KEY|"
                     rb"PGP PUBLIC KEY BLOCK|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|PKCS7|CMS)-----")
PEM_REACH = 64 * 1024
"""Bytes looked back for the PEM block a line may sit in (a certificate is a few KB)."""


def is_inside_public_block(ctx: Context) -> bool:
    """The value is a piece of the base64 body of a certificate or public key (a CA bundle's
    ``cacert.pem``): a token-shaped run inside public material, not a credential."""
    if not ctx.source or ctx.value.lstrip().startswith("-----BEGIN"):
        return False
    low = max(0, ctx.line_start - PEM_REACH)
    begin = ctx.source.rfind(b"-----BEGIN ", low, ctx.line_start)
    if begin < 0 or ctx.source.find(b"-----END ", begin, ctx.line_start) >= 0:
        return False
    return bool(_PUBLIC_BEGIN.match(ctx.source, begin))


_RSPAMD_KEY = lazy(r"^[a-km-z1-9]{52}$")  # rspamd's base32 alphabet, a Curve25519 key
_FUZZY_RULE = lazy(r"\bservers\s*=\s*\"[^\"]+:\d+|\bfuzzy_map\b|\bfuzzy_check\b")


def is_public_key_setting(ctx: Context) -> bool:
    """A setting that holds a server's public key, named ``encryption_key`` by the software that reads it:
    rspamd's ``fuzzy_check`` rules (``encryption_key`` beside ``servers = "host:port"`` and ``fuzzy_map``) name
    the fuzzy storage's public Curve25519 key, which its operators publish so clients can encrypt to it
    (https://rspamd.com/doc/modules/fuzzy_check.html); the storage's own keypair is a ``keypair`` block."""
    if not ctx.key.rstrip(" \t=:\"'").lower().endswith("encryption_key") or not _RSPAMD_KEY.match(ctx.value.strip()):
        return False
    return bool(_FUZZY_RULE.search(ctx.before[-1500:] + "\n" + ctx.after[:600]))


def is_public_material(ctx: Context) -> bool:
    """Public material, not a credential: a piece of a certificate's or public key's body
    (``is_inside_public_block``), a setting that holds a server's public key (``is_public_key_setting``), or a
    value whose comment, on its line or the line above, says it is not a secret (``// This is not actually a secret
    key, it's just a string that we XOR with``, ``# not secret: published in the app``). Keyword rules only for the
    comment."""
    if is_inside_public_block(ctx) or is_public_key_setting(ctx):
        return True
    if not ctx.rule_id.startswith("generic."):
        return False
    above = ctx.before.rstrip("\n").rsplit("\n", 1)[-1]
    return any(_NOT_SECRET_NOTE.search(text) for text in (ctx.line, above)
               if _COMMENT_LINE.match(text) or "//" in text or "#" in text)


_NOT_SECRET_NOTE = lazy(r"(?i)(?://|#|/\*|--)[^\n]{0,80}\b(?:(?:(?:is|are)\s+)?(?:not|n't|never)\s+(?:actually\s+|really\s+|a\s+)?"
                        r"(?:a\s+)?(?:secret|sensitive|confidential|private)\b|(?:this|it)\s+is\s+(?:a\s+|the\s+)?public\b)")
"""A comment saying the value is not a secret (``// not actually a secret key``, ``# this isn't sensitive``, ``// This is a
public client secret for telemetry``)."""


STRING_REACH = 64 * 1024
"""Bytes looked back to count the triple quotes a line may sit between (most source files are smaller)."""


def is_docstring_sample(ctx: Context) -> bool:
    """The value is a documented sample: inside a docstring or comment block that introduces it as an
    example ("Example response:", "e.g.", "sample", a ``>>>`` prompt) or is a pasted document (a JSON response
    under ``/*``, a PHP ``var_export`` or ``print_r`` dump), or nested under an ``example:``
    key of a YAML or JSON document (an OpenAPI spec's examples), not a value the code uses."""
    # where the bounded text above holds triple quotes, count them from further up (the file's start when
    # it is under STRING_REACH): the text above may begin inside a docstring, and its closing quotes would
    # flip the count; without any, no string opened nearby
    earlier = (ctx.source[max(0, ctx.line_start - STRING_REACH):ctx.line_start]
               if ctx.source and ('"""' in ctx.before or "\'\'\'" in ctx.before) else None)
    if in_example_block(ctx.line, ctx.before, earlier):
        return True
    if ctx.source and "/*" not in ctx.before and "*/" not in ctx.before and "*/" in ctx.after:
        # a block comment closes below and opened above the context's lines (a long pasted response): read from
        # further up, bounded
        wide = ctx.source[max(0, ctx.line_start - BLOCK_REACH):ctx.line_start].decode("utf-8", "replace")
        if in_example_block(ctx.line, wide):
            return True
    return under_sample_key(ctx.line, ctx.source, ctx.line_start)


BLOCK_REACH = 8192
"""Bytes looked back for the ``/*`` of a block comment the value sits in, when the context's lines start inside it."""


def is_counting_pattern(ctx: Context) -> bool:
    """The value was typed by counting or repeating (``1234abcd-1234-abcd-...``, ``AbCdEf12``,
    ``a1B2c3d4``, ``xyzxyzxyz``), forwards or backwards, or by mashing the keyboard's home row (``sjdkfhjKHKJHkjsdhsufd``): a made-up
    sample, not a generated credential."""
    value = ctx.value.strip()
    return not value.startswith("-----BEGIN") and "\n" not in value and (
        counting_pattern(value) or counting_pattern(value[::-1]) or _keyboard_mash(value))


_DEMO_PAIRS = frozenset({("scott", "tiger"), ("guest", "guest"), ("vagrant", "vagrant")})
"""Users and passwords that manuals print as their sample or default login: Oracle's scott/tiger, RabbitMQ's
guest/guest (https://www.rabbitmq.com/docs/access-control#default-state; it only logs in from localhost),
the login every Vagrant base box has (vagrant/vagrant, https://developer.hashicorp.com/vagrant/docs/boxes/base)."""
_DEFAULT_LOGINS = frozenset({"admin", "guest", "user", "test", "demo", "root"})
"""Logins whose password is their own name in every product's quick start (``admin``/``admin``)."""


def _default_basic_login(decoded: tuple[str, str] | None) -> bool:
    """A Basic header's decoded pair (``Context.decoded_pair``) is a demo pair or a default login whose
    password is its name."""
    if decoded is None:
        return False
    pair = (decoded[0].lower(), decoded[1].lower())
    return pair in _DEMO_PAIRS or (pair[0] == pair[1] and pair[0] in _DEFAULT_LOGINS)


_DEMO_USER = lazy(r"(?i)\b([a-z]{2,16})\b[^\w\n]{1,24}$")
_LETTERS = lazy(r"[A-Za-z]{2,16}")
_DEMO_VALUES = frozenset({"keyboard cat", "password12!", "hxehana1", "masterkey", "oradoc_db1", "yourstrong(!)password",
                          "edd1c9f034335f136f87ad84b625c8f1"})
"""Sample secrets famous from a library's documentation (express-session's ``secret: 'keyboard cat'``) and
CI services', database images' and servers' documented defaults (AppVeyor's database services: ``Password12!``,
https://www.appveyor.com/docs/services-databases/; SAP HANA express's sample master password; Firebird's
``SYSDBA`` default ``masterkey``; Oracle's database image's ``Oradoc_db1``; the SQL Server container
quickstart's ``yourStrong(!)Password``; Apache APISIX's default Admin API key, which its early releases
shipped in ``conf/config.yaml`` and its documentation printed in every example, GHSA-c538-784j-qcxc)."""


_WORDS_EVERYONE_TRIES = ("password", "admin", "secret", "123456", "12345678", "changeme", "test", "root", "guest",
                         "letmein", "qwerty", "passw0rd", "password1", "default")
_COMMON_DIGESTS = frozenset(
    hashlib.new(algorithm, word.encode()).hexdigest()
    for word in _WORDS_EVERYONE_TRIES for algorithm in ("md5", "sha1", "sha256"))
"""The MD5, SHA-1 and SHA-256 hex digests of the passwords everyone tries first: a sample user's stored
hash in code (``password: "5f4dcc3b..." // password``), not a secret."""


def is_demo_credential(ctx: Context) -> bool:
    """A famous demo credential: a documented sample key (AWS's ``...EXAMPLE`` keys, Stripe's documented
    test keys, vendors' sample values: ``filters.KNOWN_EXAMPLES``), the digest of a password everyone tries
    (MD5 of ``password``), a manual's sample login written as a
    pair (``scott``/``tiger`` in a URL, a DSN or two arguments), a library's sample secret (express-session's
    ``keyboard cat``), a Basic header of a default login (``admin:admin``) with no real host on its line, the
    bcrypt hash of a seeded default login (``VALUES ('admin', '$2y$10$...')`` of ``admin``)."""
    value = ctx.value.strip()
    if is_known_example(value) or value.lower() in _DEMO_VALUES or value.lower() in _COMMON_DIGESTS:
        return True
    if ctx.rule_id == "password-hash.bcrypt" and _BCRYPT.match(value):
        return _seeded_default_login(ctx, value)
    if ctx.rule_id == "http-basic-auth.header" and _default_basic_login(ctx.decoded_pair):
        before, after = _hosts_around(ctx)
        return all(example_host(host) for host in before + after)
    at = ctx.value_at()
    if at <= 0:
        return False
    user = _DEMO_USER.search(ctx.line[max(0, at - 60):at])
    if user is not None and (user.group(1).lower(), value.lower()) in _DEMO_PAIRS:
        return True
    # the user earlier on the line, other words between (``CREATE USER 'scott'@'%' IDENTIFIED BY 'tiger'``),
    # or on the line above (``user=getenv('RABBITMQ_USER', 'guest'),`` over ``password=getenv(..., 'guest')``)
    above = ctx.before.rsplit("\n", 1)[-1][-160:]
    words = {w.lower() for w in _LETTERS.findall(above + " " + ctx.line[max(0, at - 80):at])}
    return any(pair_user in words for pair_user, pair_value in _DEMO_PAIRS if pair_value == value.lower())


_BCRYPT = lazy(r"^\$2[abxy]?\$(\d\d)\$[./A-Za-z0-9]{53}$")
BCRYPT_MAX_COST = 10
"""The highest bcrypt cost tried (2^10 rounds, about 60 ms a word, the default of PHP and most libraries): a
hash of a higher cost is not tried, so a file's hashes cannot buy minutes."""
BCRYPT_PER_CONTENT = 4
"""Hashes of one content tried at most (its first ones): the check stays a function of the content alone (results
are cached by content) and costs a file half a second at most, however many hashes it holds."""
_HASH_FIELD = lazy(r"(?i)pass|pwd|hash|digest|secret|crypt")
_HASH_USER = lazy(r"""(?:^|[\s(,])["'`]?([A-Za-z][\w.@\-]{0,63})["'`]?\s*[,:]\s*["'`]?$""")


def _seeded_default_login(ctx: Context, digest: str) -> bool:
    """A bcrypt hash written for a default login (``admin:$2y$...`` in an htpasswd file, ``VALUES ('admin',
    '$2y$...'`` in a schema's seed row) is the hash of that login's own name or of a first password
    (``_DEFAULT_PASSWORDS``): the product's documented first login (Kanboard's ``admin``/``admin``), which the hash
    does not keep secret. Only the first ``BCRYPT_PER_CONTENT`` hashes of a content, of cost ``BCRYPT_MAX_COST`` at
    most, are tried."""
    at = ctx.value_at()
    found = _HASH_USER.search(ctx.line[max(0, at - 80):at]) if at > 0 else None
    if found and _HASH_FIELD.search(found.group(1)):
        found = None  # the column's own name (``password: "$2b$..."``), not a login
    user = found.group(1).lower() if found else ""
    if not found:  # a database row laid out a column per line (``email = admin@localhost`` above ``password = ...``)
        rows = [*ctx.before.split("\n")[-SEED_ROW_LINES:], *ctx.after.split("\n")[:SEED_ROW_LINES + 1]]
        user = next((m.group(1).lower() for line in rows if (m := _ROW_LOGIN.match(line))), "")
    if user not in _DEFAULT_LOGINS or int(digest[digest.index("$", 1) + 1:][:2]) > BCRYPT_MAX_COST:
        return False
    if ctx.source and ctx.line_start + at > _last_tried_hash(ctx.source):
        return False
    return _bcrypt_of(digest, (user, *_DEFAULT_PASSWORDS))


SEED_ROW_LINES = 6
"""Lines above and below a seeded hash read for its row's login column (an ORM seed's record: e-mail, name, flags,
then the hash on a line of its own)."""
_DEFAULT_PASSWORDS = ("password",)
"""The first password seeded beside a default login, besides the login itself. Not ``1234`` or ``123456``: a committed
instance database's admin with such a password is that instance's weak password, not a product's documented one
(Kanboard's ``data/db.sqlite``), and the hash alone cannot tell them apart."""
_ROW_LOGIN = lazy(r"(?i)^\s*(?:e-?mail|user(?:_?name)?|login)\s*[=:]\s*[\"'`]?([A-Za-z][\w.\-]{0,63})(?:@[\w.\-]{1,253})?[\"'`]?,?\s*$")
"""A row's login column on a line of its own (a committed SQLite database's cells, a seed's YAML record): its name,
or an e-mail address's local part (``admin@localhost``)."""
_BCRYPT_PREFIX = lazy(rb"\$2[abxy]\$")


@lru_cache(maxsize=1)  # a content's matches ask in turn with the same bytes object (which keeps its hash)
def _last_tried_hash(source: bytes) -> int:
    """Offset of the ``BCRYPT_PER_CONTENT``-th bcrypt prefix of ``source`` (the last hash tried), or its length
    when it holds fewer: one bounded search per content."""
    found = [m.start() for m in islice(_BCRYPT_PREFIX.finditer(source), BCRYPT_PER_CONTENT)]
    return found[-1] if len(found) == BCRYPT_PER_CONTENT else len(source)


@lru_cache(maxsize=4096)  # a history meets the same seed's hash in every version of its file
def _bcrypt_of(digest: str, words: tuple[str, ...]) -> bool:
    """``digest`` is the bcrypt hash of one of ``words`` (PHP's ``$2y$`` read as ``$2b$``, the same algorithm)."""
    import bcrypt

    hashed = ("$2b$" + digest[4:]).encode() if digest.startswith(("$2y$", "$2x$")) else digest.encode()
    try:
        return any(bcrypt.checkpw(word.encode(), hashed) for word in words)
    except ValueError:  # a hash of the right shape that bcrypt rejects (an invalid salt)
        return False


_RULE_PART = lazy(r"^[a-z][a-z_]*(?::[^|]*)?$")
_RULE_NAMES = frozenset({
    "required", "nullable", "sometimes", "string", "confirmed", "email", "numeric", "integer", "boolean", "accepted",
    "present", "filled", "bail", "uuid", "ulid", "array", "date", "url", "alpha", "alpha_num", "alpha_dash", "json",
    "current_password", "password", "hashed", "min", "max", "size", "between", "digits", "digits_between", "same",
    "different", "regex", "unique", "exists", "in", "not_in", "file", "image", "mimes", "prohibited"})
"""Laravel's validation rules (``required|string|min:8``), and ``required_*`` by prefix."""
_BARE_RULES = frozenset({"required", "nullable", "confirmed", "sometimes", "present", "filled", "bail"})
"""Rules that stand alone as a field's whole rule list (``'password' => 'confirmed'``)."""


_PLURAL_KEY = lazy(r"(?i)(?:passwords|secrets|tokens|keys|credentials)[\"'`\]]?\s*(?:=>|[:=])\s*[\"'`]?$")


_REFERENCE_PAIRS = frozenset({("existing", "secret"), ("secret", "name"), ("secret", "ref"), ("secret", "store"),
                              ("secret", "path"), ("secret", "arn"), ("secret", "key", "ref"), ("secrets", "manager"),
                              ("from", "secret")})
"""Key words naming where a secret is kept (Helm's ``existingSecret``, Kubernetes' ``secretName``,
``secretKeyRef``, a chart's ``configFromSecret``, Woodpecker's and Drone's ``from_secret:``
https://woodpecker-ci.org/docs/usage/secrets), never the secret itself."""


def is_secret_reference(ctx: Context) -> bool:
    """The value names a stored secret (``existingSecret: redash-staging``, ``secretName: api-tls``):
    a Kubernetes or cloud secret's name, made of words, under a key that says so; or, under any key, the
    address of a secret in a cloud's secret store (an AWS Secrets Manager, SSM parameter or KMS ARN, an Azure
    Key Vault secret's URL, a Google Secret Manager version's name): where the value is kept, not the value."""
    if _SECRET_STORE_ADDRESS.match(ctx.value.strip().strip("\"'`")):
        return True
    name = _KEY_NAME.search(ctx.key)
    tokens = _key_tokens(name.group(0)) if name else ()
    if not tokens or not descriptive_word(ctx.value.strip()):
        return False
    return any(tuple(tokens[i:i + len(pair)]) == pair for pair in _REFERENCE_PAIRS for i in range(len(tokens)))


_SECRET_STORE_ADDRESS = lazy(r"^arn:aws[\w\-]*:(?:secretsmanager|ssm|kms):[\w\-]*:\d{12}:(?:secret|parameter|key|alias)[:/]"
                             r"|^https://[\w\-]+\.vault\.azure\.net/(?:secrets|keys)/"
                             r"|^projects/[\w\-]+/secrets/[\w\-]+(?:/versions/[\w\-]+)?$")
"""A secret's address in AWS (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html),
Azure Key Vault (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates) or Google Secret
Manager (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions)."""


_FILL_IN_COMMENT = lazy(r"(?i)(?:#|//|/\*|<!--|;)\s*(?:(?:put|set|enter|insert|use|add)\s+)?(?:your\b|change\s+(?:this|me|it)\b|"
                       r"replace\s+(?:this|me|it|with)\b|fill\s+(?:in|this)\b|set\s+(?:this|me)\b|todo\b|"
                       # ``# get a strong secret from https://randomkeygen.com/``, ``# generate with openssl rand``
                       r"(?:get|generate|create|make)\s+(?:(?:a|an|your|one|own)\s+)?(?:(?:strong|secure|random|new|long|"
                       r"unique)\s+)*(?:secret|key|password|token|value|one)\b|generate\s+(?:it\s+)?(?:with|using)\b)")


def is_fill_in_comment(ctx: Context) -> bool:
    """A comment after the value tells the reader to put their own there (a compose file's database
    password followed by ``# Your super secure password here``, ``# change me``, ``// replace with your
    key``), or a comment line just above says so (``// Set a 16 character encryption key, change this to your
    own value`` over a commented-out default): a template's placeholder, whatever it looks like. Typed values
    only (a generated one is somebody's real key), but for a commented-out line under such a comment (a sample
    shipped disabled)."""
    typed = not looks_generated(ctx.value.strip())
    if typed and _FILL_IN_COMMENT.search(ctx.line[ctx.value_at() + len(ctx.value):]):
        return True
    above = ctx.before.rsplit("\n", 1)[-1][-512:]
    return ((typed or bool(_COMMENT_LINE.match(ctx.line))) and bool(_COMMENT_LINE.match(above))
            and bool(_FILL_IN_ABOVE.search(above)))


_COMMENT_LINE = lazy(r"^\s*(?:#|//|/\*|\*|;|--|<!--)")
_FILL_IN_ABOVE = lazy(r"(?i)\b(?:change|replace)\s+(?:this|it|me)\b|\byour\s+own\b")


_NAME_PARTS = lazy(r"[_\-.]|(?<=[a-z])(?=[A-Z])")
_SECRET_WORDS = frozenset({"secret", "secrets", "token", "tokens", "key", "keys", "password", "passwords", "passwd",
                           "credential", "credentials", "apikey", "passphrase", "webhook", "webhooks", "pat", "dsn"})


def is_secret_name(ctx: Context) -> bool:
    """The value is the name of a secret, not one: an identifier made of words, one of them a
    credential word (``keyVaultToStoreSecrets``, ``invalid-secret-format``, ``csrf_token_name``,
    ``STRIPE_SECRET_KEY``, ``PAYLOAD_SECRET=build-time-secret``). Any rule: a provider's own format is
    random after its prefix, never words alone."""
    return _names_a_secret(ctx.value.strip().strip("\"'`"))


def _names_a_secret(value: str) -> bool:
    """Words, one of them a credential word (``keyVaultToStoreSecrets``, ``super-secret-password``)."""
    if not 6 <= len(value) <= 48 or not value[0].isalpha():
        return False
    parts = [part for part in _NAME_PARTS.split(value) if part]
    # a word numbered inside a name (``oauth2-proxy-client-secret``, ``s3_secret_key``), never its end:
    # ``AdminPassword123`` is a password, not the name of one
    parts = [part[:-1] if index < len(parts) - 1 and part[-1:].isdigit() and part[:-1].isalpha() else part
             for index, part in enumerate(parts)]
    if len(parts) < 2 or not all(part.isalpha() and word_shaped(part) for part in parts):
        return False
    return any(part.lower() in _SECRET_WORDS for part in parts)


def is_ci_service_container(ctx: Context) -> bool:
    """A password set for a CI job's service container (GitHub Actions ``services: postgres: env:
    POSTGRES_PASSWORD: ...``): a database that lives for one run. Typed values only: a generated one
    may be reused elsewhere."""
    if looks_generated(ctx.value.strip()) or not ctx.source:
        return False
    return in_ci_service_container(ctx.line, ctx.source, ctx.line_start)


_BASE64_TEXT = lazy(r"^[A-Za-z0-9+/]{8,88}={0,2}$")


_TOKEN_PREFIX = lazy(r"^[a-z]{2,8}_(?:[a-z]{2,8}_)?(?=[A-Za-z0-9+/]{16,}$)")
_HOME_ROW = frozenset("asdfghjklöä")


def _keyboard_mash(text: str) -> bool:
    """Letters typed by running fingers along the keyboard's home row (``fhsdkflhdskjfhsaökhfl``, a digit or
    three after them: ``sjdkfhjKHKJHkjsdhsufdudfhjHKIHJ1``). Random letters are from the home row a third of
    the time: four in five of twelve or more is a hand on the keyboard."""
    text = text.rstrip("0123456789") if len(text) - len(text.rstrip("0123456789")) <= 3 else text
    letters = [c for c in text.lower() if c.isalpha()]
    return len(text) >= 12 and len(letters) == len(text) and sum(c in _HOME_ROW for c in letters) >= 0.8 * len(letters)


def _encoded_body_is_text(value: str) -> bool:
    """A provider token whose random part (after its ``sk_live_``-style prefix) is base64 of typed letters: a
    documentation sample made by encoding a keyboard mash, never a generated token (random bytes do not decode
    to letters)."""
    prefix = _TOKEN_PREFIX.match(value)
    if not prefix:
        return False
    body = value[prefix.end():]
    body = body[:len(body) - len(body) % 4]
    try:
        text = base64.b64decode(body, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    return text.isprintable() and (_keyboard_mash(text) or is_placeholder(text) or counting_pattern(text))


def is_encoded_placeholder(ctx: Context) -> bool:
    """The value is base64 (a Kubernetes Secret's ``data:``) of a placeholder, a counting pattern or
    made-up words (``c3VwZXItc2VjcmV0LXBhc3N3b3Jk`` is ``super-secret-password``): judged by what it
    says, not by how random its encoding looks. Also a provider token whose random part is base64 of a
    keyboard mash or a placeholder (``sk_live_ZmhzZGtm...``: a documentation sample)."""
    value = ctx.value.strip()
    if _encoded_body_is_text(value):
        return True
    if len(value) % 4 or not _BASE64_TEXT.match(value):
        return False
    try:
        text = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        return False
    text = text[:-1] if text.endswith("\n") else text  # ``echo secret | base64`` encodes its newline too
    if not 4 <= len(text) <= 64 or not text.isprintable() or ":" in text:
        return False  # user:password pairs are judged as pairs (``placeholder-pair``, default logins stay)
    return (is_placeholder(text) or counting_pattern(text) or _made_up(text) or text.lower() in COMMON_VALUES
            or _keyboard_mash(text)
            or is_low_diversity(text) or _names_a_secret(text) or _misspelt_placeholder(text)
            # a component's name (``concourse-web``): a development setup's stand-in for a generated secret
            or (bool(_DASHED_WORDS.match(text)) and all(word_shaped(part) for part in re.split(r"[-_]", text))))


_DASHED_WORDS = lazy(r"^[a-z][a-z0-9]*(?:[-_][a-z][a-z0-9]*)+$")


_PLACEHOLDER_HEAD = lazy(r"^(?:some|my|the|your|a)[_\-]?")


def _misspelt_placeholder(text: str) -> bool:
    """``somepaswword``, ``my-secert``: a placeholder (``some`` and a credential word) typed with a typo,
    seen once it is decoded."""
    rest = _PLACEHOLDER_HEAD.sub("", text.lower(), count=1)
    return rest != text.lower() and any(_one_edit(rest, word) for word in ("password", "passwd", "secret", "token"))


def is_collection_name(ctx: Context) -> bool:
    """A plural credential key naming a collection by a plain word or a path of words: Laravel's password
    brokers (``'passwords' => 'users'``), ``secrets: default``, a Rails route's controller
    (``:passwords => 'spree/user_passwords'``). A single credential is never called ``passwords``."""
    value = ctx.value.strip()
    if not _PLURAL_KEY.search(ctx.key):
        return False
    return (value.isalpha() and value.islower() and len(value) <= 16) or ("/" in value and descriptive_word(value))


def is_validation_rules(ctx: Context) -> bool:
    """The value is a form-validation rule list (Laravel ``'required|string|min:8|confirmed'``,
    ``'required_if:change_password,true'``, ``'password' => 'confirmed'``), not a password; one custom
    rule among known ones (``'required|string|check'``) still makes a list."""
    parts = [p.strip() for p in ctx.value.split("|")]
    named = [p for p in parts if p]
    if not named or not all(_RULE_PART.match(p) for p in named):
        return False
    names = [p.split(":", 1)[0] for p in named]
    known = sum(1 for n in names if n in _RULE_NAMES or n.startswith("required_"))
    if len(named) > 1 or "|" in ctx.value:  # 'required|' . $rules: a list, whatever follows
        return known >= max(1, len(named) - 1)
    return known == 1 and (":" in named[0] or (names[0] in _BARE_RULES and "=>" in ctx.line))


_VERSION = lazy(r"^(?:npm:|workspace:|file:|link:)?[\^~<>=v* ]*\d+(?:\.[\dx*]+)+(?:[-+.][\w.]+)?$")
_TEMPLATE_WORD = lazy(r"^(?:\{[A-Za-z_][\w.]*\}|%[A-Za-z_]\w*%|%[A-Z][A-Z0-9_]*|@[A-Za-z_]\w*@|"
                            r"<[A-Za-z_][\w-]*>|\$[A-Za-z_]\w*)$")
# one word of an identifier: lower, UPPER, Capitalised or camelCase, never a random mix of cases
_WORD = r"(?:[a-z]+(?:[A-Z][a-z]+)*|[A-Z]+|(?:[A-Z]+[a-z]{2,})+)"
_ACCESS_PATH = lazy(rf"^[_$]?{_WORD}(?:_{_WORD})*(?:\.[_$]?{_WORD}(?:_{_WORD})*|\[[^\]]*\]|\(\))+$")
_CAMEL_TYPE = lazy(r"^(?:[A-Z]+[a-z]{2,}){2,}$")
_SNAKE = lazy(rf"^_?{_WORD}(?:_{_WORD})+$|^_{_WORD}$")
_IDENTIFIER = lazy(r"^[A-Za-z_][A-Za-z_]*$")
_REFERENCE = lazy(r"^(?:#/[\w.\-~/%]+|urn:[A-Za-z0-9][A-Za-z0-9\-]{0,31}:[\w.:\-~/%]+|[a-z][a-z0-9+.\-]{1,15}://)$")
"""Names of something else: a JSON pointer (``#/components/schemas/LoginFlowWithPasswordMethod``, an OpenAPI
``$ref``), a URN (``urn:ietf:params:oauth:token-type:jwt``, RFC 8141) or a URL scheme alone (``"base64://" +``)."""
_CLASS_NAME = lazy(r"^(?:[A-Z][a-z]+)+(?:Controller|Service|Provider|Handler|Manager|Factory|Repository|"
                         r"Exception|Interface|Helper|Middleware|Request|Resource|Model|Type|Field|Form|View|"
                         r"Component|Broker)$")
_RELATIVE_MODULE = lazy(r"^\.{1,3}[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
_CODE_MARK = lazy(r"\b(?:self|this|cls)\.|\b(?:let|var|const|def|return|val)\s|:=|;\s*$|->")


_DASHED = lazy(r"^(?:--|[Xx]-)[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")
_OPTION_LIST = lazy(r"^[a-z]{1,12}=[\w./\-]{1,80}(?:,[a-z]{1,12}=[\w./\-]{1,80})+$")


def _dashed_name(value: str) -> bool:
    """A long option, a CSS custom property or an HTTP header's name (``--prefer-lowest``,
    ``--lwc-colorBackgroundRowHover``, ``X-E2E-Test-Auth-Token``), every part of it a word: what prose,
    style sheets and header lists name after "pass:", "token:" or another header's name."""
    bare = unquote(value).strip("`")
    if not _DASHED.match(bare):
        return False
    parts = [part for part in re.split(r"-+|(?<=[a-z])(?=[A-Z])", bare) if part]
    # short parts may be codes (E2E, V2); one word at least says it is a name
    return (all(word_shaped(part) or (len(part) <= 4 and part.isalnum()) for part in parts)
            and any(len(part) >= 3 and word_shaped(part) for part in parts))


_SCHEMA_TYPE = lazy(r"^\[?([A-Z][A-Za-z]*)!?\]?!?$")
_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
_SCHEMA_FIELD = lazy(r"(?m)^[ \t]*\w+(?:\([^)\n]*\))?[ \t]*:[ \t]*\[?[A-Z][A-Za-z]*!?\]?!?[ \t]*$")
_NON_NULL_FIELD = lazy(r"(?m)^[ \t]*\w+(?:\([^)\n]*\))?[ \t]*:[ \t]*\[?[A-Z][A-Za-z]*!\]?!?[ \t]*$")


_PRISMA_SCALARS = frozenset({"String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"})
_PRISMA_FIELD = lazy(r"^[ \t]*\w+[ \t]+[A-Z]\w*(?:\?|\[\])?(?:[ \t]+@.*)?[ \t]*$")


_ADDON_TYPE = lazy(r"^(?:str|password|email|url|port|bool|int|float|device)(?:\(\d*,?\d*\))?\??$")
"""A Home Assistant add-on's option type (``str``, ``password?``, ``int(1,10)``; ``?`` marks it optional,
https://developers.home-assistant.io/docs/add-ons/configuration/#options--schema)."""


def _schema_type(ctx: Context) -> bool:
    """A GraphQL type as a schema's field declares it (``password: String!``, ``tokens: [Token!]!``) or a Prisma
    model's scalar (``password String?``):
    a built-in scalar, or a type name among other such fields."""
    value = ctx.value.strip()
    if _PRISMA_FIELD.match(ctx.line) and value.rstrip("?[]") in _PRISMA_SCALARS:
        return True  # a Prisma model's field: ``password String?``
    if _ADDON_TYPE.match(value) and (value.endswith("?") or "schema" in ctx.before[-300:].lower()):
        return True  # a Home Assistant add-on's option schema: ``"schema": {"password": "str?"}``
    found = _SCHEMA_TYPE.match(value)
    if not found or not _SCHEMA_FIELD.match(ctx.line):
        return False
    if found.group(1) in _SCALARS:
        return True
    return bool(_NON_NULL_FIELD.search(ctx.before[-300:]) or _NON_NULL_FIELD.search(ctx.after[:300]))


def _option_list(value: str) -> bool:
    """A list of ``name=value`` options naming things (``id=github_token,env=GH_TOKEN``,
    ``id=npmrc,src=/etc/npmrc``: a ``docker build --secret`` spec): where a secret comes from, not one."""
    if not _OPTION_LIST.match(value):
        return False
    parts = [part.split("=", 1)[1] for part in value.split(",")]
    return all(part.startswith("/") or word_shaped(part.replace("-", "_").replace(".", "_")) for part in parts)


_ANNOTATED = lazy(r"(?:^|[(,])\s*[A-Za-z_]\w*\s*:\s*[\"']$")
_SIGNATURE_END = lazy(r"\)\s*(?:->[^:\n]*)?:")
_TYPE_NAME = lazy(r"^[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)*$")


def _annotation(ctx: Context) -> bool:
    """A quoted type name annotating a Python parameter (``def f(self, api_key: "EnvironmentAPIKey")``,
    a forward reference): a class, not a key."""
    value = ctx.value.strip()
    at = ctx.value_at()
    if not _TYPE_NAME.match(value) or not word_shaped(value.replace(".", "_")) or not _ANNOTATED.search(ctx.line[:at]):
        return False
    if "def " in ctx.line[:at]:
        return True
    recent = ctx.before[-400:]  # a signature spread over lines: its ``def`` above, not yet closed
    opened = recent.rfind("def ")
    return opened >= 0 and not _SIGNATURE_END.search(recent, opened)


def _quoted(ctx: Context) -> bool:
    at = ctx.value_at()
    return at > 0 and ctx.line[at - 1] in "\"'`"


_ICON_NAME = lazy(r"^[a-z]{1,4}(?:(?:--?|__)[a-z]{2,}){3,}$")
"""An icon font's or a CSS class's or custom property's name: a short prefix and three or more words, BEM's
``--`` and ``__`` too (``md-settings-input-antenna``, ``md-primary-fg-color--dark``,
``md-search-result__article``)."""


_ROUTE_TARGET = lazy(r"^[a-z_]+(?:/[a-z_]+)*#[a-z_]+[!?]?$")
_PATH_SEGMENT = r"(?:[A-Za-z][A-Za-z0-9_.\-]*|%[sdvqx]|\{\w*\}|:\w+)"
_PATH_TEMPLATE = lazy(rf"^(?:%[sv]|https?://[\w.\-]+(?::\d+)?)?(?:/{_PATH_SEGMENT})+/?$")
"""A URL or URL path with printf verbs or route parameters in it (``%s/api/repos/%s/%s/secrets``,
``/api/secrets/{id}``, ``/orgs/:org/secrets``): the route a client formats, words between slashes."""
_PATH_PARAMETER = lazy(r"%[sdvqx]|\{\w*\}|/:\w")


_RATE = lazy(r"^\d{1,7}/(?:s|sec|second|m|min|minute|h|hr|hour|d|day|w|week)s?$")


_EVENT_BINDING = lazy(r"(?:^|[\s<])(?:on-|on:|v-on:|@)[\w\-.:]+[\"']?\s*=?\s*[\"']?$"
                      # a Backbone view's events hash: ``'click .open__pass-enter-btn': 'openDb'``
                      r"|[\"'](?:click|dblclick|keydown|keyup|keypress|change|input|submit|focus|blur|mouse\w+)"
                      r"\s+[.#\w][^\"']*[\"']\s*:\s*[\"']?$")
"""A markup attribute binding an event (Polymer's ``on-change-password=``, Svelte's ``on:``, Vue's ``v-on:`` and
``@``): its value names the handler to call."""
_HANDLER_NAME = lazy(r"^_{0,2}[a-z][A-Za-z0-9]*(?:\(\))?$")


def is_identifier_value(ctx: Context) -> bool:
    """The value is code, not data: a version (``^1.2.1``), a placeholder reference (``{password}``,
    ``%PASS%``), an API route with printf verbs or parameters (``%s/api/repos/%s/%s/secrets``), a JSON pointer or URN (``#/components/schemas/...``, ``urn:ietf:params:oauth:token-type:jwt``),
    an icon or CSS class name (``md-settings-input-antenna``), or an unquoted identifier being assigned
    (``self.password = smtppass``, ``password=url.password``, ``X = DHPrivateKey``,
    ``token.style = yaml_FOLDED_SCALAR_STYLE``)."""
    value = ctx.value.strip()
    if _VERSION.match(value) or _TEMPLATE_WORD.match(value) or _TEMPLATE_WORD.match(unquote(value)):
        return True
    if _RATE.match(value.strip("\"'`")):
        return True  # a throttle rate (Django REST framework's ``"api_key": "60/minute"``)
    at = ctx.value_at()
    if at > 0 and _PSQL_VARIABLE.search(ctx.line, max(0, at - 40), at):
        return True  # psql's interpolated variable (``ALTER USER authenticator WITH PASSWORD :'pgpass'``), set with -v
    if _CAST_TYPE.fullmatch(value.strip("\"'")):
        return True  # Laravel's attribute casts ('password' => 'hashed', 'credentials' => 'encrypted:array')
    if _CLASS_NAME.match(value):  # 'password' => 'PasswordController': a route to a class
        return True
    if ctx.rule_kind != "password" and _ROUTE_TARGET.match(value.strip("\"'")) and ("=>" in ctx.line or "to:" in ctx.line):
        return True  # a Rails route's controller#action ("login/reset/:token" => "sessions#finish_password_reset")
    if _RELATIVE_MODULE.match(value):  # {"PasswordlessProfile": ".types"}: a module to import
        return True
    if len(value) <= 256 and _PATH_PARAMETER.search(value) and _PATH_TEMPLATE.match(value.strip("\"'`")):
        return True  # pathSecrets = "%s/api/repos/%s/%s/secrets": an API route, formatted by the client
    if ctx.rule_id.startswith("generic.") and _REFERENCE.match(value.strip("\"'`")):
        return True  # a JSON pointer (``#/components/schemas/...``), a URN, a bare URL scheme
    if _dashed_name(value) or _option_list(value) or _annotation(ctx) or _schema_type(ctx):
        return True
    at = ctx.value_at()
    if _EVENT_BINDING.search(ctx.line[max(0, at - 120):max(at, 0)]) and _HANDLER_NAME.match(value.strip("\"'`")):
        return True  # ``on-change-password="_changePwd"``: a markup event bound to a handler, by its name
    if _ICON_NAME.match(value) and all(word_shaped(part) for part in re.split(r"-+|__", value)[1:] if part):
        return True  # ``{md-settings-input-antenna 24sp}``: an icon font's name, a provider's prefix by chance
    name = value.rstrip(",;") or value  # an object entry's comma or a statement's semicolon ends it
    if (ctx.rule_kind != "connection-string" and not _quoted(ctx) and expression_shape(name) == "identifier"
            and assigned_bare(ctx.line, ctx.value_at())) and (
            _CODE_MARK.search(ctx.line) or (word_shaped(name) and looks_like_code(ctx.line, ctx.before + "\n" + ctx.after))):
        return True  # UNUSABLE_PASSWORD = unusable, in code: a name, whatever it spells
    if (ctx.rule_kind != "connection-string" and not _quoted(ctx) and _CAMEL_NAME.match(value)
            and _ATTRIBUTE_TARGET.search(ctx.key) and assigned_bare(ctx.line, ctx.value_at())
            and looks_like_code(ctx.line, ctx.before + "\n" + ctx.after)):
        return True  # nUsr.password = nPwd: an object's field set from a variable
    if (ctx.rule_id.startswith("generic.") and ctx.rule_kind != "connection-string"
            and method_name(value.strip("\"'`")) and looks_like_code(ctx.line, ctx.before + "\n" + ctx.after)):
        return True  # 'Template.userSecurity.afterPassword' => 'render2FaUserSettings': the method a hook calls
    if _quoted(ctx) or any(c.isdigit() for c in re.sub(r"\[[^\]]*\]", "", value)):
        return False
    if ctx.rule_kind == "connection-string":
        return False  # a URL's password is data whatever it spells (http://ren:stimpy@host in a line of code)
    if "::" in value:
        value = value.replace("::", ".")  # Authlogic::Random.friendly_token: a chain, as with dots
    while value.endswith(")") and value.count(")") > value.count("("):
        value = value[:-1]  # the call the value is an argument of closes: ``f(password=FLAGS.key_password)``
    if _ACCESS_PATH.match(value) or _SNAKE.match(value) or _CAMEL_TYPE.match(value):
        return True
    return bool(_IDENTIFIER.match(value) and _CODE_MARK.search(ctx.line))


_CAMEL_NAME = lazy(r"^[a-z]{1,8}[A-Z][A-Za-z0-9]*;?$")
_PSQL_VARIABLE = lazy(r"(?i)\bPASSWORD\s+:['\"]?$")
"""psql's ``:'name'`` interpolation of a variable (https://www.postgresql.org/docs/current/app-psql.html#APP-PSQL-INTERPOLATION)."""
_CAST_TYPE = lazy(r"encrypted(?::(?:array|collection|object|json))?|hashed")
"""Laravel's Eloquent attribute casts that store a value encrypted or hashed
(https://laravel.com/docs/eloquent-mutators#attribute-casting): the cast's name, not a value."""
_ATTRIBUTE_TARGET = lazy(r"[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*\s*=\s*$")


_PROMPT_CONTEXT = lazy(r"(?i)\baskpass\b|\bprompt\w*\b|\bgetpass\s*\(|\bread\s+-s\b|\blabel\b|\bplaceholder\s*=")


def _letters_only(text: str) -> str:
    """``text`` without spaces and punctuation (any script), for "is this prose" checks."""
    if text.isascii():  # the common case: one C call, the same characters dropped
        return text.translate(_ascii_not_letters())
    return "".join(c for c in text if not (c.isspace() or unicodedata.category(c).startswith("P")))


@lru_cache(maxsize=1)
def _ascii_not_letters() -> dict[int, None]:
    return {i: None for i in range(128) if chr(i).isspace() or unicodedata.category(chr(i)).startswith("P")}


def is_prompt_text(ctx: Context) -> bool:
    """The value is text shown to a person: a prompt (``Password:``, ``askpass: Username:``) or a
    translated label or message (``"Password":"Contraseña"``)."""
    value = ctx.value.strip().strip("\"'")
    if not value:
        return False
    if value.endswith(":") and value[:-1].replace(" ", "").replace("'", "").isalpha():
        return True
    letters = _letters_only(value)
    if letters.isalpha() and any(ord(c) > 127 for c in letters):
        return True
    return bool(_PROMPT_CONTEXT.search(ctx.line)) and letters.isalpha()


_HOST = lazy(r"(?i)(?:[a-z][a-z0-9+.\-]*://(?:[^@/\s]*@)?|\bmachine\s+|\b(?:host|server|dbq|data source|address)\s*=\s*|"
             r"(?<!\S)(?:-h\s*|--host[=\s]+))"
                   r"(\[[^\]\s]+\]|[^/\s:'\"?#@,;)<>]+)")
_EXAMPLE_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", "host", "hostname", "myhost",
                            # Docker's own addresses for the machine it runs on (the default bridge's gateway)
                            "172.17.0.1", "host.docker.internal", "gateway.docker.internal",
                            "yourhost", "your-host", "server", "myserver", "domain.com", "yourdomain.com",
                            "mydomain.com", "example", "site.com", "foo.com", "bar.com", "proxy", "proxy-host"})
_SERVICE_HOSTS = frozenset({"db", "database", "postgres", "postgresql", "pg", "mysql", "mariadb", "redis", "mongo",
                            "mongodb", "rabbitmq", "rabbit", "amqp", "broker", "cache", "memcached", "elasticsearch",
                            "minio", "mssql", "sqlserver", "oracle", "keycloak", "ldap", "openldap", "smtp", "mailhog"})
"""Service names of a docker-compose or CI network (``postgres://app:app@db/app``): a typed password for
one of them is a development default of a container, reachable only on that network."""
_EXAMPLE_SUFFIX = lazy(r"(?i)(?:^|\.)(?:example\.(?:com|org|net)|example|invalid|test|localhost)$"
                       r"|^[a-z0-9\-]+(?:\.[a-z0-9\-]+)?\.svc(?:\.cluster\.local)?$")


def example_host(host: str) -> bool:
    """A host that is no real service: RFC 2606/6761 names (``example.com``, ``.test``, ``.invalid``,
    ``localhost``), loopback addresses, placeholders (``host``, ``myserver``), test templates (``%HOSTIP``)
    and the service names of a container network (``db``, ``redis``: ``_SERVICE_HOSTS``) or of a Kubernetes
    cluster (``postgres.chroma.svc.cluster.local``: a service's in-cluster name, like a Compose service's)."""
    host = _DSN_PROTOCOL.sub("", host.lower().rstrip("."))  # Go's MySQL DSN: ``user:pw@tcp(127.0.0.1:3306)/db``
    return host in _EXAMPLE_HOSTS or host in _SERVICE_HOSTS or bool(_EXAMPLE_SUFFIX.search(host)) or host.startswith(("%", "$", "{", "<"))


_DSN_PROTOCOL = lazy(r"^(?:tcp|tcp6|unix|udp)\(")
_HOST_AFTER_AT = lazy(r"@(\[[^\]\s]+\]|[^/\s:'\"?#@,;)<>]+)")


def _hosts_around(ctx: Context) -> tuple[list[str], list[str]]:
    at = max(ctx.value_at() if ctx.value else -1, 0)
    before: list[str] = []
    after: list[str] = []
    # user:VALUE@host without a scheme; an e-mail address elsewhere on the line names no host
    own = _HOST_AFTER_AT.match(ctx.line, at + len(ctx.value))
    if own:
        after.append(own.group(1))
    for found in _HOST.finditer(ctx.line):
        (after if found.start(1) >= at else before).append(found.group(1))
    return before, after


@lru_cache(maxsize=4096)  # pure; asked twice per match (example hosts, placeholder users)
def looks_generated(value: str) -> bool:
    """A value with the length and mix of a generated secret (``6LHLNoaRF70v``), not words joined by separators
    (``support.constant.actionscript.2``): context about hosts and users says "example" only for values a person
    typed."""
    value = _strip_suffix(value)  # pass;auth=NTLM is "pass" with login options
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value)))
    return (len(value) >= 10 and classes >= 2 and shannon(value) >= 3.2 and vocabulary_words(value) is None
            and not typed_phrase(value) and not _counted_tail(value) and not _separated_words(value))


def _separated_words(value: str) -> bool:
    """Words joined by separators (``support.constant.actionscript.2``, ``pre-activation-2``): a name, however mixed.
    Glued case humps alone are not enough: a random ``uRmOuMoLvb`` splits into "words" too."""
    return any(c in value for c in "._-:/ ") and descriptive_word(value)


_LETTERS_THEN_DIGITS = lazy(r"[A-Za-z]{3,}[!@#$%^&*._\-]?(\d{4,10})")


def _counted_tail(value: str) -> bool:
    """Letters and then a count (``MYSQLpass123456``, ``Welcome12345``): typed, not generated."""
    match = _LETTERS_THEN_DIGITS.fullmatch(value)
    return match is not None and match.group(1) in "01234567890"


_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b", "9": "g", "@": "a", "$": "s",
         "&": "a"}
"""Leetspeak's digits and signs for letters."""
_LEET_TABLE = str.maketrans(_LEET)
_HUMP = lazy(r"[A-Z]?[a-z]+|[A-Z]")


def typed_phrase(value: str) -> bool:
    """Words a person typed, in camel case and leetspeak (``thisIs@V3ryh&rdP@55w0rd``, ``S0meVeryHardPassword``,
    ``MySuperHanaPwd123!``): with the leet characters between letters read as letters and the digits and marks at
    the end dropped, at least two humps of four letters or more and every hump pronounceable. A generated value
    has digits inside its runs and parts no one pronounces."""
    out: list[str] = []
    for index, char in enumerate(value):
        following = value[index + 1:index + 2]
        if char in _LEET and out and out[-1].isalpha() and following and (following.isalpha() or following in _LEET):
            char = _LEET[char]
        out.append(char)
    core = "".join(out).rstrip("0123456789!?.#*_-+=")
    if len(core) < 8 or not core.isalpha() or _CAPS_RUN.search(core):
        return False
    humps = _HUMP.findall(core)
    if "".join(humps) != core or sum(len(h) >= 4 for h in humps) < 2:
        return False
    return all(_pronounceable(h.lower()) for h in humps)


_CAPS_RUN = lazy(r"[A-Z]{2}")
_ONSET = lazy(r"^(?:[aeiouy]|[^aeiouy][aeiouy]|(?:bl|br|ch|cl|cr|dr|fl|fr|gl|gr|kn|ph|pl|pr|qu|sc|sh|sk|sl|sm|sn|sp|st|"
              r"sw|th|tr|tw|wh|wr|str|scr|spr|spl|shr|thr|chr|sch)[aeiouy])")
_CLUSTER = lazy(r"[^aeiouy]{4}")


def _pronounceable(hump: str) -> bool:
    """A hump a person would type as (part of) a word: ``very``, ``hard``, ``pwd`` (three letters pass), ``is``;
    not ``tbk``-like starts, four consonants in a row or too few vowels (``mcx``, ``rhhw``)."""
    if len(hump) <= 3:
        return (len(hump) >= 2 and any(c in "aeiouy" for c in hump)) or hump in ("a", "i", "pwd", "my", "by")
    vowels = sum(c in "aeiouy" for c in hump)
    return bool(_ONSET.match(hump)) and not _CLUSTER.search(hump) and vowels * 4 >= len(hump)


def is_example_host(ctx: Context) -> bool:
    """A typed (not generated) credential for an example host: the first host after the value on its line
    (a URL's ``user:pass@HOST``, ``curl -u u:p https://HOST``), else the last before it (``machine HOST``)."""
    if looks_generated(ctx.value):
        return False
    before, after = _hosts_around(ctx)
    host = after[0] if after else (before[-1] if before else None)
    if host is None:
        return "%HOSTIP" in ctx.line
    return example_host(host)


_USER_BEFORE = lazy(r"(?i)(?:\buser\s+if\s+not\s+exists\s+[\"'`]?|"  # SQL's ``CREATE USER IF NOT EXISTS 'name'@'%'``
                   r"\b(?:user(?:name)?|login|role|owner)\b[\s:=\"'`]{1,4}|\s-u\s?[\"']?|\bto\s+[\"'`])"
                   r"([A-Za-z_][\w.\-]{0,40})")
_USER_LINE = lazy(r"(?i)(?:^|[\s_\-\"']|[a-z](?=user))(?:user|username|user_name|login|name|access_?key(?:_?id)?)[\"']?\s*[:=]\s*[\"']?([^\s\"',;]{1,64})[\"']?\s*[,;]?\s*$"
                  r"|\bset(?:User(?:name|Name)?|Login)\(\s*[\"']([^\"']{1,64})[\"']\s*\)")
_SECRET_KEY_LINE = lazy(r"(?i)secret_?(?:access_?)?key[\"']?\s*[:=]\s*[\"']?([^\s\"',;]{1,64})[\"']?\s*[,;]?\s*$")
_HOST_LINE = lazy(r"(?i)(?:^|[\s_\-\"'])host(?:name)?[\"']?\s*[:=]\s*[\"']?([^\s\"':,;/]{1,253})")
NEARBY_USER_LINES = 3
"""Lines above and below a password where its user or host may be set (``DB_USERNAME: app``)."""


_LOGIN_WORDS = lazy(r"(?i)(?:[_\-.]?(?:user(?:name)?|usr|pass(?:word|wd)?|pwd|dev|local|test))+$")


def _login_stem(name: str) -> str:
    """A login name or password without the words that tell the two apart (``benchmarkdbuser`` and
    ``benchmarkdbpass`` are both ``benchmarkdb``; ``mycause_dev`` is ``mycause``)."""
    return _LOGIN_WORDS.sub("", name.lower())


def _nearby_lines(ctx: Context) -> list[str]:
    """The lines of a value's block where its user or host may be set: ``NEARBY_USER_LINES`` above and
    below it."""
    return [*ctx.before.split("\n")[-NEARBY_USER_LINES:], *ctx.after.split("\n")[:NEARBY_USER_LINES + 1]]


def _no_real_host(ctx: Context, nearby: list[str]) -> bool:
    """No host on the value's line or in ``nearby`` that others can reach: none at all, example and loopback
    names, a name with no dot (``typeorm-mysql``, ``oracledbxe``: a container's, on its own network), a private
    network's address (``192.168.107.4``: reachable only from the network it was typed on). A commented-out
    host line (``#DATABASE_HOST=your-domain-here.com``) is no host the login is used on."""
    before, after = _hosts_around(ctx)
    hosts = [*before, *after, *(m.group(1) for line in nearby
                                if not line.lstrip().startswith(_COMMENT_STARTS) and (m := _HOST_LINE.search(line)))]
    return all(example_host(host) or "." not in host.split(":", 1)[0] or _PRIVATE_ADDRESS.match(host)
               for host in hosts)


_COMMENT_STARTS = ("#", "//", ";", "--")
_PRIVATE_ADDRESS = lazy(r"^(?:10\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])|192\.168)\.\d{1,3}\.\d{1,3}(?::\d{1,5})?$")
"""RFC 1918's private IPv4 ranges (https://www.rfc-editor.org/rfc/rfc1918#section-3), a port allowed after."""


_TERNARY = lazy(r"""\?\s*["'`][^"'`\n]{1,40}["'`]\s*:\s*["'`]?$""")


def is_ternary_operands(ctx: Context) -> bool:
    """The "key" and the value are a conditional's two results (``empty($issues) ? 'pass' : 'fail'``,
    ``ok ? "token" : "none"``): two strings around a ternary's colon, not a key and its value."""
    at = ctx.value_at()
    return at > 0 and bool(_TERNARY.search(ctx.line, max(0, at - 60), at))


_DEFAULT_SUFFIX = lazy(r"[\d!@#.]{0,6}$")
_DATABASE_NAMES = frozenset({"postgres", "mysql", "mariadb", "mongo", "mongodb", "redis", "rabbitmq"})


def is_default_fallback(ctx: Context) -> bool:
    """A common default word as an environment lookup's fallback (``process.env.ADMIN_PASSWORD ||
    "admin123"``, ``env('DB_PASSWORD', 'root')``) or as a function parameter's default (``password: str =
    "admin",`` in a signature): the value a development setup runs with when nobody set the variable, the
    first one anybody tries, not a secret someone chose."""
    word = _DEFAULT_SUFFIX.sub("", ctx.value.strip().strip("\"'`")).lower()
    if ctx.rule_id.startswith("generic.env-default"):
        return word in NOT_A_PASSWORD or word in _DATABASE_NAMES
    return word in NOT_A_PASSWORD and ctx.rule_kind == "password" and _parameter_default(ctx)


_PARAMETER = lazy(r"^\s*[A-Za-z_]\w*\s*(?::\s*[\w\[\], .|]+)?\s*=\s*[\"'][^\"']*[\"']\s*,?\s*(?:#.*)?$")


def _parameter_default(ctx: Context) -> bool:
    """The value is a Python function parameter's default (``password: str = "admin",`` in a signature spread
    over lines, its ``def`` above and not yet closed): what the library assumes when no caller says."""
    if not _PARAMETER.match(ctx.line):
        return False
    recent = ctx.before[-1500:]
    opened = recent.rfind("def ")
    return opened >= 0 and not _SIGNATURE_END.search(recent, opened)


_SELECTOR = lazy(r"^[#.][A-Za-z][\w\-]{5,}$")


def is_selector_value(ctx: Context) -> bool:
    """A CSS selector where the password would be (a page object's ``'password' =>
    '#sylius_admin_user_plainPassword'``, ``passwordField: '.login-form-password'``): the element a test
    types into, its name made of words; a CSS colour among colours, the status's colour in a test report:
    ``{"fail": "#f66", "pass": "#9e9"}``; or inline CSS declarations (``'pass' => 'color:gray;'``)."""
    value = ctx.value.strip().strip("\"'`")
    if _HEX_COLOUR.match(value):
        return len(_HEX_COLOUR_IN_LINE.findall(ctx.line)) >= 2
    if _CSS_DECLARATIONS.match(value):
        return True  # a highlighter's style for its ``pass`` keyword (GeSHi's ``'pass' => 'color:gray;'``)
    return bool(_SELECTOR.match(value)) and word_shaped(value[1:].replace("-", "_"))


_CSS_PROPERTY = (r"(?:color|background(?:-color)?|font-(?:weight|style|family|size)|text-decoration|border(?:-\w+)?|"
                 r"margin|padding|display|opacity|cursor)")
_CSS_DECLARATIONS = lazy(rf"^(?:{_CSS_PROPERTY}\s*:\s*[#\w\-., ()%]+;\s*)*{_CSS_PROPERTY}\s*:\s*[#\w\-., ()%]+;?$")
"""Inline CSS declarations (``color:gray;``, ``font-weight: bold; color: #808080;``) of known properties."""


_HEX_COLOUR = lazy(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_HEX_COLOUR_IN_LINE = lazy(r"[\"'`]#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})[\"'`]")


PROMPT_LINES = 10
"""Lines above a fallback where the prompt that shows it may be."""


def is_prompt_default(ctx: Context) -> bool:
    """A fallback that the program shows its user as the default (``ask('Password [spree123]: ')`` above
    ``password = 'spree123' if password.blank?``; ``(default: admin)`` in a help text): printed on every
    run, it is a documented default, not a secret. Typed values only: a generated one stays, unless a comment
    after it on its line calls it the default (``token_admin: 33926bc55db5e2c3   # default token when use API``:
    a shipped configuration's documented default, which nobody calls their own key)."""
    value = ctx.value.strip().strip("\"'`")
    if not 3 <= len(value) <= 40 or not ctx.rule_id.startswith("generic."):
        return False
    at = ctx.value_at()
    if at >= 0 and _DEFAULT_COMMENT.search(ctx.line, at + len(ctx.value)):
        return True
    if looks_generated(value):
        return False
    # a prompt's block runs a few lines (``ask(...) do |q| ... end``) before its fallback
    above = ctx.before.split("\n")[-PROMPT_LINES:]
    return any(_shows_default(line, value) for line in (*above, *_nearby_lines(ctx), ctx.line[:max(0, ctx.value_at())]))


_DEFAULT_COMMENT = lazy(r"(?i)(?:#|//|--|;)[^\n]{0,40}\bdefault\s+(?:admin\s+|api\s+)?(?:token|key|password|secret|credential)s?\b")
"""A comment that calls the value before it the default one (``# default token when use API``)."""
_DEFAULT_BEFORE = re.compile(r"(?i:\bdefaults?(?:\s+(?:is|to))?\s*[:=]?\s*)[\"'`]?\Z")
"""What shows a default just before it: ``default: ``, ``defaults to '``, ``Default is "``."""


def _shows_default(line: str, value: str) -> bool:
    """Whether ``line`` shows ``value`` as a default: ``[value]``, or ``value`` (ending at a word boundary)
    right after ``_DEFAULT_BEFORE``. What the search of ``\\[value\\]|<default>["'`]?value\\b`` finds, without a
    regex compiled per value: every generic match compiled one (a file of 3,000 matches: 3,000 compiles,
    seconds of CPU, and Python's cache of compiled patterns flushed for every other caller)."""
    if "[" + value + "]" in line:
        return True
    start = line.find(value)
    while start >= 0:
        end = start + len(value)
        after = line[end] if end < len(line) else ""
        if _is_word(value[-1]) != _is_word(after) and _DEFAULT_BEFORE.search(line, 0, start):
            return True
        start = line.find(value, start + 1)
    return False


def _is_word(char: str) -> bool:
    """A character ``\\w`` matches (``re``'s word boundary is between one and a character it does not match)."""
    return char.isalnum() or char == "_"


def is_user_echo(ctx: Context) -> bool:
    """A typed password equal to the user or database role it is set for, or to its stem (on its line, or a
    user key within three lines: ``DB_USERNAME: akaunting`` / ``DB_PASSWORD: akaunting``;
    ``benchmarkdbuser``/``benchmarkdbpass``, ``mycause_dev``/``mycause``), with no real host
    there: a local default login (``CREATE ROLE postgres WITH LOGIN PASSWORD 'postgres'``), the first
    value anybody tries, which a leak does not give away; an object store's secret key equal to its access key
    is the same default. On a real host it stays (``DB_HOST:
    db.corp.net`` nearby, ``psql -h db.corp.net``): a default login on a server others can reach is
    worth reporting."""
    # an S3-style secret key equal to its access key (``RUSTFS_ACCESS_KEY``/``RUSTFS_SECRET_KEY: "minio"``) too
    key = ctx.key.lower()
    store_key = ctx.provider == "generic" and ("secret" in key or "access" in key)
    if (ctx.rule_kind not in ("password", "connection-string") and not store_key) or looks_generated(ctx.value):
        return False
    value = unquote(ctx.value.strip()).lower()
    at = ctx.value_at()
    if not value or at <= 0:
        return False
    nearby = _nearby_lines(ctx)
    users = [m.group(1).lower() for m in _USER_BEFORE.finditer(ctx.line[:at])]
    in_url = _URL_USER.search(ctx.line[max(0, at - 120):at])  # ``postgresql://postgres:VALUE@db``
    if in_url:
        users.append(unquote(in_url.group(1) or in_url.group(2)).lower())
    users += [(m.group(1) or m.group(2)).lower() for line in nearby if (m := _USER_LINE.search(line))]
    if store_key and "access" in key:  # the access key's line, its secret key beside it
        users += [m.group(1).lower() for line in nearby if (m := _SECRET_KEY_LINE.search(line))]
    stem = _login_stem(value)
    # a stem of six letters or more names a project (``benchmarkdb``, ``mycause``), also as a role's first
    # word (``saleor`` for ``saleor_read_only``); a shorter one is a product or role word (``mongo``, ``admin``)
    # that people also build their real passwords on
    if value not in users and not (len(stem) >= 6 and any(
            _login_stem(user) == stem or re.split(r"[_\-.]", user)[0] == value for user in users)):
        return False
    return _no_real_host(ctx, nearby)


PLACEHOLDER_USERS = frozenset(
    [
        "user", "username", "usr", "login", "name", "foo", "test", "testuser", "tester", "me", "myuser", "myname",
        "someone", "somebody", "john", "jdoe", "johndoe", "jane", "joe", "alice", "bob", "anonymous", "nobody", "demo",
        "example", "yourname", "youruser", "your_username", "userid", "someoneelse", "somebodyelse", "otheruser",
        "anotheruser",
        # RFC 7617's example user (``Aladdin:open sesame``), in every basic-auth test and manual
        "aladdin"
    ]
)
_URL_USER = lazy(r"(?i)(?://|\s-u\s*['\"]?|--user[=\s]+['\"]?|\blogin\s+)([^\s:/@'\"]+)(?::|\s+password\s+)$"
                       r"|['\"]([^'\"\s]{1,40})['\"]\s*,\s*['\"]$")


_DEMO_PASSWORD = lazy(r"^[A-Za-z]{3,16}\d{0,6}$")
_EXAMPLE_MAIL = lazy(r"(?i)[\w.+\-]+@((?:[\w\-]+\.)*(?:example\.(?:com|org|net)|example|invalid|test|localhost))\b")


def is_example_account(ctx: Context) -> bool:
    """A demo password (a word, maybe with digits after it) on the line of an e-mail address at an
    example domain, or next to it (``{'email': 'admin@example.com', 'password': 'admin'}``, a seed script's demo
    user): a sample account that no service holds. Any other value stays (a real key may sit beside a
    sample address), and so does a value that is no password (``SECRET_KEY=...`` above
    ``FIRST_SUPERUSER=admin@example.com``: the application's key, not the account's)."""
    if not _DEMO_PASSWORD.match(ctx.value.strip().strip("\"'`")):
        return False
    if (ctx.rule_kind != "password" and "password" not in ctx.rule_id
            and not any(token.endswith(_PASSWORD_WORDS) for token in _key_tokens(ctx.key))):
        return False
    # on its line, or the account's e-mail set on a line next to it (a seed's ``password = 'spree123'`` /
    # ``email = 'spree@example.com'``, a hash's ``:admin_password => "spree",`` / ``:admin_email => ...``)
    lines = (ctx.line, *ctx.before.split("\n")[-1:], *ctx.after.split("\n")[:2])
    # an issued account's login nearby names the account (a transcript's ``SMTP_USER_NAME: app27830035@heroku.com``
    # above ``SMTP_PASSWORD:``, a sender's ``andrew@example.com`` below it)
    return any("@" in line and _EXAMPLE_MAIL.search(line) for line in lines) and not is_issued_account_pair(ctx)


def is_placeholder_user(ctx: Context) -> bool:
    """A typed (not generated) value written with a placeholder user (``http://user:VALUE@``,
    ``-u foo:VALUE``, ``login user password VALUE``, ``("anonymous", "VALUE")``)."""
    at = ctx.value_at()
    if at < 0 or looks_generated(ctx.value):
        return False
    found = _URL_USER.search(ctx.line[max(0, at - 120):at])
    if not found:
        return False
    return _placeholder_user(unquote(found.group(1) or found.group(2)).replace("?", ""))


def _placeholder_user(user: str) -> bool:
    """A user name documentation makes up (``PLACEHOLDER_USERS``, ``testuser``, ``fake_smtp_user``)."""
    return user.lower() in PLACEHOLDER_USERS or _made_up(user.lower())


_ACCOUNT_ON_LINE = lazy(r"(?i)(?:\b|_)(?:user(?:_?name)?|login|account(?:_?id)?)[\"']?\s*[:=]\s*[\"']?([\w.@+\-]{6,64})")
_ASCENDING_DIGITS = lazy(r"0123|1234|2345|3456|4567|5678|6789")


_LETTER_RUN = lazy(r"[A-Za-z]{5}")
_SELF_NAMED = lazy(r"(?i)pass|pwd|secret|test|user|admin|demo|sample|example|changeme")


def generated_account(user: str) -> bool:
    """A user name a system issued, not one a person typed: at least eight characters before any ``@``,
    letters and at least four digits of three kinds or more, no word of five letters, no separator, no
    counting run and no placeholder user (``8f3e2b71``, ``app73019462@heroku.com``; not ``user1234``,
    ``admin``, ``test0001``, ``pymysql_ed25519``)."""
    local = user.split("@", 1)[0]
    digits = [c for c in local if c.isdigit()]
    if len(local) < 8 or len(digits) < 4 or len(set(digits)) < 3 or not any(c.isalpha() for c in local):
        return False
    if _LETTER_RUN.search(local) or not local.isalnum():
        return False  # a word in it (``pymysql_ed25519``): a name a person chose
    if _ASCENDING_DIGITS.search(local) or local.lower() in PLACEHOLDER_USERS or _made_up(local):
        return False
    return shannon(local) >= 2.5


def is_issued_account_pair(ctx: Context) -> bool:
    """Corroboration (a label, never lowering): a generated password written with the issued user name it
    logs in as, on its line or within three lines (``SipAuth(username='8f3e2b71', password='...')``, a
    Heroku add-on's ``SENDGRID_USERNAME: app73019462@heroku.com`` above its password). Documentation's
    logins are typed (``user``/``secret``); a machine-issued pair is somebody's account, wherever it
    sits, like a secret beside its client id. Beside such a user, a shorter password mixing letters and digits
    is issued too (Heroku's SendGrid add-on gave eight: ``sflajgz0``)."""
    if not ctx.rule_id.startswith("generic.") or not _issued_password(ctx.value) or _SELF_NAMED.search(ctx.value):
        return False
    at = ctx.value_at()
    if at < 0:
        return False
    users = [m.group(1) for m in _ACCOUNT_ON_LINE.finditer(ctx.line[:at])]
    nearby = _nearby_lines(ctx)
    users += [(m.group(1) or m.group(2)) for line in nearby if (m := _USER_LINE.search(line))]
    return any(generated_account(unquote(user)) for user in users if user and user != ctx.value)


def _issued_password(value: str) -> bool:
    """Generated (``looks_generated``), or eight characters or more of letters and digits with no repeats to
    speak of and letters no one pronounces (fewer than one in four a vowel: ``sflajgz0``, not ``hunter22``): the
    passwords services issue beside an issued user."""
    if looks_generated(value):
        return True
    letters = [c for c in value.lower() if c.isalpha()]
    return (len(value) >= 8 and value.isalnum() and len(letters) < len(value) and len(letters) >= 4
            and len(set(value)) >= 0.75 * len(value) and sum(c in "aeiou" for c in letters) < 0.25 * len(letters))


_CIPHERTEXT = lazy(r"^[A-Za-z0-9+/]{40,}={0,2}$")


def is_ci_encrypted(ctx: Context) -> bool:
    """A value encrypted for a CI service with that service's own key and committed by design: Codecov's
    ``secret:`` strings (``secret:`` and the ciphertext with no space, alone or as a ``codecov.yml`` value,
    made on the repository's settings page; only Codecov can read them). A key named ``secret`` followed by
    a space, a quote or ``_``, and a short value, stay."""
    at = ctx.value_at()
    if at < 7 or not ctx.line[:at].endswith("secret:") or not _CIPHERTEXT.match(ctx.value.strip()):
        return False
    before = ctx.line[:at - 7]
    return not before or before[-1] in " \t\"'"


_SEALED_PARENT = lazy(r"^[ \t]*encryptedData:[ \t]*(?:#.*)?$")
_NECKLESS_HEAD = re.compile(rb'^\s*\[\s*\{\s*"FingerPrint":\s*"[A-Za-z0-9+/=]{40,}",\s*"Type":\s*"(?:KVPearl|Gem)"')
ENCRYPTED_REACH = 4096
"""Bytes above a value read for the YAML key it sits under."""


_SEALED_VALUE = lazy(r"Ag[A-D][A-Za-z0-9+/]{680,4096}={0,2}(?![A-Za-z0-9+/=])")
"""A Bitnami Sealed Secrets ciphertext (https://github.com/bitnami-labs/sealed-secrets, its hybrid encryption: a
two-byte length, 0x0200, then the 4096-bit controller key's RSA-OAEP session key, then the AES-GCM data), base64: it
starts ``AgA`` to ``AgD`` and runs past 680 characters. A chart's values carry it under any key."""


def is_encrypted_value(ctx: Context) -> bool:
    """A value committed encrypted by design, readable only with a key kept elsewhere: inside a SOPS,
    ejson, Jasypt or Spring Cloud Config envelope (``filters.ENCRYPTED_ENVELOPE``); a Bitnami Sealed
    Secret's ``encryptedData`` entry or a sealed value under any key (https://github.com/bitnami-labs/sealed-secrets:
    only the cluster's controller decrypts it); a neckless store's owner claims (``.neckless``: a list of encrypted
    ``KVPearl``/``Gem`` records, https://github.com/mabels/neckless). Keeping secrets this way is the
    practice every other finding asks for; a weak key elsewhere is not this file's leak."""
    at = ctx.value_at()
    if at >= 0:
        end = at + len(ctx.value)
        if any(m.start() <= at and end <= m.end() for m in ENCRYPTED_ENVELOPE.finditer(ctx.line)):
            return True
    if at >= 0 and _SEALED_VALUE.match(ctx.line, at):
        # a sealed value under a chart's own key (``sealedSecrets: data: MAIL_PASSWORD: AgBye+...``), read on the
        # line: a rule may have taken only its first characters
        return True
    if not ctx.source:
        return False
    if ctx.source[:512].lstrip()[:1] == b"[" and _NECKLESS_HEAD.match(ctx.source[:512]):
        return True
    return _under_encrypted_data(ctx.source, ctx.line_start)


def _under_encrypted_data(source: bytes, line_start: int) -> bool:
    """The line at ``line_start`` is indented under a YAML ``encryptedData:`` key (read upwards, bounded)."""
    low = max(0, line_start - ENCRYPTED_REACH)
    if source.rfind(b"encryptedData:", low, line_start) < 0:
        return False
    line = source[line_start:line_start + 256]  # enough for its indent: a hostile line may be megabytes long
    indent = len(line) - len(line.lstrip(b" \t"))
    if indent == 0:
        return False
    above = source[low:line_start].decode("utf-8", "replace").split("\n")
    for text in reversed(above[:-1] if above and above[-1] == "" else above):
        stripped = text.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        if len(text) - len(stripped) < indent:
            return bool(_SEALED_PARENT.match(text))
    return False


_URL_VALUE = lazy(r"^[A-Za-z][A-Za-z0-9+.\-]{1,15}://(?:[^\s/@:?#]+(?::\d{1,5})?)?(?:/[^\s?#@]*)?$")


def is_url_value(ctx: Context) -> bool:
    """A password key holding a plain URL, with no user information or query in it: where something
    lives, not a password (``"pgpass": "git://github.com/..."`` in a package manifest's dependencies).
    Token keys stay: a webhook URL is a secret. A file's URL has no host (``sqlite:////data/app.db``)."""
    return ctx.rule_kind == "password" and bool(_URL_VALUE.match(ctx.value.strip().strip("\"'`")))


_HOSTED_HOSTS = (
    r"(?i)\b[\w.\-]+\.(?:amazonaws\.com|database\.windows\.net|database\.azure\.com|redis\.cache\.windows\.net|"
    r"documents\.azure\.com|mongodb\.net|mongolab\.com|mlab\.com|elephantsql\.com|redislabs\.com|redis-cloud\.com|"
    r"db\.ondigitalocean\.com|aivencloud\.com|neon\.tech|supabase\.co|psdb\.cloud|cockroachlabs\.cloud|upstash\.io|"
    r"tsdb\.cloud\.timescale\.com|snowflakecomputing\.com|aliyuncs\.com|clever-cloud\.com|render\.com|"
    r"rlwy\.net|railway\.app|instaclustr\.com|objectrocket\.com|composedb\.com|mongolayer\.com|heroku\.com)\b")
_HOSTED_DATA = lazy(_HOSTED_HOSTS)
"""Hosts of hosted databases and caches: a generated password written beside one logs in to a server
anybody can reach (AWS's RDS and EC2 names, Azure's database and cache names, MongoDB Atlas and mLab, Heroku,
Aiven, Neon, Supabase, PlanetScale, CockroachDB Cloud, Upstash, Timescale, Snowflake, Alibaba Cloud, Compose's
``mongolayer.com`` ...)."""
_HOSTED_URL_HOST = lazy(_HOSTED_HOSTS + r"(?=[:/?#'\"\s,;)]|$)")
"""A URL's host that is a hosted database's, ending there (not ``x.mongodb.net.attacker.example``)."""
HOSTED_LINES = 12
"""Lines above a password where its host may be set (a config block: host, port, database, user)."""


def is_hosted_login(ctx: Context) -> bool:
    """Corroboration (a label, never lowering): a generated password written with the host of a hosted
    database on its line or in its config block (``host: 'ec2-...compute-1.amazonaws.com'`` a few lines
    above ``password: '...'``), or a connection string's generated password whose own host is one
    (``mongodb+srv://app:...@cluster0.ab1cd.mongodb.net``), typed or generated (``forgetmenot!`` at Compose's
    ``candidate.19.mongolayer.com``: a weak password on a public server is the worse leak): a login to a server
    on the internet, wherever the file sits."""
    if ctx.rule_kind == "connection-string" and len(ctx.value) >= 6 and ctx.value.lower() not in COMMON_VALUES:
        at = ctx.value_at()
        # the URL's own host, right after the password: ``:PASSWORD@host``
        return at >= 0 and ctx.line.startswith("@", at + len(ctx.value)) and bool(
            _HOSTED_URL_HOST.match(ctx.line, at + len(ctx.value) + 1, at + len(ctx.value) + 1 + 255))
    if not looks_generated(ctx.value) or not ctx.rule_id.startswith("generic.") or ctx.rule_kind != "password":
        return False
    nearby = "\n".join((*ctx.before.split("\n")[-HOSTED_LINES:], ctx.line, *ctx.after.split("\n")[:NEARBY_USER_LINES]))
    return bool(_HOSTED_DATA.search(nearby))


def is_typed_login(ctx: Context) -> bool:
    """A note for judgement, never lowering and never shown: a password a person typed (not generated: a
    word, digits, a short value) with no real host on its line or in its block. Judgement lowers it in a CI
    job's definitions, where such a login is the one the job gives the database it starts
    (``ci-test-login``), and drops the note. A connection string's typed password too, on a container's host."""
    if ctx.rule_kind not in ("password", "connection-string") or looks_generated(ctx.value):
        return False
    return _no_real_host(ctx, _nearby_lines(ctx))


_COMPOSE_SERVICES = lazy(rb"(?m)^services:[ \t]*\r?$")
_COMPOSE_IMAGE = lazy(rb"(?m)^[ \t]+image:[ \t]*\S")
COMPOSE_SNIFF = 64 * 1024
"""Bytes of a file read to tell a Compose document by its content."""


def is_compose_document(ctx: Context) -> bool:
    """A note for judgement, never lowering and never shown: a login's file is a Docker Compose document by its
    content (a top-level ``services:`` and an ``image:`` under a service), whatever its name
    (``quickstart-mysql.yml``, ``stack.yml``); judgement reads its typed logins as a container's."""
    if not ctx.source or not is_typed_login(ctx):
        return False  # read only for a typed login: the one note judgement combines it with
    return _compose_content(ctx.source)


@lru_cache(maxsize=1)  # pure; a blob's logins ask in turn with the same bytes object (which keeps its hash); one kept
def _compose_content(source: bytes) -> bool:
    head = source[:COMPOSE_SNIFF]
    return bool(_COMPOSE_SERVICES.search(head)) and bool(_COMPOSE_IMAGE.search(head))


def is_page_code_sample(ctx: Context) -> bool:
    """A code sample on a web page: the value sits in a ``<pre>`` or ``<code>`` block opened above and not
    closed before its line (a built documentation site's ``<pre><code class="language-js">`` example, an
    HTML page's snippet, a help page's ``<code>curl -H 'Authorization: Token ...'</code>``). Keyword rules, password
    hashes and HTTP authorization headers only (a hash is made by whoever wrote the page, a sample account's in a
    manual; a header's token has no format of its own); a provider's own format is judged by its value."""
    if not ctx.rule_id.startswith(("generic.", "password-hash.", "http-auth-header.", "http-basic-auth.")) \
            or not ctx.source:
        return False
    low = max(0, ctx.line_start - STRING_REACH)
    head = ctx.line[:max(ctx.value_at(), 0)]  # opened on the value's own line, before it
    for opening, closing in ((b"<pre", b"</pre"), (b"<code", b"</code"), (b"<PRE", b"</PRE")):
        here = head.rfind(opening.decode())
        if here >= 0 and head.find(closing.decode(), here) < 0:
            return True
        at = ctx.source.rfind(opening, low, ctx.line_start)
        if at >= 0 and ctx.source.find(closing, at, ctx.line_start) < 0 and closing.decode() not in head:
            return True
    return False


_WORD_KEY_TOKENS = frozenset({"token", "key"})


def is_word_value(ctx: Context) -> bool:
    """A ``*_token``/``*_key`` name in code given one lower-case word (``upgrade_token: str =
    "upgrades"``, a template's marker): the name of a slot, not a credential. Password keys stay (a weak
    human password is still a password)."""
    value = ctx.value.strip().strip("\"'`")
    name = _KEY_NAME.search(ctx.key)
    if ctx.rule_kind == "password" or not ctx.rule_id.startswith("generic.") or not name:
        return False
    tokens = _key_tokens(name.group(0))
    if not tokens or tokens[-1] not in _WORD_KEY_TOKENS or not value.isalpha() or not value.islower():
        return False
    # word-shaped (vowels, no consonant runs): ``upgrades``, not a random ``hqzmpwxk``
    return 3 <= len(value) <= 16 and word_shaped(value) and shannon(value) < 3.5


_LOGIN_SCHEMES = frozenset({
    "session", "oidc", "openid", "saml", "local", "cookie", "cookies", "emailpass", "email", "otp", "totp", "sso",
    "passwordless", "webauthn", "magic-link", "magiclink", "header", "query", "google", "github", "gitlab",
    "facebook", "apple", "microsoft", "azure", "azuread", "twitter", "okta", "auth0", "cognito", "firebase",
    "keycloak", "userpass", "user-pass", "credentials", "ldap", "kerberos", "radius", "pam", "ntlm", "oauth",
    "oauth2", "external", "imap",
})
"""Login strategies and identity providers a login call may name, beside the ``_AUTH_SCHEMES`` below."""


def is_auth_scheme(ctx: Context) -> bool:
    """A login or authenticate call given an authentication scheme or provider name where the password
    would be (``authenticate("store", "session")``, ``sdk.auth.login("admin", "emailpass", payload)``,
    Passport's ``authenticate("local", ...)``): the call names how to authenticate, not with what. Also a
    function's password parameter defaulting to such a name (Mailu's ``User.create``, whose password parameter
    defaults to the word ldap: users of an external directory get a marker for a password)."""
    value = ctx.value.strip().strip("\"'`").lower()
    if value not in _LOGIN_SCHEMES and value not in _AUTH_SCHEMES:
        return False
    return ctx.rule_id == "generic.login-call" or bool(_SIGNATURE.search(ctx.line[:max(ctx.value_at(), 0)]))


_SIGNATURE = lazy(r"^[+\-]?\s*(?:async\s+)?(?:def|function|fn|func)\s+\w+\s*\(|"  # a diff's line too
                  r"^[+\-]?\s*(?:public|private|protected)?\s*\w+\s*\([^)]*$")


_SOURCE_MAP = lazy(rb"^\s*\{\s*\"version\"\s*:\s*3\s*,")


def is_source_map(ctx: Context) -> bool:
    """A source map (version 3 JSON with ``mappings``; inline ones are decoded from
    ``//# sourceMappingURL=data:application/json;base64,...``): the compiled file's own source, embedded by
    the build; what it holds is judged where that source is."""
    # bounded: asked for every match in the file, and a hostile one may be large
    return bool(_SOURCE_MAP.match(ctx.source[:64])) and ctx.source.find(b'"mappings"', 0, STRING_REACH) >= 0


_PATH_VALUE = lazy(r"^(?:\.{0,2}/)?(?:[\w.\-]+/){1,12}[\w.\-]+$")
_TEMPLATE_NAME = lazy(r"^@?[\w.\-]+(?:::?[\w.\-/]+)+\.(?:twig|html|tpl|jinja2?|j2|hbs|mustache|erb|haml|slim|ejs|pug)$")
"""A template's logical name (Symfony's ``SyliusPayumBundle::Action/obtainCheckoutToken.html.twig``)."""


def is_path_value(ctx: Context) -> bool:
    """A relative or absolute file path as the value (``docker_private_key = 'compose/debug/keys/id_rsa'``,
    ``API_KEY_FILEPATH: envfiles/AuthKey_KDAUTTM76R.p8``): where a key file lies, not the key; the file
    itself is judged where it is committed; or a template's logical name
    (``SyliusPayumBundle::Action/obtainCheckoutToken.html.twig``). Only values with a folder, letters in
    every part and no part that looks generated (but a key file's name, which may hold its id)."""
    value = ctx.value.strip().strip("\"'`")
    if ctx.rule_id.startswith("generic.") and _TEMPLATE_NAME.match(value):
        # Symfony's ``Bundle::dir/name.html.twig`` and ``@Bundle/...``: folders and a name made of words
        return all(word_shaped(part.split(".")[0]) for part in re.split(r"^@|:+|/", value) if part)
    # a header rule reads ``'api-key', 'views/fields/varchar'`` as a header and its value: a path is never a token
    if not ctx.rule_id.startswith(("generic.", "http-auth-header.")) or not _PATH_VALUE.match(value) or "//" in value:
        return False
    parts = [p for p in value.split("/") if p not in ("", ".", "..")]
    if len(parts) >= 2 and (_KEY_FILE_NAME.search(parts[-1]) or _SOURCE_FILE_NAME.search(parts[-1])):
        # a key file's name may hold its generated id (``envfiles/AuthKey_KDAUTTM76R.p8``), a source file's its
        # class's name or a migration's hash (an autoloader's ``'include/pear/Net/DNS2/PrivateKey.php'``)
        parts = parts[:-1]
    return bool(parts) and len(value.split("/")) >= 2 and all(
        any(c.isalpha() for c in p) and not looks_generated(p) for p in parts)


_KEY_FILE_NAME = lazy(r"(?i)^[\w.\-]+\.(?:p8|pem|key|p12|pfx|jks|keystore|crt|cer|der|pub|ppk|asc|gpg|json|mobileprovision)$")
_SOURCE_FILE_NAME = lazy(r"^[\w.\-]+\.(?:php|inc|js|mjs|cjs|ts|tsx|jsx|py|rb|go|java|kt|cs|scala|swift|c|h|cc|cpp|hpp|rs|"
                         r"vue|svelte|twig|html|erb|tpl|css|scss)$")
"""A file name with a key, certificate or credentials file's extension: Apple's ``AuthKey_<KEY ID>.p8``."""


_PHRASE_JARGON = frozenset({"secret", "key", "dev", "local", "development", "production", "prod", "staging", "change",
                            "replace", "placeholder", "just", "for", "minimum", "characters", "long", "secure", "sample",
                            "example", "demo", "test", "generating", "linting", "client", "my", "your", "jwt", "from",
                            "only", "not", "real", "default", "password", "api", "or", "and", "value", "here", "the",
                            "token", "some", "any", "put", "insert", "goes", "new", "this", "is",
                            # what the note says the value should be (``SomeRandomStringOf32CharsExactly``) or is for
                            # (``agentforge-dev-salt-2026``)
                            "random", "string", "chars", "of", "with", "exactly", "salt", "pepper", "e2e", "least",
                            "at"})
_COUNTING_RUN = lazy(r"^(?:0?1234?5?6?7?8?9?0?|\d)$")


_GLUED_WORDS = lazy(r"(?:[A-Z][a-z]{2,}){2,}(?:\d{1,3}|[A-Z][a-z]+)*")
"""Capitalised words glued together, the first two of three letters or more (short words such as ``Of`` after them),
numbers among them (``is_descriptive_phrase`` allows one)."""


_CAMEL_WORDS = lazy(r"[a-z]{2,}(?:[A-Z][a-z]{2,}|\d{1,3}){2,}")
"""Lower camel case of three words or more, numbers among them (``defaultPassword12Secret``)."""


_YEAR = lazy(r"(?:19|20)\d\d")


def is_descriptive_phrase(ctx: Context) -> bool:
    """A value that describes itself in words joined by hyphens or underscores or glued as capitalised words
    (``just-for-linting``, ``dev-local-jwt-secret-key-minimum-32-characters-long``,
    ``SomeRandomStringWith32Characters``), two of them credential or placeholder jargon:
    a note in place of a secret. A random passphrase of words stays (``correct-horse-battery-staple``)."""
    value = ctx.value.strip().strip("\"'`")
    least = 2
    if _GLUED_WORDS.fullmatch(value) and len(re.findall(r"[A-Z]", value)) >= 4:
        # (four words at least: ``AdminPassword123`` in a password field is a weak password, kept)
        # glued capitalised words (Laravel's old ``SomeRandomStringWith32Characters``): one word per hump
        value = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[a-z])(?=\d)", "-", value)
    elif _CAMEL_WORDS.fullmatch(value):
        # camel case of three words or more, every word jargon (a form's prefilled ``defaultPassword12Secret``);
        # ``adminPassword123`` keeps a word of its own and stays a weak password
        value, least = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[a-z])(?=\d)", "-", value), 3
    parts = [p for p in re.split(r"[-_]", value.lower()) if p]
    # one word may carry digits (a year, ``32chars``, ``base44``, a short suffix), never more
    # a counting run at the end (``-1234``) is no word: it is counted as jargon
    counted = [p for p in parts if not p.isalpha() and not _COUNTING_RUN.match(p) and p not in _PHRASE_JARGON
               and not _YEAR.fullmatch(p)]  # a year is a date, not a word with digits
    if len(parts) < 3 or len(counted) > 1 or not all(p.isalnum() and len(p) <= 16 for p in parts):
        return False
    # two jargon words, one of them a note's (``for``, ``local``, ``production``...), not only ``secret-key``
    jargon = [p for p in parts if p in _PHRASE_JARGON or _COUNTING_RUN.match(p)]
    if least == 3 and not all(p in _PHRASE_JARGON for p in parts if p.isalpha()):
        return False  # every word of a camel-case value is jargon, a number among them allowed
    return len(jargon) >= least and any(p not in {"secret", "key", "jwt"} for p in jargon)


def _base64_of_text(value: str) -> bool:
    """``value`` is base64 of printable text (a JWT's JSON, a PEM file, a kubeconfig)."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_" if "-" in value or "_" in value else None)
    except (binascii.Error, ValueError):
        return False
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in raw)
    return len(raw) >= 12 and printable >= 0.9 * len(raw)


REPEAT_CHUNK = 10
"""Characters in a chunk that, seen twice in one value, makes it a built pattern."""


def is_repeated_pattern(ctx: Context) -> bool:
    """A value built of one chunk repeated (``...8fGC8fHxgvHx8YLx8fGC8fHx...`` in an icon's base64, a made-up
    ``sk-live-7f3a9c2e8b1d4f6a9c2e8b1d4f6a9c2e``): a chunk of ten characters, five of them different, that
    occurs twice. No issued token repeats itself (a run of one letter, Twitter's leading ``AAAA...``, does
    not count). Linear in the value: each chunk is looked up once."""
    value = ctx.value.strip()
    if not 24 <= len(value) <= 1024 or any(c.isspace() for c in value):
        return False  # a token is one word: a key file's lines repeat their headers (``BEGIN ... key``, ``END ... key``)
    seen: set[str] = set()
    for start in range(len(value) - REPEAT_CHUNK + 1):
        chunk = value[start:start + REPEAT_CHUNK]
        if chunk in seen and len(set(chunk)) >= 5:
            # encoded text (a JWT's claims, a PEM's headers) repeats what the text repeats: decoded only
            # here, for the few values that repeat at all
            return not (value.startswith("eyJ") or _base64_of_text(value))
        seen.add(chunk)
    return False


_PACKAGE_SPEC = lazy(r"^(?:npm|workspace|file|link|git\+https?|github):[@\w./\-]+(?:@[\w.\-^~<>=*]+)?$"
                     r"|^workspace:(?:[*^~]|[\^~]?\d[\w.\-]*)$"  # pnpm's and Yarn's workspace protocol (``workspace:*``)
                     r"|^[a-z][\w\-]*(?:\.[\w\-]+)+:[\w.\-]+:\d[\w.\-]*$"  # a Maven coordinate (group:artifact:version)
                     # Composer's branch constraint, a commit pinned (``dev-master#ade46d4``,
                     # https://getcomposer.org/doc/articles/versions.md#branches), and npm's git URL with its ref
                     r"|^dev-[\w./\-]{1,120}(?:#[0-9a-f]{7,40})?$|^git\+(?:ssh|https?)://[\w.@:/\-]+(?:#[\w./\-]+)?$")


def is_package_spec(ctx: Context) -> bool:
    """A dependency specification as the value (``"@aws-sdk/credential-providers": "npm:useless-module@1.0.0"``, a
    Gradle or Maven coordinate ``tokenBucket: 'org.isomorphism:token-bucket:1.6'``): a package manifest names a
    package whose name has a credential word in it."""
    return bool(_PACKAGE_SPEC.match(ctx.value.strip().strip("\"'")))


_CONTAINER_RUN = lazy(r"(?i)\b(?:docker|podman)(?:\s+container)?\s+run\b")


def is_docker_run_login(ctx: Context) -> bool:
    """A typed login given to a container on its command line (``docker run -e MYSQL_ROOT_PASSWORD=... mariadb``
    in a ``package.json`` script or a README): the container's own login, on the machine that runs it."""
    at = ctx.value_at()
    return (ctx.rule_kind == "password" and at > 0 and not looks_generated(ctx.value)
            and bool(_CONTAINER_RUN.search(ctx.line, 0, at)))


_MESSAGE_KEY = lazy(r"^[a-z][a-z0-9]*(?:\.[a-z][a-z0-9]*)+(?:-[a-z0-9]+){1,8}$")
_DOTTED_NAME = lazy(r"^[a-z]+(?:[.\-](?:[a-z]+|\d{1,3})){3,}$")


def is_message_key(ctx: Context) -> bool:
    """A translation or message key as the value (``"auth.passkey-sign-in-cancelled"``), or a dotted name of
    four or more lower-case words (a syntax highlighter's ``token: "support.type.built-ins.classes.d"``): the
    name of a text or a scope, not a secret."""
    value = ctx.value.strip().strip("\"'`")
    if _DOTTED_NAME.match(value) and "." in value:  # a numbered scope too (``support.class.actionscript.2``)
        return all(word_shaped(part) for part in re.split(r"[.\-]", value) if not part.isdigit())
    return bool(_MESSAGE_KEY.match(value))


def _strip_suffix(value: str) -> str:
    """A value without the suffixes that defeat placeholder filters: URL login options (``;auth=NTLM``),
    percent-encoding, the ``?`` of ``pass?word`` and the brackets of a syntax line's optional parts
    (``redis://[USER[:PASSWORD]@]HOST``)."""
    core = unquote(value).split(";", 1)[0]
    return core.replace("?", "").strip("[]")


def is_suffixed_placeholder(ctx: Context) -> bool:
    """A documentation placeholder with a suffix that hid it: ``pass;auth=NTLM``, ``password;options``,
    ``pass?word``, ``pass%3Bword``, ``PASSWORD]`` (a syntax line's ``[USER[:PASSWORD]@]HOST``)."""
    value = ctx.value.strip()
    core = _strip_suffix(value)
    if core == value or not core:
        return False
    words = vocabulary_words(core)
    if not words:
        return False
    return (len(words) == 1 and words[0] in JARGON) or _made_up(core)


_ELIDED = lazy(r"\.\.\.|…|(?:^|[.\[<(*\s_\-])(?i:snip)(?:[.\]>)*\s_\-]|$)")
"""``...``, ``…`` or ``snip`` between elision marks (``...snip...``, ``[snip]``, ``<snip>``): never ``snip`` between a
random value's digits (``X0SnIP6t`` in a generated AWS secret)."""


def is_elided(ctx: Context) -> bool:
    """A value shortened for display (``99ae8af...snip...ec0f262ac``, ``sk-abc…xyz``): an example, or a
    credential already redacted. Also a service-account key file's key id when the same file's private key is
    elided (``"private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END..."``): a sample of the file's shape
    in a guide; the id alone grants nothing."""
    if ctx.rule_id == "google.service-account-key":
        return _private_key_elided(ctx)
    return bool(_ELIDED.search(ctx.value)) and not ctx.value.lstrip().startswith("-----BEGIN")


_PRIVATE_KEY_FIELD = lazy(r'"private_key"\s{0,3}:\s{0,3}"([^"]{0,8000})"')
_KEY_BODY = lazy(r"[A-Za-z0-9+/=]{64}")


def _private_key_elided(ctx: Context) -> bool:
    """The key file around a key id holds a ``private_key`` field with no base64 body (Google's key files write
    the id just before the key: https://cloud.google.com/iam/docs/keys-create-delete)."""
    field = _PRIVATE_KEY_FIELD.search("\n".join((ctx.line, ctx.after[:8000])))
    if field is None:
        field = _PRIVATE_KEY_FIELD.search(ctx.before[-8000:])
    return field is not None and _KEY_BODY.search(field.group(1).replace("\\n", "")) is None


_CRYPT = lazy(r"^\$(?:1|apr1|2[abxy]?|5|6|y|gy|7|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*|sha1|md5)\$")
_CRYPT_CODE = lazy(r"(?i)\b(?:write\w*|echo|print\w*|puts|assert\w*|expect\w*)\b")


def is_crypt_test_vector(ctx: Context) -> bool:
    """A password hash (``$apr1$``, ``$2b$``, ``$6$``, ``$argon2id$``...) written as test or example data:
    written out by test code (``write``/``echo``/``print``/``assert``), or for a placeholder user
    (``myuser:$1$...``), or in a block of such lines where the line next to it is a placeholder user's (a
    chart's commented sample ``foo:$apr1$...`` over ``ops:$apr1$...``). A leaked ``.htpasswd`` or ``shadow``
    line (``admin:$apr1$...``), a SQL dump or a config value stays."""
    value = ctx.value.strip()
    if not _CRYPT.match(value):
        return False
    if _CRYPT_CODE.search(ctx.line):
        return True
    at = ctx.value_at()
    head = ctx.line[:max(at, 0)].strip()
    if not head.endswith(":"):
        # only ``user:hash`` (htpasswd, shadow) names a user; ``ADMIN_PASSWORD_HASH=`` is a key. A Caddyfile's
        # ``basic_auth`` block writes ``user hash``: there only a placeholder user says sample (``Aladdin $2a$...``)
        last = head.split()[-1:] if head else []
        return bool(last) and last[0].lower() in PLACEHOLDER_USERS
    user = head.rstrip(":").split()[-1:]
    if bool(user) and _placeholder_user(user[0]):
        return True
    neighbours = (ctx.before.rsplit("\n", 1)[-1][-512:], ctx.after.lstrip("\r\n").split("\n", 1)[0][:512])
    return any(_placeholder_user(m.group(1)) for m in map(_HASH_LINE_USER.match, neighbours) if m)


_HASH_LINE_USER = lazy(r"^[\s#/;*]*([\w.\-]{1,64}):\$[\w\-]{1,16}\$")
"""An htpasswd or shadow line's user, comment marks before it (``#     foo:$apr1$...``)."""



_WINDOWS_PATH = lazy(r"\b[A-Za-z]:[/\\]")
_ESCAPES = ("\\n", "\\r")
_CLOSING_TAG = lazy(r"</[A-Za-z][\w\-]*>?$")
_HTML_QUOTES = ("&quot;", "&#34;", "&#39;", "&#x27;", "&apos;")


_EXPANSION_DEFAULT = lazy(r"\$\{[A-Za-z_]\w*:[-=?+]?$")
_NEXT_KEY = lazy(r"^[A-Z][A-Z0-9_]{2,}[:=]|^[a-z][\w\-]*(?:\.[\w\-]+){2,}=")


_DB_MECHANISMS = frozenset({"scram-sha-1", "scram-sha-256", "scram-sha-512", "mongodb-cr", "mongodb-x509",
                            "mongodb-aws", "mongodb-oidc", "gssapi", "plain", "md5", "sspi"})
"""Database authentication mechanisms a driver's ``auth(mechanism, database, user, password)`` takes first
(never an HTTP scheme: ``AuthenticationHeaderValue("Bearer", TOKEN)`` holds the token second)."""
_CALL_SCHEME = lazy(r"\(\s*[\"']([\w\-]{2,30})[\"']\s*,\s*[\"']?$")


def is_wrong_extraction(ctx: Context) -> bool:
    """The rule captured more or other than a value: a password that swallowed the rest of a string
    literal (a closing quote or a ``\\n`` escape inside, an HTML-escaped quote, a closing HTML tag), a value with no letter
    or digit, a Windows path read as ``user:password`` (``C:/msys64/usr/bin/curl.exe``), a Rust or C++ path's
    ``::`` read as a key and its value, or a login call's second argument after an authentication mechanism
    (``auth('scram-sha-1', 'admin', ...)``)."""
    value = ctx.value
    if value.lstrip().startswith("-----BEGIN"):
        return False
    if value.rstrip(")];,").endswith(("\"", "'")) or any(e in value for e in _ESCAPES + _HTML_QUOTES):
        return True
    if not any(c.isalnum() for c in unquote(value)):  # punctuation only: a URL-encoding test string
        return True
    if _CLOSING_TAG.search(value):  # a highlighted page's ``secret=word</span>``: the markup read as the value
        return True
    if _NEXT_KEY.match(value):  # an empty setting read up to the next one's name (``RECAPTCHA_PRIVATE_KEY:``)
        return True
    at = ctx.value_at()
    if at > 0 and _EXPANSION_DEFAULT.search(ctx.line, 0, at):  # ``${PASSWORD:-default}``: an expansion's default
        return True
    if at > 0 and value.startswith(":") and ctx.line[at - 1] == ":":
        return True  # ``UnbufferedTokenStream::new_unbuffered(``: a path's ``::`` read as a key and its value
    scheme = _CALL_SCHEME.search(ctx.line, 0, at) if at > 0 else None
    if scheme and scheme.end() >= at - 4 and scheme.group(1).lower() in _DB_MECHANISMS:
        return True  # ``auth('scram-sha-1', 'admin', user, pw)``: a mechanism first, the database second
    return bool(value.startswith(("/", "\\")) and at >= 2 and _WINDOWS_PATH.match(ctx.line, at - 2))


_SQL_ROWS = lazy(r"(?i)\s*(?:(?:INSERT|REPLACE)(?:\s+IGNORE)?\s+INTO\b|VALUES\s*\(|\(\s*\d+\s*,)")
"""A line of a database dump's rows (``INSERT INTO `ea_user_settings` VALUES (...), (...)``, or a row alone)."""


def is_minified_line(ctx: Context) -> bool:
    """A match inside a minified or bundled line (long, dense with punctuation, few spaces), where
    ``password:"..."`` is a form label or default prop far more often than a credential. A database dump's
    rows are data, not code (Easy!Appointments' SQL dump held users' Google OAuth tokens)."""
    line = ctx.line
    if len(line) < 1000:
        return False
    if line.count(" ") / len(line) >= 0.1 or _SQL_ROWS.match(line):
        return False  # (a database dump's INSERT is one long line of rows: data, not bundled code)
    punctuation = sum(line.count(ch) for ch in ";{}(),")
    if punctuation / len(line) > 0.05:
        return True
    # parser tables and packed data: mostly symbols (counted in C: a 4 KB line per match of a bundle)
    symbols = len(line) - sum(map(str.isalnum, line))
    return symbols / len(line) > 0.3


def is_template_key(ctx: Context) -> bool:
    """(Keyword rules, as the four predicates below: a provider's format is a secret wherever it sits.) The key is text inside a string literal that closes where the value would start
    (``"&j_password=" + URLEncoder.encode(pw)``, ``'&amp;managerPassword=' + encodeURIComponent(...)``): the
    literal is a query or form template, the "value" the code after it."""
    value, at = ctx.value, ctx.value_at()
    if not ctx.rule_id.startswith("generic.") or not value or value[0] not in " +.,);&|" or at < 1 \
            or ctx.line[at - 1] not in "\"'`" or ctx.line[at - 2:at - 1] == "\\":
        return False
    quote = ctx.line[at - 1]
    return ctx.line[:at - 1].count(quote) % 2 == 1  # the quote before the value closes the key's literal


_OPTION_PREFIX = lazy(r"[-&?;/]{0,2}[A-Za-z][\w.\-]{0,40}[=:]")


def is_option_prefix(ctx: Context) -> bool:
    """The value is itself a key or a command-line option waiting for its value, naming the credential
    (``argPassword = "-Dpassword="``, ``"&token="``, ``"password:"``): a template, not the secret."""
    value = ctx.value.strip()
    return ctx.rule_id.startswith("generic.") and bool(_OPTION_PREFIX.fullmatch(value)) and any(_credential_token(t) for t in _key_tokens(value))


_ASSIGNS = lazy(r"\s*=\s*[\"'`]?\s*$")


def is_attribute_of_credential(ctx: Context) -> bool:
    """In code, the value is assigned to an attribute of something named for a credential, and the
    attribute is no credential (``tokenValueSpan.style.display = 'inline-block'``,
    ``passwordField.placeholder = "..."``): the assignment target is the last name of the chain."""
    name = _KEY_NAME.search(ctx.key)
    if not ctx.rule_id.startswith("generic.") or not name or name.start() == 0 or ctx.key[name.start() - 1] != "." \
            or not _ASSIGNS.match(ctx.key, name.end()):
        return False  # an attribute assigned to, not a method called (``conn.login(user, password)``)
    if any(_credential_token(t) for t in _key_tokens(name.group(0))):
        return False
    return looks_like_code(ctx.line, ctx.before + "\n" + ctx.after)


HASH_NAMES = frozenset({"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "bcrypt", "scrypt", "argon2", "pbkdf2"})
"""Digest algorithms: a key ending in one holds the credential's digest (``passsha256``, ``password_md5``), not it."""
_QUALIFIERS = frozenset({
    "within", "audience", "url", "uri", "endpoint", "expiry", "expires", "expiration", "expire", "ttl", "timeout",
    "lifetime", "duration", "interval", "validity", "age", "length", "len", "size", "count", "limit", "min", "max",
    "type", "kind", "format", "label", "field", "list", "hint", "regex", "pattern", "placeholder", "policy",
    "strength", "enabled", "required", "mode", "version", "algorithm", "alg", "method", "scope", "scopes", "class",
    "name", "input", "button", "icon", "style", "color", "route", "param", "delete", "path", "file", "dir", "env",
    "var", "variable", "location", "rotation", "reset", "digest", "hash", "salt", "encryption", "hasher", "hashers",
    "plugin", "subject", "issuer", "claim", "host", "context",
    # where a message about the credential goes (``login_password_recovery_email_address = "robot@..."``)
    "address", "addr", "email", "mail",
    "crypt",  # the hashing method's name (DokuWiki's ``passcrypt = 'smd5'``)
    *HASH_NAMES,
    # a command-line option's or setting's name (Duplicati's ``AUTH_PASSWORD_OPTION = "cloudfiles-accesskey"``)
    "option", "opt", "arg", "argument", "flag", "setting",
    # the keychain account a password is stored under (``keytarPasswordAccount``), a password check's verdict
    # (``passwordIssue = 'weak'``)
    "account", "issue", "issues",
    # what the value is about a credential, not the credential: an error code (``ldapPasswordComplexityCode``), a
    # message or UI string (``passwordChangeString``), a directory attribute's name (``NTPasswordAttribute``), a
    # template or a builder
    "code", "string", "str", "text", "message", "msg", "attribute", "attr", "template", "tmpl", "builder",
    "strategy", "column", "header", "prefix", "suffix", "fmt", "lookup", "identifier",
    "broker", "provider", "driver", "guard", "table",  # Laravel's password broker, auth provider and guard names
    # a model's or a namespace's name (``modelName: TiktokenModel = "gpt-4"``, ``_SECRET_NAMESPACE = 'app:secrets#ns'``)
    "model", "namespace", "ns",
    "schema",  # a token schema's name (``TokenSchema = "OAuthAccessToken"``)
    # a Stimulus target (``data-password-strength-target="uppercase"``), a cipher's name
    # (``signed_token_cipher => 'AES-256-CBC'``), a test run's pass rate (``"passRate": "94.5%"``)
    "target", "targets", "cipher", "rate", "ratio", "percent", "percentage"})
_DESCRIBERS = frozenset({"regex", "regexp", "re", "pattern", "fmt", "format", "template", "tmpl", "msg", "message",
                         "err", "error", "label", "placeholder", "hint", "description", "desc"})
"""First words of a key that make its value a description of a credential (``regexPatternForPassword``,
``fmtOpaqueOAuth2Token``, ``errInvalidToken``, ``labelPassword``): a pattern, format or text about it."""
_FORMAT_VERB = lazy(r"%[-+ #0-9.]*[sdvqxXf]|\{\d*\}")
_HASHED = frozenset({"crypted", "encrypted", "hashed", "salted"})
"""First words of a key whose value is a password's hash (``crypted_password``), not the password."""
"""Last words of a key that make its value a property of a credential (``reset_password_within``,
``TOKEN_EXCHANGE_AUDIENCE``, ``tokenList``, ``SECRET_NAME``), never the credential itself."""


def _made_of_words(value: str) -> bool:
    """Every alphanumeric run of ``value`` is an identifier made of words (``api://AzureADTokenExchange``)."""
    runs = [run for run in re.split(r"[^A-Za-z0-9]+", value) if run]
    return bool(runs) and all(word_shaped(run) for run in runs)


def is_qualified_key(ctx: Context) -> bool:
    """The key's last word qualifies the credential word before it (``reset_password_within = 6.hours``,
    ``TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"``, ``tokenList: "token-input-list"``,
    ``password_digest``, ``ldapPasswordComplexityCode``, ``passwordChangeString``), its first word says the
    value is a hash (``crypted_password``) or describes the credential (``regexPatternForPassword``,
    ``fmtOpaqueOAuth2Token``), or the key is a source file's name (a sync script's ``"...\\VssAadToken.cs" =
    "AadAuthentication"``): the value is the credential's lifetime, audience, CSS class, name, error
    code, pattern, format or stored hash, or a name. Keyword rules only, and only for
    a value typed by a person (a generated value under any name stays)."""
    value = ctx.value.strip()
    if not ctx.rule_id.startswith("generic."):
        return False
    if _SOURCE_FILE_KEY.search(ctx.key):
        return True  # a map from source files to names (``"...\\VssAadToken.cs" = "AadAuthentication"``)
    name = _KEY_NAME.search(ctx.key)
    tokens = _key_tokens(name.group(0)) if name else ()
    if len(tokens) == 1 and (hyphened := _HYPHENED_NAME.search(ctx.key)):
        tokens = tuple(t for part in hyphened.group(0).split("-") if part for t in _key_tokens(part))
    if len(tokens) >= 2 and tokens[0] in _HASHED and _credential_token(tokens[-1]):
        return True  # crypted_password: the stored hash of a password (the hash rules report known formats)
    if len(tokens) >= 2 and tokens[-1] == "salt" and tokens[-2] in ("key", "kdf", "derivation"):
        # the salt of a key's derivation (``encryptionKeySalt``): public by design; a password's salt may be an
        # HMAC key kept secret (Flask-Security's ``SECURITY_PASSWORD_SALT``) and stays
        return True
    glued = _GLUED_CREDENTIAL.match(tokens[-1]) if tokens else None
    if tokens and ((glued and tokens[-1][glued.end():] in HASH_NAMES)
                   or (tokens[-1] in HASH_NAMES and any(_credential_token(t) for t in tokens[:-1]))):
        return True  # the credential's digest (``passsha256 = "4314c1..."``): its hash rule judges a known format
    if looks_generated(value) and not _made_of_words(value) and not _FORMAT_VERB.search(value):
        return False
    if len(tokens) >= 2 and tokens[0] in _DESCRIBERS and any(_credential_token(t) for t in tokens[1:]):
        return True  # regexPatternForPassword, fmtOpaqueOAuth2Token: a pattern or format about the credential
    if len(tokens) >= 2 and tokens[-1] == "key" and any(t.endswith(_PASSWORD_WORDS) for t in tokens[:-1]):
        return True  # the key inside a Secret that holds the password (Helm's ``passwordKey: smtp-password``)
    if len(tokens) == 1:
        return _glued_qualifier(tokens[0])
    return len(tokens) >= 2 and tokens[-1] in _QUALIFIERS and any(_credential_token(t) for t in tokens[:-1])


_HYPHENED_NAME = lazy(r"[A-Za-z][\w]*(?:-[\w]+)+(?=[\"'`]?\s*(?:=>?|:)?\s*[\"'`]?$)")
"""A key whose words are joined by hyphens (an HTML attribute's ``data-password-strength-target``)."""
_SOURCE_FILE_KEY = lazy(r"[\w\-]\.(?:cs|java|kt|go|py|rb|js|ts|tsx|jsx|php|swift|cpp|cc|c|h|hpp|scala|rs)[\"'`]\s*(?:=>?|:)\s*[\"'`]?$")
"""A key that is a quoted source file's name (a sync script's map of files)."""
_GLUED_CREDENTIAL = lazy(r"^(?:password|passwd|pass|secret|token|apikey)(?=[a-z][a-z0-9]{1,11}$)")


def _glued_qualifier(token: str) -> bool:
    """A key written as one lower-case word, a credential word then its qualifier (``passwordlabel``,
    ``tokenttl``, ``secretname``): the same as ``password_label``."""
    glued = _GLUED_CREDENTIAL.match(token)
    return glued is not None and token[glued.end():] in _QUALIFIERS


_REGEX_PART = lazy(r"\(\?[=!:<]|\[\^?[A-Za-z0-9]-[A-Za-z0-9][^\]]{0,20}\]|\\[dwsDWS](?:[*+?{]|$)|\.[*+]|\.?\{\d+,\d*\}|"
                   r"\[[^\]]{1,30}\][*+?{]")


def is_regex_value(ctx: Context) -> bool:
    """The value is a regular expression (``(?=.*[A-Z])(?=.*[0-9]).{8,}``, ``^[a-f0-9]{32}$``): a password
    policy or a token's validation pattern, at least two regex constructs in it. Keyword rules only."""
    if not ctx.rule_id.startswith("generic."):
        return False
    value = ctx.value.strip().strip("\"'`")
    return len(list(islice(_REGEX_PART.finditer(value), 2))) >= 2


_LABEL_KEY = lazy(r"[\"']([A-Za-z][\w\-]*(?: [\w\-]+){1,6})[\"']\s*(?::|=>?)\s*[\"'`]?$")


def is_label_key(ctx: Context) -> bool:
    """The key is a phrase, words with spaces between them (``'Client secret': 'Client-Geheimnis'``,
    ``"One-Time Password": "..."``): a UI label or a translation table's source text, whose value is the
    label's translation. Keyword rules only."""
    at = ctx.value_at()
    return ctx.rule_id.startswith("generic.") and at > 0 and bool(_LABEL_KEY.search(ctx.line, max(0, at - 120), at))


_LABEL_LINE = lazy(r"^\s*[\"']?[\w.\-]{1,60}[\"']?\s*(?::|=>?)\s*(.{1,82}?),?\s*$")


def _label_text(text: str) -> bool:
    """Text a person reads on a form: letters (any script), spaces and a little punctuation, no digits,
    starting with a capital or a letter outside ASCII (``Passwort``, ``Benutzername``, ``E-Mail``,
    ``Mot de passe``, ``パスワード``)."""
    text = text.strip()
    if not text or any(c.isdigit() for c in text) or not (text[0].isupper() or not text[0].isascii()):
        return False
    return all(c.isalpha() or c in " -'.:?!()%@" or not c.isascii() for c in text)


_LABEL_PAIR = lazy(r'"([A-Z][^"\\\n]{0,100})"\s*:\s*"([^"\\\n]{1,160})"')
_MESSAGE_PAIR = lazy(r'"([a-z][a-z0-9]*(?:[_.][a-z0-9]+)+)"\s*:\s*"([^"\\\n]{1,160})"')
"""A message catalogue's entry keyed by the message's id (``"profile_oauth_client_name":"Ime"``)."""


def _label_pairs_around(ctx: Context) -> bool:
    """The value sits in a compiled message catalogue, on one line or one pair a line: at least three pairs near
    the value whose key is a phrase of the user interface and whose value reads as its translation
    (angular-gettext's ``setStrings("nl", {"Passphrase (if encrypted)": "Wachtwoordzin (indien versleuteld)",
    ...})``), or whose key is a message id and whose value is a phrase of several words (a bundle's
    ``{"profile_oauth_create_client":"Ustvari odjemalca","profile_oauth_client_secret":"Skrivnost",...}``)."""
    at = ctx.value_at()
    if at <= 0:
        return False
    window = ctx.before[-600:] + "\n" + ctx.line[max(0, at - 600):at + 600] + "\n" + ctx.after[:600]
    pairs = 0
    for found in _LABEL_PAIR.finditer(window):
        pairs += " " in found.group(1) and _label_text(found.group(2).rstrip(".…!?"))
        if pairs >= 3:
            return True
    pairs = 0
    for found in _MESSAGE_PAIR.finditer(window):
        phrase = found.group(2).rstrip(".…!?")
        pairs += " " in phrase.strip() and _label_text(phrase)
        if pairs >= 3:
            return True
    return False


def is_label_block(ctx: Context) -> bool:
    """The value and its neighbours are a form's labels: the value reads as a label (``"password":
    "Passwort"``) and at least three of the four lines either side hold labels too (``"username":
    "Benutzername"``, ``"email": "E-Mail"``): a translation table, wherever its file lies (Apple's
    ``de.lproj/``, a ``strings/`` folder, a JSON in ``src/``). A real password among settings has hosts,
    users and numbers around it, and digits in itself. Keyword rules only."""
    if not ctx.rule_id.startswith("generic.") or not _label_text(ctx.value):
        return False
    if _label_pairs_around(ctx):
        return True
    nearby = [*ctx.before.rstrip("\n").split("\n")[-4:], *ctx.after.lstrip("\n").split("\n")[:4]]
    labels = 0
    for line in nearby:
        found = _LABEL_LINE.match(line)
        labels += bool(found and _label_text(found.group(1).strip().strip("\"'")))
    return labels >= 3


def is_shared_value(ctx: Context) -> bool:
    """The same quoted word is given to at least two other keys on the line (``Edit`` for an account's
    avatar, e-mail and password fields alike): a setting every sibling shares (a permission, a mode), not a
    secret. Keyword rules only, typed values only."""
    value = ctx.value.strip().strip("\"'`")
    if not ctx.rule_id.startswith("generic.") or not value or looks_generated(value) or len(value) > 40:
        return False
    return sum(ctx.line.count(f"{q}{value}{q}") for q in "\"'") >= 3


_DATA_URI = lazy(r"data:[\w.+\-]+/[\w.+\-]+(?:;[\w\-]+=[\w\-]+)*;base64,[A-Za-z0-9+/=\s\\]*$")


_BASE64_RUN = lazy(rb"[A-Za-z0-9+/]+")
ENCODED_RUN = 4096
"""Base64 characters before a value, with nothing else among them, that make it a piece of encoded data."""


def is_data_uri(ctx: Context) -> bool:
    """The value lies inside a ``data:...;base64,`` URI (an image embedded in an SVG, HTML or CSS file) or
    deep inside any base64 run (``ENCODED_RUN`` characters of it before the value): a token's shape inside
    encoded bytes, by chance. Any rule: a provider's prefix occurs in long base64 runs."""
    at = ctx.value_at()
    if at <= 0:
        return False
    start = ctx.line.rfind("data:", max(0, at - LINE_CONTEXT), at)
    if start >= 0 and "base64," in ctx.line[start:at]:
        return bool(_DATA_URI.match(ctx.line, start, at))
    if at < 200 or not _BASE64_RUN.fullmatch(ctx.line[at - 200:at].encode()) or not ctx.source:
        return False
    # the line's window is cut: look at the bytes before the value in the content (bounded)
    raw = ctx.value.encode()
    # ``line_start`` is at most LINE_CONTEXT bytes before the value: a bounded search, whatever the line's length
    offset = ctx.source.find(raw, ctx.line_start, ctx.line_start + LINE_CONTEXT + len(raw))
    if offset < 0:
        return False
    if offset >= ENCODED_RUN and _BASE64_RUN.fullmatch(ctx.source, offset - ENCODED_RUN, offset):
        return True
    # a shorter run that a data URI's header opens, beyond the line's window (an image in a style sheet)
    head = ctx.source.rfind(b";base64,", max(0, offset - ENCODED_RUN), offset)
    return head >= 0 and bool(_BASE64_RUN.fullmatch(ctx.source, head + 8, offset))


_DIGEST_LABEL = lazy(r"(?i)(?:^|[^\w])(?:sha1|sha224|sha256|sha384|sha512|sha3-\d{3}|md5|blake2[bs]?)[=:\-]$")


def is_digest_value(ctx: Context) -> bool:
    """The value follows a digest algorithm's label (``sha256=mt_ypD4...`` in a pip ``RECORD`` line,
    ``sha512-...`` integrity, ``md5:...``): a file's digest that begins with a provider's prefix by chance.
    Any rule: a digest is base64 or hex, and short prefixes (``mt_``, ``sk-``) occur in them. Also a hex value
    of the algorithm's length under a key named for it (``PASSWDQC_SHA256=53b0...``: a library's checksum
    in a build's pinned requirements, whatever words come before it)."""
    at = ctx.value_at()
    if at > 0 and _DIGEST_LABEL.search(ctx.line, max(0, at - 12), at):
        return True
    named = _DIGEST_KEY.search(ctx.key)
    value = ctx.value.strip().strip("\"'")
    return (named is not None and len(value) == _DIGEST_HEX[named.group(1).lower()]
            and _HEX_ONLY.fullmatch(value) is not None)


_DIGEST_KEY = lazy(r"(?i)(?:^|[^a-z0-9])(sha1|sha256|sha384|sha512|md5)(?:_?sum)?[\"']?\s*[:=]\s*[\"']?$")
_DIGEST_HEX = {"md5": 32, "sha1": 40, "sha256": 64, "sha384": 96, "sha512": 128}
_HEX_ONLY = lazy(r"[0-9a-fA-F]+")


_NEW_KEYCHAIN = lazy(r"(?i)\bcreate[_\-]keychain\b")
_KEYCHAIN_KEY = lazy(r"(?i)keychain[_\-]?pass")


def is_build_keychain(ctx: Context) -> bool:
    """The password of a keychain on the build machine: the one a build gives the keychain it creates
    (fastlane's ``create_keychain(name: "ci", password: "...")``, also one argument per line; macOS's
    ``security create-keychain -p "..." build.keychain``) and passes to the actions that unlock it
    (``match(..., keychain_password: "...")``): it locks a file on one machine, made and deleted by the job,
    and opens nothing anywhere else. Keyword rules only."""
    if not ctx.rule_id.startswith("generic."):
        return False
    if _NEW_KEYCHAIN.search(ctx.line) or _KEYCHAIN_KEY.search(ctx.key):
        return True
    above = ctx.before.rstrip("\n").rsplit("\n", 3)[-3:]  # the call opened above, still open
    opened = [i for i, line in enumerate(above) if _NEW_KEYCHAIN.search(line) and "(" in line]
    return bool(opened) and not any(")" in line for line in above[opened[-1]:])


_DEFINITION = lazy(r"\s*(?:func|def|function|fn|(?:public|private|protected|static|override)\s)")
_DECOY_NAME = lazy(r"(?i)(?:decoy|dummy|fake|timing|unusable|nonexist\w*|slow[_\-]?down|constant[_\-]?time)[\w$]*"
                   r"(?:hash|password|pwd|digest)"
                   r"|(?:hash|password|pwd)[\w$]*(?:decoy|dummy)|control[_\-]?hash")


_COMPARED = lazy(r"(?i)(?:compare|verify|check)\w*\s*\(")
_DECOY_WHY = lazy(r"(?i)timing[ _\-]?attack|slow[ _\-]?down|constant[ _\-]?time|\bdecoy\b|\bdummy\b")


_RANDOM_INPUT = lazy(r"(?i)\brandom\w*\s*\(|\buuid\w*\s*\(|\brand\w*\s*\(|\bnanoid\s*\(|\btoken_\w+\s*\(|\buniqid\s*\(")
"""A call drawing a random or unique value (``Math.random()``, ``crypto.randomBytes(``, ``uuid4()``,
``secrets.token_hex(``, PHP's ``uniqid()``)."""
_TYPED_BCRYPT_SALT = lazy(r"^\$2[abxy]?\$\d\d\$[a-z]{22}")
"""A bcrypt hash whose 22-character salt is all lower-case letters: random salts are that by chance once in
hundreds of millions; a person wrote it (a timing-safe dummy hash)."""


def is_decoy_hash(ctx: Context) -> bool:
    """A password hash named as a decoy (``decoyArgon2Hash``, ``dummyArgonHashCache =`` above the value, a
    ``controlHash`` verified when the API key does not exist,
    ``DUMMY_PASSWORD_HASH``, ``intentionalSlowDownHash``, returned by ``func (Argon2idHash) FakeHash()``, or
    passed to a compare call that says it slows down
    timing attacks or compares it with a random string), or whose bcrypt salt a person typed (``$2y$04$usesomesillystringfor...``): verified against when the user does not exist, so a failed login takes as
    long as a real one; it matches no account."""
    if not ctx.rule_id.startswith("password-hash."):
        return False
    if _TYPED_BCRYPT_SALT.match(ctx.value.strip()):
        return True  # a salt a person typed (``$2y$04$usesomesillystringfor...``): no bcrypt run drew it
    at = ctx.value_at()
    head = ctx.line[:at] if at >= 0 else ctx.key
    if not head.strip(" \t'\"`"):
        head = ctx.before.rstrip("\n").rsplit("\n", 1)[-1]  # the value continues the line above
    if _DECOY_NAME.search(head[-200:]):
        return True
    if head.lstrip().startswith("return"):
        # returned by a function named as a decoy (Caddy's ``func (Argon2idHash) FakeHash() []byte``)
        above = ctx.before[-600:].split("\n")[-6:]
        if any(_DEFINITION.match(line) and _DECOY_NAME.search(line) for line in above):
            return True
    # compared against inline, the comparison's own words saying why (``CompareHashAndPassword([]byte("$2a$..."),
    # []byte("intentional slow-down to avoid timing attacks"))``)
    compared = list(_COMPARED.finditer(head[-200:]))
    rest = ctx.line[at + len(ctx.value):][:200] if at >= 0 else ""
    if compared and (_RANDOM_INPUT.search(head[-200:][compared[-1].end():]) or _RANDOM_INPUT.search(rest)):
        # compared with a random string, before or after it (``bcrypt.compare((Math.random() + 1).toString(36),
        # '$2a$...')``, ``->verify('$2y$13$...', uniqid())``)
        return True
    if compared and (_DECOY_WHY.search(ctx.line[max(at, 0):] + ctx.after[:200])
                     or any(line.lstrip().startswith(_COMMENT_STARTS) and _DECOY_WHY.search(line)
                            for line in ctx.before[-400:].split("\n")[-3:])):
        return True  # the comparison's words, or a comment just above it, say why
    # a call opened on a line above, a comment above it saying why (``// Dummy bcrypt verify for constant timing``
    # over ``let _ = verify(`` / ``&data.password,`` / ``"$2b$12$..."``)
    above = ctx.before[-400:].split("\n")[-4:]
    return any(_COMPARED.search(line) for line in above) and any(
        line.lstrip().startswith(_COMMENT_STARTS) and _DECOY_WHY.search(line) for line in above)


_ENUM_OPEN = lazy(r"\benum\s+(?:class\s+)?[A-Za-z_]\w*(?:\s*:\s*\w+)?\s*\{")
_ENUM_MEMBER = lazy(r"^\s*[A-Za-z_]\w*\s*=\s*[\"'`]")


def is_enum_member(ctx: Context) -> bool:
    """The value is an enum member's constant (``enum PasskeyBrand { OnePassword = "bada5566-...", ... }``
    in TypeScript, C#, Swift): a name in code, keyed by what it enumerates. Keyword rules only."""
    if not ctx.rule_id.startswith("generic.") or not _ENUM_MEMBER.match(ctx.line):
        return False
    recent = ctx.before[-2000:]
    last = max((m.end() for m in _ENUM_OPEN.finditer(recent)), default=-1)
    return last >= 0 and "}" not in recent[last:]


_FETCH_CREDENTIALS = frozenset({"omit", "same-origin", "include"})
"""The Fetch API's RequestCredentials (https://fetch.spec.whatwg.org/#requestcredentials)."""
_AUTH_SCHEMES = frozenset({"none", "basic", "bearer", "digest", "oauth", "oauth2", "token", "apikey", "api_key",
                           "api-key", "jwt", "ntlm", "negotiate", "kerberos", "hmac", "password", "anonymous",
                           "trust", "reject", "scram-sha-256", "md5", "gss", "sspi", "ident", "peer", "ldap", "radius",
                           "cert", "pam", "bsd", "mysql_native_password", "caching_sha2_password", "sha256_password",
                           "mysql_clear_password", "scram-sha-1", "scram-sha-512", "plain", "cleartext"})
"""Authentication scheme names (IANA HTTP Authentication Scheme Registry, plus common API styles), PostgreSQL's
``pg_hba.conf`` methods (https://www.postgresql.org/docs/current/auth-pg-hba-conf.html) and MySQL's
authentication plugins (https://dev.mysql.com/doc/refman/8.0/en/authentication-plugins.html)."""
_ENUMS: dict[str, frozenset[str]] = {
    "credentials": _FETCH_CREDENTIALS,
    **dict.fromkeys(("auth", "authtype", "authmethod", "authmode", "authscheme", "authentication",
                     "authenticationtype", "authenticationmethod", "authstrategy", "authplugin",
                     "defaultauthenticationplugin", "passwordencryption"), _AUTH_SCHEMES),
}
"""A setting's name (its words joined, lower case) → the names it chooses from."""


def is_enumerated_value(ctx: Context) -> bool:
    """The value is one of the documented names a setting chooses from, not a secret
    (``credentials: "same-origin"`` in a ``fetch()`` call, ``auth_type = "bearer"``)."""
    name = _KEY_NAME.search(ctx.key)
    if not ctx.rule_id.startswith("generic.") or not name:
        return False
    return ctx.value.strip().strip("\"'`").lower() in _ENUMS.get("".join(_key_tokens(name.group(0))), ())


SEARCH_CONFIG_REACH = 8 * 1024
"""Bytes of a file read for a DocSearch component's props when the key is set above it."""
_SEARCH_CONFIG = (lazy(r"\bindex_?name\b|\bindex['\"]?\s*[:=]", re.I), lazy(r"\bapp_?id\b|\bdocsearch\b", re.I))


def is_public_search_key(ctx: Context) -> bool:
    """An ``apiKey`` beside ``indexName`` and ``appId`` (or the ``DocSearch`` component, whose first
    version took no app id): a site search configuration (Algolia DocSearch, as in every Docusaurus
    site), whose key is search-only and published by design
    (https://www.algolia.com/doc/guides/security/api-keys/#search-only-api-key). Keyword rules only:
    an admin key named as one is Algolia's own rule's. Also the ``key=`` of a Google Chat webhook URL
    (``chat.googleapis.com/v1/spaces/.../messages?key=AIza...&token=...``): the same Google API key in every
    webhook URL Chat generates; the webhook's secret is its ``token``
    (https://developers.google.com/workspace/chat/quickstart/webhooks)."""
    if ctx.provider == "google" and _in_chat_webhook_url(ctx):
        return True
    name = _KEY_NAME.search(ctx.key)
    tokens = _key_tokens(name.group(0)) if name else ()
    if not ctx.rule_id.startswith("generic.") or tokens[-2:] != ("api", "key") or not (
            len(tokens) == 2 or {"algolia", "search", "docsearch"} & set(tokens)):
        return False  # ``apiKey``, ``ALGOLIA_API_KEY``, ``searchApiKey``
    # the search box's props may be some lines below the key they read (``<DocSearch ... indexName=...>``)
    nearby = "\n".join((ctx.before[-600:], ctx.line, ctx.after[:600]))
    wider = "\n".join((nearby, ctx.source[:SEARCH_CONFIG_REACH].decode("utf-8", "replace")))
    return all(pattern.search(nearby) for pattern in _SEARCH_CONFIG) or (
        "docsearch" in nearby.lower() and all(pattern.search(wider) for pattern in _SEARCH_CONFIG))


_PUBLIC_CLIENT_KEY = lazy(r"^(?:phc_[A-Za-z0-9]{30,60}|pk_(?:live|test)_[A-Za-z0-9]{20,120}|pk\.eyJ[A-Za-z0-9_\-.]{20,})$")
"""Keys their providers publish in every browser that loads the page: PostHog's project API key (``phc_``,
https://posthog.com/docs/api: "public, safe to use in client code"), Stripe's publishable keys (``pk_live_``,
``pk_test_``, https://docs.stripe.com/keys#obtain-api-keys), Mapbox's public access tokens (``pk.eyJ...``,
https://docs.mapbox.com/help/glossary/access-token/)."""


def is_public_client_key(ctx: Context) -> bool:
    """A keyword rule's value is a key its provider makes public by design (PostHog ``phc_``, Stripe
    ``pk_live_``, Mapbox ``pk.``, Cloudflare Web Analytics' ``data-cf-beacon`` token, a Bugsnag browser notifier's
    ``data-apikey``): the page's own identifier,
    not a credential. Keyword rules only: a
    provider's secret keys (``phx_``, ``sk_live_``, ``sk.``) have their own rules."""
    if ctx.rule_id.startswith("generic.") and "data-cf-beacon" in ctx.line:
        return True  # Cloudflare Web Analytics' beacon token, in every page it measures
    if ctx.rule_id.startswith("generic.") and "data-apikey" in ctx.line and _BUGSNAG_SCRIPT.search(ctx.line):
        return True  # a Bugsnag notifier's key on its script tag: the browser sends it with every report
    if ctx.rule_id.startswith("generic.") and _CHATWOOT_TOKEN.search(ctx.key) and (
            "chatwoot" in ctx.before[-400:].lower() or "chatwoot" in ctx.line.lower()):
        return True  # Chatwoot's live-chat widget: its website token is the inbox's id in every page it loads on
    return ctx.rule_id.startswith("generic.") and _PUBLIC_CLIENT_KEY.match(ctx.value.strip().strip("\"'")) is not None


_CHATWOOT_TOKEN = lazy(r"(?i)website_?token")
"""Chatwoot's widget setting (``chatwootSDK.run({websiteToken: ...})``, the "website channel token" of
https://pub.dev/documentation/chatwoot_sdk_update/latest/ui_webview_widget_chatwoot_widget/ChatwootWidget/websiteToken.html):
the installation snippet of a website inbox puts it in every page, so every visitor's browser sends it."""
_BUGSNAG_SCRIPT = lazy(r"<script[^>]*\bsrc=[\"'][^\"']*bugsnag[^\"']*\.js")
"""Bugsnag's browser notifier loaded by a script tag, its project key in ``data-apikey``
(https://docs.bugsnag.com/platforms/javascript/legacy/): sent by every visitor's browser."""


_BASE64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
ENCODED_BLOB_REACH = 128
"""Base64 characters the run around a match must reach on its two sides together (a token is never glued to
this much encoded data)."""


def is_inside_encoded_blob(ctx: Context) -> bool:
    """The match is a piece of a longer base64 run it is glued to on both sides (an icon embedded in Go source,
    a font in a design file's JSON): ``AAAA...`` or ``EAA...`` read as a Twitter or Facebook token by chance
    inside encoded bytes. A token stands apart from its neighbours (quotes, spaces, ``=``, a URL's ``/`` and
    ``?``), however it is written."""
    value = ctx.value.strip()
    at = ctx.value_at()
    if at <= 0 or len(value) < 16 or "\n" in value:
        return False
    end = at + len(value)
    line = ctx.line
    if end >= len(line) or line[at - 1] not in _BASE64_CHARS or line[end] not in _BASE64_CHARS:
        return False
    left = at
    while left > 0 and at - left < ENCODED_BLOB_REACH and line[left - 1] in _BASE64_CHARS:
        left -= 1
    right = end
    while right < len(line) and right - end < ENCODED_BLOB_REACH and line[right] in _BASE64_CHARS:
        right += 1
    return (at - left) + (right - end) >= ENCODED_BLOB_REACH


_ADDRESS_20 = lazy(r"^0x[0-9a-fA-F]{40}$")


def is_input_placeholder(ctx: Context) -> bool:
    """The value is a form field's placeholder (``placeholder: "gloas-f79cfa9a..."``, ``placeholder="sk_live_..."``):
    the sample shape a settings page shows every visitor inside an empty input, whatever format it imitates."""
    name = _KEY_NAME.search(ctx.key)
    tokens = _key_tokens(name.group(0)) if name else ()
    return bool(tokens) and tokens[-1] in ("placeholder", "placeholders")


def is_word_token(ctx: Context) -> bool:
    """A provider-format match whose body is lower-case words joined by hyphens or underscores
    (``branch: 'md-usability-improvements'`` in Mandrill's key shape): text somebody wrote, a branch, a slug or a
    package name, never an issued key, whose random body always holds a digit or a capital. Keyword rules have
    their own value checks; a checksum-valid token keeps its confidence anyway (policy 2)."""
    if ctx.rule_id.startswith("generic.") or ctx.rule_kind != "token":
        return False  # a password of words is a passphrase (``postgresql://umami:rainbow-unicorn-dog@...``)
    value = ctx.value.strip().strip("\"'`")
    if not value.islower() or any(c.isdigit() for c in value):
        return False
    words = [part for part in re.split(r"[-_]", value)[1:] if part]
    return len(words) >= 2 and all(part.isalpha() and len(part) >= 3 and word_shaped(part) for part in words)


def is_signed_id(ctx: Context) -> bool:
    """A JWT as the value of an id field (``"id": "eyJhbGciOi..."``, a share's track ids in a page's data): a
    signed identifier the server hands out so that it cannot be forged, not a credential a client holds."""
    if not ctx.rule_id.startswith("jwt."):
        return False
    name = _KEY_NAME.search(ctx.key)
    tokens = _key_tokens(name.group(0)) if name else ()
    return bool(tokens) and tokens[-1] in ("id", "ids", "uid", "uuid")


def is_public_address(ctx: Context) -> bool:
    """A keyword rule's value is a blockchain account or contract address (``0x`` and 40 hex digits: the
    20-byte address of Ethereum and every EVM chain, https://ethereum.org/en/developers/docs/accounts/), which
    is derived from a public key and published on chain: an ERC-20 token's contract under ``token:`` names
    the token, it unlocks nothing. A private key is 32 bytes (64 hex digits) and stays reported."""
    return ctx.rule_id.startswith("generic.") and _ADDRESS_20.match(ctx.value.strip().strip("\"'`")) is not None


_ANTI_FORGERY_KEY = lazy(r"(?:^|[^\w$])(?:_token|_csrf|_csrf_token|(?i:(?:x-)?[cx]srf[_-]?token)|csrfmiddlewaretoken|"
                         r"authenticity_token|__RequestVerificationToken|_xsrf)[\"'`\]]?\s*(?:=>|[:=])\s*[\"'`]?$")
"""The form field or session entry a web framework keeps its anti-forgery token under: Laravel's ``_token``
(https://laravel.com/docs/csrf), Django's ``csrfmiddlewaretoken``
(https://docs.djangoproject.com/en/stable/ref/csrf/), Rails' ``authenticity_token``
(https://guides.rubyonrails.org/security.html#csrf-countermeasures), ASP.NET's ``__RequestVerificationToken``,
Express's ``_csrf``, Tornado's ``_xsrf``; the header and page variables single-page apps send it in
(``X-CSRF-Token``, ``csrfToken``, ``X-XSRF-TOKEN``)."""


def is_anti_forgery_token(ctx: Context) -> bool:
    """The value is a web framework's anti-forgery (CSRF) token, under the field the framework keeps it in
    (``'_token' => '1Fk5CRj34up5...'`` in a dumped request, ``"session":{"_token":"..."}`` in a debug bar's
    file): a random value bound to one visitor's session, which proves that a form came from the site and
    grants nothing once the session ends. Keyword rules only."""
    at = ctx.value_at()
    return (ctx.rule_id.startswith(("generic.", "http-auth-header.")) and at > 0
            and bool(_ANTI_FORGERY_KEY.search(ctx.line, max(0, at - 80), at)))


_KEY_BLOCK_BODY = lazy(r"-----BEGIN (?:RSA |EC |DSA )?PRIVATE KEY-----(?:\\r|\\n|\s)*([A-Za-z0-9+/]{24})")


def is_certificate_body(ctx: Context) -> bool:
    """The block says ``PRIVATE KEY`` but its body is a certificate (a form's placeholder filled with a certificate's
    base64, ``privateKeyDataHolder = "-----BEGIN PRIVATE KEY-----\\nMIIFRDCCAyygAwIBAgIU..."``): every private key
    format starts its outer SEQUENCE with an INTEGER (a version: PKCS#1, SEC 1, DSA and PKCS#8 alike), a certificate
    with its to-be-signed SEQUENCE, whose first element is the ``[0]`` version tag or the serial number (RFC 5280
    section 4.1). Private key rules only; read from the first 18 bytes of the body."""
    if ctx.rule_kind != "private-key":
        return False
    found = _KEY_BLOCK_BODY.search(ctx.value)
    if not found:
        return False
    raw = base64.b64decode(found.group(1))
    if raw[0] != 0x30:
        return False
    at = 2 + (raw[1] - 0x80 if raw[1] > 0x80 else 0)
    if at + 2 > len(raw) or raw[at] != 0x30:
        return False
    inner = at + 2 + (raw[at + 1] - 0x80 if raw[at + 1] > 0x80 else 0)
    return inner < len(raw) and raw[inner] in (0xA0, 0x02)


def _in_chat_webhook_url(ctx: Context) -> bool:
    at = ctx.value_at()
    if at < 4 or not ctx.line[:at].endswith("key="):
        return False
    return "chat.googleapis.com/" in ctx.line[:at] or "chat.googleapis.com/" in ctx.before[-300:]


CONTENT_CONTEXT: tuple[tuple[str, Callable[[Context], bool]], ...] = (
    ("test-code", is_test_code),
    ("test-key-name", has_test_key_name),
    ("test-words", is_test_words),
    ("common-word", is_common_word),
    ("documented-example", is_documented_example),
    ("placeholder-pair", is_placeholder_pair),
    ("keyword-in-word", is_keyword_inside_word),
    ("key-echo", is_key_echo),
    ("description-value", is_description_value),
    ("code-expression", is_code_expression),
    ("docstring-sample", is_docstring_sample),
    ("page-code-sample", is_page_code_sample),
    ("word-value", is_word_value),
    ("auth-scheme", is_auth_scheme),
    ("path-value", is_path_value),
    ("descriptive-phrase", is_descriptive_phrase),
    ("repeated-pattern", is_repeated_pattern),
    ("package-spec", is_package_spec),
    ("docker-run-login", is_docker_run_login),
    ("message-key", is_message_key),
    ("source-map", is_source_map),
    ("counting-pattern", is_counting_pattern),
    ("demo-credential", is_demo_credential),
    ("public-material", is_public_material),
    ("collection-name", is_collection_name),
    ("ci-service-container", is_ci_service_container),
    ("ci-encrypted", is_ci_encrypted),
    ("encrypted-value", is_encrypted_value),
    ("url-value", is_url_value),
    ("encoded-placeholder", is_encoded_placeholder),
    ("secret-name", is_secret_name),
    ("fill-in-comment", is_fill_in_comment),
    ("secret-reference", is_secret_reference),
    ("validation-rules", is_validation_rules),
    ("identifier-value", is_identifier_value),
    ("prompt-text", is_prompt_text),
    ("example-host", is_example_host),
    ("placeholder-user", is_placeholder_user),
    ("example-account", is_example_account),
    ("user-echo", is_user_echo),
    ("prompt-default", is_prompt_default),
    ("selector-value", is_selector_value),
    ("ternary-operands", is_ternary_operands),
    ("default-fallback", is_default_fallback),
    ("suffixed-placeholder", is_suffixed_placeholder),
    ("elided-value", is_elided),
    ("crypt-test-vector", is_crypt_test_vector),
    ("wrong-extraction", is_wrong_extraction),
    ("minified-line", is_minified_line),
    ("template-key", is_template_key),
    ("option-prefix", is_option_prefix),
    ("attribute-target", is_attribute_of_credential),
    ("qualified-key", is_qualified_key),
    ("enum-member", is_enum_member),
    ("regex-value", is_regex_value),
    ("label-key", is_label_key),
    ("label-block", is_label_block),
    ("shared-value", is_shared_value),
    ("data-uri", is_data_uri),
    ("digest-value", is_digest_value),
    ("decoy-hash", is_decoy_hash),
    ("build-keychain", is_build_keychain),
    ("enumerated-value", is_enumerated_value),
    ("public-search-key", is_public_search_key),
    ("public-client-key", is_public_client_key),
    ("public-address", is_public_address),
    ("signed-id", is_signed_id),
    ("anti-forgery-token", is_anti_forgery_token),
    ("certificate-body", is_certificate_body),
    ("word-token", is_word_token),
    ("input-placeholder", is_input_placeholder),
    ("encoded-blob", is_inside_encoded_blob),
    (ISSUED_ACCOUNT, is_issued_account_pair),
    (HOSTED_LOGIN, is_hosted_login),
    (TYPED_LOGIN, is_typed_login),
    (COMPOSE_DOCUMENT, is_compose_document),
)
"""Every content predicate, by the reason name it records on a finding."""


def content_reasons(ctx: Context) -> tuple[str, ...]:
    """Names of the content predicates that fire for ``ctx``, in ``CONTENT_CONTEXT`` order."""
    return tuple(name for name, predicate in CONTENT_CONTEXT if predicate(ctx))
