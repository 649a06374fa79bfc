import numpy as np

from matching import Document, Index, RankingWeights, build_index, rank


def ids(matches):
    return [m.doc_id for m in matches]


def scores_by_id(index, text):
    return {m.doc_id: m.score for m in rank(index, text, top=50, explain=False)}


def test_add_goes_to_delta_without_rebuild(docs):
    idx = build_index(docs[:4])
    main = idx.main
    idx.add(docs[4])
    assert idx.main is main and len(idx) == 5      # main matrix untouched
    assert "c1" in ids(rank(idx, "汽车零部件视觉质检"))


def test_incremental_equals_fresh_build(docs):
    inc = build_index(docs[:3])
    for d in docs[3:]:
        inc.add(d)
    inc.remove("s2")
    inc.update(Document(id="s3", title="智能排程", text="排产 优化"))
    fresh = build_index([d for d in docs if d.id not in ("s2", "s3")]
                        + [Document(id="s3", title="智能排程", text="排产 优化")])
    for q in ("机器视觉 缺陷检测", "排产", "故障预测 振动"):
        a, b = scores_by_id(inc, q), scores_by_id(fresh, q)
        assert a.keys() == b.keys()
        for k in a:
            assert abs(a[k] - b[k]) < 1e-5


def test_remove_hides_document(docs):
    idx = build_index(docs)
    assert idx.remove("s3") and not idx.remove("s3")
    assert "s3" not in ids(rank(idx, "智能排程"))


def test_compaction_keeps_scores(docs):
    idx = build_index(docs[:2], RankingWeights(compact_min_delta=1, compact_fraction=0))
    before = None
    for d in docs[2:]:
        idx.add(d)
    assert not idx._delta_rows or len(idx._delta_rows) <= 1
    before = scores_by_id(idx, "机器视觉 能耗")
    idx.compact()
    assert scores_by_id(idx, "机器视觉 能耗") == before


def test_save_load_round_trip(tmp_path, docs):
    idx = build_index(docs)
    idx.add(Document(id="new", title="数字孪生工厂", text="虚拟工厂仿真"))
    idx.remove("s5")
    idx.save(tmp_path / "ix")
    assert not list(tmp_path.glob("**/*.pkl"))
    loaded = Index.load(tmp_path / "ix")
    for q in ("机器视觉", "数字孪生", "能源管理"):
        assert rank(loaded, q, explain=False) == rank(idx, q, explain=False)
    with np.load(tmp_path / "ix" / "arrays.npz", allow_pickle=False) as z:
        assert "data" in z
    loaded.add(Document(id="later", title="AGV 移动机器人"))
    assert ids(rank(loaded, "AGV"))[0] == "later"


def test_duplicate_id_rejected(docs):
    idx = build_index(docs)
    try:
        idx.add(docs[0])
    except ValueError:
        return
    raise AssertionError("duplicate id accepted")


def test_chunks_stack_into_the_same_matrix_as_scipy_vstack():
    import numpy as np
    import scipy.sparse as sp

    from matching.build import _stack
    rng = np.random.default_rng(7)
    parts = [sp.random(rows, cols, density=0.3, format="csc", dtype=np.float32, random_state=rng)
             for rows, cols in ((5, 4), (1, 6), (7, 6), (3, 9))]  # later chunks know more terms
    padded = [p.copy() for p in parts]
    for p in padded:
        p.resize((p.shape[0], 9))
    want = sp.vstack(padded, format="csc")
    got = _stack(list(parts), 16, 9)
    assert got.shape == (16, 9) and (got != want).nnz == 0
    assert all((np.diff(got.indices[got.indptr[c]:got.indptr[c + 1]]) > 0).all() for c in range(9))
    assert _stack([], 0, 3).shape == (0, 3)


def test_common_column_bitmaps_give_the_binary_search_values_bit_for_bit():
    # Columns found in many rows are scored on candidates through bitmaps (one gather for
    # all columns); the values must be those of the per-column binary search, also with a
    # delta segment and tombstones.
    rng = np.random.default_rng(3)
    words = ["机器视觉", "缺陷检测", "智能排产", "设备", "工厂", "质量", "能耗", "预测"]
    docs = [Document(id=f"d{i}", title=" ".join(rng.choice(words, 3)),
                     text=" ".join(rng.choice(words, int(rng.integers(1, 9)))))
            for i in range(300)]
    idx = build_index(docs[:250], RankingWeights(two_phase_common_df=0.05))
    for d in docs[250:]:
        idx.add(d)
    idx.remove("d7")
    idx.remove("d260")
    assert idx.common_columns().slot.max() >= 5  # several columns have bitmaps
    live = np.flatnonzero(idx.alive)
    cand = np.sort(rng.choice(live, 120, replace=False)).astype(np.int32)
    cols = list(range(len(idx.vocab)))
    for c, (rows, vals) in zip(cols, idx.terms_weights_at(cols, cand)):
        r0, v0 = idx.term_weights_at(c, cand)
        assert np.array_equal(rows, r0) and np.array_equal(vals, v0)
