"""Per-report figures the archive pages need beyond :class:`~shuzhi.model.ReportSummary`.

:func:`stats` runs once per report at read time (the Sphinx Domain stores the
result next to the summary); everything whole-archive is computed later from
these small, frozen, picklable records.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from ..config import Config
from ..match.links import ReportLinks, resolve_links, stopwords
from ..match.segment import words
from ..model import Report, plain, report_ref
from ..model.ordinals import SENTENCE_END

#: terms kept per report for the keyword pages (the rest are too rare to rank)
TOP_TERMS = 120

# A stated quantity: Arabic number, optional 余/多, optional 万/亿, then a unit.
_UNITS = (
    "万人次|人次|场次|课时|学时|小时|余人|万元|亿元|元|个|次|家|人|名|场|篇|期|项|条|户|件|批|所|份|天|支|处|本|册|部|轮|套|台|起|千米|公里|"
    "平方米|亩|吨|个百分点|%|％"
)
_QUANTITY = re.compile(
    rf"(?<![0-9A-Za-z.．第])(?P<num>[0-9]+(?:[,，][0-9]{{3}})*(?:[.．][0-9]+)?)(?P<approx>余|多)?(?P<scale>万|亿)?(?P<unit>{_UNITS})"
)
_SENTENCE_END = re.compile(f"[{SENTENCE_END}\n]")  # a sentence, or a line
_NUMERIC = re.compile(r"^[0-9]+[A-Za-z]*$|^[A-Za-z]$")


@dataclass(frozen=True)
class SectionStat:
    title: str
    canonical: tuple[str, ...]
    level: int
    line: int
    parent: int | None


@dataclass(frozen=True)
class LinkStat:
    """A problem → measure link as resolved when the report was read."""

    problem_id: str
    measure_id: str
    source: str  # explicit | auto
    score: float


@dataclass(frozen=True)
class Quantity:
    """A number the report states: 走访企业430家 → 430 家, with its sentence."""

    text: str  # as written: 3229万人次
    number: float  # value with 万/亿 applied: 32290000
    unit: str  # 人次
    sentence: str
    line: int


@dataclass(frozen=True)
class ReportStats:
    """What analytics and the export need of one report, beyond its summary."""

    ref: str
    front_json: str  # the front matter, as JSON (dates as ISO strings)
    sections: tuple[SectionStat, ...]
    links: tuple[LinkStat, ...]
    quantities: tuple[Quantity, ...]
    placeholders: tuple[tuple[int, str], ...]  # (line, token) of unfilled template values
    terms: tuple[tuple[str, int], ...]  # the report's most frequent content words, stop words removed
    missing_sections: tuple[str, ...]  # required canonical sections the report lacks

    @property
    def front(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.front_json)
        return data

    def measures_of(self) -> dict[str, list[str]]:
        """{problem id: [measure ids]}, for :func:`shuzhi.match.ledger.build_ledger`."""
        out: dict[str, list[str]] = {}
        for link in self.links:
            out.setdefault(link.problem_id, []).append(link.measure_id)
        return out


def stats(report: Report, config: Config | None = None, links: ReportLinks | None = None) -> ReportStats:
    """The per-report figures of one parsed report (``links``: already resolved, if at hand)."""
    schema = config.schema if config is not None else None
    if schema is None:
        from ..model import default_schema

        schema = default_schema()
    rule = schema.kinds.get(report.kind)
    missing = tuple(c for c in rule.required if not report.has_section(c)) if rule else ()
    if links is None:
        links = resolve_links(report)
    return ReportStats(
        ref=report_ref(report.path),
        front_json=json.dumps(report.front.data, ensure_ascii=False, sort_keys=True, default=str),
        sections=tuple(SectionStat(s.title, s.canonical, s.level, s.line, s.parent) for s in report.sections),
        links=tuple(
            LinkStat(pid, m.id, m.source, round(m.score, 3)) for pid, ms in links.by_problem.items() for m in ms
        ),
        quantities=tuple(quantities(report)),
        placeholders=tuple(placeholders(report, config)),
        terms=tuple(sorted(_most_common(Counter(terms(report)), TOP_TERMS), key=lambda kv: (-kv[1], kv[0]))),
        missing_sections=missing,
    )


def _paragraphs(report: Report) -> Iterator[tuple[int, str]]:
    """(first line, text as read) of every body paragraph."""
    for block in report.blocks:
        if block.kind == "paragraph":
            yield block.line, plain(block.text)


def _most_common(counts: Counter[str], n: int) -> list[tuple[str, int]]:
    """``counts.most_common(n)``, ties in insertion order as there, by a stable sort (faster than its heap)."""
    return sorted(counts.items(), key=itemgetter(1), reverse=True)[:n]


def quantities(report: Report) -> Iterator[Quantity]:
    for line, text in _paragraphs(report):
        for m in _QUANTITY.finditer(text):
            start = max((e.end() for e in _SENTENCE_END.finditer(text, 0, m.start())), default=0)
            end_m = _SENTENCE_END.search(text, m.end())
            end = end_m.end() if end_m else len(text)
            sentence = text[start:end].strip().replace("\n", "")
            number = float(m.group("num").replace(",", "").replace("，", "").replace("．", "."))
            scale = {"万": 1e4, "亿": 1e8}.get(m.group("scale") or "", 1.0)
            unit = m.group("unit")
            if unit in ("万人次", "万元", "亿元"):
                scale *= 1e4 if unit[0] == "万" else 1e8
                unit = unit[1:]
            unit = "%" if unit == "％" else unit
            yield Quantity(
                text=m.group(0),
                number=number * scale,
                unit=unit,
                sentence=sentence,
                line=line + text[: m.start()].count("\n"),
            )


def placeholders(report: Report, config: Config | None = None) -> Iterator[tuple[int, str]]:
    """Unfilled template values as the placeholder rule finds them, one entry per occurrence."""
    try:
        from ..check.hygiene import placeholder_tokens
        from ..check.rule_settings import settings
    except ImportError:  # the rules package is optional for analytics
        return
    rules = settings(config)
    for number, raw in report.text_lines:
        text = plain(raw)
        for token in placeholder_tokens(raw, rules):
            # the rule names each distinct value once per line; count every occurrence
            for _ in range(max(1, text.count(token))):
                yield number, token


def terms(report: Report) -> Iterator[str]:
    """Content words of what a report is about: its headings and its items, stop words removed.

    Headings and items (problems, measures, rectifications) carry a report's topics;
    segmenting them only — with the very slices the ledger segments, so the
    process-wide cache answers — keeps keywords off the build's critical path.
    """
    stop = stopwords()
    texts = [s.title for s in report.sections]
    for item in report.items:
        texts += [item.lead, item.text[len(item.lead) : len(item.lead) + 300]]
    for text in texts:
        for w in words(text):
            if w not in stop and not _NUMERIC.match(w):
                yield w
