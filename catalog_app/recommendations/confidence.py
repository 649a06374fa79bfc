"""What a match's confidence means to the app: the bar, "strong match" and the e-mail floor.

The matching engine reports an absolute, calibrated confidence in [0, 1] for every match
(`matching.Match.confidence`): the same listing gets the same confidence for a demand
whatever else the catalog holds. So one threshold can tell a good match from noise, and
whether a supplier is e-mailed no longer depends on its competitors' listings.

- the bar and the percentages show ``round(confidence * 100)``;
- a match is *strong* from `STRONG_MATCH_CONFIDENCE` on (default: the engine's
  `RankingWeights.strong_match_confidence`); a demand whose best match is below it shows
  "暂无高度匹配的方案" and its results as weaker ones;
- recommendation e-mails need `email_min_confidence()`, never less than the strong threshold.

Only Flask's config is read here, so every feature (recommendations, notifications, stats,
the API) can share these rules without importing each other.
"""
from __future__ import annotations

from flask import current_app


def percent_of(confidence: float) -> int:
    """The 0-100 bar of a confidence (rounded; out-of-range values are clipped)."""
    return max(0, min(100, round(float(confidence) * 100)))


def strong_match_confidence() -> float:
    """The configured confidence from which a match is a strong match."""
    return float(current_app.config["STRONG_MATCH_CONFIDENCE"])


def email_min_confidence() -> float:
    """The confidence a match needs to be e-mailed: the configured floor, raised to the strong threshold."""
    configured = current_app.config["RECOMMENDATION_EMAIL_MIN_CONFIDENCE"]
    strong = strong_match_confidence()
    return strong if configured is None else max(float(configured), strong)


def is_strong(confidence: float) -> bool:
    return float(confidence) >= strong_match_confidence()
