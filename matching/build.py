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
from .tokenizer import CJK_RE, CJK_STOP, TermColumns
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


_BIGRAM_SHIFT = 21            # code points < 2**21: a bigram's key is (first << 21) | second
_ASCII_KEY0 = 1 << 42         # ASCII terms' keys, above every CJK unigram and bigram key
_STOP_CPS = np.array(sorted(map(ord, CJK_STOP)), dtype=np.int64)


class _DeferredColumns:
    """Term columns for CJK text without a dictionary lookup per character.

    The documents' terms are first written as integer keys (a CJK unigram is its code
    point, a bigram ``(a << 21) | b``, an ASCII term a number of its own), with every CJK
    run expanded into its unigrams and bigrams by numpy; the distinct keys are then sorted
    out and given columns in the order of their first occurrence. That is exactly the
    numbering :class:`TermColumns` gives (each new term takes the next column when first
    met), so the index, and everything ranked from it, is the same.
    """

    def __init__(self, column: Callable[[str], int]):
        self.column = column
        # Keys of earlier chunks (ascending) and their columns.
        self.known_keys = np.zeros(0, dtype=np.int64)
        self.known_cols = np.zeros(0, dtype=np.int32)
        self.ascii_terms: list[str] = []
        self._ascii_keys: dict[str, int] = {}
        self.columns = TermColumns(self._ascii_key)

    def _ascii_key(self, term: str) -> int:
        k = self._ascii_keys.get(term)
        if k is None:
            k = self._ascii_keys[term] = _ASCII_KEY0 + len(self.ascii_terms)
            self.ascii_terms.append(term)
        return k

    def doc_terms(self, docs: Sequence[Document], fw: dict[str, float]) -> tuple[DocTerms, np.ndarray]:
        """DocTerms of the documents (its lens corrected) and their columns (int32)."""
        runs: list[str] = []
        t = doc_terms(docs, fw, self._ascii_key, self.columns, runs)
        items = np.asarray(t.cols, dtype=np.int64)
        if runs:
            keys, counts = self._expand(items, runs)
            lens = np.asarray(t.lens, dtype=np.int64)
            field = np.repeat(np.arange(len(lens)), lens)
            t.lens = np.bincount(field, weights=counts, minlength=len(lens)).astype(np.int32)
        else:
            keys = items
        return t, self._number(keys)

    @staticmethod
    def _expand(items: np.ndarray, runs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Replace each run marker in `items` by the run's unigrams (no stop characters) and
        then its overlapping bigrams, as :func:`tokenize` lists them.

        :returns: the keys, and how many keys each item became.
        """
        lens = np.fromiter(map(len, runs), dtype=np.int64, count=len(runs))
        cps = np.frombuffer("".join(runs).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        start = np.zeros(len(runs), dtype=np.int64)
        np.cumsum(lens[:-1], out=start[1:])
        run_of = np.repeat(np.arange(len(runs)), lens)
        pos = np.arange(len(cps)) - start[run_of]          # position inside the run
        at = np.minimum(np.searchsorted(_STOP_CPS, cps), len(_STOP_CPS) - 1)
        uni = _STOP_CPS[at] != cps
        csum = np.cumsum(uni) - uni                         # unigrams before each position
        n_uni = np.add.reduceat(uni.astype(np.int64), start)
        markers = items < 0
        counts = np.ones(len(items), dtype=np.int64)
        counts[markers] = (n_uni + lens - 1)[-items[markers] - 1]
        item_start = np.cumsum(counts) - counts
        out = np.empty(int(counts.sum()), dtype=np.int64)
        out[item_start[~markers]] = items[~markers]
        base = np.empty(len(runs), dtype=np.int64)
        base[-items[markers] - 1] = item_start[markers]
        dest = base[run_of] + csum - csum[start][run_of]
        out[dest[uni]] = cps[uni]
        bi = pos < lens[run_of] - 1
        bdest = (base + n_uni - start)[run_of] + np.arange(len(cps))
        out[bdest[bi]] = (cps[:-1][bi[:-1]] << _BIGRAM_SHIFT) | cps[1:][bi[:-1]]
        return out, counts

    def _terms(self, keys: np.ndarray) -> list[str]:
        """The term strings of keys (CJK ones decoded by numpy, in bulk)."""
        out = np.empty(len(keys), dtype=object)
        asc = keys >= _ASCII_KEY0
        bi = ~asc & (keys >= (1 << _BIGRAM_SHIFT))
        uni = ~asc & ~bi
        for mask, width in ((uni, 1), (bi, 2)):
            k = keys[mask]
            if len(k):
                cps = np.full((len(k), width + 1), 10, dtype=np.uint32)  # "\n" after each
                if width == 2:
                    cps[:, 0] = k >> _BIGRAM_SHIFT
                    cps[:, 1] = k & ((1 << _BIGRAM_SHIFT) - 1)
                else:
                    cps[:, 0] = k
                out[mask] = cps.tobytes().decode("utf-32-le").split("\n")[:-1]
        if asc.any():
            out[asc] = list(map(self.ascii_terms.__getitem__, (keys[asc] - _ASCII_KEY0).tolist()))
        return out.tolist()

    def _number(self, keys: np.ndarray) -> np.ndarray:
        """Columns of the keys; new terms numbered in the order of their first occurrence."""
        if not len(keys):
            return np.zeros(0, dtype=np.int32)
        order = np.argsort(keys)
        sk = keys[order]
        new_group = np.empty(len(sk), dtype=bool)
        new_group[0] = True
        np.not_equal(sk[1:], sk[:-1], out=new_group[1:])
        starts = np.flatnonzero(new_group)
        su = sk[starts]                                    # distinct keys, ascending
        kk, kc = self.known_keys, self.known_cols
        at = np.searchsorted(kk, su)
        found = kk[np.minimum(at, len(kk) - 1)] == su if len(kk) else np.zeros(len(su), bool)
        ucols = np.empty(len(su), dtype=np.int32)
        ucols[found] = kc[at[found]]
        new = np.flatnonzero(~found)
        if len(new):
            first = np.minimum.reduceat(order, starts)[new]
            new = new[np.argsort(first)]                   # in order of first occurrence
            terms = self._terms(su[new])
            ucols[new] = np.fromiter(map(self.column, terms), dtype=np.int32, count=len(terms))
            add = np.flatnonzero(~found)                   # ascending keys
            ins = at[add]
            self.known_keys = np.insert(kk, ins, su[add])
            self.known_cols = np.insert(kc, ins, ucols[add])
        out = np.empty(len(keys), dtype=np.int32)
        out[order] = ucols[np.cumsum(new_group) - 1]
        return out


def _has_cjk(docs: Sequence[Document]) -> bool:
    """Whether any of the documents' texts holds a CJK character."""
    return any(text and not text.isascii() and CJK_RE.search(text)
               for d in docs for text in (d.title, d.summary, d.text))


def bulk_load(index: Index, docs: Iterable[Document], chunk: int = 4096,
              tail: tuple[int, TailTerms] | None = None) -> None:
    """Fill an empty Index from documents in one vectorised pass per chunk.

    :param index: a new, empty Index (build_index makes one; the CLI fills its own).
    :param docs: Documents with unique ids.
    :param chunk: documents tokenized per chunk (bounds the temporary token-id lists).
    :param tail: (start, fetch): the documents from position `start` on were tokenized
        elsewhere (the CLI's second process); fetch() returns their terms and columns, or
        None, in which case they are tokenized here after all.
    :raises ValueError: on duplicate ids.
    """
    # Chunked so the temporary token-id lists stay small: peak memory is bounded by one
    # chunk plus the growing matrix, not by the whole corpus's token stream.
    fw = index.weights.field_weights()
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
            if doc.id in index.row_of:
                raise ValueError(f"duplicate document id {doc.id!r}")
            index._append_meta(doc)
            verified.append(bool(doc.verified))

    deferred = None

    def terms(batch):
        if deferred is not None:
            return deferred.doc_terms(batch, fw)
        t = doc_terms(batch, fw, column, columns)
        return t, np.asarray(t.cols, dtype=np.int32)

    while True:
        batch = list(itertools.islice(it, chunk))
        if not batch:
            break
        if not parts and _has_cjk(batch[:256]):  # same columns either way; this is faster
            deferred = _DeferredColumns(column)
        meta(batch)
        t, cols = terms(batch)
        m, dl = _part(t, cols, len(batch), len(vocab))
        parts.append(m)
        dls.append(dl)
    if stop is not None and stop < len(docs):
        rest = docs[stop:]
        meta(rest)
        got = tail[1]()
        if got is None:
            t, cols = terms(rest)
        else:  # columns of the other process's vocabulary -> ours
            terms, t = got
            remap = np.fromiter(map(column, terms), dtype=np.int32, count=len(terms))
            cols = remap[np.asarray(t.cols, dtype=np.int32)]
        m, dl = _part(t, cols, len(rest), len(vocab))
        parts.append(m)
        dls.append(dl)
    n, nv = len(index.ids), len(vocab)
    index.vocab = dict(vocab)
    index.main = _stack(parts, n, nv)
    del parts
    index.dl = np.concatenate(dls) if dls else np.zeros(0)
    index.df = np.diff(index.main.indptr).astype(np.float64)
    index.alive = np.ones(n, dtype=bool)
    index.verified = np.asarray(verified, dtype=bool)
    index._changed()


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
