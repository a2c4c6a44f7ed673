"""Scoring one imported case against its judged answer, field by field.

Every field gives true positives, false positives and false negatives (a
:class:`Tally`), so precision and recall add up across cases the same way for
every field. Single-valued fields (title, year, org, kind): a right value
(including a rightly empty one) is a true positive, a wrong or unexpected value
a false positive, a wrong or missing one a false negative. Lists (sections,
problems, measures, pairs, removed, findings) are matched item by item; see
docs/accuracy.md for each field's rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..model import Item, plain
from ..model.ordinals import lead_ordinal
from ..read import ImportFailure, ImportResult, import_file, significant
from ..read.clean import DUPLICATE_TITLE, normalise
from ..read.decode import read_source
from .cases import Case

FIELDS = ("title", "year", "org", "kind", "sections", "problems", "measures", "pairs", "removed", "body", "findings")
#: codes judged in every case: a case that does not list them must not yield them
ALWAYS_JUDGED = frozenset({"truncated", "watermark", "problem-unfixed"})
_PARTY_SUFFIX = re.compile(r"(机关党委|机关党总支|机关党支部|党工委|党总支|党支部|党组织|党组|党委|总支|支部)$")
_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_HEAD_TRAIL = "。.：:；;，, "
MIN_RUN = 4
#: 6.2020年工作打算: an ordinal written against a year (lead_ordinal reads 6.2 as a decimal)
_GLUED_ORDINAL = re.compile(r"^[0-9０-９]{1,2}[.．、](?=(?:19|20)[0-9]{2}年)")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass(frozen=True)
class Failure:
    case: str
    field: str
    expected: str
    got: str


@dataclass
class CaseScore:
    case: Case
    tallies: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FIELDS})
    failures: list[Failure] = field(default_factory=list)
    body_loss: int = 0  # characters of report text missing from the output
    unfixed_false: int = 0  # problem-unfixed findings on problems the answer pairs with a measure
    error: str = ""

    def fail(self, name: str, expected: str, got: str, *, fp: int = 0, fn: int = 0) -> None:
        self.tallies[name].fp += fp
        self.tallies[name].fn += fn
        self.failures.append(Failure(self.case.name, name, expected, got))


def squash(text: str) -> str:
    """Text without whitespace or invisible characters: what comparisons are made on."""
    return significant(text)


def output_text(markdown: str) -> str:
    """The text a reader sees in the output's body (no front matter, markup, markers, comments)."""
    lines = markdown.split("\n")
    if lines and lines[0] == "---" and "---" in lines[1:]:
        lines = lines[lines.index("---", 1) + 1 :]
    return "\n".join(plain(_HEADING_MARK.sub("", ln)) for ln in lines if not ln.startswith("%"))


def score_case(case: Case) -> CaseScore:
    score = CaseScore(case)
    try:
        result = import_file(case.source, case.source.name)
    except ImportFailure as exc:
        score.error = str(exc)
        for name in FIELDS:
            score.fail(name, "（可导入）", f"导入失败：{exc}", fn=1)
        return score
    _scalars(score, result)
    _sections(score, result)
    problems = _items(score, "problems", case.problems, result.report.problems)
    measures = _items(score, "measures", case.measures, result.report.measures)
    _pairs(score, result, problems, measures)
    _removed(score, result)
    _findings(score, result, problems)
    return score


# -- single values ------------------------------------------------------------------------


def _org_key(org: str) -> str:
    """青禾镇党委 and 青禾镇 name the same unit: the party body after the unit is not compared."""
    return _PARTY_SUFFIX.sub("", squash(org)) if org else ""


def _scalar(score: CaseScore, name: str, expected: object, got: object, same: bool) -> None:
    if same:
        score.tallies[name].tp += 1
        return
    score.fail(name, str(expected) if expected is not None else "（未写明）", str(got) if got not in (None, "") else "（空）",
               fp=int(got not in (None, "")), fn=int(expected is not None))


def _scalars(score: CaseScore, result: ImportResult) -> None:
    case, meta = score.case, result.meta
    title = str(meta.title.value or "")
    _scalar(score, "title", case.title, title, squash(case.title or "") == squash(title))
    year = meta.year.value if isinstance(meta.year.value, int) else None
    _scalar(score, "year", case.year, year, case.year == year)
    org = str(meta.org.value or "")
    _scalar(score, "org", case.org, org, _org_key(case.org or "") == _org_key(org))
    kind = "其他" if meta.other_kind else str(meta.kind.value or "")
    _scalar(score, "kind", case.kind, kind, (case.kind or "") == kind)


# -- sections -----------------------------------------------------------------------------


def heading_key(title: str) -> str:
    """A heading compared without its ordinal, final punctuation and spaces."""
    text = _GLUED_ORDINAL.sub("", squash(title))
    ordinal = lead_ordinal(text)
    if ordinal is not None:
        text = text[len(ordinal.text) :]
    return text.rstrip(_HEAD_TRAIL)


def _sections(score: CaseScore, result: ImportResult) -> None:
    got = [(heading_key(s.title), frozenset(s.canonical), s.title) for s in result.report.top_sections]
    used: set[int] = set()
    start = 0
    tally = score.tallies["sections"]
    for want in score.case.sections:
        key, canon = heading_key(want.heading), frozenset(want.canonical)
        hit = next((k for k in range(start, len(got)) if k not in used and got[k][0] == key), None)
        if hit is None:
            score.fail("sections", f"{want.heading} → {'、'.join(want.canonical) or '（无）'}", "（没有这个一级标题）", fn=1)
            continue
        used.add(hit)
        start = hit + 1
        if got[hit][1] == canon:
            tally.tp += 1
        else:
            score.fail("sections", f"{want.heading} → {'、'.join(want.canonical) or '（无）'}",
                       f"{got[hit][2]} → {'、'.join(sorted(got[hit][1])) or '（无）'}", fp=1, fn=1)
    for k, (_key, canon, title) in enumerate(got):
        if k not in used:
            score.fail("sections", "（不是一级标题）", f"{title} → {'、'.join(sorted(canon)) or '（无）'}", fp=1)


# -- items and pairs ------------------------------------------------------------------------


def _items(score: CaseScore, name: str, expected: list[str], got: list[Item]) -> dict[int, str]:
    """Match answer substrings to the model's items: answer index (1-based) → item id."""
    found: dict[int, str] = {}
    used: set[str] = set()
    texts = [(item.id, squash(item.text), item.lead) for item in got]
    for k, sub in enumerate(expected, 1):
        needle = squash(sub)
        hit = next((iid for iid, text, _ in texts if iid not in used and needle in text), None)
        if hit is None:
            score.fail(name, sub, "（未识别为条目）", fn=1)
            continue
        used.add(hit)
        found[k] = hit
        score.tallies[name].tp += 1
    for iid, _text, lead in texts:
        if iid not in used:
            score.fail(name, "（不是条目）", f"{iid} {lead}", fp=1)
    return found


def model_pairs(result: ImportResult) -> set[tuple[str, str]]:
    """(problem id, measure id) as the report's links resolve them (explicit markers or matcher)."""
    from ..match.links import resolve_links

    links = resolve_links(result.report)
    return {(pid, m.id) for pid, measures in links.by_problem.items() for m in measures}


def _pairs(score: CaseScore, result: ImportResult, problems: dict[int, str], measures: dict[int, str]) -> None:
    got = model_pairs(result)
    p_back = {v: k for k, v in problems.items()}
    m_back = {v: k for k, v in measures.items()}
    want = set(score.case.pairs)
    tally = score.tallies["pairs"]
    seen: set[tuple[int, int]] = set()
    for pid, mid in sorted(got):
        pair = (p_back.get(pid), m_back.get(mid))
        if pair[0] is not None and pair[1] is not None and pair in want:
            tally.tp += 1
            seen.add(pair)
        else:
            shown = f"[{pair[0] or pid}, {pair[1] or mid}]"
            score.fail("pairs", "（不应配对）", shown, fp=1)
    for p, m in sorted(want - seen):
        score.fail("pairs", f"[{p}, {m}] {score.case.problems[p - 1]} ← {score.case.measures[m - 1]}",
                   "（未配对）", fn=1)


# -- removed text and body loss ---------------------------------------------------------------


def _judged_removal(score: CaseScore, text: str, reason: str) -> bool:
    piece = squash(text)
    if reason == DUPLICATE_TITLE:
        return True
    return any(squash(a) and (squash(a) in piece or piece in squash(a)) for a in score.case.removed)


def _removed(score: CaseScore, result: ImportResult) -> None:
    out = squash(output_text(result.markdown))
    title = squash(score.case.title or "")
    tally = score.tallies["removed"]
    for piece in score.case.removed:
        needle = squash(piece)
        left = out.count(needle) if needle else 0
        if left <= (1 if needle and needle in title else 0):
            tally.tp += 1
        else:
            score.fail("removed", f"删除「{piece}」", "仍在输出中", fn=1)
    for r in result.removed:
        if not _judged_removal(score, r.text, r.reason):
            score.fail("removed", "（正文，应保留）", f"第 {r.line} 行被删除：{r.text}", fp=1)
    _body_loss(score, result, out)


def _body_loss(score: CaseScore, result: ImportResult, out: str) -> None:
    source = read_source(score.case.source)
    lines = normalise(source.text).split("\n")
    for r in result.removed:
        if not _judged_removal(score, r.text, r.reason) or not 0 < r.line <= len(lines):
            continue
        i = r.line - 1
        lines[i] = "" if r.whole_line and lines[i].strip() == r.text else lines[i].replace(r.text, "", 1)
    lines = source.fill("\n".join(lines)).split("\n")  # a Word table or footnote: its text, not its placeholder
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(out)
    lost = 0
    for number, line in enumerate(lines, 1):
        want = squash(line)
        if not want or want in out:
            continue
        matcher.set_seq1(want)
        # runs shorter than MIN_RUN found elsewhere in the output are coincidences, not the line
        missing = len(want) - sum(b.size for b in matcher.get_matching_blocks() if b.size >= MIN_RUN)
        if missing:
            lost += missing
            score.failures.append(Failure(score.case.name, "body", f"第 {number} 行应保留", f"缺 {missing} 字：{line.strip()[:40]}"))
    score.body_loss = lost
    score.tallies["body"].tp += int(lost == 0)
    score.tallies["body"].fn += int(lost > 0)


# -- findings ----------------------------------------------------------------------------------


def _findings(score: CaseScore, result: ImportResult, problems: dict[int, str]) -> None:
    from ..check import check_report

    findings = check_report(result.report)
    got = {f.code for f in findings}
    want = set(score.case.findings)
    paired = {p for p, _m in score.case.pairs}
    if any(k not in paired for k in range(1, len(score.case.problems) + 1)):
        want.add("problem-unfixed")  # the answer leaves a problem without a measure
    judged = want | ALWAYS_JUDGED
    tally = score.tallies["findings"]
    for code in sorted(want):
        if code in got:
            tally.tp += 1
        else:
            score.fail("findings", code, "（没有报告）", fn=1)
    for code in sorted((got & judged) - want):
        lines = "、".join(str(f.line) for f in findings if f.code == code)
        score.fail("findings", "（不应报告）", f"{code}（输出第 {lines} 行）", fp=1)
    by_line = {item.line: item.id for item in result.report.problems}
    p_back = {v: k for k, v in problems.items()}
    for f in findings:
        if f.code == "problem-unfixed":
            k = p_back.get(by_line.get(f.line, ""))
            if k is not None and k in paired:
                score.unfixed_false += 1
