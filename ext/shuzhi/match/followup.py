"""What a follow-up says of a problem: 已整改, 整改中, 未整改, or 待核实.

A follow-up is the rectification item (整改落实) of a later report that answers a
problem. Its status is read from its own words, with the vocabulary of
``data/followup.yaml``: at each position the longest phrase wins (尚未完全整改到位
is 尚未完全, not 整改到位), and a 已整改 phrase right after a negation (并非全部完成,
没有完全整改到位) counts as 整改中. Nothing decisive: 待核实, with the sentence quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .. import DATA_DIR

RULES_PATH = DATA_DIR / "followup.yaml"
#: status codes the words decide, in the vocabulary file's order
WORD_STATUSES = ("rectified", "in-progress", "not-rectified")
UNCLEAR = "unclear"
# sentence ends, and the punctuation a negation may not reach across
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_PUNCT = re.compile(r"[，,。！？!?；;：:、]")


@dataclass(frozen=True)
class Rules:
    phrases: tuple[tuple[str, str], ...]  # (phrase, status), longest first
    negations: tuple[str, ...]
    gap: int
    labels: dict[str, str]


@dataclass(frozen=True)
class Verdict:
    status: str  # rectified | in-progress | not-rectified | unclear
    sentence: str  # the sentence that decided (or the first one, when unclear)
    phrases: tuple[str, ...] = ()  # what was found, in order (a negated phrase as 并非…全部完成)


def load_rules(path: Path = RULES_PATH) -> Rules:
    """The vocabulary; a malformed file is a ValueError in Chinese naming what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: 无法读取整改状态词表：{exc}") from None
    statuses = data.get("statuses") if isinstance(data, dict) else None
    if not isinstance(statuses, dict) or set(statuses) != set(WORD_STATUSES):
        raise ValueError(f"{path}: statuses 应恰好包含 {'、'.join(WORD_STATUSES)} 三类。")
    phrases: dict[str, str] = {}
    labels: dict[str, str] = {}
    for status in WORD_STATUSES:
        entry = statuses[status]
        if not isinstance(entry, dict) or not isinstance(entry.get("phrases"), list):
            raise ValueError(f"{path}: statuses.{status} 应有 label 和 phrases（说法列表）。")
        labels[status] = str(entry.get("label", status))
        for phrase in entry["phrases"]:
            phrase = str(phrase).strip()
            if phrase in phrases and phrases[phrase] != status:
                raise ValueError(f"{path}: 说法「{phrase}」同时列在 {phrases[phrase]} 和 {status} 中，请只保留一处。")
            if phrase:
                phrases[phrase] = status
    negations = tuple(sorted((str(n) for n in data.get("negations", ())), key=len, reverse=True))
    gap = data.get("negation_gap", 3)
    if not isinstance(gap, int) or gap < 0:
        raise ValueError(f"{path}: negation_gap 应为非负整数。")
    ordered = tuple(sorted(phrases.items(), key=lambda kv: (-len(kv[0]), kv[0])))
    return Rules(ordered, negations, gap, labels)


@lru_cache(maxsize=1)
def rules() -> Rules:
    return load_rules()


def _matches(sentence: str, r: Rules) -> list[tuple[int, str, str]]:
    """(position, phrase, status) found in the sentence: longest first, never overlapping."""
    taken = [False] * len(sentence)
    found: list[tuple[int, str, str]] = []
    for phrase, status in r.phrases:
        start = sentence.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.append((start, phrase, status))
            start = sentence.find(phrase, start + 1)
    return sorted(found)


def _negated(sentence: str, start: int, r: Rules) -> str | None:
    """The negation governing a phrase at ``start`` (within the gap, not across punctuation)."""
    before = sentence[max(0, start - r.gap - 2) : start]
    for k in range(len(before)):
        tail = before[k:]
        for neg in r.negations:
            if tail.startswith(neg) and len(tail) - len(neg) <= r.gap and not _PUNCT.search(tail):
                return neg
    return None


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _judge(found: list[str]) -> str:
    kinds = set(found)
    if "in-progress" in kinds or {"rectified", "not-rectified"} <= kinds:
        return "in-progress"
    if "not-rectified" in kinds:
        return "not-rectified"
    return "rectified" if "rectified" in kinds else UNCLEAR


def classify(text: str, r: Rules | None = None) -> Verdict:
    """The status a follow-up's own words give, and the sentence that says so."""
    r = r or rules()
    statuses: list[str] = []
    phrases: list[str] = []
    deciding: dict[str, str] = {}
    parts = sentences(text)
    for sentence in parts:
        for start, phrase, status in _matches(sentence, r):
            neg = _negated(sentence, start, r) if status == "rectified" else None
            if neg is not None:
                status, phrase = "in-progress", f"{neg}…{phrase}"
            statuses.append(status)
            phrases.append(phrase)
            deciding.setdefault(status, sentence)
    status = _judge(statuses)
    sentence = deciding.get(status) or deciding.get("not-rectified") or (parts[0] if parts else text.strip())
    return Verdict(status, sentence, tuple(phrases))


__all__ = ["RULES_PATH", "Rules", "UNCLEAR", "Verdict", "WORD_STATUSES", "classify", "load_rules", "rules", "sentences"]
