"""Index building: the vectorised CJK path numbers and counts terms exactly as the
per-term path does."""
import numpy as np

from matching import build
from matching.build import build_index, bulk_load
from matching.index import Index
from matching.model import Document

TEXTS = [
    ("机器视觉缺陷检测", "汽车零部件的外观检测，采用 AOI 设备 YP2-71M2 与深度学习。"),
    ("Predictive maintenance", "vibration sensors, PHM models; 预测性维护之故障预测"),
    ("的了吗", "!!! ..."),                      # only stop characters / no terms at all
    ("", "排产 APS 生产计划 排产排产 生产计划"),
    ("ＡＧＶ 移动机器人", "仓储搬运，全角ＡＢＣ１２３ 和 abc123 混排；啊呀嘛么之"),
    ("English only title", "Plain text without any ideograph at all."),
    ("视觉", "视觉视觉视觉 检测"),
]


def _docs(n):
    return [Document(id=f"d{i}", title=TEXTS[i % len(TEXTS)][0],
                     text=TEXTS[i % len(TEXTS)][1] + f" 编号{i} item{i % 5}")
            for i in range(n)]


def _index(docs, monkeypatch=None, chunk=3):
    idx = Index()
    bulk_load(idx, docs, chunk=chunk)
    return idx


def _same(a, b):
    assert a.vocab == b.vocab and list(a.vocab.values()) == list(b.vocab.values())
    assert list(a.vocab) == list(b.vocab)          # same numbering, same insertion order
    for x, y in ((a.main.indptr, b.main.indptr), (a.main.indices, b.main.indices),
                 (a.main.data, b.main.data), (a.dl, b.dl), (a.df, b.df)):
        assert np.array_equal(x, y)


def test_deferred_cjk_columns_equal_per_term_columns(monkeypatch):
    docs = _docs(40)
    fast = _index(docs)
    monkeypatch.setattr(build, "_has_cjk", lambda docs: False)
    slow = _index(docs)
    _same(fast, slow)
    assert "视觉" in fast.vocab and "之" not in fast.vocab and "yp2-71m2" in fast.vocab


def test_deferred_path_with_tail_tokenized_here(monkeypatch):
    docs = _docs(25)
    fast = Index()
    bulk_load(fast, docs, chunk=4, tail=(10, lambda: None))
    monkeypatch.setattr(build, "_has_cjk", lambda docs: False)
    slow = build_index(docs)
    _same(fast, slow)
