"""Tokenizer for mixed Chinese/English industrial text.

Chinese has no spaces, so a word segmenter (jieba) would be the obvious choice, but it costs
~1 s to load per process and its dictionary misses industrial jargon. Overlapping CJK
character unigrams + bigrams recover most of its benefit at no load cost, and the bench shows
they rank better on short titles. ASCII runs are kept whole *and* split into letter/digit runs
so that a glued model number ("YP2-71M2") still matches a query for "yp2" or "71m2". English
words are Snowball-stemmed so "inspection" meets "inspecting".
"""
from __future__ import annotations

import re
import unicodedata
import itertools

import Stemmer

CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# One regex pass over the normalised, lower-cased text: CJK runs or ASCII word runs
# (letters/digits optionally glued by . _ + -, as in model numbers and versions).
_TOKEN_RE = re.compile(f"([{CJK_RANGES}]+)|([a-z0-9]+(?:[._+-][a-z0-9]+)*)")
_ALNUM_PART_RE = re.compile(r"[a-z]+|[0-9]+")
_ALPHA_RE = re.compile(r"[a-z]+")

# English stop words: the short list Lucene/BEIR baselines use plus frequent function words;
# removing them keeps long English abstracts from matching on grammar.
EN_STOP = frozenset("""a an and are as at be but by for if in into is it no not of on or such
that the their then there these they this to was will with we our were been has have had its
from which can also than do does""".split())

# CJK stop unigrams: particles that carry no topic. Bigrams that contain them are kept, since
# "的" inside "目的" is meaningful and BM25's IDF already discounts the common ones.
CJK_STOP = frozenset("的了吗呢吧啊呀嘛么之")

_STOP_RE = re.compile("[" + "".join(sorted(CJK_STOP)) + "]")
_concat = str.__add__
# No PyStemmer cache (size 0): every word reaching the stemmer is already a miss of this
# module's own per-word/per-piece caches, so its cache would only be filled and evicted
# (stemming 50,000 distinct words: 0.067 s with it, 0.016 s without).
_stemmer = Stemmer.Stemmer("english", 0)
_stem = _stemmer.stemWord


def is_cjk(ch: str) -> bool:
    """Whether the character is a CJK ideograph (used to tell unigram/bigram tokens apart)."""
    o = ord(ch)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def normalize(text: str) -> str:
    """NFKC (full-width to half-width, compatibility forms) and lower case.

    :param text: raw text, may be None-like empty.
    :returns: the normalised text every other function in this package works on.
    """
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).lower()


class _WordCache(dict):
    """word -> its tokens; a dict so that lookups run in C via map(cache.__getitem__, words)."""

    def __missing__(self, word: str) -> tuple[str, ...]:
        if len(self) > 500_000:  # bound memory in long-running workers
            self.clear()
        value = self[word] = _ascii_tokens_uncached(word)
        return value


def _ascii_tokens_uncached(word: str) -> tuple[str, ...]:
    if _ALPHA_RE.fullmatch(word):
        if word in EN_STOP or len(word) < 2:
            return ()
        return (_stemmer.stemWord(word),)
    parts = _ALNUM_PART_RE.findall(word)
    if len(parts) == 1:
        return (word,)
    out = [word]
    for p in parts:
        if p.isalpha():
            if p in EN_STOP and len(p) > 1:
                continue
            out.append(_stemmer.stemWord(p) if len(p) > 3 else p)
        else:
            out.append(p)
    return tuple(out)


_word_cache = _WordCache()
_ascii_tokens = _word_cache.__getitem__
_BYTE_TABLE = bytes(b if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789._+-" else 32
                    for b in range(256))


class _PieceCache(dict):
    """space-free ASCII piece (bytes) -> its tokens, e.g. b"covid-19," -> covid-19, covid, 19."""

    def __missing__(self, piece: bytes) -> tuple[str, ...]:
        if len(self) > 500_000:
            self.clear()
        w = piece.decode("ascii")
        if w.isalpha():  # the common case: a plain English word
            value = () if len(w) < 2 or w in EN_STOP else (_stem(w),)
        else:
            value = tuple(t for x in _ASCII_WORD_RE.findall(w) for t in _ascii_tokens(x))
        self[piece] = value
        return value


_piece_tokens = _PieceCache().__getitem__
CJK_RE = re.compile(f"[{CJK_RANGES}]")
_CJK_RE = CJK_RE
_ASCII_WORD_RE = re.compile(r"[a-z0-9]+(?:[._+-][a-z0-9]+)*")
_chain = itertools.chain.from_iterable


def _pieces(text: str) -> list[bytes]:
    """Space-free ASCII pieces of CJK-free text, each resolved once in a cache.

    A full stop before a separator is dropped ("cells." -> "cells"): no token can end with
    it (after "." a token needs a letter or digit), and sentence ends would otherwise give
    every word a second cache entry (about 9 % of the distinct pieces of English text).
    """
    return text.encode("ascii", "replace").translate(_BYTE_TABLE).replace(b". ", b" ").split()


def tokenize(text: str, normalized: bool = False) -> list[str]:
    """Split text into index terms (CJK uni+bigrams, ASCII words and their alnum parts).

    :param text: any text; None or "" gives [].
    :param normalized: skip NFKC/lower-casing when the caller already did it.
    :returns: terms in text order, with repetitions (term frequency matters for BM25).
    """
    if not text:
        return []
    if not normalized:
        text = normalize(text)
    if text.isascii() or not _CJK_RE.search(text):  # no CJK: English fast path
        # bytes.translate + split run in C; non-ASCII letters become separators exactly as
        # in the regex path. Each distinct piece is resolved once, in _PieceCache.
        pieces = _pieces(text)
        return list(_chain(map(_piece_tokens, pieces)))
    out: list[str] = []
    ext = out.extend
    for cjk, word in _TOKEN_RE.findall(text):
        if cjk:
            # extend() with a str adds its characters: the unigrams, minus particles.
            ext(_STOP_RE.sub("", cjk) if _STOP_RE.search(cjk) else cjk)
            if len(cjk) > 1:
                ext(map(_concat, cjk, cjk[1:]))  # overlapping bigrams, built in C
        else:
            ext(_ascii_tokens(word))
    return out


def reference_tokenize(text: str) -> list[str]:
    """The tokenizing rule, written once and plainly: the definition every fast path must
    reproduce (tokenize's CJK and English paths, TermColumns and the vectorised CJK
    expansion of build.py; tests/matching/test_tokenizer_properties.py checks them with
    generated text). No caches, no tricks; not used for indexing.

    NFKC + lower case; each CJK run gives its characters minus particles (CJK_STOP), then
    its overlapping bigrams; each ASCII run (letters/digits glued by . _ + -) gives itself
    and its letter/digit parts, English words stemmed and stop words dropped.

    :param text: any text.
    :returns: terms in text order, with repetitions.
    """
    out: list[str] = []
    for m in _TOKEN_RE.finditer(normalize(text or "")):
        cjk, word = m.group(1), m.group(2)
        if cjk:
            out += [c for c in cjk if c not in CJK_STOP]
            out += [cjk[i:i + 2] for i in range(len(cjk) - 1)]
        else:
            out += _ascii_tokens_uncached(word)
    return out


def term_kind(term: str) -> str:
    """Classify a term as "uni" (one CJK char), "bi" (two CJK chars) or "word".

    :param term: a term produced by :func:`tokenize`.
    :returns: the kind, which selects the query-side weight in RankingWeights.
    """
    if term[0] >= "\u3400":  # everything that is not ASCII here is a CJK ideograph
        return "uni" if len(term) == 1 else "bi"
    return "word"


class TermColumns:
    """:func:`tokenize` fused with a term -> column mapping, for building an index.

    Gives exactly ``map(column, tokenize(text))`` but caches each distinct ASCII piece or
    word's columns, so that a repeated English word costs one dict lookup instead of a
    token list plus a vocabulary lookup per token; CJK unigrams and bigrams go to the
    vocabulary without an intermediate list. Index building spends most of its time here.
    """

    def __init__(self, column):
        """:param column: term -> column, e.g. a defaultdict's __getitem__ numbering new terms."""
        self.column = column
        self._pieces = _PieceColumns(column)
        self._words = _ColumnCache(column, _ascii_tokens)

    def extend(self, cols, text: str) -> int:
        """Append the columns of the text's terms to `cols`.

        :param cols: a list or array.array to extend.
        :param text: raw text.
        :returns: how many columns were appended (the field's length in terms).
        """
        if not text:
            return 0
        text = normalize(text)
        n = len(cols)
        column = self.column
        if text.isascii() or not _CJK_RE.search(text):
            pieces = _pieces(text)
            cols.extend(_chain(map(self._pieces.__getitem__, pieces)))  # all in C on cache hits
            return len(cols) - n
        words = self._words.__getitem__
        for cjk, word in _TOKEN_RE.findall(text):
            if cjk:
                cols.extend(map(column, _STOP_RE.sub("", cjk) if _STOP_RE.search(cjk) else cjk))
                if len(cjk) > 1:
                    cols.extend(map(column, map(_concat, cjk, cjk[1:])))
            else:
                cols.extend(words(word))
        return len(cols) - n

    def extend_deferred(self, runs: list, cols, text: str) -> int:
        """Like :meth:`extend`, but each CJK run goes to `runs` and stands in `cols` as one
        marker, ``-len(runs)`` after appending it, for a vectorised pass to expand into its
        unigrams and bigrams (see build.py); ASCII terms are looked up as in :meth:`extend`.

        :returns: how many entries were appended (a marker counts one).
        """
        if not text:
            return 0
        text = normalize(text)
        n = len(cols)
        if text.isascii() or not _CJK_RE.search(text):
            cols.extend(_chain(map(self._pieces.__getitem__, _pieces(text))))
            return len(cols) - n
        words = self._words.__getitem__
        add_run, add = runs.append, cols.append
        for cjk, word in _TOKEN_RE.findall(text):
            if cjk:
                add_run(cjk)
                add(-len(runs))
            else:
                cols.extend(words(word))
        return len(cols) - n


class _ColumnCache(dict):
    """ASCII piece or word -> the columns of its tokens, computed on the first miss."""

    def __init__(self, column, tokens):
        super().__init__()
        self.column = column
        self.tokens = tokens

    def __missing__(self, key) -> tuple[int, ...]:
        value = self[key] = tuple(map(self.column, self.tokens(key)))
        return value


class _PieceColumns(dict):
    """ASCII piece (bytes) -> the columns of its tokens: :class:`_PieceCache`'s logic fused
    with the column lookup, one Python call per new piece (English corpora have tens of
    thousands of distinct pieces, each missed once)."""

    def __init__(self, column):
        super().__init__()
        self.column = column

    def __missing__(self, piece: bytes) -> tuple[int, ...]:
        w = piece.decode("ascii")
        if w.isalpha():
            value = () if len(w) < 2 or w in EN_STOP else (self.column(_stem(w)),)
        else:
            value = tuple(map(self.column, [t for x in _ASCII_WORD_RE.findall(w)
                                            for t in _ascii_tokens(x)]))
        self[piece] = value
        return value
