"""Literal prefilters for regular expressions: skip the patterns a text cannot match.

:func:`required_literals` reads a compiled pattern's parse tree and returns sets of
strings such that every match of the pattern contains at least one string of each
set (``此处(已)?(省略|隐藏)…字`` → ``{此处}``, ``{省略, 隐藏}``, ``{字}``). A text that
lacks every string of one set cannot hold a match anywhere, so the pattern need not
run on it, nor on any part of it.

:class:`Gate` applies this to a group of patterns: one scan of a text (a report's
lines, say) finds which of the patterns can match somewhere in it. The advert,
truncation and placeholder vocabularies (``data/adverts.yaml``, ``data/rules.yaml``
and the archive's additions) are narrowed this way per report; the patterns that
run are unchanged, so the matches are the same, only most patterns never start.
Patterns the analysis cannot read (case-insensitive ones, a leading ``.*``) have no
required literals and always run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

#: a set of strings one of which every match contains
Needs = tuple[frozenset[str], ...]

#: above this many strings, a run of literal elements is closed and a new one started
_MAX_ALTERNATIVES = 64
#: the most selective sets kept per pattern
_MAX_SETS = 3
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))


@lru_cache(maxsize=1024)
def required_literals(pattern: re.Pattern[str]) -> Needs:
    """Sets of strings, each of which has a member in every match of ``pattern`` (most selective first)."""
    if not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return ()
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unreadable tree only means no prefilter
        return ()
    if tree.state.flags & re.IGNORECASE:
        return ()
    sets = {s for s in _sequence(list(tree)) if s and "" not in s}
    return tuple(sorted(sets, key=_score)[:_MAX_SETS])


def _score(strings: frozenset[str]) -> tuple[int, int, tuple[str, ...]]:
    """Longer strings are rarer, fewer alternatives are rarer; then a fixed order."""
    return (-min(len(s) for s in strings), len(strings), tuple(sorted(strings)))


def _sequence(items: Sequence[tuple[Any, Any]]) -> list[frozenset[str]]:
    """The required sets of a sequence of elements, all of which every match passes through."""
    found: list[frozenset[str]] = []
    run: set[str] | None = None  # the strings of the current run of literal elements
    for op, av in items:
        strings = _strings(op, av)
        if strings is not None:
            joined = _product(run, strings) if run is not None else strings
            if joined is None:  # too many: keep what the run has, start again
                found.append(frozenset(run or ()))
                joined = strings
            run = joined
            continue
        if run is not None:
            found.append(frozenset(run))
            run = None
        found.extend(_inner(op, av))
    if run is not None:
        found.append(frozenset(run))
    return found


def _product(left: set[str] | None, right: set[str]) -> set[str] | None:
    if left is None or len(left) * len(right) > _MAX_ALTERNATIVES:
        return None
    return {a + b for a in left for b in right}


def _strings(op: Any, av: Any) -> set[str] | None:
    """Every string an element can match, if it matches a few fixed strings only (else None)."""
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.IN:
        if all(kind is C.LITERAL for kind, _v in av) and len(av) <= _MAX_ALTERNATIVES:
            return {chr(v) for _k, v in av}
        return None
    if op is C.SUBPATTERN:
        _group, add_flags, _del, body = av
        return None if add_flags & re.IGNORECASE else _fixed(list(body))
    if op is C.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            strings = _fixed(list(alternative))
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= _MAX_ALTERNATIVES else None
    if op in _REPEATS:
        low, high, body = av
        if low != high:
            return None
        strings = _fixed(list(body))
        result: set[str] | None = {""}
        for _ in range(low):
            result = _product(result, strings) if strings is not None else None
        return result
    return None


def _fixed(items: Sequence[tuple[Any, Any]]) -> set[str] | None:
    """The strings a sequence of fixed-string elements matches (None if any element is not one)."""
    result: set[str] | None = {""}
    for op, av in items:
        strings = _strings(op, av)
        if strings is None:
            return None
        result = _product(result, strings)
        if result is None:
            return None
    return result


def _inner(op: Any, av: Any) -> list[frozenset[str]]:
    """The required sets inside an element that is not a fixed string (none if it may match nothing)."""
    if op is C.SUBPATTERN:
        _group, add_flags, _del, body = av
        return [] if add_flags & re.IGNORECASE else _sequence(list(body))
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    if op in _REPEATS:
        low, _high, body = av
        return _sequence(list(body)) if low >= 1 else []
    if op is C.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            sets = [s for s in _sequence(list(alternative)) if s and "" not in s]
            if not sets:
                return []  # this alternative needs no literal, so the branch does not either
            best: frozenset[str] = min(sets, key=_score)
            union |= best
        return [frozenset(union)]
    return []


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False when ``text`` certainly holds no match of ``pattern`` (it lacks a string every match holds).

    A few substring tests, much cheaper than a search with a pattern that starts with
    a lookbehind or an optional part (those are tried at every position of the text)."""
    for strings in _by_size(pattern):  # loops, not all(any(...)): no generator objects per line
        for word in strings:
            if word in text:
                break
        else:
            return False
    return True


#: id(pattern) -> (pattern, its sets, fewest strings first); by identity because hashing a compiled
#: pattern hashes its whole code (0.6 us for an advert pattern, on every line); the entry holds the
#: pattern, so its id is not reused while it is cached
_BY_SIZE: dict[int, tuple[re.Pattern[str], Needs]] = {}


def _by_size(pattern: re.Pattern[str]) -> Needs:
    entry = _BY_SIZE.get(id(pattern))
    if entry is not None and entry[0] is pattern:
        return entry[1]
    if len(_BY_SIZE) >= 4096:
        _BY_SIZE.clear()
    needs = tuple(sorted(required_literals(pattern), key=len))
    _BY_SIZE[id(pattern)] = (pattern, needs)
    return needs


class Gate:
    """Which of a group of patterns can match somewhere in a text, found with one scan of it.

    The scan looks for the most selective set of each pattern only (a longer text is
    more likely to hold a string of each set anyway); :func:`may_match` tests all the
    sets on each part the kept patterns are then matched on.
    """

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self.patterns = tuple({id(p): p for p in patterns}.values())  # by identity: see possible()
        self._needs = [(id(p), required_literals(p)) for p in self.patterns]
        words = {w for _id, needs in self._needs if needs for w in needs[0]}
        self._scan = re.compile(_alternation(words)) if words else None

    def present(self, text: str) -> set[str]:
        """The scan's words that occur in ``text`` (with every prefix of them)."""
        longest: set[str] = set()
        if self._scan is not None:
            search, pos = self._scan.search, 0
            while (m := search(text, pos)) is not None:
                longest.add(m.group(0))
                pos = m.start() + 1
        return {word[:k] for word in longest for k in range(1, len(word) + 1)}

    def possible(self, text: str) -> set[int]:
        """The ``id()`` of each pattern that may match ``text`` or any part of it; the others
        certainly do not. (Identities: hashing a compiled pattern hashes its whole code.)"""
        found = self.present(text)
        return {key for key, needs in self._needs if not needs or not found.isdisjoint(needs[0])}


def _alternation(words: Iterable[str]) -> str:
    """A regex for any of ``words`` that matches the longest one starting at a position.

    Written as a trie (one branch per first character, an optional greedy tail), so a
    position is compared once with each first character instead of once with each word.
    """
    tails: dict[str, set[str]] = {}
    for word in words:
        tails.setdefault(word[0], set()).add(word[1:])
    branches = []
    for first in sorted(tails):
        rest = [t for t in tails[first] if t]
        branch = re.escape(first)
        if rest:
            branch += f"(?:{_alternation(rest)})" + ("?" if "" in tails[first] else "")
        branches.append(branch)
    return "|".join(branches)
