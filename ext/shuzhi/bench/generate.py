"""A synthetic archive for benchmarks: N realistic reports varied from the sample ones.

Each report keeps the structure of a sample report (sections, problems, measures
with their link markers), is given an organisation and a year from an
organisations × years grid, has its body padded with paragraphs from the other
samples to a realistic 8–13 KB, and — from its organisation's second year on —
an 整改落实 section that refers to last year's problems, so the ledger has work
to do. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Report, parse_report

UNITS = [
    "发改委", "财政局", "教育局", "卫健委", "民政局", "司法局", "人社局", "自然资源局", "生态环境局", "住建局",
    "交通运输局", "水务局", "农业农村局", "商务局", "文旅局", "应急管理局", "审计局", "市场监管局", "统计局", "医保局",
    "城管局", "政务服务局", "科技局", "工信局", "公安分局", "税务局", "退役军人事务局", "信访局", "档案馆", "机关事务局",
]
PLACES = ["东城区", "西城区", "南湖区", "北山区", "高新区", "滨江区", "临港区", "秀水县", "青山县", "白云区"]
KINDS = ["述职报告", "述责述廉报告", "工作总结"]
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_TITLE = re.compile(r"^# .*$", re.M)
_MARKERS = re.compile(r"【([PMR][0-9]+)(→[^】]*)?】")


@dataclass(frozen=True)
class Sample:
    body: str  # the report without front matter and title
    paragraphs: tuple[str, ...]
    problems: int


def load_samples(folder: Path) -> list[Sample]:
    samples = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        report = parse_report(text, str(path))
        if not report.problems:
            continue
        body = _TITLE.sub("", _FRONT.sub("", text), count=1).strip()
        # drop cross-report references: the generator writes its own
        body = re.sub(r"【(R[0-9]+)→[^】]*】", r"【\1】", body)
        paragraphs = tuple(b.text for b in report.blocks if b.kind == "paragraph" and len(b.text) > 120 and "【" not in b.text)
        samples.append(Sample(body, paragraphs, len(report.problems)))
    if not samples:
        raise ValueError(f"{folder} 中没有列有问题的报告，无法生成基准测试档案。")
    return samples


def org_name(index: int) -> str:
    return PLACES[(index // len(UNITS)) % len(PLACES)] + UNITS[index % len(UNITS)]


def generate(samples: list[Sample], n: int, out: Path, seed: int = 1, years: int = 5) -> list[Path]:
    """Write ``n`` reports into ``out/<year>/org<k>.md``; return their paths."""
    rng = random.Random(seed)
    n_orgs = max(1, -(-n // years))
    written: list[Path] = []
    prev_problems: dict[int, tuple[str, int]] = {}
    pool = [p for s in samples for p in s.paragraphs]
    for i in range(n):
        org_index, year_offset = i % n_orgs, i // n_orgs
        year = 2019 + year_offset
        sample = samples[(org_index + year_offset) % len(samples)]
        kind = KINDS[org_index % len(KINDS)]
        org = org_name(org_index)
        slug = f"org{org_index:04d}"
        title = f"{org}{year}年度党建工作总结" if kind == "工作总结" else f"{org}党组书记{year}年抓基层党建工作{kind}"
        body = sample.body
        target = rng.randint(8000, 13000)
        extra: list[str] = []
        while len((body + "".join(extra)).encode("utf-8")) < target and pool:
            extra.append(rng.choice(pool))
        if extra:
            # padding goes into the first (work) section, before the problems
            head, sep, rest = body.partition("\n## ")
            second = rest.find("\n## ")
            if sep and second > 0:
                body = head + sep + rest[:second] + "\n\n" + "\n\n".join(extra) + rest[second:]
            else:
                body = body + "\n\n" + "\n\n".join(extra)
        rect = ""
        if org_index in prev_problems:
            prev_ref, count = prev_problems[org_index]
            entries = [f"【R{k}→{prev_ref}#P{k}】{_cn(k)}是针对上年问题{k}，已制定整改方案并完成整改。" for k in range(1, count + 1)]
            rect = "## 上年问题整改落实情况\n\n" + "\n\n".join(entries) + "\n\n"
            body = re.sub(r"^## .*整改.*\n(?:(?!^## ).*\n?)*", "", body, flags=re.M)
        front = (
            f"---\ntitle: {title}\nyear: {year}\norg: {org}\nauthor: 党组书记\nkind: {kind}\nstatus: final\n"
            f"tags: [基准测试]\n---\n\n# {title}\n\n"
        )
        path = out / str(year) / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front + rect + body.strip() + "\n", encoding="utf-8")
        written.append(path)
        prev_problems[org_index] = (f"{year}/{slug}", sample.problems)
    return written


def _cn(k: int) -> str:
    from ..model.ordinals import int_to_cn

    return int_to_cn(k)


def edit_one(path: Path, marker: str) -> None:
    """Change one report the way an editor would: retitle it and reword its first problem."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)}（{marker}）", text, count=1, flags=re.M)
    text = text.replace("【P1】", f"【P1】{marker}", 1)
    path.write_text(text, encoding="utf-8")


def sample_report(paths: list[Path]) -> Report:
    return parse_report(paths[0].read_text(encoding="utf-8"), str(paths[0]))
