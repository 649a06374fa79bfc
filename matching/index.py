"""Sparse BM25F index with cheap incremental updates and a pickle-free on-disk format.

Layout: a *main* segment (CSC matrix, documents x terms, of field-weighted term frequencies)
plus a small *delta* segment for documents added since the last compaction, and a tombstone
mask for removed/updated ones. BM25 weights are computed at query time from the raw
frequencies and the *current* statistics (document frequency, live count, average length are
maintained exactly on every add/remove), so no statistic goes stale; compaction only
reclaims the space of tombstoned rows and folds the delta into the main matrix.
"""
from __future__ import annotations

import os
from collections import defaultdict

import numpy as np
import scipy.sparse as sp

from .bodies import Bodies
from .fields import doc_fields as _doc_fields
from .model import ATTR_SEP, Document
from .tokenizer import normalize
from .weights import DEFAULT_WEIGHTS, RankingWeights

_ATTR_SEP = ATTR_SEP  # the older private name
LABEL_CHARS = 64
_NO_ATTRS: frozenset = frozenset()
_NO_ROWS = np.zeros(0, dtype=np.int64)
_NO_VALS = np.zeros(0)


def _popcount(words: np.ndarray) -> np.ndarray:
    """Set bits of each uint64 (numpy >= 2 has it built in)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words)
    b = words[..., None].view(np.uint8)
    return _BYTE_BITS[b].sum(axis=-1, dtype=np.uint8)


_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


class CommonColumns:
    """The main segment's common term columns (found in many rows) as bitmaps, so that one
    vectorised gather finds each candidate row's entry in every common column at once: the
    bit says whether the row holds the term, and the set bits before it (a count per 64
    rows plus a popcount) give its position in the column's CSC slice.

    About 0.19 bytes per row per common column (9 MB for 486 columns at 100,000 rows), built
    once per main segment in a few tens of milliseconds, instead of one binary search of the
    candidates per column and query.
    """

    def __init__(self, main: sp.csc_matrix, min_df: float):
        self.main = main
        n_rows, n_cols = main.shape
        df = np.diff(main.indptr)
        cols = np.flatnonzero(df > min_df)
        self.slot = np.full(n_cols, -1, dtype=np.int64)
        self.slot[cols] = np.arange(len(cols))
        n_words = (n_rows + 63) // 64
        self.words = np.zeros((len(cols), n_words), dtype=np.uint64)
        bits = np.zeros(n_words * 64, dtype=bool)
        for i, c in enumerate(cols.tolist()):
            rows = main.indices[main.indptr[c]:main.indptr[c + 1]]
            bits[rows] = True
            self.words[i] = np.packbits(bits, bitorder="little").view(np.uint64)
            bits[rows] = False
        counts = _popcount(self.words)
        self.before = np.cumsum(counts, axis=1, dtype=np.int32)
        self.before -= counts  # set bits in the words before each one (int32: rows < 2**31)
        del counts

    def covers(self, col: int) -> bool:
        """Whether the column has a bitmap."""
        return col < len(self.slot) and self.slot[col] >= 0

    def positions(self, cols: list[int], rows: np.ndarray):
        """Where each of `rows` (main-segment rows, ascending) sits in each column.

        :returns: (term index, row index, position in the main matrix's data) of every
            (column, row) pair present, grouped by term, rows ascending within a term.
        """
        slots = self.slot[cols]
        wi = rows >> 6
        bit = (rows & 63).astype(np.uint64)
        words = self.words[slots[:, None], wi[None, :]]
        present = ((words >> bit) & np.uint64(1)).astype(bool)
        ti, ri = np.nonzero(present)
        w = words[ti, ri] & ((np.uint64(1) << bit[ri]) - np.uint64(1))
        pos = (self.main.indptr[np.asarray(cols)[ti]].astype(np.int64) + self.before[slots[ti], wi[ri]]
               + _popcount(w))
        return ti, ri, pos


class Index:
    """Searchable collection of Documents; create with :func:`build_index` or :meth:`load`."""

    def __init__(self, weights: RankingWeights | None = None):
        self.weights = weights or DEFAULT_WEIGHTS
        self.vocab: dict[str, int] = {}
        self.ids: list[str] = []
        self.row_of: dict[str, int] = {}
        self.titles: list[str] = []
        self.labels: list[str] = []
        self.bodies = Bodies()  # summary + text: explanations quote only what is there
        self.tags: list[tuple[str, ...]] = []
        self.attrs: list[frozenset[str]] = []  # interned "facet\x1fvalue" strings
        self.owners: list[str | None] = []
        self.kinds: list[str | None] = []
        self.verified = np.zeros(0, dtype=bool)
        self.alive = np.zeros(0, dtype=bool)
        self.dl = np.zeros(0, dtype=np.float64)
        self.df = np.zeros(0, dtype=np.float64)
        self.main = sp.csc_matrix((0, 0), dtype=np.float32)
        self._delta_rows: list[tuple[np.ndarray, np.ndarray]] = []
        self.n_dead = 0  # tombstones since the last compaction (0: skip liveness masks)
        self._delta: sp.csc_matrix | None = None
        self._attr_cache: dict[frozenset, frozenset] = {}
        self._intern = {}.setdefault  # shares equal tag/facet strings between documents
        self._stats: tuple | None = None
        self._weighted: list | None = None
        self._csr: sp.csr_matrix | None = None
        self._has_owner: bool | None = None
        self._facet_models: dict | None = None
        self._common: CommonColumns | None = None
        self.cache: dict = {}

    # ------------------------------------------------------------------ building
    def _append_meta(self, doc: Document) -> int:
        row = len(self.ids)
        self.ids.append(doc.id)
        self.row_of[doc.id] = row
        title = normalize(doc.title)
        self.titles.append(title)
        # What fuzzy matching compares against: the title, else the start of the text.
        self.labels.append(title or normalize((doc.summary or doc.text)[:2 * LABEL_CHARS])[:LABEL_CHARS])
        self.bodies.append(doc.summary, doc.text)
        if doc.tags or doc.attributes:
            intern = self._intern
            self.tags.append(tuple(intern(normalize(t), normalize(t)) for t in doc.tags))
            key = frozenset(intern(a, a) for a in (f"{k}{_ATTR_SEP}{normalize(v)}"
                                                   for k, vs in doc.attributes.items() for v in vs))
            self.attrs.append(self._attr_cache.setdefault(key, key))
        else:
            self.tags.append(())
            self.attrs.append(_NO_ATTRS)
        self.owners.append(doc.owner)
        self.kinds.append(doc.kind)
        return row

    def _changed(self) -> None:
        self.cache = {}
        self._stats = None
        self._weighted = None
        self._csr = None
        self._has_owner = None
        self.cache: dict = {}  # derived data of other modules, dropped on every change

    def kind_mask(self, kinds: frozenset) -> np.ndarray:
        """Rows whose kind is in `kinds` (cached per kinds set until the next change).

        :param kinds: allowed document kinds.
        :returns: boolean mask over rows.
        """
        key = ("kinds", kinds)
        m = self.cache.get(key)
        if m is None:
            m = self.cache[key] = np.fromiter((k in kinds for k in self.kinds), dtype=bool,
                                              count=len(self.kinds))
        return m

    @property
    def any_verified(self) -> bool:
        """Whether the verified boost can apply at all (skips a per-candidate loop)."""
        return bool(self.verified.any())

    @property
    def has_owner(self) -> bool:
        """Whether any document carries an owner (diversification and case evidence apply)."""
        if self._has_owner is None:
            self._has_owner = any(o is not None for o in self.owners)
        return self._has_owner

    # ------------------------------------------------------------------ updates
    def add(self, doc: Document) -> None:
        """Add one document without rebuilding: it goes to the delta segment.

        :param doc: the document; its id must not be live in the index already.
        :raises ValueError: on a duplicate id (use :meth:`update`).
        """
        if doc.id in self.row_of and self.alive[self.row_of[doc.id]]:
            raise ValueError(f"document {doc.id!r} already indexed; use update()")
        counts: dict[int, float] = defaultdict(float)
        length = 0.0
        for toks, w in _doc_fields(doc, self.weights.field_weights()):
            for t in toks:
                col = self.vocab.get(t)
                if col is None:
                    col = self.vocab[t] = len(self.vocab)
                counts[col] += w
            length += w * len(toks)
        self._append_meta(doc)
        cols = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
        tfs = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        self._delta_rows.append((cols, tfs))
        self._delta = None
        if len(self.df) < len(self.vocab):
            self.df = np.concatenate([self.df, np.zeros(len(self.vocab) - len(self.df))])
        self.df[cols] += 1
        self.dl = np.append(self.dl, length)
        self.alive = np.append(self.alive, True)
        self.verified = np.append(self.verified, bool(doc.verified))
        self._changed()
        limit = max(self.weights.compact_min_delta, self.weights.compact_fraction * self.main.shape[0])
        if len(self._delta_rows) > limit:
            self.compact()

    def remove(self, doc_id: str) -> bool:
        """Tombstone a document; its space is reclaimed at the next compaction.

        :param doc_id: id of the document.
        :returns: True if it was live, False if unknown or already removed.
        """
        row = self.row_of.get(str(doc_id))
        if row is None or not self.alive[row]:
            return False
        cols, _ = self._row_terms(row)
        self.df[cols] -= 1
        self.alive[row] = False
        self.n_dead += 1
        del self.row_of[str(doc_id)]
        self._changed()
        return True

    def update(self, doc: Document) -> None:
        """Replace a document (remove + add); unknown ids are simply added.

        :param doc: the new version.
        """
        self.remove(doc.id)
        self.add(doc)

    def _row_terms(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        nmain = self.main.shape[0]
        if row >= nmain:
            return self._delta_rows[row - nmain]
        pos = np.flatnonzero(self.main.indices == row)  # one O(nnz) scan, only on removal
        cols = np.searchsorted(self.main.indptr, pos, side="right") - 1
        return cols.astype(np.int32), self.main.data[pos]

    def compact(self) -> None:
        """Fold the delta into the main matrix and drop tombstoned rows.

        Called automatically when the delta grows past the limit in RankingWeights, and by
        :meth:`save`. Scores do not change, only memory and speed.
        """
        n_total = len(self.ids)
        nv = len(self.vocab)
        main = self.main.tocsr()
        main.resize((main.shape[0], nv))
        parts = [main]
        if self._delta_rows:
            d_ind = np.concatenate([c for c, _ in self._delta_rows])
            d_dat = np.concatenate([t for _, t in self._delta_rows])
            d_ptr = np.concatenate([[0], np.cumsum([len(c) for c, _ in self._delta_rows])])
            parts.append(sp.csr_matrix((d_dat, d_ind, d_ptr), shape=(len(self._delta_rows), nv)))
        full = sp.vstack(parts, format="csr") if len(parts) > 1 else main
        keep = np.flatnonzero(self.alive)
        full = full[keep]
        used = np.zeros(nv, dtype=bool)
        used[full.indices] = True
        old_cols = np.flatnonzero(used)
        remap = np.full(nv, -1, dtype=np.int64)
        remap[old_cols] = np.arange(len(old_cols))
        full = full[:, old_cols].tocsc()
        terms = [None] * nv
        for t, c in self.vocab.items():
            terms[c] = t
        self.vocab = {terms[c]: i for i, c in enumerate(old_cols)}
        self.main = full.astype(np.float32)
        self.df = np.diff(self.main.indptr).astype(np.float64)
        self.dl = self.dl[keep]
        self.verified = self.verified[keep]
        self.alive = np.ones(len(keep), dtype=bool)
        self.n_dead = 0
        for name in ("ids", "titles", "labels", "tags", "attrs", "owners", "kinds"):
            lst = getattr(self, name)
            setattr(self, name, [lst[i] for i in keep] if len(keep) != n_total else lst)
        self.bodies = self.bodies.take(keep) if len(keep) != n_total else self.bodies
        self.row_of = {d: i for i, d in enumerate(self.ids)}
        self._delta_rows = []
        self._delta = None
        self._facet_models = None
        self._changed()

    # ------------------------------------------------------------------ scoring
    def __len__(self) -> int:
        return int(self.alive.sum())

    def stats(self) -> tuple[np.ndarray, np.ndarray]:
        """Current IDF per term and BM25 length factor per row (cached until a change).

        :returns: (idf, K) with K = k1 * (1 - b + b * dl / avgdl), zero rows for dead docs.
        """
        if self._stats is None:
            w = self.weights
            n = max(int(self.alive.sum()), 1)
            avgdl = float(self.dl[self.alive].mean()) if self.alive.any() else 1.0
            avgdl = avgdl or 1.0
            df = self.df
            idf = np.log1p((n - df + 0.5) / (df + 0.5))
            K = w.k1 * (1 - w.b + w.b * self.dl / avgdl)
            self._stats = (idf, K)
        return self._stats

    def delta(self) -> sp.csc_matrix | None:
        """The delta segment as a CSC matrix (rebuilt lazily; it is small by construction).

        :returns: the matrix, or None when no document was added since the last compaction.
        """
        if not self._delta_rows:
            return None
        if self._delta is None:
            nv = len(self.vocab)
            ind = np.concatenate([c for c, _ in self._delta_rows])
            dat = np.concatenate([t for _, t in self._delta_rows])
            ptr = np.concatenate([[0], np.cumsum([len(c) for c, _ in self._delta_rows])])
            self._delta = sp.csr_matrix((dat, ind, ptr), shape=(len(self._delta_rows), nv)).tocsc()
        return self._delta

    def segments(self) -> list[tuple[sp.csc_matrix, int]]:
        """The main and delta segments, so scoring code can treat them alike.

        :returns: (CSC matrix, first row) pairs.
        """
        segs = [(self.main, 0)]
        d = self.delta()
        if d is not None:
            segs.append((d, self.main.shape[0]))
        return segs

    def term_weights(self, col: int) -> tuple[np.ndarray, np.ndarray]:
        """BM25 weight of one term in every live document containing it.

        :param col: term column.
        :returns: (rows, weights) over all segments, rows ascending.
        """
        idf, K = self.stats()
        scale = idf[col] * (self.weights.k1 + 1)
        rows_l, vals_l = [], []
        for m, off in self.segments():
            if col >= m.shape[1]:
                continue
            s, e = m.indptr[col], m.indptr[col + 1]
            if s == e:
                continue
            rows = m.indices[s:e] + off if off else m.indices[s:e]
            tf = m.data[s:e]
            rows_l.append(rows)
            vals_l.append(scale * tf / (tf + K[rows]))
        if not rows_l:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        rows = np.concatenate(rows_l) if len(rows_l) > 1 else rows_l[0]
        vals = np.concatenate(vals_l) if len(vals_l) > 1 else vals_l[0]
        if not self.n_dead:
            return rows, vals
        live = self.alive[rows]
        return rows[live], vals[live]

    def term_weights_at(self, col: int, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """BM25 weight of one term restricted to given rows, without touching the rest of its
        column (binary search): how common terms are scored on a few candidates.

        :param col: term column.
        :param cand: live rows, ascending.
        :returns: (rows among cand containing the term, weights).
        """
        idf, K = self.stats()
        scale = idf[col] * (self.weights.k1 + 1)
        if not self._delta_rows:  # one segment: no offsets, no concatenation
            m = self.main
            if col >= m.shape[1]:
                return _NO_ROWS, _NO_VALS
            s = m.indptr[col]
            colrows = m.indices[s:m.indptr[col + 1]]
            if not len(colrows):
                return _NO_ROWS, _NO_VALS
            # Same integer type on both sides, or numpy converts the whole column per call.
            pos = colrows.searchsorted(cand.astype(colrows.dtype, copy=False))
            np.minimum(pos, len(colrows) - 1, out=pos)
            hit = colrows[pos] == cand
            rows, tf = cand[hit], m.data[s + pos[hit]]
            return rows, scale * tf / (tf + K[rows])
        rows_l, tf_l = [], []
        for m, off in self.segments():
            if col >= m.shape[1] or m.indptr[col] == m.indptr[col + 1]:
                continue
            lo, hi = np.searchsorted(cand, [off, off + m.shape[0]])
            if lo == hi:
                continue
            local = cand[lo:hi] - off
            colrows = m.indices[m.indptr[col]:m.indptr[col + 1]]
            pos = np.searchsorted(colrows, local)
            pos[pos == len(colrows)] = 0
            hit = colrows[pos] == local
            rows_l.append(local[hit] + off)
            tf_l.append(m.data[m.indptr[col] + pos[hit]])
        if not rows_l:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        rows = np.concatenate(rows_l) if len(rows_l) > 1 else rows_l[0]
        tf = np.concatenate(tf_l) if len(tf_l) > 1 else tf_l[0]
        return rows, scale * tf / (tf + K[rows])

    def common_columns(self) -> CommonColumns:
        """Bitmaps of the main segment's columns found in more than two_phase_common_df of
        its rows (built on first use, again after the main segment changes)."""
        c = self._common
        if c is None or c.main is not self.main:
            c = self._common = CommonColumns(self.main, self.weights.two_phase_common_df
                                             * self.main.shape[0])
        return c

    def terms_weights_at(self, cols: list[int], cand: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`term_weights_at` for several columns at once (same values, bit for bit):
        the columns with a bitmap (:meth:`common_columns`) in one vectorised gather over
        the main segment's candidates, the others (and the delta segment) one by one.

        :param cols: term columns.
        :param cand: live rows, ascending.
        :returns: one (rows among cand containing the term, weights) pair per column.
        """
        out: list = [None] * len(cols)
        common = self.common_columns()
        fast = [i for i, c in enumerate(cols) if common.covers(c)]
        if fast:
            idf, K = self.stats()
            nmain = self.main.shape[0]
            split = int(np.searchsorted(cand, nmain))
            main_cand, rest = cand[:split], cand[split:]
            fcols = [cols[i] for i in fast]
            ti, ri, pos = common.positions(fcols, main_cand.astype(np.int64))
            rows = main_cand[ri]
            tf = self.main.data[pos]
            scale = idf[np.asarray(fcols)] * (self.weights.k1 + 1)
            vals = scale[ti] * tf / (tf + K[rows])
            bounds = np.searchsorted(ti, np.arange(len(fast) + 1))
            for k, i in enumerate(fast):
                a, b = bounds[k], bounds[k + 1]
                r, v = rows[a:b], vals[a:b]
                if len(rest):
                    r2, v2 = self.term_weights_at(cols[i], rest)
                    r, v = np.concatenate([r, r2]), np.concatenate([v, v2])
                out[i] = (r, v)
        for i, c in enumerate(cols):
            if out[i] is None:
                out[i] = self.term_weights_at(c, cand)
        return out

    def term_tf(self, col: int) -> tuple[np.ndarray, np.ndarray]:
        """Raw field-weighted frequencies of one term in the live documents.

        :param col: term column.
        :returns: (rows, tf) over all segments, rows ascending.
        """
        rows_l, tf_l = [], []
        for m, off in self.segments():
            if col < m.shape[1] and m.indptr[col] < m.indptr[col + 1]:
                s, e = m.indptr[col], m.indptr[col + 1]
                rows_l.append(m.indices[s:e] + off)
                tf_l.append(m.data[s:e])
        if not rows_l:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows, tf = np.concatenate(rows_l), np.concatenate(tf_l)
        if not self.n_dead:
            return rows, tf
        live = self.alive[rows]
        return rows[live], tf[live]

    def weighted_segments(self) -> list[tuple[sp.csr_matrix, int]]:
        """Whole segments as BM25 weight matrices (terms x docs, CSR) for batch scoring.

        Costs one pass over the non-zeros; cached until the next change.

        :returns: (weight matrix, first row) pairs.
        """
        if self._weighted is None:
            idf, K = self.stats()
            k1 = self.weights.k1
            out = []
            for m, off in self.segments():
                cols = np.repeat(np.arange(m.shape[1]), np.diff(m.indptr))
                rows = m.indices + off
                tf = m.data
                data = (idf[cols] * tf * (k1 + 1) / (tf + K[rows])) * self.alive[rows]
                w = sp.csc_matrix((data.astype(np.float32), m.indices, m.indptr), shape=m.shape)
                out.append((w.T.tocsr(), off))
            self._weighted = out
        return self._weighted

    def terms(self) -> list[str]:
        """Column -> term (inverse vocabulary), cached until the next change.

        :returns: list indexed by term column.
        """
        t = self.cache.get("terms")
        if t is None or len(t) != len(self.vocab):
            t = [""] * len(self.vocab)
            for term, c in self.vocab.items():
                t[c] = term
            self.cache["terms"] = t
        return t

    def csr(self) -> sp.csr_matrix:
        """All segments as one row-major matrix (for pseudo-relevance feedback); cached.

        :returns: CSR matrix (documents x terms) of field-weighted frequencies.
        """
        if self._csr is None:
            parts = []
            for m, _ in self.segments():
                m = m.tocsr()
                m.resize((m.shape[0], len(self.vocab)))
                parts.append(m)
            self._csr = sp.vstack(parts, format="csr") if len(parts) > 1 else parts[0]
        return self._csr

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike) -> None:
        """Compact and write the index as a directory (see matching/store.py for the layout).

        No pickle anywhere, so loading an index file cannot execute code.

        :param path: directory to create or overwrite.
        """
        from .store import save_index
        save_index(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Index":
        """Read an index written by :meth:`save` (shared by several worker processes).

        :param path: directory given to save().
        :returns: the index, ready to rank and to update.
        :raises ValueError: on an unknown format version.
        """
        from .store import load_index
        return load_index(cls, path)
