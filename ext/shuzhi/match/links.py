"""Problem ↔ measure links: explicit markers first, the matcher where there are none.

A report is in *explicit mode* when any of its measures carries a marker with
targets (``【M2→P2】``) — as every imported report does, so a human reviews the
pairing in the diff. Otherwise the matcher pairs problems and measures by what
they are about:

* features: jieba words with the domain dictionary (minus stop words, numbers
  and ordinals such as 一是 / 第一), the character bigrams inside longer words
  (so 压力传导 meets 层层传导压力 however jieba cut them), and the related-term
  groups of ``data/related.yaml`` (so 理论学习 meets 理论武装); the lead sentence
  counts LEAD_WEIGHT times the rest;
* TF-IDF weights over the archive (or over the report itself), cosine
  similarity computed through an inverted index;
* a greedy global assignment over all pairs, best first, one measure per
  problem; a measure already taken is shared by a second problem only when it
  clearly beats that problem's best free measure. Neither list's order matters.

See docs/links.md for the link syntax and the measured quality.

Also the ``shuzhi links`` verb.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from .. import DATA_DIR
from ..model import FEEDBACK, Item, Report, parse_report
from ..model.ordinals import LOCAL_TARGET, NUM_CN, strip_ordinal
from .segment import words

STOPWORDS_PATH = DATA_DIR / "stopwords.txt"
RELATED_PATH = DATA_DIR / "related.yaml"
#: below this similarity the matcher does not pair at all
MIN_SCORE = 0.06
#: below this the pair is shown as low confidence
CONFIDENT_SCORE = 0.18
#: a confident pair also beats the problem's next-best measure by this factor
CONFIDENT_MARGIN = 1.2
#: weight of the lead sentence's terms against the rest of the item's text
LEAD_WEIGHT = 3.0
#: how much of the text after the lead sentence is read
BODY_CHARS = 400
#: weight of a character bigram taken from inside a longer word
BIGRAM_WEIGHT = 0.25
#: weight of a related-term group (see data/related.yaml) against a word
CONCEPT_WEIGHT = 1.0
#: a problem whose best measure is already taken shares it when it scores this
#: many times its best free measure
SHARE_RATIO = 2.0
#: terms found in more measures than this are left out of the inverted index in
#: very large reports: they cost n·m work and tell the measures apart hardly at all
MAX_POSTINGS = 64
_HAS_DIGIT = re.compile(r"[0-9０-９]")
_ORDINAL_WORD = re.compile(rf"^(?:{NUM_CN}[是要]|第{NUM_CN})$")
_CONCEPT = "〔{}〕"


@dataclass(frozen=True)
class Pair:
    problem_id: str
    measure_id: str
    score: float
    confident: bool


@dataclass(frozen=True)
class LinkedMeasure:
    id: str
    text: str
    source: str  # explicit | auto
    score: float
    confident: bool = True


@dataclass
class ReportLinks:
    by_problem: dict[str, list[LinkedMeasure]] = field(default_factory=dict)
    by_measure: dict[str, list[str]] = field(default_factory=dict)
    orphans: list[str] = field(default_factory=list)
    #: (line, item id, target) for local targets that do not exist or are not problems
    unknown: list[tuple[int, str, str]] = field(default_factory=list)
    explicit_mode: bool = False


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    lines = STOPWORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def related_terms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The related-term groups: (group name, its terms), longest terms first."""
    data = yaml.safe_load(RELATED_PATH.read_text(encoding="utf-8")) or {}
    groups = data.get("groups", {}) if isinstance(data, dict) else {}
    return tuple(
        (str(name), tuple(sorted({str(t) for t in terms}, key=len, reverse=True)))
        for name, terms in groups.items()
        if terms
    )


@lru_cache(maxsize=16384)
def _terms(text: str) -> tuple[str, ...]:
    """Content words of a text, without stop words and numbers."""
    stop = stopwords()
    return tuple(w for w in words(text) if w not in stop and not _HAS_DIGIT.search(w) and not _ORDINAL_WORD.match(w))


@lru_cache(maxsize=16384)
def _features(text: str) -> tuple[tuple[str, float], ...]:
    """Weighted features of a text: words, bigrams inside longer words, related-term groups.

    The bigrams make 压力传导 meet 层层传导压力 and 党员队伍 meet 党员 however jieba
    cut the phrase; the groups make 理论学习 meet 理论武装.
    """
    stop = stopwords()
    out: list[tuple[str, float]] = []
    for w in _terms(text):
        out.append((w, 1.0))
        if len(w) >= 3:
            for k in range(len(w) - 1):
                bigram = w[k : k + 2]
                if bigram not in stop:
                    out.append((bigram, BIGRAM_WEIGHT))
    for name, terms in related_terms():
        if any(t in text for t in terms):
            out.append((_CONCEPT.format(name), CONCEPT_WEIGHT))
    return tuple(out)


def item_terms(item: Item) -> dict[str, float]:
    """Weighted term frequencies of an item: its lead sentence counts LEAD_WEIGHT times."""
    counts: dict[str, float] = {}
    lead = item.lead
    rest = item.text[len(lead) :] if item.text.startswith(lead) else item.text
    for text, weight in ((strip_ordinal(lead, runin=True), LEAD_WEIGHT), (rest[:BODY_CHARS], 1.0)):
        for term, w in _features(text):
            counts[term] = counts.get(term, 0.0) + weight * w
    return counts


def build_idf(documents: Iterable[Iterable[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency over documents given as term collections."""
    df: Counter[str] = Counter()
    n = 0
    for doc in documents:
        n += 1
        df.update(set(doc))
    return {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}


def archive_idf(reports: Iterable[Report]) -> dict[str, float]:
    """IDF over every problem and measure of the given reports."""
    return build_idf(item_terms(i) for r in reports for i in r.items if i.kind in ("problem", "measure"))


def tfidf_vector(counts: Mapping[str, float], idf: Mapping[str, float], default: float = 1.0) -> dict[str, float]:
    """TF-IDF weights (log(1 + tf) · idf) scaled to length 1: the one weighting of the matcher,
    the ledger and the clusters."""
    vec = {t: math.log1p(c) * idf.get(t, default) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def similarity_matrix(
    problems: list[Item], measures: list[Item], idf: Mapping[str, float] | None = None
) -> dict[tuple[str, str], float]:
    """Cosine similarity of every problem–measure pair sharing a term (inverted index).

    In reports of more than MAX_POSTINGS measures, terms shared by more measures
    than that are skipped, so the work stays near-linear in the report's size.
    """
    if idf is None:
        idf = build_idf(item_terms(i) for i in problems + measures)
    default = max(idf.values(), default=1.0)
    index: dict[str, list[tuple[str, float]]] = {}
    for m in measures:
        for term, weight in tfidf_vector(item_terms(m), idf, default).items():
            index.setdefault(term, []).append((m.id, weight))
    if len(measures) > MAX_POSTINGS:
        index = {t: postings for t, postings in index.items() if len(postings) <= MAX_POSTINGS}
    scores: dict[tuple[str, str], float] = {}
    for p in problems:
        acc: dict[str, float] = {}
        for term, weight in tfidf_vector(item_terms(p), idf, default).items():
            for mid, mweight in index.get(term, ()):
                acc[mid] = acc.get(mid, 0.0) + weight * mweight
        for mid, score in acc.items():
            scores[(p.id, mid)] = score
    return scores


def match_report(report: Report, idf: Mapping[str, float] | None = None) -> list[Pair]:
    """Pair the report's problems with its measures, whatever their order.

    Best pairs first over the whole report, one measure per problem: a measure
    already taken goes to a second problem only when that problem scores it
    SHARE_RATIO times its best free measure (or has no free measure left).
    """
    problems, measures = report.problems, report.measures
    if not problems or not measures:
        return []
    scores = similarity_matrix(problems, measures, idf)
    ranked = sorted(((s, k) for k, s in scores.items() if s >= MIN_SCORE), key=lambda sk: (-sk[0], sk[1]))
    chosen: dict[str, tuple[str, float]] = {}
    taken_best: dict[str, tuple[str, float]] = {}  # problem → its best measure, found taken
    used: set[str] = set()
    for score, (pid, mid) in ranked:
        if pid in chosen:
            continue
        if mid in used:
            taken_best.setdefault(pid, (mid, score))
            continue
        shared = taken_best.get(pid)
        if shared is not None and shared[1] >= SHARE_RATIO * score:
            chosen[pid] = shared
            continue
        chosen[pid] = (mid, score)
        used.add(mid)
    for pid, shared in taken_best.items():
        chosen.setdefault(pid, shared)
    # the runner-up of each problem, in one pass
    runners_up: dict[str, float] = {}
    for (pid, mid), score in scores.items():
        if pid in chosen and mid != chosen[pid][0] and score > runners_up.get(pid, 0.0):
            runners_up[pid] = score
    pairs = []
    for p in problems:
        if p.id not in chosen:
            continue
        mid, score = chosen[p.id]
        runner_up = runners_up.get(p.id, 0.0)
        confident = score >= CONFIDENT_SCORE and score >= CONFIDENT_MARGIN * runner_up
        pairs.append(Pair(p.id, mid, round(score, 3), confident))
    return pairs


def resolve_links(report: Report, idf: Mapping[str, float] | None = None) -> ReportLinks:
    """Every problem's measures (explicit, or from the matcher) and every defect found."""
    links = ReportLinks()
    problem_ids = {p.id for p in report.problems}
    measures = {m.id: m for m in report.measures}
    links.explicit_mode = any(m.explicit and m.targets for m in report.measures)
    for item in report.items:
        for target in item.targets:
            if target == FEEDBACK or "#" in target:
                continue  # review feedback / other reports: checked across the archive
            if not LOCAL_TARGET.match(target) or target not in problem_ids:
                links.unknown.append((item.line, item.id, target))
    links.by_problem = {p.id: [] for p in report.problems}
    if links.explicit_mode:
        for m in report.measures:
            for target in m.targets:
                if target in problem_ids:
                    links.by_problem[target].append(LinkedMeasure(m.id, m.lead, "explicit", 1.0))
                    links.by_measure.setdefault(m.id, []).append(target)
    else:
        for pair in match_report(report, idf):
            m = measures[pair.measure_id]
            links.by_problem[pair.problem_id].append(LinkedMeasure(m.id, m.lead, "auto", pair.score, pair.confident))
            links.by_measure.setdefault(m.id, []).append(pair.problem_id)
    links.orphans = [m.id for m in report.measures if m.id not in links.by_measure]
    return links


# -- CLI: shuzhi links ------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="报告文件（.md）或目录")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")


def run(args: argparse.Namespace) -> int:
    from ..check.lint import collect

    files, missing = collect(args.files)
    errors = [f"shuzhi links: 找不到文件 {raw}" for raw in missing]
    for error in errors:
        print(error, file=sys.stderr)
    reports: list[Report] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            print(f"shuzhi links: {path} 无法按 UTF-8 读取，已跳过（可先用 shuzhi import 转换编码）。", file=sys.stderr)
            errors.append(str(path))
            continue
        reports.append(parse_report(text, str(path)))
    idf = archive_idf(reports)
    rows: list[dict[str, object]] = []
    for report in reports:
        links = resolve_links(report, idf)
        for problem in report.problems:
            rows.append(
                {
                    "path": report.path,
                    "problem_id": problem.id,
                    "problem": problem.lead,
                    "measures": [
                        {"id": m.id, "text": m.text, "source": m.source, "score": m.score}
                        for m in links.by_problem.get(problem.id, [])
                    ],
                }
            )
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['path']} {row['problem_id']} {row['problem']}")
            measures = row["measures"]
            assert isinstance(measures, list)
            if not measures:
                print("    → （无对应措施）")
            for m in measures:
                mark = "" if m["score"] >= CONFIDENT_SCORE else "，置信度低"
                how = "显式" if m["source"] == "explicit" else f"自动 {m['score']:.2f}{mark}"
                print(f"    → {m['id']} {m['text']}（{how}）")
    return 1 if errors else 0
