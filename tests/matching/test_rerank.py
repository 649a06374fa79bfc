"""Re-ranking signals (matching/rerank.py): phrase credit, diversification, confidence."""
import numpy as np

from matching import Document, RankingWeights, build_index
from matching.query import compile_query
from matching.rerank import confidence_of, diversify, phrase_bonus

LONG_DEMAND = ("我们工厂生产手机玻璃盖板，丝印以后要做外观全检，现在靠很多目检员，划伤崩边漏检严重，"
               "客户投诉不断，夜班更明显，希望找自动检测设备替代人工，结果进系统按批次追溯，预算有限。")


def test_exact_phrases_in_the_title_earn_credit_on_long_demands():
    idx = build_index([Document(id="t", title="手机玻璃盖板外观检测"),
                       Document(id="b", title="外观检测设备", text="适用于手机、玻璃和盖板")])
    qt = compile_query(idx, LONG_DEMAND)
    assert qt.long
    in_title, scattered = phrase_bonus(idx, qt, [idx.row_of["t"], idx.row_of["b"]])
    assert in_title > scattered >= 0.0 and in_title <= idx.weights.phrase_weight
    assert not compile_query(idx, "玻璃盖板检测").long  # short queries get no phrase credit


def test_diversification_mixes_owners_and_kinds_but_keeps_a_clear_winner():
    w = RankingWeights(max_per_owner=2, owner_repeat_penalty=0.05, kind_repeat_penalty=0.05)
    final = np.array([3.0, 2.9, 2.88, 2.87, 1.0])
    owners = ["a", "a", "a", "b", "c"]
    kinds = ["case", "case", "case", "solution", "product"]
    order = diversify(np.arange(5), final, owners, kinds, w).tolist()
    assert order[0] == 0 and order[1] == 3  # the same owner's next case yields to another's
    assert order.index(2) > order.index(4)  # a third result of owner "a" is capped
    assert sorted(order) == list(range(5))  # demoted, never dropped


def test_confidence_is_strictly_decreasing_in_result_order():
    w = RankingWeights()
    conf = confidence_of(w, np.array([3.0, 3.0, 3.1, 0.5, -1.0]))  # a tie and a demoted result
    assert all(0.0 <= c <= 1.0 for c in conf)
    assert all(a > b for a, b in zip(conf, conf[1:]))
    assert len({f"{c:.9f}" for c in conf}) == len(conf)  # distinct as the CLI prints them
    at_mid = confidence_of(w, np.array([w.confidence_midpoint]))[0]
    assert abs(at_mid - 0.5) < 1e-9


def _per_query(idx, texts, top):
    """rerank() query by query, as (ids, confidences): the reference of rerank_batch."""
    import importlib
    rank_mod = importlib.import_module("matching.rank")  # the module, not matching.rank()
    from matching.model import Query
    from matching.score import retrieve_many
    qs = [Query(t) for t in texts]
    cands = list(retrieve_many(idx, [compile_query(idx, t) for t in texts]))
    return [rank_mod._results(idx, q, c, top, raw=True) for q, c in zip(qs, cands)], cands


def test_batch_rerank_gives_the_per_query_numbers_exactly(monkeypatch):
    import matching.rerank as rr
    from matching.rerank import plain_batch, rerank_batch
    docs = [Document(id=f"d{i}", title=t, text=x) for i, (t, x) in enumerate([
        ("手机玻璃盖板外观检测", "丝印后外观全检，划伤崩边"),
        ("视觉检测设备", "适用于手机、玻璃和盖板"),
        ("视觉检测设备", "适用于手机、玻璃和盖板"),        # a tie with the one above
        ("智能排程 APS", "车间排产，订单交期"),
        ("", "没有标题的一段正文：设备预测性维护"),
        ("Predictive maintenance", "vibration sensors on motors"),
    ] * 3)]
    idx = build_index(docs)
    texts = ["玻璃盖板检测", LONG_DEMAND, "qqqq zzzz", "视觉检测", "maintenance of motors", "",
             "设备维护", "排程"]
    from matching.model import Query
    assert plain_batch(idx, [Query(t) for t in texts])
    assert not plain_batch(idx, [Query("x", attributes={"industry": {"汽车"}})])
    for top in (1, 3, 100):
        want, cands = _per_query(idx, texts, top)
        assert rerank_batch(idx, cands, top) == want
        assert want[2] == ([], [])  # no candidate: empty, in place
        # The packed-key sort and the lexsort it stands for agree.
        monkeypatch.setattr(rr, "_lexical_order",
                            lambda g, r, v: np.lexsort((r, -v, g)))
        assert rerank_batch(idx, cands, top) == want
        monkeypatch.undo()
