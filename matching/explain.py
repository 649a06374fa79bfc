"""Explanations: which query words, fields and taxonomy entries made a listing match.

Contributions are reported as shares of the final score so the app can show or sort them.
Matched CJK bigrams are merged back into the longest matched substrings of the query, so
users read "机器视觉" rather than "机器 · 器视 · 视觉".
"""
from __future__ import annotations

import numpy as np

from .model import Query, Reason
from .tokenizer import query_spans, tokenize

FACET_ZH = {"industry": "行业相同", "scenario": "场景相同", "technology": "技术相同", "region": "地区相同"}
FACET_EN = {"industry": "same industry", "scenario": "same scenario", "technology": "same technology",
            "region": "same region"}
OTHER_ZH = {"verified": "认证供应商", "case": "有相关案例", "fuzzy": "标题相近"}
OTHER_EN = {"verified": "verified supplier", "case": "related case delivered", "fuzzy": "similar title"}
MAX_TERMS_SHOWN = 4


def _contributions(index, qt, row: int, per_term) -> dict[int, float]:
    out = {}
    for c in qt.cols.tolist():
        if per_term is not None:
            if c not in per_term:
                continue
            rows, vals = per_term[c]
        else:
            rows, vals = index.term_weights(c)
            w = qt.weights[qt.cols == c]
            vals = vals * (float(w[0]) if len(w) else 1.0)
        if not len(rows):
            continue
        i = int(np.searchsorted(rows, row))
        if i < len(rows) and rows[i] == row and vals[i] > 0:
            out[c] = float(vals[i])
    return out


def contributions(index, qt, rows: list[int], per_term) -> list[dict[int, float]]:
    """Per-term lexical contributions for several rows at once (one binary search per term).

    :param index: the index.
    :param qt: compiled query.
    :param rows: matched rows.
    :param per_term: per-term (rows ascending, contributions) from the scoring pass.
    :returns: one {term column: contribution} dict per row.
    """
    out: list[dict[int, float]] = [{} for _ in rows]
    want = np.asarray(rows, dtype=np.int64)
    for c, (crow, cval) in per_term.items():
        if not len(crow):
            continue
        pos = np.searchsorted(crow, want)
        pos[pos == len(crow)] = 0
        for i in np.flatnonzero((crow[pos] == want) & (cval[pos] > 0)).tolist():
            out[i][c] = float(cval[pos[i]])
    return out


def _fields(index, row: int, phrase: str) -> tuple[str, ...]:
    toks = set(tokenize(phrase, normalized=True))
    fields = []
    if phrase in index.titles[row] or (toks and toks <= set(tokenize(index.titles[row], True))):
        fields.append("title")
    tag_text = " ".join(index.tags[row]) + " " + " ".join(a.split("\x1f", 1)[1] for a in index.attrs[row])
    if phrase in tag_text or (toks and toks <= set(tokenize(tag_text, True))):
        fields.append("tags")
    return tuple(fields) or ("text",)


def reasons_for(index, qt, row: int, per_term, top_lex: float, extras, contrib=None,
                qspans=None) -> tuple[Reason, ...]:
    """Structured reasons for one matched row.

    :param index: the index.
    :param qt: compiled query (rank.QueryTerms).
    :param row: the matched row.
    :param per_term: per-term (rows, contributions) from the scoring pass, or None to recompute.
    :param top_lex: lexical score of the best hit (the normaliser of the final score).
    :param extras: (kind, label, weight, facet) boosts from re-ranking.
    :param contrib: precomputed contributions of this row (see :func:`contributions`).
    :param qspans: precomputed ``query_spans(qt.text)``.
    :returns: reasons, facets first, then matched phrases by contribution.
    """
    if contrib is None:
        contrib = _contributions(index, qt, row, per_term)
    vocab = index.vocab
    norm = top_lex or 1.0
    reasons: list[Reason] = []
    for kind, label, weight, facet in extras:
        reasons.append(Reason(kind, label, round(weight, 6), facet=facet))
    # Literal query words: merge overlapping matched spans into phrases.
    spans = []
    for term, start, end, kind in (qspans if qspans is not None else query_spans(qt.text)):
        c = vocab.get(term)
        if c is not None and c in contrib and qt.origin.get(c) == "query":
            spans.append((start, end, kind, c))
    spans.sort()
    merged: list[list] = []  # [start, end, set(cols), has_multi_char_evidence]
    for start, end, kind, c in spans:
        if merged and start < merged[-1][1] + (0 if kind == "uni" else 0) and start < merged[-1][1]:
            m = merged[-1]
            m[1] = max(m[1], end)
            m[2].add(c)
            m[3] = m[3] or kind != "uni"
        else:
            merged.append([start, end, {c}, kind != "uni"])
    phrases: dict[str, float] = {}
    for start, end, cols, strong in merged:
        if not strong:
            continue  # a lone matched character is noise to a reader
        phrase = (qt.display or qt.text)[start:end]
        phrases[phrase] = phrases.get(phrase, 0.0) + sum(contrib[c] for c in cols) / norm
    for phrase, wgt in phrases.items():
        reasons.append(Reason("term", phrase, round(wgt, 6), _fields(index, row, phrase.lower())))
    # Synonyms that matched: report the synonym as written in the list.
    syn: dict[str, float] = {}
    for c, v in contrib.items():
        o = qt.origin.get(c)
        if o not in (None, "query", "prf"):
            syn[o] = syn.get(o, 0.0) + v / norm
    for member, wgt in syn.items():
        toks = [t for t in tokenize(member, normalized=True) if len(t) > 1 or t.isascii()]
        hit = sum(1 for t in toks if vocab.get(t) in contrib)
        if toks and hit * 2 >= len(toks):
            reasons.append(Reason("synonym", member, round(wgt, 6), _fields(index, row, member)))
    head = [r for r in reasons if r.kind == "facet"]
    words = sorted((r for r in reasons if r.kind in ("term", "synonym")), key=lambda r: -r.weight)
    rest = [r for r in reasons if r.kind not in ("facet", "term", "synonym")]
    return tuple(head + words + rest)


def render(reasons, lang: str = "zh") -> str:
    """Render reasons as one line for users, e.g. "匹配原因：场景相同 · 机器视觉 · 缺陷检测".

    :param reasons: Reason tuple from a Match.
    :param lang: "zh" or "en".
    :returns: the line, or "" when nothing can be shown.
    """
    zh = lang != "en"
    facet_names, other = (FACET_ZH, OTHER_ZH) if zh else (FACET_EN, OTHER_EN)
    parts, seen_words = [], []
    for r in reasons:
        if r.kind == "facet":
            name = facet_names.get(r.facet or "", r.facet or "")
            if name not in parts:
                parts.append(name)
    for r in reasons:
        if r.kind in ("term", "synonym") and len(seen_words) < MAX_TERMS_SHOWN:
            if not any(r.label in s for s in seen_words):
                seen_words.append(r.label)
    parts.extend(seen_words)
    for r in reasons:
        if r.kind in other and other[r.kind] not in parts:
            parts.append(other[r.kind])
    if not parts:
        return ""
    return ("匹配原因：" if zh else "Why: ") + " · ".join(parts)


def explain(index, query: Query | str, doc_id: str) -> tuple[Reason, ...]:
    """Why a given document matches a query (also when it is not in the top results).

    :param index: the index.
    :param query: a Query or its text.
    :param doc_id: the document to explain.
    :returns: reasons (empty when the document is unknown or shares nothing with the query).
    """
    from .rank import (_as_query, case_owners_of, compile_query, lexical_scores, query_facets,
                       row_boosts, _positive, _top_rows)
    query = _as_query(query)
    row = index.row_of.get(str(doc_id))
    if row is None:
        return ()
    qt = compile_query(index, query.text)
    scores, per_term = lexical_scores(index, qt, keep_terms=True)
    rows, vals = _positive(scores)
    top_rows = _top_rows(rows, vals, max(index.weights.fuzzy_depth, 10))[0].tolist()
    extras = row_boosts(index, row, query_facets(query), case_owners_of(index, top_rows))
    top_lex = float(scores.max()) if len(scores) else 0.0
    return reasons_for(index, qt, row, per_term, top_lex, extras)
