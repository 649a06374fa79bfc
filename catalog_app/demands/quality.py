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
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Optional, Protocol, Sequence

from flask_babel import lazy_gettext as _l

from catalog_app.models.organizations import OrganizationTier

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
# Clauses for the repetition test: a pasted phrase repeats between commas as well.
_CLAUSE_SEPARATORS = "。！？!?；;，,、：: \t\r\n"
_CLAUSE_END = re.compile(r"[。！？!?；;，,、：:\s]+|\.(?=\s|$)")
_CLAUSE_WITH_END = re.compile(r"[^。！？!?；;，,、：:\s]+[。！？!?；;，,、：:\s]*")
_MONEY_UNIT = re.compile(r"(?:万元|亿元|元|万|亿)$")

# The largest budget (万元) a single demand of an organization of this size plausibly has, per
# scenario it names (up to three): a one-person company does not buy a 1 亿元 AI project, and
# 50–90 亿元 is a factory, not a demand. Unknown size: the chain leader's limit.
BUDGET_LIMIT_BY_TIER = {
    OrganizationTier.ONE_PERSON: 100,
    OrganizationTier.SME: 2_000,
    OrganizationTier.ABOVE_SIZE: 10_000,
    OrganizationTier.CHAIN_LEADER: 50_000,
}
BUDGET_LIMIT_DEFAULT = 50_000
# A range whose top is more than this many times its bottom tells a supplier nothing.
BUDGET_MAX_SPREAD = 5

# Below these the text is repetition, not description (see `is_repetitive`).
REPETITION_MIN_LENGTH = 60
DISTINCT_NGRAM_MIN_RATIO = 0.5
COMPRESSION_MIN_RATIO = 0.25


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


def _clauses(text: str) -> list[str]:
    return [clause for clause in _CLAUSE_END.split(normalize(text)) if clause]


def substantive_length(text: str | None) -> int:
    """Characters of the text counting each clause once: "设备老化，" pasted 1,000 times is as
    long as "设备老化"."""
    seen: set[str] = set()
    length = 0
    for piece in _CLAUSE_WITH_END.findall(normalize(text)):
        clause = piece.rstrip(_CLAUSE_SEPARATORS)
        if clause not in seen:
            seen.add(clause)
            length += len(piece)
    return length


def is_repetitive(text: str | None) -> bool:
    """True for pasted repetition or filler: one clause making up most of the clauses, few
    distinct 4-character sequences, or text that compresses to almost nothing. Written
    descriptions, even with repeated technical terms, stay far from these limits (a 200-character
    specification has over 90 % distinct 4-grams and compresses to about 60 % in zlib)."""
    text = normalize(text)
    if len(text) < REPETITION_MIN_LENGTH:
        return False
    clauses = _clauses(text)
    if len(clauses) >= 4 and Counter(clauses).most_common(1)[0][1] * 2 > len(clauses):
        return True
    compact = re.sub(r"\s+", "", text)
    grams = [compact[i:i + 4] for i in range(len(compact) - 3)]
    if grams and len(set(grams)) / len(grams) < DISTINCT_NGRAM_MIN_RATIO:
        return True
    raw = text.encode("utf-8")
    return len(zlib.compress(raw, 9)) / len(raw) < COMPRESSION_MIN_RATIO


def measurable_targets(text: str | None) -> list[str]:
    """Quantities that can be measured at acceptance: money is a budget, not a target."""
    return [q for q in quantities(text) if not _MONEY_UNIT.search(q)]


def budget_limit(tier: OrganizationTier | None, scenario_count: int) -> int:
    """The plausible top of a budget (万元) for this size of organization and scenario count."""
    return BUDGET_LIMIT_BY_TIER.get(tier, BUDGET_LIMIT_DEFAULT) * min(max(scenario_count, 1), 3)


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
    """Full points from `enough` characters on, a third for a start, none when empty; repeated
    clauses count once and repetitive text is never enough."""
    if not normalize(text):
        return QualityCheck(key, MISSING, 0, weight, title, advice_missing)
    length = 0 if is_repetitive(text) else substantive_length(text)
    if length < enough:
        return QualityCheck(key, VAGUE, weight // 3, weight, title, advice_short)
    return QualityCheck(key, OK, weight, weight, title, advice_missing)


def assess_demand(values: DemandValues, tier: OrganizationTier | None = None) -> QualityReport:
    """Score a demand 0–100 and list what is missing or vague, with advice.

    Substance, not just presence: repeated clauses count once, repetitive text keeps the
    score below the threshold whatever else is filled in, a budget beyond what an organization
    of this size plausibly spends earns nothing, and acceptance criteria need a measurable
    figure (a sum of money is not one).

    :param values: the demand's text, scenario ids, budget and deadline (a draft may be empty).
    :param tier: the size of the posting organization, for the budget's plausibility.
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
        _budget_check(values, tier),
        QualityCheck("deadline", OK if values.deadline else MISSING, 10 if values.deadline else 0, 10,
                     _l("Deadline"), _l("Set a deadline for proposals.")),
        _detail_check(values),
    ]
    texts = (values.title, values.summary, values.background, values.requirements, values.expected_outcomes)
    phrases = vague_phrases(*texts)
    repetitive = any(is_repetitive(text) for text in (*texts, values.data_available))
    written = any(normalize(t) for t in (*texts[1:], values.data_available))
    # Nothing written is not specific either: an empty form must not start with these points.
    state = VAGUE if (phrases or repetitive) else (OK if written else MISSING)
    checks.append(QualityCheck(
        "specificity", state, 10 if state == OK else 0, 10, _l("Specific wording"),
        _l("Replace vague words such as 智能化, 提升效率 or 降本增效 with figures: by how much, by when, measured how.")))
    checks.append(QualityCheck(
        "original", VAGUE if repetitive else (OK if written else MISSING), 0, 0, _l("Own words, no repetition"),
        _l("Some text repeats the same phrase or reads as filler. Describe this demand once, in your own words.")))
    score = sum(check.points for check in checks)
    if repetitive:  # repetition must never pass, however complete the other fields are
        score = min(score, QUALITY_THRESHOLD - 1)
    return QualityReport(score=score, checks=tuple(checks), vague_phrases=tuple(phrases))


def _budget_check(values: DemandValues, tier: OrganizationTier | None) -> QualityCheck:
    title = _l("Budget")
    low, high = values.budget_min, values.budget_max
    if not (low or high):
        return QualityCheck("budget", MISSING, 0, 10, title,
                            _l("Give a budget range (in 10,000 CNY): suppliers decide whether to answer by it."))
    top = max(amount for amount in (low, high) if amount is not None)
    if top > budget_limit(tier, len(values.scenario_ids)):
        return QualityCheck("budget", VAGUE, 0, 10, title,
                            _l("This budget is far above what a project of this kind and an organization of "
                               "this size usually costs. Check the unit: amounts are in 10,000 CNY (万元)."))
    if low and high and high > low * BUDGET_MAX_SPREAD:
        return QualityCheck("budget", VAGUE, 5, 10, title,
                            _l("The range is very wide. Narrow it down so suppliers can tell whether their "
                               "offer fits."))
    return QualityCheck("budget", OK, 10, 10, title,
                        _l("Give a budget range (in 10,000 CNY): suppliers decide whether to answer by it."))


def _acceptance_check(expected_outcomes: str | None) -> QualityCheck:
    title = _l("Acceptance criteria with numbers")
    advice = _l("State acceptance criteria with numbers and units, e.g. 准确率≥99%, 节拍≤30秒, 漏检率<0.5%.")
    if not normalize(expected_outcomes):
        return QualityCheck("acceptance", MISSING, 0, 20, title, advice)
    if is_repetitive(expected_outcomes) or not measurable_targets(expected_outcomes):
        return QualityCheck("acceptance", VAGUE, 5, 20, title, advice)
    return QualityCheck("acceptance", OK, 20, 20, title, advice)


def _detail_check(values: DemandValues) -> QualityCheck:
    """Title, summary and technical requirements long enough to tell one demand from another."""
    title, advice = _l("Title, summary and requirements"), _l(
        "Use a title of at least 8 characters, a summary of at least 20 and technical requirements of at "
        "least 50: name the product, the process step and the constraints (takt time, environment, "
        "interfaces).")
    lengths_met = sum((substantive_length(values.title) >= 8, substantive_length(values.summary) >= 20,
                       not is_repetitive(values.requirements) and substantive_length(values.requirements) >= 50))
    points = {3: 10, 2: 6, 1: 3, 0: 0}[lengths_met]
    state = OK if lengths_met == 3 else (MISSING if not normalize(values.requirements) else VAGUE)
    return QualityCheck("detail", state, points, 10, title, advice)
