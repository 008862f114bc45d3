"""Support for the generic (keyword) rules of ``rulesets/generic.toml``: the context their matches
are judged in, and the value test for weak human-chosen passwords.

Generic rules are regexes like every other rule (so ``rules check`` runs their examples); what a
regex expresses badly lives here: the key a value is assigned to, the line and file around it.
"""

from __future__ import annotations

from credsweep.content.filters import Candidate, is_low_diversity, is_placeholder, is_template
from credsweep.models import Match
from credsweep.util.lazyre import lazy

LINE_CONTEXT = 2048  # bytes of line kept either side of a match (minified code has megabyte lines)
_KEY_TAIL = lazy(r"[\w.\-\[\]\"'`$@>]{1,80}\W{0,6}(?:[ \t]{1,24}\W{0,6})?$")  # aligned: ``X      = '...'``
_KEY_TAIL_REACH = 116  # the longest text _KEY_TAIL matches: it ends the string, so it starts no earlier


def generic_candidate(data: bytes, match: Match, path: str = "") -> Candidate:
    """The ``Candidate`` for a generic match: its line and the key-ish text just before the value."""
    # searches bounded by the context kept: a long line is not scanned once per match on it
    line_start = max(data.rfind(b"\n", max(0, match.start - LINE_CONTEXT), match.start) + 1,
                     match.start - LINE_CONTEXT)
    line_end = data.find(b"\n", match.end, match.end + LINE_CONTEXT)
    line_end = min(len(data), match.end + LINE_CONTEXT) if line_end < 0 else line_end
    before = data[line_start:match.start].decode("utf-8", "replace")
    after = data[match.end:line_end].decode("utf-8", "replace")
    key = _KEY_TAIL.search(before[-_KEY_TAIL_REACH:])  # not from every offset of a 2 KB line
    return Candidate(secret=match.secret, line=before + match.secret + after, path=path,
                     key=key.group(0) if key else before[-40:])


NOT_A_PASSWORD = frozenset(
    "password passwd pass pwd secret changeme changeit default none null nil empty blank required "
    "optional unknown undefined hidden mask masked test testing demo admin root user guest username "
    "temp tmp temporary tbd todo".split()
)
"""Values people type into a password field meaning "fill me in" or "none"."""


_ENCODED = lazy(r"%[0-9A-Fa-f]{2}|%[A-Z_]{3,}")  # URL-encoded text, %TEMPLATE% variables
_CODE_CHARS = frozenset(" \\\"'`()[]{}<>;,")  # a quote, escape or bracket: the capture ran into code


def weak_password(secret: str) -> bool:
    """A human-chosen password in a password field: real even when short and low in entropy
    (``pass123``, ``hunter22``, ``Summer2024!``), unless it is a placeholder word or a template.

    Password rules of credential-file formats (.netrc, .pgpass, wp-config) accept these below their
    entropy floor: weak passwords are the ones attackers guess first, so dropping them loses the worst leaks.
    """
    value = secret.strip()
    if not 6 <= len(value) <= 128 or value.lower() in NOT_A_PASSWORD or any(c in value for c in _CODE_CHARS):
        return False
    has_alpha = any(c.isalpha() for c in value)
    # hyphens, underscores and dots join words ("store-pass", "irc_pass"): names, not passwords
    has_other = any(c.isdigit() or (not c.isalnum() and c not in "-_.") for c in value)
    if not (has_alpha and has_other) or value.isdigit() or _ENCODED.search(value):
        return False
    if value[0] in "$%@:!&*{<#=" or value[-1] in ":=":  # a reference, YAML tag or the next key
        return False
    return not (is_placeholder(value) or is_template(value) or is_low_diversity(value))


# passwords documentation writes into URLs (http://user:pass@host) and default users that go with them
URL_PLACEHOLDER_PASSWORDS = NOT_A_PASSWORD - {"admin", "root", "guest", "demo"} | frozenset(
    "pw passw p4ss p@ss p@ssw0rd pass123 password1 password123 secret123 mypassword mypass yourpassword "
    "foo bar baz qux foobar xxx xxxx abc abc123 token apikey key credentials userpass userpassword "
    "example sample dummy fake".split()
)
URL_PLACEHOLDER_USERS = frozenset("user username usr login name me you someone foo bar x u youruser myuser anonymous ftp".split())
_EXAMPLE_HOST = lazy(
    r"(?i)^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[?::1\]?|host|hostname|server|servername|domain|"
    r"(?:[\w\-]+\.)*example(?:\.(?:com|org|net|edu))?|(?:[\w\-]+\.)+(?:example|test|invalid|localhost|local)|"
    r"(?:[\w\-]+\.)*(?:your|my)[\w\-]*(?:\.[\w\-]+)*|(?:[\w\-]+\.)*(?:host|server|domain|site|somehost|somewhere)\.(?:com|org|net))$"
    r"|^%|\$|\{"
)
_URL_USER = lazy(rb"(?:^|[/\s'\"(=,;<>])([^:@/\s'\"(=,;<>]{1,100}):$")
_URL_HOST = lazy(rb"@([A-Za-z0-9.\-_\[\]%${}]{1,253})")


def url_userinfo(data: bytes, start: int, end: int) -> tuple[str, str] | None:
    """(user, host) around a password captured from a URL's userinfo (``scheme://user:PASSWORD@host``),
    or None when the capture is not in that position."""
    before = data[max(0, start - 110):start]
    if not before.endswith(b":") or b"//" not in before:
        return None
    user = _URL_USER.search(before)
    host = _URL_HOST.match(data, end, end + 260)
    if user is None or host is None:
        return None
    return user.group(1).decode("utf-8", "replace"), host.group(1).decode("utf-8", "replace")


def weak_url_password(secret: str, user: str, host: str) -> bool:
    """A weak or default password in a URL on a real host (``admin:admin`` before the ``@`` of an
    internal host): low in entropy and still a working login. Documentation's pairs stay out:
    placeholder passwords (``user:pass@``, ``user:password@``), placeholder users, and example or
    local hosts."""
    host = host.split(":", 1)[0] if not host.startswith("[") else host
    if not 3 <= len(secret) <= 64 or secret.lower() in URL_PLACEHOLDER_PASSWORDS or user.lower() in URL_PLACEHOLDER_USERS:
        return False
    if _EXAMPLE_HOST.search(host) or ("." not in host and not host.isalpha()):
        return False
    if any(c in secret for c in _CODE_CHARS) or (_ENCODED.search(secret) and "%40" not in secret):
        return False
    return not (is_placeholder(secret) or is_template(secret) or is_placeholder(user) or is_template(user))
