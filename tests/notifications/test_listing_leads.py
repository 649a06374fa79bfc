"""A published listing → the enterprises whose open demands it answers, through the embedded worker.

The worker is driven tick by tick with fake clocks: these tests check the logic (which scan
sees which listing, each e-mail queued once, the confidence floor), not wall time; the
60-second promise is checked on the configured intervals.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog_app.config import Config
from catalog_app.extensions import db
from catalog_app.models import Organization, OutboxMessage, OutboxStatus
from catalog_app.models._types import utcnow
from catalog_app.notifications.outbox import Dispatcher
from catalog_app.publishing.leads import queue_listing_leads
from catalog_app.notifications.smtp import MailboxTransport, SmtpTransport, transport_for
from catalog_app.publishing.worker import Worker, delivery_bound_seconds
from tests.notifications.recommendation_fixtures import market, outbox, publish, scenario  # noqa: F401


class FakeClocks:
    """UTC now and a monotonic counter that tests move by hand."""

    def __init__(self):
        self.now = utcnow()
        self.seconds = 1000.0

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.seconds += seconds


@pytest.fixture
def clocks():
    return FakeClocks()


def new_leather_listing(create_listing, organization):
    listing = create_listing(organization=organization, title="皮具皮面划痕色差视觉检测新方案",
                             summary="识别皮面划痕和色差，替代人工目检", body="皮具 皮面 划痕 色差 检测")
    listing.scenarios.append(scenario("检测"))
    db.session.commit()
    return listing


def strong_mail() -> list[tuple[str, OutboxStatus]]:
    return [(row.recipient, row.status) for row in outbox("recommendations_strong")]


def make_worker(app, clocks, **config) -> Worker:
    app.config.update({"MAIL_TRANSPORT": "mailbox", "OUTBOX_DISPATCH_INTERVAL_SECONDS": 5,
                       "LISTING_LEADS_SCAN_SECONDS": 20, "LISTING_LEADS_LOOKBACK_SECONDS": 600, **config})
    return Worker(clock=lambda: clocks.now, monotonic=lambda: clocks.seconds)


def test_a_published_listing_reaches_the_enterprise_once_within_the_configured_intervals(
        app, market, publish, create_listing, clocks):
    publish(market.demand, market.owner, market.moderator)
    owner_email, supplier_id = market.owner.email, market.agv.organization_id
    worker = make_worker(app, clocks)
    first = worker.tick()  # the demand's suppliers were e-mailed by the approval; sent now
    assert first.leads is not None and first.leads.emails == 0 and first.dispatch.sent >= 1

    clocks.advance(5)  # the worker forgets its rows after every tick: load the supplier again
    new_leather_listing(create_listing, db.session.get(Organization, supplier_id))
    tick = worker.tick()  # a dispatch tick, not a scan tick: the listing waits for the scan
    assert tick.leads is None and strong_mail() == []

    clocks.advance(worker.scan_every - 5)
    tick = worker.tick()  # the scan is due: queued and sent in the same tick
    assert tick.leads.emails == 1 and tick.errors == []
    assert strong_mail() == [(owner_email, OutboxStatus.SENT)]

    for _ in range(4):  # later scans see the listing again (the overlap) and queue nothing
        clocks.advance(worker.scan_every)
        assert worker.tick().leads.emails == 0
    assert len(strong_mail()) == 1


def test_the_full_rescan_after_the_worker_queues_nothing_new(app, market, publish, create_listing, clocks):
    from catalog_app.publishing.leads import queue_strong_matches

    publish(market.demand, market.owner, market.moderator)
    new_leather_listing(create_listing, market.agv.organization)
    assert queue_listing_leads(clocks.now - timedelta(minutes=1)).emails == 1
    assert queue_strong_matches().emails == 0  # same key: `strong-match:{match}:{user}`
    assert len(strong_mail()) == 1


def test_listings_older_than_the_watermark_are_left_to_the_full_scan(app, market, publish, create_listing, clocks):
    publish(market.demand, market.owner, market.moderator)
    new_leather_listing(create_listing, market.agv.organization)
    assert queue_listing_leads(clocks.now + timedelta(minutes=1)).emails == 0
    assert strong_mail() == []


def test_matches_below_the_email_confidence_are_never_mailed(app, market, publish, create_listing, clocks):
    publish(market.demand, market.owner, market.moderator)
    app.config["RECOMMENDATION_EMAIL_MIN_CONFIDENCE"] = 0.999  # nothing in this market is that sure
    new_leather_listing(create_listing, market.agv.organization)
    assert queue_listing_leads(clocks.now - timedelta(minutes=1)).emails == 0
    assert strong_mail() == []


def test_a_listing_published_before_the_demand_is_not_news(app, market, publish, create_listing, clocks):
    new_leather_listing(create_listing, market.agv.organization)
    publish(market.demand, market.owner, market.moderator)  # the demand page showed the listing already
    assert queue_listing_leads(clocks.now - timedelta(minutes=1)).emails == 0


def test_a_failing_scan_keeps_its_watermark_and_still_dispatches(app, market, publish, clocks, monkeypatch):
    publish(market.demand, market.owner, market.moderator)
    worker = make_worker(app, clocks)
    since = worker.since

    def broken(_since):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr("catalog_app.publishing.worker.queue_listing_leads", broken)
    tick = worker.tick()
    assert tick.errors == ["leads: index unavailable"] and worker.since == since
    assert tick.dispatch.sent >= 1  # the suppliers' e-mails left anyway


def test_the_default_intervals_keep_the_60_second_promise():
    settings = {name: getattr(Config, name) for name in dir(Config) if name.isupper()}
    assert delivery_bound_seconds(settings) <= 60


@pytest.mark.parametrize("scan_seconds", [5, 20, 60])
def test_each_scan_rereads_at_least_one_earlier_scan(app, clocks, scan_seconds):
    """A scan that misses a listing (not yet in the worker's index) is followed by one that sees it."""
    worker = make_worker(app, clocks, LISTING_LEADS_SCAN_SECONDS=scan_seconds)
    assert worker.overlap.total_seconds() > worker.scan_every


def test_mail_transport_setting_picks_the_transport(app):
    assert isinstance(transport_for({**app.config, "MAIL_TRANSPORT": "smtp"}), SmtpTransport)
    assert isinstance(transport_for({**app.config, "MAIL_TRANSPORT": "mailbox"}), MailboxTransport)
    with pytest.raises(ValueError, match="MAIL_TRANSPORT"):
        transport_for({**app.config, "MAIL_TRANSPORT": "pigeon"})


def test_the_mailbox_transport_marks_messages_sent_without_a_server(app):
    from catalog_app.email_queue import send_email

    send_email("someone@example.com", "Hello", "outbox_test", "zh", queued_at="now", note="")
    db.session.commit()
    app.config.update(MAIL_TRANSPORT="mailbox", MAIL_PORT=1)  # nothing listens on port 1
    report = Dispatcher().dispatch_due()
    assert (report.sent, report.deferred) == (1, 0)
    assert db.session.scalar(sa.select(OutboxMessage.status)) is OutboxStatus.SENT


def test_work_once_from_the_command_line(app, runner, market, publish):
    publish(market.demand, market.owner, market.moderator)
    app.config["MAIL_TRANSPORT"] = "mailbox"
    result = runner.invoke(args=["emails", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent=" in result.output
    assert all(row.status is OutboxStatus.SENT for row in outbox())


def test_celery_beat_reads_its_intervals_from_config():
    from catalog_app.celery_app import _settings, celery
    from catalog_app.publishing import tasks

    schedule = celery.conf.beat_schedule
    assert schedule["listing-leads"]["task"] == tasks.queue_listing_leads_task.name
    assert schedule["listing-leads"]["schedule"] == _settings.LISTING_LEADS_SCAN_SECONDS
    assert schedule["strong-matches"]["schedule"] == _settings.STRONG_MATCH_SCAN_SECONDS
    assert tasks.queue_listing_leads_task.acks_late is True
