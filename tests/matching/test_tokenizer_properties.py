"""Every fast tokenizing path gives the tokens of the one reference rule
(matching.tokenizer.reference_tokenize), on generated text: tokenize's CJK and English
paths, TermColumns (the builder's fused tokenize + column lookup, with its per-piece
caches), and the bulk builder's vectorised CJK expansion against single adds."""
from collections import Counter, defaultdict
import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Document, Index, build_index
from matching.tokenizer import CJK_STOP, TermColumns, reference_tokenize, tokenize

# Pieces that meet the rule's edges: CJK with particles, full-width forms (NFKC), model
# numbers glued by . _ + -, English stop words and words the stemmer changes, sentence
# ends ("cells. "), non-ASCII letters outside CJK, and separators.
PIECES = st.sampled_from([
    "机器视觉", "缺陷检测", "的", "了吗", "之", "检测的设备", "ＡＯＩ", "ＹＰ２－７１", "YP2-71M2",
    "v1.2.3", "covid-19,", "a_b+c", "x-", "-y", ".5", "3.", "inspection", "Systems", "the",
    "of", "is", "cells. ", "café", "naïve", "Ωmega", "，", "。", " ", "  ", "\n", "!", "…",
    "MES", "PLC", "2.5D", "0.05mm", "2秒/件", "ⅣⅤ", "㎜", "ﬁne", "旅游线路", "a", "I",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=12).map("".join)
ASCII_TEXT = st.lists(st.one_of(PIECES.filter(str.isascii),
                                st.text(st.characters(max_codepoint=127), max_size=6)),
                      max_size=12).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_tokenize_is_the_reference_rule(text):
    assert tokenize(text) == reference_tokenize(text)


@FAST
@given(ASCII_TEXT)
def test_the_english_fast_path_is_the_reference_rule(text):
    assert tokenize(text) == reference_tokenize(text)


@FAST
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_term_columns_are_the_reference_tokens(texts):
    vocab = defaultdict(itertools.count().__next__)
    columns = TermColumns(vocab.__getitem__)  # one instance: its caches carry over
    for text in texts:
        cols: list[int] = []
        n = columns.extend(cols, text)
        terms = {c: t for t, c in vocab.items()}
        assert n == len(cols)
        assert [terms[c] for c in cols] == reference_tokenize(text)


def _tf(index: Index) -> list[Counter]:
    csr = index.csr()
    terms = index.terms()
    return [Counter({terms[c]: float(v) for c, v in zip(csr.indices[csr.indptr[r]:csr.indptr[r + 1]],
                                                         csr.data[csr.indptr[r]:csr.indptr[r + 1]])})
            for r in range(csr.shape[0])]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=6))
def test_bulk_build_counts_the_reference_tokens(fields):
    docs = [Document(id=f"d{i}", title=t, text=x) for i, (t, x) in enumerate(fields)]
    bulk = build_index(docs)        # vectorised CJK expansion (build.py)
    single = Index()
    for d in docs:                  # one document at a time (doc_fields -> tokenize)
        single.add(d)
    w = bulk.weights
    expect = []
    for t, x in fields:
        c: Counter = Counter()
        for tok in reference_tokenize(t):
            c[tok] += w.title_weight
        for tok in reference_tokenize(x):
            c[tok] += w.body_weight
        expect.append(c)
    assert _tf(bulk) == expect
    assert _tf(single) == expect
    assert np.array_equal(bulk.dl, single.dl)


def test_reference_rule_by_hand():
    assert reference_tokenize("机器视觉的YP2-71M2 Systems") == [
        "机", "器", "视", "觉", "机器", "器视", "视觉", "觉的",
        "yp2-71m2", "yp", "2", "71", "m", "2", "system"]
    assert not set(reference_tokenize("的了吗")) & CJK_STOP
