"""The event's published criteria ("技术可行性 | 30", one per line) and weighted totals.

Parsed in one place so that the scoring sheet, the stored totals and the rankings all read
the criteria the same way. No database and no Flask here: tests call these directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SCORE_MIN = 0
SCORE_MAX = 10
# "|" or the full-width "｜" a Chinese input method types; the weight may end in "%".
_LINE = re.compile(r"^(?P<name>[^|｜]+?)\s*(?:[|｜]\s*(?P<weight>[^|｜]*?)\s*%?\s*)?$")
_NAME_MAX = 60


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float


def parse_criteria(text: str | None) -> list[Criterion]:
    """The criteria in the order written.

    A line without a weight counts 1; a line whose weight is not a positive number is left
    out rather than guessed (the organiser sees the parsed list on the round page). Repeated
    names keep the first line: scores are stored by name, so two rows with one name would
    share one score.
    """
    criteria: list[Criterion] = []
    seen: set[str] = set()
    for raw_line in (text or "").splitlines():
        line = raw_line.strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            continue
        name = match.group("name").strip()[:_NAME_MAX]
        weight_text = match.group("weight")
        try:
            weight = 1.0 if weight_text is None or weight_text == "" else float(weight_text)
        except ValueError:
            continue
        if not name or name in seen or not (weight > 0) or weight == float("inf"):
            continue
        seen.add(name)
        criteria.append(Criterion(name=name, weight=weight))
    return criteria


def clean_scores(criteria: list[Criterion], raw: dict) -> dict[str, int]:
    """One whole score 0-10 per criterion, or ValueError naming the first criterion missing
    or out of range. Keys that are not criteria are dropped."""
    scores: dict[str, int] = {}
    for criterion in criteria:
        value = raw.get(criterion.name)
        if isinstance(value, str):
            value = value.strip()
            value = int(value) if value.isascii() and value.isdigit() else None
        if isinstance(value, bool) or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            raise ValueError(criterion.name)
        scores[criterion.name] = value
    return scores


def weighted_total(criteria: list[Criterion], scores: dict[str, int]) -> float:
    """0-100: each criterion's score out of 10, weighted by its share of the total weight.

    Weights need not add up to 100: "30, 30, 40" and "3, 3, 4" give the same totals.
    """
    weight_sum = sum(criterion.weight for criterion in criteria)
    if weight_sum <= 0:
        return 0.0
    points = sum(criterion.weight * scores.get(criterion.name, 0) for criterion in criteria)
    return round(points / weight_sum * (100 / SCORE_MAX), 2)
