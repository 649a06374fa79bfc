"""Industry / scenario inference, its use in ranking, and the absolute confidence.

The catalog below is synthetic (written for these tests), never the shared bench data.
"""
import numpy as np
import pytest
import scipy.sparse as sp

from matching import (DEFAULT_WEIGHTS, Document, Query, RankingWeights, build_index, infer_facets,
                      rank, rank_many)
from matching.facets import AliasLexicon, default_lexicon, train_naive_bayes

SCENARIOS = {
    "在线智能检测": ("外观缺陷检测系统", "工业相机拍照，深度学习识别划痕、崩边、脏污，替代人工目检，检测结果写入MES"),
    "设备故障诊断与预测": ("设备预测性维护平台", "振动与温度传感器在线采集，提前预警轴承、电机、油泵故障，减少非计划停机"),
    "需求预测": ("销量预测与补货", "结合历史订单、促销和季节因素预测销量，给出补货建议，降低库存积压和断货"),
    "能源智能管控": ("工厂能耗管理系统", "分项计量水电气，空压机和空调能耗分析，峰谷用电优化，降低单位产品能耗"),
    "车间智能排产": ("智能排程APS", "按订单交期、机台产能和换模时间自动排产，插单模拟，减少换线，准时交付"),
    "仓储智能管理": ("智能仓储WMS", "扫码入库出库，库位推荐，先进先出，盘点差异自动对账，叉车和AGV调度"),
    "智能客服": ("AI智能客服", "自动回答售前售后咨询，订单查询、退换货和安装预约，复杂问题转人工坐席"),
    "员工技能培训": ("岗位技能培训平台", "标准作业视频、在线考试和技能矩阵，新员工上岗培训周期缩短"),
}
INDUSTRIES = {
    "电子信息": ("手机玻璃盖板与PCB", "面向手机、平板、线路板和SMT贴片产线"),
    "食品饮料": ("饮料与乳制品", "面向饮料灌装、乳制品和凉茶生产线"),
    "塑料制品": ("注塑件", "面向注塑机、吹塑和塑胶外壳生产"),
}


def tagged_catalog() -> list[Document]:
    """Per scenario: one listing for each named industry and two industry-agnostic ones."""
    docs = []
    for s, (title, text) in SCENARIOS.items():
        for i, (ind_title, ind_text) in INDUSTRIES.items():
            docs.append(Document(id=f"{s}-{i}", title=f"{ind_title}{title}", text=f"{text}。{ind_text}。",
                                 kind="solution", owner=f"{s}-{i}",
                                 attributes={"scenario": {s}, "industry": {i}}))
            docs.append(Document(id=f"{s}-{i}-case", title=f"某{ind_title}企业{title}案例",
                                 text=f"{ind_text}的企业上线后，{text[:20]}。", kind="case",
                                 owner=f"{s}-{i}", attributes={"scenario": {s}, "industry": {i}}))
        for k in range(2):
            docs.append(Document(id=f"{s}-通用{k}", title=f"通用{title}{k}", text=f"{text}，适用于各行业。",
                                 kind="product", owner=f"{s}-g{k}",
                                 attributes={"scenario": {s}, "industry": {"通用"}}))
    return docs


def off_topic(n: int) -> list[Document]:
    """Untagged listings about nothing the demands below ask for."""
    words = ["旅游线路", "婚礼策划", "钢琴培训", "宠物美容", "咖啡拉花", "篮球比赛", "诗歌朗诵", "古籍修复"]
    return [Document(id=f"x{i}", title=f"{words[i % 8]}服务{i}",
                     text=f"{words[(i + 3) % 8]}与{words[(i + 5) % 8]}的周末活动安排，第{i}期报名中")
            for i in range(n)]


GLASS_DEMAND = ("我们是东莞的手机玻璃盖板厂，丝印后要做外观全检，现在靠一百多个目检员，划伤和崩边漏检多，"
                "客户投诉不断，希望找自动外观检测设备替代人工，结果要能进MES按批次追溯。")


@pytest.fixture(scope="module")
def catalog():
    return build_index(tagged_catalog())


def test_naive_bayes_matches_scikit_learn():
    from sklearn.naive_bayes import MultinomialNB
    rng = np.random.default_rng(0)
    x = sp.csr_matrix(rng.poisson(0.7, size=(30, 12)).astype(float))
    labels = [frozenset({"a"}), frozenset({"b"}), frozenset({"c"})] * 10
    model = train_naive_bayes(x, labels, "scenario", alpha=0.1, min_docs=5)
    ref = MultinomialNB(alpha=0.1).fit(x, [next(iter(v)) for v in labels])
    assert model.classes == tuple(ref.classes_)
    assert np.allclose(model.log_prior, ref.class_log_prior_)
    seen = np.asarray(x.sum(axis=0)).ravel() > 0
    assert seen.all()  # every term is in the labelled rows: then the formula is sklearn's
    assert np.allclose(model.log_prob.T, ref.feature_log_prob_, atol=1e-5)
    q = np.array([0, 3, 7]), np.array([2.0, 1.0, 1.0])
    dense = np.zeros((1, 12))
    dense[0, q[0]] = q[1]
    assert np.allclose(model.joint_log_likelihood(*q), ref.predict_joint_log_proba(dense)[0], atol=1e-4)


def test_naive_bayes_needs_enough_labelled_rows():
    x = sp.csr_matrix(np.ones((4, 3)))
    assert train_naive_bayes(x, [frozenset({"a"}), frozenset({"b"})] * 2, "s", 0.1, min_docs=5) is None
    assert train_naive_bayes(x, [frozenset({"a"})] * 4, "s", 0.1, min_docs=1) is None  # one class


def test_alias_lexicon_names_the_industry_of_a_product():
    lex = default_lexicon()
    assert max(lex.hits("手机玻璃盖板外观检测").items(), key=lambda x: x[1])[0] == "电子信息"
    assert "皮具箱包" in lex.hits("真皮手袋的款式图片检索")
    assert "食品饮料" in lex.hits("凉茶灌装线杀菌温度控制")
    assert lex.hits("package 与 packaging") == {}  # ASCII aliases match whole words only
    # The catalog's own name for the cluster wins over the lexicon's first name.
    assert "五金制品" in lex.hits("不锈钢门锁和合页", known={"五金制品"})


def test_alias_lexicon_file_errors_are_clear(tmp_path):
    bad = tmp_path / "aliases.txt"
    bad.write_text("# comment\n电子信息 手机\n", encoding="utf-8")
    with pytest.raises(ValueError, match="aliases.txt:2"):
        AliasLexicon.from_file(bad)


def test_infer_facets_reads_industry_and_scenario_from_a_product_demand(catalog):
    found = infer_facets(catalog, GLASS_DEMAND)
    assert found["industry"][0][0] == "电子信息"
    assert found["scenario"][0][0] == "在线智能检测"
    for facet in ("industry", "scenario"):
        probs = [p for _, p in found[facet]]
        assert all(0.0 <= p <= 1.0 for p in probs) and probs == sorted(probs, reverse=True)
    assert all(v != "通用" for v, _ in found["industry"])  # agnostic is not an industry


def test_infer_facets_is_empty_without_tagged_listings():
    idx = build_index([Document(id=str(i), title=t) for i, t in enumerate(["机器视觉", "能耗管理"] * 15)])
    assert infer_facets(idx, GLASS_DEMAND) == {"industry": [], "scenario": []}


def test_wrong_industry_ranks_below_right_and_agnostic_ones(catalog):
    found = rank(catalog, GLASS_DEMAND, top=8)
    order = [m.doc_id for m in found]
    scenario_hits = [d for d in order if d.startswith("在线智能检测")]
    assert order[:len(scenario_hits)] == scenario_hits  # the demand's scenario first
    right, agnostic = order.index("在线智能检测-电子信息"), order.index("在线智能检测-通用0")
    wrong = [order.index(f"在线智能检测-{i}") for i in ("食品饮料", "塑料制品")]
    assert right < min(wrong) and agnostic < min(wrong)
    assert found[0].doc_id == "在线智能检测-电子信息"
    assert any(r.kind == "facet" and r.facet == "scenario" for r in found[0].reasons)


def test_stated_industry_ranks_its_listings_above_other_industries(catalog):
    q = Query("产线想用自动外观检测替代人工目检，划痕和脏污漏检太多", attributes={"industry": {"食品饮料"}})
    order = [m.doc_id for m in rank(catalog, q, top=10)]
    wrong = min(order.index(f"在线智能检测-{i}") for i in ("电子信息", "塑料制品"))
    assert order.index("在线智能检测-食品饮料") < wrong
    assert order.index("在线智能检测-通用0") < wrong


def test_facet_inference_is_a_no_op_without_facets():
    docs = [Document(id=d.id, title=d.title, text=d.text) for d in tagged_catalog()]
    off = RankingWeights(inferred_scenario_weight=0.0, inferred_industry_weight=0.0)
    a, b = build_index(docs), build_index(docs, off)
    for q in (GLASS_DEMAND, "预测性维护", "销量预测补货"):
        assert [(m.doc_id, m.confidence) for m in rank(a, q)] == [(m.doc_id, m.confidence) for m in rank(b, q)]


def test_confidence_is_absolute_and_ignores_unrelated_listings(catalog):
    bigger = build_index(tagged_catalog() + off_topic(300))
    demands = [GLASS_DEMAND, "饮料厂想预测各区域销量，旺季经常断货、淡季积压，希望给出补货建议并降低库存。",
               "注塑车间空压机和空调能耗很高，想做分项计量和峰谷用电优化，降低单位产品能耗。"]
    for text in demands:
        before = rank(catalog, text, top=3, explain=False)
        after = {m.doc_id: m.confidence for m in rank(bigger, text, top=10, explain=False)}
        for m in before:
            assert abs(m.confidence - after[m.doc_id]) < 0.05, (text, m.doc_id)


def test_confidence_separates_an_out_of_domain_demand(catalog):
    strong = DEFAULT_WEIGHTS.strong_match_confidence
    good = rank(catalog, GLASS_DEMAND, top=1)[0]
    assert good.confidence >= strong
    hospital = ("我们是一家三甲医院，门诊量大，医生希望有辅助诊断系统，根据病历和影像给出诊断建议，"
                "并和医院信息系统对接，保护患者隐私。")
    found = rank(catalog, hospital, top=1)
    assert not found or found[0].confidence < strong


def test_batch_single_and_reloaded_paths_agree_with_facets(catalog, tmp_path):
    texts = [GLASS_DEMAND, "轴承振动预警，减少停机"]
    catalog.save(tmp_path / "idx")
    from matching import Index
    loaded = Index.load(tmp_path / "idx")
    for single, batch, again in zip([rank(catalog, t, explain=False) for t in texts],
                                    rank_many(catalog, texts), [rank(loaded, t, explain=False) for t in texts]):
        assert [m.doc_id for m in single] == [m.doc_id for m in batch] == [m.doc_id for m in again]
        assert all(abs(a.confidence - b.confidence) < 1e-4 for a, b in zip(single, batch))
        assert all(abs(a.confidence - b.confidence) < 1e-9 for a, b in zip(single, again))


def test_a_keyword_query_the_catalog_mostly_does_not_know_gets_no_strong_match(catalog):
    tagged = catalog
    # "视觉": the catalog holds 视 (in 视频) but never 觉. Its norm used to count only the
    # known character, so that one-character hit plus an inferred scenario read as 0.26;
    # a word understood through a synonym the catalog knows (AOI -> 外观检测) still counts.
    weights = tagged.weights
    one_char = rank(tagged, "视觉")
    assert one_char and one_char[0].confidence < 0.1
    assert rank(tagged, "AOI检测")[0].confidence >= weights.strong_match_confidence
    # A sentence is not discounted for its filler (only keyword queries are).
    assert rank(tagged, GLASS_DEMAND[:45])[0].confidence >= weights.strong_match_confidence
    # Still strictly decreasing within the query.
    confs = [m.confidence for m in rank(tagged, "视觉检测", top=20)]
    assert all(a > b for a, b in zip(confs, confs[1:]))
