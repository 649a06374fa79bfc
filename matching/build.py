"""Building an Index from scratch: tokenize every document once and assemble the CSC matrix
from per-chunk COO triplets (scipy sums duplicate (document, term) pairs in C), each chunk
converted to CSC on its own and the chunks stacked once at the end."""
from __future__ import annotations

import gc
import itertools
from collections import defaultdict
from typing import Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from .fields import DocTerms, doc_terms
from .index import Index
from .model import Document
from .tokenizer import TermColumns
from .weights import RankingWeights

TailTerms = Callable[[], "tuple[list[str], DocTerms] | None"]


def _part(t: DocTerms, cols: np.ndarray, nb: int, nv: int) -> tuple[sp.csc_matrix, np.ndarray]:
    """One chunk's documents x terms matrix (CSC, duplicates summed) and document lengths."""
    lens = np.asarray(t.lens, dtype=np.int32)
    nfields = np.asarray(t.nfields, dtype=np.int32)
    rows = np.repeat(np.repeat(np.arange(nb, dtype=np.int32), nfields), lens)
    data = np.repeat(np.asarray(t.wts, dtype=np.float32), lens)
    m = sp.csr_matrix((data, (rows, cols)), shape=(nb, nv))
    # Column-major right away (duplicates summed, arrays of the exact size): the chunks are
    # then stacked into the final matrix in one pass, never holding a row-major copy of
    # the whole corpus next to the column-major one (a third of the builder's peak).
    return m.tocsc(), np.bincount(rows, weights=data, minlength=nb)


def _stack(parts: list[sp.csc_matrix], n: int, nv: int) -> sp.csc_matrix:
    """Stack chunk matrices (CSC, consecutive rows, fewer columns for earlier chunks) into one
    n x nv CSC matrix, emptying `parts` as it goes.

    Written out rather than sp.vstack, whose temporaries (64-bit indices, a second copy of
    the data) doubled the builder's peak memory on 100,000 listings.
    """
    indptr = np.zeros(nv + 1, dtype=np.int64)
    for m in parts:
        indptr[1:m.shape[1] + 1] += np.diff(m.indptr)
    np.cumsum(indptr, out=indptr)
    nnz = int(indptr[-1])
    idx_dtype = np.int32 if max(nnz, n) < 2**31 else np.int64
    indices = np.empty(nnz, dtype=idx_dtype)
    data = np.empty(nnz, dtype=np.float32)
    cursor = indptr[:-1].copy()  # next free slot of every column
    row0 = 0
    for i, m in enumerate(parts):
        k = m.shape[1]
        counts = np.diff(m.indptr)
        pos = np.repeat(cursor[:k] - m.indptr[:-1], counts) + np.arange(m.nnz)
        indices[pos] = m.indices + row0  # rows stay ascending within each column
        data[pos] = m.data
        cursor[:k] += counts
        row0 += m.shape[0]
        parts[i] = None  # free the chunk as soon as it is copied
    return sp.csc_matrix((data, indices, indptr.astype(idx_dtype)), shape=(n, nv))


def bulk_load(self: Index, docs: Iterable[Document], chunk: int = 4096,
              tail: tuple[int, TailTerms] | None = None) -> None:
    """Fill an empty Index from documents in one vectorised pass per chunk.

    :param self: a new, empty Index.
    :param docs: Documents with unique ids.
    :param chunk: documents tokenized per chunk (bounds the temporary token-id lists).
    :param tail: (start, fetch): the documents from position `start` on were tokenized
        elsewhere (the CLI's second process); fetch() returns their terms and columns, or
        None, in which case they are tokenized here after all.
    :raises ValueError: on duplicate ids.
    """
    # Chunked so the temporary token-id lists stay small: peak memory is bounded by one
    # chunk plus the growing matrix, not by the whole corpus's token stream.
    fw = self.weights.field_weights()
    vocab = defaultdict(itertools.count().__next__)
    column = vocab.__getitem__
    columns = TermColumns(column)  # one set of per-word caches for every chunk
    parts: list[sp.csc_matrix] = []
    dls: list[np.ndarray] = []
    verified: list[bool] = []
    docs = docs if isinstance(docs, Sequence) or tail is None else list(docs)
    stop = tail[0] if tail is not None else None
    it = iter(docs[:stop] if stop is not None else docs)

    def meta(batch):
        for doc in batch:
            if doc.id in self.row_of:
                raise ValueError(f"duplicate document id {doc.id!r}")
            self._append_meta(doc)
            verified.append(bool(doc.verified))

    while True:
        batch = list(itertools.islice(it, chunk))
        if not batch:
            break
        meta(batch)
        t = doc_terms(batch, fw, column, columns)
        m, dl = _part(t, np.asarray(t.cols, dtype=np.int32), len(batch), len(vocab))
        parts.append(m)
        dls.append(dl)
    if stop is not None and stop < len(docs):
        rest = docs[stop:]
        meta(rest)
        got = tail[1]()
        if got is None:
            t = doc_terms(rest, fw, column, columns)
            cols = np.asarray(t.cols, dtype=np.int32)
        else:  # columns of the other process's vocabulary -> ours
            terms, t = got
            remap = np.fromiter(map(column, terms), dtype=np.int32, count=len(terms))
            cols = remap[np.asarray(t.cols, dtype=np.int32)]
        m, dl = _part(t, cols, len(rest), len(vocab))
        parts.append(m)
        dls.append(dl)
    n, nv = len(self.ids), len(vocab)
    self.vocab = dict(vocab)
    self.main = _stack(parts, n, nv)
    del parts
    self.dl = np.concatenate(dls) if dls else np.zeros(0)
    self.df = np.diff(self.main.indptr).astype(np.float64)
    self.alive = np.ones(n, dtype=bool)
    self.verified = np.asarray(verified, dtype=bool)
    self._changed()


def build_index(documents: Iterable[Document], weights: RankingWeights | None = None,
                tail: tuple[int, TailTerms] | None = None) -> Index:
    """Tokenize and index documents in one vectorised pass.

    :param documents: Documents with unique ids.
    :param weights: ranking configuration; defaults to :data:`DEFAULT_WEIGHTS`.
    :param tail: documents tokenized by another process, see :func:`bulk_load`.
    :returns: a ready Index (update it with add/update/remove, persist with save).
    :raises ValueError: on duplicate ids.
    """
    idx = Index(weights)
    # The build allocates many small containers that all stay alive; pausing the cyclic
    # garbage collector avoids rescanning them over and over.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        bulk_load(idx, documents, tail=tail)
    finally:
        if was_enabled:
            gc.enable()
    return idx
