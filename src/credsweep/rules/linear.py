"""Linear-time regexes: every regex a user or a scanned repository supplies runs in linear time.

``linear_regex`` compiles such a pattern (an allowlist value, a rule of a repository's ruleset) with
RE2 (google-re2), an automaton that cannot backtrack; a pattern RE2 cannot express (a lookaround, a
backreference) is compiled with Python's engine only after passing the growth check below, and is
refused otherwise. ``([A-Za-z0-9_]+)+!`` then costs microseconds on a long token, not minutes.

The growth check: does a rule's Python regex stay fast on inputs built to make it backtrack?

Hyperscan only selects candidate rules; every candidate is confirmed by its Python regex, which
backtracks. A pattern such as ``[\\w.]{0,40}(?:token|secret)[\\w.]{0,24}=`` tries dozens of splits at
every offset of a long word, so a file of one long run of letters costs seconds. ``adversarial_inputs``
derives such inputs from the pattern itself: long runs of every character class and literal it
accepts, alone and after each keyword; ``slow_inputs`` times the regex on them (CPU time, so a busy
machine does not fail a rule) and names those over the bound.
"""

from __future__ import annotations

import itertools
import math
import string
import time
from collections.abc import Callable, Iterator
from typing import Any

from credsweep.rules.loader import Rule

try:
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants  # type: ignore[no-redef,unused-ignore]
    import sre_parse  # type: ignore[no-redef,unused-ignore]

RUN = 25_000
"""Characters in the longest adversarial run."""
SIZES = (RUN // 4, RUN // 2, RUN)
"""Run lengths n, 2n, 4n: a rule is judged by how its time grows from one to the next, not by a fixed
limit, so a loaded machine (which slows every length alike) cannot fail a linear rule."""
GROWTH = 1.5
"""Exponent above which a step counts as super-linear: a linear regex doubles its time when the input
doubles (exponent 1), a quadratic one quadruples it (2)."""
NOISE_FLOOR = 0.02
"""CPU seconds at the longest run below which growth is not judged (timings this short are mostly
noise); the former fixed limit let a quadratic regex take ten times as long."""
HARD_BOUND = 2.0
"""CPU seconds one input may take at any length, whatever its growth: ten times what any rule takes."""
SAMPLE = 0.04
"""CPU seconds each timing spans (repeating a short scan): long enough for a tick-counting clock."""
MAX_RUNS = 1000
MAX_CHARS = 12
"""Characters per rule, chosen from those its classes accept (one of each kind first)."""
MAX_KEYWORDS = 3
_POOL = [ord(c) for c in string.ascii_letters + string.digits + string.punctuation + " \t\n"]
_POOL_SET = frozenset(_POOL)


_CATEGORY_TESTS: dict[Any, Callable[[str], bool]] = {
    sre_constants.CATEGORY_DIGIT: str.isdigit,
    sre_constants.CATEGORY_NOT_DIGIT: lambda c: not c.isdigit(),
    sre_constants.CATEGORY_SPACE: lambda c: c in " \t\n\r\f\v",
    sre_constants.CATEGORY_NOT_SPACE: lambda c: c not in " \t\n\r\f\v",
    sre_constants.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    sre_constants.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}


_CATEGORY_SETS = {category: frozenset(ch for ch in range(128) if test(chr(ch)))
                  for category, test in _CATEGORY_TESTS.items()}
"""The ASCII characters in each category."""


def _category(category: Any, ch: int) -> bool:
    return ch in _CATEGORY_SETS.get(category, ())


def _members(items: list[tuple[Any, Any]]) -> tuple[frozenset[int], bool]:
    """The ASCII characters a parsed character class (``[...]``) names, as written, and whether it is
    negated (``[^...]``): it accepts a character in neither or in both."""
    negate, hit = False, set[int]()
    for op, av in items:
        if op is sre_constants.NEGATE:
            negate = True
        elif op is sre_constants.LITERAL:
            hit.add(av)
        elif op is sre_constants.RANGE:
            hit.update(range(av[0], min(av[1], 127) + 1))
        elif op is sre_constants.CATEGORY:
            hit.update(_CATEGORY_SETS.get(av, ()))
    return frozenset(hit), negate


_VARIANTS = {ch: (ch, ord(chr(ch).lower()), ord(chr(ch).upper())) for ch in range(128)}
"""Each ASCII character, then its lower and its upper case."""


def _walk(tree: Any) -> Iterator[tuple[str, Any]]:
    """("literal", text) for each run of literal characters and ("class", chars) for each class."""
    literal: list[int] = []
    for op, av in tree:
        if op is sre_constants.LITERAL:
            literal.append(av)
            continue
        if literal:
            yield "literal", bytes(literal).decode("latin-1")
            literal = []
        if op is sre_constants.IN:
            # either case: patterns use ``(?i)``
            named, negate = _members(av)
            either = named.union([ord(chr(n).swapcase()) for n in named])  # a character whose case named
            yield "class", [c for c in _POOL if (c in either) != negate]
        elif op is sre_constants.ANY:
            yield "class", [c for c in _POOL if c != ord("\n")]
        elif op is sre_constants.CATEGORY:
            yield "class", [c for c in _POOL if _category(av, c)]
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            yield from _walk(av[2])
        elif op is sre_constants.SUBPATTERN:
            yield from _walk(av[-1])
        elif op is sre_constants.BRANCH:
            for branch in av[1]:
                yield from _walk(branch)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            yield from _walk(av[1])
    if literal:
        yield "literal", bytes(literal).decode("latin-1")


def _diverse(chars: list[int]) -> list[int]:
    """Up to MAX_CHARS of ``chars``: a letter, a digit, punctuation and space first, then a spread of the rest."""
    kinds = (str.isalpha, str.isdigit, lambda c: c in string.punctuation, str.isspace)
    first = [found for kind in kinds if (found := next((c for c in chars if kind(chr(c))), None)) is not None]
    rest = [c for c in chars if c not in first]
    return (first + rest[:: max(1, len(rest) // MAX_CHARS)])[:MAX_CHARS]


_TESTED_BY_CLASS = frozenset({sre_constants.IN, sre_constants.CATEGORY})
_TESTED_AS_LITERAL = frozenset({sre_constants.LITERAL, sre_constants.NOT_LITERAL})
_STRUCTURE = frozenset({sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.SUBPATTERN,
                        sre_constants.BRANCH, sre_constants.ASSERT, sre_constants.ASSERT_NOT,
                        sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS, sre_constants.AT, sre_constants.ANY,
                        *(getattr(sre_constants, name) for name in ("POSSESSIVE_REPEAT", "ATOMIC_GROUP")
                          if hasattr(sre_constants, name))})
_CLASSES = tuple(_CATEGORY_TESTS.values())


def _tests(tree: Any, classes: list[list[tuple[Any, Any]]], literals: set[int]) -> bool:
    """Every character class and literal character the regex tests a character against, into ``classes``
    and ``literals``; False when the tree holds an operation not known here (nothing is then assumed)."""
    for op, av in tree:
        if op is sre_constants.IN:
            classes.append(av)
        elif op is sre_constants.CATEGORY:
            classes.append([(op, av)])
        elif op in _TESTED_AS_LITERAL:
            literals.add(av)
        elif op not in _STRUCTURE:
            return False
        for part in av if isinstance(av, tuple | list) and op not in _TESTED_BY_CLASS else ():
            for sub in part if isinstance(part, list) else [part]:
                if isinstance(sub, sre_parse.SubPattern) and not _tests(sub, classes, literals):
                    return False
    return True


def _one_per_behaviour(tree: Any, keywords: tuple[str, ...], picked: list[int]) -> list[int]:
    """``picked`` without the characters the regex cannot tell from an earlier one: a character that every
    class and literal of the pattern (and a keyword's characters, which a backreference may hold) accepts or
    refuses as an earlier one does, in either case, sends Python's engine down the same steps on a run of
    it, so its run times the same; all of ``picked`` when the pattern holds anything not known here."""
    classes: list[list[tuple[Any, Any]]] = []
    literals: set[int] = {ord(c) for keyword in keywords for c in keyword}
    if not _tests(tree, classes, literals):
        return picked
    kept: dict[tuple[object, ...], int] = {}
    sets = [_members(items) for items in classes]
    folded = {ord(chr(lit).lower()) for lit in literals if lit < 128}
    for ch in picked:
        variants = _VARIANTS[ch]
        # a character equal to a literal in some case is told apart from every other one
        behaviour = (ch if variants[1] in folded or ch >= 128 else None, *(test(chr(ch)) for test in _CLASSES),
                     ch == ord("\n"), *((v in named) != negate for named, negate in sets for v in variants))
        kept.setdefault(behaviour, ch)
    return list(kept.values())


def adversarial_inputs(rule: Rule, size: int = RUN) -> list[tuple[str, bytes]]:
    """(description, input) pairs: runs of each accepted character and literal, alone and after a keyword."""
    tree = sre_parse.parse(rule.pattern.encode("utf-8"))
    chars: set[int] = set()
    literals: set[str] = set()
    for kind, value in _walk(tree):
        if kind == "class":
            chars.update(_diverse(value))
        else:
            chars.update(ord(c) for c in value if ord(c) in _POOL_SET)
            if len(value) >= 2:
                literals.add(value)
    picked = _one_per_behaviour(tree, rule.keywords[:MAX_KEYWORDS], _diverse(sorted(chars)))
    inputs = [(f"{size:,} x {chr(c)!r}", bytes([c]) * size) for c in picked]
    for text in sorted(literals)[:MAX_CHARS]:
        inputs.append((f"{text!r} repeated", (text * (size // len(text) + 1))[:size].encode("latin-1")))
    for keyword in rule.keywords[:MAX_KEYWORDS]:
        for c in picked:
            inputs.append((f"{keyword!r} + {size:,} x {chr(c)!r}", keyword.encode() + bytes([c]) * size))
    return inputs


def _cpu_seconds(rule: Rule, data: bytes, least: float = 0.0) -> float:
    """CPU seconds of one scan of ``data``: the mean of as many scans as take ``least`` seconds together."""
    runs, started = 0, time.process_time()
    while True:
        for _ in rule.regex.finditer(data):
            pass
        runs += 1
        elapsed = time.process_time() - started
        if elapsed >= least or runs >= MAX_RUNS:
            return elapsed / runs


def gate(size: int) -> float:
    """Wall seconds of one scan of ``size`` characters below which an input is not probed at 4n
    (``slow_inputs``): the probe's floor (half ``NOISE_FLOOR``) divided by the growth of a cubic regex
    from ``size`` to 4n (64 from n, 8 from 2n)."""
    return NOISE_FLOOR / 2 / (SIZES[-1] / size) ** 3


def _wall_seconds(rule: Rule, data: bytes) -> float:
    """Wall seconds of one scan of ``data`` (``slow_inputs``' gate: a clock of any resolution, which other
    work on the machine only ever makes longer)."""
    started = time.perf_counter()
    for _ in rule.regex.finditer(data):
        pass
    return time.perf_counter() - started


def _steady_seconds(rule: Rule, data: bytes, least: float = 0.0, taken: float | None = None) -> float:
    """The least of three timings, each at least ``least`` seconds long: the machine's other work only
    ever adds time. ``taken``: one such timing already made (the probe), which counts as one of the three."""
    return min([*([] if taken is None else [taken]),
                *(_cpu_seconds(rule, data, least) for _ in range(2 if taken is not None else 3))])


def _growth(times: list[float]) -> list[float]:
    """The exponent of each step: log2 of the time's ratio when the input doubles."""
    return [math.log2(max(b, 1e-6) / max(a, 1e-6)) for a, b in itertools.pairwise(times)]


def _super_linear(steps: list[float]) -> bool:
    """Growth faster than linear: the mean exponent over n to 4n above ``GROWTH``, and every step above 1
    (one noisy step neither makes a linear regex quadratic nor a quadratic one linear)."""
    return sum(steps) / len(steps) > GROWTH and min(steps) > 1.0


def slow_inputs(rule: Rule, bound: float = HARD_BOUND) -> list[str]:
    """Descriptions of the adversarial inputs on which ``rule``'s regex grows super-linearly (its time
    more than ``4 ** GROWTH`` times larger when the input grows from n to 4n), or takes over
    ``bound`` CPU seconds at any length. Inputs scanned in under half ``NOISE_FLOOR`` at 4n stop there
    (a timing long enough for any clock to resolve).

    Each input is first scanned once at n, then at 2n, on the wall clock: under ``gate`` of a length it stops
    there. Only an input whose time grows faster than cubically from that length to 4n could be stopped
    there and still reach the probe's floor at 4n (a quadratic or cubic regex takes seconds at n; a busy
    machine only lengthens the wall time, so it never stops more); the gates cost a quarter and a half of a
    probe at 4n, which most inputs then never need.

    Growth seen in single scans is timed again before it is reported, each timing repeating the scan
    for ``SAMPLE`` seconds: a clock that counts CPU time in scheduler ticks (4 ms on some kernels) reads
    a linear 0, 4, 20 ms as n^7. A length whose single scans already took ``SAMPLE`` seconds each keeps
    its timing (timing it again would repeat the same scans), and the probe at 4n is one of that
    length's three timings: a quadratic rule is judged in half the CPU time it took before."""
    by_size = {SIZES[0]: adversarial_inputs(rule, SIZES[0])}
    found: list[str] = []

    def data(size: int, number: int) -> bytes:
        if size not in by_size:
            by_size[size] = adversarial_inputs(rule, size)
        return by_size[size][number][1]

    for number in range(len(by_size[SIZES[0]])):
        if any(_wall_seconds(rule, data(size, number)) < gate(size) for size in SIZES[:-1]):
            continue
        longest = data(SIZES[-1], number)
        description = by_size[SIZES[-1]][number][0]
        probe = _cpu_seconds(rule, longest)
        if probe < NOISE_FLOOR / 2:
            continue
        times: list[float] = []
        for size in SIZES:
            if times and times[-1] > bound:
                break
            times.append(_steady_seconds(rule, data(size, number), taken=probe if size == SIZES[-1] else None))
        label = description.replace(f"{SIZES[-1]:,}", "n")
        if max(times) > bound:
            found.append(f"{label}: {max(times):.2f} s at {SIZES[len(times) - 1]:,} characters")
            continue
        if times[-1] < NOISE_FLOOR or not _super_linear(_growth(times)):
            continue
        times = [taken if taken >= SAMPLE else _steady_seconds(rule, data(size, number), SAMPLE)
                 for size, taken in zip(SIZES, times, strict=True)]
        steps = _growth(times)
        if times[-1] >= NOISE_FLOOR and _super_linear(steps):
            found.append(f"{label}: time grows as n^{sum(steps) / len(steps):.1f} "
                         f"({', '.join(f'{t * 1000:.0f} ms' for t in times)} at {', '.join(f'{n:,}' for n in SIZES)})")
    return found


RULE_DEADLINE = 20.0
"""CPU seconds one rule's whole check may use before it is failed as exponential (Python's regex engine
cannot be interrupted, so the check runs in a child process that the kernel ends at that CPU limit).
CPU, not wall time: a loaded machine, which only delays the check, cannot fail a rule."""


LINEAR_CHECK_DEADLINE = 5.0
"""CPU seconds the growth check of one pattern RE2 cannot take may use before it is refused."""

WALL_BACKSTOP = 10
"""The parent still gives up on a child after this many times its CPU deadline in wall time (a child
that gets no CPU at all, stopped or starved, must not hang the check)."""


def linear_regex(pattern: str | bytes, what: str) -> Any:
    """A compiled ``pattern`` that matches in linear time: RE2 when it can express it, else Python's
    engine after the growth check (``slow_rules``); ConfigError naming ``what`` when the pattern does
    not compile or grows faster than linear. Used for every pattern a user or a repository supplies."""
    import re

    from credsweep.errors import ConfigError
    from credsweep.util.linearre import re2_compile

    linear = re2_compile(pattern)
    if linear is not None:
        return linear
    text = pattern.decode("utf-8", "replace") if isinstance(pattern, bytes) else pattern
    try:
        compiled = re.compile(pattern)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        raise ConfigError(f"{what}: regex {text[:80]!r} does not compile: "
                          f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    probe = Rule(id="user.pattern", name="pattern", provider="user", pattern=text, keywords=(), severity="low",
                 confidence="low", reference="", examples=(), negative_examples=())
    slow = slow_rules([probe], deadline=LINEAR_CHECK_DEADLINE).get(probe.id)
    if slow:
        raise ConfigError(f"{what}: regex {text[:80]!r} is refused: it is not linear-time ({slow[0]}); "
                          "rewrite it without nested or overlapping repetition")
    return compiled


def _child(rules: list[Rule], start: int, bound: float, deadline: float, conn: Any) -> None:
    import resource

    # the kernel ends this process (SIGXCPU, no core file) once a rule's check has used ``deadline`` CPU
    # seconds: each rule's limit is set from what the process has used so far
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    for index in range(start, len(rules)):
        used = resource.getrusage(resource.RUSAGE_SELF)
        limit = max(1, round(used.ru_utime + used.ru_stime + deadline))  # whole seconds, the kernel's unit
        resource.setrlimit(resource.RLIMIT_CPU, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
        conn.send((index, slow_inputs(rules[index], bound)))
    conn.close()


class LinearCheck:
    """``slow_inputs`` of every rule, by rule id, checked in a child process that ``start`` forks: the caller
    may do other work (``rules check`` writes the examples in their contexts meanwhile) before ``result``
    waits for it. Where ``fork`` does not exist, ``result`` checks the rules in this process."""

    def __init__(self, rules: list[Rule], bound: float = HARD_BOUND, deadline: float = RULE_DEADLINE) -> None:
        self.rules, self.bound, self.deadline = rules, bound, deadline
        self._next = 0
        self._out: dict[str, list[str]] = {}
        self._running: tuple[Any, Any] | None = None

    def start(self) -> LinearCheck:
        """Fork the child for the rules not yet checked (the first call: all of them)."""
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods() and self._next < len(self.rules):
            context = multiprocessing.get_context("fork")
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(self.rules, self._next, self.bound, self.deadline, sender),
                                    daemon=True)
            child.start()
            sender.close()
            self._running = (child, receiver)
        return self

    def result(self) -> dict[str, list[str]]:
        """Wait for the child (forking a new one after a rule it could not finish) and return what it found."""
        import multiprocessing
        import signal

        if "fork" not in multiprocessing.get_all_start_methods():
            return {rule.id: found for rule in self.rules if (found := slow_inputs(rule, self.bound))}
        exponential = [f"no answer after {self.deadline:g} s of CPU time (catastrophic backtracking)"]
        while self._next < len(self.rules):
            if self._running is None:
                self.start()
            assert self._running is not None
            child, receiver = self._running
            while self._next < len(self.rules):
                if not receiver.poll(self.deadline * WALL_BACKSTOP):
                    child.kill()
                    self._out[self.rules[self._next].id] = exponential
                    self._next += 1
                    break
                try:
                    index, found = receiver.recv()
                except EOFError:  # the child ended: at its CPU limit, or it died (out of memory, killed)
                    child.join()
                    cpu_limit = child.exitcode == -signal.SIGXCPU
                    self._out[self.rules[self._next].id] = (exponential if cpu_limit
                                                            else ["the check's process ended on this rule"])
                    self._next += 1
                    break
                if found:
                    self._out[self.rules[index].id] = found
                self._next = index + 1
            child.join()
            receiver.close()
            self._running = None
        return self._out


def slow_rules(rules: list[Rule], bound: float = HARD_BOUND, deadline: float = RULE_DEADLINE) -> dict[str, list[str]]:
    """``slow_inputs`` of every rule, by rule id (rules with none are left out).

    Where ``fork`` exists, a child process checks the rules in turn, each rule allowed ``deadline`` CPU
    seconds: a catastrophically backtracking pattern is reported, not waited for, and a busy machine
    (which slows the check's wall time, not its CPU time) fails no rule."""
    return LinearCheck(rules, bound, deadline).start().result()
