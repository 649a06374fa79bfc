#!/usr/bin/env python
"""API benchmark: `POST /api/v1/match` and `GET /api/v1/solutions?q=...` under bounded load.

The same setup as bench/catalog_web.py (PostgreSQL with about 100,000 listings, a matching
snapshot for the workers, gunicorn with 2 workers on loopback), whose helpers it imports.
Targets: p95 below 50 ms for the search, below 100 ms for the match. The API's rate limits
are switched off for the run (one client address sends everything).

    .venv/bin/python bench/api_load.py
    .venv/bin/python bench/api_load.py --requests 1000 --concurrency 4
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog_web import (  # noqa: E402
    KEYWORDS,
    add_server_arguments,
    bench_env,
    gunicorn,
    prepare_database,
    rebuild_matching,
)
from loadgen import HEADER, LoadResult, run_load  # noqa: E402

DEMAND_TEXTS = [
    "皮具表面划痕和色差需要视觉检测替代人工目检，准确率≥99%",
    "注塑车间设备故障频繁，希望做预测性维护，减少非计划停机",
    "多品种小批量订单，需要智能排产系统，与现有MES对接",
    "仓储物流需要AGV调度和库存优化",
    "锂电池极片缺陷检测，节拍≤2秒/件",
    "工厂能耗高，需要能耗监测与优化",
    "用大模型做工艺知识问答和配方推荐",
    "焊缝质量在线检测，汽车焊装线",
]


def merged(name: str, results: list[LoadResult]) -> LoadResult:
    return LoadResult(name, sum(r.requests for r in results), sum(r.errors for r in results),
                      sum(r.seconds for r in results), [ms for r in results for ms in r.latencies_ms])


def match_load(port: int, total: int, concurrency: int, warm: bool = False) -> LoadResult:
    """`total` POSTs spread over the demand texts (loadgen sends one body per batch)."""
    per_text = max(1, total // len(DEMAND_TEXTS))
    results = []
    for text in DEMAND_TEXTS:
        body = json.dumps({"text": text, "top": 10}, ensure_ascii=False).encode()
        results.append(run_load("match", "127.0.0.1", port, ["/api/v1/match"] * per_text, concurrency,
                                method="POST", body=body, headers={"Content-Type": "application/json"}))
    return merged("warm-up match" if warm else "POST /api/v1/match", results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_server_arguments(parser, port=5098, seed=11, index_dir="bench-api-matching-index")
    parser.add_argument("--skip-upgrade", action="store_true",
                        help="use the database schema as it is (another branch's migrations may be ahead)")
    parser.add_argument("--skip-rebuild", action="store_true", help="reuse the matching snapshot in --index-dir")
    args = parser.parse_args()

    env = bench_env(args)
    count = prepare_database(args, env, upgrade=not args.skip_upgrade)
    if not args.skip_rebuild or not Path(args.index_dir).exists():
        rebuild_matching(env)

    app_spec = "catalog_app:create_app({'API_RATE_LIMIT_ENABLED': False})"
    with gunicorn(args, env, app_spec, "/api/v1/taxonomy/technologies", seconds=180):
        rng = random.Random(args.seed)
        search_paths = [f"/api/v1/solutions?q={urllib.parse.quote(rng.choice(KEYWORDS))}"
                        + (f"&page={rng.randint(1, 3)}" if rng.random() < 0.3 else "")
                        for _ in range(args.requests)]
        run_load("warm-up search", "127.0.0.1", args.port, search_paths[:60], args.concurrency)
        match_load(args.port, 60, args.concurrency, warm=True)
        results = [
            run_load("GET /api/v1/solutions?q=", "127.0.0.1", args.port, search_paths, args.concurrency),
            match_load(args.port, args.requests, args.concurrency),
        ]

    print(f"gunicorn workers={args.workers} concurrency={args.concurrency} listings={count} cpus={os.cpu_count()} "
          f"load average={os.getloadavg()[0]:.1f}")
    print(HEADER)
    for result in results:
        print(result.row())
    targets = {"GET /api/v1/solutions?q=": 50.0, "POST /api/v1/match": 100.0}
    for result in results:
        p95 = result.percentile(0.95)
        print(f"{result.name}: p95 {p95:.1f} ms, target < {targets[result.name]:.0f} ms: "
              f"{'met' if p95 < targets[result.name] else 'NOT met'}")
    return 0 if all(r.errors == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
