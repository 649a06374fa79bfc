"""Query compilation, the pipeline's third step (tokenize -> index -> query -> score ->
rerank -> explain): query text to weighted term columns of an index, with industrial synonyms
expanded, the long-demand weights chosen, and the share of its vocabulary the catalog knows.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .index import ATTR_SEP, Index
from .model import Query
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
    known_cols: list[int] = []  # the query's own characters and words some listing holds
    unknown: list[str] = []     # and those no live listing holds
    for t in terms:
        # term_kind(t), inlined: this loop runs once per query term (a CLI run's hot path).
        kind = ("uni" if len(t) == 1 else "bi") if t[0] >= "\u3400" else "word"
        wants_strong |= kind != "uni"
        c = vocab.get(t)
        if kind != "bi":
            if c is not None and (df is None or df[c] > 0):
                known_cols.append(c)
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
    # Only keyword queries: in a sentence every word counts less and some are filler a small
    # catalog lacks (我们是东莞的...); a long demand's out-of-domain case is the facet
    # classifier's background model's job.
    known = 1.0
    if unknown and len(known_cols) + len(unknown) < w.prf_min_query_terms:
        info_known = float(index.stats()[0][known_cols].sum())
        # A term no live listing holds has the largest IDF there is.
        info_unknown = len(unknown) * float(np.log1p((max(len(index), 1) + 0.5) / 0.5))
        known = info_known / (info_known + info_unknown)
    cols = np.fromiter(cw.keys(), dtype=np.int64, count=len(cw))
    wts = np.fromiter(cw.values(), dtype=np.float64, count=len(cw))
    return QueryTerms(norm, cols, wts, origin, text if len(text) == len(norm) else norm, n_core,
                      tuple(strong), wants_strong, long=long, tokens=tuple(tokens), known=known)


def query_facets(query: Query) -> dict[str, str]:
    """Query facets in the index's interned "facet\x1fvalue" form.

    :param query: the query.
    :returns: {"facet\x1fvalue": facet}.
    """
    return {f"{k}{ATTR_SEP}{normalize(v)}": k for k, vs in query.attributes.items() for v in vs}




def as_query(query) -> Query:
    """A Query from a Query or plain text."""
    return query if isinstance(query, Query) else Query(text=str(query))
