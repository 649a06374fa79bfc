"""Near-duplicate detection for new postings: the same listing posted twice, or a demand
copied with a few words changed. Uses the index's own vectors (sublinear TF-IDF cosine) so no
second model is needed, plus a rapidfuzz title ratio for reworded bodies under one title.
"""
from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz

from .fields import doc_fields as _doc_fields
from .index import Index
from .model import Document
from .tokenizer import normalize

CANDIDATES = 50


class NearDuplicate(NamedTuple):
    """An existing document that nearly repeats the new one."""

    doc_id: str
    cosine: float
    title_ratio: float


def _norms(index: Index) -> np.ndarray:
    norms = index.cache.get("dup_norms")
    if norms is None:
        idf, _ = index.stats()
        sq = np.zeros(len(index.ids))
        for m, off in index.segments():
            cols = np.repeat(np.arange(m.shape[1]), np.diff(m.indptr))
            v = np.log1p(m.data.astype(np.float64)) * idf[cols]
            sq += np.bincount(m.indices + off, weights=v * v, minlength=len(index.ids))
        norms = index.cache["dup_norms"] = np.sqrt(sq)
    return norms


def find_near_duplicates(index: Index, document: Document | str, top: int = 10,
                         exclude_ids=()) -> list[NearDuplicate]:
    """Existing documents that nearly repeat a new one, most similar first.

    A pair is a near-duplicate when the TF-IDF cosine reaches ``weights.dup_cosine``, or when
    the titles are nearly identical (``dup_title_ratio``) and the cosine still reaches
    ``dup_cosine_with_title``.

    :param index: the index to search.
    :param document: the new Document, or just its text.
    :param top: at most this many results.
    :param exclude_ids: ids to skip (e.g. the document itself when re-checking an edit).
    :returns: NearDuplicate tuples (doc_id, cosine 0..1, title_ratio 0..100).
    """
    if isinstance(document, str):
        document = Document(id="", text=document)
    w = index.weights
    idf, _ = index.stats()
    n_live = max(int(index.alive.sum()), 1)
    unknown_idf = float(np.log1p((n_live + 0.5) / 0.5))
    counts: dict[str, float] = defaultdict(float)
    for toks, fw in _doc_fields(document, w.field_weights()):
        for t in toks:
            counts[t] += fw
    if not counts:
        return []
    dots = np.zeros(len(index.ids))
    qsq = 0.0
    for t, tf in counts.items():
        c = index.vocab.get(t)
        qv = np.log1p(tf) * (idf[c] if c is not None and c < len(idf) else unknown_idf)
        qsq += qv * qv
        if c is None:
            continue
        rows, dtf = index.term_tf(c)
        if len(rows):
            dots[rows] += qv * np.log1p(dtf.astype(np.float64)) * idf[c]
    norms = _norms(index)
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = np.where(norms > 0, dots / (np.sqrt(qsq) * norms), 0.0)
    for d in exclude_ids:
        r = index.row_of.get(str(d))
        if r is not None:
            cos[r] = 0.0
    cand = np.flatnonzero(cos >= min(w.dup_cosine, w.dup_cosine_with_title))
    if len(cand) > CANDIDATES:
        cand = cand[np.argpartition(-cos[cand], CANDIDATES - 1)[:CANDIDATES]]
    title = normalize(document.title)
    out = []
    for r in cand.tolist():
        ratio = fuzz.ratio(title, index.titles[r]) if title and index.titles[r] else 0.0
        c = float(min(cos[r], 1.0))
        if c >= w.dup_cosine or (ratio >= w.dup_title_ratio and c >= w.dup_cosine_with_title):
            out.append(NearDuplicate(index.ids[r], round(c, 4), round(float(ratio), 1)))
    out.sort(key=lambda x: (-x.cosine, -x.title_ratio))
    return out[:top]
