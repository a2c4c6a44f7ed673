"""Problem ↔ measure links: explicit markers first, the matcher where there are none.

A report is in *explicit mode* when any of its measures carries a marker with
targets (``【M2→P2】``) — as every imported report does, so a human reviews the
pairing in the diff. Otherwise the matcher pairs problems and measures by what
they are about: jieba words with the domain dictionary, TF-IDF weights over the
archive (or over the report itself), cosine similarity, and a greedy global
assignment over all pairs (best pairs first), so neither list's order matters.

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
from pathlib import Path

from .model import FEEDBACK, Item, Report, parse_report
from .segment import words

STOPWORDS_PATH = Path(__file__).parent / "data" / "stopwords.txt"
#: below this similarity the matcher does not pair at all
MIN_SCORE = 0.06
#: below this the pair is shown as low confidence
CONFIDENT_SCORE = 0.18
_LOCAL_TARGET = re.compile(r"^[PMR][0-9]{1,5}$")


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


@lru_cache(maxsize=8192)
def _terms(text: str) -> tuple[str, ...]:
    stop = stopwords()
    return tuple(w for w in words(text) if w not in stop)


def item_terms(item: Item) -> Counter[str]:
    """Terms of an item: its lead sentence counts three times, the rest once."""
    counts: Counter[str] = Counter()
    lead = item.lead
    for term in _terms(lead):
        counts[term] += 3
    rest = item.text[len(lead) :] if item.text.startswith(lead) else item.text
    for term in _terms(rest[:400]):
        counts[term] += 1
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


def _vector(counts: Counter[str], idf: Mapping[str, float], default: float) -> dict[str, float]:
    vec = {t: (1 + math.log(c)) * idf.get(t, default) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def similarity_matrix(
    problems: list[Item], measures: list[Item], idf: Mapping[str, float] | None = None
) -> dict[tuple[str, str], float]:
    """Cosine similarity of every problem–measure pair sharing a term."""
    if idf is None:
        idf = build_idf(item_terms(i) for i in problems + measures)
    default = max(idf.values(), default=1.0)
    pvecs = {p.id: _vector(item_terms(p), idf, default) for p in problems}
    index: dict[str, list[tuple[str, float]]] = {}
    for m in measures:
        for term, weight in _vector(item_terms(m), idf, default).items():
            index.setdefault(term, []).append((m.id, weight))
    scores: dict[tuple[str, str], float] = {}
    for pid, vec in pvecs.items():
        for term, weight in vec.items():
            for mid, mweight in index.get(term, ()):
                scores[(pid, mid)] = scores.get((pid, mid), 0.0) + weight * mweight
    return scores


def match_report(report: Report, idf: Mapping[str, float] | None = None) -> list[Pair]:
    """Pair the report's problems with its measures, whatever their order."""
    problems, measures = report.problems, report.measures
    if not problems or not measures:
        return []
    scores = similarity_matrix(problems, measures, idf)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best: dict[str, float] = {}
    for (pid, _mid), score in ranked:
        best.setdefault(pid, score)
    chosen: dict[str, tuple[str, float]] = {}
    used: set[str] = set()
    # one-to-one first, best pairs first …
    for (pid, mid), score in ranked:
        if score < MIN_SCORE or pid in chosen or mid in used:
            continue
        chosen[pid] = (mid, score)
        used.add(mid)
    # … then problems left over may share a measure that clearly answers them
    for (pid, mid), score in ranked:
        if pid not in chosen and score >= MIN_SCORE:
            chosen[pid] = (mid, score)
    order = {p.id: k for k, p in enumerate(problems)}
    pairs = []
    for pid, (mid, score) in sorted(chosen.items(), key=lambda kv: order[kv[0]]):
        runner_up = max((s for (p, m), s in scores.items() if p == pid and m != mid), default=0.0)
        confident = score >= CONFIDENT_SCORE and score >= 1.2 * runner_up
        pairs.append(Pair(pid, mid, round(score, 3), confident))
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
            if not _LOCAL_TARGET.match(target) or target not in problem_ids:
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
            links.by_problem[pair.problem_id].append(
                LinkedMeasure(m.id, m.lead, "auto", pair.score, pair.confident)
            )
            links.by_measure.setdefault(m.id, []).append(pair.problem_id)
    links.orphans = [m.id for m in report.measures if m.id not in links.by_measure]
    return links


# -- CLI: shuzhi links ------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="报告文件（.md）或目录")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")


def _collect(paths: list[str]) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    errors: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.md")))
        elif path.is_file():
            files.append(path)
        else:
            errors.append(f"shuzhi links: 找不到文件 {raw}")
    return files, errors


def run(args: argparse.Namespace) -> int:
    files, errors = _collect(args.files)
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
