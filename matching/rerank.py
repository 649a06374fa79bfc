"""Re-ranking signals of the top candidates, beyond the lexical score: the inferred
industry and scenario, phrase credit for long demands, diversification, and the absolute
confidence the final score maps to.

The pipeline's fifth step (tokenize -> index -> query -> score -> rerank -> explain):
:func:`rerank` takes a query's scored candidates (score.Candidates) to its ordered first
results with their final scores and confidences; rank.py turns them into Match objects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist, cpdist

from .facets import GENERIC_INDUSTRY, facet_distributions, facet_models, facet_values
from .index import Index
from .model import ATTR_SEP, Query
from .query import query_facets
from .score import Candidates, top_rows
from .tokenizer import CJK_RANGES, normalize, tokenize

GENERIC = normalize(GENERIC_INDUSTRY)


CONFIDENCE_STEP = 2e-9
"""Smallest confidence gap between consecutive results: keeps the order strict where the
diversification demoted a result or two scores tie, also after rounding to the 9 decimals
the CLI prints (rounding moves each value by at most 0.5e-9)."""
_STEPS = np.arange(4096) * CONFIDENCE_STEP


def known_factor(w, known: float) -> float:
    """The discount of a query whose vocabulary the catalog mostly does not know (see
    RankingWeights.unknown_vocabulary_tolerance): 1.0 up to the tolerance, then linear.

    :param known: the query's known share of information (QueryTerms.known), 0..1.
    """
    return min(1.0, known / max(1.0 - w.unknown_vocabulary_tolerance, 1e-9))


def confidence_of(w, final: np.ndarray, known: float = 1.0) -> np.ndarray:
    """Confidence in [0, 1] of results already in their final order.

    A logistic function of the absolute final score times the query's known-vocabulary
    factor (one number per query, so the order within a query is that of the final score),
    made strictly decreasing along the list (by at least CONFIDENCE_STEP), so that sorting
    by confidence gives back the ranking even where diversification demoted a result.

    :param w: RankingWeights.
    :param final: absolute final scores, in result order.
    :param known: the query's known share of information (see :func:`known_factor`).
    :returns: confidences rounded to 9 decimals, same order.
    """
    f = known_factor(w, known)
    if f < 1.0:
        final = np.where(final > 0, final * f, final)
    conf = 1.0 / (1.0 + np.exp(w.confidence_slope * (w.confidence_midpoint - final)))
    n = len(conf)
    steps = _STEPS[:n] if n <= len(_STEPS) else np.arange(n) * CONFIDENCE_STEP
    return np.round(np.minimum.accumulate(conf + steps) - steps, 9)


def query_norm(index: Index, qt) -> float:
    """The highest lexical score any document could get for this query: every query term
    present, its term frequency saturated (BM25's tf factor tends to k1 + 1). Feedback
    expansion terms add to a document's score but not to this norm.

    :param index: the index (for the current IDF).
    :param qt: compiled query.
    :returns: a positive normaliser (1.0 for a query without known terms).
    """
    k = len(qt.cols) if qt.own < 0 else qt.own  # feedback terms are the engine's guess, not the query
    if not k:
        return 1.0
    idf, _ = index.stats()
    return float((qt.weights[:k] * idf[qt.cols[:k]]).sum() * (index.weights.k1 + 1)) or 1.0


def infer_for_query(index: Index, qt, query: Query) -> dict[str, dict[str, float]]:
    """Industry / scenario probabilities of a query (see facets.facet_distributions); facets
    the query states (the demand form's industry) replace the inferred ones.

    :returns: facet -> {value: probability}.
    """
    counts: dict[int, int] = {}
    vocab = index.vocab
    for t in qt.tokens or tokenize(qt.text, normalized=True):
        c = vocab.get(t)
        if c is not None:
            counts[c] = counts.get(c, 0) + 1
    cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    cnt = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    out = facet_distributions(index, qt.text, cols, cnt)
    for facet, values in query.attributes.items():
        if facet in out:
            stated = [normalize(v) for v in values]
            out[facet] = {v: 1.0 / len(stated) for v in stated}
    return out


_CJK_RUN = re.compile(f"[{CJK_RANGES}]{{4,}}")


def _grams(text: str, n: int = 4) -> set[str]:
    return {run[i:i + n] for run in _CJK_RUN.findall(text) for i in range(len(run) - n + 1)}


def phrase_bonus(index: Index, qt, rows: list[int]) -> list[float]:
    """Long demands: credit for exact phrases of 4+ characters of the query found in a
    listing's title or tags (手机玻璃盖板 in the title says more than its characters scattered
    over the body), each 4-character piece weighted by how rare its bigrams are (mean IDF
    over the largest IDF), so boilerplate shared by many listings (降本增效) counts little.

    :param rows: candidate rows.
    :returns: one bonus per row, at most RankingWeights.phrase_weight.
    """
    w = index.weights
    qgrams = _grams(qt.text)
    if not qgrams:
        return [0.0] * len(rows)
    idf, _ = index.stats()
    top_idf = float(idf.max()) or 1.0
    vocab = index.vocab
    rarity: dict[str, float] = {}
    out = []
    for r in rows:
        label = index.titles[r] + " " + " ".join(index.tags[r])
        total = 0.0
        for g in _grams(label) & qgrams:
            v = rarity.get(g)
            if v is None:
                cols = [vocab.get(g[i:i + 2]) for i in range(3)]
                v = rarity[g] = (sum(float(idf[c]) for c in cols if c is not None) / 3) / top_idf
            total += v
        out.append(w.phrase_weight * min(1.0, total / w.phrase_saturation))
    return out


def _facet_split_cache(index: Index) -> dict:
    """attrs frozenset -> (scenarios, named industries); frozensets never change, so the
    cache never goes stale (and rows share their interned frozensets)."""
    cache = index.cache.get("facet_split")
    if cache is None:
        cache = index.cache["facet_split"] = {}
    return cache


def inferred_boosts(index: Index, rows: list[int], inferred: dict[str, dict[str, float]]):
    """Per row, the score change from the inferred scenario and industry (None for none),
    as a (kind, label, weight, facet) tuple: kind "facet" when the listing has the query's
    most likely value (a reason users can read), else "inferred".

    :param rows: candidate rows.
    :param inferred: facet -> {value: probability}.
    :returns: one tuple or None per row.
    """
    w = index.weights
    scen = inferred.get("scenario") or {}
    ind = inferred.get("industry") or {}
    top_scen = max(scen, key=scen.get) if scen else None
    top_ind = max(ind, key=ind.get) if ind else None
    ind_max = max(ind.values()) if ind else 0.0
    out = []
    split = _facet_split_cache(index)
    for r in rows:
        attrs = index.attrs[r]
        got = split.get(attrs)
        if got is None:
            got = split[attrs] = (tuple(facet_values(attrs, "scenario")),
                                  tuple(v for v in facet_values(attrs, "industry") if v != GENERIC))
        delta, label, facet = 0.0, None, None
        if scen:
            vs = got[0]
            p = max((scen.get(v, 0.0) for v in vs), default=0.0)
            delta += w.inferred_scenario_weight * p
            if top_scen in vs and p >= 0.5:
                label, facet = top_scen, "scenario"
        if ind:
            vs = got[1]
            if vs:
                p = max(ind.get(v, 0.0) for v in vs)
                delta += w.inferred_industry_weight * (p - 0.5 * ind_max)
                if label is None and top_ind in vs and p >= 0.5:
                    label, facet = top_ind, "industry"
        out.append(None if not delta else
                   ("facet" if label else "inferred", label or "", delta, facet))
    return out


def diversify(order: np.ndarray, final: np.ndarray, owners: list, kinds: list, w) -> np.ndarray:
    """Greedy diversification of the first `diversify_window` slots.

    Each slot takes the candidate with the best final score minus owner_repeat_penalty per
    result of the same owner and kind_repeat_penalty per result of the same kind (solution,
    product, case) already taken, so a clearly better listing still comes first; at most
    `max_per_owner` per owner (0: no cap). The overflow keeps its relative order right after
    the window (demoted, not dropped).

    :param order: candidate positions by final score, best first.
    :param final: final scores by position.
    :param owners: owner per position (None: never penalised); kinds likewise.
    :returns: the new order of positions.
    """
    cap, window = w.max_per_owner, w.diversify_window
    op, kp = w.owner_repeat_penalty, w.kind_repeat_penalty
    pool = np.asarray(order, dtype=np.int64)
    # Owners and kinds as small integers (-1: none), so each slot is a few numpy operations
    # over the candidates instead of a Python loop.
    oid: dict = {}
    kid: dict = {}
    o_of = np.asarray([-1 if owners[i] is None else oid.setdefault(owners[i], len(oid))
                       for i in pool.tolist()], dtype=np.int64)
    k_of = np.asarray([-1 if kinds[i] is None else kid.setdefault(kinds[i], len(kid))
                       for i in pool.tolist()], dtype=np.int64)
    n_owner = np.zeros(len(oid) + 1)  # last slot: "no owner", never counted
    n_kind = np.zeros(len(kid) + 1)
    base = final[pool].astype(np.float64)
    free = np.ones(len(pool), dtype=bool)
    taken: list[int] = []
    for _ in range(min(window, len(pool))):
        v = base - op * n_owner[o_of] - kp * n_kind[k_of]
        blocked = ~free
        if cap:
            blocked |= (o_of >= 0) & (n_owner[o_of] >= cap)
        v[blocked] = -np.inf
        j = int(np.argmax(v))  # first of equal values: the earlier candidate
        if v[j] == -np.inf:
            break
        free[j] = False
        taken.append(j)
        if o_of[j] >= 0:
            n_owner[o_of[j]] += 1
        if k_of[j] >= 0:
            n_kind[k_of[j]] += 1
    rest = np.flatnonzero(free)
    return np.concatenate([pool[taken], pool[rest]]).astype(np.int64)


def row_boosts(index: Index, row: int, qattrs: dict[str, str], case_owners: set) -> list[tuple]:
    """Structured boosts of one candidate as (kind, label, weight, facet) tuples.

    :param index: the index.
    :param row: candidate row.
    :param qattrs: query facets as {"facet\x1fvalue": facet}.
    :param case_owners: owners having a matching case among the candidates.
    :returns: the boosts that apply (possibly none).
    """
    w = index.weights
    out = []
    if qattrs:
        boosts = dict(w.facet_boosts)
        seen = set()
        for a in sorted(index.attrs[row]):
            f = qattrs.get(a)
            if f is not None and f in boosts and f not in seen:
                seen.add(f)
                out.append(("facet", a.split(ATTR_SEP, 1)[1], boosts[f], f))
    if w.verified_boost and index.verified[row]:
        out.append(("verified", "", w.verified_boost, None))
    if case_owners and index.kinds[row] != "case" and index.owners[row] in case_owners:
        out.append(("case", "", w.case_evidence_boost, None))
    return out


def case_owners_of(index: Index, rows) -> set:
    """Owners with a case among the given (lexically matching) candidate rows.

    :param index: the index.
    :param rows: candidate rows.
    :returns: set of owner ids (empty when the boost is off or nobody has an owner).
    """
    if index.weights.case_evidence_boost <= 0 or not index.has_owner:
        return set()
    return {index.owners[r] for r in rows if index.kinds[r] == "case" and index.owners[r] is not None}


def rerank_depth(index: Index, top: int) -> int:
    """How many of the best lexical candidates re-ranking looks at (fuzzy title similarity,
    boosts, and room for the diversification to demote)."""
    w = index.weights
    return max(top, w.fuzzy_depth) + (w.diversify_window * 3 if index.has_owner else 0)



@dataclass
class Reranked:
    """A query's first results after re-ranking, in result order."""

    rows: np.ndarray                    # the candidates re-ranked (best lexical first)
    order: np.ndarray                   # positions into rows, result order, at most `top`
    final: np.ndarray                   # absolute final score per position
    lex: np.ndarray                     # lexical score per position
    confidence: list[float]             # per result (order)
    extras: list[list[tuple]] | None    # per position, the boosts to tell (explain only)


def filter_candidates(index: Index, query: Query, rows: np.ndarray, vals: np.ndarray):
    """Drop excluded ids and unwanted kinds from (rows, vals)."""
    if not (query.exclude or query.kinds is not None):
        return rows, vals
    keep = np.ones(len(rows), dtype=bool)
    if query.exclude:
        bad = [index.row_of[d] for d in query.exclude if d in index.row_of]
        keep &= ~np.isin(rows, bad)
    if query.kinds is not None:
        keep &= index.kind_mask(query.kinds)[rows]
    return rows[keep], vals[keep]


def rerank(index: Index, query: Query, cands: Candidates, top: int,
           explain: bool = False) -> Reranked | None:
    """Filter, re-rank the best lexical candidates (fuzzy title, phrases, inferred and stated
    facets, verified, case evidence), diversify, and attach the confidences.

    :param cands: the query's candidate rows (any order) with lexical scores > 0.
    :param explain: also collect the boosts each result's reasons will tell.
    :returns: the results, or None when no candidate is left.
    """
    w = index.weights
    qt = cands.qt
    rows, vals = filter_candidates(index, query, cands.rows, cands.vals)
    rows, vals = top_rows(rows, vals, rerank_depth(index, top))
    if not len(rows):
        return None
    rows_l = rows.tolist()
    # Absolute: over the query's own maximum (every term matched at saturation), not over
    # the best hit, so the same listing gets the same score whatever else the catalog holds.
    lex = vals.astype(np.float64)
    final = lex / query_norm(index, qt)
    extras: list[list[tuple]] | None = [[] for _ in rows_l] if explain else None
    nf = min(len(rows_l), w.fuzzy_depth)
    if w.fuzzy_weight > 0 and qt.text:
        labels = index.labels
        sim = cdist([qt.text], list(map(labels.__getitem__, rows_l[:nf])),
                    scorer=getattr(fuzz, w.fuzzy_scorer), dtype=np.float32)[0] / 100.0
        final[:nf] += w.fuzzy_weight * sim
        if explain:
            for i in np.flatnonzero(sim >= 0.8).tolist():
                extras[i].append(("fuzzy", "", w.fuzzy_weight * float(sim[i]), None))
    if qt.long and w.phrase_weight > 0:
        for i, bonus in enumerate(phrase_bonus(index, qt, rows_l[:nf])):
            final[i] += bonus
    qattrs = query_facets(query) if query.attributes else {}
    if facet_models(index):
        inferred = infer_for_query(index, qt, query)
        for i, e in enumerate(inferred_boosts(index, rows_l, inferred)):
            if e is not None:
                final[i] += e[2]
                if explain and e[0] == "facet":
                    extras[i].append(e)
    case_owners = case_owners_of(index, rows_l)
    if qattrs or case_owners or index.any_verified:
        for i, r in enumerate(rows_l):
            for e in row_boosts(index, r, qattrs, case_owners):
                final[i] += e[2]
                if explain:
                    extras[i].append(e)
    order = np.argsort(-final, kind="stable")
    if index.has_owner and (w.max_per_owner > 0 or w.owner_repeat_penalty > 0):
        order = diversify(order, final, [index.owners[r] for r in rows_l],
                          [index.kinds[r] for r in rows_l], w)
    order = order[:top]
    return Reranked(rows, order, final, lex, confidence_of(w, final[order], qt.known).tolist(), extras)


def _lexical_order(grp: np.ndarray, rows: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """The order of lexsort((rows, -vals, grp)): by query, best score first, ties by row.

    Positive float32 scores sort as their bit patterns, so when query, score and row fit in
    63 bits together one argsort of a packed integer key does it (the keys are distinct, so
    any sort gives the same order); otherwise the lexsort itself.
    """
    rb = int(rows.max()).bit_length() if len(rows) else 0
    gb = int(grp[-1]).bit_length() if len(grp) else 0
    if vals.dtype != np.float32 or gb + 31 + rb > 63 or not (vals > 0).all():
        return np.lexsort((rows, -vals, grp))
    inv = np.int64(0x7FFFFFFF) - vals.view(np.int32).astype(np.int64)
    return np.argsort((grp.astype(np.int64) << (31 + rb)) | (inv << rb) | rows.astype(np.int64))


def plain_batch(index: Index, queries: list[Query]) -> bool:
    """Whether :func:`rerank_batch` applies: no filters or stated facets in the queries, and
    no signal in the index that only the per-query path computes (inferred facets, owners,
    verified listings)."""
    return (not index.has_owner and not index.any_verified and not facet_models(index)
            and not any(q.attributes or q.exclude or q.kinds is not None for q in queries))


def rerank_batch(index: Index, cands: list[Candidates], top: int) -> list[tuple[list, list]]:
    """:func:`rerank` for a chunk of queries at once, when :func:`plain_batch` holds, as
    (doc ids, confidences) per query: the same numbers in the same order.

    The per-query path makes about twenty small numpy calls per query (a third of the
    CLI's ranking time on short-query sets); here the candidates of all queries are
    concatenated and each step is one call for the chunk: one lexsort for the candidate
    order, one pairwise fuzzy pass (rapidfuzz ``cpdist``, the same scorer as ``cdist``), one
    lexsort for the final order, the confidence of a padded queries x top matrix. What stays
    per query is the choice of the best candidates (``argpartition``, whose pick among equal
    scores at the cut the results depend on), the query's norm and the phrase credit of long
    demands, computed exactly as :func:`rerank` does.

    :param cands: per query, its candidates (retrieve_many's order).
    :returns: one (ids, confidences) pair per query; ([], []) for a query without candidates.
    """
    w = index.weights
    depth = rerank_depth(index, top)
    idf, _ = index.stats()
    k1p = index.weights.k1 + 1
    rows_l, vals_l, norms, known = [], [], [], []
    for c in cands:
        rows, vals = c.rows, c.vals
        if len(rows) > depth:
            sel = np.argpartition(-vals, depth - 1)[:depth]
            rows, vals = rows[sel], vals[sel]
        rows_l.append(rows)
        vals_l.append(vals)
        qt = c.qt
        k = len(qt.cols) if qt.own < 0 else qt.own
        norms.append(float((qt.weights[:k] * idf[qt.cols[:k]]).sum() * k1p) or 1.0 if k else 1.0)
        known.append(known_factor(w, qt.known))
    nq = len(cands)
    lens = np.fromiter(map(len, rows_l), dtype=np.int64, count=nq)
    if not lens.any():
        return [([], [])] * nq
    grp = np.repeat(np.arange(nq), lens)
    rows = np.concatenate(rows_l)
    vals = np.concatenate(vals_l)
    o = _lexical_order(grp, rows, vals)
    rows, vals = rows[o], vals[o]
    start = np.cumsum(lens) - lens
    pos = np.arange(len(rows)) - np.repeat(start, lens)  # position within the query
    final = vals.astype(np.float64) / np.repeat(np.asarray(norms), lens)
    texts = [c.qt.text for c in cands]
    if w.fuzzy_weight > 0:
        fz = (pos < w.fuzzy_depth) & np.repeat(np.asarray([bool(t) for t in texts]), lens)
        at = np.flatnonzero(fz)
        if len(at):
            labels = index.labels
            sim = cpdist([texts[g] for g in grp[at].tolist()],
                         list(map(labels.__getitem__, rows[at].tolist())),
                         scorer=getattr(fuzz, w.fuzzy_scorer), dtype=np.float32) / 100.0
            final[at] += w.fuzzy_weight * sim
    if w.phrase_weight > 0:
        nf = np.minimum(lens, w.fuzzy_depth).tolist()
        for j, c in enumerate(cands):
            if c.qt.long and nf[j]:
                s = int(start[j])
                for i, bonus in enumerate(phrase_bonus(index, c.qt, rows[s:s + nf[j]].tolist())):
                    final[s + i] += bonus
    # Per query, argsort(-final, kind="stable") as rerank does, on a queries x depth matrix
    # padded at the end (many short sorts: cheaper than one lexsort of the chunk).
    width = int(lens.max())
    cell = grp * width + pos
    m = np.full(nq * width, np.inf)
    m[cell] = -final
    o = np.argsort(m.reshape(nq, width), axis=1, kind="stable")
    o = (o + start[:, None])[np.arange(width) < lens[:, None]]
    rows, final = rows[o], final[o]
    # The first `top` of each query, in a queries x top matrix padded at the end (a running
    # minimum along a row never sees the padding before its own results).
    n = np.minimum(lens, top)
    keep = pos < top  # pos is unchanged by the reorder: it only depends on the group
    width = int(n.max())
    at = (grp * width + pos)[keep]
    f = np.asarray(known)
    fin = final[keep]
    kf = np.repeat(f, n)
    fin = np.where((kf < 1.0) & (fin > 0), fin * kf, fin)
    conf = np.full(nq * width, np.inf)
    conf[at] = 1.0 / (1.0 + np.exp(w.confidence_slope * (w.confidence_midpoint - fin)))
    conf = conf.reshape(nq, width)
    steps = _STEPS[:width] if width <= len(_STEPS) else np.arange(width) * CONFIDENCE_STEP
    conf = np.round(np.minimum.accumulate(conf + steps, axis=1) - steps, 9).tolist()
    ids = list(map(index.ids.__getitem__, rows[keep].tolist()))
    out = []
    a = 0
    for j, k in enumerate(n.tolist()):
        out.append((ids[a:a + k], conf[j][:k]))
        a += k
    return out
