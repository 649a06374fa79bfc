#!/usr/bin/env python
"""Catalog web benchmark: 100,000 listings in PostgreSQL, gunicorn with 2 workers, bounded load.

Prints requests/s and p50/p95 latency for a faceted list page and a keyword search (the
figures the README quotes and issue #3 sets targets for), then for listing detail pages and
the home page (half as many requests each). Run from the project root with the project's venv:

    .venv/bin/python bench/catalog_web.py                 # loads the data if the database is empty
    .venv/bin/python bench/catalog_web.py --requests 3000 --concurrency 8

Uses only the project's own dependencies and the standard library (see bench/loadgen.py).
"""
from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import HEADER, run_load  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def ensure_database(url: str) -> None:
    server_url, name = url.rsplit("/", 1)
    engine = sa.create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True)


def listing_count(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM listings")).scalar_one()
    except sa.exc.ProgrammingError:
        return 0
    finally:
        engine.dispose()


def analyze(url: str) -> None:
    """Fresh planner statistics after a bulk load (autovacuum would get there, later)."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()


def facet_values(url: str) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """(listing kind, facet) -> [(value, published listings with it)], so that the bench asks
    only for pages that exist (a page past the last is a cheap 404, not a list page)."""
    published = "l.status = 'published'"
    statements = {
        "scenario": f"SELECT l.kind, t.slug, count(*) FROM listing_scenarios x JOIN listings l ON l.id = x.listing_id "
                    f"JOIN scenarios t ON t.id = x.scenario_id WHERE {published} GROUP BY 1, 2",
        "industry": f"SELECT l.kind, t.code, count(*) FROM listing_industries x JOIN listings l ON l.id = x.listing_id "
                    f"JOIN industries t ON t.id = x.industry_id WHERE {published} AND t.is_pillar GROUP BY 1, 2",
        "technology": f"SELECT l.kind, t.slug, count(*) FROM listing_technologies x JOIN listings l "
                      f"ON l.id = x.listing_id JOIN technologies t ON t.id = x.technology_id WHERE {published} "
                      "GROUP BY 1, 2",
        "region": f"SELECT l.kind, c.code, count(*) FROM listings l JOIN organizations o ON o.id = l.organization_id "
                  f"JOIN regions r ON r.id = o.region_id JOIN regions c ON c.id = coalesce(r.parent_id, r.id) "
                  f"WHERE {published} GROUP BY 1, 2",
    }
    values: dict[tuple[str, str], list[tuple[str, int]]] = {}
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        for facet, statement in statements.items():
            for kind, value, count in connection.execute(sa.text(statement)):
                values.setdefault((kind, facet), []).append((value, count))
    engine.dispose()
    return values


def detail_paths(url: str, count: int, rng: random.Random) -> list[str]:
    """Detail pages of random published listings."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, kind FROM listings WHERE status = 'published'")).all()
    engine.dispose()
    sections = {kind: section for section, kind in SECTION_KINDS.items()}
    return [f"/{sections[kind]}/{listing_id}" for listing_id, kind in (rng.choice(rows) for _ in range(count))]


def add_server_arguments(parser: argparse.ArgumentParser, *, port: int, seed: int, index_dir: str) -> None:
    """The options every web bench shares: the database, its size, the load and gunicorn."""
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/catalog_bench")
    parser.add_argument("--scale", type=int, default=110, help="demo scale (110 gives about 100,000 listings)")
    parser.add_argument("--min-listings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario (bounded)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--index-dir", default=str(ROOT / "instance" / index_dir))


def bench_env(args) -> dict:
    """The app's environment: production settings on the bench database, no shared limiter."""
    return {**os.environ, "DATABASE_URL": args.database_url, "FLASK_APP": "catalog_app",
            "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
            "MATCHING_INDEX_DIR": args.index_dir, "RATELIMIT_STORAGE_URI": "memory://",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{args.port}"}


def prepare_database(args, env: dict, upgrade: bool = True) -> int:
    """Create and migrate the database, load the scaled demo data when it is empty; returns
    the number of listings."""
    ensure_database(args.database_url)
    if upgrade:
        flask(env, "db", "upgrade")
        flask(env, "taxonomy", "load")
    count = listing_count(args.database_url)
    if count < args.min_listings:
        if count:
            raise SystemExit(f"{count} listings already in the database, fewer than {args.min_listings}: "
                             "drop the database or pass --min-listings")
        started = time.perf_counter()
        flask(env, "demo", "load", "--scale", str(args.scale))
        print(f"demo load --scale {args.scale}: {time.perf_counter() - started:.0f} s")
        count = listing_count(args.database_url)
        analyze(args.database_url)
    print(f"listings in the database: {count}")
    return count


def rebuild_matching(env: dict) -> None:
    """The matching snapshot the gunicorn workers load instead of each building it."""
    started = time.perf_counter()
    flask(env, "matching", "rebuild")
    print(f"matching rebuild (snapshot for the workers): {time.perf_counter() - started:.0f} s")


@contextmanager
def gunicorn(args, env: dict, app_spec: str, ready_path: str, seconds: float):
    """gunicorn with `args.workers` workers on `args.port`, stopped on leaving."""
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{args.port}",
         "--log-level", "warning", app_spec],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{args.port}{ready_path}", seconds=seconds)
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url} within {seconds}s")


KEYWORDS = [
    "视觉检测", "缺陷检测", "预测性维护", "智能排产", "配方", "AGV", "能耗", "数字孪生", "皮具", "质检",
    "大模型", "仓储", "设备故障", "外观检测", "MES", "焊缝检测", "表面瑕疵", "注塑", "钣金", "纺织",
    "面料瑕疵", "家电装配", "汽车零部件", "化妆品配方", "陶瓷", "五金", "PCB", "SMT", "光伏", "锂电池",
    "电池极片", "刀具磨损", "振动监测", "能源管理", "碳排放", "空压机", "冷库", "立体仓库", "分拣", "码垛",
    "机械臂", "协作机器人", "人机协作", "安全帽识别", "知识图谱", "客服机器人", "营销文案", "数字人直播",
    "工艺参数优化", "良率提升", "排程", "供应链", "需求预测", "库存优化", "生成式设计", "CAE仿真",
    "OCR", "条码追溯", "边缘计算", "工业互联网平台",
]


SECTION_KINDS = {"solutions": "solution", "products": "product", "cases": "case"}


def build_paths(values: dict, count: int, rng: random.Random, per_page: int = 20) -> tuple[list[str], list[str]]:
    """Uniformly random list pages: a kind, one facet value, and half the time page 1-3
    (when the result set has that many pages); every value is equally likely, so the mix
    is harsher on caches than real traffic, which concentrates on first pages."""
    list_paths = []
    for _ in range(count):
        section = rng.choice(list(SECTION_KINDS))
        facet = rng.choice(["scenario", "industry", "region", "technology"])
        value, total = rng.choice(values[(SECTION_KINDS[section], facet)])
        path = f"/{section}?{facet}={value}"
        if rng.random() < 0.5:
            path += f"&page={rng.randint(1, min(3, max(1, -(-total // per_page))))}"
        list_paths.append(path)
    search_paths = [
        f"/search?q={urllib.request.quote(rng.choice(KEYWORDS))}" for _ in range(count)
    ]
    return list_paths, search_paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_server_arguments(parser, port=5099, seed=7, index_dir="bench-matching-index")
    args = parser.parse_args()

    env = bench_env(args)
    count = prepare_database(args, env)
    rebuild_matching(env)
    with gunicorn(args, env, "catalog_app.wsgi:app", "/", seconds=120):
        rng = random.Random(args.seed)
        list_paths, search_paths = build_paths(facet_values(args.database_url), args.requests, rng)
        warm = list_paths[:50] + search_paths[:50]
        run_load("warm-up", "127.0.0.1", args.port, warm, args.concurrency)
        pages = detail_paths(args.database_url, args.requests // 2, rng)
        run_load("warm-up", "127.0.0.1", args.port, pages[:50], args.concurrency)
        results = [
            run_load("faceted list page", "127.0.0.1", args.port, list_paths, args.concurrency),
            run_load("keyword search", "127.0.0.1", args.port, search_paths, args.concurrency),
            run_load("listing detail page", "127.0.0.1", args.port, pages, args.concurrency),
            run_load("home page", "127.0.0.1", args.port, ["/"] * (args.requests // 2), args.concurrency),
        ]

    print(f"gunicorn workers={args.workers} concurrency={args.concurrency} listings={count} cpus={os.cpu_count()}")
    print(HEADER)
    for result in results:
        print(result.row())
    return 0 if all(r.errors == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
