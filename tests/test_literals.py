"""The prefilters of the lint rules: a pattern they skip can never have matched.

The literal prefilter (shuzhi.read.literals) and the unsafe-markup scan
(shuzhi.check.markup.suspect) decide where a pattern need not run.

The lint rules narrow the advert, truncation and placeholder patterns per report
with it, so a wrong "required string" would silently drop findings: these tests
check the derived strings on hand-written patterns, and on every pattern of the
vocabularies that a text where the pattern matches is never filtered out.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuzhi.check.markup import _SUSPECT, suspect
from shuzhi.check.rule_settings import settings as rule_settings
from shuzhi.read import adverts
from shuzhi.read.literals import Gate, _alternation, may_match, required_literals


def needs(pattern: str) -> list[set[str]]:
    return [set(s) for s in required_literals(re.compile(pattern))]


def test_required_strings_of_hand_written_patterns() -> None:
    assert needs("用后删除") == [{"用后删除"}]
    # an optional part ends a run of literals; an alternation gives a set
    assert sorted(map(sorted, needs("此处(已)?(省略|隐藏)"))) == [["此处"], ["省略", "隐藏"]]
    # fixed alternatives next to each other combine
    assert needs("(本文|全文)下载") == [{"本文下载", "全文下载"}]
    assert needs("[Vv][Ii][Pp]") == [{a + b + c for a in "Vv" for b in "Ii" for c in "Pp"}]
    assert needs("#{2}x") == [{"##x"}]
    # a repeat that may be absent, a negated class, a lookbehind require nothing
    assert needs("(?<=前)a?[^b]*") == []
    # an alternative that needs nothing makes the whole alternation need nothing
    assert needs("(?:某某|[0-9]+)") == []
    assert needs("(?:(某某)+|其他)") == [{"某某", "其他"}]
    # case-insensitive patterns (globally or in a group) are not read
    assert needs("(?i)vip") == []
    assert needs("(?i:vip)会员") == [{"会员"}]
    assert needs("a|") == []


def test_gate_keeps_exactly_the_patterns_whose_strings_occur() -> None:
    patterns = [re.compile(p) for p in ("此处省略", "会员(专享|可见)", "[xX]{2}", "[0-9]+")]
    gate = Gate(patterns)
    assert kept(gate, "普通的一段话") == {patterns[3]}
    assert kept(gate, "会员专享。此处") == {patterns[1], patterns[3]}
    assert kept(gate, "此处省略xX") == {patterns[0], patterns[2], patterns[3]}
    assert may_match(patterns[1], "会员可见") and not may_match(patterns[1], "会员")
    # strings inside or at the start of a longer one found at the same place are found too
    nested = [re.compile(p) for p in ("此处省略", "处省", "此处", "省略号")]
    assert kept(Gate(nested), "此处省略号") == set(nested)


def kept(gate: Gate, text: str) -> set[re.Pattern[str]]:
    keep = gate.possible(text)
    return {p for p in gate.patterns if id(p) in keep}


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text("ab此处", min_size=1, max_size=4), min_size=1, max_size=8), st.text("ab此处", max_size=12))
def test_the_scan_finds_the_longest_word_at_each_position(words: set[str], text: str) -> None:
    scan = re.compile(_alternation(words))
    for i in range(len(text)):
        m = scan.match(text, i)
        longest = max((w for w in words if text.startswith(w, i)), key=len, default=None)
        assert (m.group(0) if m else None) == longest


def vocabulary() -> list[re.Pattern[str]]:
    ads = adverts.default()
    groups = (ads.line, ads.inline, ads.distributor, ads.truncated, ads.edge, ads.page, ads.related)
    return [p for group in groups for p in group] + [p.pattern for p in rule_settings(None).placeholders]


def pieces() -> list[str]:
    """Fragments of the vocabulary's required strings, whole and cut, to build texts that nearly match."""
    out: set[str] = set()
    for pattern in vocabulary():
        for strings in required_literals(pattern):
            for s in strings:
                out.update({s, s[:1], s[1:], s[: len(s) // 2]})
    return sorted(out - {""})


PIECES = pieces() + ["（", "）", "：", "…", "1200", " ", "，", "。", "\\*", "【P1】", "字", "QQ", "x"]
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=30).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_a_pattern_that_matches_is_never_filtered_out(text: str) -> None:
    patterns = vocabulary()
    possible = kept(Gate(patterns), text)
    for pattern in patterns:
        if pattern.search(text):
            assert may_match(pattern, text), pattern.pattern
            assert pattern in possible, pattern.pattern


def found(m: re.Match[str] | None) -> tuple[str, tuple[int, int]] | None:
    return (m.re.pattern, m.span()) if m else None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXTS, min_size=1, max_size=5))
def test_narrowed_adverts_find_the_same_on_every_line(lines: list[str]) -> None:
    full = adverts.default()
    narrow = full.within("\n".join(lines))
    for line in lines:
        assert found(narrow.line_match(line)) == found(full.line_match(line))
        assert [m.span() for m in narrow.inline_matches(line)] == [m.span() for m in full.inline_matches(line)]
        assert [m.span() for m in narrow.truncations(line)] == [m.span() for m in full.truncations(line)]
    assert narrow.distributors("\n".join(lines)) == full.distributors("\n".join(lines))


MARKUP = ["javascript", "JavaScript", "vbscript", "data", "DATA", "livescript", "ſcript", "ja", "script", " ", "\t",
          "\u3000", "\n", ":", "：", "{raw}", "{RAW}", "{", "}", "<", "报告", "x"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(MARKUP), st.text(max_size=3)), max_size=12).map("".join))
def test_markup_scan_agrees_with_the_case_insensitive_search(text: str) -> None:
    assert suspect(text) == bool(_SUSPECT.search(text))


@pytest.mark.parametrize(
    "text, found",
    [("见 JavaScript \t :x", True), ("livescript\u3000\u3000:", True), ("title: 报告\nyear: 2023", False),
     ("{Raw}", True), ("{ raw}", False), ("a<b", True), ("data：全角冒号", False), ("datum:", False)],
)
def test_markup_scan_examples(text: str, found: bool) -> None:
    assert suspect(text) is found is bool(_SUSPECT.search(text))


def test_equal_patterns_compiled_apart_are_each_kept() -> None:
    first = re.compile("此处省略")
    second = re.compile(first.pattern, re.UNICODE)  # another object, equal to the first
    assert second is not first and second == first
    gate = Gate([first, re.compile("某某"), second])
    keep = gate.possible("此处省略")
    assert id(first) in keep and id(second) in keep


#: the letter placeholder as first written, lookbehind first: tried at every position of a line
_LETTERS_LOOKBEHIND_FIRST = re.compile(r"(?<![A-Za-z0-9\-_.])[xXｘＸ]{1,4}(?:[.．][xXｘＸ]{1,2})?(?![A-Za-z0-9\-_])")


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="xXｘＸ.．-_aZ09 中%", max_size=14))
def test_letter_placeholder_starts_at_an_x_and_matches_as_before(text: str) -> None:
    """rules.yaml writes the letter placeholder x first, then looks behind it: a search only starts
    where there is an x. The matches are those of the pattern written lookbehind first."""
    pattern = next(p.pattern for p in rule_settings(None).placeholders if p.name == "字母占位")
    assert pattern.pattern.startswith("[xXｘＸ]")
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in _LETTERS_LOOKBEHIND_FIRST.finditer(text)]
