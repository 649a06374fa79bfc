"""The demand-quality check: how complete and specific a demand is, before a moderator sees it.

A pure function over the values of the form (no database, no request): the editor's
sidebar, the JSON preview and `submit_demand` all call `assess_demand`, so the score a
person sees while typing is the score the submission is judged by. Suppliers answer
demands that name a scenario, describe today's process, say what data exists and state
acceptance criteria with numbers; "智能化" or "降本增效" without a figure tells them nothing.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Optional, Protocol, Sequence

from flask_babel import lazy_gettext as _l

# Below this score a submission asks the author to confirm before it goes to review.
QUALITY_THRESHOLD = 60

OK, VAGUE, MISSING = "ok", "vague", "missing"
STATE_LABELS = {OK: _l("done"), VAGUE: _l("vague"), MISSING: _l("missing")}

# Words that promise an effect without saying how much (flagged only in a sentence without a figure).
VAGUE_WORDS = (
    "智能化", "数字化转型", "降本增效", "提质增效", "提升效率", "提高效率", "提升质量", "提高质量",
    "降低成本", "大幅提升", "大幅降低", "显著提升", "显著提高", "全面提升", "赋能", "智慧化",
    "一流", "先进水平", "更加高效", "更加智能", "improve efficiency", "reduce costs", "intelligent",
    "state of the art", "world-class", "significantly",
)

_NUMBER = r"\d+(?:[.,]\d+)?"
# Longer units first, so "万元" wins over "万" and "ms" over "m".
_UNITS = (
    r"%|‰|ppm|万元|亿元|元|万件|万|亿|毫秒|ms|秒|s(?![a-z])|分钟|min(?![a-z])|小时|h(?![a-z])|天|日|周|"
    r"个月|月|年|班|件|个|台|套|次|张|条|人|工位|吨|t(?![a-z])|千克|公斤|kg|克|g(?![a-z])|微米|μm|um|毫米|mm|"
    r"厘米|cm|米|m(?![a-z])|nm|kwh|kw|度|℃|°c|dpi|fps|帧|像素|mp(?![a-z])|gb|tb|倍|hz|pcs|days?|hours?|"
    r"minutes?|seconds?|weeks?|months?|years?"
)
_COMPARATORS = r"≥|≤|<|>|=|不低于|不高于|不超过|不少于|不大于|不小于|低于|高于|小于|大于|达到|以内|以上|至少|at least|at most"
QUANTITY = re.compile(rf"(?:(?:{_COMPARATORS})\s*{_NUMBER}(?:\s*(?:{_UNITS}))?)|(?:{_NUMBER}\s*(?:{_UNITS}))",
                      re.IGNORECASE)
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+|\.(?=\s|$)")


class DemandValues(Protocol):
    """What the check reads; `services.DemandInput` (built by the form) provides it."""

    title: str
    summary: str
    background: str
    requirements: str
    expected_outcomes: str
    data_available: str
    scenario_ids: Sequence[int]
    budget_min: Optional[int]
    budget_max: Optional[int]
    deadline: Optional[date]


@dataclass(frozen=True)
class QualityCheck:
    key: str
    state: str          # OK, VAGUE or MISSING
    points: int
    weight: int
    # Lazy strings, translated when shown; left out of repr and == (those would need a request).
    title: object = field(repr=False, compare=False)
    advice: object = field(repr=False, compare=False)

    @property
    def is_ok(self) -> bool:
        return self.state == OK


@dataclass(frozen=True)
class VaguePhrase:
    word: str
    sentence: str


@dataclass(frozen=True)
class QualityReport:
    score: int
    checks: tuple[QualityCheck, ...]
    vague_phrases: tuple[VaguePhrase, ...]
    threshold: int = QUALITY_THRESHOLD

    @property
    def passes(self) -> bool:
        return self.score >= self.threshold

    @property
    def problems(self) -> tuple[QualityCheck, ...]:
        return tuple(check for check in self.checks if not check.is_ok)

    def as_json(self) -> dict:
        return {
            "score": self.score, "threshold": self.threshold, "passes": self.passes,
            "checks": [{"key": c.key, "state": c.state, "state_label": str(STATE_LABELS[c.state]),
                        "title": str(c.title), "advice": str(c.advice)} for c in self.checks],
            "vague_phrases": [{"word": v.word, "sentence": v.sentence} for v in self.vague_phrases],
        }


def normalize(text: str | None) -> str:
    """Full-width digits and signs as ASCII (９９％ → 99%), surrounding space removed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def quantities(text: str | None) -> list[str]:
    """The figures with a unit or a comparison in `text`: "准确率≥99%" → ["≥99", "99%"]."""
    return [match.group(0).strip() for match in QUANTITY.finditer(normalize(text))]


def has_quantity(text: str | None) -> bool:
    return QUANTITY.search(normalize(text)) is not None


def vague_phrases(*texts: str | None) -> list[VaguePhrase]:
    """Sentences that use a vague word and carry no figure, once per sentence."""
    found: list[VaguePhrase] = []
    for text in texts:
        for sentence in _SENTENCE_END.split(text or ""):
            sentence = sentence.strip()
            lowered = sentence.lower()
            word = next((w for w in VAGUE_WORDS if w in lowered), None)
            if word and not has_quantity(sentence):
                found.append(VaguePhrase(word, sentence if len(sentence) <= 60 else sentence[:59] + "…"))
    return found


def _text_check(key, text, weight, enough, title, advice_missing, advice_short) -> QualityCheck:
    """Full points from `enough` characters on, a third for a start, none when empty."""
    length = len(normalize(text))
    if length == 0:
        return QualityCheck(key, MISSING, 0, weight, title, advice_missing)
    if length < enough:
        return QualityCheck(key, VAGUE, weight // 3, weight, title, advice_short)
    return QualityCheck(key, OK, weight, weight, title, advice_missing)


def assess_demand(values: DemandValues) -> QualityReport:
    """Score a demand 0–100 and list what is missing or vague, with advice.

    :param values: the demand's text, scenario ids, budget and deadline (a draft may be empty).
    :returns: the report; `passes` is False below `QUALITY_THRESHOLD`.
    """
    checks = [
        QualityCheck("scenario", OK if values.scenario_ids else MISSING, 15 if values.scenario_ids else 0, 15,
                     _l("Scenario chosen"),
                     _l("Choose at least one scenario: suppliers and the matching find demands by scenario.")),
        _text_check("pain_point", values.background, 15, 40, _l("Current process and pain point"),
                    _l("Describe how the work is done today and what goes wrong: which line, how many people, "
                       "how often."),
                    _l("Say more about today's process: where it fails, how often, and what it costs.")),
        _text_check("data", values.data_available, 10, 15, _l("Data available"),
                    _l("Say what data you can provide, e.g. 5,000 labelled defect images or one year of MES "
                       "records."),
                    _l("Give the kind, amount and format of the data, e.g. 2 years of sensor logs at 1 Hz.")),
        _acceptance_check(values.expected_outcomes),
        QualityCheck("budget", OK if (values.budget_min or values.budget_max) else MISSING,
                     10 if (values.budget_min or values.budget_max) else 0, 10, _l("Budget"),
                     _l("Give a budget range (in 10,000 CNY): suppliers decide whether to answer by it.")),
        QualityCheck("deadline", OK if values.deadline else MISSING, 10 if values.deadline else 0, 10,
                     _l("Deadline"), _l("Set a deadline for proposals.")),
        _detail_check(values),
    ]
    texts = (values.title, values.summary, values.background, values.requirements, values.expected_outcomes)
    phrases = vague_phrases(*texts)
    # Nothing written is not specific either: an empty form must not start with these points.
    state = VAGUE if phrases else (OK if any(normalize(t) for t in texts[1:]) else MISSING)
    checks.append(QualityCheck(
        "specificity", state, 10 if state == OK else 0, 10, _l("Specific wording"),
        _l("Replace vague words such as 智能化, 提升效率 or 降本增效 with figures: by how much, by when, measured how.")))
    return QualityReport(score=sum(check.points for check in checks), checks=tuple(checks),
                         vague_phrases=tuple(phrases))


def _acceptance_check(expected_outcomes: str | None) -> QualityCheck:
    title = _l("Acceptance criteria with numbers")
    advice = _l("State acceptance criteria with numbers and units, e.g. 准确率≥99%, 节拍≤30秒, 漏检率<0.5%.")
    if not normalize(expected_outcomes):
        return QualityCheck("acceptance", MISSING, 0, 20, title, advice)
    if not has_quantity(expected_outcomes):
        return QualityCheck("acceptance", VAGUE, 5, 20, title, advice)
    return QualityCheck("acceptance", OK, 20, 20, title, advice)


def _detail_check(values: DemandValues) -> QualityCheck:
    """Title, summary and technical requirements long enough to tell one demand from another."""
    title, advice = _l("Title, summary and requirements"), _l(
        "Use a title of at least 8 characters, a summary of at least 20 and technical requirements of at "
        "least 50: name the product, the process step and the constraints (takt time, environment, "
        "interfaces).")
    lengths_met = sum((len(normalize(values.title)) >= 8, len(normalize(values.summary)) >= 20,
                       len(normalize(values.requirements)) >= 50))
    points = {3: 10, 2: 6, 1: 3, 0: 0}[lengths_met]
    state = OK if lengths_met == 3 else (MISSING if not normalize(values.requirements) else VAGUE)
    return QualityCheck("detail", state, points, 10, title, advice)
