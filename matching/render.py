"""Reasons as one readable sentence, e.g. "匹配原因：同属在线智能检测场景，面向电子信息行业；
共同关键词：机器视觉、玻璃盖板、划痕" (or English): what Match.explanation() and the app show.

Below the ranking pipeline (it needs only the Reason tuples and the word lists), so that
``Match`` can render itself without importing the engine; explain.py re-exports it.
"""
from __future__ import annotations

from typing import Mapping

from .shared_terms import is_shown_term
from .tokenizer import normalize

MAX_TERMS_SHOWN = 5
# Facets in the order they are told; the region is a boost but never shown (places are
# not reasons to a reader, and the region is already on the listing's card).
FACET_ORDER = ("scenario", "industry", "technology")
FACET_ZH = {"scenario": "同属{}场景", "industry": "面向{}行业", "technology": "采用{}技术"}
FACET_EN = {"scenario": "same scenario: {}", "industry": "industry: {}", "technology": "technology: {}"}
OTHER_ZH = {"verified": "认证供应商", "case": "有相关案例", "fuzzy": "标题相近"}
OTHER_EN = {"verified": "verified supplier", "case": "related case delivered", "fuzzy": "similar title"}


def render(reasons, lang: str = "zh", labels: Mapping[str, str] | None = None) -> str:
    """Render reasons as one sentence, e.g. "匹配原因：同属在线智能检测场景，面向电子信息行业；
    共同关键词：机器视觉、玻璃盖板、划痕" or, in English, "Why: same scenario: ...; industry:
    ...; shared keywords: ...".

    Keyword labels are re-checked (no filler, place or bare number), so reasons stored by
    an older version render cleanly too.

    :param reasons: Reason tuple from a Match (or stored reasons turned back into Reasons).
    :param lang: "zh" or "en".
    :param labels: optional translations of facet values (e.g. Chinese -> English names).
    :returns: the sentence, or "" when nothing can be shown.
    """
    zh = lang != "en"
    labels = {normalize(k): v for k, v in (labels or {}).items()}
    facets: dict[str, list[str]] = {}
    for r in reasons:
        if r.kind == "facet" and r.facet in FACET_ORDER and r.label:
            shown = labels.get(r.label, r.label)
            if shown not in facets.setdefault(r.facet, []):
                facets[r.facet].append(shown)
    sep = "、" if zh else ", "
    pattern = FACET_ZH if zh else FACET_EN
    facet_part = ("，" if zh else "; ").join(pattern[f].format(sep.join(facets[f]))
                                            for f in FACET_ORDER if f in facets)
    # A keyword that only repeats a facet already told (质量检测 after 同属质量检测场景) is left out.
    told = [normalize(r.label) for r in reasons if r.kind == "facet" and r.facet in facets]
    words: list[str] = []
    for r in sorted((r for r in reasons if r.kind == "term"), key=lambda r: (-r.weight, -len(r.label))):
        key = normalize(r.label)
        if len(words) < MAX_TERMS_SHOWN and is_shown_term(key) and not any(key in f for f in told) \
                and not any(key in normalize(w) or normalize(w) in key for w in words):
            words.append(r.label)
    other = OTHER_ZH if zh else OTHER_EN
    parts = [facet_part] if facet_part else []
    if words:
        parts.append(("共同关键词：" if zh else "shared keywords: ") + sep.join(words))
    parts += list(dict.fromkeys(other[r.kind] for r in reasons if r.kind in other))
    if not parts:
        return ""
    return ("匹配原因：" if zh else "Why: ") + ("；" if zh else "; ").join(parts)
