"""The Celery application: workers that send outbox rows soon after their commit.

Start a worker with its beat (the periodic sweep) in one process::

    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 celery -A catalog_app.celery_app worker -B -l info

or run `celery -A catalog_app.celery_app beat` separately (exactly one beat per deployment).
The broker only carries outbox row ids as a doorbell; the database is the queue. A lost
broker queue (Redis flushed, RabbitMQ restarted without persistence) delays mail until
the next sweep, it never loses any.
"""
from __future__ import annotations

from celery import Celery, Task
from celery.schedules import crontab

from catalog_app.config import config_for_environment

_settings = config_for_environment()
_flask_app = None


def flask_app():
    """The Flask app this worker process uses, created on first use (after fork)."""
    global _flask_app
    if _flask_app is None:
        from catalog_app import create_app

        _flask_app = create_app()
    return _flask_app


class FlaskTask(Task):
    def __call__(self, *args, **kwargs):
        with flask_app().app_context():
            return super().__call__(*args, **kwargs)


celery = Celery("catalog_app", task_cls=FlaskTask, include=["catalog_app.notifications.tasks", "catalog_app.publishing.tasks"])
celery.conf.update(
    broker_url=_settings.CELERY_BROKER_URL or "redis://127.0.0.1:6379/0",
    broker_connection_retry_on_startup=True,
    broker_connection_timeout=3,
    task_ignore_result=True,
    # A task is acknowledged only after it ran, and put back if its worker died mid-way.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
    beat_schedule={
        "outbox-sweep": {
            "task": "outbox.sweep",
            "schedule": _settings.OUTBOX_SWEEP_SECONDS,
            # A sweep queued while no worker ran is worthless once the next one is due.
            "options": {"expires": _settings.OUTBOX_SWEEP_SECONDS},
        },
        # Recommendation digests (catalog_app/publishing/digests.py), Beijing time.
        "digest-daily": {"task": "notifications.digest", "args": ("daily",),
                         "schedule": crontab(hour=8, minute=0), "options": {"expires": 6 * 3600}},
        "digest-weekly": {"task": "notifications.digest", "args": ("weekly",),
                          "schedule": crontab(hour=8, minute=30, day_of_week="mon"), "options": {"expires": 6 * 3600}},
        "strong-matches": {"task": "notifications.strong_matches",
                           "schedule": _settings.STRONG_MATCH_SCAN_SECONDS,
                           "options": {"expires": 600}},
        # Newly published listings → enterprises, as the embedded worker does (`flask emails work`).
        "listing-leads": {"task": "notifications.listing_leads",
                          "schedule": _settings.LISTING_LEADS_SCAN_SECONDS,
                          "options": {"expires": _settings.LISTING_LEADS_SCAN_SECONDS}},
        # After an event: ask both sides of each held meeting for the outcome, once each.
        "meeting-follow-ups": {"task": "meetings.follow_ups",
                               "schedule": _settings.MEETING_FOLLOW_UP_SECONDS,
                               "options": {"expires": _settings.MEETING_FOLLOW_UP_SECONDS}},
    },
    timezone="Asia/Shanghai",
)
app = celery  # `celery -A catalog_app.celery_app` finds `app` or `celery`
