"""Reading accuracy, measured: ``shuzhi eval DIR`` imports every case of an evaluation
corpus with the real importer and compares the result with its judged answer.

:func:`evaluate` returns an :class:`Evaluation`: per field and per form tag the
true/false positives and false negatives (so precision and recall), the body
characters lost, the false ``problem-unfixed`` alarms, and every failure
(case, field, expected, got). The corpus format and the matching rules are in
docs/accuracy.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cases import Case, CaseError, load_case, load_cases
from .score import FIELDS, CaseScore, Failure, Tally, score_case

__all__ = [
    "FIELDS",
    "Case",
    "CaseError",
    "CaseScore",
    "Evaluation",
    "Failure",
    "Tally",
    "evaluate",
    "load_case",
    "load_cases",
    "score_case",
]


@dataclass
class Evaluation:
    scores: list[CaseScore]
    errors: list[str] = field(default_factory=list)  # answer files that could not be used

    @property
    def fields(self) -> dict[str, Tally]:
        total = {name: Tally() for name in FIELDS}
        for score in self.scores:
            for name, tally in score.tallies.items():
                total[name].add(tally)
        return total

    @property
    def forms(self) -> dict[str, tuple[int, Tally]]:
        """Form tag → (number of cases, all fields' tallies of those cases added up)."""
        out: dict[str, tuple[int, Tally]] = {}
        for score in self.scores:
            for form in score.case.forms:
                count, tally = out.get(form, (0, Tally()))
                for t in score.tallies.values():
                    tally.add(t)
                out[form] = (count + 1, tally)
        return dict(sorted(out.items()))

    @property
    def failures(self) -> list[Failure]:
        return [f for score in self.scores for f in score.failures]

    @property
    def body_loss(self) -> int:
        return sum(score.body_loss for score in self.scores)

    @property
    def problems(self) -> int:
        return sum(len(score.case.problems) for score in self.scores)

    @property
    def unfixed_false(self) -> int:
        return sum(score.unfixed_false for score in self.scores)

    @property
    def unfixed_false_rate(self) -> float:
        return self.unfixed_false / self.problems if self.problems else 0.0


def evaluate(folder: Path) -> Evaluation:
    """Score every case of a folder."""
    cases, errors = load_cases(folder)
    return Evaluation([score_case(case) for case in cases], errors)
