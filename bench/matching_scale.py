"""Scale test helper for bench/matching_bench.py: synthetic catalog listings, build time,
memory, save/load and per-query latency. Synthetic so that it can run anywhere."""
from __future__ import annotations

import os
import random
import tempfile
import time

INDUSTRIES = ["汽车", "电子", "家电", "纺织", "陶瓷", "食品", "医药", "化工", "钢铁", "机械", "光伏",
              "锂电池", "家具", "塑料", "造纸", "印刷", "物流", "电力", "建材", "服装"]
SCENARIOS = ["缺陷检测", "质量检测", "预测性维护", "排产", "能耗管理", "仓储管理", "安全生产", "设备联网",
             "工艺参数优化", "需求预测", "智能巡检", "尺寸测量", "视觉引导", "质量追溯", "配方设计"]
TECHS = ["机器视觉", "深度学习", "大模型", "知识图谱", "数字孪生", "边缘计算", "AGV", "MES", "WMS",
         "APS", "3D视觉", "OCR", "PLC", "工业互联网", "强化学习", "时序预测"]
REGIONS = ["广州", "深圳", "佛山", "东莞", "珠海", "中山", "惠州", "江门", "肇庆", "汕头"]
NOUNS = ["系统", "平台", "解决方案", "一体机", "软件", "服务", "设备", "传感器", "控制器", "模块"]
PHRASES = ["提升良率", "降低成本", "减少停机", "缩短交期", "实时监测", "自动报警", "数据可视化",
           "云端部署", "私有化部署", "快速集成", "支持二次开发", "兼容主流PLC", "毫秒级响应",
           "准确率达到99%", "适配多种产线", "节能降耗", "无人值守", "柔性生产", "远程运维", "多工位协同"]


def listing(rng: random.Random, i: int):
    from matching import Document
    ind, sc, te = rng.choice(INDUSTRIES), rng.choice(SCENARIOS), rng.choice(TECHS)
    model = f"{rng.choice('ABCDEFGHXYZ')}{rng.choice('ABCDEFGHXYZ')}{rng.randint(1, 99)}-{rng.randint(10, 999)}"
    title = f"{ind}{te}{sc}{rng.choice(NOUNS)} {model}"
    summary = f"面向{ind}行业的{sc}{rng.choice(NOUNS)}，基于{te}，" + "，".join(rng.sample(PHRASES, 3)) + "。"
    body = "".join(f"{rng.choice(PHRASES)}，{rng.choice(TECHS)}{rng.choice(SCENARIOS)}，"
                   f"已在{rng.choice(REGIONS)}{rng.choice(INDUSTRIES)}企业落地。" for _ in range(4))
    return Document(id=f"L{i}", title=title, summary=summary, text=body, tags=(te, sc),
                    attributes={"industry": {ind}, "scenario": {sc}, "technology": {te},
                                "region": {rng.choice(REGIONS)}},
                    owner=f"S{rng.randint(0, 9999)}", verified=rng.random() < 0.2,
                    kind=rng.choice(["solution", "product", "case"]))


def demand(rng: random.Random):
    from matching import Query
    ind, sc = rng.choice(INDUSTRIES), rng.choice(SCENARIOS)
    text = f"我们是{rng.choice(REGIONS)}的{ind}企业，需要{sc}方案，希望{rng.choice(PHRASES)}，" \
           f"最好采用{rng.choice(TECHS)}"
    # Half the demands are long paragraphs (80-200 characters, as enterprises write them,
    # the in-domain bench set's kind), half short; half state their industry, half leave it
    # to the engine to infer.
    if rng.random() < 0.5:
        text += "。" + "，".join(f"现在{rng.choice(PHRASES)}做得不好，{rng.choice(SCENARIOS)}靠人工"
                                for _ in range(rng.randint(3, 6))) + "，预算有限，希望尽快上线。"
    return Query(text=text, attributes={"industry": {ind}} if rng.random() < 0.5 else {})


def rss_mb() -> tuple[float, float]:
    cur = peak = 0.0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                cur = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    return cur, peak


def scale(n_listings: int, n_queries: int) -> None:
    from matching import build_index
    rng = random.Random(20241123)
    base, _ = rss_mb()
    docs = [listing(rng, i) for i in range(n_listings)]
    after_docs, _ = rss_mb()
    t0 = time.perf_counter()
    idx = build_index(docs)
    build_s = time.perf_counter() - t0
    del docs
    import gc
    gc.collect()
    cur, peak = rss_mb()
    print(f"listings={n_listings} build={build_s:.1f}s nnz={idx.main.nnz} terms={len(idx.vocab)}")
    print(f"builder: RSS after build (input documents freed)={cur:.0f}MB peak={peak:.0f}MB "
          f"(interpreter+imports {base:.0f}MB; documents list {after_docs - base:.0f}MB)")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        idx.save(tmp)
        print(f"save={time.perf_counter() - t0:.2f}s")
        del idx
        # A serving worker loads the saved index: measure memory and latency in a fresh process.
        import subprocess
        import sys
        code = ("import sys; sys.path[:0] = %r; from matching_scale import serve; serve(%r, %d)"
                % (sys.path[:3], tmp, n_queries))
        subprocess.run([sys.executable, "-c", code], check=True)


def serve(path: str, n_queries: int) -> None:
    import numpy as np
    from matching import Index, rank
    base, _ = rss_mb()
    t0 = time.perf_counter()
    idx = Index.load(path)
    load_s = time.perf_counter() - t0
    cur, peak = rss_mb()
    print(f"worker: load={load_s:.2f}s RSS={cur:.0f}MB (imports {base:.0f}MB) peak={peak:.0f}MB")
    rng = random.Random(7)
    queries = [demand(rng) for _ in range(n_queries)]
    t0 = time.perf_counter()
    from matching.facets import facet_models
    models = facet_models(idx)  # trained once per loaded index, before the first query
    print(f"worker: industry/scenario classifiers trained in {time.perf_counter() - t0:.2f}s "
          f"({', '.join(f'{f}: {len(m.classes)} classes' for f, m in models.items())})")
    rank(idx, queries[0])  # warm caches (IDF, length factors)
    lat, cpu = [], []
    for q in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        rank(idx, q, top=10)
        lat.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    lat, cpu = np.asarray(lat), np.asarray(cpu)
    t0 = time.perf_counter()
    idx.add(listing(rng, 10**9))
    add_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    idx.remove("L5")
    rm_ms = (time.perf_counter() - t0) * 1000
    cur, peak = rss_mb()
    print(f"worker: {n_queries} demand->top10 queries with explanations: p50={np.percentile(lat, 50):.1f}ms "
          f"p95={np.percentile(lat, 95):.1f}ms max={lat.max():.1f}ms (wall); CPU time "
          f"p50={np.percentile(cpu, 50):.1f}ms p95={np.percentile(cpu, 95):.1f}ms")
    print(f"worker: load average during the run: {os.getloadavg()[0]:.1f}")
    print(f"worker: add one={add_ms:.1f}ms remove one={rm_ms:.1f}ms; RSS={cur:.0f}MB peak={peak:.0f}MB")
