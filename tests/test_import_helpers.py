"""Shared checks for the importer tests: the nothing-lost invariant and marker consistency."""

from __future__ import annotations

from shuzhi.model import parse_report
from shuzhi.read import ImportResult, significant
from shuzhi.read.clean import normalise


def body_of(markdown: str) -> str:
    """The Markdown after the front matter."""
    lines = markdown.split("\n")
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        return "\n".join(lines[end + 1 :])
    return markdown


def expected_text(source: str, result: ImportResult) -> str:
    """The source without the pieces the importer says it removed."""
    lines = normalise(source).split("\n")
    for removed in result.removed:
        i = removed.line - 1
        if removed.whole_line:
            assert lines[i].strip() == removed.text, (removed, lines[i])
            lines[i] = ""
        else:
            assert removed.text in lines[i], (removed, lines[i])
            lines[i] = lines[i].replace(removed.text, "", 1)
    return "\n".join(lines)


def first_missing(needle: str, haystack: str) -> int | None:
    """Index in needle of the first character not found, in order, in haystack."""
    pos = 0
    for k, c in enumerate(needle):
        pos = haystack.find(c, pos)
        if pos < 0:
            return k
        pos += 1
    return None


def assert_nothing_lost(source: str, result: ImportResult) -> None:
    want = significant(expected_text(source, result))
    have = significant(body_of(result.markdown))
    k = first_missing(want, have)
    assert k is None, f"lost from {k}: {want[max(0, k - 20) : k + 20]!r}"


def assert_markers_consistent(result: ImportResult) -> None:
    """parse_report of the output gives the items the importer marked, all explicit."""
    report = parse_report(result.markdown, result.source)
    assert [(i.id, i.kind) for i in report.items] == [(i.id, i.kind) for i in result.report.items]
    assert all(i.explicit for i in report.items), [i.id for i in report.items if not i.explicit]
    assert len({i.id for i in report.items}) == len(report.items)
