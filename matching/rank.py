"""Ranking: the pipeline assembled (tokenize -> index -> query -> score -> rerank -> explain).

One code path serves single queries (the app) and batches (the CLI/bench): both produce
lexical candidates per query (score.py) and share :func:`rerank.rerank` and
:func:`_results`, so the benchmark measures exactly what users get.
"""
from __future__ import annotations

import itertools

from .facets import INFERRED_FACETS, facet_models
from .index import Index
from .model import Match, Query
from .query import as_query, compile_query
from .rerank import infer_for_query, plain_batch, query_norm, rerank, rerank_batch
from .score import Candidates, retrieve, retrieve_many


def _results(index: Index, query: Query, cands: Candidates, top: int, explain: bool = False,
             raw: bool = False):
    """Re-rank a query's candidates and build its Match objects.

    :param raw: return (ids, confidences) lists instead of Match objects (CLI fast path).
    """
    got = rerank(index, query, cands, top, explain)
    if got is None:
        return ([], []) if raw else []
    ids, rows, conf = index.ids, got.rows, got.confidence
    if raw:
        return list(map(ids.__getitem__, rows[got.order].tolist())), conf
    order, rows_l = got.order.tolist(), rows.tolist()
    # The older relative score: lexical part over the best hit, plus the same extras.
    top_lex = float(got.lex[0])
    lexical = got.lex / query_norm(index, cands.qt)
    legacy = ((got.final - lexical) + got.lex / top_lex).tolist()
    if not explain:
        return [Match(ids[rows_l[i]], legacy[i], (), c) for i, c in zip(order, conf)]
    # Imported here, not at the top: the CLI never explains, and the word lists and regexes
    # of explain.py cost its start-up ~30 ms (a downward import; no cycle is hidden).
    from .explain import contributions, reasons_for
    shown = [rows_l[i] for i in order]
    contrib = contributions(index, cands.qt, shown, cands.per_term)
    return [Match(ids[r], legacy[i], reasons_for(index, cands.qt, r, top_lex, got.extras[i], ct), c)
            for r, i, ct, c in zip(shown, order, contrib, conf)]


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
    if not facet_models(index):
        return out
    qt = compile_query(index, text)
    for facet, probs in infer_for_query(index, qt, Query(text)).items():
        out[facet] = sorted(probs.items(), key=lambda x: (-x[1], x[0]))[:top]
    return out


def rank(index: Index, query: Query | str, top: int = 10, explain: bool = True) -> list[Match]:
    """Best documents for a query, re-ranked, diversified and explained.

    :param index: built or loaded index.
    :param query: a Query, or plain text.
    :param top: number of matches to return.
    :param explain: attach Reason tuples (costs a little; the CLI turns it off).
    :returns: matches, best first; empty when nothing shares a term with the query.
    """
    query = as_query(query)
    return _results(index, query, retrieve(index, query, compile_query(index, query.text)), top, explain)


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
    queries = [as_query(q) for q in queries]
    qts = [compile_query(index, q.text) for q in queries]
    found = retrieve_many(index, qts, chunk)
    if raw and plain_batch(index, queries):
        # The CLI's common case: re-rank a chunk at once (same numbers, fewer numpy calls).
        out: list = []
        for s in range(0, len(qts), chunk):
            out.extend(rerank_batch(index, list(itertools.islice(found, chunk)), top))
        return out
    return [_results(index, q, c, top, raw=raw) for q, c in zip(queries, found)]
