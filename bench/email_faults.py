"""Email outbox under faults: N messages, several dispatcher processes, random kills.

    .venv/bin/python bench/email_faults.py                      # 10,000 messages, PostgreSQL if reachable
    .venv/bin/python bench/email_faults.py --messages 2000 --database sqlite

What it does: queues N messages through `send_email` (500 per commit), starts a real SMTP
sink (aiosmtpd) that counts arrivals per Message-ID, and keeps --dispatchers dispatcher
processes running until the outbox is drained. Meanwhile it SIGKILLs a random dispatcher
at random moments (--kills), and some dispatchers are started with BENCH_CRASH_POINT
(before_send / after_smtp_accept) to die at a chosen step. Every dead dispatcher is replaced.
Crashes and the journal are injected here, through the Dispatcher's `on_step` observer;
the production dispatcher knows nothing of them.

Classifying repeats: dispatchers write a journal (BENCH_TRACE_FILE): `sending <mid>`
before the SMTP transaction, `committed <mid>` after the `sent` commit. A dispatcher that
died with a message between the two was inside the one window where a resend is expected.
Repeats up to the number of such deaths are crash resends (R); any other repeat is a
duplicate (D). L = N - distinct Message-IDs delivered. The LAST line is:

    messages=N delivered=N lost=L duplicates=D crash_resends=R msgs_per_s=X
"""
from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))  # the checkout's packages, not the editable finder's view from bench/
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.MULTILINE | re.IGNORECASE)
LEASE_SECONDS = 3.0
CRASH_EXIT_CODE = 70  # a dispatcher that died at its BENCH_CRASH_POINT, told apart from SIGKILL

DISPATCHER_LOOP = """
import os
import time
import sqlalchemy as sa
from catalog_app import create_app
from catalog_app.extensions import db
from catalog_app.models import OutboxMessage, OutboxStatus
from catalog_app.notifications.outbox import Dispatcher

CRASH_POINT = os.environ.get("BENCH_CRASH_POINT")  # before_send | after_smtp_accept
CRASH_AFTER = int(os.environ.get("BENCH_CRASH_AFTER", "1"))  # at the Nth message
TRACE_FD = os.open(os.environ["BENCH_TRACE_FILE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
reached = 0


def journal(event, detail):
    os.write(TRACE_FD, f"{event} {os.getpid()} {detail}\\n".encode())


def maybe_crash(point):
    global reached
    if point != CRASH_POINT:
        return
    reached += 1
    if reached >= CRASH_AFTER:
        journal("crash", point)
        os._exit(%d)


def on_step(step, message_id):
    if step == "sending":
        maybe_crash("before_send")
    journal(step, message_id)
    if step == "accepted":
        maybe_crash("after_smtp_accept")


app = create_app()
with app.app_context():
    dispatcher = Dispatcher(on_step=on_step)
    while True:
        if dispatcher.dispatch_due().claimed:
            continue
        open_rows = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                      .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])))
        db.session.commit()
        if not open_rows:
            break
        time.sleep(0.2)  # rows leased by a dead dispatcher: wait for the lease to end
""" % CRASH_EXIT_CODE


class Sink:
    """aiosmtpd handler counting arrivals per Message-ID."""

    def __init__(self):
        self.lock = threading.Lock()
        self.arrivals: Counter = Counter()

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.content)
        with self.lock:
            self.arrivals[found.group(1).decode() if found else None] += 1
        return "250 OK"


def postgres_database() -> str | None:
    """A fresh `bench_outbox` database next to BENCH_POSTGRES_URL's, or None when unreachable."""
    base = sa.engine.make_url(POSTGRES_URL)
    try:
        engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text("DROP DATABASE IF EXISTS bench_outbox"))
            connection.execute(sa.text("CREATE DATABASE bench_outbox"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL not reachable ({type(exc).__name__}); using SQLite", flush=True)
        return None
    return base.set(database="bench_outbox").render_as_string(hide_password=False)


def queue_messages(app, count: int) -> float:
    from catalog_app.extensions import db
    from catalog_app.email_queue import send_email

    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        for start in range(0, count, 500):
            for i in range(start, min(start + 500, count)):
                send_email(f"user{i}@example.com", f"推荐匹配 #{i}", "outbox_test", "zh" if i % 3 else "en",
                           idempotency_key=f"bench:{i}", queued_at="2025-01-01T09:00:00", note=f"message {i}")
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return time.perf_counter() - started


def open_rows(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.text("SELECT count(*) FROM outbox_messages WHERE status IN ('pending', 'sending')"))


def status_counts(engine) -> dict:
    with engine.connect() as connection:
        return dict(connection.execute(sa.text("SELECT status, count(*) FROM outbox_messages GROUP BY status")).all())


def classify(trace_file: Path, dead_pids: set[int], arrivals: Counter) -> tuple[int, int, int]:
    """(crash resends, duplicates, in-window deaths) from the journal and the sink's counts."""
    in_flight: dict[int, str | None] = {}
    for line in trace_file.read_text().splitlines():
        event, pid, detail = line.split(" ", 2)
        pid = int(pid)
        if event == "sending":
            in_flight[pid] = detail
        elif event == "committed" and in_flight.get(pid) == detail:
            in_flight[pid] = None
    allowed: Counter = Counter(mid for pid, mid in in_flight.items() if pid in dead_pids and mid)
    crash_resends = duplicates = 0
    for message_id, count in arrivals.items():
        repeats = count - 1
        expected = min(repeats, allowed.get(message_id, 0))
        crash_resends += expected
        duplicates += repeats - expected
    return crash_resends, duplicates, sum(allowed.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--dispatchers", type=int, default=3)
    parser.add_argument("--kills", type=int, default=25, help="random SIGKILLs during the run")
    parser.add_argument("--crash-share", type=float, default=0.3,
                        help="share of dispatchers started with BENCH_CRASH_POINT")
    parser.add_argument("--database", choices=["auto", "postgresql", "sqlite"], default="auto")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    from aiosmtpd.controller import Controller

    from catalog_app import create_app

    workdir = Path(tempfile.mkdtemp(prefix="email-faults-"))
    url = postgres_database() if args.database in ("auto", "postgresql") else None
    if url is None and args.database == "postgresql":
        return 2
    url = url or f"sqlite:///{workdir / 'outbox.db'}"
    trace_file = workdir / "trace.log"

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ.update(DATABASE_URL=url, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    queue_seconds = queue_messages(app, args.messages)
    print(f"database={url.split('://')[0]} queued {args.messages} in {queue_seconds:.1f}s "
          f"({args.messages / queue_seconds:.0f}/s) workdir={workdir}", flush=True)

    env = {**os.environ, "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS), "BENCH_TRACE_FILE": str(trace_file),
           "OUTBOX_BATCH_SIZE": "20", "MAIL_TIMEOUT": "5", "APP_ENV": ""}
    engine = sa.create_engine(url)
    running: dict[int, subprocess.Popen] = {}
    dead_pids: set[int] = set()
    ended = Counter()

    def start_dispatcher() -> None:
        extra = {}
        if rng.random() < args.crash_share:
            extra = {"BENCH_CRASH_POINT": rng.choice(["before_send", "after_smtp_accept"]),
                     "BENCH_CRASH_AFTER": str(rng.randint(1, 400))}
        process = subprocess.Popen([sys.executable, "-c", DISPATCHER_LOOP], cwd=PROJECT_ROOT,
                                   env={**env, **extra}, stdout=subprocess.DEVNULL)
        running[process.pid] = process

    started = time.perf_counter()
    kills_left = args.kills
    next_kill = started + rng.uniform(0.5, 2.0)
    for _ in range(args.dispatchers):
        start_dispatcher()
    while True:
        for pid, process in list(running.items()):
            code = process.poll()
            if code is None:
                continue
            del running[pid]
            if code == 0:
                ended["drained"] += 1
            else:
                dead_pids.add(pid)
                ended["crash_point" if code == CRASH_EXIT_CODE else "sigkill" if code == -signal.SIGKILL
                      else f"exit_{code}"] += 1
        remaining = open_rows(engine)
        if remaining == 0 and not running:
            break
        if remaining and len(running) < args.dispatchers:
            for _ in range(args.dispatchers - len(running)):
                start_dispatcher()
        if kills_left and running and time.perf_counter() >= next_kill:
            victim = rng.choice(list(running.values()))
            victim.send_signal(signal.SIGKILL)
            kills_left -= 1
            next_kill = time.perf_counter() + rng.uniform(0.3, 1.5)
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    time.sleep(0.5)  # let the sink finish the last DATA
    controller.stop()

    arrivals = Counter({mid: n for mid, n in sink.arrivals.items() if mid})
    delivered = len(arrivals)
    crash_resends, duplicates, window_deaths = classify(trace_file, dead_pids, arrivals)
    lost = args.messages - delivered
    print(f"dispatchers ended: {dict(ended)}; deaths inside the accept→commit window: {window_deaths}")
    print(f"outbox rows by status: {status_counts(engine)}; drain {elapsed:.1f}s")
    print(f"messages={args.messages} delivered={delivered} lost={lost} duplicates={duplicates} "
          f"crash_resends={crash_resends} msgs_per_s={args.messages / elapsed:.0f}")
    return 0 if lost == 0 and duplicates == 0 else 1


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
