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
