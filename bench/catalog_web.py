#!/usr/bin/env python
"""Catalog web benchmark: 101,200 listings in PostgreSQL, gunicorn -w 2, wrk with 8 connections.

Measures a bare Flask "hello" app (bench/hello_app.py) on the same gunicorn settings in the
same run, before and after the catalog, then the catalog's faceted list page, listing detail
page and keyword search page, each for `--seconds` with wrk (the Debian package), and prints
req/s, p50, p99 and each page's share of hello's req/s (the mean of the two hello runs). The
share is the figure to compare between runs on a shared machine; the absolute numbers move
with the load. Targets (issue #14): list >= 8 %, detail and search >= 5 %, p99 < 150 ms.
Run from the project root with the project's venv:

    .venv/bin/python bench/catalog_web.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_speed

Loads `--scale 110` (101,200 listings) when the database is empty (a few minutes).
"""
from __future__ import annotations

import argparse
import atexit
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

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
    # A new, empty READ_CACHE_DIR per run: pages a previous run stored under the same data
    # version would otherwise be served from the first request.
    read_cache_dir = tempfile.mkdtemp(prefix="catalog-bench-read-cache-")
    atexit.register(shutil.rmtree, read_cache_dir, ignore_errors=True)
    return {**os.environ, "DATABASE_URL": args.database_url, "FLASK_APP": "catalog_app",
            "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
            "MATCHING_INDEX_DIR": args.index_dir, "RATELIMIT_STORAGE_URI": "memory://",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{args.port}",
            "READ_CACHE_DIR": read_cache_dir}


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
        # --timeout 120: the first requests load the matching snapshot and build the facet
        # index (tens of seconds on a loaded machine); hello runs with the same settings.
        [str(BIN / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{args.port}",
         "--timeout", "120", "--log-level", "warning", app_spec],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{args.port}{ready_path}", seconds=seconds)
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=120)


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


@dataclass
class WrkResult:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(name: str, port: int, paths: list[str], args) -> WrkResult:
    """`wrk` for `args.seconds` with `args.concurrency` connections over `paths` (cycled, see
    bench/wrk_paths.lua); errors count refused/timed-out requests and statuses >= 400."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    try:
        output = subprocess.run(
            ["wrk", "-t", str(min(args.threads, args.concurrency)), "-c", str(args.concurrency),
             "-d", f"{args.seconds}s", "--timeout", "10s", "-s", str(ROOT / "bench" / "wrk_paths.lua"),
             f"http://127.0.0.1:{port}", "--", handle.name],
            check=True, capture_output=True, text=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    line = next(text for text in output.splitlines() if text.startswith("RESULT "))
    fields = dict(item.split("=") for item in line.split()[1:])
    return WrkResult(name, int(fields["requests"]), int(fields["duration_us"]) / 1e6,
                     int(fields["p50_us"]) / 1000, int(fields["p99_us"]) / 1000, int(fields["errors"]))


def warm_up(port: int, paths: list[str], workers: int) -> None:
    """GET each path with `workers` threads and a long timeout: whichever worker takes a
    request pays its cold start here, not during the measurement."""
    def get(path: str) -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=300) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(get, paths))


def measure_hello(args, env: dict) -> WrkResult:
    """The bare Flask app (bench/hello_app.py) on the same gunicorn settings and port."""
    hello_env = {**env, "PYTHONPATH": str(ROOT / "bench")}
    with gunicorn(args, hello_env, "hello_app:app", "/", seconds=60):
        run_wrk("warm-up", args.port, ["/"], argparse.Namespace(**{**vars(args), "seconds": 2}))
        return run_wrk("hello (bare Flask)", args.port, ["/"], args)


def print_table(results: list[WrkResult], hello: WrkResult) -> None:
    print(f"{'page':<22} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'of hello':>8}")
    for result in results:
        share = result.requests_per_second / hello.requests_per_second if hello.requests_per_second else 0.0
        print(f"{result.name:<22} {result.requests:>8} {result.errors:>6} {result.requests_per_second:>8.1f} "
              f"{result.p50_ms:>7.1f} {result.p99_ms:>7.1f} {share:>8.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_server_arguments(parser, port=5099, seed=7, index_dir="bench-matching-index")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--no-rebuild", action="store_true",
                        help="reuse the matching snapshot in --index-dir (same data since it was built)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("catalog_web.py needs wrk, the HTTP load generator: apt-get install wrk", file=sys.stderr)
        return 2
    try:
        ensure_database(args.database_url)
    except sa.exc.OperationalError as error:
        print(f"cannot reach the database {args.database_url}: {error.orig}", file=sys.stderr)
        return 2

    env = bench_env(args)
    count = prepare_database(args, env)
    if not args.no_rebuild:
        rebuild_matching(env)
    rng = random.Random(args.seed)
    list_paths, search_paths = build_paths(facet_values(args.database_url), args.requests, rng)
    detail = detail_paths(args.database_url, args.requests, rng)
    # Listing pages no one asked for before (not in the warm-up): what a page costs when it is
    # rendered, not served from the page cache. Reported, no target.
    # Five times as many as a run gets through, so that the list never comes round again.
    first_visits = detail_paths(args.database_url, 5 * args.requests, random.Random(args.seed + 1))
    load_before = os.getloadavg()[0]
    hello_before = measure_hello(args, env)
    with gunicorn(args, env, "catalog_app.wsgi:app", "/", seconds=120):
        # Cold start first (each worker loads the matching snapshot and builds the facet index
        # on its first requests, tens of seconds on a loaded machine), then a short wrk run.
        for paths in (list_paths, search_paths, detail):
            warm_up(args.port, paths[:2 * args.workers], args.workers)
        warm = argparse.Namespace(**{**vars(args), "seconds": 5})
        for paths in (list_paths, search_paths, detail):
            run_wrk("warm-up", args.port, paths, warm)
        pages = [
            run_wrk("list page", args.port, list_paths, args),
            run_wrk("listing detail", args.port, detail, args),
            run_wrk("search", args.port, search_paths, args),
        ]
        first_visit = run_wrk("detail, first visits", args.port, first_visits, args)
    hello_after = measure_hello(args, env)
    # Hello is measured before and after the pages; pages are read against the mean of the two.
    hello = WrkResult("hello (mean)", hello_before.requests + hello_after.requests,
                      hello_before.seconds + hello_after.seconds,
                      (hello_before.p50_ms + hello_after.p50_ms) / 2, max(hello_before.p99_ms, hello_after.p99_ms),
                      hello_before.errors + hello_after.errors)

    print(f"gunicorn -w {args.workers} (sync), wrk -c {args.concurrency} -t {min(args.threads, args.concurrency)} "
          f"-d {args.seconds}s, listings={count}, cpus={os.cpu_count()}, "
          f"load average {load_before:.2f} before / {os.getloadavg()[0]:.2f} after")
    print_table([hello_before, hello_after, hello, *pages, first_visit], hello)
    targets = {"list page": 0.08, "listing detail": 0.05, "search": 0.05}
    for result in pages:
        share = result.requests_per_second / hello.requests_per_second if hello.requests_per_second else 0.0
        verdict = "ok" if share >= targets[result.name] and result.p99_ms < 150 else "MISSED"
        print(f"target {result.name}: >= {targets[result.name]:.0%} of hello, p99 < 150 ms: {verdict}")
    print("detail, first visits: listing pages not in the warm-up, mostly rendered rather than served "
          "from the page cache (no target)")
    return 0 if all(r.errors == 0 for r in [hello, *pages, first_visit]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
