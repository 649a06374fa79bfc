"""Industry and scenario of a text: a naive-Bayes classifier trained on the catalog's own
tagged listings, plus an alias lexicon (product words -> industry) kept as data.

A demand often names only its product (手机玻璃盖板, 真皮手袋): the lexicon knows which
industry such words belong to, the classifier learns the rest from the listings' own facets. Ranking uses the result to prefer
listings of the demand's scenario and industry (see rank.py), and the app can show it and
pre-fill a demand form (:func:`infer_facets`).

The classifier is scikit-learn's MultinomialNB (same smoothing, same estimates; a test
checks it against scikit-learn) computed directly on the index's sparse term matrix, so the
CLI and the web workers never import scikit-learn (about 1 s of CPU). It is trained lazily,
once per main segment (after a build, a load or a compaction) and only when enough listings
carry the facet: an index without facets (the public benchmark sets) never trains anything
and ranks exactly as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .model import ATTR_SEP
from .tokenizer import normalize

ALIASES_PATH = Path(__file__).with_name("data") / "industry_aliases.txt"
GENERIC_INDUSTRY = "通用"
"""Facet value of a listing that serves every industry (it is neither right nor wrong)."""
INFERRED_FACETS = ("industry", "scenario")


@dataclass(frozen=True)
class NaiveBayes:
    """Multinomial naive Bayes over term columns for one facet.

    ``log_prob`` is (terms, classes): log P(term | class), Laplace/Lidstone-smoothed;
    ``log_prior`` is log P(class) from the training counts.
    """

    facet: str
    classes: tuple[str, ...]
    log_prob: np.ndarray
    log_prior: np.ndarray
    log_background: np.ndarray | None = None
    """log P(term) under all labelled listings pooled: the "none of these" model."""

    def background_log_likelihood(self, cols: np.ndarray, counts: np.ndarray) -> float:
        """Sum of count * log P(term) under the pooled model (0 when there is none).

        :param cols: term columns; counts: their occurrences.
        :returns: the log-likelihood.
        """
        if self.log_background is None:
            return 0.0
        keep = cols < self.log_background.shape[0]
        return float(counts[keep] @ self.log_background[cols[keep]])

    def joint_log_likelihood(self, cols: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """log P(class) + sum of count * log P(term | class) over the given columns.

        :param cols: term columns (columns the model has not seen are ignored).
        :param counts: how often each column occurs in the text.
        :returns: one value per class.
        """
        keep = cols < self.log_prob.shape[0]
        return self.log_prior + counts[keep] @ self.log_prob[cols[keep]]


def train_naive_bayes(matrix: sp.spmatrix, labels: list[frozenset[str]], facet: str,
                      alpha: float, min_docs: int, skip: frozenset[str] = frozenset()
                      ) -> NaiveBayes | None:
    """Fit MultinomialNB (fit_prior, Lidstone alpha) on labelled rows; a row with several
    values counts once for each, as a one-vs-rest multi-label row would.

    :param matrix: documents x terms, non-negative term counts.
    :param labels: per row, the facet values (empty: unlabelled, not used).
    :param facet: facet name, for the record.
    :param alpha: additive smoothing.
    :param min_docs: train only when at least this many rows carry a value (else None).
    :param skip: values that are not classes (e.g. 通用 for industries).
    :returns: the model, or None when there is too little to learn from (or one class only).
    """
    rows, values = [], []
    for r, vs in enumerate(labels):
        for v in vs:
            if v not in skip:
                rows.append(r)
                values.append(v)
    return _fit(matrix, rows, values, facet, alpha, min_docs)


def _fit(matrix: sp.spmatrix, rows: list[int], values: list[str], facet: str, alpha: float,
         min_docs: int) -> NaiveBayes | None:
    """MultinomialNB from (row, class value) pairs; see :func:`train_naive_bayes`."""
    classes = sorted(set(values))
    if len(set(rows)) < min_docs or len(classes) < 2:
        return None
    at = {c: i for i, c in enumerate(classes)}
    cls = [at[v] for v in values]
    # terms x docs times docs x classes: the transpose of the index's column-major matrix is
    # row-major for free, so no copy of the (large) matrix is made.
    y = sp.csr_matrix((np.ones(len(rows)), (rows, cls)), shape=(matrix.shape[0], len(classes)))
    fc = np.ascontiguousarray((matrix.T @ y).toarray().T, dtype=np.float64)  # classes x terms
    # The vocabulary is that of the labelled listings: terms only unlabelled documents use
    # would change every class's smoothing mass (so the posterior of every query) whenever
    # unrelated listings are added; they get log-probability 0 in every class instead,
    # which is the same as leaving them out of the text.
    seen = fc.sum(axis=0) > 0
    fc = fc[:, seen] + alpha
    log_prob = np.zeros((len(classes), matrix.shape[1]))
    log_prob[:, seen] = np.log(fc) - np.log(fc.sum(axis=1, keepdims=True))
    class_count = np.bincount(cls, minlength=len(classes)).astype(np.float64)
    log_prior = np.log(class_count) - np.log(class_count.sum())
    pooled = fc.sum(axis=0)
    log_background = np.zeros(matrix.shape[1])
    log_background[seen] = np.log(pooled) - np.log(pooled.sum())
    return NaiveBayes(facet, tuple(classes), np.ascontiguousarray(log_prob.T, dtype=np.float32),
                      log_prior, log_background.astype(np.float32))


class AliasLexicon:
    """Product words -> industry, from data/industry_aliases.txt.

    Line format: ``行业名 / 其他名称 : 别名 别名 ...``. The first name is the industry;
    further names are what other catalogs call it (the app's 五金制品 for 五金模具): an index
    whose listings use one of those names gets that one.
    """

    def __init__(self, entries: list[tuple[tuple[str, ...], tuple[str, ...]]]):
        self.names = [names for names, _ in entries]
        self.alias_entry: dict[str, int] = {}
        for i, (names, aliases) in enumerate(entries):
            for a in aliases + names:
                self.alias_entry.setdefault(normalize(a), i)
        # Lengths to try at each position, longest first (a dictionary probe per length is
        # cheaper than compiling one regex of hundreds of alternatives in every process).
        self._lengths = sorted({len(a) for a in self.alias_entry}, reverse=True)
        self._heads = frozenset(a[:2] for a in self.alias_entry)  # most positions start none
        self._singles = frozenset(a for a in self.alias_entry if len(a) == 1)

    @classmethod
    def from_file(cls, path: str | Path) -> "AliasLexicon":
        """Read the lexicon; "#" starts a comment line.

        :param path: UTF-8 text file.
        :returns: the lexicon.
        :raises ValueError: on a line without ":".
        """
        entries = []
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if ":" not in line:
                raise ValueError(f"{path}:{n}: expected 'industry : aliases'")
            head, tail = line.split(":", 1)
            names = tuple(x.strip() for x in head.split("/") if x.strip())
            entries.append((names, tuple(tail.split())))
        return cls(entries)

    def hits(self, text: str, known: set[str] | None = None) -> dict[str, int]:
        """How many alias words of each industry occur in the text (longest match first).

        :param text: any text.
        :param known: the industry values of the catalog; an entry is reported under the first
            of its names found there (under its first name when none is).
        :returns: industry -> number of hits.
        """
        out: dict[str, int] = {}
        text = normalize(text)
        entry, lengths, n = self.alias_entry, self._lengths, len(text)
        i = 0
        heads, singles = self._heads, self._singles
        while i < n:
            if text[i:i + 2] not in heads and text[i] not in singles:
                i += 1
                continue
            for length in lengths:
                if i + length > n:
                    continue
                word = text[i:i + length]
                if word in entry and not (word.isascii() and (_alnum_at(text, i - 1)
                                                              or _alnum_at(text, i + length))):
                    names = self.names[entry[word]]
                    name = normalize(next((x for x in names if known and normalize(x) in known),
                                          names[0]))
                    out[name] = out.get(name, 0) + 1
                    i += length
                    break
            else:
                i += 1
        return out


def _alnum_at(text: str, i: int) -> bool:
    """Whether text[i] exists and is an ASCII letter or digit (an ASCII alias must not
    match inside a longer word: "pack" in "package")."""
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


@lru_cache(maxsize=1)
def default_lexicon() -> AliasLexicon:
    """The bundled alias lexicon (parsed once per process)."""
    return AliasLexicon.from_file(ALIASES_PATH)


def facet_values(attrs: frozenset[str], facet: str) -> list[str]:
    """Values of one facet in an index row's interned "facet\\x1fvalue" set.

    :param attrs: the row's attribute strings.
    :param facet: facet name.
    :returns: the values (normalised), possibly none.
    """
    head = facet + ATTR_SEP
    return [a[len(head):] for a in attrs if a.startswith(head)]


def facet_models(index) -> dict[str, "NaiveBayes"]:
    """The index's industry / scenario classifiers, trained on first use after a build, load
    or compaction (the index drops them then); documents added since are learnt at the next
    compaction.

    :returns: facet -> NaiveBayes, empty when too few listings carry facets.
    """
    if index._facet_models is None:
        index._facet_models = train_models(index)
    return index._facet_models


def train_models(index) -> dict[str, NaiveBayes]:
    """One classifier per inferred facet, on the live rows of the index's main segment.

    :param index: the Index.
    :returns: facet -> model, for the facets with enough labelled listings.
    """
    w = index.weights
    n = index.main.shape[0]
    if n == 0:
        return {}
    skip = normalize(GENERIC_INDUSTRY)
    rows: dict[str, list[int]] = {f: [] for f in INFERRED_FACETS}
    values: dict[str, list[str]] = {f: [] for f in INFERRED_FACETS}
    split: dict[str, tuple[str, str]] = {}  # "facet\x1fvalue" -> (facet, value), parsed once
    for r, (attrs, ok) in enumerate(zip(index.attrs[:n], index.alive[:n].tolist())):
        if not ok or not attrs:
            continue
        for a in attrs:
            fv = split.get(a)
            if fv is None:
                fv = split[a] = tuple(a.split(ATTR_SEP, 1)) if ATTR_SEP in a else ("", "")
            if fv[0] in rows and fv[1] != skip:
                rows[fv[0]].append(r)
                values[fv[0]].append(fv[1])
    out = {}
    for facet in INFERRED_FACETS:
        model = _fit(index.main, rows[facet], values[facet], facet, w.facet_nb_alpha, w.facet_min_docs)
        if model is not None:
            out[facet] = model
    return out


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def facet_distributions(index, text: str, cols: np.ndarray, counts: np.ndarray
                        ) -> dict[str, dict[str, float]]:
    """Probability of each industry / scenario value for a query text.

    The naive-Bayes posterior (tempered: its log-likelihood is averaged per query term, as
    raw naive Bayes is certain of everything on a long text), mixed for industries with the
    alias lexicon's hits. A facet the catalog does not train (too few labelled listings) is
    left out.

    :param index: the Index.
    :param text: the query text.
    :param cols: the query's term columns, with ``counts`` their occurrences.
    :returns: facet -> {value: probability}, values normalised as in the index.
    """
    w = index.weights
    models = facet_models(index)
    out: dict[str, dict[str, float]] = {}
    generic = normalize(GENERIC_INDUSTRY)
    for facet, model in models.items():
        parts: list[tuple[float, np.ndarray]] = []
        k = len(model.classes)
        at = {c: i for i, c in enumerate(model.classes)}
        if len(cols):
            n = max(float(counts.sum()), 1.0)
            jll = model.joint_log_likelihood(cols, counts) * (w.facet_nb_sharpness / n)
            if w.facet_background_prior > 0:
                # Open set: the pooled model competes as one more class; a text no class
                # explains better than the catalog as a whole (an out-of-domain demand)
                # leaves most of the probability with it, and that mass is dropped.
                bg = model.background_log_likelihood(cols, counts) * (w.facet_nb_sharpness / n)
                p = _softmax(np.append(jll, bg + np.log(w.facet_background_prior * len(jll))))[:-1]
            else:
                p = _softmax(jll)
            parts.append((w.facet_nb_share, p))
        if facet == "industry":
            hits = default_lexicon().hits(text, set(model.classes))
            lex = np.zeros(k)
            for name, c in hits.items():
                if name in at:
                    lex[at[name]] += c
            if lex.sum() > 0:
                parts.append((w.facet_alias_share, lex / lex.sum()))
        if not parts:
            continue
        p = sum(s * q for s, q in parts) / sum(s for s, _ in parts)
        out[facet] = {c: float(x) for c, x in zip(model.classes, p) if c != generic}
    return out
