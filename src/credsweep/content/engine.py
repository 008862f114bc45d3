"""Multi-pattern matching: which rules can match this content?

One pass over the content answers it. ``HyperscanEngine`` compiles every rule pattern into one
Hyperscan database in prefilter mode (a guaranteed superset of the real matches) and caches the
compiled database on disk (signed, see ``credsweep.util.signedcache``); ``KeywordEngine`` is the pure-Python fallback (every match contains one of
the rule's keywords). Either way, the confirmed matches and their captures come from the same
Python regexes in ``detectors.rules``, so both engines yield identical findings.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Protocol

from credsweep.content.values import JOINER
from credsweep.rules.loader import BUILTIN_DIR, Rule
from credsweep.util.lazyre import lazy

MAX_MATCH_EVENTS = 20_000
"""Hyperscan callbacks per content (at least; see ``EVENT_BYTES``) before we stop and fall back to
keyword prefiltering."""
EVENT_BYTES = 4
"""Content bytes that pay for one more callback above ``MAX_MATCH_EVENTS``: a file of many short
keyed lines (several line rules' prefilters end on each: 8,000 lines of ``password = '...'`` make
32,000 events in 216 KB) keeps Hyperscan's windows, while a flood of events at almost every byte still
stops. The callbacks cost a bounded time per byte (~0.1 µs), and the ends they keep 8 bytes each
(``array``): the keyword fallback costs far more on the same content (every rule a keyword names
becomes a candidate, every line rule reads keyword windows)."""
_NAMED_GROUP = lazy(r"\(\?P<\w+>")
_WIDE_REPEAT = lazy(r"\{(\d+),(\d+)\}\??")


PREFILTER_FORMAT = 1
"""Version of ``prefilter_expression``: change it with the function (cached databases are keyed by it)."""
DATABASE_FORMAT = 2
"""Version of a cached database's layout (2: the gates' fixed ids below, rules under their index in the
ruleset, the built-in rules and the others in databases of their own); cached databases are keyed by it."""
BASE64_GATE_ID, URL_GATE_ID, JOIN_GATE_ID = 0x7FFFFFF0, 0x7FFFFFF1, 0x7FFFFFF2
"""Hyperscan ids of ``ENCODED_GATES`` and ``values.JOINER``: above any rule index, the same whatever the
number of rules (the built-in rules' database stays valid when a ruleset adds rules)."""
NEVER_ID = 0x7FFFFFFF
"""Id of the pattern of a database that never matches (no expression compiled)."""


def prefilter_expression(pattern: str) -> bytes:
    """The pattern as Hyperscan takes it, widened where that makes compilation cheap.

    Prefiltering only needs a superset of the real matches, so named groups become plain groups and
    wide bounded repeats (``[\\s\\S]{64,16000}?`` in PEM rules) become open ones: their exact bounds
    cost Hyperscan seconds of compilation and buy nothing here.
    """
    pattern = _NAMED_GROUP.sub("(", pattern)
    pattern = _WIDE_REPEAT.sub(lambda m: f"{{{m.group(1)},}}" if int(m.group(2)) > 100 else m.group(0), pattern)
    return pattern.encode()


# Content worth decoding (detectors.decode): 32 base64 characters in a row ('-' and '_' left out, or
# every long snake_case name would qualify) or two URL escapes of printable characters close together.
# Both engines apply exactly these patterns, so every command decodes the same content; the rest
# (most of a history's gigabytes) never reaches the decoders. Cheap for Hyperscan on purpose: a
# pattern shaped like base64-of-text quads cost it twice the time of all the rules.
BASE64_GATE = rb"[A-Za-z0-9+/]{32}"
"""A base64 run is decoded when it holds this stretch (``detectors.decode``)."""
BASE64_GATE_WIDTH = 32
URL_GATE = rb"%[2-7][0-9A-Fa-f][^%\s]{0,32}%[2-7][0-9A-Fa-f]"
"""URL-encoded runs are looked for when the content holds this."""
ENCODED_GATES = (BASE64_GATE, URL_GATE)
"""The decoding gates (one report per content is enough); ``values.JOINER`` follows them in the
database, every end reported (``Engine.joins``)."""
_BASE64_GATE = lazy(BASE64_GATE)
_URL_GATE = lazy(URL_GATE)


class Engine(Protocol):
    """Selects the rules that may match a piece of content, in one pass over it.

    A candidate list is a superset of the rules whose Python regex matches (confirmation is always the
    rule's own regex), so engines differ in speed, never in findings. After ``candidates``, ``ends``
    and ``may_hold_encoded`` describe the same content."""

    name: str
    """Shown in reports: hyperscan or keywords."""
    needs_lowered: bool
    """``candidates`` wants the lower-cased content too (keyword prefilters read it)."""
    ends: dict[int, array[int]]
    """For the last content: end offsets of prefilter matches per candidate rule (every end for
    line-scoped rules, the first for others); empty when the engine cannot tell."""
    may_hold_encoded: bool
    """For the last content: it holds a run worth decoding (``ENCODED_GATES``)."""
    base64_from: int
    """For the last content: where the first ``BASE64_GATE`` stretch starts (no base64 run worth
    decoding ends before it), or -1 when there is none."""
    url_encoded: bool
    """For the last content: it holds ``URL_GATE``."""
    joins: array[int] | None
    """For the last content: the end of every ``values.JOINER`` match, ascending (where string
    literals may be joined across lines); None when the engine cannot tell (``joined_literals``
    then searches the whole content)."""

    def candidates(self, data: bytes | memoryview, lowered: bytes | None = None) -> list[int]:
        """Indices (into the rule list) of rules that may match ``data``, ascending."""
        ...


SHORT_CONTENT = 64 * 1024
"""Content up to this size is looked up by its three-byte strings (``KeywordEngine.candidates``); longer
content keyword by keyword (the set of a content's three-byte strings grows with the content)."""
PREFIX = 3
"""Keywords at least this long are indexed by their first ``PREFIX`` bytes; shorter ones (single letters,
digits, ``=``) are looked for one by one."""


class KeywordEngine:
    """Pure-Python prefilter: a rule is a candidate when one of its keywords occurs."""

    name = "keywords"
    needs_lowered = True

    def __init__(self, rules: Sequence[Rule], only: Sequence[int] | None = None) -> None:
        indices = range(len(rules)) if only is None else only
        # each distinct keyword looked for once (rules share many: "token", "secret", "api_key")
        rules_of: dict[bytes, list[int]] = {}
        for i in indices:
            for word in dict.fromkeys(k.encode() for k in rules[i].keywords):
                rules_of.setdefault(word, []).append(i)
        self._rules_of = tuple(rules_of.items())
        # the keywords by their first bytes: a keyword occurs only where its first three bytes do
        by_prefix: dict[bytes, list[tuple[bytes, list[int]]]] = {}
        for word, ids in self._rules_of:
            if len(word) >= PREFIX:
                by_prefix.setdefault(word[:PREFIX], []).append((word, ids))
        self._by_prefix = by_prefix
        self._prefixes = frozenset(by_prefix)  # a set: intersected with a content's few grams, not walked whole
        self._short = tuple((word, ids) for word, ids in self._rules_of if len(word) < PREFIX)
        self.ends: dict[int, array[int]] = {}
        self.may_hold_encoded = self.url_encoded = False
        self.base64_from = -1
        self.joins: array[int] | None = None

    def candidates(self, data: bytes | memoryview, lowered: bytes | None = None) -> list[int]:
        text = bytes(data).lower() if lowered is None else lowered
        stretch = _BASE64_GATE.search(data)
        self.base64_from = stretch.start() if stretch else -1
        self.url_encoded = _URL_GATE.search(data) is not None
        self.may_hold_encoded = stretch is not None or self.url_encoded
        found: set[int] = set()
        if len(text) > SHORT_CONTENT:
            for word, rules in self._rules_of:
                if word in text:
                    found.update(rules)
            return sorted(found)
        # short content (most files; every text `rules check` writes): only the keywords whose first three
        # bytes occur in it are looked for, not all 1,700 (one ``in`` each was a millisecond for a line)
        by_prefix = self._by_prefix
        for prefix in {text[i:i + PREFIX] for i in range(len(text) - PREFIX + 1)} & self._prefixes:
            for word, rules in by_prefix[prefix]:
                if word in text:
                    found.update(rules)
        for word, rules in self._short:
            if word in text:
                found.update(rules)
        return sorted(found)


class HyperscanEngine:
    """Hyperscan prefilter over all rules in one pass; rules Hyperscan cannot compile fall back to keywords."""

    name = "hyperscan"

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.may_hold_encoded = self.url_encoded = False
        self.base64_from = -1
        self.joins: array[int] | None = None
        import hyperscan

        self._hs = hyperscan
        base = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_ALLOWEMPTY
        # line-scoped rules report every end offset: their lines are the windows Python confirms
        self.line_rules = frozenset(i for i, rule in enumerate(rules) if rule.scope == "line")
        flags = [base if i in self.line_rules else base | hyperscan.HS_FLAG_SINGLEMATCH for i in range(len(rules))]
        sources = [(rule.prefilter or rule.pattern).encode() for rule in rules]
        # The built-in rules are one database and any others (a repository's or the user's rulesets) a second
        # one: a ruleset of a few rules compiles in milliseconds instead of recompiling all the built-in ones
        # (seconds) whenever it is added or edited; the second scan costs microseconds per content.
        builtin_dir = str(BUILTIN_DIR)  # strings: 1,300 ``Path.parent`` comparisons cost each pipeline 3 ms
        in_builtin_dir = {source: os.path.dirname(str(source)) == builtin_dir for source in {rule.source for rule in rules}}
        builtin = {i for i, rule in enumerate(rules) if in_builtin_dir[rule.source]}  # one test per file, not per rule
        groups = [ids for ids in (sorted(builtin), [i for i in range(len(rules)) if i not in builtin]) if ids]
        from credsweep.util.interrupts import end_on_interrupt

        self._dbs: list[object] = []
        compiled: set[int] = set()
        for number, ids in enumerate(groups or [[]]):
            # the decoding gates (exact patterns, no prefilter: one report per content is enough) and the
            # joiner (every end, so ``joined_literals`` reads only there: its regex tried at every quote of a
            # source file was a tenth of the content stage) are in the first database
            gates = [(BASE64_GATE_ID, BASE64_GATE, hyperscan.HS_FLAG_SINGLEMATCH),
                     (URL_GATE_ID, URL_GATE, hyperscan.HS_FLAG_SINGLEMATCH),
                     (JOIN_GATE_ID, JOINER, 0)] if number == 0 else []
            group_sources = [sources[i] for i in ids] + [expression for _, expression, _ in gates]
            group_flags = [flags[i] for i in ids] + [flag for _, _, flag in gates]
            group_ids = [*ids, *(gate for gate, _, _ in gates)]
            # keyed by what the expressions are made from, so a hit costs no prefilter_expression calls
            key = hashlib.sha256(
                b"\0".join(group_sources)
                + f"|{group_flags}|{group_ids}|{PREFILTER_FORMAT}|{DATABASE_FORMAT}|"
                  f"{getattr(hyperscan, '__version__', '')}".encode()
            ).hexdigest()[:24]

            def expressions(count: int = len(ids), group: list[bytes] = group_sources) -> list[bytes]:
                return [prefilter_expression(source.decode()) for source in group[:count]] + group[count:]

            with end_on_interrupt():  # compiling takes seconds of C that Ctrl-C could not otherwise stop
                db, done = self._load_or_build(expressions, group_ids, group_flags, key)
            self._dbs.append(db)
            compiled |= done
        self.ends: dict[int, array[int]] = {}
        """After ``candidates``: end offsets of prefilter matches of each candidate rule (all of them
        for line-scoped rules, the first for the others)."""
        self._hits: set[int] = set()
        self._events = 0
        self._max_events = MAX_MATCH_EVENTS
        fallback = [i for i in range(len(rules)) if i not in compiled]
        self._fallback = KeywordEngine(rules, fallback) if fallback else None
        self.unsupported = tuple(rules[i].id for i in fallback)
        self._rules = rules
        self.complete = not fallback
        """True when every rule is in the Hyperscan database (no keyword fallback needs lower-cased text)."""
        self.needs_lowered = not self.complete

    @cached_property
    def _everything(self) -> KeywordEngine:
        """Every rule by keywords: what a content flooding Hyperscan with events falls back to (built then,
        not for every scan: a few milliseconds of each start of the pre-commit hook)."""
        return KeywordEngine(self._rules)

    def _load_or_build(self, build: Callable[[], list[bytes]], ids: list[int], flags: list[int],
                       key: str) -> tuple[object, set[int]]:
        """The database of ``build()``'s expressions (``ids[n]`` is the id of the n-th), from the cache or
        compiled, and the ids in it (an expression Hyperscan cannot compile is left out)."""
        from credsweep.util import signedcache as disk

        hs = self._hs
        cache = f"hs-{key}"
        # only a file signed with the user's key reaches Hyperscan's deserialiser (credsweep.util.signedcache);
        # once per process: the engines of a process's later pipelines share the database (and its scratch
        # space: a process scans one content at a time, its pools fork)
        try:
            loaded = disk.load_decoded(cache, _decode_database)
        except Exception:
            loaded = None
        if loaded is not None:
            return loaded
        expressions = build()
        positions = list(range(len(expressions)))
        db = hs.Database()
        if expressions:
            try:
                db.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=flags)
                self._store(cache, ids, hs.dumpb(db))
                return db, set(ids)
            except hs.error:
                pass  # some pattern is unsupported: find which, one by one
        # some pattern is unsupported: find which by halving (a few full-size compiles, not one per rule)
        kept = self._compilable(expressions, ids, flags, positions) if expressions else []
        db = hs.Database()
        if kept:
            db.compile(expressions=[expressions[n] for n in kept], ids=[ids[n] for n in kept], elements=len(kept),
                       flags=[flags[n] for n in kept])
        else:  # nothing compiled: a database that never matches keeps the code path uniform
            db.compile(expressions=[b"\\A\\z"], ids=[NEVER_ID], elements=1, flags=[0])
        kept_ids = sorted(ids[n] for n in kept)
        self._store(cache, kept_ids, hs.dumpb(db))
        return db, set(kept_ids)

    def _compilable(self, expressions: list[bytes], ids: list[int], flags: list[int],
                    positions: list[int]) -> list[int]:
        """The positions among ``positions`` whose expressions Hyperscan compiles, found by bisection."""
        hs = self._hs
        try:
            hs.Database().compile(expressions=[expressions[n] for n in positions], ids=[ids[n] for n in positions],
                                  elements=len(positions), flags=[flags[n] for n in positions])
            return positions
        except hs.error:
            if len(positions) == 1:
                return []
        middle = len(positions) // 2
        return (self._compilable(expressions, ids, flags, positions[:middle])
                + self._compilable(expressions, ids, flags, positions[middle:]))

    @staticmethod
    def _store(cache: str, ids: list[int], blob: bytes) -> None:
        from credsweep.util import signedcache as disk

        header = ",".join(map(str, ids)).encode()
        disk.store(cache, len(header).to_bytes(4, "little") + header + blob)

    def candidates(self, data: bytes | memoryview, lowered: bytes | None = None) -> list[int]:
        # runs once per blob of history: one handler bound at construction, fresh containers only
        self._hits, self._events = set(), 0
        self._max_events = max(MAX_MATCH_EVENTS, len(data) // EVENT_BYTES)
        self.ends = {}
        self.may_hold_encoded = self.url_encoded = False
        self.base64_from = -1
        self.joins = array("q")  # a new one: a caller may still hold the last content's
        try:
            for db in self._dbs:
                db.scan(data, match_event_handler=self._on_match)  # type: ignore[attr-defined]
        except self._hs.ScanTerminated:
            # every rule the keywords allow becomes a candidate; line rules use keyword windows
            self.ends = {}
            self.joins = None
            everything = self._everything
            found = everything.candidates(data, lowered)
            self.may_hold_encoded, self.base64_from = everything.may_hold_encoded, everything.base64_from
            self.url_encoded = everything.url_encoded
            return found
        hits = self._hits
        if self._fallback is not None:
            hits.update(self._fallback.candidates(data, lowered))
        if not hits:
            return []
        return sorted(hits)

    def _on_match(self, rule_id: int, start: int, end: int, flags: int, context: object) -> bool:
        if rule_id >= BASE64_GATE_ID:
            if rule_id == JOIN_GATE_ID:
                self.joins.append(end)  # type: ignore[union-attr]  # set by candidates; ends come ascending
                return False
            if rule_id == BASE64_GATE_ID:  # single match: the first stretch, which is BASE64_GATE_WIDTH long
                self.base64_from = end - BASE64_GATE_WIDTH
            elif rule_id == URL_GATE_ID:
                self.url_encoded = True
            else:
                return False  # NEVER_ID: the empty content of a database without expressions
            self.may_hold_encoded = True
            return False
        self._events += 1
        if self._events > self._max_events:
            return True  # stop: hostile or pathological content floods the callback
        self._hits.add(rule_id)
        # line rules: every end (their lines are confirmed); content rules: the first one (no
        # real match ends earlier, so confirmation can start one pattern width before it)
        ends = self.ends.get(rule_id)
        if ends is None:
            self.ends[rule_id] = array("q", (end,))
        else:
            ends.append(end)
        return False


def _decode_database(raw: bytes) -> tuple[object, set[int]]:
    """A verified cache file's Hyperscan database (with its scratch space) and the rule ids it holds."""
    import hyperscan as hs

    ids_len = int.from_bytes(raw[:4], "little")
    compiled = {int(x) for x in raw[4 : 4 + ids_len].decode().split(",") if x}
    db = hs.loadb(raw[4 + ids_len :], hs.HS_MODE_BLOCK)
    db.scratch = hs.Scratch(db)  # deserialised databases come without scratch space
    return db, compiled


def make_engine(rules: Sequence[Rule], prefer: str = "auto") -> Engine:
    """The fastest available engine (``prefer``: auto, hyperscan or keywords)."""
    if prefer in ("auto", "hyperscan"):
        try:
            return HyperscanEngine(rules)
        except ImportError:
            if prefer == "hyperscan":
                from credsweep.errors import ConfigError

                raise ConfigError("the hyperscan engine was requested but the 'hyperscan' package is not "
                                  "installed") from None
    return KeywordEngine(rules)
