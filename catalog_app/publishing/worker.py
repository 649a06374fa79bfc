"""The embedded e-mail worker: leads for enterprises and outbox delivery, with no broker.

`flask emails work` (which `make run` starts beside the web server) repeats one *tick*:

1. every LISTING_LEADS_SCAN_SECONDS, `queue_listing_leads` announces listings published
   since the previous scan to the enterprises whose open demands they answer strongly;
   with each scan, the other periodic mail jobs (`PERIODIC_JOBS`: the meetings' follow-up
   questions after an event) queue their mail too;
2. every tick (OUTBOX_DISPATCH_INTERVAL_SECONDS apart) the dispatcher drains the outbox,
   which sends those announcements and every other queued e-mail (demand → suppliers is
   queued by the moderator's approval itself).

So a published listing reaches an enterprise's mailbox within about
LISTING_LEADS_SCAN_SECONDS + OUTBOX_DISPATCH_INTERVAL_SECONDS (20 + 5 s by default, the
issue promises 60), plus the index refresh (MATCHING_REFRESH_SECONDS). Celery deployments
get the same from the beat tasks; the two may run together: leases and idempotency keys
keep every e-mail single.

The scan's watermark lives in the process. Each scan starts an overlap (WATERMARK_OVERLAP,
or two scan intervals if longer) before the previous one started, since a moderator's
transaction may commit a `published_at` older than the scan that ran meanwhile, and the
worker's index may not hold a listing yet when the first scan sees it; a listing seen twice
is harmless (the keys dedup). A fresh worker looks back LISTING_LEADS_LOOKBACK_SECONDS.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app

from catalog_app.extensions import db
from catalog_app.meetings.services import queue_follow_ups
from catalog_app.models._types import utcnow
from catalog_app.notifications.outbox import DispatchReport, Dispatcher
from catalog_app.notifications.recommendations_mail import QueueReport
from catalog_app.publishing.leads import queue_listing_leads

log = logging.getLogger(__name__)

WATERMARK_OVERLAP = timedelta(seconds=30)
# Features' periodic mail, run with every leads scan so that none needs a cron of its own.
# Each job is idempotent (it queues through the outbox with idempotency keys). Listed here,
# in the orchestration layer, rather than registered by the features, so imports point down.
PERIODIC_JOBS: tuple[Callable[[], object], ...] = (queue_follow_ups,)


@dataclass
class TickReport:
    """What one tick did: `leads` is None when no scan was due."""

    leads: QueueReport | None = None
    dispatch: DispatchReport = field(default_factory=DispatchReport)
    errors: list[str] = field(default_factory=list)


class Worker:
    """One tick at a time, inside an app context; `run` loops until asked to stop.

    :param clock: naive UTC now (the listings' `published_at` is compared with it).
    :param monotonic: seconds for scheduling the scans; tests pass fake clocks for both.
    :param dispatcher: defaults to the outbox `Dispatcher` with the app's transport.
    """

    def __init__(self, config=None, clock: Callable[[], datetime] = utcnow,
                 monotonic: Callable[[], float] = time.monotonic, dispatcher: Dispatcher | None = None):
        self.config = config if config is not None else current_app.config
        self.clock = clock
        self.monotonic = monotonic
        self.dispatcher = dispatcher or Dispatcher(self.config)
        self.interval = float(self.config["OUTBOX_DISPATCH_INTERVAL_SECONDS"])
        self.scan_every = float(self.config["LISTING_LEADS_SCAN_SECONDS"])
        self.overlap = max(WATERMARK_OVERLAP, timedelta(seconds=2 * self.scan_every))
        self.since = self.clock() - timedelta(seconds=float(self.config["LISTING_LEADS_LOOKBACK_SECONDS"]))
        self.next_scan_at = self.monotonic()  # the first tick scans
        self.stopping = threading.Event()

    def tick(self) -> TickReport:
        """Scan for leads if due, then drain the outbox. Errors are reported, never raised:
        one broken listing or a database restart must not stop the mail of everyone else."""
        report = TickReport()
        if self.monotonic() >= self.next_scan_at:
            started = self.clock()
            try:
                report.leads = queue_listing_leads(self.since)
                self.since = started - self.overlap
            except Exception as exc:  # noqa: BLE001 - see docstring; retried next scan, same watermark
                db.session.rollback()
                log.exception("listing leads scan failed")
                report.errors.append(f"leads: {exc}")
            self._run_jobs(report)
            self.next_scan_at = self.monotonic() + self.scan_every
        try:
            report.dispatch = self.dispatcher.dispatch_due()
        except Exception as exc:  # noqa: BLE001 - the dispatcher's own rows stay leased or pending
            self.dispatcher.close()
            log.exception("outbox dispatch failed")
            report.errors.append(f"dispatch: {exc}")
        # Forget this tick's rows: the next one must read what other processes committed since.
        db.session.remove()
        return report

    def _run_jobs(self, report: TickReport) -> None:
        """Other features' periodic mail (`PERIODIC_JOBS`), each on its own: one failing
        job neither stops the others nor the outbox."""
        for job in PERIODIC_JOBS:
            try:
                job()
            except Exception as exc:  # noqa: BLE001 - see docstring; the job runs again next scan
                db.session.rollback()
                log.exception("worker job %s failed", getattr(job, "__name__", job))
                report.errors.append(f"{getattr(job, '__name__', 'job')}: {exc}")

    def run(self, on_report: Callable[[TickReport], None] = lambda report: None) -> None:
        """Tick every OUTBOX_DISPATCH_INTERVAL_SECONDS until `stop()` (a signal handler calls it)."""
        while not self.stopping.is_set():
            on_report(self.tick())
            self.stopping.wait(self.interval)

    def stop(self) -> None:
        self.stopping.set()


def delivery_bound_seconds(config) -> float:
    """The longest a published listing waits for its e-mail to leave: one scan interval,
    one dispatch interval and one index refresh (the worker's index must see the listing)."""
    return (float(config["LISTING_LEADS_SCAN_SECONDS"]) + float(config["OUTBOX_DISPATCH_INTERVAL_SECONDS"])
            + float(config["MATCHING_REFRESH_SECONDS"]))
