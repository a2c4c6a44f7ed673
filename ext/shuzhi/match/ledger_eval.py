"""How well the ledger reads a multi-year series, against a judged answer file.

``tests/corpus/series/`` holds reports of several units over two or three years
and ``answers.yaml``, judged by hand: every problem's status, its follow-up item
and the recurrences. :func:`evaluate` builds the ledger of the series exactly as
``shuzhi ledger`` does and compares. The thresholds of :mod:`shuzhi.match.ledger`
were calibrated on it; tests/test_ledger_series.py pins the figures as floors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .ledger import Ledger


@dataclass(frozen=True)
class Figures:
    statuses: int  # problems judged (those with a later report: the others are 待跟进 by construction)
    statuses_right: int
    follow_ups: int
    follow_ups_right: int
    recurrences: int  # judged pairs
    recurrences_found: int  # judged pairs the ledger found
    recurrences_flagged: int  # pairs the ledger flagged
    failures: tuple[str, ...] = field(default=())

    @property
    def status_accuracy(self) -> float:
        return self.statuses_right / self.statuses if self.statuses else 1.0

    @property
    def follow_up_accuracy(self) -> float:
        return self.follow_ups_right / self.follow_ups if self.follow_ups else 1.0

    @property
    def recurrence_recall(self) -> float:
        return self.recurrences_found / self.recurrences if self.recurrences else 1.0

    @property
    def recurrence_false(self) -> float:
        """Share of the flagged pairs that the judge did not list."""
        wrong = self.recurrences_flagged - self.recurrences_found
        return wrong / self.recurrences_flagged if self.recurrences_flagged else 0.0

    def table(self) -> str:
        return "\n".join([
            f"整改状态正确：{self.statuses_right}/{self.statuses}（{self.status_accuracy:.1%}）",
            f"跟进条目正确：{self.follow_ups_right}/{self.follow_ups}（{self.follow_up_accuracy:.1%}）",
            f"复现找到：{self.recurrences_found}/{self.recurrences}（{self.recurrence_recall:.1%}），"
            f"误报 {self.recurrences_flagged - self.recurrences_found}/{self.recurrences_flagged}（{self.recurrence_false:.1%}）",
            *self.failures,
        ])


def evaluate(folder: Path, ledger: Ledger | None = None) -> Figures:
    """Compare the ledger of ``folder/reports`` (with ``folder/shuzhi.yaml``) with ``folder/answers.yaml``."""
    if ledger is None:
        from .ledger_command import load_ledger

        ledger = load_ledger([folder / "reports"], folder)
    answers = yaml.safe_load((folder / "answers.yaml").read_text(encoding="utf-8"))
    want_status: dict[str, str] = answers["statuses"]
    want_follow: dict[str, str] = answers.get("follow_ups") or {}
    want_pairs = {(a, b) for a, b in answers.get("recurrences") or []}
    failures: list[str] = []
    judged = right = follow_total = follow_right = 0
    flagged: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for e in ledger.entries:
        key = f"{e.ref}#{e.problem_id}"
        seen.add(key)
        flagged |= {(key, f"{r.ref}#{r.item_id}") for r in e.recurs_in}
        want = want_status.get(key)
        if want is None:
            failures.append(f"未判定：{key}")
            continue
        if want != "awaiting":
            judged += 1
            right += e.status == want
            if e.status != want:
                failures.append(f"状态：{key} 应为 {want}，得到 {e.status}（{e.sentence or '无跟进'}）")
        got = f"{e.rectified_by[0].ref}#{e.rectified_by[0].item_id}" if e.rectified_by else None
        if key in want_follow or got is not None:
            follow_total += 1
            follow_right += got == want_follow.get(key)
            if got != want_follow.get(key):
                failures.append(f"跟进：{key} 应为 {want_follow.get(key)}，得到 {got}")
    failures += [f"答案中的问题不在台账中：{k}" for k in sorted(set(want_status) - seen)]
    failures += [f"漏报复现：{a} → {b}" for a, b in sorted(want_pairs - flagged)]
    failures += [f"误报复现：{a} → {b}" for a, b in sorted(flagged - want_pairs)]
    return Figures(judged, right, follow_total, follow_right,
                   len(want_pairs), len(want_pairs & flagged), len(flagged), tuple(failures))
