"""Outbox fixtures: a real SMTP server (aiosmtpd) and apps on a file SQLite or PostgreSQL.

Dispatcher tests need databases that several connections can share, so the in-memory
SQLite of the `app` fixture (one connection for everything) is replaced by a file here.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections import Counter
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from catalog_app import create_app
from catalog_app.config import TestConfig
from catalog_app.extensions import db

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.MULTILINE | re.IGNORECASE)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(reason: str | None) -> None:
    """Skip with the reason, except under CI=true where a missing service is a failure."""
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


def outbox_postgres_url() -> str:
    """A fresh, empty database of our own next to TEST_POSTGRES_URL's.

    Other suites reset the shared database's `public` schema mid-run; a database per
    xdist worker keeps them and us from dropping each other's tables.
    """
    base = sa.engine.make_url(POSTGRES_URL)
    name = f"test_outbox_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    try:
        engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
                # Test data only: skip the WAL flush per commit (the dispatcher commits per message).
                connection.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        require(f"PostgreSQL not reachable at {base.render_as_string(hide_password=True)}: {type(exc).__name__}")
    url = base.set(database=name)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url.render_as_string(hide_password=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SinkHandler:
    """Collects accepted messages; `refuse` maps an address to the reply for its RCPT."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []  # parsed headers + raw bytes, in arrival order
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.content)
        with self.lock:
            self.messages.append({"message_id": found.group(1).decode() if found else None,
                                  "raw": envelope.content, "rcpt_tos": list(envelope.rcpt_tos)})
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["message_id"] for m in self.messages]

    def counts(self) -> Counter:
        return Counter(self.message_ids())


class SmtpSink:
    def __init__(self):
        self.handler = SinkHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def __getattr__(self, name):
        return getattr(self.handler, name)


@pytest.fixture
def smtp_sink():
    with SmtpSink() as sink:
        yield sink


def outbox_config(database_url: str, **overrides) -> dict:
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=database_url, MAIL_RETRY_BASE_SECONDS=60, **overrides)
    return config


@pytest.fixture(params=["sqlite", "postgresql"])
def outbox_app(request, tmp_path):
    """An app whose database many connections (threads, processes) can share."""
    if request.param == "postgresql":
        url = outbox_postgres_url()
    else:
        url = f"sqlite:///{tmp_path / 'outbox.db'}"
    app = create_app(outbox_config(url))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def sqlite_file_app(tmp_path):
    app = create_app(outbox_config(f"sqlite:///{tmp_path / 'outbox.db'}"))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def wire(smtp_sink):
    """Point an app at the sink: `wire(app)`."""
    def connect(app):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
        return smtp_sink

    return connect


def database_env(app, **extra) -> dict:
    """Environment for a subprocess that builds the app from Config against this database."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {**os.environ, "DATABASE_URL": url, "MAIL_SERVER": app.config["MAIL_SERVER"],
           "MAIL_PORT": str(app.config["MAIL_PORT"]), "APP_ENV": ""}
    env.update({k: str(v) for k, v in extra.items()})
    return env


CRASH_EXIT_CODE = 70  # the process died where the test told it to, not of an error

# The crash is injected through the Dispatcher's `on_step` observer: the production class has
# no crash hook. Arguments (optional: none means no crash): the step (outbox.STEPS), on its
# how-many-th time the process dies, and the exit code.
DISPATCH_SCRIPT = """
import os
import sys
from catalog_app import create_app
from catalog_app.notifications.outbox import Dispatcher

crash_at, crash_after, crash_exit = (sys.argv[1:] + ["", "1", "70"][len(sys.argv) - 1:])[:3]
crash_after, crash_exit = int(crash_after), int(crash_exit)
reached = 0


def on_step(step, message_id):
    global reached
    if step == crash_at:
        reached += 1
        if reached >= crash_after:
            os._exit(crash_exit)


app = create_app()
with app.app_context():
    report = Dispatcher(on_step=on_step if crash_at else None).dispatch_due()
    print(f"sent={report.sent}")
"""


def run_dispatcher_process(app, crash_at: str = "", crash_after: int = 1, **env) -> subprocess.CompletedProcess:
    """`Dispatcher().dispatch_due()` in a fresh process, as `flask emails dispatch` would run.

    `crash_at` (a step of outbox.STEPS): the process exits with CRASH_EXIT_CODE on reaching
    that step for the `crash_after`-th time, as a killed dispatcher would stop.
    """
    return subprocess.run([sys.executable, "-c", DISPATCH_SCRIPT, crash_at, str(crash_after), str(CRASH_EXIT_CODE)],
                          cwd=PROJECT_ROOT, env=database_env(app, **env), capture_output=True, text=True, timeout=60)
