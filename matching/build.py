"""Building an Index from scratch: tokenize every document once and assemble the CSC matrix
from per-chunk COO triplets (scipy sums duplicate (document, term) pairs in C)."""
from __future__ import annotations

import gc
import itertools
from collections import defaultdict
from typing import Iterable

import numpy as np
import scipy.sparse as sp

from .index import Index, _doc_fields
from .model import Document
from .weights import RankingWeights


def bulk_load(self: Index, docs: Iterable[Document], chunk: int = 4096) -> None:
    """Fill an empty Index from documents in one vectorised pass per chunk.

    :param self: a new, empty Index.
    :param docs: Documents with unique ids.
    :param chunk: documents tokenized per chunk (bounds the temporary token-id lists).
    :raises ValueError: on duplicate ids.
    """
    # Chunked so the temporary token-id lists stay small: peak memory is bounded by one
    # chunk plus the growing matrix, not by the whole corpus's token stream.
    fw = self.weights.field_weights()
    vocab = defaultdict(itertools.count().__next__)
    parts: list[sp.csr_matrix] = []
    dls: list[np.ndarray] = []
    verified: list[bool] = []
    it = iter(docs)
    while True:
        batch = list(itertools.islice(it, chunk))
        if not batch:
            break
        cols: list[int] = []
        lens: list[int] = []
        wts: list[float] = []
        nfields: list[int] = []
        for doc in batch:
            if doc.id in self.row_of:
                raise ValueError(f"duplicate document id {doc.id!r}")
            self._append_meta(doc)
            verified.append(bool(doc.verified))
            fields = _doc_fields(doc, fw)
            nfields.append(len(fields))
            for toks, w in fields:
                cols.extend(map(vocab.__getitem__, toks))
                lens.append(len(toks))
                wts.append(w)
        nb = len(batch)
        rows = np.repeat(np.repeat(np.arange(nb, dtype=np.int32), nfields), lens)
        data = np.repeat(np.asarray(wts, dtype=np.float32), lens)
        m = sp.csr_matrix((data, (rows, np.asarray(cols, dtype=np.int32))), shape=(nb, len(vocab)))
        m.sum_duplicates()
        parts.append(m)
        dls.append(np.bincount(rows, weights=data, minlength=nb))
        del cols, rows, data
    n, nv = len(self.ids), len(vocab)
    self.vocab = dict(vocab)
    for m in parts:
        m.resize((m.shape[0], nv))
    if parts:
        full = sp.vstack(parts, format="csr") if len(parts) > 1 else parts[0]
        del parts
        self.main = full.tocsc().astype(np.float32, copy=False)
        del full
    else:
        self.main = sp.csc_matrix((0, nv), dtype=np.float32)
    self.main.indices = self.main.indices.astype(np.int32, copy=False)
    self.dl = np.concatenate(dls) if dls else np.zeros(0)
    self.df = np.diff(self.main.indptr).astype(np.float64)
    self.alive = np.ones(n, dtype=bool)
    self.verified = np.asarray(verified, dtype=bool)
    self._changed()


def build_index(documents: Iterable[Document], weights: RankingWeights | None = None) -> Index:
    """Tokenize and index documents in one vectorised pass.

    :param documents: Documents with unique ids.
    :param weights: ranking configuration; defaults to :data:`DEFAULT_WEIGHTS`.
    :returns: a ready Index (update it with add/update/remove, persist with save).
    :raises ValueError: on duplicate ids.
    """
    idx = Index(weights)
    # The build allocates many small containers that all stay alive; pausing the cyclic
    # garbage collector avoids rescanning them over and over.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        bulk_load(idx, documents)
    finally:
        if was_enabled:
            gc.enable()
    return idx
