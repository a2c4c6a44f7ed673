"""Recurring problems: clusters of similar problems across organisations and years.

Problems are jieba term vectors (lead sentence ×3, explanation ×1, stop words
removed) weighted by TF-IDF over all problems of the archive. Similar pairs are
found through an inverted index — only problems sharing a rare enough term are
ever compared (see :func:`similar_pairs`) — then joined single-link above a
threshold.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..match.ledger import ledger_terms
from ..match.links import build_idf, tfidf_vector
from ..model import ReportSummary
from ..model.ordinals import strip_ordinal

#: cosine similarity above which two problems are the same problem
THRESHOLD = 0.30


@dataclass(frozen=True)
class Member:
    ref: str
    problem_id: str
    org: str
    year: int | None
    lead: str


@dataclass(frozen=True)
class Cluster:
    """Problems that are about the same thing, in more than one report."""

    label: str  # the lead of the most central member
    terms: tuple[str, ...]  # the terms that hold the cluster together
    members: tuple[Member, ...]

    @property
    def orgs(self) -> tuple[str, ...]:
        return tuple(sorted({m.org for m in self.members if m.org}))

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({m.year for m in self.members if m.year is not None}))


def _vectors(counts: Sequence[Counter[str]]) -> tuple[list[dict[str, float]], Counter[str]]:
    """Unit TF-IDF vectors of the problems (the ledger's weighting) and each term's document frequency."""
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    idf = build_idf(counts)
    # a problem repeated word for word (year after year, unit after unit) has the same terms in the
    # same order: one vector, shared (nothing changes a vector once made)
    made: dict[tuple[tuple[str, int], ...], dict[str, float]] = {}
    vectors = []
    for c in counts:
        key = tuple(c.items())
        vector = made.get(key)
        if vector is None:
            vector = made[key] = tfidf_vector(c, idf)
        vectors.append(vector)
    return vectors, df


def similar_pairs(vectors: Sequence[Mapping[str, float]], df: Mapping[str, int], threshold: float) -> dict[tuple[int, int], float]:
    """(i, j) with i < j → cosine, for every pair at or above the threshold. Exact.

    Each vector probes the inverted index only with its rarer terms: its most
    common terms are set aside while their part of the (unit) vector has norm
    below the threshold, so by Cauchy–Schwarz a pair that reaches the threshold
    always shares one of the rarer terms. Common terms' long postings are
    therefore rarely walked.
    """
    index: dict[str, list[int]] = {}
    for i, vec in enumerate(vectors):
        for t in vec:
            index.setdefault(t, []).append(i)
    pairs: dict[tuple[int, int], float] = {}
    for i, vec in enumerate(vectors):
        probe: list[str] = []
        common = 0.0
        for t in sorted(vec, key=lambda t: (-df[t], t)):
            if math.sqrt(common + vec[t] ** 2) < threshold and not probe:
                common += vec[t] ** 2
            else:
                probe.append(t)
        candidates = {j for t in probe for j in index[t] if j != i}
        for j in candidates:
            key = (i, j) if i < j else (j, i)
            if key in pairs:
                continue
            other = vectors[j]
            score = round(sum(v * other.get(t, 0.0) for t, v in vec.items()), 3)
            if score >= threshold:
                pairs[key] = score
    return pairs


def find_clusters(
    summaries: Sequence[ReportSummary],
    threshold: float = THRESHOLD,
    terms: Mapping[tuple[str, str], Counter[str]] | None = None,
) -> list[Cluster]:
    """Clusters of similar problems spanning at least two reports, largest first.

    ``terms`` are the problems' :func:`~shuzhi.match.ledger.ledger_terms` if already
    computed (the Sphinx build stores them while reading).
    """
    terms = terms or {}
    members: list[Member] = []
    counts: list[Counter[str]] = []
    for s in summaries:
        for p in s.problems:
            members.append(Member(s.ref, p.id, s.org, s.year, p.lead))
            found = terms.get((s.ref, p.id))
            counts.append(found if found is not None else ledger_terms(p))
    # Identical problems (a phrase reused year after year, or across units) are one
    # vector: compare distinct vectors only, so the work does not grow with the
    # square of how often a problem is repeated.
    unique: dict[frozenset[tuple[str, int]], int] = {}
    of_member = [unique.setdefault(frozenset(c.items()), len(unique)) for c in counts]
    multiplicity = Counter(of_member)
    vectors, df = _vectors(counts)  # weights over every problem, repeats included
    first = {u: i for i, u in reversed(list(enumerate(of_member)))}
    vectors_u = [vectors[first[u]] for u in range(len(unique))]
    pairs = similar_pairs(vectors_u, df, threshold)
    parent = list(range(len(unique)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    same = 1.0 if threshold <= 1.0 else 0.0  # identical problems are similar at any threshold ≤ 1
    weight = [same * (multiplicity[u] - 1) for u in range(len(unique))]
    for (u, v), score in pairs.items():
        parent[find(u)] = find(v)
        weight[u] += score * multiplicity[v]
        weight[v] += score * multiplicity[u]
    centrality = [weight[u] for u in of_member]
    groups: dict[int, list[int]] = {}
    for i in range(len(members)):
        # above a threshold of 1 nothing is similar, not even a repeat
        key = find(of_member[i]) if same else -1 - i
        groups.setdefault(key, []).append(i)
    clusters = [
        _cluster(group, members, vectors, centrality)
        for group in groups.values()
        if len({members[i].ref for i in group}) >= 2
    ]
    clusters.sort(key=lambda c: (-len(c.members), -len(c.orgs), c.label))
    return clusters


def _cluster(group: list[int], members: list[Member], vectors: Sequence[Mapping[str, float]], centrality: list[float]) -> Cluster:
    """A group of similar problems labelled by its most central one, with the terms two or more share."""
    centre = max(group, key=lambda i: (centrality[i], -i))
    shared: Counter[str] = Counter()
    present: Counter[str] = Counter()  # in how many members each term is
    for i in group:
        shared.update(vectors[i])
        present.update(vectors[i].keys())
    held = [t for t, _ in shared.most_common() if present[t] >= 2]
    ordered = sorted(group, key=lambda i: (members[i].year or 0, members[i].org, members[i].ref, members[i].problem_id))
    return Cluster(label(members[centre].lead), tuple(held[:5]), tuple(members[i] for i in ordered))


def label(lead: str) -> str:
    """A problem's lead without its ordinal: 二是党建宣传力度有待加强 → 党建宣传力度有待加强."""
    return strip_ordinal(lead, runin=True) or lead
