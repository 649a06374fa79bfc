"""Lexical scoring, the pipeline's fourth step: BM25F scores of a compiled query over an
index, for one query (per-term columns, two-phase on large catalogs, kept per term for the
explanations) or many (sparse products), and RM3-style pseudo-relevance feedback.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .index import Index
from .model import Query
from .query import QueryTerms


@dataclass
class Candidates:
    """A query's lexical candidates: rows with a positive score (any order), their scores,
    the compiled query (with its feedback terms) and, for explanations, each term's
    (rows ascending, contributions)."""

    qt: QueryTerms
    rows: np.ndarray
    vals: np.ndarray
    per_term: dict | None = None


def retrieve(index: Index, query: Query, qt: QueryTerms) -> Candidates:
    """One query's candidates: BM25F over its terms, the strict filter, then feedback
    terms (scored alone and added in).

    :param query: the query (for `strict`); qt: it compiled.
    """
    scores, per_term = lexical_scores(index, qt, keep_terms=True)
    rows, vals = positive(scores)
    if query.strict and qt.wants_strong:
        rows, vals = with_a_strong_term(qt, per_term, rows, vals)
    qt2 = feedback(index, qt, rows, vals)
    if qt2 is not None:
        k = len(qt.cols)  # only the expansion terms are new: score them and add them in
        extra = QueryTerms("", qt2.cols[k:], qt2.weights[k:], {})
        extra_scores, extra_terms = lexical_scores(index, extra, keep_terms=True)
        scores += extra_scores
        per_term.update(extra_terms)
        qt = qt2
        rows, vals = positive(scores)
    return Candidates(qt, rows, vals, per_term)


def retrieve_many(index: Index, qts: list[QueryTerms], chunk: int = 256):
    """Candidates of many queries, via one sparse product per chunk of queries (same
    results as :func:`retrieve` up to float32 rounding; no per-term contributions, no
    strict filter).

    :param chunk: queries per product (bounds memory).
    :returns: an iterator of Candidates, in query order.
    """
    segs = index.weighted_segments()
    for s in range(0, len(qts), chunk):
        part = qts[s:s + chunk]
        prods = products([(q.cols, q.weights) for q in part], segs)
        cands = candidates(prods, segs, range(len(part)))
        found = expansions(index, part, cands)
        if found:
            extra = [(NO_COLS, NO_WEIGHTS)] * len(part)
            for j, cols, wts in found:
                extra[j] = (np.asarray(cols, dtype=np.int64), np.asarray(wts))
            prods = [p + e for p, e in zip(prods, products(extra, segs))]
            redo = [j for j, _, _ in found]
            for j, c in zip(redo, candidates(prods, segs, redo)):
                cands[j] = c
        for qt, (rows, vals) in zip(part, cands):
            yield Candidates(qt, rows, vals)


def lexical_scores(index: Index, qt: QueryTerms, keep_terms: bool = False):
    """BM25F score of every row for one query (dead rows score 0).

    :param index: the index.
    :param qt: compiled query.
    :param keep_terms: also return per-term (rows, contributions) for explanations.
    :returns: score vector, and the per-term dict when keep_terms.
    """
    scores = np.zeros(len(index.ids))
    per_term = {}
    w = index.weights
    n_live = len(index)
    common = []
    terms = list(zip(qt.cols.tolist(), qt.weights.tolist()))
    if n_live >= w.two_phase_min_docs and len(terms) > 1:
        # Large index: terms found in many documents cost the most and decide the least, so
        # they are scored only on the candidates the selective terms found (MaxScore-like).
        df = index.df
        terms.sort(key=lambda t: df[t[0]])
        limit = w.two_phase_common_df * n_live
        n_sel = sum(1 for c, _ in terms if df[c] <= limit) or min(3, len(terms))
        terms, common = terms[:n_sel], terms[n_sel:]
    for c, qw in terms:
        rows, vals = index.term_weights(c)
        if len(rows):
            vals = vals * qw
            scores[rows] += vals
            if keep_terms:
                per_term[c] = (rows, vals)
    if common:
        cand = np.sort(top_rows(*positive(scores), w.two_phase_candidates)[0])
        cand = cand.astype(index.main.indices.dtype)  # what term_weights_at searches with
        found = index.terms_weights_at([c for c, _ in common], cand)
        for (c, qw), (hit, vals) in zip(common, found):
            vals = vals * qw
            scores[hit] += vals
            if keep_terms:
                per_term[c] = (hit, vals)
    return (scores, per_term) if keep_terms else scores


def expansions(index: Index, qts: list[QueryTerms], cands: list) -> list[tuple[int, list, list]]:
    """RM3-style pseudo-relevance feedback for many queries at once: the strongest terms of
    each query's top documents, computed in one vectorised pass (no per-query numpy calls
    beyond picking the top documents, which dominated the batch path before).

    :param qts: compiled queries; cands: per query, rows with a positive lexical score and
        those scores (any order).
    :returns: (query position, expansion columns, their query-side weights) for each query
        that gets feedback (long enough, with candidates, on a small enough index).
    """
    w = index.weights
    if w.prf_docs <= 0 or w.prf_terms <= 0 or len(index.ids) > w.prf_max_docs:
        return []
    js = [j for j, qt in enumerate(qts) if qt.n_core >= w.prf_min_query_terms and len(cands[j][0])]
    if not js:
        return []
    top_l, score_l, kcount = [], [], []
    for j in js:
        rows, vals = cands[j]
        k = min(w.prf_docs, len(rows))
        sel = np.argpartition(-vals, k - 1)[:k] if len(rows) > k else slice(None)
        top_l.append(rows[sel])
        score_l.append(vals[sel])
        kcount.append(k)
    top = np.concatenate(top_l)
    top_scores = np.concatenate(score_l).astype(np.float64)
    kcount = np.asarray(kcount)
    first = np.cumsum(kcount) - kcount
    # P(w|D) * relevance(D), as in RM3, times IDF so expansion favours specific words.
    qmax = np.maximum.reduceat(top_scores, first)
    rel = np.exp(top_scores - np.repeat(qmax, kcount)) / np.maximum(index.dl[top], 1.0)
    csr = index.csr()
    idf, _ = index.stats()
    start = csr.indptr[top]
    lens = csr.indptr[top + 1] - start
    pos = np.repeat(start - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
    cols = csr.indices[pos].astype(np.int64)
    contrib = csr.data[pos] * np.repeat(rel, lens) * idf[cols]
    nv = max(len(index.vocab), 1)
    g = np.repeat(np.repeat(np.arange(len(js)), kcount), lens)
    keys, inv = np.unique(g * nv + cols, return_inverse=True)
    sums = np.bincount(inv.ravel(), weights=contrib, minlength=len(keys))
    own = np.concatenate([k * nv + qts[j].cols for k, j in enumerate(js)])
    # A query's own terms are not expansion. keys is sorted and unique, so a binary search
    # finds them (np.isin would sort `own` again, and import numpy.ma on numpy 2.x to do so).
    at = np.minimum(np.searchsorted(keys, own), len(keys) - 1)
    sums[at[keys[at] == own]] = 0.0
    sums = np.round(sums, 9)
    grp = keys // nv
    order = np.lexsort((-sums, grp))  # per query, strongest first
    grp_o, sums_o, cols_o = grp[order], sums[order], (keys % nv)[order]
    gstart = np.searchsorted(grp_o, np.arange(len(js)))
    gsize = np.diff(np.append(gstart, len(grp_o)))
    m = np.minimum(gsize, w.prf_terms)
    kth = np.where(m > 0, sums_o[np.maximum(gstart + m - 1, 0)], 0.0)
    kth = np.maximum(kth, np.finfo(float).tiny)
    picked = sums_o >= kth[grp_o]  # every tie at the boundary, then a deterministic cut
    npick = np.bincount(grp_o[picked], minlength=len(js))
    idx_p = np.flatnonzero(picked)
    starts = np.searchsorted(grp_o[idx_p], np.arange(len(js)))
    terms = index.terms() if (npick > w.prf_terms).any() else None
    out = []
    c_p, s_p = cols_o[idx_p].tolist(), sums_o[idx_p].tolist()
    for gi, j in enumerate(js):
        a, n = int(starts[gi]), int(npick[gi])
        if not n:
            continue
        best_c, best_v = c_p[a:a + n], s_p[a:a + n]
        if n > w.prf_terms:  # ties broken by the term itself, not by column numbering
            best = sorted(zip(best_c, best_v), key=lambda x: (-x[1], terms[x[0]]))[:w.prf_terms]
            best_c, best_v = [c for c, _ in best], [v for _, v in best]
        tot = sum(best_v)
        scale = w.prf_weight * float(qts[j].weights.sum()) / tot
        out.append((j, best_c, [v * scale for v in best_v]))
    return out


def feedback(index: Index, qt: QueryTerms, rows: np.ndarray, vals: np.ndarray) -> QueryTerms | None:
    """Pseudo-relevance feedback for one query (see :func:`expansions`), as a new QueryTerms
    whose expansion terms are marked "prf" for the explanations.

    :param rows: candidate rows with a positive lexical score; vals: their scores.
    """
    found = expansions(index, [qt], [(rows, vals)])
    if not found:
        return None
    _, cols, wts = found[0]
    origin = dict(qt.origin)
    for c in cols:
        origin[c] = "prf"
    return QueryTerms(qt.text, np.concatenate([qt.cols, np.asarray(cols, dtype=np.int64)]),
                      np.concatenate([qt.weights, wts]), origin, qt.display, qt.n_core,
                      own=len(qt.cols), long=qt.long, tokens=qt.tokens, known=qt.known)


def top_rows(rows: np.ndarray, vals: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """The `depth` best (row, score) pairs, best first; ties keep row order."""
    if len(rows) > depth:
        sel = np.argpartition(-vals, depth - 1)[:depth]
        rows, vals = rows[sel], vals[sel]
    order = np.lexsort((rows, -vals))
    return rows[order], vals[order]


def positive(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(scores > 0)
    return rows, scores[rows]


def with_a_strong_term(qt: QueryTerms, per_term: dict, rows: np.ndarray, vals: np.ndarray):
    """Keep rows that share a word or a two-character term with the query (strict queries).

    A row that matched only single characters (预测性维护 vs a listing mentioning 检测) is
    noise to a user who typed a keyword, however the scores happen to normalise.
    """
    hits = [per_term[c][0] for c in qt.strong if c in per_term]
    if not hits:
        return rows[:0], vals[:0]
    keep = np.isin(rows, np.unique(np.concatenate(hits)))
    return rows[keep], vals[keep]


NO_COLS = np.zeros(0, dtype=np.int64)
NO_WEIGHTS = np.zeros(0)


def products(qs: list[tuple[np.ndarray, np.ndarray]], segs) -> list[sp.csr_matrix]:
    """Lexical scores of (term columns, query weights) vectors: one sparse product per
    segment, queries x that segment's rows."""
    nq = len(qs)
    nnz = [len(c) for c, _ in qs]
    ptr = np.concatenate([[0], np.cumsum(nnz)]).astype(np.int64)
    ind = np.concatenate([c for c, _ in qs]) if qs else NO_COLS
    dat = (np.concatenate([v for _, v in qs]) if qs else NO_WEIGHTS).astype(np.float32)
    parts = []
    for wt, _off in segs:
        keep = ind < wt.shape[0]
        if keep.all():
            q = sp.csr_matrix((dat, ind, ptr), shape=(nq, wt.shape[0]))
        else:
            qrows = np.repeat(np.arange(nq), nnz)[keep]
            q = sp.csr_matrix((dat[keep], (qrows, ind[keep])), shape=(nq, wt.shape[0]))
        parts.append((q @ wt).tocsr())
    return parts


def candidates(prods: list[sp.csr_matrix], segs, which) -> list[tuple[np.ndarray, np.ndarray]]:
    """Positive-score (rows, scores) of the given query positions in the products.

    No filtering needed: every weight is >= 0 and scipy's product and sum store no zero
    results, so the zero weights of tombstoned rows never reach the output.
    """
    out = []
    for j in which:
        rl, vl = [], []
        for m, (_, off) in zip(prods, segs):
            a, b = m.indptr[j], m.indptr[j + 1]
            r = m.indices[a:b]
            rl.append(r + off if off else r)
            vl.append(m.data[a:b])
        out.append((np.concatenate(rl), np.concatenate(vl)) if len(rl) > 1 else (rl[0], vl[0]))
    return out
