"""The value grammar of a match: is the captured text a value (a literal), or code, or a description?

A keyword rule captures what follows ``password =`` or ``token:``. In a configuration format that is
a value (a quoted string, or a bare token: ``.env``, YAML, INI); in code it may be a call
(``access_token_model.objects.filter(``), an attribute chain, a subscript or type
(``NotRequired[Optional[str]]``), an operator expression or a bare identifier
(``UNUSABLE_PASSWORD = unusable`` in Python). Nothing here sees a path: the form of the value, its line
and the lines around it decide (``looks_like_code``: the markers of Python, JS/TS, Go, Ruby, Java, PHP
and C code nearby). The predicates in ``context`` turn these answers into named reasons that lower
confidence; nothing here drops a match.

Also here, because they read the same text:

- ``joined_literals``: string literals joined by implicit concatenation or ``+`` (``.`` in PHP, ``\\``
  in Ruby and shell) across adjacent lines, joined before matching (a JWT split in two literals);
- ``masked_line``: the safe context line of a finding (the line with every secret's characters
  masked, its shape kept);
- ``counting_pattern``, ``in_example_block``: made-up values and documentation samples.

Every function is linear in its input and bounded (values of at most a few hundred characters,
lines of at most ``context.LINE_CONTEXT``, neighbourhoods of at most ``NEARBY_BYTES``).
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from itertools import islice, pairwise

from credsweep.util.lazyre import lazy

NEARBY_BYTES = 3000
"""Bytes of text before a match's line (and a third of it after) read for code markers and docstrings."""
NEARBY_LINES = 40
"""Lines before a match's line read for the same."""

# --- the expression grammar ------------------------------------------------------------------------

_TOKEN = lazy(r"[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|\.\.\.|->|::|=>|\|\||&&|\?\?|[.()\[\]{},:<>!?+\-*/%&|^~=@#]")
_IDENT = lazy(r"[A-Za-z_$][\w$]*$")
_OPERATION = lazy(r"[\w$.]+(?:(?:\+|\*|%|\|\||&&|\?\?|==|!=)[\w$.]+)+$")
# one word of an identifier: lower, UPPER, Capitalised or camelCase, digits only at its end
_PART = lazy(r"[A-Z]+(?=[A-Z][a-z]|\d|_|$)|[A-Z]?[a-z]+|\d+")
_VOWELS = frozenset("aeiouyAEIOUY")
_CONSONANT_RUN = lazy(r"[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ]{5}")
_SHORT_WORDS = frozenset("by id to of in on at is or as if no ok up and for".split())
"""Short words of identifiers, left out of the average part length (``find_by_id``)."""
_VOWELLESS_WORDS = frozenset("http https xhtml html pkcs smtp sftp ftps ntlm csrf xsrf jwks grpc mtls scss".split())
"""Words of identifiers with no vowel (``ConnectionHttpsUrl``): protocol and format names."""


@lru_cache(maxsize=1 << 14)
def word_shaped(ident: str) -> bool:
    """An identifier made of words (``access_token_model``, ``ConnectionHttpsUrlWithHttpFallback255``,
    ``OAUTH_TOKEN_PARAMETER_NAME``, ``m``), not of random characters (``hQzMpWx``, ``eyJhbGciOi``):
    its letters split into parts by case and underscores, digits only at the end of a part, every part
    of four letters or more holding a vowel and no run of five consonants (one such part of five letters
    at most is allowed among four parts or more: an abbreviation, ``nltk``), and the parts on average
    three letters or more."""
    core = ident.strip("_$")
    if not core:
        return False
    if len(core) <= 3:
        return core.isalpha() or (core[0].isalpha() and core[1:].isdigit())
    parts: list[str] = []
    for chunk in core.split("_"):
        if not chunk:
            continue
        found = _PART.findall(chunk)
        if "".join(found) != chunk:
            return False
        parts.extend(found)
    letters = [p for p in parts if not p.isdigit()]
    if not letters:
        return False
    odd = [part for part in letters if len(part) >= 4 and part.lower() not in _VOWELLESS_WORDS and (
        not any(c in _VOWELS for c in part) or _CONSONANT_RUN.search(part))]
    # one abbreviation among four words or more is still a name (``split_by_nltk_word_tokenizer``)
    if odd and (len(odd) > 1 or len(letters) < 4 or len(odd[0]) > 5):
        return False
    # short connecting words do not make a name random (``find_by_id``, ``get_or_create``)
    counted = [p for p in letters if p.lower() not in _SHORT_WORDS] or letters
    return sum(len(p) for p in counted) / len(counted) >= 3


def _tokens(value: str) -> list[str] | None:
    """The value's code tokens, or None when some character is not code (a quote, a backslash,
    whitespace, non-ASCII): then it is not an expression."""
    if len(value) > 256 or not value.isascii():
        return None
    tokens = _TOKEN.findall(value)
    return tokens if sum(len(t) for t in tokens) == len(value) else None


_RUBY_SIGIL = lazy(r"^@@?(?=[A-Za-z_])")
"""Ruby's instance and class variables (``@message.create_link(...)``): the receiver of a chain."""
_RUBY_GLOBAL = lazy(r"\$[~!&`'+*?0-9]")
"""Ruby's special globals (``$~``, ``$1``) as arguments."""
_RUBY_RECEIVER = lazy(r"^[0-9]+\.(?=[a-z_])")
"""A number receiving a method (``1.day.from_now``, ``30.minutes``)."""
_SHORT_NAME = lazy(r"^[A-Za-z][A-Za-z_]{0,3}$")
"""A short method or constant name inside a longer expression (``to_s``, ``PKey``, ``new``): too short to say
it is made of words, and not random in a chain of calls."""


_PHP_NAMESPACE = lazy(r"(?<=\w)\\(?=[A-Za-z_])")


@lru_cache(maxsize=1 << 14)
def expression_shape(value: str) -> str | None:
    """What code shape an unquoted value has: ``call`` (``filter(``, ``(*Manager)(&m.common)``),
    ``subscript`` (``NotRequired[Optional[str]]``, ``token.get(X)[0]``), ``generic``
    (``optional<list<X>>``), ``operator`` (``a+b``, ``x||y``), ``attribute`` (``settings.API_KEY``),
    ``identifier`` (``unusable``, ``DHPrivateKey``), or None: not code (a random token, a URL, a path,
    a number). Every identifier in a call, subscript, generic, operator or chain must be word-shaped.
    Ruby's, C++'s and PHP's ``::`` joins a chain like a dot (``Authlogic::Random.friendly_token``), and a
    chain ending in Ruby's ``!`` or ``?`` method is a call (``user.generate_reset_password_token!``)."""
    if (value[-1:] in ("!", "?") and value[-2:-1].isalnum() and "." in value
            and expression_shape(value[:-1]) == "attribute"):
        return "call"
    value = _RUBY_RECEIVER.sub("n.", _RUBY_GLOBAL.sub("g", _RUBY_SIGIL.sub("", value)))
    if value.startswith("\\") and value[1:2].isalpha():
        value = _PHP_NAMESPACE.sub(".", value[1:])  # PHP's qualified names (``\Option::get(``, ``\App\User::find(``)
    tokens = _tokens(value.replace("::", ".") if "::" in value and "://" not in value else value)
    if not tokens:
        return None
    idents = [t for t in tokens if _IDENT.match(t)]
    if not idents:
        return None
    if len(tokens) == 1:
        return "identifier"
    if not all(word_shaped(t) or (len(tokens) >= 3 and _SHORT_NAME.match(t)) for t in idents):
        return None
    if any(t in (":", "/") for t in tokens) and "://" in value:
        return None  # a URL
    closers = {")", "]", ">"}
    shape = None
    for before, after in pairwise(tokens):
        opener = _IDENT.match(before) is not None or before in closers
        if after == "(" and opener:
            return "call"
        if after == "[" and opener:
            shape = "subscript"
        elif after == "<" and _IDENT.match(before) and shape is None:
            shape = "generic"
    if shape is not None:
        return shape
    if _OPERATION.match(value) and all(len(t) >= 2 or t.isdigit() for t in idents):
        return "operator"
    if tokens[0] != "." and all(t == "." or _IDENT.match(t) for t in tokens) and len(idents) >= 2:
        return "attribute"
    return None


# --- code nearby ---------------------------------------------------------------------------------

_CODE_LINE = lazy(
    r"(?m)^[ \t]*(?:def [A-Za-z_]\w*[ \t]*\(|async def |class [A-Za-z_]\w*[ \t]*[(:{<]|class [A-Z]\w*[ \t]*$|"
    r"import [\w.{*]|from [\w.]+ import |return\b|elif\b|except\b|raise\b|@[A-Za-z_][\w.]*(?:\(|$)|"
    r"function\b|const [\w{\[]|let [\w{\[]|var [\w$]|export (?:default|const|function|class|type|interface|enum|\{)|"
    r"module\.exports|[\w.]*require\(|package [\w.]+;?[ \t]*$|func [\w(]|type \w+ (?:struct|interface)\b|"
    r"(?:public|private|protected|internal)[ \t]|static |namespace |use [\w\\]+;|<\?php|#include\b|"
    r"end[ \t]*$|attr_(?:reader|accessor|writer)\b|require ['\"]|interface \w|"
    r"[\w.]+[ \t]*\([^()\n]{0,80}\)[ \t]*;?[ \t]*$|\}[ \t]*;?[ \t]*$)"
)
_STRONG_CODE_LINE = lazy(
    r"(?m)^[ \t]*(?:import [\w.{*]|from [\w.]+ import |package [\w.]+;?[ \t]*$|#include[ \t]*[<\"]|<\?php\b|"
    r"use [\w\\]+;|(?:const|let|var) [\w{\[]+[ \t]*=[ \t]*require\(|local [\w]+[ \t]*=[ \t]*require[ \t(\"'])")
"""Lines no configuration format has: one of them nearby makes the text code."""
_CODE_ON_LINE = lazy(r"\b(?:self|this|cls)\.|\$this->|\b(?:let|var|const|def|val|final|static)\s|^\s*local\s+[A-Za-z_]|"
                     r"^\s*(?:export\s+)?(?:type|enum)\s+\w+\s*=|;\s*(?://.*)?$|"
                     # a JavaScript regular expression literal as a value (``{regex: /^\s*(?:if)\b/i, token: ...}``)
                     r"[:=(,]\s*/(?=[^/\n]*(?:\\|\(\?))(?:[^/\n\\]|\\.)+/[gimsuy]*\s*[,;)}]")


_ASSIGNED = lazy(r"(?:(?:^|[\s(\[{,.])(?:->|[\w$.\]\)'\"`-])*[\w$\]\)'\"`]\s*(?:=|:=|=>|<-|:)|\breturn|\()\s*$")


_ASSIGNING = (b"=", b"=>", b":=")
_COMPARING = (b"==", b"!=", b"<=", b">=")


def assigns_on_next_line(line: bytes) -> bool:
    """The line ends with an assignment operator: its value is on the next line (a formatter wraps
    ``const DEFAULT_TOKEN =`` / ``  "..."`` when the whole does not fit)."""
    line = line.rstrip()
    return line.endswith(_ASSIGNING) and not line.endswith(_COMPARING)


def assignment_above(data: bytes, line_start: int, reach: int) -> int:
    """Where the line before ``line_start`` starts when it ends with an assignment whose value is the line at
    ``line_start`` (``assigns_on_next_line``), else ``line_start``. A line before longer than ``reach`` is left out."""
    if line_start < 2:
        return line_start
    low = max(0, line_start - 1 - reach)
    above = data.rfind(b"\n", low, line_start - 1) + 1
    if above == 0 and low > 0:
        return line_start
    return above if assigns_on_next_line(data[above:line_start - 1]) else line_start


def assigned_bare(line: str, at: int) -> bool:
    """The value at ``line[at:]`` is the bare right-hand side of an assignment or a key (``X = value``,
    ``key: value``, ``f(value``): not inside a string literal (an odd number of quotes before it), not
    after other text (``Bearer value``, ``user:value``), not a parameter inside a longer token (a URL's
    ``;password=value``, a query's ``&token=value``)."""
    before = line[:at]
    if any(before.count(q) % 2 for q in ('"', "'", "`")):
        return False
    return bool(_ASSIGNED.search(before))


def looks_like_code(line: str, nearby: str) -> bool:
    """The line is code: it carries a code mark itself (``self.``, ``const ``, a closing ``;``), or at
    least two lines around it are unmistakably code in some language (``def``, ``import``, ``func``,
    ``public``, ``<?php``, a call statement, a closing brace). A ``.env``, INI or YAML file has none:
    there a bare word is a value."""
    if _CODE_ON_LINE.search(line):
        return True
    if _STRONG_CODE_LINE.search(nearby):
        return True
    return len(list(islice(_CODE_LINE.finditer(nearby), 2))) >= 2


# --- descriptions --------------------------------------------------------------------------------

_DESCRIPTIVE = lazy(r"[a-z][a-z0-9]*(?:[_\-.:/ ][a-z][a-z0-9]*){0,7}|[a-z]+(?:[A-Z][a-z]+){1,5}(?:[A-Z]{2,5})?|"
                    r"[a-z]+[A-Z]{2,5}|[A-Z][a-z]{2,}(?:[\- ][A-Z][a-z]{2,}){1,4}|"
                    r"[A-Z][a-z]{2,}(?:[A-Z][a-z]{2,}){0,6}\d{0,2}")


_NAME_COUNTER = lazy(r"(?<=[a-z])[_\-.]\d{1,3}$")


def descriptive_word(value: str) -> bool:
    """A value made of lower-case words and separators, at most eight of them (``session``,
    ``pre-activation``, ``x509_cert``, ``compact-nested-jwe``, ``plugin.aws-lambda.iam_role_temp_creds``,
    ``cacheKey``, ``testPackageGUID``), of
    capitalised words joined by hyphens or spaces (``Uptime-Kuma``, a product's name), or of one to seven
    capitalised words glued (``Authorization``, a header's name; ``LabelVisitCommunity``, ``WindowsServiceIntro1``,
    a resource's name): the
    name of something, as a constant's value in code, never a generated credential (random lower-case
    runs fail ``word_shaped``). A closing acronym (``GUID``, ``ID``) follows words of three letters or
    more, so a short random mix of cases (``xkQpTRZ``) is no name."""
    value = _NAME_COUNTER.sub("", value)  # variable-3, string-2: a name numbered
    if not 3 <= len(value) <= 48 or not _DESCRIPTIVE.fullmatch(value):
        return False
    words = [w for w in re.split(r"[_\-.:/ ]|(?<=[a-z])(?=[A-Z])", value) if w]  # testPackageGUID: test Package GUID
    letters = [re.sub(r"\d+$", "", w) for w in words]
    if any(not w or any(c.isdigit() for c in w) for w in letters):
        return False  # digits inside a word: k3x9
    if len(words) > 1 and words[-1].isupper() and any(len(w) < 3 for w in words[:-1]):
        return False
    if value[:1].isupper() and not any(c in " -" for c in value) and not all(set(w) & _VOWELS for w in letters):
        return False  # glued capitalised words each hold a vowel (``LabelExit``), a random ``XqzTrw`` does not
    return all(word_shaped(w) for w in letters) and (len(words) > 1 or len(value) <= 24)


_VERB_LED = lazy(
    r"^_{0,2}(?:get|set|is|has|can|should|on|handle|parse|render|require|create|update|delete|remove|add|load|save|"
    r"init|validate|check|process|build|make|fetch|send|show|find|apply|register|resolve|generate|verify|reset|"
    r"clear|enable|disable|start|stop|run|execute|call|invoke|emit|dispatch|trigger|format|convert|compute|"
    r"filter|sort|transform|serialize|deserialize|encode|decode|encrypt|decrypt|sign|login|logout|authenticate|"
    r"authorize|refresh|revoke|issue|store|retrieve|lookup|list|print|display|hide|open|close|connect|submit|"
    r"cancel|confirm|receive|upload|download|install|setup|configure|prepare|read|write|notify|redirect|"
    r"rotate|post)(?=[A-Z0-9])[A-Za-z0-9]+$")
_PRIVATE_MEMBER = lazy(r"^_{1,2}[a-z]+(?:[A-Z0-9][A-Za-z0-9]*)+$")


def method_name(value: str) -> bool:
    """A method's or a member's name as a string (``'render2FaUserSettings'``, ``'parseXMLHandler'``,
    ``'_handleXMLDefault'``, ``'_tokenString'``): a camelCase name led by a verb, three words or more and
    ten characters or more, or a camelCase member name behind an underscore; every word a word
    (``word_shaped``). What a hook map, an event table or a callback option names, never a
    generated value (random mixed case is not made of words) nor a typed password (``letMeIn``
    has no verb of code's in front)."""
    if not 6 <= len(value) <= 64 or not word_shaped(value):
        return False
    if _PRIVATE_MEMBER.match(value):
        return True
    return len(value.strip("_")) >= 10 and _VERB_LED.match(value) is not None and \
        len(_PART.findall(value.strip("_"))) >= 3


# --- made-up values ------------------------------------------------------------------------------


_NEXT = str.maketrans("abcdefghijklmnopqrstuvwxyz0123456789", "bcdefghijklmnopqrstuvwxyz{1234567890")
"""Each letter and digit to the one after it in counting (``z`` to a character no letter is, ``9`` to ``0``)."""


def _steps(low: str, gap: int) -> list[bool]:
    """For each ``i >= gap``: ``low[i]`` follows ``low[i - gap]`` in counting (``1``→``2``, ``a``→``b``,
    ``9``→``0``; ``low`` is lower-cased letters and digits). Built with C-level string operations:
    this runs on every match a rule makes."""
    return list(map(str.__eq__, low[:-gap].translate(_NEXT), low[gap:]))


def counting_pattern(value: str) -> bool:
    """A value typed by counting or repeating: ``1234abcd-1234-abcd-1234-abcd1234abcd``, ``AbCdEf``,
    ``a1B2c3d4``, ``abcabcabc``, ``123123123``, or a letter and a digit in turn (``a8c2d9f3e7b6a5c4d3e2``), or
    a group of two characters in turn (``...-1A1A1A1A1A1A``). At least seven letters and digits, of which most
    follow their neighbour (or the one before it) in the alphabet or in counting, or a block repeated."""
    core = _NOT_ALNUM.sub("", value) if value.isascii() else "".join(c for c in value if c.isalnum())
    if len(core) < 7 or len(core) > 256 or not core.isascii():
        return False
    low = core.lower()
    if any(len(part) >= 10 and _PAIR_RUN.fullmatch(part) for part in _SEPARATOR.split(value.lower())):
        # a group of two characters in turn (``48E92789-...-1A1A1A1A1A1A``); encoded repetitive text
        # (``REREREREREQ`` in a JWT's claims) is inside a longer group
        return True
    one = _steps(low, 1)
    # position i (from 1) steps from i-1, or from i-2 (i >= 2)
    steps = sum(map(operator.or_, one, [False, *_steps(low, 2)]))
    if steps >= 0.7 * (len(low) - 1):
        return True
    if "11111" in "".join("1" if step else "0" for step in one):  # a run of five steps or more
        run = 0
        for i in range(1, len(low)):
            run = run + 1 if one[i - 1] and low[i - 1].isalpha() == low[i].isalpha() else 0
            # a value that starts by counting six (ABCDEF..., 123456...), or counts eight anywhere: one
            # generated value in millions does
            if (run >= 5 and i == run) or run >= 7:
                return True
    # for each period, how many characters equal the one that many before: the zero bytes of the value
    # XORed with itself shifted by the period (one C-level operation each, not one per character)
    size, whole = len(low), int.from_bytes(low.encode(), "big")
    for period in range(1, min(16, size // 3) + 1):
        length = size - period
        same = ((whole >> (8 * period)) ^ (whole & ((1 << (8 * length)) - 1))).to_bytes(length, "big").count(0)
        if same >= 0.9 * length:
            return True
    # a letter and a digit in turn for sixteen characters or more (``a8c2d9f3e7b6a5c4...``): typed in pairs; a
    # random hex or base62 value alternates so for sixteen characters about once in thousands
    if len(core) >= 16 and _ALTERNATING.fullmatch(core):
        return True
    return _counted_parts(value.lower())


def _counted_parts(value: str) -> bool:
    """A provider's prefix or words, then parts typed by counting (``vercel_blob_rw_abc123_xyz789``,
    ``sk_live_abcdef``): every part between separators is a short word or counts (``abc123``: each character
    follows the one before it, mostly), and one at least counts."""
    parts = [part for part in _SEPARATOR.split(value) if part]
    counted = 0
    for part in parts:
        if len(part) >= 6 and sum(_steps(part, 1)) >= 0.75 * (len(part) - 1):
            counted += 1
        elif not (part.isalpha() and len(part) <= 10):
            return False
    return counted > 0 and len(parts) >= 2


_NOT_ALNUM = lazy(r"[^A-Za-z0-9]+")
_ALTERNATING = lazy(r"[A-Za-z]?(?:[0-9][A-Za-z])+[0-9]?")
_PAIR_RUN = lazy(r"([a-z0-9])(?!\1)([a-z0-9])(?:\1\2){4,}\1?")
_SEPARATOR = lazy(r"[^a-z0-9]+")


_COMMENT_LINE = lazy(r"^[ \t]*(?:#(?!(?:define|include|if|ifdef|ifndef|else|elif|endif|pragma|undef|error)\b)|//|/?\*|"
                     r"--|;;|%|<!--)")
_INTRODUCER = lazy(r"(?i)\bexamples?\b|\be\.g\.|\bi\.e\.|\bfor (?:example|instance)\b|\bsamples?\b|>>>|\bsuch as\b|"
                   r"\busage\b|<pre>|<code>|\{@code\b|@example\b|```|\.\. code(?:-block)?::|"
                   r"\blike (?:this|so)\s*:|\blooks?\s+(?:\w+\s+){0,2}like\b|\b(?:should|would|will|must)\s+be\s+like\b|\bas follows\s*:|:returns?:|@returns?\b|\breturns?\s*:|\bresponse\s*:")
_SAMPLE_KEY = lazy(r"""^([ \t]*)-?[ \t]*["']?(?:x-)?(?:examples?|samples?)["']?[ \t]*:""", re.I)
_INDENT = lazy(r"[ \t]*")
_TRIPLE = lazy(r'"""|\'\'\'')


def in_example_block(line: str, before: str, earlier: bytes | None = None) -> bool:
    """The line is inside a docstring or a comment block that introduces an example before it
    ("Example", "e.g.", "for instance", "sample", "like this:", a ``>>>`` prompt), or a ``/* ... */`` block that
    is a JSON document: a documented sample response or setting, not a value in use. ``before`` is the text before the line (bounded): a
    comment block is the run of comment lines ending at the line; a docstring (or any triple-quoted
    string) is open when an odd number of triple quotes precede the line. ``earlier``, when given, is
    the content before the line from further up (from the file's start when it is small enough): the
    bounded ``before`` may begin inside a string, whose closing quotes would flip the count."""
    lines = before.split("\n")
    if _COMMENT_LINE.match(line):
        block: list[str] = []
        for previous in reversed(lines):
            if not _COMMENT_LINE.match(previous):
                break
            block.append(previous)
        text = "\n".join(block) + "\n" + line
        # a commented PHP dump (``// Array (`` over a pasted ``print_r``): a JSON object under ``//`` or ``/* {`` is
        # not enough, a pasted webhook payload's ``token`` is its verification token (Slack's outgoing webhooks)
        top = " ".join(_COMMENT_MARK.sub("", part, count=1) for part in [*reversed(block), line][:2])
        return bool(_INTRODUCER.search(text)) or bool(_DUMP_ARRAY.match(top))
    if earlier is not None:
        open_string = (earlier.count(b'"""') + earlier.count(b"\'\'\'")) % 2 == 1
    else:
        open_string = len(_TRIPLE.findall(before)) % 2 == 1
    if open_string:
        opened = max(before.rfind('"""'), before.rfind("\'\'\'"))
        return bool(_INTRODUCER.search(before[max(opened, 0):] + "\n" + line))
    if _in_example_raw_string(before):
        return True
    opened = _comment_opened(before)
    if opened >= 0 and before.rfind("*/") < opened:
        body = before[opened + 2:].lstrip(" \t\r\n*")
        # a comment block that is a JSON document (a Go or Java file's sample API response under ``/*``), a
        # PHP dump (``var_export``'s ``array (``, ``print_r``'s ``Array (``, its bare ``'key' => value,`` lines):
        # commented-out code is statements, not a document
        return (bool(_INTRODUCER.search(before[opened:] + "\n" + line)) or body.startswith(("{", "["))
                or bool(_DUMP_ARRAY.match(body)) or bool(_DUMP_ENTRY.match(body)))
    return False


_COMMENT_MARK = lazy(r"^\s*(?:#|//|/\*+|\*|;|--|<!--)?\s*")
_DUMP_ARRAY = lazy(r"(?i)(?:[a-z]+\s+){0,2}array[\s*]*\(")
"""A PHP array dump's head: ``var_export``'s ``array (``, ``print_r``'s ``Array`` then ``(``, or a docblock's
``Response array`` over it."""
_DUMP_ENTRY = lazy(r"""["'][\w\-.]+["']\s*=>""")
"""A PHP array dump's entry line (``'m_payment_id' => NULL,``) opening a block comment."""
_COMMENT_OPEN = lazy(r"(?:^|(?<=[\s;{}()\[\],=]))/\*")


def _comment_opened(before: str) -> int:
    """Where the last ``/*`` that opens a comment starts in ``before`` (-1 for none): after a line start, a
    space or punctuation, not inside a path or glob (``paths: src/**`` in a workflow opens nothing)."""
    at = len(before)
    while True:
        at = before.rfind("/*", 0, at)
        if at < 0 or _COMMENT_OPEN.match(before, at):
            return at


_RAW_STRING_OPEN = lazy(r"([A-Za-z_]\w*)\s*(?::|:?=)\s*`[^`\n]*$")
_EXAMPLE_WORDS = frozenset({"example", "examples", "usage", "sample", "samples", "help"})
_FENCE_SPLICE = lazy(r'[ \t]*`[ \t]*\+[ \t]*"```[\w\-]*"[ \t]*\+[ \t]*`[ \t]*$', re.M)
"""A Go raw string closed to splice in a Markdown code fence and opened again (``` ` + "```jsonc" + ` ```: a raw
string cannot hold a backquote): a help text's code sample follows."""


def _in_example_raw_string(before: str) -> bool:
    """The line is inside a backquoted string opened by an assignment to a name that says example or usage
    (Go's ``cmdFooExample = `...``` or a cobra command's ``Example: `...```): a command's help text."""
    tick = before.rfind("`")
    if tick < 0:
        return False
    start = before.rfind("\n", 0, tick) + 1
    if _FENCE_SPLICE.match(before, start):
        return True  # a Markdown code fence spliced into the help text: the sample under it
    opened = _RAW_STRING_OPEN.search(before, start, before.find("\n", tick) if "\n" in before[tick:] else len(before))
    if not opened or before.count("`", opened.end(1)) % 2 == 0:
        return False
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", opened.group(1)).replace("_", " ").lower().split()
    return any(word in _EXAMPLE_WORDS for word in words)


ANCESTOR_BYTES = 256 * 1024
"""Bytes read back from a line to find its YAML ancestors (an OpenAPI example block is long)."""


def ancestors(line: str, data: bytes, line_start: int) -> Iterator[str]:
    """The lines the line is nested under by indentation (YAML and indented JSON alike), nearest
    first; a sequence item's key may be indented as far as the item (``example:`` over ``- api_id: ...``).
    Reads the lines above ``line_start`` in ``data`` from the nearest up, each once, at most
    ``ANCESTOR_BYTES``, and stops at the first line that is not indented."""
    indent = len(line) - len(line.lstrip(" \t"))
    if indent == 0 or not data:
        return
    end = line_start - 1
    low = max(0, line_start - ANCESTOR_BYTES)
    item = False  # the last ancestor was a sequence item: YAML may indent it as far as its parent key
    while end > low and indent > 0:
        begin = data.rfind(b"\n", low, end) + 1
        previous = data[begin:end]
        end = begin - 1
        stripped = previous.lstrip(b" \t")
        if not stripped or stripped.startswith((b"#", b"//")):
            continue
        depth = len(previous) - len(stripped)
        if depth < indent or (item and depth == indent and not stripped.startswith(b"-")):
            yield previous.decode("utf-8", "replace")
            indent = depth
            item = stripped.startswith(b"- ")


def under_sample_key(line: str, data: bytes, line_start: int) -> bool:
    """The line is nested under a key named ``example``/``examples``/``sample`` (an OpenAPI spec's
    ``example:``): a documented sample (see ``ancestors``)."""
    return any(_SAMPLE_KEY.match(parent) for parent in ancestors(line, data, line_start))


_SERVICES_KEY = lazy(r"^\s*services\s*:\s*$")
_ENV_KEY = lazy(r"^\s*(?:env|environment)\s*:\s*$")


def in_ci_service_container(line: str, data: bytes, line_start: int) -> bool:
    """The line sets a service container's environment in a CI workflow (GitHub Actions:
    ``jobs.<id>.services.<name>.env``, beside ``runs-on:``): a database started for one job and thrown
    away, whose password guards nothing that outlives the run."""
    parents = list(islice(ancestors(line, data, line_start), 4))
    if len(parents) < 3 or not _ENV_KEY.match(parents[0]) or not _SERVICES_KEY.match(parents[2]):
        return False
    return b"runs-on:" in data[:ANCESTOR_BYTES]


# --- joined string literals ---------------------------------------------------------------------

JOIN_LIMIT = 16 * 1024
"""Bytes of one joined run at most: a key body in string pieces (4 KB) fits many times."""
JOIN_PIECES = 256
"""Literals joined in one run at most."""
JOINER = rb"([\"'])[ \t]*(?:\+|\.|\\|&|,)?[ \t]*\r?\n[ \t]*(?:\+[ \t]*|\.[ \t]*|&[ \t]*)?([\"'])"
"""A quote, at most one joiner, the line's end, the next line's joiner and quote: exactly one newline, so a
match starts on the line before the one it ends on (``joined_literals`` relies on it to skip ahead)."""
_JOINER = lazy(JOINER)
_LITERAL_BEFORE = lazy(rb"([\"'])([^\"'\\\n]{0,4096})\Z")


def joined_literals(data: bytes, begin: int = 0,
                    joins: Sequence[int] | None = None) -> Iterator[tuple[int, int, bytes, bytes]]:
    """(start, end, text before the first literal on its line, joined contents) of each run of two
    or more string literals joined across lines: Python's and C's implicit concatenation, ``+``
    (JS, Java, Go, Python), ``.`` (PHP), ``\\`` (Ruby, shell), ``&`` (VB). The joined text is matched
    like decoded text; a finding in it is reported at the run's span. A comma between literals (a
    list) joins nothing. Linear: each literal is read once, the joiner regex once over ``data`` (from
    ``begin``).

    ``joins``: the end offset of every ``JOINER`` match in ``data``, ascending (the Hyperscan pass
    reports them), or None when unknown. With them the regex starts only where a match can: one that
    starts at or after ``at`` ends after it, so at or after the first reported end past ``at``, and
    starts on the line before that end's line (the same matches, in the same order, as without)."""
    at = begin
    while True:
        if joins is not None:
            after = bisect.bisect_right(joins, at)
            if after == len(joins):
                return
            newline = data.rfind(b"\n", 0, joins[after] - 1)  # the match's one newline
            at = max(at, data.rfind(b"\n", 0, newline) + 1)
        found = _JOINER.search(data, at)
        if found is None:
            return
        quote = found.group(1)
        if found.group(2) != quote or found.group(0)[1:].lstrip(b" \t").startswith(b","):
            at = found.end() - 1
            continue
        first = _literal_ending(data, found.start())
        if first is None:
            at = found.end() - 1
            continue
        start = first
        pieces = [data[first + 1:found.start()]]
        cursor = found.end()  # just past the opening quote of the next literal
        end = found.start() + 1
        while len(pieces) < JOIN_PIECES:
            close = data.find(quote, cursor, cursor + 4097)
            if close < 0 or b"\n" in data[cursor:close] or b"\\" in data[cursor:close]:
                break
            if data[close + 1:close + 9].lstrip(b" \t").startswith((b":", b"=")):
                break  # the next line's literal is a key (``'HOST': 'localhost'`` under ``'PASSWORD': '...'``)
            pieces.append(data[cursor:close])
            end = close + 1
            following = _JOINER.match(data, close)
            if following is None or following.group(2) != quote or following.group(1) != quote:
                break
            if following.group(0)[1:].lstrip(b" \t").startswith(b","):
                break
            cursor = following.end()
        if len(pieces) >= 2 and end - start <= JOIN_LIMIT:
            line_start = data.rfind(b"\n", max(0, start - 512), start) + 1
            yield start, end, data[line_start:start], b"".join(pieces)
        at = max(end, found.end() - 1)


def _literal_ending(data: bytes, close: int) -> int | None:
    """Offset of the opening quote of the literal whose closing quote is at ``close`` (on one line,
    no escapes), or None."""
    line_start = data.rfind(b"\n", max(0, close - 4096), close) + 1
    quote = data[close:close + 1]
    opening = data.rfind(quote, line_start, close)
    if opening < 0 or b"\\" in data[opening:close]:
        return None
    return opening


# --- the safe context line -----------------------------------------------------------------------

CONTEXT_WIDTH = 160
"""Characters of a context line shown at most around the secret (besides the masked secret)."""
_SHAPE_KEPT = frozenset("._()[]{}<>,:;=+-*/&|!?@$")


def shown_prefix(secret: str) -> int:
    """Characters of ``secret`` that ``identity.redact`` shows (a quarter, at most six, none below 12)."""
    secret = secret.strip()
    return min(6, len(secret) // 4) if len(secret) >= 12 else 0


SHAPE, LITERAL, HIDDEN = "shape", "literal", "hidden"
SHAPE_ONLY = "shape-only"
"""Punctuation kept (a call stays a call), no character shown: a value whose preview shows none."""
"""How ``mask`` masks a span: keeping code's punctuation, as a literal, or every character (a piece of a
secret cut by the context window: its first characters are not the secret's)."""


def mask(value: str, keep_shape: bool | str, shown: int | None = None) -> str:
    """``value`` masked: the characters ``redact`` shows kept (``shown``: its public prefix's length;
    None: ``shown_prefix``), every other letter and digit a ``*``.
    ``keep_shape`` (``SHAPE``, or True: code, a call, an attribute chain) keeps its punctuation, so
    ``a.b.filter(`` stays visibly a call; a literal (``LITERAL``, False) has every character masked, its
    length all that shows; ``HIDDEN`` masks every character, the first ones too."""
    if keep_shape == HIDDEN:
        return "*" * len(value)
    if keep_shape == SHAPE_ONLY:
        return "".join(c if c in _SHAPE_KEPT else "*" for c in value)
    prefix = shown_prefix(value) if shown is None else shown
    head = value[:prefix] if value[:prefix].strip() == value[:prefix] else ""
    rest = value[len(head):]
    if keep_shape is True or keep_shape == SHAPE:
        body = "".join(c if c in _SHAPE_KEPT else "*" for c in rest)
    else:
        body = "*" * len(rest)
    return head + body


_RANDOM_RUN = lazy(r"[A-Za-z0-9+/=_\-]{16,}")


def masked_line(line: str, spans: Sequence[tuple[int, int, bool | str] | tuple[int, int, bool | str, int]],
                at: int, end: int, generated: Callable[[str], bool]) -> str:
    """The context line for the secret at ``line[at:end]``: every span in ``spans`` (every match on the
    line: ``(start, end, keep_shape)``) masked with ``mask``, any other long run that looks generated
    masked whole, cut to ``CONTEXT_WIDTH`` characters around the secret (``…`` where cut), control
    characters escaped, a masked run over 64 characters shown as its length. Shows no more of any secret than
    its redacted preview. ``generated`` says
    whether a run looks generated (``context.looks_generated``)."""
    out: list[str] = []
    cursor = 0
    for span in sorted(spans):
        start, stop, keep = span[0], span[1], span[2]
        if start < cursor:
            continue
        out.append(_mask_runs(line[cursor:start], generated))
        out.append(mask(line[start:stop], keep, span[3] if len(span) > 3 else None))
        cursor = stop
    out.append(_mask_runs(line[cursor:], generated))
    masked = "".join(out)
    # positions are unchanged: masking keeps lengths
    half = CONTEXT_WIDTH // 2
    first, last = max(0, at - half), min(len(masked), end + half)
    text = masked[first:last].rstrip("\r")
    if first > 0:
        text = "…" + text.lstrip()
    if last < len(masked.rstrip("\r")):
        text = text + "…"
    # a long key masked whole (a base64 PEM block, 2,000 characters) is its length, not a screen of stars
    text = _LONG_MASK.sub(lambda run: f"{'*' * 16}…({len(run.group(0))} chars)", text)
    from credsweep.util.pathnames import printable

    return printable(text.replace("\t", " "))


_LONG_MASK = lazy(r"\*{65,}")


def _mask_runs(text: str, generated: Callable[[str], bool]) -> str:
    """``text`` with each long run that looks generated masked whole (a name made of words stays)."""
    if len(text) < 16:
        return text

    def one(found: re.Match[str]) -> str:
        run = found.group(0)
        # a name made of words: digits only at the end of a part (``Fallback255``); a random run that
        # happens to split into pronounceable humps has digits inside (``...Yf8NRzpNaemE6DM7Qx9``)
        named = all(word_shaped(part) and not any(c.isdigit() for c in part.rstrip("0123456789"))
                    for part in re.split(r"[\-./+=]+", run) if part)
        return "*" * len(run) if generated(run) and not named else run

    return _RANDOM_RUN.sub(one, text)
