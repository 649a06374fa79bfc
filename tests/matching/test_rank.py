from matching import Document, Query, RankingWeights, build_index, explain, find_near_duplicates, rank


def ids(matches):
    return [m.doc_id for m in matches]


def test_lexical_match_first(docs):
    idx = build_index(docs)
    assert ids(rank(idx, "智能排程"))[0] == "s3"
    assert ids(rank(idx, "YP2-71M2"))[0] == "s1"
    assert rank(idx, "qqqq zzzz") == []


def test_synonym_expansion_recalls_listing(docs):
    idx = build_index(docs)
    assert "s3" in ids(rank(idx, "APS"))
    # PHM is only in the synonym list; the listing says 预测性维护 / 故障预测.
    assert ids(rank(idx, "PHM"))[0] == "s4"


def test_facet_boost_changes_order():
    docs = [Document(id="x", title="视觉检测方案", attributes={"industry": {"纺织"}}),
            Document(id="y", title="视觉检测方案", attributes={"industry": {"汽车"}})]
    idx = build_index(docs)
    q = Query("视觉检测", attributes={"industry": {"汽车"}})
    assert ids(rank(idx, q))[0] == "y"
    q = Query("视觉检测", attributes={"industry": {"纺织"}})
    assert ids(rank(idx, q))[0] == "x"


def test_verified_and_case_evidence_boosts(docs):
    idx = build_index(docs)
    res = rank(idx, Query("外观检测 缺陷检测"))
    kinds = {r.kind for m in res for r in m.reasons}
    assert "verified" in kinds and "case" in kinds


def test_filters_exclude_and_kinds(docs):
    idx = build_index(docs)
    res = rank(idx, Query("缺陷检测", exclude={"s1"}, kinds={"solution", "product"}))
    assert "s1" not in ids(res) and "c1" not in ids(res) and res


def test_one_owner_cannot_fill_top10():
    docs = [Document(id=f"a{i}", title=f"机器视觉检测 {i}", owner="big") for i in range(15)]
    docs += [Document(id=f"o{i}", title=f"视觉 方案 {i}", owner=f"o{i}") for i in range(10)]
    idx = build_index(docs)
    top = rank(idx, "机器视觉检测", top=10)
    assert sum(d.startswith("a") for d in ids(top)) == RankingWeights().max_per_owner
    assert len(top) == 10
    # Without the cap the big owner's better matches fill the page: the cap is what acts.
    no_div = build_index(docs, RankingWeights(max_per_owner=0, owner_repeat_penalty=0.0,
                                              kind_repeat_penalty=0.0))
    assert sum(d.startswith("a") for d in ids(rank(no_div, "机器视觉检测", top=10))) == 10


def test_chinese_explanation(docs):
    idx = build_index(docs)
    m = rank(idx, Query("机器视觉缺陷检测", attributes={"scenario": {"质量检测"}}))[0]
    text = m.explanation()
    assert text.startswith("匹配原因：同属质量检测场景；共同关键词：")
    assert "机器视觉" in text and "器视" not in text.replace("机器视觉", "")
    assert m.explanation("en").startswith("Why: same scenario: 质量检测; shared keywords: ")
    term = [r for r in m.reasons if r.kind == "term"][0]
    assert term.weight > 0 and "title" in term.fields


def test_explain_single_document(docs):
    idx = build_index(docs)
    reasons = explain(idx, "AOI 外观检测", "s2")
    labels = [r.label for r in reasons]
    assert any("外观检测" in lab for lab in labels)
    assert explain(idx, "AOI", "missing") == ()


def test_near_duplicates(docs):
    idx = build_index(docs)
    dup = Document(id="n", title="机器视觉缺陷检测系统", summary="深度学习表面缺陷检测",
                   text="适用于汽车零部件、3C 电子外观检测，支持 YP2-71M2 电机外壳")
    found = find_near_duplicates(idx, dup)
    assert found and found[0].doc_id == "s1" and found[0].cosine > 0.9
    assert all(f.doc_id != "s1" for f in find_near_duplicates(idx, "能源管理 工厂能耗监测与节能降耗"))
    assert find_near_duplicates(idx, Document(id="z", title="数字孪生", text="虚拟仿真")) == []
    assert find_near_duplicates(idx, dup, exclude_ids={"s1"}) == []


def test_batch_and_single_query_paths_agree(docs):
    from matching import rank_many
    idx = build_index(docs)
    queries = ["机器视觉缺陷检测", "排产 APS", "能耗监测与节能降耗方案", "振动 故障预测 停机"]
    for single, batch in zip([rank(idx, q, explain=False) for q in queries], rank_many(idx, queries)):
        assert ids(single) == ids(batch)
        assert all(abs(a.score - b.score) < 1e-4 for a, b in zip(single, batch))


def test_two_phase_scoring_keeps_the_best_match():
    docs = [Document(id=f"d{i}", title=f"智能制造方案 {i}", text="工厂 生产 设备 管理") for i in range(60)]
    docs.append(Document(id="target", title="智能制造方案 焊缝检测", text="工厂 焊缝 质量"))
    exact = build_index(docs)
    pruned = build_index(docs, RankingWeights(two_phase_min_docs=1, two_phase_common_df=0.5,
                                              two_phase_candidates=5))
    q = "工厂焊缝检测 智能制造"
    assert ids(rank(pruned, q))[0] == ids(rank(exact, q))[0] == "target"


def test_strict_queries_need_more_than_a_shared_character():
    from matching import Document, Query, build_index, rank

    index = build_index([Document(id="1", title="视觉缺陷检测系统", text="表面检测"),
                         Document(id="2", title="设备预测性维护", text="振动分析")])
    assert [m.doc_id for m in rank(index, Query(text="预测性维护", strict=True))] == ["2"]
    assert {m.doc_id for m in rank(index, Query(text="预测性维护"))} == {"1", "2"}
    assert rank(index, Query(text="能耗监测", strict=True)) == []


def _feedback_corpus():
    topics = ["机器视觉缺陷检测 表面划痕 注塑件 外观质检 工业相机", "设备预测性维护 振动分析 故障预测 轴承 停机",
              "智能排程 生产计划 排产优化 交期 APS", "能源管理 能耗监测 节能降耗 电表 空压机"]
    return [Document(id=f"d{t}-{i}", title=topics[t].split()[0] + f" 方案{i}",
                     text=" ".join(topics[t].split()[i % 5:] + topics[(t + 1) % 4].split()[:i % 3]))
            for t in range(4) for i in range(10)]


def test_feedback_expansion_is_per_query_in_a_batch():
    """The vectorised feedback pass must give each query the terms it would get alone."""
    from matching.query import compile_query
    from matching.score import candidates, expansions, feedback, products
    idx = build_index(_feedback_corpus())
    texts = ["注塑件表面划痕的机器视觉外观检测方案", "轴承振动分析与故障预测减少设备停机",
             "工厂能耗监测和空压机节能降耗改造", "排产"]
    qts = [compile_query(idx, t) for t in texts]
    segs = idx.weighted_segments()
    cands = candidates(products([(q.cols, q.weights) for q in qts], segs), segs, range(len(qts)))
    batch = {j: dict(zip(c, w)) for j, c, w in expansions(idx, qts, cands)}
    assert set(batch) == {0, 1, 2}  # the two-character query is too short for feedback
    for j, qt in enumerate(qts[:3]):
        alone = feedback(idx, qt, *cands[j])
        extra = dict(zip(alone.cols[len(qt.cols):].tolist(), alone.weights[len(qt.cols):].tolist()))
        assert extra and set(extra).isdisjoint(qt.cols.tolist())
        assert batch[j].keys() == extra.keys()
        assert all(abs(batch[j][c] - extra[c]) < 1e-12 for c in extra)


def test_batch_and_single_paths_agree_with_feedback():
    from matching import rank_many
    idx = build_index(_feedback_corpus())
    queries = ["注塑件表面划痕的机器视觉外观检测方案", "轴承振动分析与故障预测减少设备停机", "排产"]
    for single, batch in zip([rank(idx, q, top=20, explain=False) for q in queries],
                             rank_many(idx, queries, top=20)):
        assert ids(single) == ids(batch)
        assert all(abs(a.score - b.score) < 1e-4 for a, b in zip(single, batch))


def test_batch_ranking_skips_removed_and_edited_documents(docs):
    from matching import rank_many
    idx = build_index(docs)
    idx.remove("s1")
    idx.update(Document(id="s3", title="能源托管", text="合同能源管理"))
    queries = ["机器视觉缺陷检测", "缩短", "能源托管"]  # 缩短: only in the old text of s3
    batch = rank_many(idx, queries)
    assert all("s1" not in ids(b) for b in batch)
    assert batch[1] == [] and ids(batch[2])[0] == "s3"
    for single, b in zip([rank(idx, q, explain=False) for q in queries], batch):
        assert ids(single) == ids(b)


def test_matches_carry_a_confidence_that_orders_them(docs):
    idx = build_index(docs)
    found = rank(idx, "汽车零部件机器视觉缺陷检测", top=6)
    confs = [m.confidence for m in found]
    assert len(found) >= 3 and all(0.0 <= c <= 1.0 for c in confs)
    assert all(a > b for a, b in zip(confs, confs[1:]))  # strictly decreasing: the ranking
