"""Celery tasks for the outbox. They carry row ids only; the row holds everything else.

Retry delays live in the row's `next_attempt_at`, never in task countdowns: a countdown
sits in the broker, where a flush or restart forgets it; the sweep reads the table.
"""
from __future__ import annotations

import logging

from flask import current_app

from catalog_app.celery_app import celery
from catalog_app.notifications.outbox import Dispatcher

log = logging.getLogger(__name__)

PUSH_CHUNK = 20


@celery.task(name="outbox.deliver", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_outbox_messages(ids: list[int]) -> dict:
    """Send these rows now if they are due; rows not due (or already sent) are skipped."""
    report = Dispatcher().dispatch_ids(ids)
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed}


@celery.task(name="outbox.sweep", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_outbox() -> dict:
    """Send every due row: retries whose time came, rows whose push was lost, expired leases."""
    report = Dispatcher().dispatch_due()
    if report.claimed:
        log.info("outbox sweep: claimed=%s sent=%s retried=%s failed=%s",
                 report.claimed, report.sent, report.retried, report.failed)
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed}


def push_outbox_ids(ids: list[int]) -> None:
    """Ring the workers' doorbell after commit. Failure is logged only: the sweep sends anyway."""
    url = current_app.config["CELERY_BROKER_URL"]
    chunks = [ids[i:i + PUSH_CHUNK] for i in range(0, len(ids), PUSH_CHUNK)]
    try:
        if url == celery.conf.broker_url:
            for chunk in chunks:
                deliver_outbox_messages.apply_async(args=[chunk])
        else:  # a test or script configured another broker than the environment
            with celery.connection_for_write(url) as connection:
                for chunk in chunks:
                    deliver_outbox_messages.apply_async(args=[chunk], connection=connection)
    except Exception as exc:  # noqa: BLE001 - the commit is done; the sweep is the fallback
        log.warning("could not push %d outbox ids to %s: %s", len(ids), url, exc)


@celery.task(name="notifications.digest", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_digests_task(period: str) -> dict:
    """Daily/weekly digests (beat). Safe to run twice: the key `digest:{user}:{period}:{date}` dedups."""
    from catalog_app.models import Frequency
    from catalog_app.notifications.digests import send_digests

    report = send_digests(Frequency(period))
    return {"emails": report.emails, "items": report.items}


@celery.task(name="notifications.strong_matches", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def queue_strong_matches_task() -> dict:
    """New listings that match open demands strongly → their enterprises (beat)."""
    from catalog_app.notifications.recommendations_mail import queue_strong_matches

    report = queue_strong_matches()
    return {"emails": report.emails, "digest_items": report.digest_items}


@celery.task(name="notifications.listing_leads", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def queue_listing_leads_task() -> dict:
    """Listings published in the last LISTING_LEADS_LOOKBACK_SECONDS → enterprises (beat).

    Stateless, unlike the embedded worker's watermark: each run looks back the whole window,
    and the idempotency keys make the overlap between runs harmless.
    """
    from datetime import timedelta

    from catalog_app.models._types import utcnow
    from catalog_app.notifications.recommendations_mail import queue_listing_leads

    lookback = max(float(current_app.config["LISTING_LEADS_LOOKBACK_SECONDS"]),
                   2 * float(current_app.config["LISTING_LEADS_SCAN_SECONDS"]))
    report = queue_listing_leads(utcnow() - timedelta(seconds=lookback))
    return {"emails": report.emails, "digest_items": report.digest_items}

