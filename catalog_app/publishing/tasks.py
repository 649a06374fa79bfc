"""Celery beat tasks of the publishing layer: digests, strong matches, listing leads, and the
meetings' follow-up questions after an event.

Their names keep the `notifications.` prefix the beat schedule (celery_app.py) and running
deployments know. The outbox's own tasks (deliver, sweep) stay in notifications/tasks.py.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app

from catalog_app.celery_app import celery
from catalog_app.meetings.services import queue_follow_ups
from catalog_app.models import Frequency
from catalog_app.models._types import utcnow
from catalog_app.publishing.digests import send_digests
from catalog_app.publishing.leads import queue_listing_leads, queue_strong_matches


@celery.task(name="notifications.digest", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_digests_task(period: str) -> dict:
    """Daily/weekly digests (beat). Safe to run twice: the key `digest:{user}:{period}:{date}` dedups."""
    report = send_digests(Frequency(period))
    return {"emails": report.emails, "items": report.items}


@celery.task(name="notifications.strong_matches", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def queue_strong_matches_task() -> dict:
    """New listings that match open demands strongly → their enterprises (beat)."""
    report = queue_strong_matches()
    return {"emails": report.emails, "digest_items": report.digest_items}


@celery.task(name="notifications.listing_leads", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def queue_listing_leads_task() -> dict:
    """Listings published in the last LISTING_LEADS_LOOKBACK_SECONDS → enterprises (beat).

    Stateless, unlike the embedded worker's watermark: each run looks back the whole window,
    and the idempotency keys make the overlap between runs harmless.
    """
    lookback = max(float(current_app.config["LISTING_LEADS_LOOKBACK_SECONDS"]),
                   2 * float(current_app.config["LISTING_LEADS_SCAN_SECONDS"]))
    report = queue_listing_leads(utcnow() - timedelta(seconds=lookback))
    return {"emails": report.emails, "digest_items": report.digest_items}



@celery.task(name="meetings.follow_ups", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def queue_meeting_follow_ups_task() -> dict:
    """Ask both sides of held meetings of recently ended events for the outcome (beat).
    Idempotent: the outbox keys queue each question once per meeting and side."""
    return {"emails": queue_follow_ups()}
