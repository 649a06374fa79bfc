"""Ranking: BM25F lexical retrieval, then re-ranking of the top candidates with a fuzzy title
similarity and structured boosts, then per-owner diversification.

One code path serves single queries (the app) and batches (the CLI/bench): both produce a
lexical score vector per query and share :func:`_finish`, so the benchmark measures exactly
what users get.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from .facets import INFERRED_FACETS
from .index import _ATTR_SEP, Index
from .model import Match, Query
from .rerank import (confidence_of, diversify, infer_for_query, inferred_boosts, phrase_bonus,
                     query_norm)
from .synonyms import default_synonyms
from .tokenizer import normalize, term_kind, tokenize


@dataclass
class QueryTerms:
    """A query compiled against an index: term columns, weights, and where they came from."""

    text: str                      # normalised query text
    cols: np.ndarray               # int term columns
    weights: np.ndarray            # query-side weights
    origin: dict[int, str]         # column -> "query" or the synonym phrase that added it
    display: str = ""              # the query as typed, when it aligns with `text`
    n_core: int = 0                # distinct unigram/word terms of the query itself
    # Columns of multi-character terms (CJK bigrams, words) from the query or its synonyms,
    # and whether the query had any such term at all (known to the index or not).
    strong: tuple[int, ...] = ()
    wants_strong: bool = False
    own: int = -1                  # how many leading columns are the query's own (not feedback)
    long: bool = False             # a long demand (see RankingWeights.long_query_chars)
    tokens: tuple[str, ...] = ()   # the query's tokens with repeats (for the facet classifier)
    known: float = 1.0             # share of the query's information the catalog knows


def compile_query(index: Index, text: str) -> QueryTerms:
    """Turn query text into weighted term columns, expanding industrial synonyms.

    :param index: the index whose vocabulary to use (unknown terms are dropped).
    :param text: query text.
    :returns: the compiled query.
    """
    w = index.weights
    kind_w = {"uni": w.unigram_weight, "bi": w.bigram_weight, "word": w.word_weight}
    norm = normalize(text)
    vocab = index.vocab
    # Terms found only in removed documents (df 0) must not count; without tombstones since
    # the last compaction every vocabulary term has df >= 1, so the per-term check is skipped.
    df = index.df if index.n_dead else None
    cw: dict[int, float] = {}
    origin: dict[int, str] = {}
    n_core = 0
    strong: list[int] = []
    wants_strong = False
    tokens = tokenize(norm, normalized=True)
    terms = dict.fromkeys(tokens)  # distinct terms, in text order
    long = bool(w.long_query_chars and len(terms) >= w.long_query_chars and sum(
        1 for t in terms if len(t) == 1 and not t.isascii()) >= w.long_query_chars)
    max_df = None
    if long:
        kind_w = {"uni": w.long_unigram_weight, "bi": w.long_bigram_weight, "word": w.word_weight}
        if w.long_query_max_df < 1.0 and len(index) >= w.two_phase_min_docs:
            max_df = w.long_query_max_df * len(index)
            df = index.df
    idf = index.stats()[0]
    info_known, n_words = 0.0, 0
    unknown: list[str] = []  # the query's own characters and words no live listing holds
    for t in terms:
        kind = term_kind(t)
        wants_strong |= kind != "uni"
        c = vocab.get(t)
        if kind != "bi":
            if c is not None and (df is None or df[c] > 0):
                info_known += idf[c]
                n_words += 1
            else:
                unknown.append(t)
        if c is not None and c not in cw and (df is None or df[c] > 0):
            if max_df is not None and df[c] > max_df:
                continue  # boilerplate of a paragraph: in most listings, decides nothing
            cw[c] = kind_w[kind]
            origin[c] = "query"
            n_core += kind != "bi"
            if kind != "uni":
                strong.append(c)
    if w.synonym_weight > 0:
        for phrase, others in default_synonyms().find(norm):
            understood = False
            for member in others:
                for t in tokenize(member, normalized=True):
                    c = vocab.get(t)
                    understood |= c is not None and term_kind(t) != "uni"
                    if c is not None and c not in cw and (df is None or df[c] > 0):
                        cw[c] = w.synonym_weight * kind_w[term_kind(t)]
                        origin[c] = member
                        if term_kind(t) != "uni":
                            strong.append(c)
            if understood and unknown:  # said in words the catalog knows under another name
                covered = set(tokenize(phrase, normalized=True))
                unknown = [t for t in unknown if t not in covered]
    # A term no live listing holds has the largest IDF there is.
    info_unknown = len(unknown) * float(np.log1p((max(len(index), 1) + 0.5) / 0.5))
    # Only keyword queries: in a sentence every word counts less and some are filler a small
    # catalog lacks (我们是东莞的...); a long demand's out-of-domain case is the facet
    # classifier's background model's job.
    keywords = n_words + len(unknown) < w.prf_min_query_terms
    known = info_known / (info_known + info_unknown) if info_unknown and keywords else 1.0
    cols = np.fromiter(cw.keys(), dtype=np.int64, count=len(cw))
    wts = np.fromiter(cw.values(), dtype=np.float64, count=len(cw))
    return QueryTerms(norm, cols, wts, origin, text if len(text) == len(norm) else norm, n_core,
                      tuple(strong), wants_strong, long=long, tokens=tuple(tokens), known=known)


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
        cand = np.sort(_top_rows(*_positive(scores), w.two_phase_candidates)[0])
        cand = cand.astype(index.main.indices.dtype)  # what term_weights_at searches with
        found = index.terms_weights_at([c for c, _ in common], cand)
        for (c, qw), (hit, vals) in zip(common, found):
            vals = vals * qw
            scores[hit] += vals
            if keep_terms:
                per_term[c] = (hit, vals)
    return (scores, per_term) if keep_terms else scores


def _expansions(index: Index, qts: list[QueryTerms], cands: list) -> list[tuple[int, list, list]]:
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


def _prf(index: Index, qt: QueryTerms, rows: np.ndarray, vals: np.ndarray) -> QueryTerms | None:
    """Pseudo-relevance feedback for one query (see :func:`_expansions`), as a new QueryTerms
    whose expansion terms are marked "prf" for the explanations.

    :param rows: candidate rows with a positive lexical score; vals: their scores.
    """
    found = _expansions(index, [qt], [(rows, vals)])
    if not found:
        return None
    _, cols, wts = found[0]
    origin = dict(qt.origin)
    for c in cols:
        origin[c] = "prf"
    return QueryTerms(qt.text, np.concatenate([qt.cols, np.asarray(cols, dtype=np.int64)]),
                      np.concatenate([qt.weights, wts]), origin, qt.display, qt.n_core,
                      own=len(qt.cols), long=qt.long, tokens=qt.tokens, known=qt.known)


def _top_rows(rows: np.ndarray, vals: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """The `depth` best (row, score) pairs, best first; ties keep row order."""
    if len(rows) > depth:
        sel = np.argpartition(-vals, depth - 1)[:depth]
        rows, vals = rows[sel], vals[sel]
    order = np.lexsort((rows, -vals))
    return rows[order], vals[order]


def _positive(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(scores > 0)
    return rows, scores[rows]


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
                out.append(("facet", a.split(_ATTR_SEP, 1)[1], boosts[f], f))
    if w.verified_boost and index.verified[row]:
        out.append(("verified", "", w.verified_boost, None))
    if case_owners and index.kinds[row] != "case" and index.owners[row] in case_owners:
        out.append(("case", "", w.case_evidence_boost, None))
    return out


def query_facets(query: Query) -> dict[str, str]:
    """Query facets in the index's interned "facet\x1fvalue" form.

    :param query: the query.
    :returns: {"facet\x1fvalue": facet}.
    """
    return {f"{k}{_ATTR_SEP}{normalize(v)}": k for k, vs in query.attributes.items() for v in vs}


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


def _finish(index: Index, qt: QueryTerms, query: Query, rows: np.ndarray, vals: np.ndarray,
            top: int, per_term=None, explain: bool = False, raw: bool = False):
    """Filter, re-rank the top candidates, diversify, and build Match objects.

    :param rows: candidate rows (any order) and vals their lexical scores (> 0).
    :param raw: return (ids, scores) lists instead of Match objects (CLI fast path).
    """
    w = index.weights
    if query.exclude or query.kinds is not None:
        keep = np.ones(len(rows), dtype=bool)
        if query.exclude:
            bad = [index.row_of[d] for d in query.exclude if d in index.row_of]
            keep &= ~np.isin(rows, bad)
        if query.kinds is not None:
            keep &= index.kind_mask(query.kinds)[rows]
        rows, vals = rows[keep], vals[keep]
    has_owner = index.has_owner
    depth = rerank_depth(index, top)
    rows, vals = _top_rows(rows, vals, depth)
    if not len(rows):
        return ([], []) if raw else []
    rows_l = rows.tolist()
    top_lex = float(vals[0])
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
    if index.facet_models():
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
    if has_owner and (w.max_per_owner > 0 or w.owner_repeat_penalty > 0):
        order = diversify(order, final, [index.owners[r] for r in rows_l],
                           [index.kinds[r] for r in rows_l], w)
    order = order[:top]
    conf = confidence_of(w, final[order], qt.known).tolist()
    ids = index.ids
    if raw:
        return list(map(ids.__getitem__, rows[order].tolist())), conf
    order = order.tolist()
    # The older relative score: lexical part over the best hit, plus the same extras.
    legacy = ((final - lex / query_norm(index, qt)) + lex / top_lex).tolist()
    if not explain:
        return [Match(ids[rows_l[i]], legacy[i], (), c) for i, c in zip(order, conf)]
    from .explain import contributions, reasons_for
    from .tokenizer import query_spans
    spans = query_spans(qt.text)
    contrib = contributions(index, qt, [rows_l[i] for i in order], per_term or {})
    return [Match(ids[rows_l[i]], legacy[i],
                  reasons_for(index, qt, rows_l[i], per_term, top_lex, extras[i], ct, spans), c)
            for i, ct, c in zip(order, contrib, conf)]


def infer_facets(index: Index, text: str, top: int = 3) -> dict[str, list[tuple[str, float]]]:
    """The industries and scenarios a demand text most likely means, e.g. for 行业相同 /
    场景相同 badges or to pre-fill a demand form's facets.

    :param index: the index (its tagged listings train the classifier).
    :param text: the demand text.
    :param top: values returned per facet at most.
    :returns: {"industry": [(value, probability)], "scenario": [...]}, most likely first;
        a facet the catalog cannot infer (too few tagged listings) maps to an empty list.
    """
    out: dict[str, list[tuple[str, float]]] = {f: [] for f in INFERRED_FACETS}
    if not index.facet_models():
        return out
    qt = compile_query(index, text)
    for facet, probs in infer_for_query(index, qt, Query(text)).items():
        out[facet] = sorted(probs.items(), key=lambda x: (-x[1], x[0]))[:top]
    return out


def _as_query(query) -> Query:
    return query if isinstance(query, Query) else Query(text=str(query))


def rank(index: Index, query: Query | str, top: int = 10, explain: bool = True) -> list[Match]:
    """Best documents for a query, re-ranked, diversified and explained.

    :param index: built or loaded index.
    :param query: a Query, or plain text.
    :param top: number of matches to return.
    :param explain: attach Reason tuples (costs a little; the CLI turns it off).
    :returns: matches, best first; empty when nothing shares a term with the query.
    """
    query = _as_query(query)
    qt = compile_query(index, query.text)
    scores, per_term = lexical_scores(index, qt, keep_terms=True)
    rows, vals = _positive(scores)
    if query.strict and qt.wants_strong:
        rows, vals = _with_a_strong_term(qt, per_term, rows, vals)
    qt2 = _prf(index, qt, rows, vals)
    if qt2 is not None:
        k = len(qt.cols)  # only the expansion terms are new: score them and add them in
        extra = QueryTerms("", qt2.cols[k:], qt2.weights[k:], {})
        extra_scores, extra_terms = lexical_scores(index, extra, keep_terms=True)
        scores += extra_scores
        per_term.update(extra_terms)
        qt = qt2
        rows, vals = _positive(scores)
    return _finish(index, qt, query, rows, vals, top, per_term, explain)


def _with_a_strong_term(qt: QueryTerms, per_term: dict, rows: np.ndarray, vals: np.ndarray):
    """Keep rows that share a word or a two-character term with the query (strict queries).

    A row that matched only single characters (预测性维护 vs a listing mentioning 检测) is
    noise to a user who typed a keyword, however the scores happen to normalise.
    """
    hits = [per_term[c][0] for c in qt.strong if c in per_term]
    if not hits:
        return rows[:0], vals[:0]
    keep = np.isin(rows, np.unique(np.concatenate(hits)))
    return rows[keep], vals[keep]


def rank_many(index: Index, queries: list, top: int = 10, chunk: int = 256,
              raw: bool = False) -> list:
    """Rank many queries at once via sparse matrix products (same results as :func:`rank`,
    up to float32 rounding).

    As in :func:`rank`, pseudo-relevance feedback scores only the expansion terms and adds
    them to the first pass, rather than scoring the whole expanded query again.

    :param index: the index.
    :param queries: Query objects or texts.
    :param top: matches per query.
    :param chunk: queries scored per matrix product (bounds memory).
    :param raw: yield (doc ids, scores) pairs instead of Match lists (the CLI's fast path).
    :returns: one match list (or pair) per query, without explanations.
    """
    queries = [_as_query(q) for q in queries]
    qts = [compile_query(index, q.text) for q in queries]
    segs = index.weighted_segments()
    out: list = []
    for s in range(0, len(queries), chunk):
        part = qts[s:s + chunk]
        prods = _products([(q.cols, q.weights) for q in part], segs)
        cands = _candidates(prods, segs, range(len(part)))
        found = _expansions(index, part, cands)
        if found:
            extra = [(_NO_COLS, _NO_WEIGHTS)] * len(part)
            for j, cols, wts in found:
                extra[j] = (np.asarray(cols, dtype=np.int64), np.asarray(wts))
            prods = [p + e for p, e in zip(prods, _products(extra, segs))]
            redo = [j for j, _, _ in found]
            for j, c in zip(redo, _candidates(prods, segs, redo)):
                cands[j] = c
        for j, qt in enumerate(part):
            out.append(_finish(index, qt, queries[s + j], *cands[j], top, raw=raw))
    return out


_NO_COLS = np.zeros(0, dtype=np.int64)
_NO_WEIGHTS = np.zeros(0)


def _products(qs: list[tuple[np.ndarray, np.ndarray]], segs) -> list[sp.csr_matrix]:
    """Lexical scores of (term columns, query weights) vectors: one sparse product per
    segment, queries x that segment's rows."""
    nq = len(qs)
    nnz = [len(c) for c, _ in qs]
    ptr = np.concatenate([[0], np.cumsum(nnz)]).astype(np.int64)
    ind = np.concatenate([c for c, _ in qs]) if qs else _NO_COLS
    dat = (np.concatenate([v for _, v in qs]) if qs else _NO_WEIGHTS).astype(np.float32)
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


def _candidates(prods: list[sp.csr_matrix], segs, which) -> list[tuple[np.ndarray, np.ndarray]]:
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
