"""Explanations: why a listing matched, as structured reasons and as one readable sentence.

A shown keyword is a word or phrase found verbatim (after NFKC + lower case) in both the
query and the listing (title, summary, text, tags, facet names), cut at word boundaries and
never filler, a place or a bare number (see shared_terms.py). Stitching matched bigrams
back together, as this module used to, showed words neither text contains (目检员) and
fragments (户问题并, 山市). Facet reasons come from the re-ranking boosts, which only fire
when a query facet equals one of the listing's, so "same scenario" is always true.

Explanations are computed for the shown results only; the query-side work is cached per
query text, so each further result costs one pass over its own text.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .model import ATTR_SEP, Query, Reason
from .query import as_query, compile_query, query_facets
from .render import render  # noqa: F401  (the app imports it from here)
from .rerank import case_owners_of, row_boosts
from .score import lexical_scores, positive, top_rows
from .shared_terms import is_shown_term, query_text, shared_terms
from .synonyms import default_synonyms
from .tokenizer import CJK_RANGES, tokenize

MAX_TERM_REASONS = 12  # keyword reasons kept per match (the API lists them all)
_CJK_TEXT = re.compile(f"[{CJK_RANGES}]")


def contributions(index, qt, rows: list[int], per_term) -> list[dict[int, float]]:
    """Per-term lexical contributions of the shown rows, one binary search of those few rows
    per scored column.

    :param index: the index.
    :param qt: compiled query.
    :param rows: matched rows.
    :param per_term: per-term (rows ascending, contributions) from the scoring pass.
    :returns: one {term column: contribution > 0} per row.
    """
    out: list[dict[int, float]] = [{} for _ in rows]
    if not rows:
        return out
    want = np.asarray(rows, dtype=np.int64)
    for c, (crow, cval) in (per_term or {}).items():
        if not len(crow):
            continue
        pos = crow.searchsorted(want.astype(crow.dtype, copy=False))
        np.minimum(pos, len(crow) - 1, out=pos)
        hit = np.flatnonzero((crow[pos] == want) & (cval[pos] > 0))
        for i, v in zip(hit.tolist(), cval[pos[hit]].tolist()):
            out[i][c] = v
    return out


def listing_text(index, row: int) -> str:
    """A row's normalised text as explanations search it: title, tags, facet names (not the
    region), summary and text.

    :param index: the index.
    :param row: the row.
    :returns: the text, fields separated by newlines.
    """
    facets = sorted(a.split(ATTR_SEP, 1)[1] for a in index.attrs[row]
                    if not a.startswith("region" + ATTR_SEP))
    bodies = getattr(index, "bodies", None)
    body = bodies[row] if bodies is not None and row < len(bodies) else ""
    return "\n".join((index.titles[row], "\n".join(index.tags[row]), "\n".join(facets), body))


def _fields(index, row: int, term: str) -> tuple[str, ...]:
    fields = []
    if term in index.titles[row]:
        fields.append("title")
    if any(term in t for t in index.tags[row]) or any(term in a for a in index.attrs[row]):
        fields.append("tags")
    return tuple(fields) or ("text",)


def _label(qt, term: str) -> str:
    """The term as the user typed it (MES rather than mes) when the query maps 1:1; else a
    short ASCII word is taken for an acronym (PLC), as it nearly always is in Chinese text."""
    display = qt.display or ""
    if len(display) == len(qt.text) and display != qt.text:
        i = qt.text.find(term)
        if i >= 0:
            return display[i:i + len(term)]
    if term.isascii() and term.isalnum() and len(term) <= 5 and _CJK_TEXT.search(qt.text):
        return term.upper()
    return term


@lru_cache(maxsize=65536)
def _index_terms(term: str) -> tuple[str, ...]:
    return tuple(tokenize(term, normalized=True))


@lru_cache(maxsize=256)
def _synonym_hits(text: str) -> tuple:
    return tuple(default_synonyms().find(text))


def _term_weights(index, terms: list[str], contrib, norm: float) -> list[float]:
    """Each term's share of the final score: the contributions of its index terms, each
    index term counted once (for the strongest term holding it)."""
    vocab = index.vocab
    cols = [{vocab[t] for t in _index_terms(term) if t in vocab} for term in terms]
    value = {c: contrib.get(c, 0.0) for c in set().union(*cols)}
    raw = [sum(map(value.__getitem__, cs)) for cs in cols]
    out = [0.0] * len(terms)
    used: set[int] = set()
    for i in sorted(range(len(terms)), key=lambda i: (-raw[i], -len(terms[i]))):
        out[i] = float(sum(map(value.__getitem__, cols[i] - used))) / norm
        used |= cols[i]
    return out


def reasons_for(index, qt, row: int, top_lex: float, extras, contrib: dict[int, float]) -> tuple[Reason, ...]:
    """Structured reasons for one matched row.

    :param index: the index.
    :param qt: compiled query (query.QueryTerms).
    :param row: the matched row.
    :param top_lex: lexical score of the best hit (the normaliser of the final score).
    :param extras: (kind, label, weight, facet) boosts from re-ranking.
    :param contrib: the row's {term column: contribution} (see :func:`contributions`).
    :returns: reasons: facets, then shared keywords (most weight first), then synonyms
        that matched, then the other boosts.
    """
    norm = float(top_lex) or 1.0
    head, tail = [], []
    for kind, label, weight, facet in extras:
        (head if kind == "facet" else tail).append(Reason(kind, label, round(weight, 6), facet=facet))
    text = listing_text(index, row)
    known = tuple(index.tags[row]) + tuple(a.split(ATTR_SEP, 1)[1] for a in index.attrs[row]
                                           if not a.startswith("region" + ATTR_SEP))
    vocab, df = index.vocab, index.df

    def bigram_df(bigram: str) -> float:
        c = vocab.get(bigram)
        return float(df[c]) if c is not None and c < len(df) else 0.0

    terms = shared_terms(query_text(qt.text), text, known, bigram_df, id(df))
    weights = _term_weights(index, terms, contrib, norm)
    words = sorted(zip(terms, weights), key=lambda tw: (-tw[1], -len(tw[0])))[:MAX_TERM_REASONS]
    reasons = [Reason("term", _label(qt, t), round(w, 6), _fields(index, row, t)) for t, w in words]
    reasons += _synonym_reasons(index, qt, row, text, contrib, norm)
    return tuple(head + reasons + tail)


def _synonym_reasons(index, qt, row: int, text: str, contrib, norm: float) -> list[Reason]:
    """Synonym members that the listing contains verbatim and that added weight to it.

    Labelled "<what the query says>→<what the listing says>": the listing does not share
    the query's word, so these are not shown as shared keywords.
    """
    out = []
    vocab = index.vocab
    for phrase, others in _synonym_hits(qt.text):
        for member in others:
            if member in text and is_shown_term(member):
                cols = {vocab[t] for t in _index_terms(member) if t in vocab}
                weight = sum(contrib.get(c, 0.0) for c in cols if qt.origin.get(c) == member)
                if weight > 0:
                    out.append(Reason("synonym", f"{phrase}→{member}", round(weight / norm, 6),
                                      _fields(index, row, member)))
                    break
    return out


def explain(index, query: Query | str, doc_id: str) -> tuple[Reason, ...]:
    """Why a given document matches a query (also when it is not in the top results).

    :param index: the index.
    :param query: a Query or its text.
    :param doc_id: the document to explain.
    :returns: reasons (empty when the document is unknown or shares nothing with the query).
    """
    query = as_query(query)
    row = index.row_of.get(str(doc_id))
    if row is None:
        return ()
    qt = compile_query(index, query.text)
    scores, per_term = lexical_scores(index, qt, keep_terms=True)
    rows, vals = positive(scores)
    shown = top_rows(rows, vals, max(index.weights.fuzzy_depth, 10))[0].tolist()
    extras = row_boosts(index, row, query_facets(query), case_owners_of(index, shown))
    top_lex = float(scores.max()) if len(scores) else 0.0
    return reasons_for(index, qt, row, top_lex, extras, contributions(index, qt, [row], per_term)[0])
